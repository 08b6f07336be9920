"""Real data through the CLI: scikit-learn's 8x8 digits and iris, written as CSV with string labels, train to
a test accuracy on a par with scikit-learn's MLPClassifier given the same hidden layers, optimizer, learning
rate, batch size, epochs, feature scaling and the very same train/test rows."""

import warnings

import pytest

from nnviz.cli import main
from nnviz.core.datasets.files import load_csv
from nnviz.core.scaling import Scaler

sklearn_datasets = pytest.importorskip("sklearn.datasets")
neural_network = pytest.importorskip("sklearn.neural_network")
pytestmark = pytest.mark.peers

SEED = 0
TEST_FRACTION = 0.25


def write_csv(path, x, labels, names):
    header = [f"f{i}" for i in range(x.shape[1])] + ["label"]
    rows = (",".join([*map(repr, row.tolist()), names[label]]) for row, label in zip(x, labels, strict=True))
    path.write_text(",".join(header) + "\n" + "\n".join(rows) + "\n")


def nnviz_test_accuracy(tmp_path, capsys, csv, sizes, epochs, lr, batch):
    net, out = tmp_path / "net.nnviz", tmp_path / "trained.nnviz"
    new = f"new --layers {sizes} --activation relu --output-activation softmax --seed {SEED} -o {net}"
    assert main(new.split()) == 0
    capsys.readouterr()
    train = (
        f"train {net} --data {csv} --targets label --epochs {epochs} --optimizer adam --lr {lr} "
        f"--batch-size {batch} --normalize standard --test-fraction {TEST_FRACTION} --seed {SEED} -o {out}"
    )
    assert main(train.split()) == 0
    lines = dict(line.split(": ") for line in capsys.readouterr().out.splitlines())
    return float(lines["test accuracy"])


def sklearn_test_accuracy(csv, hidden, epochs, lr, batch):
    """MLPClassifier on the same rows the CLI trained and tested on (the same seeded split)."""
    train, test = load_csv(csv, "label").split(TEST_FRACTION, SEED, shuffle=True)
    scaler = Scaler.fit(train.x, "standard")
    clf = neural_network.MLPClassifier(
        hidden_layer_sizes=hidden, learning_rate_init=lr, batch_size=batch, max_iter=epochs, random_state=SEED
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: a fixed epoch budget, like ours
        clf.fit(scaler.transform(train.x), train.y)
    return clf.score(scaler.transform(test.x), test.y)


@pytest.mark.parametrize(
    ("name", "hidden", "epochs", "lr", "batch", "tolerance", "floor"),
    [
        # 450 test rows: 0.03 is 13 digits.   38 test rows: 0.06 is 2 flowers.
        ("digits", (32,), 40, 0.005, 32, 0.03, 0.95),
        ("iris", (10,), 200, 0.01, 16, 0.06, 0.9),
    ],
)
def test_cli_matches_sklearn_mlp(tmp_path, capsys, name, hidden, epochs, lr, batch, tolerance, floor):
    loaded = getattr(sklearn_datasets, f"load_{name}")()
    names = [f"digit_{k}" for k in range(10)] if name == "digits" else list(loaded.target_names)
    csv = tmp_path / f"{name}.csv"
    write_csv(csv, loaded.data, loaded.target, names)
    sizes = ",".join(map(str, [loaded.data.shape[1], *hidden, len(names)]))
    ours = nnviz_test_accuracy(tmp_path, capsys, csv, sizes, epochs, lr, batch)
    theirs = sklearn_test_accuracy(csv, hidden, epochs, lr, batch)
    print(f"{name}: nnviz test accuracy {ours:.4f}, scikit-learn MLPClassifier {theirs:.4f}")
    assert ours >= floor
    assert ours >= theirs - tolerance
