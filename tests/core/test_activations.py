"""The activation registry: values at hand-worked points, derivatives against central finite differences,
softmax's vector-Jacobian product, parameters, parsing and display formulas."""

import math

import numpy as np
import pytest

from nnviz.core.activations import KINDS, Activation, ActivationError, get_activation

SIGMOID_1 = 1 / (1 + math.exp(-1))  # 0.7310585786300049


@pytest.mark.parametrize(
    ("spec", "z", "expected"),
    [
        ("identity", [-2.0, 0.0, 3.5], [-2.0, 0.0, 3.5]),
        ("linear", [-2.0, 3.5], [-2.0, 3.5]),
        ("step", [-1.0, -1e-9, 0.0, 2.0], [0.0, 0.0, 1.0, 1.0]),
        ("sigmoid", [-1.0, 0.0, 1.0], [1 - SIGMOID_1, 0.5, SIGMOID_1]),
        ({"name": "sigmoid", "slope": 2.0}, [1.0, -0.5], [1 / (1 + math.exp(-2)), 1 / (1 + math.e)]),
        ("tanh", [-0.5, 0.0, 0.5], [-0.46211715726000974, 0.0, 0.46211715726000974]),
        ("relu", [-2.0, 0.0, 3.0], [0.0, 0.0, 3.0]),
        ("leaky_relu", [-2.0, 3.0], [-0.02, 3.0]),
        ({"name": "leaky_relu", "alpha": 0.2}, [-2.0, 3.0], [-0.4, 3.0]),
        ("softplus", [0.0, 1.0, -1.0], [math.log(2), math.log(1 + math.e), math.log(1 + 1 / math.e)]),
        ("softsign", [1.0, -3.0, 0.0], [0.5, -0.75, 0.0]),
        ("swish", [-1.0, 0.0, 1.0], [-(1 - SIGMOID_1), 0.0, SIGMOID_1]),
    ],
)
def test_values_at_hand_worked_points(spec, z, expected):
    np.testing.assert_allclose(get_activation(spec)(np.array([z])), [expected], rtol=1e-12, atol=1e-15)


def test_softmax_values():
    f = get_activation("softmax")
    np.testing.assert_allclose(f(np.log([[1.0, 2.0, 3.0]])), [[1 / 6, 2 / 6, 3 / 6]], rtol=1e-12)
    z = np.array([[0.3, -1.2, 2.0], [5.0, 5.0, 5.0]])
    np.testing.assert_allclose(f(z + 100.0), f(z), rtol=1e-12)  # shift-invariant, row by row
    np.testing.assert_allclose(f(z)[1], [1 / 3] * 3)
    np.testing.assert_allclose(f(z).sum(axis=1), 1.0)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_extreme_inputs_stay_finite_without_warnings(name):
    z = np.array([[-1e4, -800.0, 800.0, 1e4]])
    a = get_activation(name)(z)
    assert np.isfinite(a).all()
    if get_activation(name).elementwise:
        assert np.isfinite(get_activation(name).derivative(z)).all()


def test_saturated_values():
    assert get_activation("sigmoid")(np.array([[-1e4, 1e4]])).tolist() == [[0.0, 1.0]]
    assert get_activation("softplus")(np.array([[1000.0]]))[0, 0] == 1000.0


def test_large_sigmoid_slope_approaches_the_step():
    steep = get_activation({"name": "sigmoid", "slope": 1e4})
    step = get_activation("step")
    z = np.array([[-0.5, -0.01, 0.01, 0.5]])
    np.testing.assert_allclose(steep(z), step(z), atol=1e-40)


# Element-wise kinds with their parameter variants; points keep clear of the kinks at 0.
ELEMENTWISE = [
    "identity",
    "step",
    "sigmoid",
    {"name": "sigmoid", "slope": 0.5},
    {"name": "sigmoid", "slope": 3.0},
    "tanh",
    "relu",
    "leaky_relu",
    {"name": "leaky_relu", "alpha": 0.3},
    "softplus",
    "softsign",
    "swish",
]
POINTS = np.array([[-4.1, -1.7, -0.6, -0.05, 0.03, 0.4, 1.3, 3.9]])


