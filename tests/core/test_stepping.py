"""Step-through of one sample: the classic 2-2-2 walk-through by hand, agreement with the network's own
trace/backward on random networks, navigation, and the masks the canvas draws from."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnviz.core.losses import LossError
from nnviz.core.network import Network, NetworkError, UntrainableError
from nnviz.core.stepping import DeltaStep, ForwardStepper, GradientStep, NeuronStep, OutputErrorStep


def mazur_network() -> Network:
    """Matt Mazur's 'A Step by Step Backpropagation Example' (the classic example, docs/architecture.md)."""
    return Network(
        [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
        [[0.35, 0.35], [0.60, 0.60]],
        ["sigmoid", "sigmoid"],
    )


@pytest.fixture
def mazur() -> ForwardStepper:
    return ForwardStepper(mazur_network(), [0.05, 0.10], [0.01, 0.99], "mse")


def test_mazur_forward_numbers(mazur):
    neurons = [s for s in mazur.steps if isinstance(s, NeuronStep)]
    h1, h2, o1, o2 = neurons
    assert (h1.layer, h1.index, o2.layer, o2.index) == (1, 0, 2, 1)
    assert h1.z == pytest.approx(0.3775, abs=1e-12)  # net_h1 = 0.15·0.05 + 0.2·0.1 + 0.35
    np.testing.assert_allclose(h1.products, [0.15 * 0.05, 0.20 * 0.10])
    assert h1.a == pytest.approx(0.593269992, abs=1e-9)
    assert h2.a == pytest.approx(0.596884378, abs=1e-9)
    assert o1.z == pytest.approx(1.105905967, abs=1e-9)
    assert o1.a == pytest.approx(0.75136507, abs=1e-8)
    assert o2.a == pytest.approx(0.772928465, abs=1e-9)
    np.testing.assert_array_equal(o1.inputs, [h1.a, h2.a])


def test_mazur_backward_numbers_and_one_sgd_step(mazur):
    error = next(s for s in mazur.steps if isinstance(s, OutputErrorStep))
    assert error.loss == pytest.approx(0.298371109, abs=1e-9)
    assert error.penalty == 0.0
    np.testing.assert_allclose(error.output_gradients, [0.74136507, -0.217071535], atol=1e-8)
    deltas = {(s.layer, s.index): s for s in mazur.steps if isinstance(s, DeltaStep)}
    assert deltas[2, 0].derivative == pytest.approx(0.186815602, abs=1e-9)
    assert deltas[2, 0].delta == pytest.approx(0.138498562, abs=1e-9)
    assert deltas[1, 0].error == pytest.approx(0.036350306, abs=1e-9)  # dE_total/dout_h1
    assert deltas[1, 0].derivative == pytest.approx(0.241300709, abs=1e-9)
    grads = {(s.layer, s.index): s for s in mazur.steps if isinstance(s, GradientStep)}
    assert grads[2, 0].weight_gradients[0] == pytest.approx(0.082167041, abs=1e-9)  # dE/dw5
    assert grads[1, 0].weight_gradients[0] == pytest.approx(0.000438568, abs=1e-9)  # dE/dw1
    new = {
        name: grads[layer, j].weights[i] - 0.5 * grads[layer, j].weight_gradients[i]
        for name, (layer, j, i) in {
            "w1": (1, 0, 0), "w2": (1, 0, 1), "w3": (1, 1, 0), "w4": (1, 1, 1),
            "w5": (2, 0, 0), "w6": (2, 0, 1), "w7": (2, 1, 0), "w8": (2, 1, 1),
        }.items()
    }  # fmt: skip
    published = {
        "w1": 0.149780716, "w2": 0.19956143, "w3": 0.24975114, "w4": 0.29950229,
        "w5": 0.35891648, "w6": 0.408666186, "w7": 0.511301270, "w8": 0.561370121,
    }  # fmt: skip
    for name, value in published.items():
        assert new[name] == pytest.approx(value, abs=1e-8), name


def test_step_order_follows_the_walk_through(mazur):
    kinds = [(s.kind, s.layer, s.index) for s in mazur.steps]
    assert kinds == [
        ("neuron", 1, 0), ("neuron", 1, 1), ("neuron", 2, 0), ("neuron", 2, 1),
        ("output_error", 2, None),
        ("delta", 2, 0), ("delta", 2, 1), ("gradient", 2, 0), ("gradient", 2, 1),
        ("delta", 1, 0), ("delta", 1, 1), ("gradient", 1, 0), ("gradient", 1, 1),
        ("update", 1, None), ("update", 2, None), ("new_loss", 2, None),
    ]  # fmt: skip


ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "softsign", "swish"]
# (output activation, loss) pairs the loss accepts
OUTPUTS = [(a, "mse") for a in ACTIVATIONS] + [("sigmoid", "bce"), ("softmax", "cross_entropy")]


