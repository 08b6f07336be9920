"""Iris with its classes written as 0/1/2 trains exactly as with their names, and as PyTorch trains it."""

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core.document import load_project
from tests.core.test_torch_equivalence import assert_same_parameters, train_torch

sklearn_datasets = pytest.importorskip("sklearn.datasets")
pytestmark = pytest.mark.peers

EPOCHS, LR, BATCH = 3, 0.05, 10


def write_iris(path, labels):
    iris = sklearn_datasets.load_iris()
    header = ",".join([*(f"f{i}" for i in range(4)), "label"])
    rows = (
        ",".join([*map(repr, x.tolist()), labels[t]]) for x, t in zip(iris.data, iris.target, strict=True)
    )
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return iris


def train_cli(tmp_path, net, csv):
    out = tmp_path / f"{csv.stem}.nnviz"
    argv = (
        f"train {net} --data {csv} --targets label --epochs {EPOCHS} --lr {LR} --batch-size {BATCH} "
        f"--optimizer sgd --test-fraction 0 --no-shuffle -o {out}"
    )
    assert main(argv.split()) == 0
    return load_project(out)


def test_numeric_iris_labels_train_like_word_labels_and_like_torch(tmp_path, capsys):
    net = tmp_path / "net.nnviz"
    new = f"new --layers 4,5,3 --activation tanh --output-activation softmax --seed 2 -o {net}"
    assert main(new.split()) == 0
    iris = write_iris(tmp_path / "words.csv", list(sklearn_datasets.load_iris().target_names))
    write_iris(tmp_path / "numbers.csv", ["0", "1", "2"])
    words = train_cli(tmp_path, net, tmp_path / "words.csv")
    numbers = train_cli(tmp_path, net, tmp_path / "numbers.csv")
    assert numbers.dataset["task"] == words.dataset["task"] == "classification"
    for ours, theirs in zip(numbers.network.weights + numbers.network.biases,
                            words.network.weights + words.network.biases, strict=True):  # fmt: skip
        np.testing.assert_array_equal(ours, theirs)
    start = load_project(net).network
    labels = iris.target.astype(np.int64)
    torch_ws, torch_bs = train_torch(
        start, iris.data, np.eye(3)[labels], labels, "cross_entropy", "sgd", LR, BATCH, EPOCHS
    )
    assert_same_parameters(numbers.network, torch_ws, torch_bs)
    capsys.readouterr()
