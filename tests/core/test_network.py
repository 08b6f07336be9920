"""The network: backpropagation against central finite differences of `Network.loss` for every trainable
activation × every loss, with L1/L2; refusal of the step activation; seeded initialisation; bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.core.activations import KINDS, ActivationError
from nnviz.core.losses import LossError
from nnviz.core.network import MAX_PARAMETERS, Network, NetworkError, UntrainableError

TRAINABLE = sorted(name for name, kind in KINDS.items() if kind.trainable and not kind.output_only)
KINKED = {"relu", "leaky_relu"}  # derivative jumps at z = 0; finite differences must not straddle it
KINK_MARGIN = 1e-3
FD_STEP = 1e-6


def activation_spec(draw, name: str):
    """An activation with a random parameter, so the slope and alpha are exercised too."""
    if name == "sigmoid":
        return {"name": name, "slope": draw(st.floats(0.3, 3.0))}
    if name == "leaky_relu":
        return {"name": name, "alpha": draw(st.floats(0.0, 0.5))}
    if name == "maxout":
        return {"name": name, "pieces": draw(st.integers(2, 4))}
    return name


def clear_of_kinks(net: Network, x: np.ndarray) -> None:
    """Shift biases, layer by layer, so no kinked neuron has |z| < KINK_MARGIN on any sample.

    Candidate shifts are 3·margin apart and each sample rules out an interval 2·margin wide, so it rules
    out at most one candidate: with 2·batch + 1 candidates one always fits.
    """
    candidates = 3 * KINK_MARGIN * np.array([0, *[s * m for m in range(1, len(x) + 1) for s in (1, -1)]])
    for k, act in enumerate(net.activations):
        if act.name == "maxout":
            separate_pieces(net, k, x)
        if act.name not in KINKED:
            continue
        z = net.trace(x).z[k + 1]
        for j in range(z.shape[1]):
            shift = next(c for c in candidates if np.abs(z[:, j] + c).min() >= KINK_MARGIN)
            net.biases[k][j] += shift


def separate_pieces(net: Network, k: int, x: np.ndarray) -> None:
    """Shift maxout piece biases so no two pieces of a neuron come within KINK_MARGIN on any sample: the
    winner then stays the winner under a finite-difference step. Piece p avoids the pieces before it, each
    (sample, piece) ruling out at most one of 2·batch·p + 1 candidates 3·margin apart (as above)."""
    n, pieces = net.sizes[k + 1], net.activations[k].pieces
    steps = range(1, len(x) * pieces + 1)
    candidates = 3 * KINK_MARGIN * np.array([0, *[s * m for m in steps for s in (1, -1)]])
    for j in range(n):
        for p in range(1, pieces):
            z = net.trace(x).z[k + 1][:, j::n]
            gaps = z[:, p : p + 1] - z[:, :p]
            shift = next(c for c in candidates if np.abs(gaps + c).min() >= KINK_MARGIN)
            net.biases[k][p * n + j] += shift


# (output activation, loss, target form): every pairing the losses accept
PAIRINGS = [(name, "mse", "values") for name in TRAINABLE] + [
    ("softmax", "mse", "values"),
    ("sigmoid", "bce", "probabilities"),
    ("softmax", "cross_entropy", "labels"),
    ("softmax", "cross_entropy", "one_hot"),
    ("softmax", "cross_entropy", "probabilities"),
]
# Per parametrized case, a fraction of the profile's examples: the ci profile's 30 become 3 per pairing
# (~300 networks in all), the thorough profile's 2000 become 200.
PER_CASE = settings(max_examples=max(1, settings.default.max_examples // 10))


def targets(rng: np.random.Generator, form: str, batch: int, n_out: int) -> np.ndarray:
    if form == "values":
        return rng.normal(size=(batch, n_out))
    if form == "labels":
        return rng.integers(0, n_out, size=batch)
    if form == "one_hot":
        return np.eye(n_out)[rng.integers(0, n_out, size=batch)]
    if n_out == 1:  # bce: one probability per output
        return rng.uniform(size=(batch, 1))
    return rng.dirichlet(np.ones(n_out), size=batch)


@st.composite
def gradient_cases(draw, hidden: str, output: str, loss: str, form: str):
    """A random network around the given activations and loss: shapes, parameters, batch, targets, L1/L2."""
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=4))
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    seed = draw(st.integers(0, 2**32 - 1))
    net = Network.create(
        sizes, activation_spec(draw, hidden), activation_spec(draw, output), init="uniform", seed=seed
    )
    rng = np.random.default_rng(seed)
    batch = draw(st.integers(1, 6))
    x = rng.normal(size=(batch, sizes[0]))
    y = targets(rng, form, batch, sizes[-1])
    l1 = draw(st.sampled_from([0.0, 0.01]))
    l2 = draw(st.sampled_from([0.0, 0.1]))
    if l1:  # |w| is kinked at 0 too
        for w in net.weights:
            w[np.abs(w) < KINK_MARGIN] = KINK_MARGIN
    clear_of_kinks(net, x)
    return net, x, y, loss, l1, l2


def numeric_gradient(params: np.ndarray, f) -> np.ndarray:
    """Central differences of f() in every entry of `params` (modified in place, then restored)."""
    grad = np.empty_like(params)
    for idx in np.ndindex(params.shape):
        old = params[idx]
        params[idx] = old + FD_STEP
        up = f()
        params[idx] = old - FD_STEP
        down = f()
        params[idx] = old
        grad[idx] = (up - down) / (2 * FD_STEP)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """Norm-wise relative error; the floor keeps rounding noise (~1e-10) in near-zero gradients from
    counting as a relative error."""
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numeric), 1e-3)
    return float(np.linalg.norm(analytic - numeric) / scale)


CASES = [
    pytest.param(hidden, *pairing, id=f"{hidden}-{'-'.join(pairing)}")
    for hidden in TRAINABLE
    for pairing in PAIRINGS
]


@pytest.mark.parametrize(("hidden", "output", "loss", "form"), CASES)
def test_backward_matches_central_finite_differences(hidden, output, loss, form):
    @PER_CASE
    @given(gradient_cases(hidden, output, loss, form))
    def check(case):
        net, x, y, loss_name, l1, l2 = case
        grads = net.backward(net.trace(x), y, loss_name, l1, l2)
        for name, analytic, params in [
            *((f"dW[{k}]", g, w) for k, (g, w) in enumerate(zip(grads.weights, net.weights, strict=True))),
            *((f"db[{k}]", g, b) for k, (g, b) in enumerate(zip(grads.biases, net.biases, strict=True))),
        ]:
            numeric = numeric_gradient(params, lambda: net.loss(x, y, loss_name, l1, l2))
            assert relative_error(analytic, numeric) < 1e-6, f"{name} of {net.describe()}"

    check()


@pytest.mark.parametrize(("hidden", "output", "loss", "form"), CASES[:: len(PAIRINGS) + 1])
def test_deltas_are_the_gradient_with_respect_to_z(hidden, output, loss, form):
    """Each layer's delta is dL/dz: checked through the bias of a one-sample batch (db = δ there)."""

    @PER_CASE
    @given(gradient_cases(hidden, output, loss, form))
    def check(case):
        net, x, y, loss_name, _, _ = case
        x, y = x[:1], y[:1]
        grads = net.backward(net.trace(x), y, loss_name)
        for k, delta in enumerate(grads.deltas):
            numeric = numeric_gradient(net.biases[k], lambda: net.loss(x, y, loss_name))
            assert relative_error(delta[0], numeric) < 1e-6, f"delta of layer {k + 1} of {net.describe()}"

    check()


