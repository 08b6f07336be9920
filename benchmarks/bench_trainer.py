"""Training speed of nnviz's Trainer beside PyTorch (CPU) and scikit-learn's MLPClassifier, in one run.

Prints one JSON object per case (shape × batch size × dtype): training samples per second of each library
and the ratios to PyTorch float32 at the same thread count. What is timed, for every library alike:
whole epochs of shuffled minibatch SGD (lr 0.01, no momentum) on the same random data, after one untimed
warm-up epoch; the libraries take turns in `--rounds` rounds of at least `--seconds`/rounds each, and each
library's best round counts (other processes on a shared machine only ever slow a round down).
- nnviz: `Trainer.run_epoch` (which also records the epoch's loss and accuracy).
- PyTorch: the minimal idiomatic loop — `randperm`, index a minibatch, `zero_grad`, forward,
  `BCEWithLogitsLoss`/`CrossEntropyLoss` on the logits, `backward`, `SGD.step` — no metric bookkeeping.
- scikit-learn: one `MLPClassifier.partial_fit` call per epoch (solver sgd, momentum 0, alpha 0), which
  runs the minibatches of one epoch; scikit-learn keeps float32 input in float32.
Hidden layers use ReLU; one output is a sigmoid with binary cross-entropy, several a softmax with
cross-entropy. Threads: `torch.set_num_threads(T)` and threadpoolctl's `threadpool_limits(T)` for the BLAS
under NumPy and scikit-learn (T = `--threads`, default 1).

    python benchmarks/bench_trainer.py            # the full table (a few minutes)
    python benchmarks/bench_trainer.py --quick    # smoke test: one tiny case, short timings
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings

import numpy as np
from threadpoolctl import threadpool_limits

from nnviz.core.network import Network
from nnviz.core.training import Trainer, TrainingConfig

SHAPES = ["2-8-8-1", "64-32-10", "784-16-16-10", "784-128-64-10"]
BATCH_SIZES = [1, 32, 256]
DTYPES = ["float64", "float32"]
LEARNING_RATE = 0.01


def target_ratio(shape: str, batch_size: int, dtype: str) -> float | None:
    """The issue's targets as ratios to PyTorch float32 (None: no target for this case)."""
    if shape in ("2-8-8-1", "64-32-10") and batch_size in (1, 32):
        return 3.0
    if dtype != "float32":
        return None
    return 0.9 if (shape, batch_size) == ("784-128-64-10", 1) else 1.0


def make_data(sizes: list[int], n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, sizes[0]))
    return x, rng.integers(0, max(sizes[-1], 2), n)


def best_rates(runners: dict, n: int, seconds: float, rounds: int) -> dict:
    """Samples/s of each runner (a function that trains one epoch of n samples): the best of `rounds`
    interleaved rounds of whole epochs lasting at least seconds/rounds each, after one untimed warm-up epoch.

    Interleaving and keeping the best round make the ratios robust to other processes on a shared machine.
    """
    for run_epoch in runners.values():
        run_epoch()
    best = dict.fromkeys(runners, 0.0)
    for _ in range(rounds):
        for key, run_epoch in runners.items():
            epochs, start = 0, time.perf_counter()
            while True:
                run_epoch()
                epochs += 1
                elapsed = time.perf_counter() - start
                if elapsed >= seconds / rounds:
                    break
            best[key] = max(best[key], epochs * n / elapsed)
    return best


def nnviz_epoch(sizes, x, y, batch_size, dtype):
    out = "sigmoid" if sizes[-1] == 1 else "softmax"
    net = Network.create(sizes, "relu", out, init="uniform", seed=0, dtype=dtype)
    loss = "bce" if sizes[-1] == 1 else "cross_entropy"
    config = TrainingConfig(loss=loss, learning_rate=LEARNING_RATE, batch_size=batch_size, seed=0)
    trainer = Trainer(net, config, "classification")
    x = x.astype(dtype)
    return lambda: trainer.run_epoch(x, y)


