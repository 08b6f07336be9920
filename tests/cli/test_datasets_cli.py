"""`nnviz datasets` lists the built-ins; `nnviz train --data NAME` works for each; accuracy goals (slow)."""

import json

import pytest

from nnviz.cli import main
from nnviz.core.datasets.builtin import BUILTINS
from nnviz.core.datasets.projects import default_project
from nnviz.core.document import save_project


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_datasets_lists_every_builtin_with_parameters(capsys):
    code, out, _ = run(capsys, "datasets")
    assert code == 0
    for name in BUILTINS:
        assert f"\n{name} (" in "\n" + out
    assert "noise=0.0 [0..0.5]" in out
    assert "bits=4 [1..16]" in out


def test_datasets_json_for_one(capsys):
    code, out, _ = run(capsys, "datasets", "spiral", "--json")
    assert code == 0
    described = json.loads(out)
    assert described["network"]["hidden"] == [8, 8]
    assert {p["name"] for p in described["parameters"]} == {"samples", "noise", "features"}


def test_datasets_unknown_name_is_one_line_error(capsys):
    code, _, err = run(capsys, "datasets", "nope")
    assert code == 2
    assert err.startswith("nnviz: error: no built-in dataset 'nope'")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("name", list(BUILTINS))
def test_train_runs_on_every_builtin(capsys, tmp_path, name):
    project = tmp_path / f"{name}.nnviz"
    save_project(default_project(name, seed=0), project)
    code, out, err = run(
        capsys, "train", project, "--data", name, "--epochs", 1, "--seed", 0, "-o", tmp_path / "o.nnviz"
    )
    assert code == 0, err
    assert "final loss:" in out
    assert ("test accuracy:" in out) == (BUILTINS[name].task == "classification")


def accuracy_of(out):
    return float(dict(line.split(": ", 1) for line in out.strip().splitlines())["test accuracy"])


ADAM = "--optimizer adam --loss"
GOALS = [
    ("spiral", "2,8,8,1", "tanh", "sigmoid",
     f"{ADAM} bce --lr 0.01 --batch-size 16 --epochs 1000 --normalize standard", 0.95),
    ("digits8", "64,32,10", "tanh", "softmax", f"{ADAM} cross_entropy --lr 0.005 --epochs 60", 0.95),
    ("font_digits", "784,16,16,10", "sigmoid", "softmax",
     f"{ADAM} cross_entropy --lr 0.01 --epochs 30", 0.90),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("name", "layers", "hidden", "output", "options", "goal"), GOALS)
def test_accuracy_goals_through_the_cli(capsys, tmp_path, name, layers, hidden, output, options, goal):
    project = tmp_path / "p.nnviz"
    new = ["new", "--layers", layers, "--activation", hidden, "--output-activation", output, "--seed", 1]
    assert run(capsys, *new, "-o", project)[0] == 0
    code, out, err = run(
        capsys, "train", project, "--data", name, *options.split(), "--seed", 1, "-o", project
    )
    assert code == 0, err
    assert accuracy_of(out) >= goal
