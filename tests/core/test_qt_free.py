"""docs/architecture.md, rule 1: nnviz.core never imports Qt; checked in a fresh interpreter. Nor does
nnviz.lessons, which `nnviz lessons --check` uses headlessly."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["nnviz.core", "nnviz.lessons"])
def test_imports_no_qt_or_pyqtgraph(package):
    code = (
        f"import sys, pkgutil, importlib, {package}\n"
        f"for m in pkgutil.walk_packages({package}.__path__, '{package}.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
