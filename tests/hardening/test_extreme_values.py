"""Extreme finite numbers (±1e308, subnormals) and the ±inf and NaN they overflow to, through every paint and
widget: the canvas, the inspector, the math panel, the plots, `nnviz render`. Each must draw or write the
value ("inf", "nan", "1e+308"), never raise inside a paint event, never leave a painter active.

The crash cases run in a child process: before the fix they ended in a segfault (exit 139), which would take
the test run down with them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from nnviz.app.main_window import MainWindow
from nnviz.app.painting import guarded_paint, painting
from nnviz.app.selection import Selection
from nnviz.app.session import Session
from nnviz.core.document import Project, load_project
from nnviz.core.network import Network

HUGE = 1e308
TINY = 5e-324  # the smallest subnormal
EXTREMES = [HUGE, -HUGE, TINY, -TINY, 1e-310, 0.0, 1.0, -1.0]


def _project_file(tmp_path: Path, weights, biases, activations=("identity", "identity"), extra=None) -> Path:
    """A 2-2-1 project with the given parameters (and any extra top-level keys)."""
    doc = {
        "format": "nnviz",
        "version": 1,
        "network": {
            "layers": [
                {"size": 2},
                {"size": 2, "activation": activations[0]},
                {"size": 1, "activation": activations[1]},
            ],
            "weights": weights,
            "biases": biases,
        },
        **(extra or {}),
    }
    path = tmp_path / "extreme.nnviz"
    path.write_text(json.dumps(doc))
    return path


def _overflowing(tmp_path: Path, extra=None) -> Path:
    """The issue's 2-2-1 identity network with weights and biases 1e308: an input of 5 makes z = inf."""
    return _project_file(
        tmp_path, [[[HUGE, HUGE], [HUGE, -HUGE]], [[HUGE, HUGE]]], [[HUGE, 0.0], [HUGE]], extra=extra
    )


def _nnviz(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nnviz", *args], capture_output=True, text=True, timeout=120, check=False
    )


# -- nnviz render --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_render_draws_infinite_and_nan_activations(tmp_path, suffix):
    """Before: `QColor` got NaN inside the paint, then a segfault (exit 139). Neuron 1.1 is inf, 1.2 is
    -inf, the output inf + (-inf) = NaN."""
    out = tmp_path / f"out{suffix}"
    result = _nnviz("render", str(_overflowing(tmp_path)), "-o", str(out), "--input", "5,5")
    assert (result.returncode, result.stderr) == (0, "")
    assert out.stat().st_size > 0


