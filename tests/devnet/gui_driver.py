"""Drive the main window like a person: clicks on navigation items, table rows, buttons and message boxes, and
typing, through pytest-qt's real input events (no calls into a panel's methods)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QListWidget, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ics_workbench.gui.main_window import MainWindow

WAIT = 60_000


def click(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), f"{widget.objectName() or widget} is not clickable"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    click(qtbot, widget)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def open_panel(qtbot: QtBot, window: MainWindow, title: str) -> QWidget:
    nav: QListWidget = window.navigation
    for row in range(nav.count()):
        item = nav.item(row)
        if item.text() == title:
            nav.scrollToItem(item)
            rect = nav.visualItemRect(item)
            qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            page_key = window.panel_keys[row]
            qtbot.waitUntil(lambda key=page_key: window.stack.currentWidget() is window.page(key), timeout=WAIT)
            return window.stack.currentWidget()
    raise AssertionError(f"no navigation item {title!r}")


def click_list_item(qtbot: QtBot, view: QListWidget, starts_with: str) -> None:
    for row in range(view.count()):
        item = view.item(row)
        if item.text().startswith(starts_with):
            rect = view.visualItemRect(item)
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"no list item starting with {starts_with!r}")


def click_table_row(qtbot: QtBot, view: QAbstractItemView, column: int, text: str) -> None:
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, column)
        if str(index.data()) == text:
            view.scrollTo(index)
            rect = view.visualRect(index)
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert view.currentIndex().row() == row
            return
    raise AssertionError(f"no row with {text!r} in column {column}")


def choose(qtbot: QtBot, combo: QWidget, text: str) -> None:
    """Pick a combo entry as a keyboard user does: open the popup with a click, arrow to the entry, Enter."""
    from PySide6.QtWidgets import QComboBox

    assert isinstance(combo, QComboBox)
    target = next((row for row in range(combo.count()) if combo.itemText(row) == text), None)
    assert target is not None, f"no entry {text!r} in {[combo.itemText(i) for i in range(combo.count())]}"
    click(qtbot, combo)
    popup = combo.view()
    qtbot.waitUntil(lambda: popup.isVisible(), timeout=5_000)
    step = Qt.Key.Key_Down if target > popup.currentIndex().row() else Qt.Key.Key_Up
    for _ in range(abs(target - popup.currentIndex().row())):
        qtbot.keyClick(popup, step)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=5_000)
    assert combo.currentText() == text


def answer_message_box(qtbot: QtBot, button: QMessageBox.StandardButton) -> str:
    """Wait for the open message box and press ``button``; returns the box's text."""
    def box() -> QMessageBox | None:
        widget = QApplication.activeModalWidget()
        return widget if isinstance(widget, QMessageBox) else None

    qtbot.waitUntil(lambda: box() is not None, timeout=WAIT)
    found = box()
    assert found is not None
    text = found.text()
    qtbot.mouseClick(found.button(button), Qt.MouseButton.LeftButton)
    return text


def center(widget: QWidget) -> QPoint:
    return widget.rect().center()


def answer_file_dialog(qtbot: QtBot, path: str) -> list[str]:
    """Arm a helper that types ``path`` into the next file dialog and presses Enter (file dialogs run their own
    event loop, so the helper must be armed before the click that opens one). Returns a list that receives the
    dialog's start directory, so a test can check where it opened."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QFileDialog, QLineEdit

    seen: list[str] = []

    def attempt(tries: int = 0) -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()),
                      None)
        if dialog is None:
            if tries < 200:
                QTimer.singleShot(50, lambda: attempt(tries + 1))
            return
        seen.append(dialog.directory().absolutePath())
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None, "not Qt's own file dialog"
        edit.selectAll()
        qtbot.keyClicks(edit, path)
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(50, attempt)
    return seen
