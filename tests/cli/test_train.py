"""`nnviz train`: the published walk-through numbers, the output contract, options, bad inputs."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core.document import load_project

CLASSIC = Path(__file__).parents[2] / "resources" / "examples" / "classic.nnviz"
# Matt Mazur, "A Step by Step Backpropagation Example": the weights after one SGD step at rate 0.5.
MAZUR_W1_TO_W4 = [[0.149780716, 0.19956143], [0.24975114, 0.29950229]]
MAZUR_W5_TO_W8 = [[0.35891648, 0.408666186], [0.511301270, 0.561370121]]
ONE_STEP = ["--epochs", "1", "--lr", "0.5", "--batch-size", "1", "--test-fraction", "0", "--no-shuffle"]
# Tiny two-class data with string labels, separable by x1 + x2 > 1.
LABELLED = "x1,x2,kind\n" + "".join(
    f"{a},{b},{'big' if a + b > 1 else 'small'}\n"
    for a, b in np.random.default_rng(0).uniform(0, 1, (40, 2)).round(3).tolist()
)


def run(capsys, *argv):
    """Run the CLI; a string argument with spaces is several words (paths here have no spaces)."""
    code = main([word for a in argv for word in (a.split() if isinstance(a, str) else [str(a)])])
    out, err = capsys.readouterr()
    return code, out, err


def lines_of(out):
    return dict(line.split(": ", 1) for line in out.strip().splitlines())


@pytest.fixture
def mazur_csv(tmp_path):
    path = tmp_path / "one_row.csv"
    path.write_text("x1,x2,t1,t2\n0.05,0.10,0.01,0.99\n")
    return path


@pytest.fixture
def labelled_csv(tmp_path):
    path = tmp_path / "labelled.csv"
    path.write_text(LABELLED)
    return path


def new_project(capsys, path, layers, *options):
    code, _, err = run(capsys, "new", "--layers", layers, "--seed", "1", *options, "-o", path)
    assert code == 0, err
    return path


def test_one_sgd_step_gives_the_published_weights(tmp_path, capsys, mazur_csv):
    out_path = tmp_path / "trained.nnviz"
    code, out, err = run(
        capsys, "train", CLASSIC, "--data", mazur_csv, "--targets", "t1,t2", *ONE_STEP, "-o", out_path
    )
    assert code == 0, err
    net = load_project(out_path).network
    np.testing.assert_allclose(net.weights[0], MAZUR_W1_TO_W4, atol=5e-9)
    np.testing.assert_allclose(net.weights[1], MAZUR_W5_TO_W8, atol=5e-9)
    assert list(lines_of(out)) == ["final loss", "samples/s"]  # regression, no test set


def test_the_classic_example_trains_on_its_own_inline_data_with_its_own_settings(tmp_path, capsys):
    out_path = tmp_path / "trained.nnviz"
    code, _, err = run(
        capsys, "train", CLASSIC, "--epochs", "1", "--test-fraction", "0", "--no-shuffle", "-o", out_path
    )
    assert code == 0, err
    project = load_project(out_path)
    np.testing.assert_allclose(project.network.weights[1], MAZUR_W5_TO_W8, atol=5e-9)
    assert project.training.learning_rate == 0.5  # from the file, not the default 0.1
    assert project.dataset["kind"] == "inline"
    assert project.history["epoch"] == [1]


def test_classification_output_lines_history_and_class_mapping(tmp_path, capsys, labelled_csv):
    net = new_project(
        capsys, tmp_path / "n.nnviz", "2,4,1", "--activation", "tanh", "--output-activation", "sigmoid"
    )
    out_path = tmp_path / "trained.nnviz"
    code, out, err = run(
        capsys,
        "train",
        net,
        "--data",
        labelled_csv,
        "--targets kind --epochs 30 --optimizer adam --lr 0.05 --loss bce --test-fraction 0.25 --seed 3 -o",
        out_path,
    )
    assert code == 0, err
    assert list(lines_of(out)) == ["final loss", "accuracy", "test loss", "test accuracy", "samples/s"]
    values = lines_of(out)
    assert float(values["accuracy"]) >= 0.8
    assert int(values["samples/s"]) > 0
    assert "epoch 30/30" in err  # progress goes to stderr
    project = load_project(out_path)
    assert project.dataset["class_names"] == ["big", "small"]
    assert project.dataset["path"] == "labelled.csv"  # relative to the project's folder
    assert len(project.history["loss"]) == 30
    assert project.training.optimizer == "adam"
    code, out, _ = run(capsys, "forward", out_path, "--input", "0.9,0.9")
    assert out.splitlines()[1] == "class: big"


def test_training_continues_the_history_and_uses_the_stored_reference(tmp_path, capsys, labelled_csv):
    net = new_project(capsys, tmp_path / "n.nnviz", "2,3,1")
    first, second = tmp_path / "a.nnviz", tmp_path / "b.nnviz"
    run(capsys, "train", net, "--data", labelled_csv, "--targets", "kind", "--epochs", "2", "-o", first)
    code, _, err = run(capsys, "train", first, "--epochs", "3", "-o", second)
    assert code == 0, err
    assert load_project(second).history["epoch"] == [1, 2, 3, 4, 5]


def test_normalize_stores_the_scaler_and_forward_applies_it(tmp_path, capsys):
    data = tmp_path / "big.csv"
    data.write_text("a,b,y\n" + "".join(f"{1000 + i},{-5 * i},{i % 2}\n" for i in range(20)))
    net = new_project(capsys, tmp_path / "n.nnviz", "2,1", "--activation", "sigmoid")
    out_path = tmp_path / "t.nnviz"
    code, _, err = run(
        capsys,
        "train",
        net,
        "--data",
        data,
        "--targets y --normalize minmax --test-fraction 0 --epochs 1 -o",
        out_path,
    )
    assert code == 0, err
    project = load_project(out_path)
    np.testing.assert_allclose(project.scaler.offset, [1000, -95])
    np.testing.assert_allclose(project.scaler.scale, [19, 95])
    _, out, _ = run(capsys, "forward", out_path, "--input", "1019,-95", "--json")
    expected = project.network.forward(np.array([[1.0, 0.0]]))[0]
    np.testing.assert_allclose(json.loads(out)["output"], expected, rtol=1e-12)


def test_builtin_dataset_with_parameters_is_recorded_reproducibly(tmp_path, capsys):
    net = new_project(capsys, tmp_path / "n.nnviz", "3,2,1")
    out_path = tmp_path / "t.nnviz"
    code, _, err = run(
        capsys, "train", net, "--data even_odd --data-param bits=3 --epochs 2 --test-fraction 0 -o", out_path
    )
    assert code == 0, err
    ref = load_project(out_path).dataset
    assert ref["kind"] == "builtin"
    assert ref["parameters"] == {"bits": 3}
    assert isinstance(ref["seed"], int)


def test_float32_option_trains_and_is_stored(tmp_path, capsys, labelled_csv):
    net = new_project(capsys, tmp_path / "n.nnviz", "2,2,1")
    out_path = tmp_path / "t.nnviz"
    code, _, err = run(
        capsys, "train", net, "--data", labelled_csv, "--targets kind --dtype float32 --epochs 1 -o", out_path
    )
    assert code == 0, err
    assert load_project(out_path).network.dtype == np.float32


BAD_CSVS = {
    "ragged.csv": "x1,x2,kind\n0.1,0.2,a\n0.3,b\n",
    "text.csv": "x1,x2,kind\n0.1,0.2,a\n0.3,hello,b\n",
    "nan.csv": "x1,x2,kind\n0.1,nan,a\n0.3,0.4,b\n",
    "header_only.csv": "x1,x2,kind\n",
    "empty.csv": "",
    "two_targets.csv": "x1,x2,t1,t2\n0.05,0.10,0.01,0.99\n",
}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--data", "ragged.csv", "--targets", "kind"], "ragged.csv"),
        (["--data", "text.csv", "--targets", "kind"], "text.csv"),
        (["--data", "nan.csv", "--targets", "kind"], "nan.csv"),
        (["--data", "header_only.csv", "--targets", "kind"], "header_only.csv"),
        (["--data", "empty.csv", "--targets", "kind"], "empty.csv"),
        (["--data", "missing.csv", "--targets", "kind"], "missing.csv"),
        (["--data", "labelled.csv", "--targets", "nope"], "nope"),
        (["--data", "labelled.csv"], "--targets is required"),
        (["--data", "labelled.csv", "--targets", "kind", "--epochs", "-1"], "--epochs: must be at least 1"),
        (["--data", "labelled.csv", "--targets", "kind", "--epochs", "many"], "--epochs: expected a whole"),
        (["--data", "labelled.csv", "--targets", "kind", "--lr", "nan"], "--lr: expected a finite number"),
        (["--data", "labelled.csv", "--targets", "kind", "--lr", "-1"], "--lr: must be positive"),
        (
            ["--data", "labelled.csv", "--targets", "kind", "--batch-size", "0"],
            "--batch-size: must be at least",
        ),
        (["--data", "labelled.csv", "--targets", "kind", "--test-fraction", "1"], "--test-fraction: must be"),
        (["--data", "labelled.csv", "--targets", "kind", "--l2", "-0.1"], "--l2: must not be negative"),
        (
            ["--data", "labelled.csv", "--targets", "kind", "--optimizer", "rmsprop"],
            "invalid choice: 'rmsprop'",
        ),
        (["--data", "labelled.csv", "--targets", "kind", "--loss", "cross_entropy"], "softmax"),
        (["--data", "nosuchset"], "no built-in dataset 'nosuchset'"),
        (["--data", "xor", "--targets", "kind"], "--targets applies to CSV files"),
        (["--data", "xor", "--data-param", "noise=lots"], "noise must be float"),
        (["--data", "xor", "--data-param", "colour=red"], "unknown parameter 'colour'"),
        (["--data", "two_targets.csv", "--targets", "t1,t2"], "1 outputs but the data has 2 target columns"),
        (["--targets", "kind"], "--data is required"),
        (["--data", ".", "--targets", "kind"], "is a folder, not a data file"),
    ],
)
def test_bad_training_inputs_give_one_line_and_leave_the_output_alone(tmp_path, capsys, extra, message):
    (tmp_path / "labelled.csv").write_text(LABELLED)
    for name, text in BAD_CSVS.items():
        (tmp_path / name).write_text(text)
    net = new_project(capsys, tmp_path / "n.nnviz", "2,3,1")
    out_path = tmp_path / "out.nnviz"
    out_path.write_text("precious")
    argv = [
        "train",
        net,
        *(str(tmp_path / a) if a.endswith((".csv", ".")) else a for a in extra),
        "-o",
        out_path,
    ]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("nnviz: error: ")
    assert message in err
    assert out_path.read_text() == "precious"


@pytest.mark.parametrize(
    ("layers", "options", "message"),
    [
        ("3,2,1", [], "the network takes 3 inputs but the data has 2 feature columns (x1, x2)"),
        ("2,2,3", ["--output-activation", "softmax"], "3 outputs but the data has 2 classes"),
        ("2,2,1", ["--activation", "step"], "cannot be trained"),
    ],
)
def test_network_and_data_that_do_not_fit(tmp_path, capsys, labelled_csv, layers, options, message):
    net = new_project(capsys, tmp_path / "n.nnviz", layers, *options)
    code, _, err = run(
        capsys, "train", net, "--data", labelled_csv, "--targets", "kind", "-o", tmp_path / "o.nnviz"
    )
    assert code == 2
    assert message in err
    assert not (tmp_path / "o.nnviz").exists()


def test_divergence_is_reported_and_nothing_is_written(tmp_path, capsys):
    data = tmp_path / "huge.csv"
    data.write_text("x,y\n1,1e300\n2,-1e300\n")
    net = new_project(capsys, tmp_path / "n.nnviz", "1,1", "--activation", "identity")
    out_path = tmp_path / "out.nnviz"
    out_path.write_text("precious")
    code, _, err = run(
        capsys, "train", net, "--data", data, "--targets", "y", "--test-fraction", "0", "-o", out_path
    )
    assert code == 2
    assert "diverged" in err
    assert "lower learning rate" in err
    assert out_path.read_text() == "precious"


@pytest.mark.parametrize("output", ["{tmp}/missing/out.nnviz", "{tmp}", "/dev/null"])
def test_an_unwritable_output_fails_before_training(tmp_path, capsys, labelled_csv, output):
    net = new_project(capsys, tmp_path / "n.nnviz", "2,1")
    code, _, err = run(
        capsys, "train", net, "--data", labelled_csv, "--targets", "kind", "-o", output.format(tmp=tmp_path)
    )
    assert code == 2
    assert "epoch" not in err  # refused before the first epoch
    assert len(err.splitlines()) == 1


def test_train_as_a_subprocess_progress_on_stderr_results_on_stdout(tmp_path, labelled_csv):
    out_path = tmp_path / "t.nnviz"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "nnviz",
            "train",
            str(CLASSIC),
            "--epochs",
            "3",
            "--test-fraction",
            "0",
            "-o",
            str(out_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("final loss: ")
    assert proc.stdout.splitlines()[-1].startswith("samples/s: ")
    assert "epoch 3/3" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_long_epochs_report_progress_within_the_epoch(tmp_path, capsys, labelled_csv, monkeypatch):
    monkeypatch.setattr("nnviz.cli_train.PROGRESS_INTERVAL_S", 0.0)
    monkeypatch.setattr("nnviz.core.training.PROGRESS_INTERVAL", 0.0)
    net = new_project(capsys, tmp_path / "n.nnviz", "2,1")
    code, _, err = run(
        capsys,
        "train",
        net,
        "--data",
        labelled_csv,
        "--targets kind --epochs 2 --batch-size 10",
        "--test-fraction 0 -o",
        tmp_path / "t.nnviz",
    )
    assert code == 0
    assert "epoch 1/2  10/40 samples  loss " in err
    assert "epoch 2/2  loss " in err


def mnist_like_csv(path, rows=40, label=None):
    """The common MNIST CSV layout: `label,pixel0..pixel783`, labels 0-9 (row 7 gets `label` if given)."""
    rng = np.random.default_rng(0)
    labels = [str(k % 10) for k in range(rows)]
    if label is not None:
        labels[7] = label
    pixels = rng.integers(0, 256, (rows, 784))
    header = "label," + ",".join(f"pixel{i}" for i in range(784))
    body = "".join(f"{t},{','.join(map(str, p))}\n" for t, p in zip(labels, pixels.tolist(), strict=True))
    path.write_text(header + "\n" + body)
    return path


def test_numeric_labels_train_a_softmax_network_as_classes(tmp_path, capsys):
    net = new_project(capsys, tmp_path / "n.nnviz", "784,16,16,10", "--output-activation", "softmax")
    data, out_path = mnist_like_csv(tmp_path / "mnist.csv"), tmp_path / "trained.nnviz"
    code, out, err = run(
        capsys, "train", net, "--data", data, "--targets label --epochs 2 --normalize minmax -o", out_path
    )
    assert code == 0, err
    assert list(lines_of(out)) == ["final loss", "accuracy", "test loss", "test accuracy", "samples/s"]
    reference = load_project(out_path).dataset
    assert reference["task"] == "classification"
    assert reference["class_names"] == [str(k) for k in range(10)]
    code, out, err = run(capsys, "train", out_path, "--epochs", "1", "-o", tmp_path / "again.nnviz")
    assert code == 0, err  # the stored reference reads the labels as classes again
    assert "accuracy" in lines_of(out)


@pytest.mark.parametrize("label", ["10", "-1", "2.5"])
def test_a_label_outside_the_classes_is_one_line_naming_the_row(tmp_path, capsys, label):
    net = new_project(capsys, tmp_path / "n.nnviz", "784,16,16,10", "--output-activation", "softmax")
    data = mnist_like_csv(tmp_path / "mnist.csv", label=label)
    code, out, err = run(
        capsys, "train", net, "--data", data, "--targets", "label", "-o", tmp_path / "o.nnviz"
    )
    assert code == 2
    assert out == ""
    assert err == (
        f"nnviz: error: {data}, line 9, column 'label': '{label}' is not a class index "
        "(a whole number from 0 to 9: the network has 10 outputs)\n"
    )


def test_two_softmax_outputs_read_0_1_as_classes_and_a_sigmoid_output_stays_regression(tmp_path, capsys):
    binary = tmp_path / "binary.csv"
    binary.write_text("x1,x2,t\n" + "".join(f"{k / 10},{k % 2},{k % 2}\n" for k in range(30)))
    softmax = new_project(capsys, tmp_path / "i.nnviz", "2,4,2", "--output-activation", "softmax")
    code, out, err = run(
        capsys,
        "train",
        softmax,
        "--data",
        binary,
        "--targets t --loss cross_entropy -o",
        tmp_path / "a.nnviz",
    )
    assert code == 0, err
    assert "accuracy" in lines_of(out)
    assert load_project(tmp_path / "a.nnviz").dataset["class_names"] == ["0", "1"]
    sigmoid = new_project(capsys, tmp_path / "s.nnviz", "2,4,1", "--output-activation", "sigmoid")
    code, out, err = run(
        capsys, "train", sigmoid, "--data", binary, "--targets t --loss bce -o", tmp_path / "b.nnviz"
    )
    assert code == 0, err
    assert list(lines_of(out)) == ["final loss", "test loss", "samples/s"]  # regression, as before
    assert load_project(tmp_path / "b.nnviz").dataset["task"] == "regression"


def test_threads_sets_the_blas_pool_and_one_is_the_default(tmp_path, capsys, labelled_csv):
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads():
        return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    net = new_project(capsys, tmp_path / "n.nnviz", "2,1")
    with threadpool_limits(None):  # put back whatever the test run had
        for option, expected in (([], {1}), (["--threads", "2"], {2})):
            code, _, err = run(
                capsys, "train", net, "--data", labelled_csv, "--targets", "kind", "--epochs", "1",
                *option, "-o", tmp_path / "t.nnviz",
            )  # fmt: skip
            assert code == 0, err
            assert blas_threads() == expected
    code, _, err = run(capsys, "train", net, "--data", labelled_csv, "--targets", "kind", "--threads", "0",
                       "-o", tmp_path / "t.nnviz")  # fmt: skip
    assert code == 2
    assert "--threads" in err


def test_each_train_adds_a_run_whose_last_checkpoint_is_the_trained_network(tmp_path, capsys, labelled_csv):
    new_project(capsys, tmp_path / "n.nnviz", "2,3,1", "--activation", "tanh")
    for source, out, epochs in (("n", "a", 30), ("a", "b", 5)):
        code, _, err = run(capsys, "train", tmp_path / f"{source}.nnviz", "--data", labelled_csv, "--targets",
                           "kind", "--epochs", epochs, "-o", tmp_path / f"{out}.nnviz")  # fmt: skip
        assert code == 0, err
    project = load_project(tmp_path / "b.nnviz")
    assert [r.name for r in project.runs] == ["run 1", "run 2"]
    first, second = project.runs
    assert first.epochs[0] == 1
    assert first.epochs[-1] == 30
    assert second.epochs == [31, 32, 33, 34, 35]  # the second run continues the project's epochs
    assert second.history["epoch"] == [31, 32, 33, 34, 35]
    assert second.history["loss"][-1] == project.history["loss"][-1]
    assert second.training == project.training.to_json()
    last = second.network_at(len(second.checkpoints) - 1)
    for a, b in zip(last.weights, project.network.weights, strict=True):
        np.testing.assert_array_equal(a, b.astype(np.float32))
    assert "run: run 2 (epochs 31-35, 5 checkpoints)" in run(capsys, "info", tmp_path / "b.nnviz")[1]
