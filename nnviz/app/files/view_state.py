"""The project file's `view` section from and onto the window: canvas zoom and pan, the selection, the
stepper's position and the loss plot's axis and scale (docs/file-format.md, "view").

Pan is stored as a fraction of the canvas's size, so a project opened in a window of another size shows the
same part of the network at the same zoom.
"""

from __future__ import annotations

from typing import Any

from nnviz.app.selection import Selection


def capture_view(window: Any) -> dict[str, Any]:
    """The window's view state as the project file's `view` object; keys this version does not know (in
    `view` and in `view.loss_plot`) are kept as the file had them."""
    canvas, session = window.canvas, window.session
    zoom, dx, dy = canvas.view
    view: dict[str, Any] = dict(session.project.view or {})
    view.update(
        zoom=zoom,
        pan=[dx / max(canvas.width(), 1), dy / max(canvas.height(), 1)],
        selection=_selection_to_json(session.selection),
        step=session.stepper.position,
    )
    plot = window.training.loss_plot
    view["loss_plot"] = {
        **(view.get("loss_plot") or {}),
        "x_axis": plot.x_axis.currentText(),
        "log_scale": plot.log_scale.isChecked(),
    }
    return view


def apply_view(window: Any, view: dict[str, Any] | None) -> None:
    """Show what `view` (checked by the document reader) describes; a missing key leaves that as it is."""
    if not view:
        return
    canvas, session = window.canvas, window.session
    if "zoom" in view or "pan" in view:
        fx, fy = view.get("pan", (0.0, 0.0))
        canvas.set_view(view.get("zoom", 1.0), fx * canvas.width(), fy * canvas.height())
    selection = view.get("selection")
    if selection is not None:
        session.set_selection(Selection(selection["kind"], selection["layer"], selection.get("index"),
                                        selection.get("source")))  # fmt: skip
    if "step" in view:
        session.go_to_step(view["step"])
    plot_state = view.get("loss_plot") or {}
    plot = window.training.loss_plot
    if "x_axis" in plot_state:
        plot.x_axis.setCurrentText(plot_state["x_axis"])
    if "log_scale" in plot_state:
        plot.log_scale.setChecked(plot_state["log_scale"])


def _selection_to_json(selection: Selection | None) -> dict[str, Any] | None:
    if selection is None:
        return None
    saved = {"kind": selection.kind, "layer": selection.layer}
    if selection.index is not None:
        saved["index"] = selection.index
    if selection.source is not None:
        saved["source"] = selection.source
    return saved
