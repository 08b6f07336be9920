"""The lesson file (`.nnlesson`, TOML): read and check it completely before anything is shown.

docs/lessons.md documents the format for teachers. Everything a lesson names is checked here, without Qt:
every key of every action and goal, each value's type, the examples it opens, and the neurons, weights and
layers it points at (against the network of the lesson's project, or of the example a step opened last), so
that a broken file is refused with one line "FILE: step N: what is wrong" instead of failing mid-lesson.

Indices in a lesson are the ones the app shows: layer ℓ (0 = the inputs), neuron j and weight W⁽ℓ⁾ⱼᵢ (from
neuron i of layer ℓ−1 to neuron j of layer ℓ) counted from 1. `neuron_at` and `weight_at` turn them into the
arrays' indices.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nnviz.core.activations import ActivationError, get_activation
from nnviz.core.document import DocumentError, load_project
from nnviz.core.examples import list_examples, load_example
from nnviz.core.names import Symbol
from nnviz.core.numbers import is_finite_number, is_whole
from nnviz.lessons.text import TextError, check_text

FORMAT = "nnviz-lesson"
VERSION = 1
SUFFIX = ".nnlesson"
EXAMPLE_PREFIX = "example:"

#: lesson panel names -> the main window's dock object names
PANELS = {
    "input": "input", "output": "output", "inspector": "inspector", "activation": "activation",
    "single_neuron": "single_neuron", "stepper": "step_through", "math": "math", "training": "training",
    "loss": "loss", "data": "data", "architecture": "architecture", "decision_map": "decision_map",
    "neuron_maps": "neuron_maps", "confusion": "confusion", "predicted_vs_true": "predicted_vs_true",
    "weights": "weights",
}  # fmt: skip
SPLITS = ("test", "training")

# Each action and goal: its keys -> (the kind of value, required). A goal's kind is the key that names it.
_Fields = dict[str, tuple[str, bool]]
_BOUNDS: _Fields = {"min": ("number", False), "max": ("number", False)}
ACTIONS: dict[str, _Fields] = {
    "open_example": {"name": ("example", True)},
    "select": {"neuron": ("neuron", False), "weight": ("weight", False), "layer": ("layer", False)},
    "highlight": {"panel": ("panel", True)},
    "set_weight": {"weight": ("weight", True), "value": ("number", True)},
    "set_bias": {"neuron": ("unit", True), "value": ("number", True)},
    "set_activation": {"layer": ("weighted_layer", True), "activation": ("activation", True)},
    "set_input": {"values": ("inputs", True)},
    "train": {"run": ("bool", True)},
    "predict_first": {"on": ("bool", True)},
}
GOALS: dict[str, _Fields] = {
    "weight": {"weight": ("weight", True), **_BOUNDS},
    "bias": {"bias": ("unit", True), **_BOUNDS},
    "output": {"output": ("output", True), **_BOUNDS},
    "accuracy": {"accuracy": ("fraction", True), "on": ("split", False)},
    "loss": {"loss": ("positive", True), "on": ("split", False), "within_epochs": ("whole", False)},
    "hidden_neurons_at_most": {"hidden_neurons_at_most": ("whole", True)},
    "stepped_to": {"stepped_to": ("unit", True)},
    "activation": {"activation": ("activation", True), "layer": ("weighted_layer", True)},
    "epochs_at_least": {"epochs_at_least": ("whole", True)},
}


class LessonError(ValueError):
    """A lesson file that cannot be used; the message is one line, "FILE: step N: what is wrong"."""


@dataclass(frozen=True)
class Action:
    """Something a step does when it is entered, e.g. `do = "select", neuron = [1, 2]`."""

    do: str
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Condition:
    """One check of a goal, e.g. kind "weight" with args {"weight": [1, 1, 1], "min": 1.5}."""

    kind: str
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Goal:
    """What the student must reach: every condition at once. `say` is the line shown beside the check mark."""

    conditions: tuple[Condition, ...]
    say: str


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    actions: tuple[Action, ...] = ()
    goal: Goal | None = None


@dataclass(frozen=True)
class Lesson:
    path: str
    title: str
    summary: str
    project: str  # "example:NAME" or a path relative to the lesson file
    steps: tuple[Step, ...]

    @property
    def example(self) -> str | None:
        """The example the lesson opens, or None when it opens a file of its own (`project_path`)."""
        return self.project.removeprefix(EXAMPLE_PREFIX) if self.project.startswith(EXAMPLE_PREFIX) else None

    @property
    def project_path(self) -> Path:
        """The project file a lesson of a teacher's own opens, relative to the lesson file."""
        return Path(self.path).parent / self.project