@st.composite
def stepped_networks(draw):
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=5))
    hidden = draw(st.sampled_from(ACTIVATIONS))
    output, loss = draw(st.sampled_from(OUTPUTS))
    if output == "softmax" and sizes[-1] == 1:
        sizes[-1] = 2
    seed = draw(st.integers(0, 2**32 - 1))
    net = Network.create(sizes, hidden, output, init="uniform", seed=seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=sizes[0])
    if loss == "cross_entropy":
        target = int(rng.integers(sizes[-1]))
    elif loss == "bce":
        target = rng.uniform(size=sizes[-1])
    else:
        target = rng.normal(size=sizes[-1])
    l1, l2 = draw(st.sampled_from([(0.0, 0.0), (0.01, 0.0), (0.0, 0.1), (0.02, 0.05)]))
    return net, x, target, loss, l1, l2


@given(stepped_networks())
def test_steps_equal_the_networks_trace_and_backward_exactly(case):
    net, x, target, loss, l1, l2 = case
    stepper = ForwardStepper(net, x, target, loss, l1, l2)
    trace = net.trace(x)
    grads = net.backward(trace, np.atleast_1d(target) if loss == "cross_entropy" else [target], loss, l1, l2)
    n_neurons = sum(net.sizes[1:])
    assert len(stepper.steps) == 1 + 3 * n_neurons + len(net.weights) + 1  # + an update per layer, new loss
    for s in stepper.steps:
        if isinstance(s, NeuronStep):
            assert s.z == trace.z[s.layer][0, s.index]
            assert s.a == trace.a[s.layer][0, s.index]
            np.testing.assert_array_equal(s.inputs, trace.a[s.layer - 1][0])
            np.testing.assert_array_equal(s.weights, net.weights[s.layer - 1][s.index])
            assert s.bias == net.biases[s.layer - 1][s.index]
            assert s.products.sum() + s.bias == pytest.approx(s.z, rel=1e-12, abs=1e-12)
        elif isinstance(s, OutputErrorStep):
            total = net.loss(x, np.atleast_1d(target) if loss == "cross_entropy" else [target], loss, l1, l2)
            assert s.loss == total
        elif isinstance(s, DeltaStep):
            assert s.delta == grads.deltas[s.layer - 1][0, s.index]
            if s.downstream_weights is not None:
                explained = s.downstream_weights @ s.downstream_deltas
                assert s.error == pytest.approx(explained, rel=1e-12, abs=1e-14)
            if s.derivative is not None:
                assert s.delta == pytest.approx(s.error * s.derivative, rel=1e-9, abs=1e-14)
        elif s.kind == "gradient":
            np.testing.assert_array_equal(s.weight_gradients, grads.weights[s.layer - 1][s.index])
            assert s.bias_gradient == grads.biases[s.layer - 1][s.index]
            assert s.bias_gradient == s.delta


def test_forward_only_stepper_has_only_neuron_steps():
    net = Network.create([3, 4, 2], "tanh", seed=1)
    stepper = ForwardStepper(net, [0.1, 0.2, 0.3])
    assert [type(s) for s in stepper.steps] == [NeuronStep] * 6
    assert stepper.gradients is None


