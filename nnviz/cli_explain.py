"""`nnviz explain`: the whole walk-through of one sample as a handout (plain text, Markdown or HTML), from
the same `walkthrough` model the math panel shows."""

from __future__ import annotations

import argparse
import sys


def explain(args: argparse.Namespace, network_input) -> int:
    """Run the command; `network_input(project, values)` checks and scales a raw `--input`."""
    from nnviz.core.atomic_file import atomic_write_text
    from nnviz.core.document import load_project
    from nnviz.core.explain_render import render
    from nnviz.core.training import TrainingConfig
    from nnviz.core.walkthrough import explain as walk

    project = load_project(args.file)
    net = project.network
    config = project.training or TrainingConfig()
    x = network_input(project, args.input)
    if args.target is not None and len(args.target) != net.sizes[-1]:
        raise ValueError(f"--target has {len(args.target)} values; the network has {net.sizes[-1]} outputs")
    loss = config.loss
    if project.training is None and net.output_activation.name == "softmax":
        loss = "cross_entropy"
    lr = args.learning_rate if args.learning_rate is not None else config.learning_rate
    text = render(
        walk(
            net,
            x,
            args.target,
            loss,
            lr,
            config.update_biases,
            args.digits,
            args.names,
            optimizer=config.optimizer,
        ),
        args.format,
    )
    if args.output:
        atomic_write_text(args.output, text)
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0
