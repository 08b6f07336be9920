"""Loading the user's own data: CSV, NumPy's NPZ and MNIST's IDX format.

Every loader returns a `Dataset` or raises `DatasetError` whose message names the file, the line or record,
and the problem; nothing else escapes, whatever the bytes on disk.
"""

from __future__ import annotations

import gzip
import math
import os
import re
import zipfile
import zlib
from typing import IO

import numpy as np

from nnviz.core.datasets.base import MAX_CLASSES, MAX_NAME_CHARS, Dataset, DatasetError, check_class_labels
from nnviz.core.datasets.csv_reader import LoadCancelled, load_csv
from nnviz.core.input_file import open_regular
from nnviz.core.network import MAX_NEURONS_PER_LAYER

__all__ = ["LoadCancelled", "is_idx", "load_csv", "load_idx", "load_idx_images", "load_npz"]

#: what a data file's arrays may become in memory (as float64): over twice MNIST's 70,000 images; a
#: header or archive declaring more is refused before any of it is read
MAX_DATA_BYTES = 1 << 30
#: the members of an .npz archive that are read; any others are left unread
_NPZ_KEYS = ("X", "x", "y", "Y", "feature_names", "class_names")
_NPZ_MEMBERS = 1_000


def feature_dtype(values: np.ndarray) -> type:
    """float32 for values float32 holds exactly (float32 files, bytes and 16-bit integers: image pixels),
    halving the memory of an image set; float64 for everything else (the numbers of the teaching figures)."""
    exact = values.dtype == np.float32 or (values.dtype.kind in "biu" and values.dtype.itemsize <= 2)
    return np.float32 if exact else np.float64


def _check_finite(values: np.ndarray, where: str) -> None:
    if values.dtype.kind == "f" and not np.isfinite(values).all():
        bad = np.unravel_index(np.flatnonzero(~np.isfinite(values))[0], values.shape)
        raise DatasetError(f"{where}: not finite ({values[bad]}) at index {list(map(int, bad))}")


def _classes_from(y: np.ndarray, where: str, names: list[str] | None) -> tuple[np.ndarray, list[str]]:
    """Integer or string labels as class indices and names (strings sorted, like CSV labels)."""
    if y.dtype.kind in "US":
        unique, codes = np.unique(y, return_inverse=True)
        if len(unique) > MAX_CLASSES:
            raise DatasetError(
                f"{where}: {len(unique)} different class labels; at most {MAX_CLASSES} classes"
            )
        return codes.astype(np.int64).reshape(-1), [str(u) for u in unique]
    if y.dtype.kind == "u" and y.size and y.max() > np.iinfo(np.int64).max:  # would wrap to negative
        raise DatasetError(f"{where}: class label {y.max()} is too large (at most {MAX_CLASSES} classes)")
    labels = y.astype(np.int64)
    check_class_labels(labels, where)
    count = int(labels.max()) + 1 if labels.size else 0
    if names is not None and len(names) < count:
        raise DatasetError(f"{where}: {len(names)} class names for labels up to {count - 1}")
    return labels, names or [str(c) for c in range(count)]


def _npz_arrays(name: str) -> tuple[dict[str, np.ndarray], list[str]] | None:
    """The arrays nnviz uses (`_NPZ_KEYS`) and the names of all members, or None for a bare .npy array.

    Each member's .npy header is read first and the sizes it declares are checked against MAX_DATA_BYTES
    before any data is: the zip's declared sizes and the headers can claim anything (a 2 MB archive of
    zeros may unpack to gigabytes). Any malformed file is a DatasetError."""
    try:
        with open_regular(name) as handle:
            if handle.read(6) == b"\x93NUMPY":
                return None
            handle.seek(0)
            with zipfile.ZipFile(handle) as archive:
                infos = archive.infolist()
                if len(infos) > _NPZ_MEMBERS:
                    raise DatasetError(
                        f"{name}: {len(infos)} archive members; at most {_NPZ_MEMBERS} are read"
                    )
                members = {info.filename.removesuffix(".npy"): info for info in infos}
                wanted = {key: members[key] for key in _NPZ_KEYS if key in members}
                declared = sum(_npy_size(archive, info, name) for info in wanted.values())
                if declared > MAX_DATA_BYTES:
                    raise DatasetError(
                        f"{name}: the arrays declare {declared / 2**20:,.0f} MiB as numbers; at most "
                        f"{MAX_DATA_BYTES >> 20:,} MiB are read"
                    )
                return {key: _read_npy(archive, info, name) for key, info in wanted.items()}, list(members)
    except DatasetError:
        raise
    except FileNotFoundError:
        raise DatasetError(f"{name}: no such file") from None
    except OSError as exc:
        raise DatasetError(f"{name}: cannot read: {exc.strerror or exc}") from None
    except Exception as exc:  # any malformed archive (zip, header, pickle refusal): one clear message
        raise DatasetError(f"{name}: not a readable .npz archive ({type(exc).__name__}: {exc})") from None


