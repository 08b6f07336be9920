"""The project's per-epoch record stays bounded however long training runs, and stays a true record."""

from types import SimpleNamespace

from nnviz.core.history import HistoryRecorder, extend_history


def stats(first: int, count: int) -> list[SimpleNamespace]:
    """Epochs first..first+count-1 whose loss is 1/epoch, so any row can be checked against its epoch."""
    return [
        SimpleNamespace(loss=1 / e, accuracy=None, test_loss=2 / e, test_accuracy=None)
        for e in range(first, first + count)
    ]


def test_runs_append_and_keep_counting():
    history = extend_history(None, stats(1, 3))
    history = extend_history(history, stats(4, 2), columns={"step": [40, 50]})
    assert history["epoch"] == [1, 2, 3, 4, 5]
    assert history["step"] == [None, None, None, 40, 50]  # a column new in this run
    assert history["loss"] == [1 / e for e in range(1, 6)]


def test_long_training_is_thinned_in_the_past_and_exact_in_the_present():
    history, epoch = None, 1
    for chunk in [3, 7, 1, 20, 5, 40, 2, 9] * 5:
        history = extend_history(history, stats(epoch, chunk), limit=16, columns={"step": [0] * chunk})
        epoch += chunk
        rows = len(history["loss"])
        assert rows <= 16
        assert all(len(column) == rows for column in history.values())
        assert history["epoch"][-1] == epoch - 1  # the latest epoch is always there, numbered truly
    epochs = history["epoch"]
    assert epochs[0] == 1  # the first epoch survives every thinning
    assert epochs == sorted(set(epochs))
    assert epochs[-8:] == list(range(epoch - 8, epoch))  # the recent half at full detail
    assert history["loss"] == [1 / e for e in epochs]  # every kept row is that epoch's own figures
    assert history["test_loss"] == [2 / e for e in epochs]


def test_a_thinned_history_continues_from_its_last_epoch_not_its_length():
    history = extend_history(None, stats(1, 40), limit=16)
    assert len(history["loss"]) < 40
    assert extend_history(history, stats(41, 1), limit=16)["epoch"][-1] == 41


def test_a_run_without_steps_keeps_the_step_column_in_line():
    history = extend_history(None, stats(1, 2), columns={"step": [10, 20]})
    history = extend_history(history, stats(3, 2))  # nnviz train records no steps
    history = extend_history(history, stats(5, 1), columns={"step": [70]})
    assert history["step"] == [10, 20, None, None, 70]
    history["mine"] = ["kept"]
    assert extend_history(history, stats(6, 1))["mine"] == ["kept"]  # a key of the user's, left alone


def test_a_recorder_holds_about_limit_rows_however_many_epochs_it_is_given():
    """`nnviz train` for a million epochs kept every epoch's stats (64 -> 555 MB); the recorder folds them
    into the bounded history as they come, with the same result as one extend_history at the end."""
    recorder = HistoryRecorder({"loss": [9.0], "epoch": [1]}, limit=16)
    everything = stats(2, 200)
    for s in everything:
        recorder.add(s)
        assert len(recorder._pending) < 16
        assert recorder._history is None or len(recorder._history["loss"]) <= 16
    history = recorder.history
    assert len(history["loss"]) <= 16
    assert history["epoch"][-1] == 201
    assert history["loss"][-1] == everything[-1].loss
    assert history["epoch"] == sorted(history["epoch"])


def test_reading_a_recorder_as_it_goes_gives_what_one_read_at_the_end_gives_below_the_limit():
    """The window reads a run's record after every snapshot: each read folds only the epochs added since."""
    read_as_it_goes, read_once = HistoryRecorder(None, limit=100), HistoryRecorder(None, limit=100)
    for s in stats(1, 90):
        read_as_it_goes.add(s)
        read_once.add(s)
        read_as_it_goes.history["loss"].append("the caller's own list")  # not the recorder's
    assert read_as_it_goes.history == read_once.history == extend_history(None, stats(1, 90), limit=100)
    assert read_as_it_goes._pending == []


def test_a_recorder_read_after_every_epoch_stays_within_its_limit_and_keeps_the_last_epoch():
    recorder = HistoryRecorder(None, limit=16)
    for epoch, s in enumerate(stats(1, 300), start=1):
        recorder.add(s)
        history = recorder.history
        assert len(history["loss"]) <= 16
        assert (history["epoch"][-1], history["loss"][-1]) == (epoch, 1 / epoch)
    assert history["epoch"][0] == 1
    assert history["epoch"][-1] == 300
    assert history["epoch"] == sorted(history["epoch"])
