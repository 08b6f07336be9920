"""Writing a `walkthrough.Walkthrough` out: plain text, Markdown (with LaTeX maths), a self-contained HTML
page (no network access: no scripts, no fonts or styles fetched), and the rich-text fragment the math panel
shows (Qt's rich text has no inline blocks, so its fractions are written with a slash).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

import numpy as np

from nnviz.core.names import Names
from nnviz.core.network import Network, Trace
from nnviz.core.walkthrough import (
    Equation,
    Expr,
    Frac,
    Num,
    Op,
    Partial,
    Pow,
    Section,
    Sym,
    Walkthrough,
    is_one_term,
    plain_text,
)

FORMATS = ("text", "markdown", "html")


# -- plain text ---------------------------------------------------------------------------------------------
def _relations(e: Equation) -> list[str]:
    """The sign before each part of the right side: `=`, and `≈` before a final rounding."""
    return ["=" if n < len(e.rhs) - 1 or not e.approx else "≈" for n in range(len(e.rhs))]


def _equation_text(e: Equation) -> str:
    text = plain_text(e.lhs) + "".join(
        f" {r} {plain_text(x)}" for r, x in zip(_relations(e), e.rhs, strict=True)
    )
    return text + (f"    [{e.note}]" if e.note else "")


def section_text(s: Section) -> str:
    lines = [s.title, *(_equation_text(e) for e in s.equations)]
    if s.prose:
        lines.append(s.prose)
    return "\n".join(lines)


def to_text(walk: Walkthrough) -> str:
    return "\n\n".join(section_text(s) for s in walk.sections) + "\n"


# -- LaTeX for Markdown -------------------------------------------------------------------------------------
_LATEX_OPS = {"·": r"\cdot ", "−": "-", "…": r"\ldots ", "½": r"\tfrac{1}{2}", "∂": r"\partial "}


def _latex_op(text: str) -> str:
    stripped = text.strip()
    if stripped in ("max", "tanh", "ln", "step"):
        return rf"\operatorname{{{stripped}}}"
    if stripped.startswith("…"):
        return rf"\;\text{{{stripped}}}\;"
    if stripped.startswith("·ln"):
        return r"\cdot\ln "
    for k, v in _LATEX_OPS.items():
        text = text.replace(k, v)
    return text.replace("|", r"\lvert ").replace("[", r"\left[").replace("]", r"\right]")


def latex(expr: Expr) -> str:
    out = []
    for t in expr:
        if isinstance(t, Sym):
            s = t.symbol.latex
            out.append(rf"{{{s}}}^{{+}}" if t.updated else s)
        elif isinstance(t, Num):
            out.append(t.text.replace("−", "-"))
        elif isinstance(t, Op):
            out.append(_latex_op(t.text))
        elif isinstance(t, Partial):
            out.append(rf"\frac{{\partial {latex((t.top,))}}}{{\partial {latex((t.bottom,))}}}")
        elif isinstance(t, Frac):
            out.append(rf"\frac{{{latex(t.num)}}}{{{latex(t.den)}}}")
        elif isinstance(t, Pow):
            out.append(rf"{{{latex(t.base)}}}^{{{latex(t.exp)}}}")
    return "".join(out)


def to_markdown(walk: Walkthrough) -> str:
    parts = [f"# The walk-through ({walk.digits} significant digits, {walk.names.scheme} names)\n"]
    for s in walk.sections:
        parts.append(f"## {s.title}\n")
        rows = []
        for e in s.equations:
            signs = [r"\approx" if r == "≈" else "=" for r in _relations(e)]
            rhs = r" \\ ".join(f"&{sign} {latex(r)}" for sign, r in zip(signs, e.rhs, strict=True))
            note = rf" && \text{{{_latex_text(e.note)}}}" if e.note else ""
            rows.append(f"{latex(e.lhs)} {rhs}{note}")
        parts.append("$$\n\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}\n$$\n")
        if s.prose:
            parts.append(s.prose + "\n")
    return "\n".join(parts)


def _latex_text(text: str) -> str:
    return text.replace("\\", "").replace("{", "").replace("}", "").replace("_", r"\_").replace("%", r"\%")


# -- HTML ---------------------------------------------------------------------------------------------------
def html(expr: Expr, inline_fractions: bool = False) -> str:
    """HTML for an expression; `inline_fractions` writes fractions with a slash (Qt's rich text)."""
    out = []
    for t in expr:
        if isinstance(t, Sym):
            out.append(t.symbol.html + ("<sup>+</sup>" if t.updated else ""))
        elif isinstance(t, (Num, Op)):
            out.append(escape(t.text))
        elif isinstance(t, Partial):
            out.append(_fraction(f"∂{html((t.top,))}", f"∂{html((t.bottom,))}", inline_fractions))
        elif isinstance(t, Frac):
            out.append(
                _fraction(html(t.num, inline_fractions), html(t.den, inline_fractions), inline_fractions)
            )
        elif isinstance(t, Pow):
            out.append(f"{html(t.base, inline_fractions)}<sup>{html(t.exp, inline_fractions)}</sup>")
    return "".join(out)


def _fraction(num: str, den: str, inline: bool) -> str:
    if inline:

        def wrap(s: str) -> str:
            return s if is_one_term(re.sub(r"<[^>]*>", "", s)) else f"({s})"

        return f"{wrap(num)}/{wrap(den)}"
    return f'<span class="frac"><span>{num}</span><span>{den}</span></span>'


def section_html(s: Section, inline_fractions: bool = False) -> str:
    """One section as a heading and a table whose equals signs line up."""
    rows = []
    for e in s.equations:
        for n, (sign, r) in enumerate(zip(_relations(e), e.rhs, strict=True)):
            lhs = html(e.lhs, inline_fractions) if n == 0 else ""
            rows.append(
                f'<tr><td class="lhs" align="right" nowrap>{lhs}</td><td nowrap>&nbsp;{sign}&nbsp;</td>'
                f"<td nowrap>{html(r, inline_fractions)}</td></tr>"
            )
        if e.note:
            rows.append(f'<tr><td></td><td></td><td class="note"><i>{escape(e.note)}</i></td></tr>')
    prose = f"<p>{escape(s.prose)}</p>" if s.prose else ""
    return f'<h3>{escape(s.title)}</h3><table cellspacing="2">{"".join(rows)}</table>{prose}'


_STYLE = """
body { font-family: "DejaVu Serif", Georgia, serif; max-width: 62em; margin: 2em auto; padding: 0 1em;
       line-height: 1.5; color: #1b1b1b; background: #fff; }
@media (prefers-color-scheme: dark) { body { color: #e6e6e6; background: #1e1e1e; } }
h3 { font-family: sans-serif; font-size: 1.05em; margin: 1.6em 0 0.4em; }
td { vertical-align: middle; padding: 0.1em 0; white-space: nowrap; }
td.note { padding-left: 1.5em; opacity: 0.75; white-space: normal; }
.frac { display: inline-flex; flex-direction: column; vertical-align: middle; text-align: center;
        margin: 0 0.15em; }
.frac > span:first-child { border-bottom: 1px solid currentColor; padding: 0 0.15em; }
.frac > span { font-size: 0.9em; line-height: 1.2; }
"""


def to_html(walk: Walkthrough) -> str:
    body = "\n".join(section_html(s) for s in walk.sections)
    title = f"The walk-through ({walk.digits} significant digits, {walk.names.scheme} names)"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n"
        f"<body><h2>{escape(title)}</h2>\n{body}\n</body></html>\n"
    )


