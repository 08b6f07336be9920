"""`nnviz replay`: a run as an animation, one frame per checkpoint, read back by a decoder. (Here, not in
tests/cli: it paints with Qt, and the test run's QApplication must exist first.)"""

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core.document import load_project

av = pytest.importorskip("av")
Image = pytest.importorskip("PIL.Image")


def _cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def trained(tmp_path_factory, qapp):
    """A 2-4-1 network trained 12 epochs on the built-in circle set: one run, one checkpoint an epoch."""
    folder = tmp_path_factory.mktemp("replay")
    assert main(["new", "--layers", "2,4,1", "--activation", "tanh", "--output-activation", "sigmoid",
                 "--seed", "1", "-o", str(folder / "n.nnviz")]) == 0  # fmt: skip
    assert main(["train", str(folder / "n.nnviz"), "--data", "circle", "--epochs", "12", "--lr", "0.3",
                 "--optimizer", "adam", "--seed", "2", "-o", str(folder / "t.nnviz")]) == 0  # fmt: skip
    return folder / "t.nnviz"


def test_a_gif_has_one_frame_per_checkpoint_and_the_frames_change_as_the_network_learns(
    trained, tmp_path, capsys
):
    code, out, _ = _cli(capsys, "replay", trained, "-o", tmp_path / "r.gif", "--width", 320, "--height", 180)
    assert code == 0
    run = load_project(trained).runs[-1]
    assert f"{len(run.checkpoints)} frames of run 1" in out
    with Image.open(tmp_path / "r.gif") as gif:
        assert gif.n_frames == len(run.checkpoints) == 12
        assert gif.size == (320, 180)
        frames = []
        for i in (0, gif.n_frames - 1):
            gif.seek(i)
            frames.append(np.asarray(gif.convert("RGB"), dtype=int))
    assert np.abs(frames[0] - frames[1]).mean() > 1  # the weights, the map and the curve moved


def test_an_mp4_is_read_back_by_a_decoder_frame_for_frame(trained, tmp_path, capsys):
    code, _, _ = _cli(capsys, "replay", trained, "-o", tmp_path / "r.mp4", "--fps", 8,
                      "--width", 321, "--height", 181)  # fmt: skip
    assert code == 0
    with av.open(str(tmp_path / "r.mp4")) as video:
        frames = [f.to_ndarray(format="rgb24") for f in video.decode(video=0)]
    assert len(frames) == 12
    assert frames[0].shape == (180, 320, 3)  # odd sizes rounded down to even ones for the encoder
    assert np.abs(frames[0].astype(int) - frames[-1]).mean() > 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}/r.avi"], "must end in .gif or .mp4"),
        (["-o", "{tmp}/r.gif", "--run", "nope"], "no run named 'nope'; the project has 'run 1'"),
        (["-o", "{tmp}/r.gif", "--fps", "500"], "fps must be"),
        (["-o", "{tmp}/missing/r.gif"], "does not exist"),
    ],
)
def test_bad_requests_are_one_line(trained, tmp_path, capsys, args, message):
    code, _, err = _cli(capsys, "replay", trained, *[a.format(tmp=tmp_path) for a in args])
    assert code == 2
    assert err.startswith("nnviz: error:")
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_a_project_without_runs_says_to_train_first(tmp_path, capsys):
    assert main(["new", "--layers", "2,1", "-o", str(tmp_path / "n.nnviz")]) == 0
    code, _, err = _cli(capsys, "replay", tmp_path / "n.nnviz", "-o", tmp_path / "r.gif")
    assert code == 2
    assert "no training runs" in err


def test_cancel_writes_nothing(trained, tmp_path):
    from nnviz.app.files.replay import replay_to_file

    project = load_project(trained)
    frames = replay_to_file(project, project.runs[0], tmp_path / "r.gif", 5, 200, 160,
                            on_frame=lambda done, total: done < 3)  # fmt: skip
    assert frames == 0
    assert not (tmp_path / "r.gif").exists()
