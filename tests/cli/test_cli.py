"""The command line's contract (docs/architecture.md, "Contracts"): new, info, forward, --version, the window
launch, and errors.

Most tests call `main(argv)` in-process (fast); a few run real subprocesses where the process itself is the
point (what `--version` imports, no traceback reaching the terminal).
"""

import contextlib
import io
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnviz.cli import main
from nnviz.core.document import load_project

EXAMPLES = Path(__file__).parents[2] / "resources" / "examples"
CLASSIC = EXAMPLES / "classic.nnviz"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, out, err):
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("nnviz: error: ")
    assert "Traceback" not in err


def test_forward_reproduces_the_classic_outputs(capsys):
    code, out, _ = run(capsys, "forward", CLASSIC, "--input", "0.05,0.10")
    assert code == 0
    o1, o2 = (float(v) for v in out.removeprefix("output: ").split())
    assert o1 == pytest.approx(0.75136507, abs=5e-9)
    assert o2 == pytest.approx(0.772928465, abs=5e-10)


def test_forward_json_has_the_contract_shape(capsys):
    code, out, _ = run(capsys, "forward", CLASSIC, "--input", "0.05,0.10", "--json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"output", "layers"}
    assert len(doc["layers"]) == 3
    assert doc["layers"][0] == {"z": [0.05, 0.10], "a": [0.05, 0.10]}
    assert doc["layers"][1]["z"] == pytest.approx([0.3775, 0.3925])  # 0.15·0.05 + 0.20·0.10 + 0.35
    assert doc["layers"][1]["a"] == pytest.approx([0.593269992, 0.596884378])
    assert doc["output"] == doc["layers"][2]["a"]


def test_forward_applies_the_stored_scaler_to_raw_inputs(tmp_path, capsys):
    obj = json.loads(CLASSIC.read_text())
    obj["scaler"] = {"method": "standard", "offset": [1.0, 2.0], "scale": [20.0, 19.0]}
    path = tmp_path / "scaled.nnviz"
    path.write_text(json.dumps(obj))
    _, out, _ = run(capsys, "forward", path, "--input", "2.0,3.9", "--json")
    layers = json.loads(out)["layers"]
    assert layers[0]["a"] == pytest.approx([0.05, 0.10])  # (2 - 1)/20, (3.9 - 2)/19
    assert json.loads(out)["output"] == pytest.approx([0.75136507, 0.772928465], abs=5e-9)


def test_new_then_info(tmp_path, capsys):
    path = tmp_path / "net.nnviz"
    code, _, _ = run(
        capsys,
        "new",
        "--layers",
        "2,4,4,1",
        "--activation",
        "tanh",
        "--output-activation",
        "sigmoid",
        "--seed",
        "7",
        "-o",
        path,
    )
    assert code == 0
    net = load_project(path).network
    assert net.sizes == [2, 4, 4, 1]
    assert [a.name for a in net.activations] == ["tanh", "tanh", "sigmoid"]
    code, out, _ = run(capsys, "info", path)
    assert code == 0
    assert "layers: 2-4-4-1" in out
    assert "parameters: 37" in out.splitlines()  # 2·4+4 + 4·4+4 + 4·1+1


def test_new_is_seeded_and_takes_activation_parameters(tmp_path, capsys):
    paths = [tmp_path / f"{i}.nnviz" for i in range(2)]
    for p in paths:
        run(capsys, "new", "--layers", "3,2", "--activation", "leaky_relu:alpha=0.2", "--seed", "3", "-o", p)
    assert paths[0].read_text() == paths[1].read_text()
    assert load_project(paths[0]).network.activations[0].params == {"alpha": 0.2}


def test_new_maxout_takes_its_pieces_and_trains(tmp_path, capsys):
    path = tmp_path / "m.nnviz"
    code, out, _ = run(
        capsys, "new", "--layers", "2,4,1", "--activation", "maxout", "--maxout-pieces", "3",
        "--output-activation", "sigmoid", "--seed", "1", "-o", path,
    )  # fmt: skip
    assert code == 0
    assert "(maxout×3, sigmoid)" in out
    net = load_project(path).network
    assert net.activations[0].pieces == 3
    assert net.weights[0].shape == (12, 2)
    code, out, _ = run(capsys, "info", path)
    assert "layer 1: 4 neurons, maxout(pieces=3)" in out
    code, out, _ = run(capsys, "forward", path, "--input", "0.3,-0.2", "--json")
    hidden = json.loads(out)["layers"][1]
    assert len(hidden["z"]) == 12  # the piece sums, piece-major (docs/file-format.md)
    assert hidden["a"] == [max(hidden["z"][j::4]) for j in range(4)]
    code, out, _ = run(capsys, "train", path, "--data", "xor", "--epochs", "3", "-o", tmp_path / "t.nnviz")
    assert code == 0
    assert load_project(tmp_path / "t.nnviz").network.weights[0].shape == (12, 2)


def test_explain_works_a_maxout_layer_out_piece_by_piece(tmp_path, capsys):
    path = tmp_path / "m.nnviz"
    run(capsys, "new", "--layers", "2,3,1", "--activation", "maxout", "-o", path)
    code, out, _ = run(capsys, "explain", path, "--input", "0.1,0.2", "--target", "1")
    assert code == 0
    assert "out_h1 = max(net_h1,1, net_h1,2)" in out
    assert "wins" in out


def test_explain_says_its_update_is_not_the_projects_adam_step(tmp_path, capsys):
    from nnviz.core.document import Project, save_project
    from nnviz.core.network import Network
    from nnviz.core.training import TrainingConfig

    path = tmp_path / "adam.nnviz"
    save_project(Project(Network.create([2, 2, 1], seed=0), TrainingConfig(optimizer="adam")), path)
    code, out, _ = run(capsys, "explain", path, "--input", "0.1,0.2", "--target", "1")
    assert code == 0
    assert "Training uses Adam" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--activation", "tanh", "--maxout-pieces", "3"], "--maxout-pieces needs"),
        (["--activation", "maxout", "--maxout-pieces", "1"], "from 2 to 16"),
    ],
)
def test_new_maxout_pieces_errors(tmp_path, capsys, args, message):
    code, out, err = run(capsys, "new", "--layers", "2,3,1", *args, "-o", tmp_path / "x.nnviz")
    assert_one_line_error(code, out, err)
    assert message in err


