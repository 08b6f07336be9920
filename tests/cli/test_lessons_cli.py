"""`nnviz lessons [--check FILE...]`: the built-in course listed, lesson files checked headlessly."""

from nnviz.cli import main
from nnviz.lessons.builtin import builtin_lesson_paths
from tests.cli.test_cli import assert_one_line_error, run
from tests.lessons.files import head, step

GOOD = head("example:classic") + step("goal = { weight = [1, 1, 1], min = 0 }", text="The weight $w_1$.")


def test_lists_each_builtin_lesson_with_its_number_title_and_steps(capsys):
    code, out, err = run(capsys, "lessons")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == len(builtin_lesson_paths())
    assert lines[0] == " 1  One neuron (8 steps)"


def test_check_passes_a_good_file_and_every_builtin_lesson(capsys, tmp_path):
    good = tmp_path / "good.nnlesson"
    good.write_text(GOOD, encoding="utf-8")
    code, out, _ = run(capsys, "lessons", "--check", good)
    assert (code, out) == (0, f"{good}: ok, 1 steps\n")
    code, out, _ = run(capsys, "lessons", "--check")
    assert code == 0
    assert out.count(": ok, ") == len(builtin_lesson_paths())


def test_check_refuses_a_broken_file_with_one_line_naming_file_and_step(capsys, tmp_path):
    bad = tmp_path / "bad.nnlesson"
    bad.write_text(GOOD.replace("[1, 1, 1]", "[1, 1, 7]"), encoding="utf-8")
    code, out, err = run(capsys, "lessons", "--check", bad)
    assert_one_line_error(code, out, err)
    assert err.startswith(f"nnviz: error: {bad}: step 1: goal (weight): weight = [1, 1, 7]: ")


def test_check_of_a_missing_file_is_one_line(capsys, tmp_path):
    assert_one_line_error(*run(capsys, "lessons", "--check", tmp_path / "none.nnlesson"))


def test_unknown_option_is_one_line(capsys):
    assert_one_line_error(*run(capsys, "lessons", "--bogus"))
    assert main(["lessons", "--help"]) == 0