def test_render_with_a_negative_image_shape_ends_cleanly(tmp_path):
    """Before: "can only specify one unknown dimension", then `QPaintDevice: Cannot destroy paint device that
    is being painted` and a segfault. A shape that is not two positive whole numbers is not an image."""
    path = _project_file(
        tmp_path,
        [[[1, 1], [1, 1]], [[1, 1]]],
        [[0, 0], [0]],
        extra={"dataset": {"name": "x", "image_shape": [-1, -2]}},
    )
    result = _nnviz("render", str(path), "-o", str(tmp_path / "out.png"))
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_an_error_while_rendering_ends_the_painter_and_the_process_survives(tmp_path, suffix):
    """Whatever fails inside a render, the painter is ended first: the error comes out, not a segfault."""
    script = (
        "import nnviz.app.files.render as r\n"
        "from nnviz.core.network import Network\n"
        "def fail(*a): raise ZeroDivisionError('painted badly')\n"
        "r.paint_network = fail\n"
        "try:\n"
        f"    r.render_to_file(Network.create([2, 2, 1], seed=0), {str(tmp_path / ('o' + suffix))!r})\n"
        "except ZeroDivisionError as e:\n"
        "    print('caught', e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "caught painted badly" in result.stdout
    assert "QPaintDevice" not in result.stderr


# -- painters and paint events -------------------------------------------------------------------------------
def test_painting_ends_its_painter_on_an_exception(qtbot):
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    with pytest.raises(ZeroDivisionError), painting(image) as painter:
        raise ZeroDivisionError
    assert not painter.isActive()


def test_guarded_paint_reports_an_exception_instead_of_letting_it_into_qt(qtbot, monkeypatch):
    reported = []
    monkeypatch.setattr(sys, "excepthook", lambda *info: reported.append(info[0]))

    class Broken(QWidget):
        @guarded_paint
        def paintEvent(self, event):
            with painting(self):
                raise ZeroDivisionError

    widget = Broken()
    qtbot.addWidget(widget)
    widget.grab()  # paints; before, the exception came out of grab() through Qt's frames
    assert reported == [ZeroDivisionError]


# -- the canvas's paint functions, fuzzed -------------------------------------------------------------------
_values = st.sampled_from([*EXTREMES, np.inf, -np.inf, np.nan])
_finite = st.sampled_from(EXTREMES)


@given(
    weights=st.lists(_finite, min_size=6, max_size=6),
    biases=st.lists(_finite, min_size=3, max_size=3),
    inputs=st.lists(_values, min_size=2, max_size=2),
    activation=st.sampled_from(
        ["identity", "sigmoid", "tanh", "relu", "softplus", "softsign", "swish", "step"]
    ),
)
def test_any_extreme_network_and_sample_paints_like_the_canvas(qapp, weights, biases, inputs, activation):
    """Render's paint (the edge layer, then the overlay) of any mix of extreme parameters and inputs
    (including inf and NaN inputs, which only a trace can hold) finishes, painter ended."""
    from nnviz.app.files.render import paint_network

    net = Network(
        [np.array(weights[:4]).reshape(2, 2), np.array(weights[4:]).reshape(1, 2)],
        [np.array(biases[:2]), np.array(biases[2:])],
        [activation, "identity"],
    )
    trace = net.trace(np.array([inputs]))
    image = QImage(320, 200, QImage.Format.Format_ARGB32_Premultiplied)
    with painting(image) as painter:
        paint_network(painter, net, None, trace, 320, 200)
    assert not painter.isActive()


# -- the window ---------------------------------------------------------------------------------------------
def _every_selection(net: Network) -> list[Selection]:
    out = [Selection.whole_layer(k) for k in range(len(net.sizes))]
    out += [Selection.neuron(k, j) for k, n in enumerate(net.sizes) for j in range(n)]
    out += [
        Selection.edge(k, j, i)
        for k, w in enumerate(net.weights)
        for j in range(w.shape[0])
        for i in range(w.shape[1])
    ]
    return out


def _paint_everything(win: MainWindow) -> None:
    """Paint the window and every dock, shown or tabbed away (a hidden tab paints when grabbed)."""
    win.grab()
    for dock in win.findChildren(QDockWidget):
        dock.widget().grab()
    QApplication.processEvents()


_EXTREME_ROWS = [[HUGE, -HUGE], [TINY, 0.0], [-HUGE, HUGE], [1.0, 2.0]]
CASES = {
    "inf and nan activations": ("overflow", [5.0, 5.0]),
    "subnormal parameters": ("subnormal", [TINY, -TINY]),
    "huge inputs": ("plain", [HUGE, -HUGE]),
    # data at the float limit: the preview, the decision map's plane and points, the prediction plot
    "huge regression data": ("regression data", [HUGE, -HUGE]),
    "huge classification data": ("classification data", [HUGE, -HUGE]),
}


def _case_project(tmp_path: Path, kind: str) -> Project:
    if kind == "overflow":
        return load_project(_overflowing(tmp_path))
    value = TINY if kind == "subnormal" else 1.0
    extra = {}
    if kind.endswith("data"):
        task = kind.split(maxsplit=1)[0]
        y = [HUGE, -HUGE, TINY, 0.0] if task == "regression" else [0, 1, 1, 0]
        extra["dataset"] = {"kind": "inline", "task": task, "x": _EXTREME_ROWS, "y": y}
        extra["history"] = {"epoch": [1, 2, 3, 4], "loss": [HUGE, TINY, 0.0, 1e300]}
    path = _project_file(
        tmp_path,
        [[[value, -value], [value, value]], [[-value, value]]],
        [[value, -value], [value]],
        ("sigmoid", "sigmoid" if kind.startswith("classification") else "identity"),
        extra=extra,
    )
    return load_project(path)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_window_shows_extreme_values_through_every_view(qtbot, tmp_path, case):
    """Before: the first paint of the overflowing network crashed the window (exit 139); selecting a neuron
    with a bias ≥ ~9e307 raised OverflowError in the inspector. Now every selection, every step of the
    pass and every dock paints, and the numbers read inf / nan where they are."""
    kind, sample = CASES[case]
    session = Session(_case_project(tmp_path, kind))
    win = MainWindow(session)
    win.show()
    qtbot.waitExposed(win)
    try:
        session.set_input(sample)
        _paint_everything(win)
        for selection in _every_selection(session.network):
            session.set_selection(selection)
            win.canvas.describe(selection)
            _paint_everything(win)
        session.set_selection(Selection.neuron(1, 0))
        while session.stepper.position < len(session.stepper.steps):
            session.step_neuron()
            _paint_everything(win)
        if kind == "overflow":
            assert "z = inf" in win.canvas.describe(Selection.neuron(1, 0))
            assert "a = nan" in win.canvas.describe(Selection.neuron(2, 0))  # inf + (-inf)
            assert "inf" in win.math_panel.toPlainText() or "nan" in win.math_panel.toPlainText()
            session.set_selection(Selection.neuron(1, 0))
            assert win.inspector.bias_editor.spin.text() == "1e+308"
        if kind == "plain":  # the huge sample, as typed (the box clamped to ±1e6)
            assert [spin.text() for spin in win.input_panel.spins] == ["1e+308", "-1e+308"]
    finally:
        session.undo_stack.setClean()
        win.close()
        win.deleteLater()


# -- item 10: what used to raise in the window ------------------------------------------------------------
@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (lambda d: d["network"]["layers"][1].update(activation={"name": "sigmoid", "slope": "BIG"}), "slope"),
        (lambda d: d.update(scaler={"method": "standard", "offset": ["BIG", 0], "scale": [1, 1]}), "offset"),
        (lambda d: d.update(dataset={"kind": "builtin", "name": ["xor"]}), "dataset.name"),
    ],
)
def test_a_file_the_window_cannot_show_opens_the_default_with_the_reason(tmp_path, edit, key):
    """Before: 10^400 as a slope or scaler value raised OverflowError past `open_project` (the window did not
    open at all); a list as dataset.name raised TypeError in the data panel."""
    from nnviz.app.main import open_project

    doc = json.loads(_overflowing(tmp_path).read_text())
    edit(doc)
    path = tmp_path / "odd.nnviz"
    path.write_text(json.dumps(doc).replace('"BIG"', "1" + "0" * 400))
    project, opened, error = open_project(str(path))
    assert opened is None
    assert key in error
    assert project.network is not None