def torch_epoch(sizes, x, y, batch_size, dtype):
    import torch

    layers: list[torch.nn.Module] = []
    for k in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[k], sizes[k + 1]))
        if k < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers).to(getattr(torch, dtype))
    opt = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    xt = torch.tensor(x, dtype=getattr(torch, dtype))
    if sizes[-1] == 1:
        loss_fn, yt = torch.nn.BCEWithLogitsLoss(), torch.tensor(y, dtype=xt.dtype).reshape(-1, 1)
    else:
        loss_fn, yt = torch.nn.CrossEntropyLoss(), torch.tensor(y)
    n = len(x)

    def epoch():
        order = torch.randperm(n)
        for s in range(0, n, batch_size):
            index = order[s : s + batch_size]
            opt.zero_grad()
            loss = loss_fn(model(xt[index]), yt[index])
            loss.backward()
            opt.step()

    return epoch


def sklearn_epoch(sizes, x, y, batch_size, dtype):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    clf = MLPClassifier(
        hidden_layer_sizes=tuple(sizes[1:-1]),
        activation="relu",
        solver="sgd",
        learning_rate_init=LEARNING_RATE,
        momentum=0.0,
        alpha=0.0,
        batch_size=batch_size,
        shuffle=True,
        random_state=0,
    )
    x = x.astype(dtype)
    classes = np.arange(max(sizes[-1], 2))
    return lambda: clf.partial_fit(x, y, classes=classes)


def run_case(shape, batch_size, seconds, rounds, threads, dtypes, peers):
    sizes = [int(s) for s in shape.split("-")]
    n = max(512, 8 * batch_size)
    x, y = make_data(sizes, n)
    factories = {"nnviz": nnviz_epoch, "torch": torch_epoch, "sklearn": sklearn_epoch}
    wanted = [("nnviz", d) for d in dtypes] + [(p, d) for p in sorted(peers) for d in dtypes]
    if "torch" in peers:
        wanted.append(("torch", "float32"))
    runners = {key: factories[key[0]](sizes, x, y, batch_size, key[1]) for key in dict.fromkeys(wanted)}
    rate = best_rates(runners, n, seconds, rounds)
    lines = []
    for dtype in dtypes:
        row = {"shape": shape, "batch_size": batch_size, "dtype": dtype, "threads": threads, "samples": n}
        row["rounds"] = rounds
        row["nnviz"] = rate["nnviz", dtype]
        if "torch" in peers:
            row["torch"] = rate["torch", dtype]
            row["torch_float32"] = rate["torch", "float32"]
            row["ratio_vs_torch_float32"] = row["nnviz"] / row["torch_float32"]
            target = target_ratio(shape, batch_size, dtype)
            row["target"] = target
            row["meets_target"] = None if target is None else row["ratio_vs_torch_float32"] >= target
        if "sklearn" in peers:
            row["sklearn"] = rate["sklearn", dtype]
            row["ratio_vs_sklearn"] = row["nnviz"] / row["sklearn"]
        lines.append({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()})
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one tiny case with short timings (smoke test)")
    parser.add_argument("--threads", type=int, default=1, help="threads for PyTorch and NumPy's BLAS")
    parser.add_argument("--seconds", type=float, default=0.6, help="timed seconds per library and case")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best one counts")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--batch-sizes", default=",".join(map(str, BATCH_SIZES)))
    parser.add_argument("--dtypes", default=",".join(DTYPES))
    parser.add_argument("--peers", default="torch,sklearn", help="comma-separated: torch, sklearn, or none")
    args = parser.parse_args(argv)
    shapes, dtypes = args.shapes.split(","), args.dtypes.split(",")
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    if args.quick:
        shapes, batch_sizes, dtypes, args.seconds, args.rounds = ["2-8-8-1"], [32], ["float64"], 0.02, 1
    peers = {p for p in args.peers.split(",") if p in ("torch", "sklearn")}
    if "torch" in peers:
        import torch

        torch.set_num_threads(args.threads)
    with threadpool_limits(args.threads):
        for shape in shapes:
            for batch_size in batch_sizes:
                for line in run_case(
                    shape, batch_size, args.seconds, args.rounds, args.threads, dtypes, peers
                ):
                    print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
