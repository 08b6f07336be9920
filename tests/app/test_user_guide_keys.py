"""The keys the user guide names are the window's: its step table and every "Action (`Key`)" it writes."""

import re
from pathlib import Path

from PySide6.QtGui import QAction

GUIDE = Path(__file__).parents[2] / "docs" / "user-guide.md"


def _actions(window) -> dict[str, list[str]]:
    """Each action's text, as a menu shows it without its & and …, and its shortcuts."""
    return {
        a.text().replace("&", "").rstrip("…"): [k.toString() for k in a.shortcuts()]
        for a in window.findChildren(QAction)
        if a.text()
    }


def test_every_key_in_the_user_guide_is_the_windows(window):
    actions, text = _actions(window), GUIDE.read_text(encoding="utf-8")
    table = re.findall(r"^\| ([^|]+?) \| `([^`]+)` \|", text, re.MULTILINE)
    assert len(table) >= 6
    for name, key in table:
        assert key in actions[name], (name, key, actions.get(name))
    checked = 0
    for phrase, key in re.findall(r"([A-Za-z][\w /]*?) \(`([^`]+)`\)", text):
        named = [name for name in actions if phrase.endswith(name)]
        if named:
            name = max(named, key=len)
            assert key in actions[name], (name, key, actions[name])
            checked += 1
    assert checked >= 5  # Open, Save, Save As, the user guide, play / pause training at least