@pytest.mark.parametrize("loss", [5, "abc", {"a": 1}])
def test_the_window_opens_a_history_whose_loss_is_not_a_list(qtbot, tmp_path, loss):
    """Before: `TypeError: object of type 'int' has no len()` while the window was being built."""
    plain = [[[1.0, 1.0], [1.0, 1.0]], [[1.0, 1.0]]], [[0.0, 0.0], [0.0]]
    session = Session(
        load_project(_project_file(tmp_path, *plain, extra={"history": {"loss": loss, "step": "x"}}))
    )
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    _paint_everything(win)
    session.undo_stack.setClean()


@pytest.mark.parametrize(
    "arrays",
    [
        {"X": np.zeros((0, 2)), "y": np.zeros(0)},  # no rows
        {"X": np.zeros((3, 0)), "y": np.zeros(3)},  # no features
        {"X.txt": b"not an array", "y.txt": b"nor this"},  # no .npy members
    ],
    ids=["0 rows", "0 features", "no npy members"],
)
def test_an_npz_without_data_dropped_on_the_window_is_explained(qtbot, tmp_path, monkeypatch, arrays):
    import zipfile

    from PySide6.QtWidgets import QMessageBox

    from tests.app.dropping import drop

    path = tmp_path / "empty.npz"
    if "X" in arrays:
        np.savez(path, **arrays)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in arrays.items():
                archive.writestr(name, data)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    session = Session(
        load_project(_project_file(tmp_path, [[[1.0, 1.0], [1.0, 1.0]], [[1.0, 1.0]]], [[0.0, 0.0], [0.0]]))
    )
    win = MainWindow(session)
    qtbot.addWidget(win)
    drop(win, path)
    assert len(warned) == 1
    assert "empty.npz" in warned[0]
    assert session.dataset is None
    session.undo_stack.setClean()


