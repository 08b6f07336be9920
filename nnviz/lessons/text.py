"""A lesson step's text: Markdown with inline maths between dollar signs (docs/lessons.md, "Text").

Checked when the lesson loads, so a teacher learns of an unclosed `$`, code span or `**` from
`nnviz lessons --check` rather than from a half-rendered panel. Maths is written in plain Unicode (σ, ·, −)
with `_` and `^` for sub- and superscripts and a few `\\name` commands; it becomes the small HTML the math
panel uses (italic one-letter symbols, <sub>, <sup>), passed through Markdown as inline HTML.
"""

from __future__ import annotations

import html
import re

#: `\name` commands a formula may use, and what they stand for
COMMANDS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "eta": "η",
    "theta": "θ", "lambda": "λ", "mu": "μ", "sigma": "σ", "Sigma": "Σ", "sum": "∑", "partial": "∂",
    "cdot": "·", "times": "×", "le": "≤", "ge": "≥", "ne": "≠", "approx": "≈", "to": "→", "infty": "∞",
    "prime": "′", "dollar": "$",
}  # fmt: skip

_CODE = re.compile(r"(`+)(.*?)\1", re.DOTALL)
_MATHS = re.compile(r"(?<!\\)\$(.*?)(?<!\\)\$", re.DOTALL)
_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*|!--)")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
# Characters Markdown would still read inside a formula's HTML (a*b*c as emphasis): written as entities.
_MARKDOWN_SAFE = {c: f"&#{ord(c)};" for c in "*[]`\\~"}


class TextError(ValueError):
    """Text a lesson step cannot show as written; the message says what to fix."""


def check_text(text: str) -> None:
    """Raise TextError for an unclosed code span, maths span or `**`, raw HTML, or a bad formula."""
    for paragraph in re.split(r"\n\s*\n", text):
        prose = _CODE.sub("", paragraph)
        if "`" in prose:
            raise TextError(f"unclosed `code` span in {_quote(paragraph)}")
        for formula in _MATHS.findall(prose):
            check_formula(formula)
        prose = _MATHS.sub("", prose)
        if re.search(r"(?<!\\)\$", prose):
            raise TextError(f"unclosed $maths$ span in {_quote(paragraph)}")
        if prose.count("**") % 2:
            raise TextError(f"unclosed **strong** text in {_quote(paragraph)}")
        if _TAG.search(prose):
            raise TextError(f"HTML is not allowed in lesson text (write Markdown) in {_quote(paragraph)}")


def check_formula(formula: str) -> None:
    """Raise TextError unless `formula` is a non-empty formula with balanced braces, an operand after every
    `_` and `^`, and known `\\name` commands."""
    if not formula.strip():
        raise TextError("empty $$ maths span")
    depth = 0
    for char in formula:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            raise TextError(f"unbalanced }} in ${formula}$")
    if depth:
        raise TextError(f"unclosed {{ in ${formula}$")
    if re.search(r"[_^](\s|$|[_^}])", formula):
        raise TextError(f"_ or ^ without a subscript or superscript after it in ${formula}$")
    for name in _COMMAND.findall(formula):
        if name not in COMMANDS:
            raise TextError(f"unknown command \\{name} in ${formula}$ (write the symbol itself, e.g. σ)")


def formula_html(formula: str) -> str:
    """The formula as the math panel sets one: one-letter Latin symbols italic, words (tanh, max) upright,
    `x_1`, `x_{ij}`, `e^{-z}` as sub- and superscripts. `formula` must pass `check_formula`."""
    out: list[str] = []
    i = 0
    while i < len(formula):
        char = formula[i]
        if char in "_^":
            body, i = _group(formula, i + 1)
            tag = "sub" if char == "_" else "sup"
            out.append(f"<{tag}>{formula_html(body)}</{tag}>")
            continue
        if char == "\\" and (command := _COMMAND.match(formula, i)):
            out.append(html.escape(COMMANDS[command.group(1)]))
            i = command.end()
            continue
        word = re.match(r"[A-Za-z]+", formula[i:])
        if word:
            text = word.group()
            out.append(f"<i>{text}</i>" if len(text) == 1 else text)
            i += len(text)
            continue
        out.append(_MARKDOWN_SAFE.get(char) or html.escape("−" if char == "-" else char))
        i += 1
    return "".join(out)


def markdown_with_maths(text: str) -> str:
    """`text` for a Markdown renderer: each `$formula$` outside code spans becomes inline HTML."""
    pieces = []
    last = 0
    for code in _CODE.finditer(text):
        pieces.append(_with_formulas(text[last : code.start()]))
        pieces.append(code.group())
        last = code.end()
    pieces.append(_with_formulas(text[last:]))
    return "".join(pieces)


def _with_formulas(prose: str) -> str:
    return _MATHS.sub(lambda m: f"<span>{formula_html(m.group(1))}</span>", prose)


def _group(formula: str, start: int) -> tuple[str, int]:
    """The sub- or superscript starting at `start`: `{...}` (its inside) or one character."""
    if formula.startswith("{", start):
        depth = 0
        for end in range(start, len(formula)):
            depth += {"{": 1, "}": -1}.get(formula[end], 0)
            if depth == 0:
                return formula[start + 1 : end], end + 1
    return formula[start : start + 1], start + 1


def _quote(paragraph: str) -> str:
    """The paragraph's start, on one line, to say where the problem is."""
    line = " ".join(paragraph.split())
    return f'"{line[:40]}…"' if len(line) > 40 else f'"{line}"'
