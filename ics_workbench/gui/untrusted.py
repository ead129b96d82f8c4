"""Qt side of the one rendering rule for untrusted text (``ics_workbench.untrusted_text``).

Why: QLabel and QMessageBox guess "rich text" whenever a string looks like HTML, so a validator moniker, a
node's ``raw_log`` or a signing file's ``chain_id`` could render links, images or hide text. Widgets that show
text from a file, QR code or chain use these helpers: the text is escaped by the core rule and the widget is
forced to ``Qt.PlainText``.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from ics_workbench.untrusted_text import visible, visible_block

__all__ = ["plain_label", "plain_message", "plain_tooltip", "set_plain_text", "visible", "visible_block"]


def set_plain_text(label: QLabel, text: Any, *, multiline: bool = True) -> None:
    """Show ``text`` in ``label`` as escaped plain text (never HTML)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(visible_block(text, indent="") if multiline else visible(text))


def plain_label(text: Any = "", parent: QWidget | None = None, *, multiline: bool = True) -> QLabel:
    """A QLabel fixed to plain text, showing ``text`` escaped."""
    label = QLabel(parent)
    set_plain_text(label, text, multiline=multiline)
    return label


def plain_message(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: Any,
                  buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
                  default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
                  ) -> QMessageBox.StandardButton:
    """A modal message box whose (untrusted) text is plain and escaped; returns the button pressed."""
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(visible_block(text, indent=""))
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return QMessageBox.StandardButton(box.exec())


def plain_tooltip(text: Any) -> str:
    """A tooltip showing untrusted ``text`` literally. Qt has no plain-text switch for tooltips (it guesses rich
    text), so the text is escaped by the core rule, then HTML-escaped inside an explicit rich-text wrapper."""
    if not text:
        return ""
    shown = visible_block(text, indent="")
    if "<" not in shown:
        return shown  # without a tag Qt shows it as plain text anyway
    return "<p style='white-space:pre-wrap'>" + html.escape(shown) + "</p>"
