"""One naming scheme for neurons, weights and biases, used by every surface (canvas, inspector, maths, undo
text, exports, the command line).

Two forms:

- **teaching** (small networks): the published step-by-step walk-through's names — inputs `i1, i2`, hidden
  neurons `h1, h2, …` (numbered on across hidden layers), outputs `o1, o2`, weights `w1, w2, …` numbered layer
  by layer, within a layer by the neuron they arrive at, then by the neuron they leave (so `w1` is i1→h1,
  `w2` i2→h1, `w3` i1→h2); a neuron's bias is `b` with the neuron as subscript (`b_h1`).
- **general** (every network): layer ℓ (0 = inputs), neuron j, weight `W⁽ℓ⁾ⱼᵢ` from neuron i of layer ℓ−1
  to neuron j of layer ℓ, bias `b⁽ℓ⁾ⱼ`; all counted from 1 except the layer.

Indices taken by this module are the arrays' own: `layer` as in `Trace` (0 = input), `j`, `i` from 0, and a
weight's layer is the layer it arrives at (`weights[layer - 1][j][i]`).
"""

from __future__ import annotations

from dataclasses import dataclass

#: networks with at most this many weights get the teaching names (w1 … w64 stay readable)
TEACHING_MAX_WEIGHTS = 64
TEACHING, GENERAL = "teaching", "general"
SCHEMES = (TEACHING, GENERAL)

_SUP = str.maketrans("0123456789()+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻")
_SUB = str.maketrans("0123456789()+-", "₀₁₂₃₄₅₆₇₈₉₍₎₊₋")
_LATEX_GREEK = {"α": r"\alpha", "β": r"\beta", "δ": r"\delta", "η": r"\eta"}


@dataclass(frozen=True)
class Symbol:
    """A name with an optional subscript and superscript, written out for each kind of output."""

    base: str
    sub: str = ""
    sup: str = ""

    @property
    def text(self) -> str:
        """Plain text: teaching names as typed (`w5`, `out_h1`), general ones with Unicode scripts
        (`W⁽²⁾₁₂`)."""
        sup = self.sup.translate(_SUP) if self.sup else ""
        if not self.sub:
            return self.base + sup
        if self.sup:
            return self.base + sup + self.sub.translate(_SUB)
        if self.sub.replace(",", "").isdigit() and len(self.base) == 1:
            return self.base + self.sub
        return f"{self.base}_{self.sub}"

    @property
    def html(self) -> str:
        base = f"<i>{self.base}</i>" if len(self.base) == 1 else self.base
        sup = f"<sup>{self.sup}</sup>" if self.sup else ""
        sub = f"<sub>{self.sub}</sub>" if self.sub else ""
        return base + sup + sub

    @property
    def latex(self) -> str:
        base = _LATEX_GREEK.get(self.base) or (
            self.base if len(self.base) == 1 else rf"\mathrm{{{self.base}}}"
        )
        sup = f"^{{{self.sup}}}" if self.sup else ""
        sub = f"_{{{self.sub}}}" if self.sub else ""
        return base + sup + sub

    def __str__(self) -> str:
        return self.text


def _pair(j: int, i: int) -> str:
    """`12` for (1, 2); a comma when an index has two digits, so `1,12` is not read as `11,2`."""
    return f"{j},{i}" if j > 9 or i > 9 else f"{j}{i}"


def _piece(piece: int | None) -> str:
    return "" if piece is None else f",{piece + 1}"


def _layer_piece(layer: int, piece: int | None) -> str:
    return f"({layer}{_piece(piece)})"


