"""Writing a recovery file, and for a large network writing it from a process of its own.

The JSON of 1.86M weights is about 2 s of CPU. On any thread of the window's process it holds the GIL, and
every paint of the window waited for it, call after call: frames of 100-900 ms, once when the document became
modified and again every half minute. A process of its own makes it without the window noticing; it gets
the project pickled (15 MB in about 10 ms). This module imports no Qt: the process loads only it and
nnviz.core.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from nnviz.app.processes import main_module_hidden, process_context
from nnviz.core.atomic_file import WriteError, atomic_write_text
from nnviz.core.document import DocumentError, Project, project_text, project_to_json

PRIVATE_FILE = 0o600  # unsaved work may be anyone's data
NICENESS = 10


def write_document(path: Path, document: dict[str, Any]) -> None:
    """The recovery file, written atomically; a failure (disk full, a number JSON cannot hold, a project too
    large to open again) is dropped: the previous recovery file stays."""
    try:
        atomic_write_text(path, project_text(document), mode=PRIVATE_FILE)
    except (DocumentError, WriteError, OSError):
        return


def write_project(path: Path, project: Project) -> None:
    """`write_document` for the project as JSON: what the writer process runs, at a low priority where
    the platform has one (the window's threads go first on a machine with few cores)."""
    if hasattr(os, "nice"):
        os.nice(NICENESS)
    try:
        document = project_to_json(project)
    except DocumentError:
        return
    write_document(path, document)


def write_in_process(path: Path, project: Project) -> None:
    """Write the recovery file from a process of its own, and wait for it (called on a writer thread)."""
    with main_module_hidden():
        process = process_context().Process(  # type: ignore[attr-defined]  # on every concrete context
            target=write_project, args=(path, project), name="nnviz-recovery", daemon=True
        )
        process.start()
    process.join()