def test_classic_walk_through():
    """Matt Mazur's 2-2-2 example: outputs, total error and the weights after one SGD step at rate 0.5."""
    net = Network(
        [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
        [[0.35, 0.35], [0.60, 0.60]],
        ["sigmoid", "sigmoid"],
    )
    x, t = np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])
    trace = net.trace(x)
    np.testing.assert_allclose(trace.output[0], [0.75136507, 0.772928465], atol=1e-8)
    assert net.loss(x, t, "mse") == pytest.approx(0.298371109, abs=1e-9)
    grads = net.backward(trace, t, "mse")
    new = [w - 0.5 * g for w, g in zip(net.weights, grads.weights, strict=True)]
    np.testing.assert_allclose(new[0], [[0.149780716, 0.19956143], [0.24975114, 0.29950229]], atol=1e-8)
    np.testing.assert_allclose(new[1], [[0.35891648, 0.408666186], [0.511301270, 0.561370121]], atol=1e-8)


def test_forward_is_the_traces_output_for_a_batch_and_a_single_sample():
    net = Network.create([3, 5, 2], "tanh", "sigmoid", seed=4)
    x = np.random.default_rng(0).normal(size=(7, 3))
    np.testing.assert_array_equal(net.forward(x), net.trace(x).output)
    np.testing.assert_array_equal(net.forward(x[2]), net.forward(x)[2:3])
    trace = net.trace(x)
    assert trace.z[0] is trace.a[0]
    assert [a.shape for a in trace.a] == [(7, 3), (7, 5), (7, 2)]


