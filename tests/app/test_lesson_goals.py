"""Goals checked against the Session and the epochs training reported (nnviz.app.lessons.goals)."""

import pytest

from nnviz.app.lessons.goals import TrainingRecord, goal_met
from nnviz.core.training import EpochStats
from nnviz.lessons.format import Condition, Goal


def goal(kind, **args):
    return Goal((Condition(kind, args),), "")


def epoch(n, loss=1.0, test_loss=None, accuracy=None, test_accuracy=None):
    return EpochStats(n, n, loss, accuracy, test_loss, test_accuracy, 0.0, 0.0)


def test_epochs_count_from_the_step_and_a_restarted_trainer_counts_afresh(session):
    record = TrainingRecord()
    record.add([epoch(n) for n in range(1, 31)])
    record.step_start = record.epoch  # the step is entered after 30 epochs
    record.add([epoch(n) for n in range(31, 60)])
    assert not goal_met(goal("epochs_at_least", epochs_at_least=30), session, record)
    record.add([epoch(60)])
    assert goal_met(goal("epochs_at_least", epochs_at_least=30), session, record)
    record.add([epoch(1), epoch(2)])  # a new split reloaded the trainer: its count starts again
    assert (record.epoch, record.step_start) == (2, 0)
    assert not goal_met(goal("epochs_at_least", epochs_at_least=30), session, record)


@pytest.mark.parametrize(("reached_at", "met"), [(80, True), (81, False)])
def test_a_loss_within_epochs_must_be_reached_in_time(session, reached_at, met):
    record = TrainingRecord()
    record.add([epoch(n, loss=0.05 if n >= reached_at else 0.5) for n in range(1, 120)])
    assert goal_met(goal("loss", loss=0.1, on="training", within_epochs=80), session, record) is met
    assert goal_met(goal("loss", loss=0.1, on="training"), session, record)  # without a limit: the latest


def test_test_metrics_are_not_met_without_a_test_set(session):
    record = TrainingRecord()
    record.add([epoch(1, loss=0.0, accuracy=1.0)])
    assert goal_met(goal("accuracy", accuracy=0.9, on="training"), session, record)
    assert not goal_met(goal("accuracy", accuracy=0.9), session, record)  # "test" by default
    assert not goal_met(goal("loss", loss=0.1), session, record)


def test_parameters_outputs_and_shape_of_the_classic_network(session):
    record = TrainingRecord()
    assert goal_met(goal("weight", weight=[2, 1, 2], min=0.44, max=0.46), session, record)  # w6 = 0.45
    assert not goal_met(goal("weight", weight=[2, 1, 2], max=0.4), session, record)
    assert goal_met(goal("bias", bias=[1, 2], min=0.35), session, record)
    assert goal_met(goal("output", output=1, min=0.75, max=0.76), session, record)  # 0.75136507
    assert goal_met(goal("hidden_neurons_at_most", hidden_neurons_at_most=2), session, record)
    assert not goal_met(goal("hidden_neurons_at_most", hidden_neurons_at_most=1), session, record)
    assert goal_met(goal("activation", activation="logistic", layer=1), session, record)
    assert not goal_met(
        goal("activation", activation={"name": "sigmoid", "slope": 2}, layer=1), session, record
    )


def test_a_goal_on_something_the_network_no_longer_has_is_not_met(session):
    assert not goal_met(goal("weight", weight=[2, 3, 1], min=0), session, TrainingRecord())


def test_stepped_to_follows_the_step_through(session):
    record = TrainingRecord()
    assert not goal_met(goal("stepped_to", stepped_to=[1, 2]), session, record)
    session.step_neuron()
    assert not goal_met(goal("stepped_to", stepped_to=[1, 2]), session, record)
    session.step_neuron()
    assert goal_met(goal("stepped_to", stepped_to=[1, 2]), session, record)
