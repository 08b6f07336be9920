"""docs/architecture.md's diagram of the packages draws exactly the imports the code has between them."""

import re
from pathlib import Path

from tests.import_graph import PACKAGE, import_graph, modules

DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
#: the version string, read by the command line and the About box: not drawn
LEFT_OUT = {"nnviz"}
#: every package imports the core, which imports none of them (rule 1): arrows into it are not drawn
CORE = "core"


def read_diagram(text: str) -> tuple[dict[str, list[str]], set[tuple[str, str]]]:
    """({box: the paths under nnviz/ it stands for}, {(box, box it imports)}) of the Mermaid flowchart
    under the "Packages" heading: `box["path, path/"]` names a box, `a --> b & c` draws arrows."""
    section = text.split("\n## Packages\n", 1)[1].split("\n## ", 1)[0]
    chart = section.split("```mermaid\n", 1)[1].split("```", 1)[0]
    named = re.findall(r'(\w+)\["([^"]+)"\]', chart)
    boxes = {name: [p.strip() for p in paths.split(",")] for name, paths in named}
    arrows = {
        (source, target.strip())
        for source, targets in re.findall(r"^\s*(\w+) -->(.+)$", chart, flags=re.M)
        for target in targets.split("&")
    }
    return boxes, arrows


def _holds(path: str, file: str) -> bool:
    return file.startswith(path) if path.endswith("/") else file == path


def _box_of(boxes: dict[str, list[str]]) -> dict[str, str]:
    """Module -> the box its file is in (a path ending in / holds a whole package)."""
    found = {}
    for module, path in modules().items():
        file = path.relative_to(PACKAGE).as_posix()
        owners = [box for box, paths in boxes.items() if any(_holds(p, file) for p in paths)]
        if owners:
            assert len(owners) == 1, f"{file} is drawn in more than one box: {owners}"
            found[module] = owners[0]
    return found


def test_the_package_diagram_draws_every_import_between_packages_and_no_other():
    boxes, drawn = read_diagram(DOC.read_text(encoding="utf-8"))
    box_of = _box_of(boxes)
    graph = import_graph()
    linked = {m for m, deps in graph.items() if deps} | set().union(*graph.values())
    unboxed = sorted(linked - set(box_of) - LEFT_OUT)
    assert not unboxed, f"modules in no box of the diagram (add them to one): {unboxed}"
    actual = {
        (box_of[a], box_of[b])
        for a, deps in graph.items()
        for b in deps
        if a in box_of and b in box_of and box_of[a] != box_of[b] and box_of[b] != CORE
    }
    assert not actual - drawn, f"imports missing from the diagram: {sorted(actual - drawn)}"
    assert not drawn - actual, f"arrows the code does not have: {sorted(drawn - actual)}"


def test_the_reading_of_the_diagram_sees_boxes_and_arrows():
    """The parser the check above relies on, on a diagram made to have each form once."""
    chart = 'flowchart TD\n    a["x.py, y/"]\n    b["z/"]\n    a --> b & c\n'
    text = f"# Doc\n\n## Packages\n```mermaid\n{chart}```\n\n## Next\n"
    assert read_diagram(text) == ({"a": ["x.py", "y/"], "b": ["z/"]}, {("a", "b"), ("a", "c")})
