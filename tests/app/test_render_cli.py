"""`nnviz render FILE -o OUT` through the real command line."""

from PySide6.QtGui import QImage

from nnviz.cli import main
from nnviz.core.document import Project, save_project
from nnviz.core.network import Network


def test_render_subcommand_writes_the_image(qapp, tmp_path, capsys):
    project_file = tmp_path / "net.nnviz"
    save_project(Project(network=Network.create([2, 3, 1], "tanh", seed=0)), project_file)
    out = tmp_path / "net.png"
    code = main(
        ["render", str(project_file), "-o", str(out), "--width", "320", "--height", "200", "--input", "1,2"]
    )
    assert code == 0
    assert "wrote" in capsys.readouterr().out
    assert QImage(str(out)).size().toTuple() == (320, 200)


def test_render_subcommand_errors_are_one_line(qapp, tmp_path, capsys):
    project_file = tmp_path / "net.nnviz"
    save_project(Project(network=Network.create([2, 3, 1], "tanh", seed=0)), project_file)
    assert main(["render", str(project_file), "-o", str(tmp_path / "x.gif")]) == 2
    assert main(["render", str(project_file), "-o", str(tmp_path / "x.png"), "--input", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert all(line.startswith("nnviz: error:") for line in err)
    assert "png or .svg" in err[0]
    assert "takes 2 inputs" in err[1]
