"""The main window: the canvas in the middle, docked panels around it, menus, toolbar and status bar.

The window wires views to the Session and does nothing else: every panel observes the Session on its own;
here the canvas is connected both ways (it is H5's widget and knows nothing of the Session).
"""

from __future__ import annotations

import gc
import os
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

from nnviz.app.canvas.widget import NetworkCanvas
from nnviz.app.edits.changes import ParameterChange
from nnviz.app.files.autosave import Autosaver
from nnviz.app.files.project_actions import ProjectActions
from nnviz.app.lessons.ui import LessonsUI
from nnviz.app.panels.architecture_panel import ArchitecturePanel
from nnviz.app.panels.dataset_panel import DatasetPanel
from nnviz.app.panels.input_panel import InputPanel
from nnviz.app.panels.inspector import Inspector
from nnviz.app.panels.math_panel import MathPanel
from nnviz.app.panels.math_text import selection_name
from nnviz.app.panels.neuron_view import NeuronView
from nnviz.app.panels.output_panel import OutputPanel
from nnviz.app.panels.stepper import StepControls
from nnviz.app.plots.activation_plot import ActivationPlot
from nnviz.app.session import Session
from nnviz.app.training.health import install_health_ui
from nnviz.app.training.history import HistoryRecorder
from nnviz.app.training.insight import install_insight_docks
from nnviz.app.training.ui import install_training_ui
from nnviz.app.window.accessibility import name_controls
from nnviz.app.window.busy import busy
from nnviz.app.window.icons import icon
from nnviz.app.window.keyboard import FieldKeys, shortcut_sheet_html
from nnviz.app.window.naming import naming_action, predict_first_action
from nnviz.app.window.presentation import PresentationMode
from nnviz.app.window.screen_fit import dock_sizes_for, make_docks_scroll
from nnviz.app.window.theme import THEMES, apply_theme, current_theme
from nnviz.core.document import DocumentError, load_project
from nnviz.core.threads import limit_blas_threads
from nnviz.lessons.format import SUFFIX as LESSON_SUFFIX

FILE_FILTER = "nnviz projects (*.nnviz);;All files (*)"
#: bump when the docks change, so a saved arrangement from an older layout is not restored over the new one
DOCK_STATE_VERSION = 6
# What the network computes over the input plane, tabbed in the right column (the decision map in front).
MAP_VIEWS = ("decision_map", "neuron_maps")
# What training measures, tabbed with the loss in the bottom row (loss in front): that row is the widest, so
# every tab's title is read in full even on a 1366×768 laptop.
RESULT_VIEWS = ("loss", "confusion", "predicted_vs_true", "weights")


