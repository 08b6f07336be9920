"""Every write is atomic and respects what is at the output path (issue: exports torn by kill -9, a FIFO or
device given as the output replaced by a regular file, a symlink replaced instead of written through)."""

import os
import stat
import subprocess
import sys

import numpy as np
import pytest

from nnviz.core import export
from nnviz.core.atomic_file import WriteError, atomic_write, atomic_write_bytes, atomic_write_text
from nnviz.core.network import Network

NET = Network.create([2, 3, 1], activation="tanh", output_activation="identity", seed=0)


def test_a_symlink_is_written_through_to_its_target(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    atomic_write_text(link, "new")
    assert link.is_symlink()
    assert target.read_text() == "new"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_given_as_output_is_refused_and_left_alone(tmp_path):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    with pytest.raises(WriteError, match="not a regular file"):
        export.save_weights_npz(NET, fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_device_given_as_output_is_refused():
    with pytest.raises(WriteError, match="not a regular file"):
        atomic_write_text("/dev/null", "x")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_folder_given_as_output_is_refused(tmp_path):
    with pytest.raises(WriteError, match="folder"):
        atomic_write_bytes(tmp_path, b"x")


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(WriteError, match="does not exist"):
        atomic_write_bytes(tmp_path / "nope" / "x.bin", b"x")


def test_an_existing_file_keeps_its_permissions_and_a_new_one_gets_the_mode_asked_for(tmp_path):
    old = tmp_path / "old.csv"
    old.write_text("a")
    old.chmod(0o640)
    atomic_write_text(old, "b", mode=0o600)
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    new = tmp_path / "private.nnviz"
    atomic_write_text(new, "c", mode=0o600)
    assert stat.S_IMODE(new.stat().st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "w.npz"
    export.save_weights_npz(NET, path)
    before = path.read_bytes()

    def fail(f):
        f.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(WriteError, match="No space left"):
        atomic_write(path, fail)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.npz"]


_EXPORT_LOOP = """
import sys
from nnviz.core import export
from nnviz.core.network import Network
net = Network.create([64, 256, 10], activation="tanh", output_activation="identity", seed=0)
kind, path = sys.argv[1:]
if kind in ("png", "svg"):
    from nnviz.app.files.render import render_to_file
    write = lambda: render_to_file(net, path, 800, 500)
else:
    write = lambda: getattr(export, {"npz": "save_weights_npz", "onnx": "save_onnx"}[kind])(net, path)
write()
print("ready", flush=True)
while True:
    write()
"""


def _whole_file(kind: str, path) -> bool:
    """The file reads back completely as its format."""
    data = path.read_bytes()
    if kind == "npz":
        with np.load(path) as archive:
            return archive["W0"].shape == (256, 64)
    if kind == "onnx":
        onnx = pytest.importorskip("onnx")
        return len(onnx.load_from_string(data).graph.node) > 0
    if kind == "png":
        return data.startswith(b"\x89PNG") and data.rstrip().endswith(b"IEND\xaeB`\x82")
    return data.rstrip().endswith(b"</svg>")


@pytest.mark.parametrize("kind", ["npz", "onnx", "png", "svg"])
@pytest.mark.parametrize("trial", range(2))
def test_kill_9_while_re_exporting_never_tears_the_file(tmp_path, kind, trial):
    """Re-export in a loop, kill -9 at a moment that varies per trial: the file always reads back whole."""
    if kind == "onnx":
        pytest.importorskip("onnx")
    path = tmp_path / f"out.{kind}"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, "-c", _EXPORT_LOOP, kind, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        try:
            child.wait(timeout=0.05 + 0.1 * trial)
        except subprocess.TimeoutExpired:
            child.kill()
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    assert _whole_file(kind, path)
