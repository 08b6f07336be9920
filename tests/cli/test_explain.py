"""`nnviz explain`: the walk-through as a handout, with the published example's figures, in three formats,
and errors as one line."""

import re
from pathlib import Path

import pytest

from nnviz.cli import main

CLASSIC = Path(__file__).parents[2] / "resources" / "examples" / "classic.nnviz"
SAMPLE = ("--input", "0.05,0.10", "--target", "0.01,0.99")
# forward values, E_total, the factors of ∂E/∂w5 and ∂E/∂w1, the eight new weights, the exact new loss
PUBLISHED_AT_8_DIGITS = [
    "out_h1 = ",
    "0.59326999",
    "0.59688438",
    "1.105906",
    "0.75136507",
    "0.77292847",
    "≈ 0.29837111",
    "0.74136507 · 0.1868156 · 0.59326999 = 0.082167041",
    "0.036350306 · 0.24130071 · 0.05 = 0.00043856773",
    "= 0.14978072",
    "= 0.19956143",
    "= 0.24975114",
    "= 0.29950229",
    "= 0.35891648",
    "= 0.40866619",
    "= 0.51130127",
    "= 0.56137012",
    "≈ 0.29102777",
]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_text_handout_shows_the_published_figures_and_says_where_one_differs(capsys):
    code, out, err = run(capsys, "explain", CLASSIC, *SAMPLE)
    assert code == 0
    assert err == ""
    for figure in PUBLISHED_AT_8_DIGITS:
        assert figure in out
    new_loss = next(line for line in out.splitlines() if line.startswith("E_total⁺"))
    assert "published: 0.291027924" in new_loss
    assert "The biases stay as they are" in out


def test_four_digits_and_the_learning_rate_option(capsys):
    _, out, _ = run(capsys, "explain", CLASSIC, *SAMPLE, "--digits", "4", "--lr", "1")
    assert "out_h1 = 1/(1 + e^(−β·net_h1)) = 1/(1 + e^(−1·0.3775)) = 0.5933" in out
    assert "w5⁺ = w5 − η·∂E_total/∂w5 = 0.4 − 1·0.08217 = 0.4 − 0.0822 = 0.3178" in out
    assert "published" not in out  # another learning rate is not the published example


def test_without_a_target_only_the_forward_pass(capsys):
    _, out, _ = run(capsys, "explain", CLASSIC, "--input", "0.05,0.10")
    assert "out_o2 = " in out
    assert "∂" not in out


def test_markdown_writes_the_formulas_in_latex(capsys):
    _, out, _ = run(capsys, "explain", CLASSIC, *SAMPLE, "--format", "markdown")
    assert r"\frac{\partial E_{total}}{\partial w_{5}}" in out
    assert r"\begin{aligned}" in out
    assert r"\beta" in out


def test_html_is_one_self_contained_page(tmp_path, capsys):
    path = tmp_path / "walk.html"
    code, out, _ = run(capsys, "explain", CLASSIC, *SAMPLE, "--format", "html", "-o", path)
    assert code == 0
    assert out == f"wrote {path}\n"
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert not re.search(r"(src|href)\s*=|https?:|@import|<script", page)  # nothing fetched
    assert "<i>w</i><sub>5</sub>" in page
    assert '<span class="frac">' in page
    assert "0.35891648" in page


def test_the_general_names(capsys):
    _, out, _ = run(capsys, "explain", CLASSIC, *SAMPLE, "--names", "general")
    assert "∂E_total/∂W⁽²⁾₁₁ = " in out
    assert "W⁽²⁾₁₁⁺ = " in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--input", "0.05"), "--input has 1 values"),
        (("--input", "0.05,0.1", "--target", "1"), "--target has 1 values"),
        (("--input", "0.05,0.1", "--digits", "5"), "--digits"),
        (("--input", "0.05,0.1", "--format", "pdf"), "--format"),
        (("--input", "0.05,x"), "expected a number"),
    ],
)
def test_errors_are_one_line(capsys, args, message):
    code, out, err = run(capsys, "explain", CLASSIC, *args)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("nnviz: error: ")
    assert message in err


def test_a_missing_file_is_one_line(tmp_path, capsys):
    code, _, err = run(capsys, "explain", tmp_path / "none.nnviz", "--input", "1,2")
    assert code == 2
    assert len(err.splitlines()) == 1
