"""How the training process starts: a fork server where the platform has one, else `spawn` (Windows).

Windows is simulated as CPython's own table of start methods there: only `spawn`
(`multiprocessing.context._concrete_contexts` without `fork` and `forkserver`).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nnviz.app import processes
from nnviz.app.processes import START_METHOD_VARIABLE, process_context

ROOT = Path(__file__).resolve().parents[2]
WINDOWS_TABLE = (
    "import multiprocessing.context as c; c._concrete_contexts = {'spawn': c._concrete_contexts['spawn']}"
)


@pytest.fixture
def fresh_choice(monkeypatch):
    """Forget the process-wide choice (and any forcing from the environment) for the test's duration."""
    monkeypatch.setattr(processes, "_context", None)
    monkeypatch.delenv(START_METHOD_VARIABLE, raising=False)


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has no fork server")
def test_a_fork_server_where_the_platform_has_one(fresh_choice):
    assert process_context().get_start_method() == "forkserver"


def test_spawn_where_only_spawn_exists(fresh_choice, monkeypatch):
    spawn_only = {"spawn": multiprocessing.context._concrete_contexts["spawn"]}
    monkeypatch.setattr(multiprocessing.context, "_concrete_contexts", spawn_only)
    with pytest.raises(ValueError, match="forkserver"):  # what the import-time choice used to hit
        multiprocessing.get_context("forkserver")
    assert process_context().get_start_method() == "spawn"


def test_the_environment_can_force_spawn(fresh_choice, monkeypatch):
    monkeypatch.setenv(START_METHOD_VARIABLE, "spawn")
    assert process_context().get_start_method() == "spawn"


def test_with_only_spawn_the_window_starts_and_play_trains_an_epoch(tmp_path):
    """The whole app as the Windows installer runs it: the launcher (freeze_support first), the window on
    the XOR example, Play pressed by the start-up probe until a snapshot reports a completed epoch."""
    probe_file = tmp_path / "probe.txt"
    child = textwrap.dedent(
        f"""
        {WINDOWS_TABLE}
        import sys
        sys.path.insert(0, {str(ROOT / "packaging")!r})
        sys.argv = ["nnviz", {str(ROOT / "resources" / "examples" / "xor.nnviz")!r}]
        import nnviz_launcher
        from nnviz.app.processes import process_context
        code = nnviz_launcher.main()
        print("start method:", process_context().get_start_method())
        sys.exit(code)
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NNVIZ_STARTUP_PROBE="train")
    env["NNVIZ_STARTUP_PROBE_FILE"] = str(probe_file)
    env.pop(START_METHOD_VARIABLE, None)
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[variable] = str(tmp_path / variable.lower())
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, env=env, timeout=240, check=False
    )
    report = probe_file.read_text(encoding="utf-8") if probe_file.exists() else ""
    assert "nnviz-startup: trained" in report, f"exit {done.returncode}; {report!r}; {done.stderr[-1500:]}"
    assert "start method: spawn" in done.stdout
    assert done.returncode == 0, done.stderr[-1500:]
