"""Dock panels that observe the Session: inspector, step-through, math, input, output, single neuron."""
