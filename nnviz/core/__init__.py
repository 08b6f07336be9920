"""The pure-NumPy engine: networks, losses, optimizers, training, datasets and the project file. No Qt."""
