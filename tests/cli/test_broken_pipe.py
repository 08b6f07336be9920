"""Piping the command line's output into `head` (a reader that stops early) is not an error: no
`nnviz: error: Broken pipe`, no traceback, and the exit status a program killed by SIGPIPE has."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nnviz.cli import EXIT_BROKEN_PIPE

CLASSIC = Path(__file__).parents[2] / "resources" / "examples" / "classic.nnviz"


@pytest.mark.parametrize(
    "args",
    [
        ["datasets"],
        ["datasets", "--json"],
        ["info", str(CLASSIC)],
        ["forward", str(CLASSIC), "--input", "0.05,0.10", "--json"],
        ["--help"],
        ["--version"],
    ],
)
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_reader_that_went_away_is_not_an_error(args, buffered):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:  # every print reaches the pipe at once, instead of at the final flush
        env["PYTHONUNBUFFERED"] = "1"
    child = subprocess.Popen(
        [sys.executable, "-m", "nnviz", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    child.stdout.close()  # the only reader is gone before the program writes a byte, as after `head -0`
    _, err = child.communicate(timeout=120)
    assert err == ""
    # argparse itself swallows a failed write of --help or --version (then the status is 0)
    expected = {EXIT_BROKEN_PIPE, 0} if args[0].startswith("--") else {EXIT_BROKEN_PIPE}
    assert child.returncode in expected
