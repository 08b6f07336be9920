"""LatestOnly: one job at a time off the GUI thread, only the newest waiting one run, results in order."""

import threading

import pytest

from nnviz.app.background import LatestOnly


def test_a_request_made_while_one_runs_replaces_the_waiting_one(qtbot):
    worker = LatestOnly()
    release = threading.Event()
    results = []
    worker.finished.connect(lambda number, result: results.append((number, result)))
    first = worker.request(lambda: release.wait(10) and threading.current_thread() is threading.main_thread())
    worker.request(lambda: "dropped")
    third = worker.request(lambda: "newest")
    assert worker.busy
    release.set()
    qtbot.waitUntil(lambda: len(results) == 2 and not worker.busy, timeout=10000)
    assert results == [(first, False), (third, "newest")]  # off the main thread; the middle one never ran
    worker.shutdown()


@pytest.mark.qt_no_exception_capture
def test_a_failed_job_delivers_none_and_the_next_one_still_runs(qtbot):
    worker = LatestOnly()
    results = []
    worker.finished.connect(lambda number, result: results.append(result))

    def failing():
        raise ValueError("a render that failed")

    worker.request(failing)
    qtbot.waitUntil(lambda: results == [None], timeout=10000)
    worker.request(lambda: 42)
    qtbot.waitUntil(lambda: results == [None, 42], timeout=10000)
    assert not worker.busy
    worker.shutdown()