@pytest.mark.parametrize("spec", ELEMENTWISE, ids=str)
def test_derivative_matches_central_differences(spec):
    f = get_activation(spec)
    h = 1e-6
    numeric = (f(POINTS + h) - f(POINTS - h)) / (2 * h)
    np.testing.assert_allclose(f.derivative(POINTS), numeric, rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(f.derivative(POINTS, f(POINTS)), f.derivative(POINTS))
    grad_a = np.linspace(-1, 1, POINTS.size).reshape(POINTS.shape)
    np.testing.assert_array_equal(f.backward(POINTS, f(POINTS), grad_a), grad_a * f.derivative(POINTS))


def test_sigmoid_derivative_carries_the_slope():
    z = np.array([[0.0]])
    assert get_activation({"name": "sigmoid", "slope": 4.0}).derivative(z)[0, 0] == pytest.approx(1.0)
    assert get_activation("sigmoid").derivative(z)[0, 0] == pytest.approx(0.25)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_softmax_vector_jacobian_product(n):
    rng = np.random.default_rng(n)
    f = get_activation("softmax")
    z = rng.normal(size=(4, n))
    grad_a = rng.normal(size=(4, n))
    a = f(z)
    vjp = f.backward(z, a, grad_a)
    for row in range(4):  # against the explicit Jacobian diag(a) − a aᵀ
        jacobian = np.diag(a[row]) - np.outer(a[row], a[row])
        np.testing.assert_allclose(vjp[row], grad_a[row] @ jacobian, rtol=1e-12, atol=1e-15)
    h = 1e-6  # and against central differences of grad_a · softmax(z), one z entry at a time
    for i in range(n):
        dz = np.zeros_like(z)
        dz[:, i] = h
        numeric = ((grad_a * f(z + dz)).sum(axis=1) - (grad_a * f(z - dz)).sum(axis=1)) / (2 * h)
        np.testing.assert_allclose(vjp[:, i], numeric, rtol=1e-6, atol=1e-9)


def test_softmax_has_no_elementwise_derivative():
    with pytest.raises(ActivationError, match="Jacobian"):
        get_activation("softmax").derivative(np.zeros((1, 3)))


@pytest.mark.parametrize("name", sorted(KINDS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(name, dtype):
    z = np.array([[-1.5, 0.5, 2.0, -0.25]], dtype=dtype)
    f = get_activation(name)
    assert f(z).dtype == dtype
    grad = f.backward(z, f(z), np.ones_like(f(z)))
    assert grad.dtype == dtype


def test_registry_is_the_documented_set():
    documented = "identity step sigmoid tanh relu leaky_relu softplus softsign swish softmax maxout"
    assert set(KINDS) == set(documented.split())
    assert [k for k, v in KINDS.items() if not v.trainable] == ["step"]
    assert [k for k, v in KINDS.items() if v.output_only] == ["softmax"]
    for kind in KINDS.values():
        assert kind.formula.startswith("f(z)")
        assert kind.derivative_formula
        assert kind.description


@pytest.mark.parametrize(
    ("spec", "name", "params"),
    [
        ("linear", "identity", {}),
        ("Logistic", "sigmoid", {"slope": 1.0}),
        ("TANH", "tanh", {}),
        ({"name": "sigmoid", "slope": 2}, "sigmoid", {"slope": 2.0}),
        ({"name": "leaky_relu"}, "leaky_relu", {"alpha": 0.01}),
        ({"name": "leaky_relu", "alpha": 0.1}, "leaky_relu", {"alpha": 0.1}),
    ],
)
def test_parsing(spec, name, params):
    act = get_activation(spec)
    assert act.name == name
    assert dict(act.params) == params
    assert get_activation(act) is act


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("magic", "unknown activation 'magic'; known: identity, leaky_relu, maxout, relu, sigmoid"),
        ({"slope": 2}, "needs a string 'name'"),
        ({"name": "tanh", "slope": 2}, "'tanh' has no parameter 'slope'"),
        ({"name": "sigmoid", "slope": "steep"}, "must be a finite number"),
        ({"name": "sigmoid", "slope": True}, "must be a finite number"),
        ({"name": "sigmoid", "slope": float("nan")}, "must be a finite number"),
        ({"name": "sigmoid", "slope": 0}, "slope must be positive"),
        ({"name": "sigmoid", "slope": -1.5}, "slope must be positive"),
        (3, "expected an activation name or object, got int"),
    ],
)
def test_bad_specs_are_refused(spec, message):
    with pytest.raises(ActivationError, match=message):
        get_activation(spec)


def test_formula_shows_parameter_values():
    assert get_activation("sigmoid").formula == "f(z) = 1 / (1 + e^(−β·z))"
    assert get_activation({"name": "sigmoid", "slope": 2}).formula == "f(z) = 1 / (1 + e^(−2·z))"
    assert get_activation({"name": "leaky_relu", "alpha": 0.2}).formula == "f(z) = z if z > 0 else 0.2·z"


@pytest.mark.parametrize(
    ("spec", "json"),
    [
        ("tanh", "tanh"),
        ("linear", "identity"),
        ({"name": "sigmoid", "slope": 1.0}, "sigmoid"),
        ({"name": "sigmoid", "slope": 2.5}, {"name": "sigmoid", "slope": 2.5}),
        ({"name": "leaky_relu", "alpha": 0.2}, {"name": "leaky_relu", "alpha": 0.2}),
    ],
)
def test_project_file_form_round_trips(spec, json):
    act = get_activation(spec)
    assert act.to_json() == json
    assert get_activation(act.to_json()) == act
    assert isinstance(act, Activation)
