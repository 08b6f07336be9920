"""docs/architecture.md, rule 1: nnviz.core never imports Qt; checked in a fresh interpreter."""

import subprocess
import sys


def test_core_imports_no_qt_or_pyqtgraph():
    code = (
        "import sys, pkgutil, importlib, nnviz.core\n"
        "for m in pkgutil.walk_packages(nnviz.core.__path__, 'nnviz.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
