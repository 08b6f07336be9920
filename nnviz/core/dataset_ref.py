"""The project file's `dataset` section: where a project's data comes from, and how to get it back.

A project stores a reference, not the data (except tiny teaching sets, stored inline):
- `{"kind": "builtin", "name": "xor", "parameters": {...}, "seed": 0}` — a generator of `nnviz.core.datasets`;
- `{"kind": "file", "path": "iris.csv", "targets": ["species"], "class_names": [...]}` — a CSV (or `.npz`)
  file; a relative path is relative to the project file's folder (`portable_reference` keeps it so when a
  project is saved: data from outside the folder is embedded when small, copied next to the project if not);
- `{"kind": "inline", "x": [[...]], "y": [...], "task": "classification"}` — the rows themselves.
Every kind may also carry `task`, `feature_names`, `target_names`, `class_names` (the class index → label
mapping the network was trained with), `image_shape` (`[rows, columns]` when the features are pixels, so the
canvas can draw receptive fields without loading the data), `test_fraction` and `normalize`; other keys are
kept verbatim.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.core.datasets import Dataset, DatasetError
from nnviz.core.datasets.base import MAX_CLASSES
from nnviz.core.network import Network

KINDS = ("builtin", "file", "inline")
TASKS = ("classification", "regression")
#: file data outside the project's folder is embedded when it has at most this many numbers (features and
#: targets: about 2 MB of JSON; iris, a painted set or a 10,000-row table of 8 columns); larger is copied
EMBED_LIMIT = 100_000


def reference_to_dataset(
    ref: Mapping[str, Any], relative_to: str | os.PathLike[str] | None = None
) -> Dataset:
    """Load or generate the data a reference names; DatasetError (naming `dataset.KEY`) when it cannot."""
    kind = ref.get("kind")
    if kind == "builtin":
        from nnviz.core.datasets.builtin import make_dataset

        params = ref.get("parameters") or {}
        if not isinstance(params, Mapping):
            raise DatasetError("dataset.parameters: expected an object")
        return make_dataset(_text(ref, "name"), seed=ref.get("seed"), **params)
    if kind == "file":
        path = Path(_text(ref, "path"))
        if relative_to is not None and not path.is_absolute():
            path = Path(relative_to) / path
        classes = ref.get("class_names") if ref.get("task") == "classification" else None
        count = len(classes) if isinstance(classes, list) else None
        return load_file(str(path), ref.get("targets") or [], ref.get("ignore") or [], count)
    if kind == "inline":
        return _inline(ref)
    raise DatasetError(f"dataset.kind: expected one of {', '.join(KINDS)}, got {kind!r}")


def load_file(
    path: str, targets: Sequence[str], ignore: Sequence[str] = (), classes: int | None = None
) -> Dataset:
    """A CSV file (with target column names), an `.npz` file or IDX images (with the labels file beside
    them, MNIST's naming), by the file's name. `classes`: see `load_csv` (`class_count` says when a network
    wants its one numeric target read as class indices)."""
    from nnviz.core.datasets import files

    if path.lower().endswith(".npz"):
        return files.load_npz(path)
    if files.is_idx(path):
        return files.load_idx_images(path)
    if not targets:
        raise DatasetError(f"{path}: name the target column(s) of the CSV file")
    return files.load_csv(path, targets, ignore, classes=classes)


def class_count(network: Network, loss: str | None = None) -> int | None:
    """K when a single numeric target column is class indices 0..K-1 for `network`: K > 1 outputs under a
    softmax or trained with `cross_entropy`. None otherwise: the numbers are regression targets (a single
    sigmoid output's 0/1 included, trained with mse or bce as before)."""
    k = network.sizes[-1]
    if k > 1 and (network.output_activation.name == "softmax" or loss == "cross_entropy"):
        return k
    return None


def portable_reference(
    ref: Any,
    data: Dataset | None,
    old_folder: str | os.PathLike[str] | None,
    new_folder: str | os.PathLike[str],
    copy: bool = True,
) -> tuple[Any, str]:
    """The `dataset` section to save in a project file in `new_folder`, and a note of what was done.

    Opening a project reads file data only from inside the project's folder, so a file reference must not
    leave it: data inside `new_folder` is named by its relative path; data outside is embedded (an inline
    reference, when it has at most EMBED_LIMIT numbers) or else copied into `new_folder` (under a free name;
    an identical file already there is reused) and named there. `old_folder` is what a relative path was
    relative to (the previous project folder; None: the working directory). `data` is the loaded data: when
    it is None the reference is returned unchanged (nothing to embed, and a file nobody opened is not
    copied). With `copy=False` (the recovery file) large data is named by its absolute path instead. Other
    kinds of reference are returned unchanged; the note is "" when nothing changed."""
    if not isinstance(ref, Mapping) or ref.get("kind") != "file" or not isinstance(ref.get("path"), str):
        return ref, ""
    source = (Path(old_folder if old_folder is not None else os.getcwd()) / ref["path"]).resolve()
    folder = Path(new_folder).resolve()
    if source.is_relative_to(folder):
        relative = source.relative_to(folder).as_posix()
        return ({**ref, "path": relative}, "") if relative != ref["path"] else (ref, "")
    if data is None:
        return ref, ""
    if data.x.size + np.asarray(data.y).size > EMBED_LIMIT:
        if not copy:
            return {**ref, "path": str(source)}, ""
        try:
            target = _copy_into(source, folder)
            _copy_idx_labels(source, target)
        except OSError:
            pass  # the original has gone or the folder is read-only: embedding still keeps the data
        else:
            return {**ref, "path": target.name}, f"copied the data {source.name} next to the project"
    kept = {k: v for k, v in ref.items() if k not in ("kind", "path", "targets", "ignore")}
    inline = {**kept, **inline_reference(data), "source": source.name}
    if data.name:
        inline["name"] = data.name
    return inline, f"the data of {source.name} ({len(data)} rows) is now stored in the project"


def _copy_idx_labels(source: Path, target: Path) -> None:
    """IDX images find their labels beside them by name: copy the labels of `source` to where `target`'s
    name says they are (OSError when a different file is already there)."""
    from nnviz.core.datasets.files import idx_labels_for, is_idx

    labels = idx_labels_for(source) if is_idx(source) else None
    if labels is None:
        return
    name = target.name.replace("images", "labels").replace("idx3", "idx1").removesuffix(".gz")
    destination = target.with_name(name + (".gz" if labels.endswith(".gz") else ""))
    if not destination.exists():
        shutil.copyfile(labels, destination)
    elif not filecmp.cmp(labels, destination, shallow=False):
        raise OSError(f"{destination.name} exists and differs from the labels {labels}")


def _copy_into(source: Path, folder: Path) -> Path:
    """Copy `source` into `folder` as `name.ext`, or `name-2.ext`, ... when taken by a different file."""
    for n in range(1, 1000):
        target = folder / (source.name if n == 1 else f"{source.stem}-{n}{source.suffix}")
        if target.exists() and filecmp.cmp(source, target, shallow=False):
            return target
        if not target.exists():
            shutil.copyfile(source, target)
            return target
    raise OSError(f"no free name for {source.name} in {folder}")


def inline_reference(data: Dataset) -> dict[str, Any]:
    """A small data set written into the project itself (teaching examples)."""
    return {
        "kind": "inline",
        "task": data.task,
        "x": data.x.tolist(),
        "y": data.y.tolist(),
        **describe(data),
    }


def describe(data: Dataset) -> dict[str, Any]:
    """The names a reference keeps so views can label inputs, outputs and classes without loading."""
    names: dict[str, Any] = {"task": data.task, "feature_names": list(data.feature_names)}
    if data.target_names:
        names["target_names"] = list(data.target_names)
    if data.task == "classification":
        names["class_names"] = list(data.class_names)
    if data.image_shape is not None:
        names["image_shape"] = list(data.image_shape)
    return names


def _text(ref: Mapping[str, Any], key: str) -> str:
    value = ref.get(key)
    if not isinstance(value, str) or not value:
        raise DatasetError(f"dataset.{key}: expected a non-empty string, got {value!r}")
    return value


def _inline(ref: Mapping[str, Any]) -> Dataset:
    task = ref.get("task")
    if task not in TASKS:
        raise DatasetError(f"dataset.task: expected one of {', '.join(TASKS)}, got {task!r}")
    x = _table(ref.get("x"), "dataset.x")
    y = _table(ref.get("y"), "dataset.y")
    if task == "classification":
        if y.ndim != 1 or not np.array_equal(y, np.round(y)) or (y < 0).any():
            raise DatasetError("dataset.y: classification targets are one class index (0, 1, ...) per row")
        if (y >= MAX_CLASSES).any():  # checked before the cast: 2**64 - 1 would wrap to a negative label
            raise DatasetError(
                f"dataset.y: class label {max(ref['y'])} is too large (at most {MAX_CLASSES} classes)"
            )
        y = y.astype(np.int64)
    elif y.ndim == 1:
        y = y.reshape(-1, 1)
    names = {k: ref.get(k) or [] for k in ("feature_names", "target_names", "class_names")}
    for key, value in names.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DatasetError(f"dataset.{key}: expected a list of strings")
    x = x if x.ndim == 2 else x.reshape(-1, 1)
    shape = ref.get("image_shape")
    if shape is not None and (
        not isinstance(shape, list)
        or len(shape) != 2
        or not all(isinstance(n, int) and n > 0 for n in shape)
        or shape[0] * shape[1] != x.shape[1]
    ):
        raise DatasetError(f"dataset.image_shape: expected [rows, columns] covering {x.shape[1]} features")
    image_shape = None if shape is None else (shape[0], shape[1])
    return Dataset(x, y, task, **names, image_shape=image_shape, name=ref.get("name", ""))


def _table(value: Any, where: str) -> np.ndarray:
    """A non-empty list (of rows) of finite numbers; booleans and strings are refused."""
    if not isinstance(value, list) or not value:
        raise DatasetError(f"{where}: expected a non-empty list of rows")
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise DatasetError(f"{where}: expected rows of numbers, all of the same length") from None
    flat = [v for row in value for v in (row if isinstance(row, list) else [row])]
    if array.ndim > 2 or any(isinstance(v, (bool, str)) for v in flat) or not np.isfinite(array).all():
        raise DatasetError(f"{where}: expected rows of finite numbers")
    return array