def test_navigation(mazur):
    assert mazur.position == 0
    assert mazur.current is None
    assert mazur.back() is None
    first = mazur.step_neuron()
    assert first is mazur.steps[0]
    assert mazur.current is first
    assert mazur.step_neuron() is mazur.steps[1]
    assert mazur.back() is mazur.steps[1]
    assert mazur.position == 1
    mazur.run_to_end()
    assert mazur.done
    assert mazur.step_neuron() is None
    assert mazur.position == len(mazur.steps)
    mazur.reset()
    assert mazur.position == 0
    assert not mazur.done
    mazur.go_to(5)
    assert mazur.current.kind == "output_error"
    with pytest.raises(ValueError, match=r"0\.\.16"):
        mazur.go_to(17)


def test_step_layer_completes_one_group_at_a_time(mazur):
    groups = []
    while not mazur.done:
        groups.append([(s.kind, s.layer, s.index) for s in mazur.step_layer()])
    assert groups == [
        [("neuron", 1, 0), ("neuron", 1, 1)],
        [("neuron", 2, 0), ("neuron", 2, 1)],
        [("output_error", 2, None)],
        [("delta", 2, 0), ("delta", 2, 1)],
        [("gradient", 2, 0), ("gradient", 2, 1)],
        [("delta", 1, 0), ("delta", 1, 1)],
        [("gradient", 1, 0), ("gradient", 1, 1)],
        [("update", 1, None)],
        [("update", 2, None)],
        [("new_loss", 2, None)],
    ]
    assert mazur.step_layer() == []


def test_step_layer_from_the_middle_of_a_layer_finishes_that_layer():
    stepper = ForwardStepper(Network.create([2, 3, 1], seed=0), [1.0, 2.0])
    stepper.step_neuron()
    assert [s.index for s in stepper.step_layer()] == [1, 2]
    assert stepper.current.layer == 1


def test_masks_follow_the_position(mazur):
    assert [m.tolist() for m in mazur.computed] == [[True, True], [False, False], [False, False]]
    mazur.step_neuron()
    mazur.step_neuron()
    mazur.step_neuron()
    assert [m.tolist() for m in mazur.computed] == [[True, True], [True, True], [True, False]]
    assert not any(m.any() for m in mazur.delta_computed)
    assert mazur.weight_gradients is None
    mazur.go_to(8)  # forward, output error, two output deltas, first output gradient row
    assert [m.tolist() for m in mazur.delta_computed] == [[False, False], [False, False], [True, True]]
    dw = mazur.weight_gradients
    assert not dw[0].any()
    assert dw[1][0] == pytest.approx([0.082167041, 0.082667628], abs=1e-9)
    assert not dw[1][1].any()
    mazur.back()
    assert mazur.weight_gradients is None


def test_stepper_snapshots_the_network():
    net = mazur_network()
    stepper = ForwardStepper(net, [0.05, 0.10])
    net.weights[0][0, 0] = 99.0
    assert stepper.steps[0].weights[0] == 0.15
    assert stepper.steps[0].a == pytest.approx(0.593269992, abs=1e-9)


def test_class_label_target_becomes_one_hot():
    net = Network.create([2, 3], "tanh", "softmax", seed=3)
    stepper = ForwardStepper(net, [0.5, -0.5], 2, "cross_entropy")
    error = stepper.steps[3]
    assert isinstance(error, OutputErrorStep)
    assert error.targets.tolist() == [0.0, 0.0, 1.0]
    assert error.loss == pytest.approx(-np.log(error.outputs[2]))
    deltas = [s for s in stepper.steps if isinstance(s, DeltaStep)]
    assert all(d.derivative is None for d in deltas)  # softmax has no element-wise derivative
    assert [d.delta for d in deltas] == pytest.approx(error.outputs - error.targets)


def test_bad_inputs_are_refused_with_clear_messages():
    net = mazur_network()
    with pytest.raises(NetworkError, match="one sample"):
        ForwardStepper(net, [[0.1, 0.2], [0.3, 0.4]])
    with pytest.raises(NetworkError, match="2 inputs"):
        ForwardStepper(net, [0.1, 0.2, 0.3])
    with pytest.raises(NetworkError, match="both a target and a loss"):
        ForwardStepper(net, [0.1, 0.2], target=[0.0, 1.0])
    with pytest.raises(LossError, match="2 outputs"):
        ForwardStepper(net, [0.1, 0.2], [0.0, 1.0, 0.5], "mse")
    with pytest.raises(LossError, match="softmax"):
        ForwardStepper(net, [0.1, 0.2], 1, "cross_entropy")
    step_net = Network.create([2, 2, 1], "step", "sigmoid", seed=0)
    assert len(ForwardStepper(step_net, [0.1, 0.2]).steps) == 3  # forward stepping works
    with pytest.raises(UntrainableError, match="cannot be trained"):
        ForwardStepper(step_net, [0.1, 0.2], [1.0], "mse")


