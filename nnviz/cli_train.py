"""`nnviz train`: load a project and data, train with the core Trainer, write the trained project.

Everything that can fail because of the user's input (the options, the project, the data, their fit to each
other, the output path) is checked before the first epoch, and the output file is written only after training
succeeded, atomically: a failed or interrupted run never touches it. Option values win over the project's
`training` section, which wins over the defaults.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.core.atomic_file import output_path
from nnviz.core.dataset_ref import class_count, describe, load_file, reference_to_dataset
from nnviz.core.datasets import Dataset
from nnviz.core.datasets.files import is_idx
from nnviz.core.document import (
    Project,
    load_project,
    save_project,
    training_from_json,
)
from nnviz.core.history import HistoryRecorder, last_epoch
from nnviz.core.input_file import not_regular_reason
from nnviz.core.network import Network
from nnviz.core.runs import RunRecorder
from nnviz.core.scaling import Scaler
from nnviz.core.threads import limit_blas_threads
from nnviz.core.training import Trainer, evaluate

# Options that map one-to-one onto TrainingConfig fields (the argparse dest is the field name).
_CONFIG_OPTIONS = ("loss", "optimizer", "learning_rate", "batch_size", "l1", "l2", "seed", "shuffle")
# Progress lines on stderr at most this often, so a fast run does not drown the terminal.
PROGRESS_INTERVAL_S = 0.5


class TrainError(ValueError):
    """Options, project and data that do not fit together."""


def train(args: argparse.Namespace) -> int:
    output_path(args.output)  # fail before training, not after it, when the output cannot be written
    limit_blas_threads(args.threads)
    project = load_project(args.file)
    dataset, reference = load_data(args, project)
    network = project.network if args.dtype is None else project.network.astype(args.dtype)
    check_fit(network, dataset)
    config = make_config(project, args, network)
    train_set, test_set = dataset.split(args.test_fraction, config.seed, config.shuffle)
    if len(train_set) == 0:
        raise TrainError("no rows left to train on")
    scaler = project.scaler
    if args.normalize is not None:
        scaler = None if args.normalize == "none" else Scaler.fit(train_set.x, args.normalize)
    x_train, x_test = (s.x if scaler is None else scaler.transform(s.x) for s in (train_set, test_set))

    trainer = Trainer(network, config, dataset.task)
    progress = _Progress(args.epochs)
    has_test = len(test_set) > 0
    # Overflow on the way to a diverging loss is reported once, by the Trainer's DivergenceError, rather
    # than as NumPy warnings on stderr.
    recorder, run, seconds = (
        HistoryRecorder(project.history),
        RunRecorder(network, last_epoch(project.history or {})),
        0.0,
    )
    with np.errstate(over="ignore", invalid="ignore"):
        for stats in trainer.epochs(
            x_train,
            train_set.y,
            args.epochs,
            x_test if has_test else None,
            test_set.y if has_test else None,
            on_progress=progress.within_epoch,
        ):
            progress.epoch_done(stats)
            recorder.add(stats)
            run.add(stats, network)
            seconds += stats.seconds
        final = evaluate(network, x_train, train_set.y, config.loss, dataset.task)
        final_test = evaluate(network, x_test, test_set.y, config.loss, dataset.task) if has_test else None
    print(f"final loss: {final[0]:.8g}")
    if final[1] is not None:
        print(f"accuracy: {final[1]:.4f}")
    if final_test is not None:
        print(f"test loss: {final_test[0]:.8g}")
        if final_test[1] is not None:
            print(f"test accuracy: {final_test[1]:.4f}")
    print(f"samples/s: {round(len(train_set) * args.epochs / seconds) if seconds > 0 else 0}")

    reference.update(test_fraction=args.test_fraction, normalize=args.normalize or "none")
    project.network, project.training, project.scaler, project.dataset = network, config, scaler, reference
    project.history = recorder.history
    project.runs = [*project.runs, run.finish(project.runs, network, config.to_json())]
    save_project(project, args.output)
    return 0


def load_data(args: argparse.Namespace, project: Project) -> tuple[Dataset, dict[str, Any]]:
    """The data named by --data (a CSV/NPZ file or a built-in name), else the project's own reference."""
    if args.data is None:
        if project.dataset is None:
            raise TrainError("--data is required: the project does not name a dataset")
        if args.targets or args.data_param:
            raise TrainError("--targets and --data-param go with --data")
        reference = dict(project.dataset)
        data = reference_to_dataset(reference, Path(args.file).parent)
    elif Path(args.data).is_dir():
        raise TrainError(f"{args.data}: is a folder, not a data file")
    elif Path(args.data).exists() and not Path(args.data).is_file():  # a device or FIFO, not a name
        raise TrainError(f"{args.data}: {not_regular_reason(args.data)}")
    elif args.data.lower().endswith((".csv", ".npz")) or is_idx(args.data) or Path(args.data).is_file():
        if args.data_param:
            raise TrainError("--data-param applies to built-in datasets, not to files")
        if not args.targets and not (args.data.lower().endswith(".npz") or is_idx(args.data)):
            raise TrainError("--targets is required with a CSV file: name the target column(s)")
        data = load_file(
            args.data, args.targets or [], classes=class_count(project.network, _loss(args, project))
        )
        reference = {"kind": "file", "path": _relative(args.data, Path(args.output).parent)}
        if args.targets:
            reference["targets"] = args.targets
    else:
        if args.targets:
            raise TrainError(f"--targets applies to CSV files; {args.data!r} is a built-in dataset name")
        from nnviz.core.datasets.builtin import make_dataset, validate_parameters

        params = validate_parameters(args.data, dict(args.data_param))
        # A seed is always recorded, so the project can regenerate exactly the data it was trained on.
        seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
        data = make_dataset(args.data, seed=seed, **params)
        reference = {"kind": "builtin", "name": args.data, "parameters": params, "seed": seed}
    if len(data) == 0:
        raise TrainError("the data has no rows")
    reference.update(describe(data))
    return data, reference


