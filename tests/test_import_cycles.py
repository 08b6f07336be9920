"""No two modules of nnviz import each other, not round a loop, not through a deferred or type-only import."""

from tests.import_graph import cycles, import_graph


def test_nnviz_has_no_import_cycle():
    graph = import_graph()
    loops = {
        " <-> ".join(group): {m: sorted(graph[m] & set(group)) for m in group} for group in cycles(graph)
    }
    assert not loops, loops


def test_a_cycle_is_found_however_the_import_is_written(tmp_path):
    """Top-level, deferred into a function, type-only, relative: each one closes a loop the test sees."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from pkg import b\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import C\n"
    )
    (package / "c.py").write_text("import pkg.a\n")
    (package / "d.py").write_text("from pkg.a import f\n")  # imports into the loop, is not part of it
    graph = import_graph(package)
    assert (graph["pkg.a"], graph["pkg.b"], graph["pkg.c"]) == ({"pkg.b"}, {"pkg.c"}, {"pkg.a"})
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    (package / "c.py").write_text("")
    assert cycles(import_graph(package)) == []