def render(walk: Walkthrough, format: str) -> str:
    """`walk` in one of FORMATS."""
    if format == "text":
        return to_text(walk)
    if format == "markdown":
        return to_markdown(walk)
    if format == "html":
        return to_html(walk)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")


#: the matrix form is written out for layers up to this many neurons and inputs
MATRIX_LIMIT = 6


def _matrix(rows: list[list[str]]) -> str:
    """A matrix or column vector as a bordered HTML table (Qt's rich text has no brackets that stretch)."""
    body = "".join("<tr>" + "".join(f'<td align="right">{c}</td>' for c in row) + "</tr>" for row in rows)
    return f'<table border="1" cellspacing="0" cellpadding="3" style="border-style: solid">{body}</table>'


def layer_html(
    network: Network,
    trace: Trace,
    layer: int,
    names: Names,
    digits: int,
    known: Sequence[np.ndarray] | None = None,
) -> str:
    """Layer `layer` in matrix form `out = f(W·in + b)`, with its numbers when the layer is small; `known`
    (per layer, which neurons may be shown; None: all) writes "?" for values not computed yet."""
    from nnviz.core.numbers import fmt

    w, b = network.weights[layer - 1], network.biases[layer - 1]
    title = f"<h3>{escape(names.layer_name(layer)).capitalize()} in matrix form: out = f(W·in + b)</h3>"
    pieces = network.activations[layer - 1].pieces
    if pieces > 1:
        return title + f"<p>maxout: each of the {pieces} pieces has its own W and b; out is the largest.</p>"
    if w.shape[0] > MATRIX_LIMIT or w.shape[1] > MATRIX_LIMIT:
        return title + f"<p>W is {w.shape[0]}×{w.shape[1]}: too large to write out here.</p>"

    def column(values: np.ndarray, k: int) -> list[list[str]]:
        shown = [True] * len(values) if known is None else known[k]
        return [[escape(fmt(float(v), digits)) if ok else "?"] for v, ok in zip(values, shown, strict=True)]

    weights = [[f"{names.weight(layer, j, i).html} = {escape(fmt(float(w[j, i]), digits))}"
                for i in range(w.shape[1])] for j in range(w.shape[0])]  # fmt: skip
    cells = [
        ("W", _matrix(weights)),
        ("in", _matrix(column(trace.a[layer - 1][0], layer - 1))),
        ("b", _matrix([[escape(fmt(float(v), digits))] for v in b])),
        ("W·in + b", _matrix(column(trace.z[layer][0], layer))),
        ("out", _matrix(column(trace.a[layer][0], layer))),
    ]
    row = "".join(f'<td valign="middle" align="center">{label}<br>{m}</td>' for label, m in cells)
    return title + f'<table cellspacing="6"><tr>{row}</tr></table>'