@pytest.mark.parametrize(
    ("low", "high"),
    [(-HUGE, HUGE), (-np.inf, np.inf), (HUGE, HUGE), (-TINY, TINY), (np.nan, 1.0), (-np.inf, -np.inf)],
)
def test_a_followed_range_is_finite_and_wide_enough_to_draw(low, high):
    """Before: (-1e308, 1e308) gave (-inf, inf): pyqtgraph's setRange and NumPy's histogram raised."""
    from nnviz.app.plots.axis_range import MIN_VIEW_SPAN, follow_range

    lo, hi = follow_range(None, low, high)
    assert np.isfinite([lo, hi, hi - lo]).all()
    assert hi - lo >= MIN_VIEW_SPAN


# -- the window, fuzzed -------------------------------------------------------------------------------------
def test_any_extreme_network_through_the_whole_window(qtbot, tmp_path):
    """One window, many projects (hypothesis; 30 examples by default, bounded by the profile): any mix of
    extreme parameters, activations, a finite extreme sample and target, any selection, the whole forward and
    backward pass stepped; every dock painted after each. pytest-qt fails the test on any exception reaching
    sys.excepthook (guarded_paint sends paint errors there), and NumPy warnings raised in nnviz are errors."""
    from hypothesis import settings

    session = Session(load_project(_overflowing(tmp_path)))
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)

    @settings(
        deadline=None,
        max_examples=int(os.environ.get("EXTREME_WINDOW_EXAMPLES", "0")) or settings.default.max_examples,
    )
    @given(
        weights=st.lists(_finite, min_size=6, max_size=6),
        biases=st.lists(_finite, min_size=3, max_size=3),
        sample=st.lists(_finite, min_size=2, max_size=2),
        target=_finite,
        hidden=st.sampled_from(["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "swish"]),
        output=st.sampled_from(["identity", "sigmoid", "tanh"]),
        pick=st.integers(0, 100),
    )
    def run(weights, biases, sample, target, hidden, output, pick):
        net = Network(
            [np.array(weights[:4]).reshape(2, 2), np.array(weights[4:]).reshape(1, 2)],
            [np.array(biases[:2]), np.array(biases[2:])],
            [hidden, output],
        )
        session.set_project(Project(net))
        session.set_input(sample)
        session.set_target([target])
        choices = _every_selection(net)
        session.set_selection(choices[pick % len(choices)])
        win.canvas.describe(choices[pick % len(choices)])
        _paint_everything(win)
        session.run_to_end()
        _paint_everything(win)
        shown = win.canvas.describe(Selection.neuron(2, 0))  # inf and nan written as such
        assert f"a = {float(session.trace.output[0, 0]):.6g}" in shown

    try:
        run()
    finally:
        session.undo_stack.setClean()
