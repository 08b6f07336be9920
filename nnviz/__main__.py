"""`python -m nnviz` runs the same entry point as the `nnviz` command."""

from nnviz.cli import main

raise SystemExit(main())
