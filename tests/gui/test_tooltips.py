"""Every control a user can act on says what it does: each visible button with text, in every panel and every
tab of it, has a tooltip, and each action with text (menus, table context menus) has one of its own rather than
Qt's default, which repeats the action's text."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QApplication, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from ics_workbench.gui.context import AppContext
from ics_workbench.gui.main_window import MainWindow
from ics_workbench.gui.panels import PANELS


def _bare(text: str) -> str:
    return text.replace("&", "").replace("…", "").replace("...", "").strip()


def _visible_buttons(root: QWidget, seen: dict[int, str], where: str) -> None:
    for button in root.findChildren(QAbstractButton):
        if button.isVisible() and _bare(button.text()) and not button.toolTip().strip():
            seen.setdefault(id(button), f"{where}: button '{_bare(button.text())}'")


def _walk(root: QWidget, seen: dict[int, str], panel: str, where: str, visited: set[tuple[int, int]]) -> None:
    """Collect from what is shown now, then from each page of every visible tab widget (nested ones too)."""
    _visible_buttons(root, seen, f"{panel}{where}")
    for tabs in root.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        current = tabs.currentIndex()
        for index in range(tabs.count()):
            if (id(tabs), index) in visited:
                continue
            visited.add((id(tabs), index))
            tabs.setCurrentIndex(index)
            QApplication.processEvents()
            _walk(root, seen, panel, f" / {_bare(tabs.tabText(index))}", visited)
        tabs.setCurrentIndex(current)


def test_every_visible_button_and_action_has_a_tooltip(qtbot: QtBot, context: AppContext) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    missing: dict[int, str] = {}
    for spec in PANELS:
        page = window.show_panel(spec.key)
        QApplication.processEvents()
        _walk(page, missing, spec.title, "", set())
    _visible_buttons(window, missing, "window")
    for action in window.findChildren(QAction):
        text = _bare(action.text())
        if text and not action.isSeparator() and action.menu() is None and _bare(action.toolTip()) == text:
            missing.setdefault(id(action), f"action '{text}'")
    assert not missing, "no tooltip:\n" + "\n".join(sorted(set(missing.values())))
