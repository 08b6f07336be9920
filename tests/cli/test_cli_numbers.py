"""Odd numbers on the command line and in project files: each is output as valid JSON, read as the user
meant, or refused in one line naming the key — never an "internal error", a warning or a Qt line beside it.

The stderr checks run the real command in a child process: a RuntimeWarning or a Qt message is printed by
the interpreter or by Qt, outside what an in-process `main()` call captures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nnviz.cli import main
from nnviz.core.document import load_project

CLASSIC = Path(__file__).resolve().parents[2] / "resources" / "examples" / "classic.nnviz"
HUGE = 1e308


def _project(tmp_path: Path, **sections) -> Path:
    """A 2-2-1 identity network with weights and biases 1e308 (an input of 5 overflows), plus sections."""
    doc = {
        "format": "nnviz",
        "version": 1,
        "network": {
            "layers": [
                {"size": 2},
                {"size": 2, "activation": "identity"},
                {"size": 1, "activation": "identity"},
            ],
            "weights": [[[HUGE, HUGE], [HUGE, -HUGE]], [[HUGE, HUGE]]],
            "biases": [[HUGE, 0.0], [HUGE]],
        },
        **sections,
    }
    path = tmp_path / "p.nnviz"
    path.write_text(json.dumps(doc))
    return path


def _nnviz(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nnviz", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def _strict_json(text: str):
    def refuse(name):
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_forward_json_writes_overflowed_values_as_strings_and_keeps_the_shape(tmp_path):
    """Before: `[Infinity]` and `NaN` (only Python's parser reads them) and RuntimeWarnings on stderr."""
    result = _nnviz("forward", _project(tmp_path), "--input", "5,5", "--json")
    assert (result.returncode, result.stderr) == (0, "")
    out = _strict_json(result.stdout)
    assert out["output"] == ["NaN"]  # inf + (-inf)
    assert [len(layer["z"]) for layer in out["layers"]] == [2, 2, 1]
    assert out["layers"][1]["a"][0] == "Infinity"
    assert all(isinstance(v, float) for v in out["layers"][0]["a"])  # finite values stay numbers
    assert float(out["layers"][1]["z"][0]) == float("inf")  # float() reads them back


def test_forward_takes_an_input_list_that_starts_with_a_negative_number(capsys):
    """Before: `argument --input: expected one argument` (argparse took -0.5,0.3 for an option)."""
    assert main(["forward", str(CLASSIC), "--input", "-0.5,0.3"]) == 0
    assert capsys.readouterr().out.startswith("output: ")
    assert main(["forward", str(CLASSIC), "--input=-0.5,0.3"]) == 0
    first = capsys.readouterr().out
    assert main(["forward", str(CLASSIC), "--input", "-0.5,0.3"]) == 0
    assert capsys.readouterr().out == first


@pytest.mark.parametrize(
    "args",
    [
        ["forward", CLASSIC, "--input", "1_000,1"],
        ["new", "--layers", "2,1_0,1", "-o", "x.nnviz"],
        ["train", CLASSIC, "--data", "xor", "--epochs", "1_0", "-o", "x.nnviz"],
        ["train", CLASSIC, "--data", "xor", "--lr", "0_5", "-o", "x.nnviz"],
    ],
)
def test_digit_grouping_underscores_are_not_numbers(capsys, tmp_path, args):
    """Python's float() and int() take `1_000`; NumPy's readers, JSON and the CSV reader do not."""
    os.chdir(tmp_path)
    assert main([str(a) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nnviz: error: argument ")
    assert err.count("\n") == 1
    assert not (tmp_path / "x.nnviz").exists()


def test_an_inline_class_label_of_2_to_the_64_is_named_as_written(tmp_path):
    """Before: the label wrapped to -9223372036854775808 in the message, after a RuntimeWarning."""
    dataset = {"kind": "inline", "task": "classification", "x": [[0, 0], [1, 1]], "y": [0, 2**64 - 1]}
    result = _nnviz("train", _project(tmp_path, dataset=dataset), "-o", tmp_path / "o.nnviz", "--epochs", "1")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "18446744073709551615" in result.stderr
    assert "-9223372036854775808" not in result.stderr


@pytest.mark.parametrize(
    ("sections", "key"),
    [
        ({"scaler": {"method": "standard", "offset": ["HUGE_INT", 0], "scale": [1, 1]}}, "scaler.offset[0]"),
        ({"scaler": {"method": "standard", "offset": [0, 0], "scale": ["HUGE_INT", 1]}}, "scaler.scale[0]"),
        ({"dataset": {"kind": "builtin", "name": ["xor", "circle"]}}, "dataset.name"),
        ({"dataset": {"name": 7}}, "dataset.name"),
    ],
)
def test_values_a_file_cannot_hold_are_refused_naming_the_key(capsys, tmp_path, sections, key):
    """Before: `internal error (OverflowError: int too large to convert to float)` for 10^400 (and the window
    did not open at all); a list as dataset.name raised TypeError in the window's data panel."""
    path = _project(tmp_path, **sections)
    path.write_text(path.read_text().replace('"HUGE_INT"', "1" + "0" * 400))
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert key in err
    assert "internal error" not in err
    assert err.count("\n") == 1


def test_an_activation_slope_of_10_to_the_400_is_refused_naming_the_layer(capsys, tmp_path):
    path = _project(tmp_path)
    doc = json.loads(path.read_text())
    doc["network"]["layers"][1]["activation"] = {"name": "sigmoid", "slope": "HUGE_INT"}
    path.write_text(json.dumps(doc).replace('"HUGE_INT"', "1" + "0" * 400))
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert "network.layers[1].activation" in err
    assert "internal error" not in err


@pytest.mark.parametrize("loss", [5, "abc", {"a": 1}])
def test_train_appends_to_a_history_whose_loss_is_not_a_list(tmp_path, capsys, loss):
    """Before: every epoch ran, then extend_history raised TypeError (`len()` of an int): the result was
    lost."""
    doc = json.loads(CLASSIC.read_text())
    doc["history"] = {"loss": loss}
    doc.pop("dataset", None)
    path = tmp_path / "h.nnviz"
    path.write_text(json.dumps(doc))
    out = tmp_path / "o.nnviz"
    assert main(["train", str(path), "--data", "xor", "--epochs", "2", "-o", str(out)]) == 0, (
        capsys.readouterr().err
    )
    history = load_project(out).history
    assert isinstance(history["loss"], list)
    assert len(history["loss"]) == 2


def test_render_is_headless_even_with_an_unreachable_display(tmp_path):
    """Before: a DISPLAY that cannot be reached (a lost ssh -X) aborted the process with Qt's plugin lines."""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["DISPLAY"] = ":97"
    result = _nnviz("render", CLASSIC, "-o", tmp_path / "o.png", env=env)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize("target", ["1", "-1"])
def test_explain_writes_a_pass_past_the_float_limit(tmp_path, fmt, target):
    """Before: `internal error (InvalidOperation)` (a NaN error term compared with 0) or OverflowError (the
    squared error of an infinite output) once a target was given."""
    result = _nnviz("explain", _project(tmp_path), "--input", "5,5", "--target", target, "--format", fmt)
    assert (result.returncode, result.stderr) == (0, "")
    assert "inf" in result.stdout or "∞" in result.stdout
