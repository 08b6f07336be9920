"""The real installer, end to end: build the .deb, install it with apt, use the installed copy, remove it.

Slow (a PyInstaller build takes minutes) and needs root, apt, Xvfb and ImageMagick's `import` (all on CI).
Run: `python -m pytest -m slow tests/packaging/test_installed_deb.py`. With NNVIZ_REUSE_BUNDLE=1 an existing
PyInstaller bundle in build/ is re-wrapped instead of rebuilt (for iterating on the .deb itself).
Tests run in file order and share one installation; the last one uninstalls.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import build_linux  # noqa: E402
from smoke_test import check_version, launch_probed, wait_for_first_window  # noqa: E402
from startup_probe import TRAINED  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.name != "posix"
        or os.geteuid() != 0
        or not all(map(shutil.which, ("dpkg-deb", "apt-get", "Xvfb"))),
        reason="needs root, dpkg-deb, apt-get and Xvfb (Debian-like CI machine)",
    ),
]
INSTALLED = Path("/usr/bin/nnviz")
PREFIX = Path("/opt/nnviz")
# The classic 2-2-2 worked example (docs/architecture.md), used when no shipped example is found.
CLASSIC = {
    "format": "nnviz",
    "version": 1,
    "network": {
        "layers": [{"size": 2}, {"size": 2, "activation": "sigmoid"}, {"size": 2, "activation": "sigmoid"}],
        "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
        "biases": [[0.35, 0.35], [0.60, 0.60]],
    },
}


def run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False, **kwargs)


def apt_get(*args: str) -> subprocess.CompletedProcess:
    """apt-get -y, never prompting (CI has no terminal)."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return run("apt-get", "-y", *args, cwd=ROOT, env=env, timeout=600)


@pytest.fixture(scope="module")
def deb() -> Path:
    """Build (or re-wrap) the .deb and install it with apt-get, as a user would."""
    started = time.perf_counter()
    args = [sys.executable, "packaging/build_linux.py", "--formats", "deb", "--deb-compression", "gzip"]
    if os.environ.get("NNVIZ_REUSE_BUNDLE"):
        args.append("--reuse-bundle")
    build = run(*args, cwd=ROOT, timeout=1800)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    package = ROOT / "dist" / f"nnviz_{build_linux.version()}_amd64.deb"
    print(f"build: {time.perf_counter() - started:.1f} s, {package.stat().st_size / 2**20:.1f} MiB")
    install = apt_get("install", "--allow-downgrades", f"./{package.relative_to(ROOT)}")
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    yield package
    if run("dpkg", "-s", "nnviz").returncode == 0:  # installed after a failure, or removed but not purged
        apt_get("purge", "nnviz")


@pytest.fixture(scope="module")
def example_project(tmp_path_factory) -> Path:
    shipped = sorted((ROOT / "resources" / "examples").glob("*.nnviz"))
    if shipped:
        return shipped[0]
    path = tmp_path_factory.mktemp("example") / "classic.nnviz"
    path.write_text(json.dumps(CLASSIC))
    return path


@pytest.fixture
def display():
    """A private X server for one test; yields the DISPLAY value."""
    number = next(n for n in range(120, 200) if not Path(f"/tmp/.X{n}-lock").exists())
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            break
        time.sleep(0.05)
    yield f":{number}"
    server.terminate()
    server.wait()


