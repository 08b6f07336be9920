"""Runtime assets (example projects, icons, small bundled data), read with importlib.resources."""