def test_version_subprocess_prints_and_imports_neither_numpy_nor_qt():
    out = subprocess.run(
        [sys.executable, "-m", "nnviz", "--version"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0
    assert out.stdout.strip().startswith("nnviz ")
    code = (
        "import sys\n"
        "from nnviz.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'PySide6', 'pyqtgraph')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_no_subcommand_launches_the_window_lazily(monkeypatch, tmp_path):
    opened = []
    fake = types.ModuleType("nnviz.app.main")
    fake.run = lambda path=None: opened.append(path) or 0
    monkeypatch.setitem(sys.modules, "nnviz.app.main", fake)
    assert main([]) == 0
    assert main([str(CLASSIC)]) == 0
    assert opened == [None, str(CLASSIC)]


BAD_PROJECTS = {
    "broken.nnviz": '{"format": "nnviz", "version": 1, "network": {',
    "shape.nnviz": CLASSIC.read_text().replace("[0.15, 0.2]", "[0.15, 0.2, 0.7]"),
    "nan.nnviz": CLASSIC.read_text().replace("0.15", "NaN"),
    "name.nnviz": CLASSIC.read_text().replace('"activation": "sigmoid"', '"activation": "sigmod"', 1),
    "future.nnviz": CLASSIC.read_text().replace('"version": 1', '"version": 9'),
    "empty.nnviz": "",
}


@pytest.mark.parametrize("name", sorted(BAD_PROJECTS))
@pytest.mark.parametrize("command", [["info"], ["forward", "--input", "1,2"]])
def test_bad_project_files_give_one_line(tmp_path, capsys, name, command):
    path = tmp_path / name
    path.write_text(BAD_PROJECTS[name])
    code, out, err = run(capsys, command[0], path, *command[1:])
    assert_one_line_error(code, out, err)
    assert name in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["new", "--layers", "2,0,1", "-o", "{tmp}/x.nnviz"], "--layers: must be at least 1"),
        (["new", "--layers", "2", "-o", "{tmp}/x.nnviz"], "at least an input and an output"),
        (["new", "--layers", "2,x", "-o", "{tmp}/x.nnviz"], "expected a whole number"),
        (
            ["new", "--layers", "2,1", "--activation", "nope", "-o", "{tmp}/x.nnviz"],
            "unknown activation 'nope'",
        ),
        (["new", "--layers", "2,2,1", "--activation", "softmax", "-o", "{tmp}/x.nnviz"], "output layer"),
        (
            ["new", "--layers", "2,1", "--activation", "sigmoid:slope", "-o", "{tmp}/x.nnviz"],
            "NAME:PARAM=VALUE",
        ),
        (["new", "--layers", "2,1", "--init", "gauss", "-o", "{tmp}/x.nnviz"], "unknown initialisation"),
        (["new", "--layers", "2,1", "-o", "{tmp}/missing/x.nnviz"], "does not exist"),
        (["new", "--layers", "2,1", "-o", "{tmp}"], "is a folder"),
        (["new", "--layers", "2,1"], "required: -o/--output"),
        (["new", "--layers", "10000,10000", "-o", "{tmp}/x.nnviz"], "parameters; at most"),
        (["info", "{tmp}/missing.nnviz"], "no such file"),
        (["info", "{tmp}"], "is a folder"),
        (["forward", str(CLASSIC), "--input", "0.05"], "--input has 1 values; the network takes 2"),
        (["forward", str(CLASSIC), "--input", "0.05,inf"], "expected a finite number"),
        (["forward", str(CLASSIC), "--input", "a,b"], "expected a number, got 'a'"),
        (["forward", str(CLASSIC)], "required: --input"),
        (["info", str(CLASSIC), "--verbose"], "unrecognized arguments"),
        (["missing-file-or-typo"], "no such file (and not a subcommand"),
        (["--frobnicate"], "unrecognized arguments"),
    ],
)
def test_bad_arguments_give_one_line(tmp_path, capsys, argv, message):
    code, out, err = run(capsys, *(a.replace("{tmp}", str(tmp_path)) for a in argv))
    assert_one_line_error(code, out, err)
    assert message in err


