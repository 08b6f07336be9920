"""Lesson files (docs/lessons.md): what loads, and the one-line "FILE: step N: what is wrong" for what does
not, checked without Qt."""

import pytest

from nnviz.lessons.builtin import builtin_lesson_paths
from nnviz.lessons.format import Condition, LessonError, load, neuron_at, weight_at
from tests.lessons.files import head, step, write

HEAD = head()


def error_of(path):
    with pytest.raises(LessonError) as info:
        load(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


def test_a_full_step_loads_into_actions_and_a_goal(tmp_path):
    path = write(
        tmp_path,
        step(
            'actions = [ { do = "select", neuron = [1, 2] }, { do = "set_weight", weight = [2, 1, 4],'
            ' value = 0.5 } ]\ngoal = { weight = [1, 1, 2], min = 1.5, max = 2.5, say = "Slope 2." }'
        ),
    )
    lesson = load(path)
    (only,) = lesson.steps
    assert [a.do for a in only.actions] == ["select", "set_weight"]
    assert only.actions[1].args == {"weight": [2, 1, 4], "value": 0.5}
    assert only.goal.say == "Slope 2."
    assert only.goal.conditions == (Condition("weight", {"weight": [1, 1, 2], "min": 1.5, "max": 2.5}),)
    assert lesson.example == "xor"


def test_and_joins_conditions_and_a_goal_without_say_describes_itself(tmp_path):
    goal = 'goal = { hidden_neurons_at_most = 3, and = [ { accuracy = 0.9, on = "test" } ] }'
    (only,) = load(write(tmp_path, step(goal))).steps
    assert [c.kind for c in only.goal.conditions] == ["hidden_neurons_at_most", "accuracy"]
    assert only.goal.say == "at most 3 hidden neurons; test accuracy at least 90%"


def test_indices_as_shown_become_array_indices():
    assert neuron_at([1, 2]) == (1, 1)
    assert weight_at([1, 2, 3]) == (0, 1, 2)  # W⁽¹⁾₂₃ is weights[0][1, 2]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            step('actions = [ { do = "dance" } ]'),
            "step 1: action 1 (dance): unknown action; known: open_example",
        ),
        (step("goal = { happiness = 3 }"), "step 1: goal: no known goal; goals: weight, bias"),
        (
            step('actions = [ { do = "train", run = "yes" } ]'),
            'step 1: action 1 (train): run = "yes": expected true or false',
        ),
        (
            step('actions = [ { do = "open_example", name = "nope" } ]'),
            'name = "nope": no such example; examples: circle',
        ),
        (
            step() + step('actions = [ { do = "select", neuron = [1, 5] } ]'),
            "step 2: action 1 (select): neuron = [1, 5]: layer 1's neuron 5 does not exist (there are 1-4)",
        ),
        (
            step("goal = { weight = [3, 1, 1], min = 0 }"),
            "step 1: goal (weight): weight = [3, 1, 1]: layer 3 does not exist (there are 1-2)",
        ),
        (
            step("goal = { bias = [0, 1], min = 0 }"),
            "step 1: goal (bias): bias = [0, 1]: layer 0 does not exist (there are 1-2)",
        ),
        (
            step("goal = { output = 2, min = 0.5 }"),
            "output = 2: output neuron 2 does not exist (there are 1-1)",
        ),
        (step("goal = { weight = [1, 1, 1] }"), "step 1: goal (weight): give min, max or both"),
        (
            step('goal = { weight = [1, 1, 1], min = 1, colour = "red" }'),
            "goal (weight): unknown key 'colour'",
        ),
        (step("goal = { accuracy = 1.5 }"), "accuracy = 1.5: expected a number from 0 to 1"),
        (step('goal = { loss = 0.1, on = "train" }'), 'on = "train": expected "test" or "training"'),
        (
            step("goal = { weight = [1, 1], min = 0 }"),
            "weight = [1, 1]: expected 3 whole numbers in brackets",
        ),
        (step('goal = { activation = "wobbly", layer = 1 }'), "unknown activation 'wobbly'"),
        (step('actions = [ { do = "select", neuron = [1, 1], layer = 1 } ]'), "select exactly one of"),
        (step('actions = [ { do = "set_input", values = [1, 2, 3] } ]'), "the network takes 2 inputs"),
        (
            step('actions = [ { do = "highlight", panel = "kitchen" } ]'),
            'panel = "kitchen": expected a panel: input',
        ),
        (step(text="Half $maths here."), "step 1: text: unclosed $maths$ span"),
        (step(text="Bad $w_$ here."), "step 1: text: _ or ^ without a subscript"),
        (step(text="A $\\\\frac{1}{2}$ here."), "unknown command \\frac"),
        (step(text="Some `code here."), "unclosed `code` span"),
        (step(text="Some **strong here."), "unclosed **strong** text"),
        (step(text="A <script>x</script>."), "HTML is not allowed"),
        (step('colour = "red"'), "step 1: the step: unknown key 'colour'"),
        ('[[steps]]\ntext = "x"\n', 'step 1: the step needs title = "..." (text)'),
        ("", "a lesson needs at least one [[steps]] table"),
    ],
)
def test_each_mistake_is_one_line_naming_the_file_and_step(tmp_path, body, expected):
    assert expected in error_of(write(tmp_path, body))


def test_an_example_opened_by_a_step_is_what_later_indices_are_checked_against(tmp_path):
    opens = step('actions = [ { do = "open_example", name = "classic" } ]')  # 2-2-2, after xor's 2-4-1
    assert load(write(tmp_path, opens + step("goal = { output = 2, min = 0.5 }"))).steps[1].goal
    assert "layer 1's neuron 3 does not exist" in error_of(
        write(tmp_path, opens + step('actions = [ { do = "select", neuron = [1, 3] } ]'))
    )


@pytest.mark.parametrize(
    ("head_text", "expected"),
    [
        (
            HEAD.replace("version = 1", "version = 2"),
            "version 2 is newer than this nnviz reads (1): update nnviz",
        ),
        (HEAD.replace("version = 1", 'version = "1"'), "version must be a whole number"),
        (HEAD.replace("nnviz-lesson", "nnviz"), 'not a lesson file: it needs format = "nnviz-lesson"'),
        (HEAD.replace("example:xor", "example:nope"), "no example named 'nope'"),
        (HEAD.replace("example:xor", "missing.nnviz"), "project 'missing.nnviz' cannot be opened"),
        (HEAD + "author = 'me'\n", "the lesson: unknown key 'author'"),
        ("format = [", "not a valid TOML file"),
    ],
)
def test_the_lesson_itself_is_checked(tmp_path, head_text, expected):
    assert expected in error_of(write(tmp_path, step(), head_text=head_text))


def test_a_project_next_to_the_lesson_is_checked_against_its_own_network(tmp_path):
    from nnviz.core.document import save_project
    from nnviz.core.examples import load_example

    save_project(load_example("classic"), tmp_path / "mine.nnviz")
    mine = head("mine.nnviz")
    assert load(write(tmp_path, step("goal = { output = 2, min = 0.5 }"), mine)).project_path.is_file()


def test_every_builtin_lesson_loads():
    paths = builtin_lesson_paths()
    assert paths[0].name == "01-one-neuron.nnlesson"
    for path in paths:
        assert 5 <= len(load(path).steps) <= 15, path
