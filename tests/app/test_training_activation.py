"""An activation chosen in the window keeps the network's shape, yet the trainer must compute with it: the
one the window shows is the one trained (a step layer, which gradients cannot train, is refused)."""


def test_a_step_chosen_in_the_window_is_refused_by_training_and_undo_trains_again(qtbot, xor_window):
    training, session = xor_window.training, xor_window.session
    refused = []
    training.controller.failed.connect(refused.append)
    session.edit_activation(0, "step")
    training.controller.start()
    qtbot.waitUntil(lambda: bool(refused), timeout=60_000)
    assert "layer 1 uses the step activation" in refused[0]
    assert not training.controller.running
    training.message_box.close()

    session.undo_stack.undo()  # tanh again
    training.controller.start()
    qtbot.waitUntil(lambda: training.controller.running, timeout=60_000)
    training.controller.pause()
    qtbot.waitUntil(lambda: not training.controller.running, timeout=60_000)
    assert len(refused) == 1