class Names:
    """The names of one network's neurons, weights and biases in one scheme.

    `Names(sizes)` gives teaching names when the network is small enough, `Names(sizes, GENERAL)` always
    the general form. `scheme` is the form actually used.
    """

    def __init__(self, sizes: list[int] | tuple[int, ...], scheme: str = TEACHING) -> None:
        if scheme not in SCHEMES:
            raise ValueError(f"naming scheme must be one of {', '.join(SCHEMES)}, got {scheme!r}")
        self.sizes = list(sizes)
        n_weights = sum(a * b for a, b in zip(self.sizes, self.sizes[1:], strict=False))
        self.scheme = TEACHING if scheme == TEACHING and n_weights <= TEACHING_MAX_WEIGHTS else GENERAL
        # the teaching number of the first weight into each layer, and of each hidden layer's first neuron
        self._first_weight = [0, 0]
        for a, b in zip(self.sizes, self.sizes[1:], strict=False):
            self._first_weight.append(self._first_weight[-1] + a * b)
        self._first_hidden = [0, 0]
        for size in self.sizes[1:-1]:
            self._first_hidden.append(self._first_hidden[-1] + size)

    @property
    def teaching(self) -> bool:
        return self.scheme == TEACHING

    @property
    def output_layer(self) -> int:
        return len(self.sizes) - 1

    # -- neurons -----------------------------------------------------------------------------------------
    def neuron(self, layer: int, j: int) -> str:
        """A neuron's short name: `h1`, or `n⁽¹⁾₁` in the general form."""
        if self.teaching:
            if layer == 0:
                return f"i{j + 1}"
            if layer == self.output_layer:
                return f"o{j + 1}"
            return f"h{self._first_hidden[layer] + j + 1}"
        return Symbol("n", str(j + 1), f"({layer})").text

    def layer_name(self, layer: int) -> str:
        """`input layer`, `hidden layer 1`, `output layer`."""
        if layer == 0:
            return "input layer"
        if layer == self.output_layer:
            return "output layer"
        return f"hidden layer {layer}"

    def describe_neuron(self, layer: int, j: int) -> str:
        """`h1 (hidden layer 1, neuron 1)`: the short name with where it is."""
        return f"{self.neuron(layer, j)} ({self.layer_name(layer)}, neuron {j + 1})"

    def net(self, layer: int, j: int, piece: int | None = None) -> Symbol:
        """The neuron's weighted sum: `net_h1` (teaching) or `z⁽ℓ⁾ⱼ`; a maxout piece's (0-based `piece`)
        `net_h1,2` or `z⁽ℓ,²⁾ⱼ`."""
        if self.teaching:
            return Symbol("net", self.neuron(layer, j) + _piece(piece))
        return Symbol("z", str(j + 1), _layer_piece(layer, piece))

    def out(self, layer: int, j: int) -> Symbol:
        """The neuron's activation: `out_h1` (an input is just `i1`) or `a⁽ℓ⁾ⱼ` (inputs `xⱼ`)."""
        if layer == 0:
            return Symbol("i", str(j + 1)) if self.teaching else Symbol("x", str(j + 1))
        if self.teaching:
            return Symbol("out", self.neuron(layer, j))
        return Symbol("a", str(j + 1), f"({layer})")

    def target(self, j: int) -> Symbol:
        return (
            Symbol("target", self.neuron(self.output_layer, j)) if self.teaching else Symbol("t", str(j + 1))
        )

    # -- parameters --------------------------------------------------------------------------------------
    def weight(self, layer: int, j: int, i: int, piece: int | None = None) -> Symbol:
        """The weight from neuron i of layer−1 to neuron j of `layer`: `w5` or `W⁽²⁾₁₂`; in a maxout layer
        one per piece (0-based `piece`): `w5,2` or `W⁽²,²⁾₁₂`."""
        if self.teaching:
            number = self._first_weight[layer] + j * self.sizes[layer - 1] + i + 1
            return Symbol("w", f"{number}{_piece(piece)}")
        return Symbol("W", _pair(j + 1, i + 1), _layer_piece(layer, piece))

    def bias(self, layer: int, j: int, piece: int | None = None) -> Symbol:
        """Neuron j of `layer`'s bias: `b_h1` or `b⁽ℓ⁾ⱼ` (a maxout piece's `b_h1,2` or `b⁽ℓ,²⁾ⱼ`)."""
        if self.teaching:
            return Symbol("b", self.neuron(layer, j) + _piece(piece))
        return Symbol("b", str(j + 1), _layer_piece(layer, piece))

    def describe_weight(self, layer: int, j: int, i: int) -> str:
        """`w5 (h1 → o1)`: the weight's name with the edge it sits on."""
        return f"{self.weight(layer, j, i)} ({self.neuron(layer - 1, i)} → {self.neuron(layer, j)})"
