"""RowTableModel, the text filter proxy and TableView: model contract, filtering, sorting, copying."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ics_workbench.gui.models import ColumnSpec, RowTableModel, TextFilterProxyModel
from ics_workbench.gui.models.row_table import natural_key
from ics_workbench.gui.widgets.table_view import TableView


@dataclass(frozen=True)
class Val:
    moniker: str
    power: int
    share: Decimal | None


COLUMNS = (
    ColumnSpec("Moniker", lambda v: v.moniker, tooltip=lambda v: f"tip {v.moniker}"),
    ColumnSpec("Power", lambda v: v.power),
    ColumnSpec("Share", lambda v: v.share, formatter=lambda s: "" if s is None else f"{s:.1%}"),
)
ROWS = [
    Val("validator-10", 900, Decimal("0.45")),
    Val("validator-2", 1_000, Decimal("0.5")),
    Val("Alpha", 80, None),
    Val("beta", 20, Decimal("0.01")),
]


def texts(view: TableView, column: int) -> list[str]:
    return [view.proxy.index(r, column).data() for r in range(view.proxy.rowCount())]


def test_row_table_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = RowTableModel(COLUMNS, ROWS)
    qtmodeltester.check(model, force_py=True)
    model.set_rows(ROWS[:2])  # the tester stays connected and checks the reset
    model.set_rows([])
    qtmodeltester.check(model, force_py=True)


def test_filter_proxy_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = RowTableModel(COLUMNS, ROWS)
    proxy = TextFilterProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    proxy.sort(1)
    proxy.set_filter_text("val")
    assert proxy.rowCount() == 2
    model.set_rows(ROWS[1:])
    proxy.set_filter_text("")
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy, force_py=True)


def test_model_roles() -> None:
    model = RowTableModel(COLUMNS, ROWS)
    index = model.index(1, 1)
    assert index.data() == "1,000"
    assert index.data(Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignLeft)
    assert model.index(2, 0).data(Qt.ItemDataRole.ToolTipRole) == "tip Alpha"
    assert model.index(2, 2).data() == ""
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Share"


def test_natural_sort_key_orders_numbers_text_and_empties() -> None:
    values = ["validator-10", None, 3, "validator-2", "Alpha", 1.5, ""]
    assert sorted(values, key=natural_key) == [1.5, 3, "Alpha", "validator-2", "validator-10", None, ""]


def test_filter_matches_every_word_in_any_column_case_insensitively(qtbot: QtBot) -> None:
    view = TableView(RowTableModel(COLUMNS, ROWS))
    qtbot.addWidget(view)
    view.set_filter_text("VALIDATOR")
    assert sorted(texts(view, 0)) == ["validator-10", "validator-2"]
    view.set_filter_text("validator 1,000")  # words may hit different columns
    assert texts(view, 0) == ["validator-2"]
    view.set_filter_text("45.0%")
    assert texts(view, 0) == ["validator-10"]
    assert view.count_label.text() == "1 of 4 rows"
    view.set_filter_text("")
    assert view.proxy.rowCount() == 4 and view.count_label.text() == "4 rows"


def test_sorting_is_numeric_and_natural(qtbot: QtBot) -> None:
    view = TableView(RowTableModel(COLUMNS, ROWS))
    qtbot.addWidget(view)
    view.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert texts(view, 1) == ["20", "80", "900", "1,000"]  # not the string order "1,000" < "20"
    view.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert texts(view, 0) == ["Alpha", "beta", "validator-2", "validator-10"]
    view.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert texts(view, 0) == ["validator-2", "validator-10", "beta", "Alpha"]  # empty cells last both ways
    view.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert texts(view, 0) == ["beta", "validator-10", "validator-2", "Alpha"]


def test_copy_cell_and_row_put_the_shown_text_on_the_clipboard(qtbot: QtBot) -> None:
    view = TableView(RowTableModel(COLUMNS, ROWS))
    qtbot.addWidget(view)
    view.show()
    view.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    view.view.setCurrentIndex(view.proxy.index(0, 1))
    view.view.setFocus()
    qtbot.keyClick(view.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "1,000"
    assert view.copy_rows() == "validator-2\t1,000\t50.0%"
    assert QGuiApplication.clipboard().text() == "validator-2\t1,000\t50.0%"
    selection = view.view.selectionModel()
    selection.select(view.proxy.index(1, 0), selection.SelectionFlag.Select)
    assert view.copy_selection() == "1,000\nvalidator-10"
