"""Every change to the document as an undoable command on the session's one undo stack: parameters,
architecture, data (docs/architecture.md, rule 2)."""
