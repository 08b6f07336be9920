"""The built-in course as a whole: at least the eight lessons of the course, numbered in order, each one
5 to 15 steps, each loading cleanly; `nnviz lessons` lists them all."""

import re

from nnviz.cli import main
from nnviz.lessons.builtin import builtin_lesson_paths
from nnviz.lessons.format import load

COURSE = [
    "One neuron",
    "Activation functions",
    "Layers and the forward pass",
    "Loss: how wrong is the network?",
    "Backpropagation by hand",
    "Training: the size of a step",
    "Playground challenges",
    "Reading handwritten digits",
]


def test_the_course_is_eight_lessons_in_order_each_of_5_to_15_steps():
    paths = builtin_lesson_paths()
    assert [int(p.name[:2]) for p in paths] == list(range(1, len(paths) + 1))
    assert all(re.fullmatch(r"\d\d-[a-z0-9-]+\.nnlesson", p.name) for p in paths)
    lessons = [load(p) for p in paths]
    assert [lesson.title for lesson in lessons[: len(COURSE)]] == COURSE
    for lesson in lessons:
        assert 5 <= len(lesson.steps) <= 15, lesson.title
        assert lesson.summary, lesson.title


def test_nnviz_lessons_lists_at_least_the_eight_of_the_course(capsys):
    assert main(["lessons"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 8
    listed = [re.fullmatch(r" ?(\d+)  (.+) \((\d+) steps\)", line).groups() for line in lines]
    assert [(int(n), title) for n, title, _ in listed[:8]] == list(enumerate(COURSE, start=1))