def _npy_header(
    member: IO[bytes], info: zipfile.ZipInfo, name: str
) -> tuple[tuple[int, ...], bool, np.dtype]:
    """(shape, Fortran order, dtype) from the .npy header at the start of `member`."""
    version = np.lib.format.read_magic(member)
    if version not in ((1, 0), (2, 0)):
        raise DatasetError(f"{name}: {info.filename}: .npy format version {version} is not read")
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
    if dtype.hasobject:
        raise DatasetError(
            f"{name}: not a readable .npz archive ({info.filename} holds Python objects, pickles, not read)"
        )
    return shape, fortran, dtype


def _read_npy(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> np.ndarray:
    """A member's array, read in bounded pieces (NumPy's own reader allocates the declared size first)."""
    with archive.open(info) as member:
        shape, fortran, dtype = _npy_header(member, info, name)
        size = math.prod(shape) * dtype.itemsize
        data = _read_at_most(member, size + 1)
    if len(data) != size:
        raise DatasetError(f"{name}: {info.filename} declares {shape} {dtype} but holds {len(data)} bytes")
    return np.frombuffer(data, dtype).reshape(shape, order="F" if fortran else "C")


def _npy_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> int:
    """The bytes a member's array will take once converted (float64 numbers, or its strings), from its
    .npy header alone."""
    with archive.open(info) as member:
        shape, _, dtype = _npy_header(member, info, name)
    if dtype.kind in "US" and dtype.itemsize > 4 * MAX_NAME_CHARS:
        raise DatasetError(
            f"{name}: {info.filename} holds strings of up to {dtype.itemsize} bytes; names and labels may "
            f"have at most {MAX_NAME_CHARS} characters"
        )
    return math.prod(shape) * max(dtype.itemsize if dtype.kind in "US" else 8, 1)


def load_npz(path: str | os.PathLike[str]) -> Dataset:
    """A NumPy .npz archive with arrays `X` (samples × features, or samples × height × width images) and
    `y`; optional `feature_names` and `class_names`. Integer, boolean or string `y` of shape (n,) is a
    class label; float `y` is a regression target. Pickled objects are refused (allow_pickle=False)."""
    name = os.fspath(path)
    found = _npz_arrays(name)
    if found is None:
        raise DatasetError(f"{name}: a single .npy array, not an .npz archive with X and y")
    arrays, members = found
    x = arrays.get("X", arrays.get("x"))
    y = arrays.get("y", arrays.get("Y"))
    if x is None or y is None:
        listing = ", ".join(m[:20] for m in members[:8]) + (", …" if len(members) > 8 else "")
        raise DatasetError(f"{name}: needs arrays 'X' and 'y' (found: {listing or 'none'})")
    if x.ndim not in (2, 3) or x.dtype.kind not in "biuf":
        raise DatasetError(f"{name}: X must be a numeric table or image stack, got {x.dtype} {x.shape}")
    _check_features(x, f"{name}: X")
    image_shape = None
    if x.ndim == 3:
        image_shape = (int(x.shape[1]), int(x.shape[2]))
        x = x.reshape(len(x), -1)
    if y.ndim not in (1, 2) or len(y) != len(x) or y.dtype.kind not in "biufUS":
        raise DatasetError(f"{name}: y must hold one label or target row per X row, got {y.dtype} {y.shape}")
    x = np.ascontiguousarray(x, dtype=feature_dtype(x))  # no second copy when the archive holds that already
    _check_finite(x, f"{name}: X")
    features = _names(arrays.get("feature_names"), x.shape[1], f"{name}: feature_names") or []
    stem = os.path.splitext(os.path.basename(name))[0]
    if y.ndim == 1 and y.dtype.kind in "biuUS":
        given = _names(arrays.get("class_names"), None, f"{name}: class_names")
        labels, classes = _classes_from(y, f"{name}: y", given)
        return Dataset(x, labels, "classification", features, ["y"], classes, image_shape, stem)
    targets = y.astype(np.float64).reshape(len(y), -1)
    _check_finite(targets, f"{name}: y")
    return Dataset(x, targets, "regression", features, [], [], image_shape, stem)


def _names(array: np.ndarray | None, count: int | None, where: str) -> list[str] | None:
    if array is None:
        return None
    if array.ndim != 1 or array.dtype.kind not in "US" or (count is not None and len(array) != count):
        raise DatasetError(
            f"{where}: expected {count or 'a list of'} strings, got {array.dtype} {array.shape}"
        )
    return [str(s) for s in array]


# IDX element types (the third magic byte) and their big-endian NumPy dtypes.
_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """One IDX file (gzipped or not) as an array, after checking its header against its real size."""
    name = os.fspath(path)
    try:
        with open_regular(name) as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            handle = gzip.GzipFile(fileobj=raw) if gzipped else raw
            head = handle.read(4)
            if len(head) < 4 or head[:2] != b"\0\0" or head[2] not in _IDX_TYPES or not 1 <= head[3] <= 4:
                raise DatasetError(f"{name}: not an IDX file (bad magic number {head.hex() or 'none'})")
            dims_raw = handle.read(4 * head[3])
            if len(dims_raw) < 4 * head[3]:
                raise DatasetError(f"{name}: the IDX header is cut short")
            dims = tuple(int(d) for d in np.frombuffer(dims_raw, ">u4"))
            dtype = np.dtype(_IDX_TYPES[head[2]])
            expected = math.prod(dims) * dtype.itemsize
            if math.prod(dims) * 8 > MAX_DATA_BYTES:
                raise DatasetError(
                    f"{name}: the header declares {dims}, {math.prod(dims) * 8 / 2**20:,.0f} MiB as numbers; "
                    f"at most {MAX_DATA_BYTES >> 20:,} MiB are read"
                )
            data = _read_at_most(handle, expected + 1)
    except OSError as exc:  # includes gzip.BadGzipFile
        raise DatasetError(f"{name}: cannot read: {exc.strerror or exc}") from None
    except (EOFError, zlib.error) as exc:
        raise DatasetError(f"{name}: the gzip stream is damaged ({exc})") from None
    if len(data) != expected:
        more = "more" if len(data) > expected else f"only {len(data)} bytes"
        raise DatasetError(
            f"{name}: the header says {dims} ({expected} bytes of data) but the file holds {more}"
        )
    return np.frombuffer(data, dtype).reshape(dims)


def _read_at_most(handle: IO[bytes] | gzip.GzipFile, limit: int) -> bytearray:
    """Up to `limit` bytes, in 1 MiB reads: memory follows what the file holds, not what its header claims
    (`read(n)` allocates n bytes before reading any)."""
    data = bytearray()
    while len(data) < limit:
        chunk = handle.read(min(limit - len(data), 1 << 20))
        if not chunk:
            break
        data += chunk
    return data


def _check_features(x: np.ndarray, name: str) -> None:
    """Rows and features (a row's values, or an image's pixels) a network can take: at least one of each,
    and no more features than a layer can have (a name is made for each)."""
    features = math.prod(x.shape[1:])
    if len(x) == 0 or features == 0:
        raise DatasetError(f"{name}: no data: {len(x)} rows of {features} features {x.shape}")
    if features > MAX_NEURONS_PER_LAYER:
        raise DatasetError(
            f"{name}: {features} features; at most {MAX_NEURONS_PER_LAYER} can be a network's inputs"
        )


def load_idx(images: str | os.PathLike[str], labels: str | os.PathLike[str] | None = None) -> Dataset:
    """MNIST / Fashion-MNIST IDX files (gzipped or not): images (n × h × w, or n × features) and optional
    labels (n). Byte images are scaled to [0, 1]. Without labels the set has inputs only (`y` has no
    columns), for browsing or feeding forward."""
    pixels = _read_idx(images)
    name = os.fspath(images)
    if pixels.ndim not in (2, 3):
        raise DatasetError(f"{name}: expected images (n × height × width), got shape {pixels.shape}")
    if 0 in pixels.shape:
        raise DatasetError(f"{name}: the IDX header declares an empty set of images {pixels.shape}")
    image_shape = (int(pixels.shape[1]), int(pixels.shape[2])) if pixels.ndim == 3 else None
    _check_features(pixels, name)
    x: np.ndarray = pixels.reshape(len(pixels), -1).astype(feature_dtype(pixels))
    if pixels.dtype == np.uint8:
        x /= np.float32(255.0)
    _check_finite(x, name)
    stem = os.path.splitext(os.path.basename(name.removesuffix(".gz")))[0]
    if labels is None:
        return Dataset(x, np.zeros((len(x), 0)), "regression", image_shape=image_shape, name=stem)
    label_name = os.fspath(labels)
    y = _read_idx(labels)
    if y.ndim != 1 or y.dtype.kind not in "iu":
        raise DatasetError(f"{label_name}: expected one integer label per image, got {y.dtype} {y.shape}")
    if len(y) != len(x):
        raise DatasetError(f"{label_name}: {len(y)} labels for {len(x)} images in {name}")
    codes, classes = _classes_from(y, label_name, None)
    return Dataset(x, codes, "classification", [], ["label"], classes, image_shape, stem)


def is_idx(path: str | os.PathLike[str]) -> bool:
    """An IDX file by its name: MNIST's `train-images-idx3-ubyte` (or `.idx3-ubyte`), gzipped or not, or
    any name ending in `.idx`."""
    name = os.path.basename(os.fspath(path)).lower().removesuffix(".gz")
    return re.search(r"[-.]idx[1-4]-ubyte$", name) is not None or name.endswith(".idx")


def idx_labels_for(images: str | os.PathLike[str]) -> str | None:
    """The labels file beside an images file, named as MNIST names them (`images` → `labels`, `idx3` →
    `idx1`; gzipped or not), if there is one."""
    folder, base = os.path.split(os.fspath(images))
    if "images" not in base:
        return None
    stem = base.replace("images", "labels").replace("idx3", "idx1").removesuffix(".gz")
    return next(
        (os.path.join(folder, n) for n in (stem, stem + ".gz") if os.path.isfile(os.path.join(folder, n))),
        None,
    )


def load_idx_images(path: str | os.PathLike[str]) -> Dataset:
    """An IDX images file with its labels when they are beside it (`idx_labels_for`), else inputs only."""
    return load_idx(path, idx_labels_for(path))