@pytest.mark.parametrize("name", ["step"])
@pytest.mark.parametrize("where", ["hidden", "output"])
def test_step_activation_is_refused_for_training_with_a_reason(name, where):
    net = Network.create([2, 3, 1], *((name, "sigmoid") if where == "hidden" else ("tanh", name)), seed=0)
    assert net.forward([[0.5, -0.5]]).shape == (1, 1)  # it still runs forward
    with pytest.raises(UntrainableError, match="slope is zero everywhere") as err:
        net.check_trainable("mse")
    assert "cannot be trained" in str(err.value)
    assert "sigmoid with a large slope" in str(err.value)


def test_check_trainable_refuses_mismatched_loss():
    with pytest.raises(LossError, match="softmax"):
        Network.create([2, 3, 2], "tanh", "sigmoid", seed=0).check_trainable("cross_entropy")
    with pytest.raises(LossError, match="sigmoid"):
        Network.create([2, 3, 1], "tanh", "tanh", seed=0).check_trainable("bce")
    Network.create([2, 3, 3], "relu", "softmax", seed=0).check_trainable("cross_entropy")


@pytest.mark.parametrize("init", ["auto", "xavier", "he", "uniform"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_seeded_initialisation_is_bit_identical(init, dtype):
    a = Network.create([4, 6, 3], "relu", "softmax", init=init, seed=123, dtype=dtype)
    b = Network.create([4, 6, 3], "relu", "softmax", init=init, seed=123, dtype=dtype)
    c = Network.create([4, 6, 3], "relu", "softmax", init=init, seed=124, dtype=dtype)
    for wa, wb in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        assert wa.dtype == dtype
        assert wa.tobytes() == wb.tobytes()
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_initialisation_schemes_have_their_documented_ranges():
    rng_sizes = [200, 100, 50]
    xavier = Network.create(rng_sizes, "tanh", init="xavier", seed=1)
    assert np.abs(xavier.weights[0]).max() <= np.sqrt(6 / 300)
    assert not xavier.biases[0].any()
    he = Network.create(rng_sizes, "relu", init="he", seed=1)
    assert he.weights[0].std() == pytest.approx(np.sqrt(2 / 200), rel=0.05)
    uniform = Network.create(rng_sizes, "tanh", init="uniform", seed=1)
    assert np.abs(uniform.biases[0]).max() <= 1 / np.sqrt(200)
    assert uniform.biases[0].any()
    auto = Network.create(rng_sizes, "relu", "sigmoid", seed=1)  # He for relu layers, Xavier for sigmoid
    np.testing.assert_array_equal(auto.weights[0], he.weights[0])
    assert np.abs(auto.weights[1]).max() <= np.sqrt(6 / 150)


def test_shape_properties():
    net = Network.create([784, 16, 16, 10], "sigmoid", "softmax", seed=0)
    assert net.sizes == [784, 16, 16, 10]
    assert net.n_parameters == 13_002  # docs/architecture.md
    assert net.describe() == "784-16-16-10 (sigmoid, sigmoid, softmax)"
    assert [w.shape for w in net.weights] == [(16, 784), (16, 16), (10, 16)]


def test_copy_and_astype_are_independent():
    net = Network.create([2, 3, 1], "tanh", seed=0)
    copy = net.copy()
    copy.weights[0][0, 0] += 1.0
    assert copy.weights[0][0, 0] != net.weights[0][0, 0]
    small = net.astype(np.float32)
    assert small.weights[0].dtype == np.float32
    np.testing.assert_allclose(small.forward([[0.3, 0.7]]), net.forward([[0.3, 0.7]]), rtol=1e-6)


def test_reinitialised_draws_as_create_does_and_keeps_the_layers():
    """Fresh weights for the same layers: what `create` gives for the same seed, whatever the old values."""
    net = Network.create([3, 4, 2], "relu", {"name": "sigmoid", "slope": 2.0}, seed=5).astype(np.float32)
    net.weights[0][...] = 7.0
    again = net.reinitialised(seed=9)
    fresh = Network.create([3, 4, 2], "relu", {"name": "sigmoid", "slope": 2.0}, seed=9)
    for ours, theirs in zip(again.weights + again.biases, fresh.weights + fresh.biases, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert again.activations == net.activations
    assert again.dtype == np.float32
    assert (net.weights[0] == 7.0).all()  # the original is untouched
    assert not np.array_equal(net.reinitialised().weights[0], net.reinitialised().weights[0])


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Network([[[1, 2], [3]]], [[0, 0]], ["tanh"]), r"weights\[0\] is not a rectangular table"),
        (lambda: Network([[["a", "b"]]], [[0]], ["tanh"]), r"weights\[0\] is not a rectangular table"),
        (lambda: Network([[[1.0, np.nan]]], [[0]], ["tanh"]), r"weights\[0\] contains NaN"),
        (lambda: Network([[[1.0, 2.0]]], [[np.inf]], ["tanh"]), r"biases\[0\] contains NaN"),
        (lambda: Network([[[1.0, 2.0]]], [[0, 0]], ["tanh"]), r"biases\[0\] has shape \(2,\); expected"),
        (lambda: Network([[[1, 2]], [[1, 2]]], [[0], [0]], ["tanh"] * 2), r"weights\[1\] has shape \(1, 2\)"),
        (lambda: Network([[1.0, 2.0]], [[0]], ["tanh"]), r"weights\[0\] has shape \(2,\); expected a table"),
        (lambda: Network([], [], []), "at least one layer"),
        (lambda: Network([[[1.0]]], [[0], [0]], ["tanh"]), "equally many"),
        (lambda: Network(np.ones((1, 1, 1)), [[0]], ["tanh"]), "must each be a list"),
        (lambda: Network([[[1.0]]], [[0]], "tanh"), "must each be a list"),
        (lambda: Network([[[1.0]]], [[0]], ["tanh"], dtype=np.int64), "float64 or float32"),
        (lambda: Network([[[1.0]]], [[0]], ["tanh"], dtype="nonsense"), "float64 or float32"),
        (lambda: Network.create([2, 3, 2], "softmax", seed=0), "softmax can only be the output layer"),
        (lambda: Network.create([2]), "at least an input and an output layer"),
        (lambda: Network.create(5), "at least an input and an output layer"),
        (lambda: Network.create([2, 0, 1]), "layer 1 size must be a positive whole number"),
        (lambda: Network.create([2, 2.5, 1]), "layer 1 size must be a positive whole number"),
        (lambda: Network.create([2, True, 1]), "layer 1 size must be a positive whole number"),
        (lambda: Network.create([2, 10**6, 1]), "at most 10000 "),
        (lambda: Network.create([10_000, 10_000, 10_000]), f"at most {MAX_PARAMETERS:,}"),
        (lambda: Network.create([2, 2], init="magic"), "unknown initialisation 'magic'"),
        (lambda: Network.create([2, 2], seed=-1), "seed must be a non-negative whole number"),
        (lambda: Network.create([2, 2], seed=1.5), "seed must be a non-negative whole number"),
    ],
)
def test_bad_construction_raises_network_error(build, message):
    with pytest.raises(NetworkError, match=message):
        build()


