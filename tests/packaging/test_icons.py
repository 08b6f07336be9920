"""The generated icons exist in every size a platform asks for, and the containers are well formed."""

import struct
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

from make_icons import ICNS_TYPES, ICO_SIZES, PNG_SIZES, build_icns, build_ico, png_path  # noqa: E402

ICON_DIR = ROOT / "resources" / "icons"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def parse_ico(data: bytes) -> dict[int, bytes]:
    """Read an ICO container back: pixel size -> embedded image bytes."""
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    images = {}
    for n in range(count):
        width, height, _, _, _, _, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * n)
        assert width == height
        images[width or 256] = data[offset : offset + size]
    return images


def parse_icns(data: bytes) -> dict[bytes, bytes]:
    """Read an ICNS container back: OSType -> payload."""
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    chunks, pos = {}, 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack_from(">I", data, pos + 4)[0]
        chunks[kind] = data[pos + 8 : pos + length]
        pos += length
    assert pos == len(data)
    return chunks


@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_has_its_size_and_is_not_empty(size):
    image = QImage(str(png_path(size)))
    assert (image.width(), image.height()) == (size, size)
    centre = image.pixelColor(size // 2, size // 2)
    assert centre.alpha() == 255  # the icon is drawn, not a transparent square
    assert image.pixelColor(0, 0).alpha() == 0  # rounded corners stay transparent


def test_ico_holds_every_windows_size_as_png():
    images = parse_ico((ICON_DIR / "nnviz.ico").read_bytes())
    assert sorted(images) == sorted(ICO_SIZES)
    for size, data in images.items():
        assert data.startswith(PNG_MAGIC)
        assert QImage.fromData(data).width() == size


def test_icns_holds_every_macos_size_as_png():
    chunks = parse_icns((ICON_DIR / "nnviz.icns").read_bytes())
    assert set(chunks) == set(ICNS_TYPES.values())
    for size, kind in ICNS_TYPES.items():
        assert QImage.fromData(chunks[kind]).width() == size


def test_containers_round_trip_arbitrary_payloads():
    payloads = {16: PNG_MAGIC + b"a", 256: PNG_MAGIC + b"bbbb"}
    assert parse_ico(build_ico(payloads)) == payloads
    chunks = parse_icns(build_icns(payloads))
    assert chunks == {b"icp4": payloads[16], b"ic08": payloads[256]}
