"""`python -m nnviz` runs the same entry point as the `nnviz` command."""

from nnviz.cli import main

# Guarded: importing this module (multiprocessing may, in a child process) must not run the program.
if __name__ == "__main__":
    raise SystemExit(main())