def test_installed_files_are_where_the_desktop_expects_them(deb):
    assert INSTALLED.resolve() == PREFIX / "nnviz"
    share = Path("/usr/share")
    assert (share / "applications" / "io.github.nnviz.desktop").is_file()
    assert (share / "metainfo" / "io.github.nnviz.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "nnviz.png").is_file()
    listed = run("dpkg", "-L", "nnviz").stdout
    assert "/opt/nnviz/_internal/nnviz/resources/icons/nnviz.svg" in listed


def test_installed_version(deb):
    assert check_version([str(INSTALLED)]) == f"nnviz {build_linux.version()}"


def test_bundle_leaves_out_what_the_app_does_not_use(deb):
    internal = PREFIX / "_internal"
    for heavy in ("torch", "sklearn", "scipy", "matplotlib", "PyQt5", "PyQt6"):
        assert not (internal / heavy).exists(), heavy
    assert not list(internal.rglob("libqwayland*")), "non-X11 Qt platform plugins are excluded"
    assert list(internal.rglob("libqxcb.so")), "the X11 platform plugin is bundled"


def test_every_bundled_library_resolves_through_the_declared_depends(deb):
    """ldd on each bundled ELF file: nothing missing, and every system library comes from a package that
    `Depends:` pulls in (directly or through its own dependencies)."""
    closure = run(
        "apt-cache",
        "depends",
        "--recurse",
        "--installed",
        "--no-recommends",
        "--no-suggests",
        "--no-conflicts",
        "--no-breaks",
        "--no-replaces",
        "--no-enhances",
        "nnviz",
    ).stdout
    allowed = {line.split(":")[0] for line in closure.splitlines() if line and not line.startswith(" ")}
    # The frozen program's bootloader puts its library folder first on the search path; ldd must too.
    runtime_env = dict(os.environ, LD_LIBRARY_PATH=str(PREFIX / "_internal"))
    missing, system_libraries = set(), set()
    for path in PREFIX.rglob("*"):
        if not path.is_file() or path.is_symlink() or path.open("rb").read(4) != b"\x7fELF":
            continue
        for line in run("ldd", path, env=runtime_env).stdout.splitlines():
            if "not found" in line:
                missing.add(f"{path.name}: {line.strip()}")
            elif "=> /" in line and str(PREFIX) not in line:
                system_libraries.add(os.path.realpath(line.split("=> ")[1].split(" (")[0]))
    outside = set()
    for library in system_libraries:
        # usr-merged systems: the package may list the /lib path of a /usr/lib file
        owner = run("dpkg", "-S", library).stdout or run("dpkg", "-S", library.removeprefix("/usr")).stdout
        package = owner.split(":")[0]
        if package not in allowed:
            outside.add(f"{library} ({package or 'no package'})")
    assert not missing
    assert not outside


def test_declared_glibc_covers_every_bundled_file(deb):
    """`Depends: libc6 (>= X)` names at least the newest glibc symbol version any bundled ELF file uses
    (the version names, `GLIBC_2.34`, sit in each file's dynamic string table)."""
    declared = run("dpkg-query", "-W", "-f", "${Depends}", "nnviz").stdout
    match = re.search(r"libc6 \(>= (\d+)\.(\d+)\)", declared)
    assert match, declared
    needed, needed_by = (0, 0), ""
    for path in PREFIX.rglob("*"):
        if not path.is_file() or path.is_symlink() or path.open("rb").read(4) != b"\x7fELF":
            continue
        for major, minor in re.findall(rb"GLIBC_(\d+)\.(\d+)", path.read_bytes()):
            if (int(major), int(minor)) > needed:
                needed, needed_by = (int(major), int(minor)), path.name
    print(f"newest glibc symbol version: {needed} ({needed_by})")
    assert needed <= (int(match[1]), int(match[2])), f"{needed_by} needs glibc {needed}"


def test_installed_export_writes_onnx_that_onnxruntime_runs_like_forward(deb, tmp_path):
    """The installers hold ONNX export: the installed program writes the model, and onnxruntime (from the
    test environment) computes what the installed `nnviz forward` prints, to 1e-6 (float32 model)."""
    ort = pytest.importorskip("onnxruntime")
    project = ROOT / "resources" / "examples" / "rose_lotus.nnviz"
    model = tmp_path / "model.onnx"
    done = run(INSTALLED, "export", project, "-o", model, timeout=120)
    assert done.returncode == 0, done.stderr
    inputs = [[0.2, 0.7, 0.1], [0.9, 0.1, 0.4]]  # the example's three colour features
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    ours = session.run(["y"], {"x": np.array(inputs, dtype=np.float32)})[0]
    for row, exported in zip(inputs, ours, strict=True):
        values = ",".join(map(str, row))
        forward = run(INSTALLED, "forward", project, f"--input={values}", "--json", timeout=60)
        assert forward.returncode == 0, forward.stderr
        np.testing.assert_allclose(exported, json.loads(forward.stdout)["output"], atol=1e-6)


def test_installed_trains_the_shipped_8x8_digits(deb, tmp_path):
    """digits8 is a data file inside the installed app: no scikit-learn needed to train on it."""
    out = tmp_path / "trained.nnviz"
    example = ROOT / "resources" / "examples" / "digits8.nnviz"
    done = run(INSTALLED, "train", example, "--data", "digits8", "--epochs", "1", "-o", out, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "accuracy:" in done.stdout
    assert out.exists()


def test_installed_gui_paints_its_window(deb, example_project, display, tmp_path):
    from PySide6.QtGui import QImage

    probe_file, shot = tmp_path / "probe.txt", ROOT / "build" / "packaging-smoke.png"
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")  # a real X11 window, not offscreen
    started = time.perf_counter()
    app = launch_probed([str(INSTALLED), str(example_project)], probe_file, quit_after=False, env=env)
    try:
        seconds = wait_for_first_window(app, probe_file, started, timeout=60)
        time.sleep(0.5)  # let the canvas' background edge rendering land
        grab = run("import", "-display", display, "-window", "root", shot, env=env, timeout=60)
        assert app.poll() is None, "the app exited after showing its window"
    finally:
        app.terminate()
        app.wait(timeout=30)
    print(f"installed app: first window after {seconds:.2f} s; screenshot {shot}")
    assert grab.returncode == 0, grab.stderr
    image = QImage(str(shot)).convertToFormat(QImage.Format.Format_RGB32)
    sample = {image.pixel(x, y) for x in range(0, image.width(), 8) for y in range(0, image.height(), 8)}
    assert len(sample) > 20, "the screen is blank or a single flat colour"


def test_installed_gui_trains_in_a_process_of_its_own(deb, tmp_path):
    """The trainer runs in a child process started through multiprocessing's fork server, which a frozen
    program must support (PyInstaller's runtime hook plus freeze_support() in the launcher)."""
    probe_file = tmp_path / "probe.txt"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NNVIZ_STARTUP_PROBE="train")
    env["NNVIZ_STARTUP_PROBE_FILE"] = str(probe_file)
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[variable] = str(tmp_path / variable.lower())
    project = ROOT / "resources" / "examples" / "xor.nnviz"
    done = run(INSTALLED, project, env=env, timeout=120)
    report = probe_file.read_text(encoding="utf-8") if probe_file.exists() else ""
    assert TRAINED in report, f"exit {done.returncode}; probe {report!r}; stderr {done.stderr[-1500:]}"
    assert done.returncode == 0, done.stderr


def test_installed_render_writes_an_image(deb, example_project, tmp_path):
    if "render" not in run(INSTALLED, "--help").stdout:
        pytest.skip("the render subcommand is not in this build")
    out = tmp_path / "net.png"
    offscreen = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    size = ["--width", "640", "--height", "400"]
    done = run(INSTALLED, "render", example_project, "-o", out, *size, env=offscreen, timeout=120)
    assert done.returncode == 0, done.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (640, 400)


def test_removal_leaves_nothing_in_opt(deb):
    removed = apt_get("remove", "nnviz")
    assert removed.returncode == 0, removed.stderr
    assert not PREFIX.exists()
    assert not INSTALLED.exists()
    assert not Path("/usr/share/applications/io.github.nnviz.desktop").exists()
