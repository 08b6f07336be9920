"""The whole backpropagation walk-through of one sample, as structured equations: the one source of the
text that the math panel and `nnviz explain` render (as rich text, Markdown, HTML or plain text).

It follows the published step-by-step walk-through: the forward pass neuron by neuron (`net = Σ w·out + b`,
`out = f(net)`), the error, the backward pass with the chain rule factor by factor
(∂E/∂out · ∂out/∂net · ∂net/∂w, then the product), each gradient on its own line with its own name, the
update `w⁺ = w − η·∂E/∂w` layer by layer (biases too unless "update biases" is off), and the error on the
same sample after the update. Every number is the network's own float64 value; only the display rounds,
through `numbers` (terms of a sum add up to the shown result).

Equations are sequences of tokens (`Sym`, `Num`, `Op`, `Frac`, `Pow`, `Plus`) so each renderer can write
sub/superscripts and fractions its own way. Names come from `names.Names`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from typing import TypeVar

import numpy as np

from nnviz.core.activations import Activation, maxout_winners
from nnviz.core.losses import as_target_matrix, get_loss
from nnviz.core.names import TEACHING, Names, Symbol
from nnviz.core.network import Network, NetworkError, Trace
from nnviz.core.numbers import DIGITS, fmt, plain, sum_parts
from nnviz.core.published import figures_for
from nnviz.core.stepping import NeuronStep, NewLossStep, OutputErrorStep, Step, UpdateStep

#: terms shown at each end of a long sum (784 pixels): the middle is said, not written
EDGE_TERMS = 3
#: weight updates shown at each end of a long layer (a 784-input layer has 12,544)
UPDATES_SHOWN = 32
#: the sigmoid's slope parameter, written with its own letter (its value is given beside every use)
SLOPE = "β"


# -- tokens -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sym:
    """A named quantity; `updated` marks the value after the update (`w5⁺`)."""

    symbol: Symbol
    updated: bool = False


@dataclass(frozen=True)
class Num:
    text: str


@dataclass(frozen=True)
class Op:
    """An operator or word, with its own spacing (`" + "`, `"·"`, `"("`)."""

    text: str


@dataclass(frozen=True)
class Frac:
    num: Expr
    den: Expr


@dataclass(frozen=True)
class Pow:
    base: Expr
    exp: Expr


@dataclass(frozen=True)
class Partial:
    """A partial derivative ∂top/∂bottom, written as a fraction."""

    top: Sym
    bottom: Sym


Token = Sym | Num | Op | Frac | Pow | Partial
Expr = tuple[Token, ...]
#: which step of the walk-through a section is, e.g. `("forward", layer, j)` (see `Section`)
SectionKey = tuple[str | int, ...]
_T = TypeVar("_T")
#: the backward pass's arrays by layer: ∂E/∂out and δ; the slope ∂out/∂net (None: a softmax, not element-wise)
_Layers = dict[int, np.ndarray]
_Slopes = dict[int, np.ndarray | None]

PLUS, MINUS, TIMES, EQUALS = Op(" + "), Op(" − "), Op(" · "), Op(" = ")
LP, RP = Op("("), Op(")")

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def is_one_term(text: str) -> bool:
    """No spaces or operators in `text`: it needs no brackets as a fraction's part or an exponent."""
    return not any(c in text for c in " +−·/")


def plain_text(expr: Expr) -> str:
    """`expr` on one line of plain text: the equations' names, and `nnviz explain`'s text format."""
    out = []
    for t in expr:
        if isinstance(t, Sym):
            out.append(t.symbol.text + ("⁺" if t.updated else ""))
        elif isinstance(t, (Num, Op)):
            out.append(t.text)
        elif isinstance(t, Partial):
            out.append(f"∂{plain_text((t.top,))}/∂{plain_text((t.bottom,))}")
        elif isinstance(t, Frac):
            num, den = plain_text(t.num), plain_text(t.den)
            out.append(f"{num if is_one_term(num) else f'({num})'}/{den if is_one_term(den) else f'({den})'}")
        elif isinstance(t, Pow):
            exp = plain_text(t.exp)
            if exp.isdigit():
                out.append(plain_text(t.base) + exp.translate(_SUPERSCRIPTS))
            else:
                out.append(plain_text(t.base) + ("^" + exp if is_one_term(exp) else f"^({exp})"))
    return "".join(out)


@dataclass(frozen=True)
class Equation:
    """`lhs = rhs[0] = rhs[1] = …`; `value` is the float the last part shows, `name` the lhs as plain text
    (`out_h1`, `∂E_total/∂w5`, `w5⁺`), `note` a remark written beside it."""

    lhs: Expr
    rhs: tuple[Expr, ...]
    value: float
    name: str
    note: str = ""
    #: the last part is the one before it rounded to the chosen precision: written `≈`, not `=`
    approx: bool = False


