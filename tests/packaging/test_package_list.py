"""pyproject.toml lists the packages by hand (resources/ ships as nnviz.resources): a folder missing from the
list would be left out of a wheel and the installers while an editable install still finds it."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_folder_is_listed_and_every_listed_package_exists():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "nnviz").rglob("__init__.py")}
    assert listed - {"nnviz.resources"} == found