def test_steps_are_made_when_read_and_the_drawing_state_needs_none_of_them(monkeypatch):
    """A weight edit makes a new stepper: at 784-1024-1024-10 making its ~6,000 steps cost more than a frame,
    while a view reads only the current one."""
    made = []
    original = ForwardStepper._neuron_step

    def counting(self, k, j):
        made.append((k, j))
        return original(self, k, j)

    monkeypatch.setattr(ForwardStepper, "_neuron_step", counting)
    net = Network.create([3, 50, 40, 2], "tanh", seed=0)
    stepper = ForwardStepper(net, [0.1, 0.2, 0.3], [0.0, 1.0], "mse")
    assert made == []
    assert len(stepper.steps) == 92 + 1 + 2 * 92 + 3 + 1  # forward, error, deltas, gradients, updates, loss
    stepper.go_to(60)
    assert [int(m.sum()) for m in stepper.computed] == [3, 50, 10, 0]
    assert made == []
    assert stepper.current is stepper.steps[59]
    assert (stepper.current.layer, stepper.current.index) == (2, 9)
    assert made == [(1, 9)]
    stepper.run_to_end()
    assert [int(m.sum()) for m in stepper.delta_computed] == [0, 50, 40, 2]
    pairs = zip(stepper.weight_gradients, stepper.gradients.weights, strict=True)
    assert all(np.array_equal(a, b) for a, b in pairs)
    assert len(made) == 1


def test_the_backward_pass_is_computed_when_a_backward_step_or_the_gradients_are_first_read(monkeypatch):
    """An edit makes a new stepper: at 784-1024-1024-10 its backward pass was 40 ms of every edit's frame,
    spent before anyone looked at a backward step."""
    passes = []
    original = Network.backward
    monkeypatch.setattr(Network, "backward", lambda *a, **k: passes.append(1) or original(*a, **k))
    net = Network.create([3, 5, 2], "tanh", seed=0)
    stepper = ForwardStepper(net, [0.1, 0.2, 0.3], [0.0, 1.0], "mse")
    assert stepper.has_backward
    stepper.go_to(8)  # the 7 neurons, and the output error
    assert isinstance(stepper.current, OutputErrorStep)
    assert passes == []
    stepper.step_neuron()
    assert isinstance(stepper.current, DeltaStep)
    assert passes == [1]
    expected = net.backward(net.trace(np.array([[0.1, 0.2, 0.3]])), np.array([[0.0, 1.0]]), "mse")
    np.testing.assert_array_equal(stepper.gradients.weights[0], expected.weights[0])
    assert passes == [1, 1]  # the stepper's own pass was kept, not made again


def test_a_trace_made_elsewhere_for_the_shown_sample_is_the_steppers_and_equals_its_own():
    """The window's relay thread makes a training snapshot's forward pass of the sample shown (ShownSample),
    so the GUI thread does not: it must be the very pass the stepper would make."""
    from nnviz.core.stepping import ShownSample

    net = Network.create([3, 5, 2], "tanh", seed=4)
    x = np.array([0.3, -1.2, 2.0])
    shown = ShownSample(x, tuple(net.activations), net.dtype)
    made = shown.trace([w.copy() for w in net.weights], [b.copy() for b in net.biases])
    assert made.sample is shown
    own = ForwardStepper(net, x).trace
    for mine, theirs in zip(own.z + own.a, made.trace.z + made.trace.a, strict=True):
        np.testing.assert_array_equal(mine, theirs)  # bit for bit
    stepper = ForwardStepper(net, x, copy=False, trace=made.trace)
    assert stepper.trace is made.trace