@dataclass(frozen=True)
class Section:
    """One step of the walk-through. `key` says which: `("forward", layer, j)`, `("loss",)`,
    `("delta", layer, j)`, `("gradient", layer, j)`, `("update", layer)`, `("new_loss",)`."""

    key: SectionKey
    title: str
    equations: tuple[Equation, ...]
    prose: str = ""


@dataclass(frozen=True)
class Walkthrough:
    sections: tuple[Section, ...]
    names: Names
    digits: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    def section(self, key: SectionKey) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def equation(self, name: str) -> Equation:
        """The equation whose left side reads `name` (for tests and look-ups); KeyError if there is none."""
        for s in self.sections:
            for e in s.equations:
                if e.name == name:
                    return e
        raise KeyError(name)


# -- small builders -----------------------------------------------------------------------------------------
def _join(exprs: Sequence[Expr], op: Op) -> Expr:
    out: list[Token] = []
    for n, e in enumerate(exprs):
        if n:
            out.append(op)
        out.extend(e)
    return tuple(out)


def _elide(items: Sequence[_T], what: str = "terms") -> list[_T | tuple[Op]]:
    """Keep the ends of a long list; the middle becomes one `Op` saying how many were left out."""
    if len(items) <= 2 * EDGE_TERMS + 1:
        return list(items)
    return [
        *items[:EDGE_TERMS],
        (Op(f"… ({len(items) - 2 * EDGE_TERMS} more {what}) …"),),
        *items[-EDGE_TERMS:],
    ]


def _sum(exprs: Sequence[Expr], tail: int = 0) -> Expr:
    """`a + b + c`; a long sum keeps its ends, and its last `tail` terms (a bias) always."""
    cut = len(exprs) - tail
    return _join(_elide(exprs[:cut]) + list(exprs[cut:]), PLUS)


def _signed_sum(shown: Sequence[Decimal], tail: int = 0) -> Expr:
    """Shown terms (Decimals) as `a + b − c`: a negative term after the first is subtracted."""
    signed = [(not d.is_nan() and d < 0, plain(abs(d))) for d in shown]  # NaN: no order (InvalidOperation)
    cut = len(signed) - tail
    out: list[Token] = []
    for n, item in enumerate([*_elide(signed[:cut]), *signed[cut:]]):
        if len(item) == 1:  # the elided middle
            out += [PLUS, item[0]]
        elif n == 0:
            out.append(Num(("−" if item[0] else "") + item[1]))
        else:
            out += [MINUS if item[0] else PLUS, Num(item[1])]
    return tuple(out)


class _Writer:
    """Formats numbers at one precision."""

    def __init__(self, digits: int) -> None:
        if digits not in DIGITS:
            raise ValueError(f"digits must be one of {', '.join(map(str, DIGITS))}, got {digits}")
        self.digits = digits

    def num(self, x: float) -> Num:
        return Num(fmt(x, self.digits))

    def factor(self, x: float) -> Expr:
        """A number used as a factor: a negative one in parentheses."""
        return (LP, self.num(x), RP) if x < 0 else (self.num(x),)

    def product(self, factors: Sequence[float]) -> Expr:
        return _join([self.factor(f) for f in factors], TIMES)

    def total(
        self, values: Sequence[float], total: float, keep_terms: bool = False, tail: int = 0
    ) -> tuple[Expr, list[Expr], list[Num]]:
        """`a + b − c`, the result (adding up exactly), and each term as shown there. Terms that have lines of
        their own (`keep_terms`) keep their significant digits there and here; a result that then has more
        digits than asked for is followed by its rounding (`≈`, see `Equation.approx`)."""
        shown, result = sum_parts(list(values), total, self.digits, keep_terms)
        results: list[Expr] = [(Num(plain(result)),)]
        if keep_terms and plain(result) != fmt(total, self.digits):
            results.append((self.num(total),))
        return _signed_sum(shown, tail), results, [Num(plain(d)) for d in shown]


def _sym(s: Symbol, updated: bool = False) -> Sym:
    return Sym(s, updated)


def _partial(top: Symbol, bottom: Symbol) -> Partial:
    return Partial(Sym(top), Sym(bottom))


def _text(token_or_expr: Token | Expr) -> str:
    return plain_text(token_or_expr if isinstance(token_or_expr, tuple) else (token_or_expr,))


# -- activations --------------------------------------------------------------------------------------------
def _activation_expr(act: Activation, net: Expr) -> Expr:
    """`f(net)` written out, with the sigmoid's slope as β."""
    wrapped = net if len(net) == 1 or (net[0] == LP and net[-1] == RP) else (LP, *net, RP)
    e = (Sym(Symbol("e")),)
    name = act.name
    if name == "sigmoid":
        return (
            Frac((Num("1"),), (Num("1"), PLUS, Pow(e, (Op("−"), Sym(Symbol(SLOPE)), Op("·"), *wrapped)))),
        )
    if name == "tanh":
        return (Op("tanh"), LP, *net, RP)
    if name == "relu":
        return (Op("max"), LP, Num("0"), Op(", "), *net, RP)
    if name == "leaky_relu":
        return (Op("max"), LP, Sym(Symbol("α")), Op("·"), *wrapped, Op(", "), *net, RP)
    if name == "identity":
        return net
    if name == "softplus":
        return (Op("ln"), LP, Num("1"), PLUS, Pow(e, net), RP)
    if name == "softsign":
        return (Frac(net, (Num("1"), PLUS, Op("|"), *net, Op("|"))),)
    if name == "swish":
        return (Frac(net, (Num("1"), PLUS, Pow(e, (Op("−"), *wrapped)))),)
    if name == "step":
        return (Op("step"), LP, *net, RP)
    return (Op(name), LP, *net, RP)