def test_a_failed_new_leaves_an_existing_output_untouched(tmp_path, capsys):
    path = tmp_path / "keep.nnviz"
    path.write_text("precious")
    code, out, err = run(capsys, "new", "--layers", "2,1", "--activation", "nope", "-o", path)
    assert_one_line_error(code, out, err)
    assert path.read_text() == "precious"


def test_errors_reach_the_terminal_without_a_traceback(tmp_path):
    (tmp_path / "bad.nnviz").write_text("{")
    out = subprocess.run(
        [sys.executable, "-m", "nnviz", "info", str(tmp_path / "bad.nnviz")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2
    assert out.stderr.startswith("nnviz: error: ")
    assert out.stderr.count("\n") == 1


WORDS = [
    "new",
    "info",
    "forward",
    "--layers",
    "--activation",
    "--output-activation",
    "--init",
    "--seed",
    "--dtype",
    "--input",
    "--json",
    "-o",
    "2,3,1",
    "0",
    "-1",
    "1e400",
    "nan",
    "x",
    "",
    ",",
    "2,,1",
    "tanh",
    "softmax",
    "sigmoid:slope=-1",
    "leaky_relu:alpha=nan",
    "he",
    "float16",
    "0.05,0.10",
    "{out}",
    "{classic}",
    "{folder}",
    "{missing}",
]


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
def test_any_command_line_ends_in_success_or_one_error_line(tmp_path_factory, argv):
    folder = tmp_path_factory.mktemp("fuzz")
    paths = {"{out}": folder / "o.nnviz", "{classic}": CLASSIC, "{folder}": folder, "{missing}": folder / "m"}
    argv = [str(paths.get(a, a)) for a in argv]
    if argv[0] not in ("new", "info", "forward"):
        argv.insert(0, "info")  # never the window
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(argv)
    assert code in (0, 2)
    if code == 2:
        assert err.getvalue().startswith("nnviz: error: ")
        assert err.getvalue().count("\n") == 1
        assert "internal error" not in err.getvalue()


@pytest.mark.parametrize(
    ("history", "line"),
    [
        ({"epoch": [1, 3, 9], "loss": [0.5, 0.25, 0.125]}, "history: 9 epochs, last loss 0.125"),  # thinned
        ({"loss": [0.5, None]}, "history: 2 epochs, last loss n/a"),
        ({"loss": "not a list"}, None),
    ],
)
def test_info_reports_the_last_epoch_and_survives_odd_histories(tmp_path, capsys, history, line):
    obj = json.loads(CLASSIC.read_text())
    obj["history"] = history
    path = tmp_path / "h.nnviz"
    path.write_text(json.dumps(obj))
    code, out, err = run(capsys, "info", path)
    assert code == 0, err
    history_lines = [x for x in out.splitlines() if x.startswith("history:")]
    assert history_lines == ([line] if line else [])