def neuron_at(value: list[int]) -> tuple[int, int]:
    """[ℓ, j] as (layer, j) with j counted from 0."""
    return value[0], value[1] - 1


def weight_at(value: list[int]) -> tuple[int, int, int]:
    """[ℓ, j, i] as (k, j, i) of `weights[k][j, i]`."""
    return value[0] - 1, value[1] - 1, value[2] - 1


def load(path: str | Path) -> Lesson:
    """Read and check the lesson at `path`; raises LessonError with the file and step in its one line."""
    path = str(path)
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except OSError as exc:
        raise LessonError(f"{path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise LessonError(f"{path}: not a valid TOML file: {exc}") from None
    except UnicodeDecodeError:
        raise LessonError(f"{path}: not a text file (UTF-8)") from None
    try:
        return _Reader(path).lesson(data)
    except _Problem as problem:
        raise LessonError(f"{path}: {problem}") from None


class _Problem(ValueError):
    """What is wrong, without the file name (added by `load`)."""


class _Reader:
    """Checks a parsed lesson top to bottom, following the network the steps will be shown on."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.sizes: list[int] | None = None  # the layer sizes of the network the current step shows

    def lesson(self, data: dict[str, Any]) -> Lesson:
        _known(data, ("format", "version", "title", "summary", "project", "steps"), "the lesson")
        if data.get("format") != FORMAT:
            raise _Problem(f'not a lesson file: it needs format = "{FORMAT}" at the top')
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise _Problem(f"version must be a whole number (this nnviz reads version {VERSION})")
        if version > VERSION:
            raise _Problem(f"version {version} is newer than this nnviz reads ({VERSION}): update nnviz")
        title = _text(data, "title", "the lesson")
        summary = _text(data, "summary", "the lesson", required=False)
        project = _text(data, "project", "the lesson")
        self.sizes = self._project_sizes(project)
        steps = data.get("steps")
        if not isinstance(steps, list) or not steps or not all(isinstance(s, dict) for s in steps):
            raise _Problem("a lesson needs at least one [[steps]] table")
        checked = []
        for number, step in enumerate(steps, start=1):
            try:
                checked.append(self.step(step))
            except _Problem as problem:
                raise _Problem(f"step {number}: {problem}") from None
        return Lesson(self.path, title, summary, project, tuple(checked))

    def _project_sizes(self, project: str) -> list[int]:
        if project.startswith(EXAMPLE_PREFIX):
            return self._example_sizes(project.removeprefix(EXAMPLE_PREFIX))
        file = Path(self.path).parent / project
        try:
            return load_project(file).network.sizes
        except (DocumentError, OSError, ValueError) as exc:
            raise _Problem(f"project {project!r} cannot be opened: {exc}") from None

    @staticmethod
    def _example_sizes(name: str) -> list[int]:
        if name not in list_examples():
            raise _Problem(f"no example named {name!r}; examples: {', '.join(list_examples())}")
        return load_example(name).network.sizes

    def step(self, step: dict[str, Any]) -> Step:
        _known(step, ("title", "text", "actions", "goal"), "the step")
        title = _text(step, "title", "the step")
        text = _text(step, "text", "the step")
        try:
            check_text(text)
        except TextError as exc:
            raise _Problem(f"text: {exc}") from None
        actions = step.get("actions", [])
        if not isinstance(actions, list):
            raise _Problem('actions must be a list of tables, e.g. [ { do = "select", layer = 1 } ]')
        done = tuple(self.action(a, n) for n, a in enumerate(actions, start=1))
        goal = step.get("goal")
        return Step(title, text, done, None if goal is None else self.goal(goal))

    def action(self, action: Any, number: int) -> Action:
        if not isinstance(action, dict) or not isinstance(action.get("do"), str):
            raise _Problem(f'action {number}: needs do = "NAME" (one of {", ".join(ACTIONS)})')
        name = action["do"]
        where = f"action {number} ({name})"
        if name not in ACTIONS:
            raise _Problem(f"{where}: unknown action; known: {', '.join(ACTIONS)}")
        args = {k: v for k, v in action.items() if k != "do"}
        self.fields(args, ACTIONS[name], where)
        if name == "select" and len(args) != 1:
            raise _Problem(f"{where}: select exactly one of neuron, weight or layer")
        if name == "open_example":
            self.sizes = self._example_sizes(args["name"])
        return Action(name, args)

    def goal(self, goal: Any) -> Goal:
        if not isinstance(goal, dict):
            raise _Problem("goal must be a table, e.g. { weight = [1, 1, 1], min = 1.5 }")
        say = _text(goal, "say", "the goal", required=False)
        rest = {k: v for k, v in goal.items() if k not in ("say", "and")}
        parts = goal.get("and", [])
        if not isinstance(parts, list) or not all(isinstance(p, dict) for p in parts):
            raise _Problem("goal: and must be a list of goal tables")
        tables = [rest, *parts] if rest else parts
        if not tables:
            raise _Problem(f"goal: says nothing to check; goals: {', '.join(GOALS)}")
        conditions = tuple(self.condition(t) for t in tables)
        return Goal(conditions, say or "; ".join(map(describe, conditions)))

    def condition(self, table: dict[str, Any]) -> Condition:
        kinds = [k for k in GOALS if k in table]
        if len(kinds) != 1:
            found = f"{' and '.join(kinds)} in one table (use and = [...])" if kinds else "no known goal"
            raise _Problem(f"goal: {found}; goals: {', '.join(GOALS)}")
        kind = kinds[0]
        self.fields(table, GOALS[kind], f"goal ({kind})")
        if kind in ("weight", "bias", "output"):
            low, high = table.get("min"), table.get("max")
            if low is None and high is None:
                raise _Problem(f"goal ({kind}): give min, max or both")
            if low is not None and high is not None and low > high:
                raise _Problem(f"goal ({kind}): min {low} is above max {high}")
        return Condition(kind, dict(table))

    def fields(self, args: dict[str, Any], spec: _Fields, where: str) -> None:
        for key in args:
            if key not in spec:
                raise _Problem(f"{where}: unknown key {key!r}; it takes {', '.join(spec)}")
        for key, (kind, required) in spec.items():
            if key not in args:
                if required:
                    raise _Problem(f"{where}: {key} is missing")
                continue
            problem = _VALUES[kind](args[key], self.sizes)
            if problem:
                raise _Problem(f"{where}: {key} = {_show(args[key])}: {problem}")


def describe(condition: Condition) -> str:
    """A condition in words, for a goal without `say`."""
    a = condition.args
    span = " and ".join(
        f"{word} {a[key]:g}" for key, word in (("min", "at least"), ("max", "at most")) if key in a
    )
    match condition.kind:
        case "weight":
            ell, j, i = a["weight"]
            pair = f"{j},{i}" if j > 9 or i > 9 else f"{j}{i}"  # as the app writes W⁽ℓ⁾ⱼᵢ
            return f"{Symbol('W', pair, f'({ell})')} {span}"
        case "bias":
            ell, j = a["bias"]
            return f"{Symbol('b', str(j), f'({ell})')} {span}"
        case "output":
            return f"output {a['output']} {span}"
        case "accuracy":
            return f"{a.get('on', 'test')} accuracy at least {a['accuracy']:.0%}"
        case "loss":
            within = f" within {a['within_epochs']} epochs" if "within_epochs" in a else ""
            return f"{a.get('on', 'test')} loss at most {a['loss']:g}{within}"
        case "hidden_neurons_at_most":
            return f"at most {a['hidden_neurons_at_most']} hidden neurons"
        case "stepped_to":
            return f"step to neuron {a['stepped_to'][1]} of layer {a['stepped_to'][0]}"
        case "activation":
            return f"layer {a['layer']} uses {a['activation']}"
    return f"at least {a['epochs_at_least']} epochs of training"


# -- values: each check returns "" or what is wrong ----------------------------------------------------------
def _indices(v: Any, n: int) -> str:
    if not isinstance(v, list) or len(v) != n or not all(map(is_whole, v)):
        return f"expected {n} whole numbers in brackets"
    return ""


def _in(value: int, low: int, high: int, what: str) -> str:
    return "" if low <= value <= high else f"{what} {value} does not exist (there are {low}-{high})"


def _neuron(v: Any, sizes: list[int] | None, first: int = 0) -> str:
    problem = _indices(v, 2)
    if problem or sizes is None:
        return problem and problem + ": [layer, neuron]"
    ell, j = v
    return _in(ell, first, len(sizes) - 1, "layer") or _in(j, 1, sizes[ell], f"layer {ell}'s neuron")


def _weight(v: Any, sizes: list[int] | None) -> str:
    problem = _indices(v, 3)
    if problem or sizes is None:
        return problem and problem + ": [layer, to neuron, from neuron]"
    ell, j, i = v
    return (
        _in(ell, 1, len(sizes) - 1, "layer")
        or _in(j, 1, sizes[ell], f"layer {ell}'s neuron")
        or _in(i, 1, sizes[ell - 1], f"layer {ell - 1}'s neuron")
    )


def _layer(v: Any, sizes: list[int] | None, first: int = 0) -> str:
    if not is_whole(v):
        return "expected a layer number"
    return "" if sizes is None else _in(v, first, len(sizes) - 1, "layer")


def _output(v: Any, sizes: list[int] | None) -> str:
    if not is_whole(v):
        return "expected an output neuron number"
    return "" if sizes is None else _in(v, 1, sizes[-1], "output neuron")


def _activation(v: Any, _sizes: Any) -> str:
    if not isinstance(v, (str, dict)):
        return 'expected an activation name such as "relu"'
    try:
        get_activation(v)
    except ActivationError as exc:
        return str(exc)
    return ""


def _inputs(v: Any, sizes: list[int] | None) -> str:
    if not isinstance(v, list) or not all(map(is_finite_number, v)):
        return "expected a list of numbers"
    return "" if sizes is None or len(v) == sizes[0] else f"the network takes {sizes[0]} inputs"


def _example(v: Any, _sizes: Any) -> str:
    known = list_examples()
    return "" if v in known else f"no such example; examples: {', '.join(known)}"


def _check(ok: Callable[[Any], bool], what: str) -> Callable[[Any, Any], str]:
    return lambda v, _sizes: "" if ok(v) else f"expected {what}"


_VALUES: dict[str, Callable[[Any, list[int] | None], str]] = {
    "neuron": _neuron,
    "unit": lambda v, sizes: _neuron(v, sizes, first=1),
    "weight": _weight,
    "layer": _layer,
    "weighted_layer": lambda v, sizes: _layer(v, sizes, first=1),
    "output": _output,
    "number": _check(is_finite_number, "a number"),
    "positive": _check(lambda v: is_finite_number(v) and v > 0, "a positive number"),
    "fraction": _check(lambda v: is_finite_number(v) and 0 <= v <= 1, "a number from 0 to 1"),
    "whole": _check(lambda v: is_whole(v) and v >= 0, "a whole number"),
    "bool": _check(lambda v: isinstance(v, bool), "true or false"),
    "split": _check(lambda v: v in SPLITS, '"test" or "training"'),
    "panel": _check(lambda v: v in PANELS, "a panel: " + ", ".join(PANELS)),
    "example": _example,
    "activation": _activation,
    "inputs": _inputs,
}


def _known(table: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in keys:
            raise _Problem(f"{where}: unknown key {key!r}; it takes {', '.join(keys)}")


def _text(table: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = table.get(key, "" if not required else None)
    if not isinstance(value, str) or (required and not value.strip()):
        raise _Problem(f'{where} needs {key} = "..." (text)')
    return value.strip()


def _show(value: Any) -> str:
    text = repr(value).replace("'", '"').replace("True", "true").replace("False", "false")
    return text if len(text) <= 40 else text[:39] + "…"