class MainWindow(QMainWindow):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        limit_blas_threads()  # the GUI's products are small: see nnviz/core/threads.py
        self.session = session
        self._drag_gesture: object = None
        self.canvas = NetworkCanvas()
        self.setCentralWidget(self.canvas)
        self._make_actions()
        self.inspector = Inspector(session)
        self.step_controls = StepControls(session, self.step_actions, self.play_action)
        self.math_panel = MathPanel(session)
        self.input_panel = InputPanel(session)
        self.output_panel = OutputPanel(session)
        self.activation_plot = ActivationPlot(session)
        self.neuron_view = NeuronView(session)
        right, left, bottom = (
            Qt.DockWidgetArea.RightDockWidgetArea,
            Qt.DockWidgetArea.LeftDockWidgetArea,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self.docks = [
            self._dock("Input", self.input_panel, left),
            self._dock("Output", self.output_panel, left),
            self._dock("Inspector", self.inspector, right),
            self._dock("Activation", self.activation_plot, right),
            self._dock("Single neuron", self.neuron_view, right),
            self._dock("Step through", self.step_controls, bottom),
            self._dock("Math", self.math_panel, bottom),
        ]
        self._make_toolbar()
        self.training = install_training_ui(self, session, self.canvas)
        self.insights = install_insight_docks(self, session, self.training)
        self.health = install_health_ui(self, session, self.training)
        self.autosaver = Autosaver(session, self)
        self.presentation = PresentationMode(self, self.canvas)
        self._add_project_docks()
        self.project_ui = ProjectActions(self, session, self.canvas, self.confirm_discard, self.load)
        self.history = HistoryRecorder(session, self.training, self)
        self.lessons = LessonsUI(self)
        self._make_menus()
        make_docks_scroll(self)
        self._arrange_docks()
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self._connect_canvas()
        self.reading: dict[str, QWidget] = {}  # the user guide and the shortcut sheet, once opened
        self.field_keys = FieldKeys(self, [self.undo_action, self.redo_action], self.canvas)
        session.network_changed.connect(self._on_network_changed)
        session.selection_changed.connect(self._update_status)
        session.naming_changed.connect(self._update_status)
        session.undo_stack.cleanChanged.connect(self._update_title)
        self.setWindowIcon(QIcon.fromTheme("nnviz", self.windowIcon()))
        available = self.screen().availableGeometry().size()
        self.resize(available.boundedTo(QSize(1600, 1000)))
        if dock_sizes_for(available).maximized:  # the window manager fits the frame and title bar in
            self.setWindowState(Qt.WindowState.WindowMaximized)
        self._restore_settings()
        self._on_network_changed()
        self._frozen = False  # see showEvent
        self._naming = QTimer(self, singleShot=True, interval=0)  # panels rebuild fields on a new network
        self._naming.timeout.connect(lambda: name_controls(self))
        session.network_changed.connect(self._naming.start)
        name_controls(self)

    # -- construction ------------------------------------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.replace(" ", "_").lower())  # saveState needs names
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _add_project_docks(self) -> None:
        """The project's architecture and data, made after the training views (last in View's dock list)."""
        self.architecture_panel = ArchitecturePanel(self.session)
        self.data_panel = DatasetPanel(self.session, self.confirm_discard)
        self.docks += [
            self._dock("Architecture", self.architecture_panel, Qt.DockWidgetArea.RightDockWidgetArea),
            self._dock("Data", self.data_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
        ]

    def _arrange_docks(self) -> None:
        """The canvas gets the middle. Left: what goes in (input, training, data) over the output. Right: the
        inspector over the maps over the activation views. Bottom: the stepper, the maths and the loss curves
        (with the other training results in tabs) side by side, so the loss is in view while training. On a
        small screen the activation views join the output's tabs instead of taking a third row on the
        right. The first sizes depend on the screen (nnviz.app.window.screen_fit)."""
        sizes = dock_sizes_for(self.screen().availableGeometry().size())
        by_name = {dock.objectName(): dock for dock in self.findChildren(QDockWidget)}
        moved = ("inspector", "architecture", "activation", "single_neuron", *MAP_VIEWS, *RESULT_VIEWS[1:])
        right_column = [by_name[n] for n in moved if n in by_name]
        for dock in right_column:  # start afresh, whatever the installers arranged
            self.removeDockWidget(dock)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.splitDockWidget(by_name["inspector"], by_name["decision_map"], Qt.Orientation.Vertical)
        groups = [("input", "training", "data"), ("inspector", "architecture"), MAP_VIEWS, RESULT_VIEWS]
        groups.append(("math", "runs"))  # the runs table beside the loss curves its ticks overlay
        if sizes.activation_with_output:  # a short screen: two rows on the right, not three
            groups.append(("output", "activation", "single_neuron"))
        else:
            self.splitDockWidget(by_name["decision_map"], by_name["activation"], Qt.Orientation.Vertical)
            groups.append(("activation", "single_neuron"))
        self.splitDockWidget(by_name["step_through"], by_name["math"], Qt.Orientation.Horizontal)
        self.splitDockWidget(by_name["math"], by_name["loss"], Qt.Orientation.Horizontal)
        for first, *others in groups:
            for name in others:
                if name in by_name:
                    self.tabifyDockWidget(by_name[first], by_name[name])
            by_name[first].raise_()
        for dock in right_column:
            dock.show()
        horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
        self.resizeDocks([by_name["input"], by_name["inspector"]], [sizes.left, sizes.right], horizontal)
        self.resizeDocks([by_name["step_through"]], [sizes.bottom], vertical)
        bottom_row = [by_name[n] for n in ("step_through", "math", "loss")]
        self.resizeDocks(bottom_row, list(sizes.bottom_row), horizontal)
        stacked = [by_name[n] for n in ("inspector", "decision_map", "activation")][: len(sizes.right_column)]
        self.resizeDocks(stacked, list(sizes.right_column), vertical)

    def _action(self, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        action.setToolTip(f"{tip or text} ({action.shortcut().toString()})" if shortcut else tip or text)
        action.setStatusTip(tip or text)
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        s = self.session
        self.open_action = self._action("&Open…", self.open_file, QKeySequence.StandardKey.Open)
        self.save_action = self._action("&Save", self.save, QKeySequence.StandardKey.Save)
        self.save_as_action = self._action("Save &As…", self.save_as, QKeySequence("Ctrl+Shift+S"))
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.undo_action = s.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = s.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.fit_action = self._action("&Fit to window", self.canvas.fit_to_window, "F", "Fit the network")
        self.step_neuron_action = self._action("Step &neuron", s.step_neuron, "N", "Compute the next neuron")
        self.step_layer_action = self._action(
            "Step &layer", s.step_layer, "L", "Compute the rest of the layer"
        )
        self.run_action = self._action("Run to &end", s.run_to_end, "E", "Finish the pass")
        self.back_action = self._action("Step &back", s.step_back, "Backspace", "Undo the last step")
        self.reset_action = self._action("&Reset steps", s.reset_steps, "R", "Back to the start of the pass")
        self.play_action = self._action("&Play steps", lambda: None, "P", "Play the steps as an animation")
        self.play_action.setCheckable(True)
        self.step_actions = [
            self.step_neuron_action,
            self.step_layer_action,
            self.run_action,
            self.back_action,
            self.reset_action,
        ]
        self.about_action = self._action("&About nnviz", self.show_about)
        self.guide_action = self._action(
            "nnviz &user guide", self.show_user_guide, QKeySequence.StandardKey.HelpContents, "Read the guide"
        )
        self.shortcuts_action = self._action(
            "&Keyboard shortcuts", self.show_shortcuts, "Ctrl+/", "Every key and what it does"
        )

    def _make_menus(self) -> None:
        """Every menu from the actions the window and its features (training, health, presentation, the
        project's files) made: their order is here, and nothing else adds to the menus."""
        bar, files = self.menuBar(), self.project_ui
        menu = bar.addMenu("&File")
        menu.addAction(files.new_action)
        menu.addMenu(files.examples_menu)
        menu.addActions([self.open_action, self.save_action, self.save_as_action, files.revert_action])
        menu.addMenu(files.recent.menu)
        menu.addAction(files.import_csv_action)
        menu.addMenu(files.export_menu)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addAction(self.training.reinitialise_action)
        view = bar.addMenu("&View")
        self.naming_action = naming_action(self, self.session)
        self.predict_first_action = predict_first_action(self, self.session)
        view.addActions([self.fit_action, self.training.maps_action, self.health.toggle_action])
        view.addActions([self.naming_action, self.predict_first_action])
        self._add_theme_menu(view.addMenu("&Theme"))
        view.addAction(self.presentation.action)
        view.addMenu(self.presentation.size_menu)
        view.addSeparator()
        view.addActions([dock.toggleViewAction() for dock in self.findChildren(QDockWidget)])
        bar.addMenu("&Step").addActions([*self.step_actions, self.play_action])
        bar.addMenu("&Training").addActions(self.training.menu_actions)
        bar.addMenu(self.lessons.menu)
        bar.addMenu("&Help").addActions([self.guide_action, self.shortcuts_action, self.about_action])

    def _add_theme_menu(self, menu: QMenu) -> None:
        """System, light or dark: one choice, applied at once and remembered (nnviz.app.window.theme)."""
        group = QActionGroup(self)
        self.theme_actions = {}
        for name in THEMES:
            action = group.addAction(name.capitalize())
            action.setCheckable(True)
            action.setChecked(name == current_theme())
            action.setStatusTip("Follow the system's colours" if name == "system" else f"Use {name} colours")
            action.triggered.connect(lambda _=False, name=name: apply_theme(name))
            self.theme_actions[name] = action
        menu.addActions(group.actions())

    def _make_toolbar(self) -> None:
        """Icons with short texts. Undo and Redo keep their one-word text here (their menu entries say what
        they undo), so the buttons after them never move as the undo text changes."""
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action, name, short in (
            (self.open_action, "open", "Open"),
            (self.save_action, "save", "Save"),
            (self.undo_action, "undo", "Undo"),
            (self.redo_action, "redo", "Redo"),
            (self.fit_action, "fit", "Fit"),
            (self.step_neuron_action, "step", "Neuron"),
            (self.step_layer_action, "layer", "Layer"),
            (self.run_action, "end", "To end"),
            (self.back_action, "back", "Back"),
            (self.reset_action, "reset", "Reset"),
            (self.play_action, "play", "Play"),
        ):
            action.setIcon(icon(name))
            action.setIconText(short)
        toolbar.addActions([self.open_action, self.save_action, self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addAction(self.fit_action)
        toolbar.addSeparator()
        toolbar.addActions([*self.step_actions, self.play_action])

    def _connect_canvas(self) -> None:
        s, c = self.session, self.canvas
        s.parameters_changed.connect(self._on_parameters_changed)
        s.trace_changed.connect(lambda: c.set_trace(s.trace))
        s.step_changed.connect(self._on_step_changed)
        s.selection_changed.connect(c.set_selection)
        s.naming_changed.connect(lambda: setattr(c, "naming_scheme", s.naming_scheme))
        c.selection_requested.connect(s.set_selection)
        c.weight_dragged.connect(self._on_weight_dragged)
        c.weight_drag_finished.connect(self._on_weight_drag_finished)
        c.edit_requested.connect(self._edit_selection)

    # -- observing -----------------------------------------------------------------------------------------
    def _on_network_changed(self) -> None:
        s = self.session
        self.canvas.set_output_names(s.output_names)
        self.canvas.set_network(s.network, s.image_shape)
        self.canvas.set_trace(s.trace)
        self.canvas.set_selection(s.selection)
        self._on_step_changed()
        self.canvas.fit_to_window()
        self._update_title()
        self._update_status()

    def _on_parameters_changed(self, change: ParameterChange) -> None:
        """Redraw what the edit touched: one edge or neuron, or the whole network."""
        if change.kind == "everything":
            self.canvas.set_network(self.session.network, self.session.image_shape)
        else:
            self.canvas.parameter_edited(change.layer, *change.indices)

    def _on_step_changed(self) -> None:
        stepper = self.session.stepper
        step = stepper.current
        current = None if step is None or step.index is None else (step.layer, step.index)
        computed = None if stepper.position == 0 and not self.session.predict_first else stepper.computed
        self.canvas.set_step_state(computed, current, stepper.weight_gradients)

    def _update_title(self, clean: bool | None = None) -> None:
        """`clean` comes with the stack's signal, which also fires while the stack is being destroyed."""
        name = self.session.path or "untitled"
        self.setWindowTitle(f"{name}[*] — nnviz")
        self.setWindowModified(not (self.session.undo_stack.isClean() if clean is None else clean))

    def _update_status(self, *_: Any) -> None:
        s = self.session
        text = f"{s.network.describe()} · {s.network.n_parameters:,} parameters"
        if s.selection is not None:
            text += f" · {selection_name(s.selection, s.names)}"
        self.status.setText(text)

    def _edit_selection(self) -> None:
        """Enter on the canvas: the focus goes to the editor of what is selected (an input's value, a bias,
        a weight, a layer's table), in front in its dock."""
        sel, inspector = self.session.selection, self.inspector
        if sel is None:
            return
        panel: QWidget
        if sel.kind == "neuron" and sel.layer == 0:
            spins = self.input_panel.spins  # none for an image input: its pad is drawn on
            panel, editor = self.input_panel, spins[sel.index] if sel.index < len(spins) else None
        elif sel.kind == "layer":
            panel, editor = inspector, inspector.table
        else:
            panel = inspector
            editor = (inspector.weight_editor if sel.kind == "edge" else inspector.bias_editor).spin
        for dock in self.findChildren(QDockWidget):
            if dock.isAncestorOf(panel):
                dock.show()
                dock.raise_()
        if editor is not None:
            editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- canvas drags: one gesture, one undo step ----------------------------------------------------------
    def _on_weight_dragged(self, k: int, j: int, i: int, value: float) -> None:
        if self._drag_gesture is None:
            self._drag_gesture = object()
        self.session.edit_weight(k, j, i, value, self._drag_gesture)

    def _on_weight_drag_finished(self, k: int, j: int, i: int, _old: float, new: float) -> None:
        self.session.edit_weight(k, j, i, new, self._drag_gesture)
        self._drag_gesture = None

    # -- files ---------------------------------------------------------------------------------------------
    def open_file(self) -> None:
        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open project", "", FILE_FILTER)
        if path:
            self.load(path)

    def load(self, path: str) -> bool:
        """Open `path` (a project, or a lesson with its project); a bad file ends in a dialog and leaves the
        current document as it was."""
        if path.endswith(LESSON_SUFFIX):
            return self.lessons.open_lesson(path)
        try:
            with busy(self, f"Opening {os.path.basename(path)}…"):
                project = load_project(path)
        except (DocumentError, OSError, ValueError) as exc:
            QMessageBox.critical(self, "Cannot open project", f"{path}:\n{exc}")
            return False
        self.session.set_project(project, path)
        self.project_ui.restore_view()
        return True

    def save(self) -> bool:
        if self.session.path is None:
            return self.save_as()
        return self._write(self.session.path)

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "Save project", self.session.path or "", FILE_FILTER)
        if not path:
            return False
        if not path.endswith(".nnviz"):
            path += ".nnviz"
        return self._write(path)

    def _write(self, path: str) -> bool:
        try:
            with busy(self, f"Saving {os.path.basename(path)}…"):
                note = self.project_ui.write(path)
        except (DocumentError, OSError) as exc:
            QMessageBox.critical(self, "Cannot save project", f"{path}:\n{exc}")
            return False
        self.project_ui.recent.add(path)
        self.session.undo_stack.setClean()
        self._update_title()
        self.statusBar().showMessage(f"saved {path}" + (f"; {note}" if note else ""), 8000 if note else 4000)
        return True

    def confirm_discard(self) -> bool:
        """Ask before unsaved edits would be lost (opening or making another project, closing the window):
        True when there are none, or the user saved them or chose to discard them; False to stay."""
        if self.session.undo_stack.isClean():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "The network has unsaved changes. Save them first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def show_user_guide(self) -> None:
        from nnviz.app.window.guide import user_guide_dialog

        self._show_reading("guide", lambda: user_guide_dialog(self))

    def show_shortcuts(self) -> None:
        from nnviz.app.window.guide import shortcuts_dialog

        bar = self.menuBar().actions()
        sections = [(a.text().replace("&", ""), m.actions()) for a in bar if isinstance(m := a.menu(), QMenu)]
        self._show_reading("shortcuts", lambda: shortcuts_dialog(shortcut_sheet_html(sections), self))

    def _show_reading(self, kind: str, make: Any) -> None:
        """Reading windows are not modal (read while trying things); asked again, the open one comes up."""
        dialog = self.reading.get(kind)
        if dialog is None:
            dialog = self.reading[kind] = make()
        dialog.show()
        dialog.raise_()

    def show_about(self) -> None:
        from nnviz.app.window.about import show_about

        show_about(self)

    # -- settings --------------------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry, state = settings.value("window/geometry"), settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state, DOCK_STATE_VERSION)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Python's full garbage collection walks every object: with the window's ~80,000 (widgets, plot
        # items, modules) that is a 40 ms stall, which would land mid-frame while training. Objects alive
        # now live as long as the window; set them aside, so a full collection walks only newer ones.
        if not self._frozen:
            self._frozen = True
            gc.freeze()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_discard():
            event.ignore()
            return
        self.presentation.set_active(False)  # the user's own fonts and docks are what is remembered
        gc.unfreeze()  # the window's objects may be collected again (many windows open and close in tests)
        self._frozen = False
        self.step_controls.timer.stop()
        self.autosaver.stop()  # the user saved or chose to discard: nothing to recover
        self.training.shutdown()  # joins the training thread
        self.health.shutdown()  # and a health check still running on its thread
        self.canvas.close()  # children get no closeEvent of their own: this stops the canvas's render thread
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState(DOCK_STATE_VERSION))
        self.session.close()  # last: the undo history goes while its commands and views are all alive
        event.accept()
