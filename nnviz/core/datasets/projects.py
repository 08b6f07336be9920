"""A ready-to-train project for each built-in dataset: its default network, training set-up and scaling.

The GUI's "new project from dataset" and the shipped example files (resources/examples/<name>.nnviz) both
come from `default_project`; `python -m nnviz.core.datasets.projects OUT_DIR NAME...` rewrites the files.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from nnviz.core.dataset_ref import describe
from nnviz.core.datasets.base import Dataset
from nnviz.core.datasets.builtin import BuiltinSpec, get_spec, make_dataset, validate_parameters
from nnviz.core.document import Project, save_project
from nnviz.core.network import Network
from nnviz.core.scaling import Scaler
from nnviz.core.training import TrainingConfig


def default_project(name: str, seed: int = 0, **params: Any) -> Project:
    """An untrained project for the built-in set `name`: the spec's network (initialised with `seed`), its
    training section, a reference to the data (name, seed, parameters) and, where the spec scales
    features, a scaler fitted on the generated set."""
    spec = get_spec(name)
    values = validate_parameters(name, params)
    dataset = make_dataset(name, seed=seed, **values)
    net = spec.network
    network = Network.create(net.sizes(dataset), net.activation, net.output_activation, seed=seed)
    scaler = None if net.normalize == "none" else Scaler.fit(dataset.x, net.normalize)
    reference = {"kind": "builtin", "name": name, "seed": seed, "parameters": values, "epochs": net.epochs}
    reference |= describe(dataset)
    training = TrainingConfig(**net.training(), seed=seed)
    extra = {"title": f"{name}: {spec.description}", "description": _description(spec, dataset, net.epochs)}
    return Project(network, training, reference, None, scaler, extra)


def _description(spec: BuiltinSpec, dataset: Dataset, epochs: int) -> str:
    sizes = "-".join(str(n) for n in spec.network.sizes(dataset))
    return (
        f"{spec.description}. A {sizes} network ({spec.network.activation} hidden, "
        f"{spec.network.output_activation} output, {spec.network.loss} loss, {spec.network.optimizer}); "
        f"train for about {epochs} epochs: nnviz train FILE --data {spec.name} --epochs {epochs}"
        + (f" --normalize {spec.network.normalize}" if spec.network.normalize != "none" else "")
        + " -o OUT"
    )


def main(argv: list[str]) -> int:
    """Write `<OUT_DIR>/<name>.nnviz` for each name given."""
    out_dir, *names = argv
    for name in names:
        save_project(default_project(name), Path(out_dir) / f"{name}.nnviz")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