def _activation_note(act: Activation) -> str:
    if act.name == "sigmoid":
        return f"{SLOPE} = {act.params['slope']:g} (the sigmoid's slope)"
    if act.name == "leaky_relu":
        return f"α = {act.params['alpha']:g}"
    if act.name == "step":
        return "step(net) = 1 if net ≥ 0, else 0"
    if act.name == "maxout":
        return "maxout: out is the winning piece's sum, so the slope is 1 there and 0 for the other pieces"
    return ""


def _derivative_expr(
    act: Activation, out: Sym, net: Sym, w: _Writer, a: float
) -> tuple[Expr | None, Expr | None]:
    """∂out/∂net written symbolically and with numbers; None for the numbers when there is no simple form."""
    if act.name == "sigmoid":
        beta = act.params["slope"]
        symbolic = (Sym(Symbol(SLOPE)), Op("·"), out, Op("·"), LP, Num("1"), MINUS, out, RP)
        numbers = (w.num(beta), Op("·"), *w.factor(a), Op("·"), LP, Num("1"), MINUS, *w.factor(a), RP)
        return symbolic, numbers
    if act.name == "tanh":
        return (Num("1"), MINUS, Pow((out,), (Num("2"),))), (Num("1"), MINUS, Pow(w.factor(a), (Num("2"),)))
    if act.name in ("identity", "maxout"):  # the slope is the value itself: nothing to work out
        return None, None
    return (Op("f′"), LP, net, RP), None


#: what the update step says when training uses another optimizer than plain gradient descent (sgd)
OPTIMIZER_NOTES = {
    "momentum": "Training uses momentum, which adds a share of the earlier steps to each weight's step; "
    "this walk-through takes the plain gradient-descent step.",
    "adam": "Training uses Adam, which sizes each weight's step by that weight's recent gradients; "
    "this walk-through takes the plain gradient-descent step.",
}


