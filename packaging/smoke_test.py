"""Smoke-test an nnviz build: `--version` answers, the GUI paints its first window (start-up timed) and,
with `--train`, Play trains a whole epoch in the training process.

    python packaging/smoke_test.py [--runs N] [--timeout S] [--windowed] [--train] [--project FILE] -- CMD...

CMD is the program to test: `/usr/bin/nnviz`, `C:\\nnviz\\nnviz.exe`, `nnviz.app/Contents/MacOS/nnviz`,
or `python packaging/nnviz_launcher.py` for the virtual environment; the GUI runs open FILE if given.
Each GUI run sets NNVIZ_STARTUP_PROBE=quit (packaging/startup_probe.py), so the app quits by itself right
after its first painted window; the time from spawn to that report is the cold
start-up figure quoted in docs/packaging.md. Prints one JSON object; exit status 1 on any failure.
`--windowed` is for Windows GUI builds, which have no console: there `--version` is checked by exit
status only. `--train` adds one GUI run with NNVIZ_STARTUP_PROBE=train: the app presses Play, and the
run passes once an epoch completes (a frozen app must start its training process through multiprocessing).
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from startup_probe import MARKER, TRAINED


class SmokeTestError(RuntimeError):
    """The build under test did not behave."""


def check_version(command: list[str], windowed: bool = False) -> str:
    """Run `COMMAND --version`; it must exit 0 and (with a console) print `nnviz X.Y.Z`."""
    done = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise SmokeTestError(f"--version exited {done.returncode}: {done.stderr.strip()[-500:]}")
    line = done.stdout.strip()
    if not windowed and not line.startswith("nnviz "):
        raise SmokeTestError(f"--version printed {line!r}, expected 'nnviz X.Y.Z'")
    return line


def launch_probed(
    command: list[str],
    probe_file: Path,
    quit_after: bool,
    env: dict[str, str] | None = None,
    mode: str | None = None,
) -> subprocess.Popen:
    """Start the GUI (in env, default: this environment) with the start-up probe reporting to probe_file;
    `mode` is the probe's mode when not just "quit" (quit_after) or "1" (report only).

    Settings, autosave and caches go to fresh folders beside probe_file (XDG variables, honoured by Qt on
    Linux), so the run neither reads nor changes the user's own and sees what a first start sees.
    """
    mode = mode or ("quit" if quit_after else "1")
    env = dict(os.environ if env is None else env, NNVIZ_STARTUP_PROBE=mode)
    env["NNVIZ_STARTUP_PROBE_FILE"] = str(probe_file)
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[variable] = str(probe_file.parent / variable.lower())
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_for_first_window(
    process: subprocess.Popen, probe_file: Path, started: float, timeout: float
) -> float:
    """Seconds from `started` until the probe reports the first painted window."""
    while time.perf_counter() - started < timeout:
        if probe_file.exists() and MARKER in probe_file.read_text(encoding="utf-8"):
            return time.perf_counter() - started
        if process.poll() is not None:
            raise SmokeTestError(
                f"the GUI exited with {process.returncode} before showing a window: "
                f"{process.stderr.read().strip()[-1500:]}"
            )
        time.sleep(0.01)
    process.kill()
    raise SmokeTestError(f"no window painted within {timeout} s")


def first_window_seconds(command: list[str], timeout: float) -> float:
    """One GUI run to its first painted window; the app quits by itself afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        probe_file = Path(tmp) / "probe.txt"
        started = time.perf_counter()
        process = launch_probed(command, probe_file, quit_after=True)
        try:
            seconds = wait_for_first_window(process, probe_file, started, timeout)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    return seconds


def trains_an_epoch(command: list[str], timeout: float) -> None:
    """One GUI run that presses Play and quits once an epoch completed; raises SmokeTestError otherwise."""
    with tempfile.TemporaryDirectory() as tmp:
        probe_file = Path(tmp) / "probe.txt"
        process = launch_probed(command, probe_file, quit_after=False, mode="train")
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        report = probe_file.read_text(encoding="utf-8") if probe_file.exists() else ""
        if TRAINED not in report:
            raise SmokeTestError(
                f"Play did not complete an epoch within {timeout} s (exit {process.returncode}): "
                f"{process.stderr.read().strip()[-1500:]}"
            )


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the checks, print the JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="GUI start-ups to time (the first is cold)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed per start-up")
    parser.add_argument("--windowed", action="store_true", help="the build has no console (Windows)")
    parser.add_argument("--train", action="store_true", help="also check that Play trains an epoch")
    parser.add_argument("--project", help="project file the GUI runs open (default: the app's default)")
    parser.add_argument("command", nargs="+", help="the program to test (put -- before it)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.timeout <= 0:
        parser.error("--runs must be at least 1 and --timeout positive")
    program, gui_args = args.command, [args.project] if args.project else []
    report: dict[str, object] = {"command": " ".join(args.command)}
    try:
        report["version"] = check_version(program, args.windowed)
        times = [first_window_seconds(program + gui_args, args.timeout) for _ in range(args.runs)]
        if args.train:
            trains_an_epoch(program + gui_args, args.timeout * 2)
            report["trained_epoch"] = True
    except (SmokeTestError, OSError, subprocess.TimeoutExpired) as error:
        report["error"] = str(error)
        print(json.dumps(report))
        return 1
    report["first_window_s"] = [round(t, 3) for t in times]
    report["cold_s"] = round(times[0], 3)
    if len(times) > 1:
        report["warm_median_s"] = round(statistics.median(times[1:]), 3)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
