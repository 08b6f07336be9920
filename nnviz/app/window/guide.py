"""Help beyond About: the user guide, readable offline, and the keyboard-shortcut sheet.

The guide is docs/user-guide.md; the package ships a copy (resources/guide/, tested to be the same text) so
an installed nnviz has it without a network or a source checkout. Its screenshots stay in the docs: a
picture the package does not have is replaced by its caption.
"""

from __future__ import annotations

import re
from importlib.resources import files

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]+)\)")


def user_guide_markdown() -> str:
    """The packaged user guide, its pictures replaced by their captions."""
    text = (files("nnviz.resources") / "guide" / "user-guide.md").read_text(encoding="utf-8")
    return IMAGE.sub(lambda m: f"*(picture: {m.group(1)})*", text)


class TextDialog(QDialog):
    """A non-modal reading window: it stays open beside the main window while the reader tries things."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 560)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setAccessibleName(title)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


def user_guide_dialog(parent: QWidget | None = None) -> TextDialog:
    dialog = TextDialog("nnviz user guide", parent)
    dialog.text.setMarkdown(user_guide_markdown())
    return dialog


def shortcuts_dialog(html: str, parent: QWidget | None = None) -> TextDialog:
    dialog = TextDialog("Keyboard shortcuts", parent)
    dialog.text.setHtml(html)
    return dialog
