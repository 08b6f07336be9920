"""Entry script of the frozen nnviz: the same `nnviz` command line as the pip-installed entry point.

`multiprocessing.freeze_support()` must run first: in a frozen program a child process started by
multiprocessing re-executes this binary, and only that call turns it into the child instead of a second app.
NNVIZ_STARTUP_PROBE=1 in the environment makes the app report its first painted window (see
packaging/startup_probe.py); the start-up measurement in docs/packaging.md uses it.
"""

import multiprocessing
import os
import sys


def main() -> int:
    """Run the nnviz command line, optionally with the start-up probe installed."""
    multiprocessing.freeze_support()
    if os.environ.get("NNVIZ_STARTUP_PROBE"):
        from startup_probe import install

        install()
    from nnviz.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
