"""Special files named as data or projects, through every reader: a FIFO (which blocks whoever opens or reads
it until a writer comes), character devices (`/dev/zero` streams zeros for ever, `/dev/null` is empty), a
folder, a symbolic link to a FIFO, and a sparse 20 GB file (regular, but mostly nothing).

Every reader must refuse the non-regular ones up front, naming what the file is, and must read no more of
the sparse file than it needs to refuse it (checked by the memory it allocates, not by time). A reader that
blocks on the FIFO is unblocked by opening the FIFO's other end after a generous wait, so a regression fails
the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from nnviz.app.dialogs.csv_import import read_preview
from nnviz.core.dataset_ref import load_file, reference_to_dataset
from nnviz.core.datasets import DatasetError
from nnviz.core.datasets.files import load_csv, load_idx, load_npz
from nnviz.core.document import DocumentError, load_project

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")

#: every reader, called on one path; each must end in its clean error for a special file
READERS = {
    "project": load_project,
    "csv": lambda p: load_csv(p, "y"),
    "npz": load_npz,
    "idx": load_idx,
    "idx labels": lambda p: load_idx(_IDX_IMAGES, p),
    "data reference": lambda p: reference_to_dataset(
        {"kind": "file", "path": os.path.basename(p), "targets": ["y"]}, os.path.dirname(p)
    ),
    "load_file": lambda p: load_file(str(p), ["y"]),
    "import preview": read_preview,
}
_IDX_IMAGES = ""  # set by the fixture below: a valid images file, for the labels reader


@pytest.fixture(autouse=True)
def _idx_images(tmp_path, monkeypatch):
    path = tmp_path / "images-idx3-ubyte"
    path.write_bytes(b"\0\0\x08\x03" + np.array([1, 2, 2], ">u4").tobytes() + bytes(4))
    monkeypatch.setattr(sys.modules[__name__], "_IDX_IMAGES", str(path))


def _refused(read, path) -> str:
    """The message of the clean error `read(path)` ends in; fails if it blocks (a FIFO) or ends otherwise."""
    outcome: list = []

    def run():
        try:
            read(str(path))
        except (DatasetError, DocumentError) as e:
            outcome.append(str(e))
        except BaseException as e:
            outcome.append(e)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30)  # a hang guard, not a speed check: refusing takes a few milliseconds
    if thread.is_alive() and Path(path).is_fifo():
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # give the blocked reader a writer and EOF
        thread.join(30)
        pytest.fail(f"the reader blocked on the FIFO {path}")
    assert outcome, "the reader neither returned nor raised"
    if not isinstance(outcome[0], str):
        pytest.fail(f"the reader ended in {outcome[0]!r} instead of a clean refusal")
    return outcome[0]


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "data.csv"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("reader", READERS)
def test_a_fifo_is_refused_without_blocking(reader, fifo):
    message = _refused(READERS[reader], fifo)
    assert "named pipe (FIFO), not a regular file" in message


@pytest.mark.parametrize("reader", READERS)
def test_a_symlink_to_a_fifo_is_refused(reader, fifo, tmp_path):
    link = tmp_path / "link.csv"
    link.symlink_to(fifo)
    assert "named pipe (FIFO)" in _refused(READERS[reader], link)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
@pytest.mark.parametrize("reader", READERS)
def test_devices_are_refused(reader, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    assert "character device, not a regular file" in _refused(READERS[reader], device)


def test_a_device_inside_the_project_folder_is_refused(tmp_path):
    """A data reference naming a device node (here a link to /dev/zero inside the folder)."""
    (tmp_path / "zero.csv").symlink_to("/dev/zero")
    assert "character device" in _refused(READERS["data reference"], tmp_path / "zero.csv")


@pytest.mark.parametrize("reader", READERS)
def test_a_folder_is_refused(reader, tmp_path):
    folder = tmp_path / "data.csv"
    folder.mkdir()
    message = _refused(READERS[reader], folder)
    assert "folder" in message or "Is a directory" in message


@pytest.mark.parametrize("reader", READERS)
def test_a_sparse_20_gb_file_is_refused_reading_little(reader, tmp_path):
    """Regular, so it is opened; each reader refuses it from its first bytes or its size, allocating a few
    MB at most (the CSV reader reads one line of at most 8 MiB; the project reader only stats it)."""
    path = tmp_path / "data.csv"
    with open(path, "wb") as f:
        f.truncate(20 << 30)
    tracemalloc.start()
    try:
        message = _refused(READERS[reader], path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message
    assert peak < 24 << 20, f"{reader} allocated {peak / 2**20:.0f} MiB to refuse a sparse file"


def test_train_with_a_fifo_as_data_refuses_it(fifo, tmp_path, classic_project_file):
    """`nnviz train P --data fifo.csv`: one error line, exit 2, no hang (the process is killed after a
    generous wait if it blocks, which fails the test)."""
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "nnviz",
                "train",
                classic_project_file,
                "--data",
                str(fifo),
                "--targets",
                "y",
                "-o",
                str(tmp_path / "out.nnviz"),
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("nnviz train blocked on the FIFO")
    assert result.returncode == 2
    assert result.stderr.startswith("nnviz: error:")
    assert "named pipe (FIFO)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.fixture
def classic_project_file(tmp_path):
    from nnviz.core.document import save_project
    from nnviz.core.examples import load_example

    path = tmp_path / "p.nnviz"
    save_project(load_example("classic"), path)
    return str(path)


@pytest.mark.parametrize("device", ["/dev/zero", "fifo"])
def test_train_with_a_device_or_fifo_named_without_a_csv_suffix(
    device, tmp_path, classic_project_file, capsys
):
    """Was: "'/dev/zero' is a built-in dataset name" (a path that is no regular file was taken for a name)."""
    from nnviz.cli import main

    if device == "fifo":
        device = str(tmp_path / "fifo")
        os.mkfifo(device)
    code = main(["train", classic_project_file, "--data", device, "-o", str(tmp_path / "o.nnviz")])
    err = capsys.readouterr().err
    assert code == 2
    assert "not a regular file" in err
    assert "built-in" not in err
