"""The `nnviz` command: the window (no subcommand) or a headless subcommand, as docs/architecture.md
("Contracts") fixes them.

Each subcommand is a pair of functions, `_add_NAME(subparsers)` that declares its options and `cmd_NAME(args)`
that runs it; `SUBCOMMANDS` lists the `_add_*` functions, so a new subcommand is one function pair and one
table entry. Heavy modules (NumPy, the core, Qt) are imported inside the commands: `nnviz --version` must
stay instant. Every error a user can cause ends as one line `nnviz: error: ...` on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from nnviz import __version__
from nnviz.core.threads import DEFAULT_BLAS_THREADS

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as the shell reports a program that wrote into a closed pipe
DTYPES = ("float64", "float32")
NORMALIZE = ("none", "standard", "minmax")
DEFAULT_EPOCHS = 10
DEFAULT_TEST_FRACTION = 0.2
NUMBER_LIST_OPTIONS = ("--input", "--target")  # the options of type _numbers: their values may start with "-"


class CliError(Exception):
    """A user error: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse's own errors become CliError too, so they print like every other error (one line, exit 2)."""

    def error(self, message: str) -> NoReturn:
        raise CliError(message)


# -- option types: each raises ArgumentTypeError, which argparse turns into "argument --x: ..." -------------
def _number(text: str) -> float:
    from nnviz.core.number_input import read_float

    try:
        value = read_float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def _positive_number(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def _non_negative_number(text: str) -> float:
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {text}")
    return value


def _fraction(text: str) -> float:
    value = _number(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, got {text}")
    return value


def _whole(text: str, minimum: int) -> int:
    from nnviz.core.number_input import read_int

    try:
        value = read_int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
    return value


def _positive_int(text: str) -> int:
    return _whole(text, 1)


def _seed(text: str) -> int:
    return _whole(text, 0)


def _layer_sizes(text: str) -> list[int]:
    sizes = [_positive_int(part.strip()) for part in text.split(",")]
    if len(sizes) < 2:
        raise argparse.ArgumentTypeError("give at least an input and an output size, e.g. 2,4,1")
    return sizes


def _numbers(text: str) -> list[float]:
    return [_number(part.strip()) for part in text.split(",")]


def _names(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected comma-separated column names, got {text!r}")
    return names


def _key_value(text: str) -> tuple[str, str]:
    key, eq, value = text.partition("=")
    if not eq or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), value.strip()


def _activation(text: str) -> str | dict[str, Any]:
    """`tanh` or, with parameters, `sigmoid:slope=2` / `leaky_relu:alpha=0.1`."""
    name, _, params = text.partition(":")
    if not params:
        return name
    spec: dict[str, Any] = {"name": name}
    for item in params.split(","):
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise argparse.ArgumentTypeError(f"expected NAME:PARAM=VALUE, got {text!r}")
        spec[key.strip()] = _number(value)
    return spec


# -- subcommands --------------------------------------------------------------------------------------------
def _add_new(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="create a project with a freshly initialised network")
    p.add_argument("--layers", required=True, type=_layer_sizes, help="layer sizes, e.g. 2,4,4,1")
    p.add_argument("--activation", type=_activation, default="sigmoid", help="hidden layers (e.g. tanh)")
    p.add_argument("--output-activation", type=_activation, help="output layer (default: as --activation)")
    p.add_argument(
        "--maxout-pieces", type=int, metavar="K", help="linear pieces per maxout neuron (2-16; default 2)"
    )
    p.add_argument("--init", default="auto", help="auto, xavier, he or uniform")
    p.add_argument("--seed", type=_seed, help="the same seed gives the same weights")
    p.add_argument("--dtype", choices=DTYPES, default="float64")
    p.add_argument("-o", "--output", required=True, help="the .nnviz file to write")
    p.set_defaults(run=cmd_new)


def cmd_new(args: argparse.Namespace) -> int:
    from nnviz.core.document import Project, save_project
    from nnviz.core.network import Network

    hidden, output = (_with_pieces(a, args.maxout_pieces) for a in (args.activation, args.output_activation))
    if args.maxout_pieces is not None and "maxout" not in (_name_of(hidden), _name_of(output)):
        raise CliError("--maxout-pieces needs --activation maxout or --output-activation maxout")
    net = Network.create(args.layers, hidden, output, args.init, args.seed, args.dtype)
    save_project(Project(net), args.output)
    print(f"wrote {args.output}: {net.describe()}, parameters: {net.n_parameters}")
    return 0


def _name_of(spec: str | dict[str, Any] | None) -> str | None:
    return spec["name"] if isinstance(spec, dict) else spec


#: an activation option as given: a name, an object, or none (the output layer's default)
_Spec = TypeVar("_Spec", str, dict[str, Any], None)


def _with_pieces(spec: _Spec, pieces: int | None) -> _Spec | dict[str, Any]:
    """A maxout activation given `--maxout-pieces K` gets K pieces; any other spec is returned as it is."""
    if pieces is None or _name_of(spec) != "maxout":
        return spec
    return {**(spec if isinstance(spec, dict) else {"name": spec}), "pieces": pieces}


def _add_info(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("info", help="print a project's architecture and parameter count")
    p.add_argument("file")
    p.add_argument(
        "--names",
        choices=("teaching", "general"),
        default="teaching",
        help="i1, h1, w1 (small networks) or the general layer/neuron form",
    )
    p.set_defaults(run=cmd_info)


def _describe_activation(spec: str | dict[str, Any]) -> str:
    if isinstance(spec, str):
        return spec
    return spec["name"] + "(" + ", ".join(f"{k}={v:g}" for k, v in spec.items() if k != "name") + ")"


def _span(first: str, last: str) -> str:
    """`h1…h4`, or `h1` alone."""
    return first if first == last else f"{first}…{last}"


def cmd_info(args: argparse.Namespace) -> int:
    from nnviz.core.document import load_project
    from nnviz.core.history import last_epoch
    from nnviz.core.names import Names

    project = load_project(args.file)
    net = project.network
    names = Names(net.sizes, args.names)
    print("layers: " + "-".join(map(str, net.sizes)))
    print(
        f"  layer 0: {net.sizes[0]} inputs ({_span(names.neuron(0, 0), names.neuron(0, net.sizes[0] - 1))})"
    )
    for k, (size, act) in enumerate(zip(net.sizes[1:], net.activations, strict=True), start=1):
        role = " (output)" if k == len(net.activations) else ""
        neurons = _span(names.neuron(k, 0), names.neuron(k, size - 1))
        weights = _span(names.weight(k, 0, 0).text, names.weight(k, size - 1, net.sizes[k - 1] - 1).text)
        print(
            f"  layer {k}: {size} neuron{'s' * (size != 1)}, {_describe_activation(act.to_json())}{role}"
            f" ({neurons}; weights {weights})"
        )
    print(f"parameters: {net.n_parameters}")
    print(f"dtype: {net.dtype}")
    if project.training is not None:
        print("training: " + ", ".join(f"{k}={v}" for k, v in project.training.to_json().items()))
    if project.scaler is not None:
        print(f"scaling: {project.scaler.method}")
    if project.dataset is not None:
        ref = project.dataset
        print(f"dataset: {ref.get('name') or ref.get('path') or ref.get('kind', 'inline data')}")
    history = project.history or {}
    losses = history.get("loss")
    if isinstance(losses, list) and losses:
        last = "n/a" if losses[-1] is None else f"{losses[-1]:.8g}"
        print(f"history: {last_epoch(history)} epochs, last loss {last}")
    for run in project.runs:
        span = f"epochs {run.epochs[0]}-{run.epochs[-1]}, " if run.checkpoints else ""
        print(f"run: {run.name} ({span}{len(run.checkpoints)} checkpoints)")
    for warning in project.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _add_forward(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forward", help="run one input through the network and print the outputs")
    p.add_argument("file")
    p.add_argument("--input", required=True, type=_numbers, help="raw input values, e.g. 0.05,0.10")
    p.add_argument("--json", action="store_true", help="print every layer's z and a as one JSON object")
    p.set_defaults(run=cmd_forward)


def cmd_forward(args: argparse.Namespace) -> int:
    import json

    from nnviz.core.document import load_project

    project = load_project(args.file)
    trace = project.network.trace(_network_input(project, args.input))
    output = trace.output[0].tolist()
    if args.json:
        layers = [
            {"z": _json_numbers(z[0]), "a": _json_numbers(a[0])}
            for z, a in zip(trace.z, trace.a, strict=True)
        ]
        print(json.dumps({"output": _json_numbers(trace.output[0]), "layers": layers}, allow_nan=False))
    else:
        print("output: " + " ".join(repr(v) for v in output))
        classes = (project.dataset or {}).get("class_names")
        if isinstance(classes, list) and len(classes) >= 2 and all(map(math.isfinite, output)):
            index = (
                int(output[0] > 0.5) if len(output) == 1 else max(range(len(output)), key=output.__getitem__)
            )
            if index < len(classes):
                print(f"class: {classes[index]}")
    return 0


def _json_numbers(values: Any) -> list[float | str]:
    """Values for `forward --json`: numbers, except that an overflowed value is the string "Infinity",
    "-Infinity" or "NaN" (JSON has no such numbers; Python's float() and JavaScript's Number() read these)."""
    return [_json_number(v) for v in values.tolist()]


def _json_number(v: float) -> float | str:
    if math.isfinite(v):
        return v
    return "NaN" if math.isnan(v) else "Infinity" if v > 0 else "-Infinity"


def _network_input(project: Any, values: list[float]) -> Any:
    """A raw `--input` as the network's one-sample batch: checked for length, scaled as in training."""
    n_inputs = project.network.sizes[0]
    if len(values) != n_inputs:
        raise CliError(f"--input has {len(values)} values; the network takes {n_inputs} inputs")
    return [values] if project.scaler is None else project.scaler.transform([values])


def _add_explain(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "explain", help="write out the forward pass, error, backward pass and update of one sample"
    )
    p.add_argument("file")
    p.add_argument("--input", required=True, type=_numbers, help="raw input values, e.g. 0.05,0.10")
    p.add_argument("--target", type=_numbers, help="target values: adds the error, backward pass and update")
    p.add_argument(
        "--lr",
        type=_positive_number,
        dest="learning_rate",
        metavar="X",
        help="learning rate of the update (default: the project's)",
    )
    p.add_argument("--format", choices=("text", "markdown", "html"), default="text")
    p.add_argument("--digits", type=int, choices=(4, 8), default=8, help="significant digits (default 8)")
    p.add_argument(
        "--names",
        choices=("teaching", "general"),
        default="teaching",
        help="i1, h1, w1 (small networks) or the general layer/neuron form",
    )
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.set_defaults(run=cmd_explain)


def cmd_explain(args: argparse.Namespace) -> int:
    from nnviz.cli_explain import explain

    return explain(args, _network_input)


def _add_train(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a project on a CSV file or a built-in dataset")
    p.add_argument("file")
    p.add_argument(
        "--data",
        help="a CSV file with a header, or a built-in dataset's name (default: the data the project names)",
    )
    p.add_argument("--targets", type=_names, help="target column(s) of the CSV, comma-separated")
    p.add_argument(
        "--data-param",
        type=_key_value,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a built-in dataset's parameter, e.g. noise=0.1 (repeatable)",
    )
    p.add_argument("--epochs", type=_positive_int, default=DEFAULT_EPOCHS, help=f"default {DEFAULT_EPOCHS}")
    # Options left unset come from the project's training section, then from TrainingConfig's defaults.
    p.add_argument("--lr", type=_positive_number, dest="learning_rate", metavar="X", help="learning rate")
    p.add_argument("--batch-size", type=_positive_int, metavar="N", help="samples per gradient step")
    p.add_argument("--optimizer", choices=("sgd", "momentum", "adam"))
    p.add_argument(
        "--loss",
        choices=("mse", "bce", "cross_entropy"),
        help="default: cross_entropy for a softmax output, else mse",
    )
    p.add_argument("--l1", type=_non_negative_number, metavar="X", help="L1 penalty on the weights")
    p.add_argument("--l2", type=_non_negative_number, metavar="X", help="L2 penalty on the weights")
    p.add_argument(
        "--test-fraction",
        type=_fraction,
        default=DEFAULT_TEST_FRACTION,
        metavar="F",
        help=f"rows held out for testing (default {DEFAULT_TEST_FRACTION})",
    )
    p.add_argument(
        "--normalize",
        choices=NORMALIZE,
        help="feature scaling fitted on the training rows (default: keep the project's, else none)",
    )
    p.add_argument("--dtype", choices=DTYPES, help="default: the project's (float64 unless saved otherwise)")
    p.add_argument("--seed", type=_seed, help="seeds the split, the shuffling and a built-in dataset")
    p.add_argument(
        "--no-shuffle",
        dest="shuffle",
        action="store_false",
        default=None,
        help="keep file order: for the split (last rows test) and for every epoch",
    )
    p.add_argument(
        "--threads",
        type=_positive_int,
        default=DEFAULT_BLAS_THREADS,
        metavar="N",
        help=f"BLAS threads for the matrix products (default {DEFAULT_BLAS_THREADS}: fastest for small "
        "networks and on a busy machine)",
    )
    p.add_argument("-o", "--output", required=True, help="the .nnviz file to write the trained project to")
    p.set_defaults(run=cmd_train)


def cmd_train(args: argparse.Namespace) -> int:
    from nnviz.cli_train import train

    return train(args)


def _add_render(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="draw the network as the canvas does, into a PNG or SVG file")
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True, help="the image to write: OUT.png or OUT.svg")
    p.add_argument("--width", type=_positive_int, default=1600, help="pixels (default 1600)")
    p.add_argument("--height", type=_positive_int, default=1000, help="pixels (default 1000)")
    p.add_argument("--input", type=_numbers, help="raw input values: neurons show this sample's pass")
    p.set_defaults(run=cmd_render)


def cmd_render(args: argparse.Namespace) -> int:
    from nnviz.app.files.render import render_to_file
    from nnviz.core.document import load_project

    project = load_project(args.file)
    x = None if args.input is None else _network_input(project, args.input)
    out = render_to_file(project, args.output, args.width, args.height, inputs=x)
    print(f"wrote {out} ({args.width}x{args.height})")
    return 0


def _add_replay(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="a training run as an animation, one frame per checkpoint (GIF or MP4)")
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True, help="the animation to write: OUT.gif or OUT.mp4")
    p.add_argument(
        "--run", dest="run_name", help="the run's name, as `nnviz info` lists them (default: the last run)"
    )
    p.add_argument("--fps", type=_positive_int, default=5, help="frames per second (default 5)")
    p.add_argument("--width", type=_positive_int, default=960, help="pixels (default 960)")
    p.add_argument("--height", type=_positive_int, default=540, help="pixels (default 540)")
    p.set_defaults(run=cmd_replay)


def cmd_replay(args: argparse.Namespace) -> int:
    import time

    from nnviz.app.files.replay import choose_run, replay_to_file
    from nnviz.core.dataset_ref import reference_to_dataset
    from nnviz.core.datasets import DatasetError
    from nnviz.core.document import load_project

    project = load_project(args.file)
    run = choose_run(project, args.run_name)
    data = None
    if project.dataset is not None:
        try:  # the decision map of a 2-input network needs the data; without it, the rest is drawn
            data = reference_to_dataset(project.dataset, Path(args.file).parent)
        except (DatasetError, OSError):
            print("nnviz: the project's data cannot be read: no decision map in the replay", file=sys.stderr)

    shown = [0.0]

    def progress(done: int, total: int) -> bool:
        if done == total or time.monotonic() - shown[0] >= 0.5:  # a line every half second at most
            print(f"frame {done}/{total}", file=sys.stderr, flush=True)
            shown[0] = time.monotonic()
        return True

    frames = replay_to_file(project, run, args.output, args.fps, args.width, args.height, data, progress)
    print(f"wrote {args.output} ({frames} frames of {run.name}, {args.fps} per second)")
    return 0


def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="write the model (ONNX), weights (NPZ) or training history (CSV) as File > Export does"
    )
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True, help="OUT.onnx, OUT.npz or OUT.csv (the suffix says)")
    p.add_argument(
        "--dtype", choices=DTYPES, default="float32", help="the ONNX model's precision (default float32)"
    )
    p.set_defaults(run=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    import numpy as np

    from nnviz.core.document import load_project
    from nnviz.core.export import export_project

    project = load_project(args.file)
    export_project(project, args.output, dtype=np.dtype(args.dtype).type)
    print(f"wrote {args.output}")
    return 0


def _add_datasets(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("datasets", help="list the built-in datasets, their parameters and default networks")
    p.add_argument("name", nargs="?", help="show only this dataset")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(run=cmd_datasets)


def cmd_datasets(args: argparse.Namespace) -> int:
    import json

    from nnviz.core.datasets.builtin import BUILTINS, get_spec

    specs = [get_spec(args.name)] if args.name else list(BUILTINS.values())
    for spec in specs:
        print(json.dumps(spec.to_json()) if args.json else spec.describe())
    return 0


def _add_lessons(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lessons", help="list the built-in lessons, or check lesson files (docs/lessons.md)")
    p.add_argument(
        "--check",
        nargs="*",
        metavar="FILE",
        help="check these .nnlesson files as the window would load them (none given: the built-in ones)",
    )
    p.set_defaults(run=cmd_lessons)


def cmd_lessons(args: argparse.Namespace) -> int:
    from nnviz.lessons.builtin import builtin_lesson_paths
    from nnviz.lessons.format import load

    if args.check is None:
        for number, path in enumerate(builtin_lesson_paths(), start=1):
            lesson = load(path)
            print(f"{number:2}  {lesson.title} ({len(lesson.steps)} steps)")
        return 0
    for path in args.check or builtin_lesson_paths():
        lesson = load(path)
        print(f"{path}: ok, {len(lesson.steps)} steps")
    return 0


# Each entry declares one subcommand's parser and sets `run` to its command function.
SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_new,
    _add_info,
    _add_forward,
    _add_explain,
    _add_train,
    _add_render,
    _add_replay,
    _add_export,
    _add_datasets,
    _add_lessons,
]


def build_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    parser = _Parser(
        prog="nnviz",
        usage="nnviz [-h] [--version] [FILE | SUBCOMMAND ...]",
        description="See and touch a neural network. With no subcommand, opens the window (on FILE, or on "
        "the default example).",
    )
    parser.add_argument("--version", action="version", version=f"nnviz {__version__}")
    sub = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    for add in SUBCOMMANDS:
        add(sub)
    return parser, sub


def _launch_window(args: Sequence[str]) -> int:
    if len(args) > 1:
        raise CliError(f"unrecognised arguments: {' '.join(args[1:])} (the window opens one FILE)")
    path = args[0] if args else None
    if path is not None and not Path(path).is_file():
        raise CliError(f"{path}: no such file (and not a subcommand; see nnviz --help)")
    from nnviz.app.main import run

    return run(path)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0, or 2 after a one-line error on stderr)."""
    args = _negative_lists_glued(list(sys.argv[1:] if argv is None else argv))
    parser, sub = build_parser()
    try:
        if not args or (not args[0].startswith("-") and args[0] not in sub.choices):
            return _launch_window(args)
        ns = parser.parse_args(args)
        if not hasattr(ns, "run"):
            raise CliError("expected a subcommand or a FILE; see nnviz --help")
        with warnings.catch_warnings():  # one line on error, nothing beside it: inf and NaN are shown as such
            warnings.simplefilter("ignore", RuntimeWarning)
            return _flushed(ns.run(ns))
    except BrokenPipeError:
        return _reader_gone()
    except SystemExit as e:  # --help and --version end argparse with exit(0)
        return _flushed(e.code if isinstance(e.code, int) else 0)
    except KeyboardInterrupt:
        print("nnviz: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as e:  # the one place every error becomes a message
        print(f"nnviz: error: {_message(e)}", file=sys.stderr)
        if os.environ.get("NNVIZ_DEBUG") and not _is_user_error(e):
            raise
        return EXIT_ERROR


def _negative_lists_glued(args: list[str]) -> list[str]:
    """`--input -0.5,0.3` as `--input=-0.5,0.3`: argparse takes a value that starts with "-" for an option
    of its own unless it is one plain negative number, so a list starting with one was refused."""
    out: list[str] = []
    for arg in args:
        if out and out[-1] in NUMBER_LIST_OPTIONS and re.match(r"-[\d.]", arg):
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out


def _flushed(code: int) -> int:
    """`code`, once buffered output is written: a reader that went away (`| head`) shows here."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone()
    return code


def _reader_gone() -> int:
    """The program reading our output stopped (`nnviz datasets | head -1`): that is not an error, so say
    nothing, and end as a program killed by SIGPIPE would; stdout goes to the null device so that Python's
    own flush at exit finds no broken pipe either."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
    return EXIT_BROKEN_PIPE


def _is_user_error(e: BaseException) -> bool:
    """Errors a user can cause: ours (nnviz's exception classes), argparse's, the file system's."""
    ours = type(e).__module__.startswith("nnviz.")
    return ours or isinstance(e, (CliError, ValueError, OSError, MemoryError))


def _message(e: BaseException) -> str:
    if isinstance(e, MemoryError):
        return "not enough memory for this network or data set"
    if isinstance(e, OSError) and e.strerror:
        return f"{e.filename}: {e.strerror}" if e.filename else e.strerror
    text = " ".join(str(e).split()) or type(e).__name__  # one line, whatever the exception said
    if _is_user_error(e):
        return text
    return f"internal error ({type(e).__name__}: {text}); set NNVIZ_DEBUG=1 to see the traceback"


if __name__ == "__main__":
    raise SystemExit(main())
