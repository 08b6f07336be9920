"""The example projects shipped with nnviz (resources/examples/*.nnviz, package data of `nnviz.resources`).

Read with importlib.resources so they work from a source tree, an installed wheel and a frozen app alike.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from nnviz.core.document import DocumentError, Project, parse_project

SUFFIX = ".nnviz"
DEFAULT = "classic"


def _folder() -> Traversable:
    return resources.files("nnviz.resources") / "examples"


def list_examples() -> list[str]:
    """Example names (file names without `.nnviz`), sorted."""
    return sorted(p.name.removesuffix(SUFFIX) for p in _folder().iterdir() if p.name.endswith(SUFFIX))


def example_path(name: str) -> Traversable:
    """The example's file (a pathlib.Path for a normal install; use `read_bytes` to stay general)."""
    if name not in list_examples():
        raise DocumentError(f"no example named {name!r}; examples: {', '.join(list_examples())}")
    return _folder() / f"{name}{SUFFIX}"


def load_example(name: str) -> Project:
    """The example as a fresh Project (a new copy each call: editing it never changes the example)."""
    return parse_project(example_path(name).read_bytes(), f"example {name}")


def example_title(name: str) -> str:
    """The example's `title` (for menus), read without building its network; "" when it has none."""
    import json

    try:
        title = json.loads(example_path(name).read_bytes()).get("title")
    except (ValueError, AttributeError):
        return ""
    return title if isinstance(title, str) else ""