def _loss(args: argparse.Namespace, project: Project) -> str | None:
    """The loss the run will use, as far as the option or the project's training section says."""
    return args.loss or (project.training.loss if project.training is not None else None)


def _relative(path: str, folder: Path) -> str:
    """The data file as seen from the project's folder, so project and data can move together."""
    try:
        return os.path.relpath(Path(path).resolve(), folder.resolve())
    except ValueError:  # another drive (Windows)
        return str(Path(path).resolve())


def check_fit(network: Network, data: Dataset) -> None:
    """The network's inputs and outputs must match the data's features and targets."""
    n_in, n_out = network.sizes[0], network.sizes[-1]
    if data.n_features != n_in:
        raise TrainError(
            f"the network takes {n_in} inputs but the data has {data.n_features} feature columns "
            f"({', '.join(data.feature_names[:6])}{', ...' if data.n_features > 6 else ''})"
        )
    if data.task == "classification":
        n_classes = data.n_classes
        if not (n_out == n_classes or (n_out == 1 and n_classes <= 2)):
            raise TrainError(
                f"the network has {n_out} outputs but the data has {n_classes} classes: use "
                + (
                    "1 output (sigmoid) or 2 (softmax)"
                    if n_classes == 2
                    else f"{n_classes} outputs (softmax)"
                )
            )
    elif data.y.shape[1] != n_out:
        hint = f" (class indices 0..{n_out - 1} need a softmax output)" if data.y.shape[1] == 1 else ""
        raise TrainError(
            f"the network has {n_out} outputs but the data has {data.y.shape[1]} target columns{hint}"
        )


def make_config(project: Project, args: argparse.Namespace, network: Network) -> Any:
    """Options, then the project's training section, then defaults; checked like a file's section."""
    values = project.training.to_json() if project.training is not None else {}
    values.update({k: getattr(args, k) for k in _CONFIG_OPTIONS if getattr(args, k) is not None})
    if "loss" not in values and network.output_activation.name == "softmax":
        values["loss"] = "cross_entropy"  # the only sensible default for a softmax output
    return training_from_json(values, "options")


class _Progress:
    """Trainer callbacks printing to stderr at most every PROGRESS_INTERVAL_S, and after the last epoch."""

    def __init__(self, epochs: int) -> None:
        self.epochs = epochs
        self.last = time.perf_counter()

    def _due(self) -> bool:
        now = time.perf_counter()
        if now - self.last < PROGRESS_INTERVAL_S:
            return False
        self.last = now
        return True

    def within_epoch(self, p: Any) -> None:
        """A long epoch (a big data set) shows how far it has got."""
        if p.samples_done < p.samples_total and self._due():
            print(
                f"epoch {p.epoch}/{self.epochs}  {p.samples_done}/{p.samples_total} samples  "
                f"loss {p.loss:.6g}",
                file=sys.stderr,
                flush=True,
            )

    def epoch_done(self, stats: Any) -> None:
        if not self._due() and stats.epoch < self.epochs:
            return
        parts = [f"epoch {stats.epoch}/{self.epochs}", f"loss {stats.loss:.6g}"]
        if stats.accuracy is not None:
            parts.append(f"accuracy {stats.accuracy:.4f}")
        if stats.test_loss is not None:
            parts.append(f"test loss {stats.test_loss:.6g}")
        if stats.test_accuracy is not None:
            parts.append(f"test accuracy {stats.test_accuracy:.4f}")
        print("  ".join(parts), file=sys.stderr, flush=True)
