"""Lesson text: maths between dollar signs set as the math panel sets formulas."""

from nnviz.lessons.text import formula_html, markdown_with_maths


def test_one_letter_symbols_are_italic_words_upright_and_scripts_nest():
    assert (
        formula_html("z = w_1 x_{12} + b")
        == "<i>z</i> = <i>w</i><sub>1</sub> <i>x</i><sub>12</sub> + <i>b</i>"
    )
    assert formula_html("tanh(e^{-z})") == "tanh(<i>e</i><sup>−<i>z</i></sup>)"
    assert formula_html("\\sigma < 1 & x") == "σ &lt; 1 &amp; <i>x</i>"


def test_only_maths_outside_code_spans_becomes_html():
    assert markdown_with_maths("see $a$ and `$a$`") == "see <span><i>a</i></span> and `$a$`"


def test_markdown_characters_inside_a_formula_stay_characters():
    assert formula_html("a*b*c") == "<i>a</i>&#42;<i>b</i>&#42;<i>c</i>"
