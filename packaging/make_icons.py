"""Render the SVG master icon into the PNG sizes, the Windows .ico and the macOS .icns.

Run after editing resources/icons/nnviz.svg: `python packaging/make_icons.py`. The outputs are committed so
that builds need no SVG renderer; tests/packaging/test_icons.py checks they exist and are well formed.
Both container formats hold PNG images (supported since Windows Vista and macOS 10.7), so no bitmap
encoder beyond Qt's PNG writer is needed.
"""

import struct
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
MASTER = ICON_DIR / "nnviz.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's type codes for PNG payloads: pixel size -> OSType (ic10 is the 512@2x retina image).
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09", 1024: b"ic10"}


def png_path(size: int) -> Path:
    """Where the PNG of one size lives (the .deb maps these into the hicolor theme)."""
    return ICON_DIR / "png" / f"nnviz-{size}.png"


def render_png(svg: Path, size: int) -> bytes:
    """Render the SVG at size x size pixels, antialiased on a transparent background, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def build_ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO container: ICONDIR header, one 16-byte entry per image, then the PNG payloads."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, payload = [], b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in the ICO format
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(payload)))
        payload += data
    return header + b"".join(entries) + payload


def build_icns(pngs: dict[int, bytes]) -> bytes:
    """An ICNS container: 'icns' + total length, then (OSType, length incl. 8-byte header, PNG) chunks."""
    chunks = b"".join(
        ICNS_TYPES[size] + struct.pack(">I", len(data) + 8) + data for size, data in sorted(pngs.items())
    )
    return b"icns" + struct.pack(">I", len(chunks) + 8) + chunks


def main() -> int:
    """Regenerate every derived icon file from the master."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QImage text/painting needs one
    rendered = {size: render_png(MASTER, size) for size in sorted({*PNG_SIZES, *ICNS_TYPES})}
    for size in PNG_SIZES:
        png_path(size).parent.mkdir(parents=True, exist_ok=True)
        png_path(size).write_bytes(rendered[size])
    (ICON_DIR / "nnviz.ico").write_bytes(build_ico({s: rendered[s] for s in ICO_SIZES}))
    (ICON_DIR / "nnviz.icns").write_bytes(build_icns({s: rendered[s] for s in ICNS_TYPES}))
    del app
    print(f"wrote {len(PNG_SIZES)} PNGs, nnviz.ico and nnviz.icns in {ICON_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