def test_unknown_activation_names_the_known_ones():
    with pytest.raises(ActivationError, match=r"unknown activation 'magic'; known: .*tanh"):
        Network.create([2, 2], "magic")


@pytest.mark.parametrize(
    ("x", "message"),
    [
        ([[1.0, 2.0, 3.0]], r"shape \(1, 3\); the network takes 2 inputs"),
        (np.ones((2, 2, 2)), r"shape \(2, 2, 2\)"),
        ([["a", "b"]], "input is not a table of numbers"),
        ([[1.0], [1.0, 2.0]], "input is not a table of numbers"),
    ],
)
def test_bad_input_raises_network_error(x, message):
    net = Network.create([2, 2], seed=0)
    with pytest.raises(NetworkError, match=message):
        net.forward(x)


def test_a_network_survives_pickling_for_the_training_process():
    import pickle

    net = Network.create([3, 4, 2], {"name": "leaky_relu", "alpha": 0.2}, "softmax", seed=5)
    back = pickle.loads(pickle.dumps(net))
    assert [a.to_json() for a in back.activations] == [{"name": "leaky_relu", "alpha": 0.2}, "softmax"]
    x = np.random.default_rng(0).normal(size=(5, 3))
    np.testing.assert_array_equal(back.forward(x), net.forward(x))