# -- the walk-through ---------------------------------------------------------------------------------------
class _Builder:
    def __init__(
        self,
        network: Network,
        x: np.ndarray,
        target: np.ndarray | None,
        loss: str,
        learning_rate: float,
        update_biases: bool,
        digits: int,
        scheme: str,
        only: SectionKey | None = None,
        optimizer: str = "sgd",
    ) -> None:
        self.only = only
        self.optimizer = optimizer
        self.net = network
        self.w = _Writer(digits)
        self.names = Names(network.sizes, scheme)
        self.loss = get_loss(loss)
        self.lr = learning_rate
        self.update_biases = update_biases
        x = np.asarray(x, dtype=network.dtype).reshape(1, -1)
        if x.shape[1] != network.sizes[0]:
            raise NetworkError(f"the input has {x.shape[1]} values; the network takes {network.sizes[0]}")
        self.x = x
        self.trace = network.trace(x)
        # maxout layers: each neuron's winning piece (its weighted sums are rows piece·n + j)
        self.winners: list[np.ndarray | None] = [
            None,
            *(
                maxout_winners(z, act.pieces)[0] if act.pieces > 1 else None
                for z, act in zip(self.trace.z[1:], network.activations, strict=True)
            ),
        ]
        self.t = (
            None if target is None else as_target_matrix(np.asarray(target).reshape(1, -1), network.sizes[-1])
        )
        self.E = Symbol("E", "total")
        self.out_layer = len(network.weights)

    @property
    def targets(self) -> np.ndarray:
        """The target row, as a matrix of one row; the error and the backward pass exist only with one."""
        if self.t is None:
            raise ValueError("the error and the backward pass need a target")
        return self.t

    # names
    def out(self, k: int, j: int) -> Sym:
        return Sym(self.names.out(k, j))

    def netsym(self, k: int, j: int, piece: int | None = None) -> Sym:
        return Sym(self.names.net(k, j, piece))

    def wsym(self, k: int, j: int, i: int, piece: int | None = None) -> Sym:
        return Sym(self.names.weight(k, j, i, piece))

    def bsym(self, k: int, j: int, piece: int | None = None) -> Sym:
        return Sym(self.names.bias(k, j, piece))

    def winner(self, k: int, j: int) -> int | None:
        """Neuron j of layer k's winning maxout piece; None outside maxout layers."""
        winners = self.winners[k]
        return None if winners is None else int(winners[j])

    def row(self, k: int, j: int, piece: int | None = None) -> int:
        """The row of `weights[k - 1]` (and of z) of neuron j's `piece` (piece-major for maxout)."""
        return j if piece is None else piece * self.net.sizes[k] + j

    def piece_of_row(self, k: int, row: int) -> tuple[int, int | None]:
        """(neuron, piece) of a row; piece None outside maxout layers."""
        n = self.net.sizes[k]
        return (row, None) if self.winners[k] is None else (row % n, row // n)

    def eq(
        self, lhs: Expr, rhs: Iterable[Expr | None], value: float, note: str = "", approx: bool = False
    ) -> Equation:
        parts = tuple(r for r in rhs if r is not None)
        return Equation(tuple(lhs), parts, float(value), _text(lhs), note, approx)

    def section(
        self, key: SectionKey, title: str, build: Callable[[], tuple[Equation, ...]], prose: str = ""
    ) -> list[Section]:
        """The section as a list of one, or none when only another section was asked for (its equations are
        then never written: a 784-input network's whole walk-through takes seconds)."""
        return [Section(key, title, build(), prose)] if self.only in (None, key) else []

    # -- forward -------------------------------------------------------------------------------------------
    def forward(self, net: Network, trace: Trace) -> list[Section]:
        sections = []
        for k in range(1, len(net.sizes)):
            act = net.activations[k - 1]
            for j in range(net.sizes[k]):
                sections += self.section(
                    ("forward", k, j),
                    self._forward_title(k, j),
                    partial(self._neuron, net, trace, act, k, j),
                )
        return sections

    def _forward_title(self, k: int, j: int) -> str:
        return f"Forward pass · {self.names.describe_neuron(k, j)}"

    def _net_equation(self, net: Network, trace: Trace, k: int, j: int, piece: int | None = None) -> Equation:
        """`net = Σ w·out + b = … = result` for neuron j (or one maxout piece of it)."""
        r = self.row(k, j, piece)
        w, b = net.weights[k - 1][r], float(net.biases[k - 1][r])
        prev = trace.a[k - 1][0]
        z = float(trace.z[k][0, r])
        n = len(w)
        weighted = [(self.wsym(k, j, i, piece), Op("·"), self.out(k - 1, i)) for i in range(n)]
        symbolic = _sum([*weighted, (self.bsym(k, j, piece),)], tail=1)
        numbers = _sum(
            [(*self.w.factor(w[i]), Op("·"), *self.w.factor(prev[i])) for i in range(n)] + [self.w.factor(b)],
            tail=1,
        )
        products, result, _ = self.w.total([*(w * prev).tolist(), b], z, tail=1)
        return self.eq((self.netsym(k, j, piece),), (symbolic, numbers, products, *result), z)

    def _neuron(self, net: Network, trace: Trace, act: Activation, k: int, j: int) -> tuple[Equation, ...]:
        a = float(trace.a[k][0, j])
        if act.pieces > 1:  # maxout: every piece's sum, and the largest
            pieces = range(act.pieces)
            sums = [self._net_equation(net, trace, k, j, p) for p in pieces]
            winner = self.winner(k, j)
            assert winner is not None  # every neuron of a maxout layer has a winning piece
            out_eq = self.eq(
                (self.out(k, j),),
                (
                    (Op("max"), LP, *_join([(self.netsym(k, j, p),) for p in pieces], Op(", ")), RP),
                    (Op("max"), LP, *_join([(self.w.num(e.value),) for e in sums], Op(", ")), RP),
                    (self.w.num(a),),
                ),
                a,
                f"maxout: piece {winner + 1} of {act.pieces} wins",
            )
            return (*sums, out_eq)
        net_eq = self._net_equation(net, trace, k, j)
        z = net_eq.value
        if act.elementwise:
            substituted = None if act.name == "identity" else self._substitute(act, self.w.factor(z))
            out_eq = self.eq(
                (self.out(k, j),),
                (_activation_expr(act, (self.netsym(k, j),)), substituted, (self.w.num(a),)),
                a,
                _activation_note(act),
            )
        else:  # softmax: every net of the layer
            zs = trace.z[k][0]
            denominator = _sum([(Pow((Sym(Symbol("e")),), (self.netsym(k, m),)),) for m in range(len(zs))])
            numbers_den = _sum([(Pow((Sym(Symbol("e")),), self.w.factor(v)),) for v in zs])
            out_eq = self.eq(
                (self.out(k, j),),
                (
                    (Frac((Pow((Sym(Symbol("e")),), (self.netsym(k, j),)),), denominator),),
                    (Frac((Pow((Sym(Symbol("e")),), self.w.factor(z)),), numbers_den),),
                    (self.w.num(a),),
                ),
                a,
                "softmax: the layer's outputs add up to 1",
            )
        return (net_eq, out_eq)

    def _substitute(self, act: Activation, z: Expr) -> Expr:
        expr = _activation_expr(act, z)
        if act.name == "sigmoid":
            return _replace_symbol(expr, SLOPE, self.w.num(act.params["slope"]))
        if act.name == "leaky_relu":
            return _replace_symbol(expr, "α", self.w.num(act.params["alpha"]))
        return expr

    # -- the error -----------------------------------------------------------------------------------------
    def error_terms(self, outputs: np.ndarray, updated: bool) -> list[tuple[Sym, Expr, Expr, float]]:
        """Each output's share of the error (mse, bce): its name, formula, numbers and value."""
        t, n = self.targets[0], len(outputs)
        terms: list[tuple[Sym, Expr, Expr, float]] = []
        if self.loss.name == "cross_entropy":
            return terms
        scale = (Frac((Num("1"),), (Num(str(n)),)),) if n != 2 else (Op("½"),)
        for j, (o, tj) in enumerate(zip(outputs.tolist(), t.tolist(), strict=True)):
            out, target = Sym(self.names.out(self.out_layer, j), updated), Sym(self.names.target(j))
            if self.loss.name == "mse":
                share = (tj - o) * (tj - o) / n  # past the float limit: inf (** raises OverflowError)
                symbolic = (*scale, LP, target, MINUS, out, RP, Pow((), (Num("2"),)))
                numbers = (*scale, LP, self.w.num(tj), MINUS, *self.w.factor(o), RP, Pow((), (Num("2"),)))
            else:
                share = -(tj * np.log(o) + (1 - tj) * np.log1p(-o)) / n
                ln = Op("·ln ")
                symbolic = (
                    Op("−"),
                    *scale,
                    Op("["),
                    target,
                    ln,
                    out,
                    PLUS,
                    LP,
                    Num("1"),
                    MINUS,
                    target,
                    RP,
                    ln,
                    LP,
                    Num("1"),
                    MINUS,
                    out,
                    RP,
                    Op("]"),
                )
                numbers = (
                    Op("−"),
                    *scale,
                    Op("["),
                    self.w.num(tj),
                    ln,
                    self.w.num(o),
                    PLUS,
                    LP,
                    Num("1"),
                    MINUS,
                    self.w.num(tj),
                    RP,
                    ln,
                    LP,
                    Num("1"),
                    MINUS,
                    self.w.num(o),
                    RP,
                    Op("]"),
                )
            terms.append(
                (Sym(Symbol("E", self.names.neuron(self.out_layer, j)), updated), symbolic, numbers, share)
            )
        return terms

    def error(self, net: Network, updated: bool = False) -> tuple[Equation, ...]:
        outputs = net.forward(self.x)[0]
        total = self.loss.value(outputs.reshape(1, -1), self.targets)
        terms = self.error_terms(outputs, updated)
        E = Sym(self.E, updated)
        if not terms:  # cross-entropy over a softmax: −Σ target·ln out
            t = self.targets[0]
            symbolic = (
                Op("−"),
                *_sum(
                    [
                        (
                            Sym(self.names.target(j)),
                            Op("·ln "),
                            Sym(self.names.out(self.out_layer, j), updated),
                        )
                        for j in range(len(t))
                    ]
                ),
            )
            return (self.eq((E,), (symbolic, (self.w.num(total),)), total),)
        parts, result, shown = self.w.total([share for *_, share in terms], total, keep_terms=True)
        eqs = [
            self.eq((name,), (symbolic, numbers, (figure,)), share)
            for (name, symbolic, numbers, share), figure in zip(terms, shown, strict=True)
        ]
        eqs.append(
            self.eq(
                (E,), (_sum([(name,) for name, *_ in terms]), parts, *result), total, approx=len(result) > 1
            )
        )
        return tuple(eqs)

    # -- backward ------------------------------------------------------------------------------------------
    def backward(self) -> tuple[list[Section], list[np.ndarray], list[np.ndarray]]:
        """Delta and gradient sections from the output layer back; the gradients they show."""
        net, trace = self.net, self.trace
        sections: list[Section] = []
        deltas: _Layers = {}
        d_out: _Layers = {}  # ∂E/∂out per layer (elementwise layers)
        slopes: _Slopes = {}
        grads_w = [np.zeros_like(w) for w in net.weights]
        grads_b = [np.zeros_like(b) for b in net.biases]
        for k in range(self.out_layer, 0, -1):
            act = net.activations[k - 1]
            z, a = trace.z[k][0], trace.a[k][0]
            if act.pieces > 1:  # maxout: slope 1 at the winning piece, the others get nothing
                d_out[k] = (
                    self.loss.grad(trace.a[k], self.targets)[0]
                    if k == self.out_layer
                    else net.weights[k].T @ deltas[k + 1]
                )
                slopes[k] = np.ones_like(d_out[k])
                deltas[k] = np.zeros_like(z)
                deltas[k][[self.row(k, j, self.winner(k, j)) for j in range(net.sizes[k])]] = d_out[k]
            elif k == self.out_layer:
                slope = slopes[k] = act.derivative(z, a) if act.elementwise else None
                d_out[k] = self.loss.grad(trace.a[k], self.targets)[0]
                deltas[k] = (
                    d_out[k] * slope
                    if slope is not None
                    else self.loss.output_delta(trace.z[k], trace.a[k], self.targets, act)[0]
                )
            else:
                slopes[k] = act.derivative(z, a)
                d_out[k] = net.weights[k].T @ deltas[k + 1]
                deltas[k] = d_out[k] * slopes[k]
            for j in range(net.sizes[k]):
                sections += self.section(
                    ("delta", k, j),
                    f"Backward pass · δ of {self.names.describe_neuron(k, j)}",
                    partial(self._delta, k, j, d_out, deltas, slopes),
                )
            grads_w[k - 1] = np.outer(deltas[k], trace.a[k - 1][0])
            grads_b[k - 1] = deltas[k].copy()
            for j in range(net.sizes[k]):
                sections += self.section(
                    ("gradient", k, j),
                    f"Backward pass · gradients of the weights into {self.names.neuron(k, j)}",
                    partial(self._gradients, k, j, d_out, deltas, slopes),
                )
        return sections, grads_w, grads_b

    def _chain(self, k: int, j: int) -> tuple[Partial, ...]:
        """∂E/∂out · ∂out/∂net for an element-wise neuron; ∂E/∂net alone for a softmax one."""
        out, net = self.names.out(k, j), self.names.net(k, j, self.winner(k, j))
        act = self.net.activations[k - 1]
        if act.elementwise or act.pieces > 1:
            return _partial(self.E, out), _partial(out, net)
        return (_partial(self.E, net),)

    def _delta(
        self, k: int, j: int, d_out: _Layers, deltas: _Layers, slopes: _Slopes
    ) -> tuple[Equation, ...]:
        act = self.net.activations[k - 1]
        out, net = self.out(k, j), self.netsym(k, j, self.winner(k, j))
        a = float(self.trace.a[k][0, j])
        eqs: list[Equation] = []
        delta = float(deltas[k][self.row(k, j, self.winner(k, j))])
        delta_name = f"δ_{self.names.neuron(k, j)}" if self.names.teaching else f"δ{self.names.neuron(k, j)}"
        if (slope := slopes[k]) is None:  # only a softmax output layer has no element-wise slope
            note = "softmax with cross-entropy: the chain through the softmax simplifies to out − target"
            t = float(self.targets[0, j])
            rhs = (
                [(out, MINUS, Sym(self.names.target(j))), (self.w.num(a), MINUS, *self.w.factor(t))]
                if self.loss.name == "cross_entropy"
                else []
            )
            eqs.append(
                self.eq(
                    (_partial(self.E, net.symbol),),
                    (*rhs, (self.w.num(delta),)),
                    delta,
                    f"{delta_name}; " + note,
                )
            )
            return tuple(eqs)
        if k == self.out_layer:
            g = float(d_out[k][j])
            t = float(self.targets[0, j])
            n = self.net.sizes[-1]
            target = Sym(self.names.target(j))
            if self.loss.name == "mse" and n == 2:
                symbolic: Expr | None = (Op("−"), LP, target, MINUS, out, RP)
                numbers: Expr | None = (Op("−"), LP, self.w.num(t), MINUS, *self.w.factor(a), RP)
            elif self.loss.name == "mse":
                symbolic = (Frac((Num("2"),), (Num(str(n)),)), Op("·"), LP, out, MINUS, target, RP)
                numbers = (
                    Frac((Num("2"),), (Num(str(n)),)),
                    Op("·"),
                    LP,
                    self.w.num(a),
                    MINUS,
                    *self.w.factor(t),
                    RP,
                )
            else:
                symbolic = (
                    Frac(
                        (out, MINUS, target),
                        (Num(str(n)), Op("·"), out, Op("·"), LP, Num("1"), MINUS, out, RP),
                    ),
                )
                numbers = None
            eqs.append(self.eq((_partial(self.E, out.symbol),), (symbolic, numbers, (self.w.num(g),)), g))
        else:
            down = self.out_layer if k + 1 == self.out_layer else None
            rows, values = [], []
            for m in range(self.net.weights[k].shape[0]):  # the rows (maxout: pieces) of the next layer
                m_neuron, piece = self.piece_of_row(k + 1, m)
                if piece is not None and piece != self.winner(k + 1, m_neuron):
                    continue  # a losing maxout piece passes nothing back
                wm = float(self.net.weights[k][m, j])
                dm = float(deltas[k + 1][m])
                name_m = self.names.neuron(k + 1, m_neuron)
                per_output = down is not None and self.loss.name == "mse" and slopes[k + 1] is not None
                top = Symbol("E", name_m) if per_output else self.E
                lhs: Expr = (_partial(top, out.symbol),)
                net_m = self.names.net(k + 1, m_neuron, piece)
                chain = (_partial(top, net_m), TIMES, _partial(net_m, out.symbol))
                symbols = (Sym(Symbol("δ", name_m)), TIMES, self.wsym(k + 1, m_neuron, j, piece))
                rows.append((lhs, (chain, symbols, self.w.product([dm, wm]))))
                values.append(dm * wm)
            parts, result, shown = self.w.total(values, float(d_out[k][j]), keep_terms=True)
            for (row_lhs, row_rhs), value, figure in zip(rows, values, shown, strict=True):
                eqs.append(self.eq(row_lhs, (*row_rhs, (figure,)), value))
            eqs.append(
                self.eq(
                    (_partial(self.E, out.symbol),),
                    (_sum([lhs for lhs, _ in rows]), parts, *result),
                    float(d_out[k][j]),
                    approx=len(result) > 1,
                )
            )
        symbolic, numbers = _derivative_expr(act, out, net, self.w, a)
        eqs.append(
            self.eq(
                (_partial(out.symbol, net.symbol),),
                (symbolic, numbers, (self.w.num(float(slope[j])),)),
                float(slope[j]),
                _activation_note(act),
            )
        )
        product = (_partial(self.E, out.symbol), TIMES, _partial(out.symbol, net.symbol))
        eqs.append(
            self.eq(
                (_partial(self.E, net.symbol),),
                (product, self.w.product([float(d_out[k][j]), float(slope[j])]), (self.w.num(delta),)),
                delta,
                f"this is {delta_name}",
            )
        )
        return tuple(eqs)

    def _gradients(
        self, k: int, j: int, d_out: _Layers, deltas: _Layers, slopes: _Slopes
    ) -> tuple[Equation, ...]:
        piece = self.winner(k, j)
        net = self.names.net(k, j, piece)
        chain = self._chain(k, j)
        delta = float(deltas[k][self.row(k, j, piece)])
        slope = slopes[k]
        factors = [float(d_out[k][j]), float(slope[j])] if slope is not None else [delta]
        prev = self.trace.a[k - 1][0]
        eqs: list[Equation] = []
        params: list[tuple[Symbol, float, Sym | Num]] = [
            (self.names.weight(k, j, i, piece), float(prev[i]), Sym(self.names.out(k - 1, i)))
            for i in range(len(prev))
        ]
        if self.update_biases:
            params.append((self.names.bias(k, j, piece), 1.0, Num("1")))
        shown = _elide(params, "weights")
        for p in shown:
            if len(p) == 1:  # the elided middle
                continue
            sym, x, dnet = p
            value = delta * x
            last = (_partial(net, sym),)
            # the last factor first, on its own line: ∂net_o1/∂w5 = out_h1 = 0.59326999 (∂net/∂b = 1)
            eqs.append(self.eq(last, ((dnet,), (self.w.num(x),)) if isinstance(dnet, Sym) else ((dnet,),), x))
            symbolic = _join([(c,) for c in chain] + [last], TIMES)
            eqs.append(
                self.eq(
                    (_partial(self.E, sym),),
                    (symbolic, self.w.product([*factors, x]), (self.w.num(value),)),
                    value,
                )
            )
        return tuple(eqs)

    # -- update --------------------------------------------------------------------------------------------
    def update(self, grads_w: list[np.ndarray], grads_b: list[np.ndarray]) -> tuple[list[Section], Network]:
        new = self.net.copy()
        sections: list[Section] = []
        prose = " ".join(
            note
            for note in (
                "" if self.update_biases else "The biases stay as they are: “update biases” is off.",
                OPTIMIZER_NOTES.get(self.optimizer, ""),
            )
            if note
        )
        for k in range(1, self.out_layer + 1):
            new.weights[k - 1] = self.net.weights[k - 1] - self.lr * grads_w[k - 1]
            if self.update_biases:
                new.biases[k - 1] = self.net.biases[k - 1] - self.lr * grads_b[k - 1]
            sections += self.section(
                ("update", k),
                f"Update · {self.names.layer_name(k)} (η = {self.lr:g})",
                partial(self._updates, k, grads_w, grads_b),
                prose,
            )
        return sections, new

    def _updates(self, k: int, grads_w: list[np.ndarray], grads_b: list[np.ndarray]) -> tuple[Equation, ...]:
        """`w⁺ = w − η·∂E/∂w` for every weight into layer k (a long list keeps its ends), then the biases."""
        rows, cols = self.net.weights[k - 1].shape  # maxout: a row per piece of each neuron
        cells = [(r, i) for r in range(rows) for i in range(cols)]
        if len(cells) > 2 * UPDATES_SHOWN:
            cells = cells[:UPDATES_SHOWN] + cells[-UPDATES_SHOWN:]
        w, b = self.net.weights[k - 1], self.net.biases[k - 1]
        items = [
            (self.names.weight(k, *self.piece_of_row(k, r)[:1], i, self.piece_of_row(k, r)[1]),
             float(w[r, i]), float(grads_w[k - 1][r, i]))
            for r, i in cells
        ]  # fmt: skip
        if self.update_biases:
            items += [
                (self.names.bias(k, *self.piece_of_row(k, r)), float(b[r]), float(grads_b[k - 1][r]))
                for r in range(rows)
            ]
        eta = Sym(Symbol("η"))
        eqs: list[Equation] = []
        for sym, value, grad in items:
            step = self.lr * grad
            parts, result, _ = self.w.total([value, -step], value - step)
            symbolic = (Sym(sym), MINUS, eta, Op("·"), _partial(self.E, sym))
            numbers = (self.w.num(value), MINUS, self.w.num(self.lr), Op("·"), *self.w.factor(grad))
            eqs.append(self.eq((Sym(sym, updated=True),), (symbolic, numbers, parts, *result), value - step))
        return tuple(eqs)


def _replace_symbol(expr: Expr, base: str, by: Token) -> Expr:
    def swap(t: Token) -> Token:
        if isinstance(t, Sym) and t.symbol.base == base:
            return by
        if isinstance(t, Frac):
            return Frac(_replace_symbol(t.num, base, by), _replace_symbol(t.den, base, by))
        if isinstance(t, Pow):
            return Pow(_replace_symbol(t.base, base, by), _replace_symbol(t.exp, base, by))
        return t

    return tuple(swap(t) for t in expr)


def explain(
    network: Network,
    x: Sequence[float] | np.ndarray,
    target: Sequence[float] | np.ndarray | None = None,
    loss: str = "mse",
    learning_rate: float = 0.5,
    update_biases: bool = True,
    digits: int = 8,
    scheme: str = TEACHING,
    only: SectionKey | None = None,
    optimizer: str = "sgd",
) -> Walkthrough:
    """The walk-through of one sample: forward only without a target; with one, also the error, the
    backward pass, the update and the error after it. On the published example, a figure that differs from
    the published one at this precision gets a note beside it saying so and why. `only` (a section's key)
    writes out that section alone. The update is plain gradient descent whatever the `optimizer` training
    uses; for another optimizer, the update says so."""
    with np.errstate(over="ignore", invalid="ignore"):  # parameters near the float limit: inf and nan shown
        return _explain(
            network, x, target, loss, learning_rate, update_biases, digits, scheme, only, optimizer
        )


def _explain(
    network: Network,
    x: Sequence[float] | np.ndarray,
    target: Sequence[float] | np.ndarray | None,
    loss: str,
    learning_rate: float,
    update_biases: bool,
    digits: int,
    scheme: str,
    only: SectionKey | None,
    optimizer: str,
) -> Walkthrough:
    b = _Builder(
        network,
        np.asarray(x),
        None if target is None else np.asarray(target, dtype=float),
        loss,
        learning_rate,
        update_biases,
        digits,
        scheme,
        only,
        optimizer,
    )
    sections = b.forward(network, b.trace)
    if b.t is not None:
        network.check_trainable(loss)
        sections += b.section(("loss",), f"The error ({b.loss.name})", lambda: b.error(network))
        back, gw, gb = b.backward()
        sections += back
        updates, new = b.update(gw, gb)
        sections += updates
        before = b.loss.value(b.trace.a[-1], b.t)
        sections += b.section(
            ("new_loss",),
            "The error after the update, on the same sample",
            lambda: b.error(new, updated=True),
            f"Before the update it was {fmt(before, digits)}.",
        )
    walk = Walkthrough(tuple(sections), b.names, digits)
    published = None if update_biases else figures_for(network, x, target, learning_rate, b.loss.name)
    return _annotated(walk, published) if published and b.names.teaching else walk


def _annotated(walk: Walkthrough, published: Mapping[str, float]) -> Walkthrough:
    sections = []
    for s in walk.sections:
        eqs = []
        for e in s.equations:
            figure = published.get(e.name)
            digits = min(walk.digits, _significant(figure)) if figure is not None else 0
            if figure is not None and fmt(figure, digits) != fmt(e.value, digits):
                why = PUBLISHED_DIFFERENCES.get(
                    e.name, "the published text computes from rounded intermediate values"
                )
                note = f"published: {figure!r} — {why}".replace("-", "−")
                eqs.append(replace(e, note=f"{e.note}; {note}" if e.note else note))
            else:
                eqs.append(e)
        sections.append(replace(s, equations=tuple(eqs)))
    return replace(walk, sections=tuple(sections))


def _significant(figure: float) -> int:
    """How many significant digits a published figure gives (0.000438568: 6)."""
    return len(repr(abs(figure)).replace(".", "").lstrip("0"))


#: Why a figure of the published walk-through differs from the exact one, by equation name.
PUBLISHED_DIFFERENCES = {
    "E_total⁺": "the published text computes it from weights and outputs rounded to 9 digits; "
    "this figure is exact (float64)",
    "∂E_o2/∂out_h1": "the published text multiplies δ_o2 rounded to 9 digits (−0.038098237) by w7, "
    "giving −0.0190491185; the exact product is −0.0190491183",
}


def key_for_step(step: Step | None) -> SectionKey | None:
    """The walk-through section that a stepper step shows; None before the first."""
    if step is None:
        return None
    if isinstance(step, NeuronStep):
        return ("forward", step.layer, step.index)
    if isinstance(step, OutputErrorStep):
        return ("loss",)
    if isinstance(step, UpdateStep):
        return ("update", step.layer)
    if isinstance(step, NewLossStep):
        return ("new_loss",)
    return (step.kind, step.layer, step.index)
