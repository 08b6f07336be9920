"""The docs say what the code does: counts and keys they quote, and every document the code cites exists."""

import re
from pathlib import Path

import pytest

from nnviz.core.datasets.builtin import BUILTINS

ROOT = Path(__file__).parents[1]
CITED = re.compile(r"\b((?:docs/)?[\w-]+\.md)\b")


def test_the_readme_counts_the_built_in_data_sets():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    counts = re.findall(r"(\d+) built-in data sets", text)
    assert counts
    assert {int(n) for n in counts} == {len(BUILTINS)}


@pytest.mark.parametrize(
    "where", ["nnviz", "tests", "benchmarks", "packaging", "docs", ".ci", "*.md", "*.toml"]
)
def test_every_document_the_project_cites_is_in_it(where):
    """A citation of a design note that is not in the repository sends the reader nowhere."""
    known = {p.name for p in ROOT.glob("*.md")} | {p.name for p in (ROOT / "docs").glob("*.md")}
    missing = set()
    paths = ROOT.glob(where) if "*" in where else (ROOT / where).rglob("*")
    for path in paths:
        if path.suffix in (".py", ".md", ".toml", ".spec", ".sh", "") and path.is_file():
            for name in CITED.findall(path.read_text(encoding="utf-8", errors="replace")):
                if Path(name).name not in known:
                    missing.add(f"{path.relative_to(ROOT)}: {name}")
    assert not missing, sorted(missing)
