"""What network health costs on 784-16-16-10: one `network_health` on 256 rows (the window's sample) with the
BLAS library's default threads and with one thread; the canvas repaint with and without health marks; and
each health update of the real window while it trains (font digits, the set-up of bench_responsiveness).

Prints one JSON object per case:

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_health.py [--repeats 50] [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_canvas import emit, summary, timed_ms
from PySide6.QtWidgets import QApplication

from nnviz.app.canvas.widget import NetworkCanvas
from nnviz.app.training.health import HEALTH_ROWS
from nnviz.core.health import network_health
from nnviz.core.network import Network

SIZES = [784, 16, 16, 10]


def problem(seed: int = 0) -> tuple[Network, np.ndarray, np.ndarray]:
    """A relu/softmax 784-16-16-10 with two units killed by their biases, and 256 rows of pixel-like data."""
    net = Network.create(SIZES, "relu", output_activation="softmax", seed=seed)
    net.biases[0][[2, 9]] = -1e3
    rng = np.random.default_rng(seed)
    return net, rng.random((HEALTH_ROWS, SIZES[0])), rng.integers(0, SIZES[-1], HEALTH_ROWS)


def bench_compute(repeats: int) -> dict:
    net, x, y = problem()

    def run():
        network_health(net, x, y, "cross_entropy")

    run()
    record = {"case": "network_health", "sizes": "784-16-16-10", "rows": HEALTH_ROWS}
    record.update(summary("default_blas_threads", timed_ms(run, repeats)))
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return record
    with ThreadpoolController().limit(limits=1, user_api="blas"):
        record.update(summary("one_blas_thread", timed_ms(run, repeats)))
    return record


def bench_paint(app: QApplication, repeats: int) -> dict:
    net, x, y = problem()
    canvas = NetworkCanvas()
    canvas.resize(1600, 1000)
    canvas.show()
    canvas.set_network(net, (28, 28))
    canvas.set_trace(net.trace(x[0]))
    while canvas.rendering:
        app.processEvents()
        time.sleep(0.0005)
    app.processEvents()
    plain = timed_ms(canvas.repaint, repeats)
    canvas.set_health(network_health(net, x, y, "cross_entropy"))
    marked = timed_ms(canvas.repaint, repeats)
    canvas.close()
    return {"case": "repaint_with_health", "sizes": "784-16-16-10", **summary("without", plain),
            **summary("with", marked)}  # fmt: skip


def bench_training_window(seconds: float) -> dict:
    """Time every HealthUI.refresh of the real window while 784-16-16-10 trains at full speed."""
    from PySide6.QtCore import QEventLoop, QTimer
    from training_window import open_training_window

    probe = open_training_window()
    window, training = probe.window, probe.training
    health, refresh, times = window.health, window.health.refresh, []

    def timed_refresh() -> None:
        t0 = time.perf_counter()
        refresh()
        times.append((time.perf_counter() - t0) * 1000)

    health._timer.timeout.disconnect()
    health._timer.timeout.connect(timed_refresh)
    health.refresh = timed_refresh  # the leading-edge calls too
    loop = QEventLoop()
    training.controller.start()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    probe.close()
    return {
        "case": "refresh_while_training",
        "sizes": "784-16-16-10",
        "seconds": seconds,
        "updates": len(times),
        "updates_per_second": round(len(times) / seconds, 2),
        **summary("refresh", times),
        "refresh_p90_ms": round(float(np.percentile(times, 90)), 3),
        "refresh_max_ms": round(max(times), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5.0, help="training time of the window case")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    emit(bench_compute(args.repeats))
    emit(bench_paint(app, args.repeats))
    emit(bench_training_window(args.seconds))


if __name__ == "__main__":
    main()
