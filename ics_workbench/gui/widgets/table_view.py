"""The table every panel uses: a filter box, a sortable view over a RowTableModel, copy cell / copy row.

Copying gives what the user sees (formatted display text), tab-separated per row, so a pasted selection
lands in a spreadsheet as columns.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.gui.models.filter_proxy import TextFilterProxyModel
from ics_workbench.gui.models.row_table import RowTableModel

RESIZE_SAMPLE_ROWS = 60
CELL_PADDING = 18  # pixels around a cell's text (margins, focus frame)


class TableView(QWidget):
    sig_copied = Signal(str)  # the text put on the clipboard

    def __init__(
        self,
        model: RowTableModel,
        *,
        filter_placeholder: str = "Filter…",
        empty_text: str = "Nothing to show.",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = TextFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self._empty_text = empty_text

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(filter_placeholder)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter)
        self.count_label = QLabel()
        self.count_label.setEnabled(False)

        self._build_view()
        self._add_copy_actions()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

        model.modelReset.connect(self._after_reset)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self._update_count()

    def _build_view(self) -> None:
        """The table: sortable (source order until a header click), sampled column sizing, a context menu."""
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the source order until a header click
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # addresses keep both ends readable
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        # Sizing columns from every row of a 500-row table blocks the GUI thread for a second; the widest of a
        # sample of rows is as good a fit (the max_width cap elides the rare longer value anyway).
        header.setResizeContentsPrecision(RESIZE_SAMPLE_ROWS)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

    def _add_copy_actions(self) -> None:
        """Copy cell (Ctrl+C) and Copy row (Ctrl+Shift+C), on the view and in its context menu."""
        self.copy_cell_action = QAction("Copy cell", self)
        self.copy_cell_action.setToolTip("Copy the selected cells as shown, tab-separated (pastes into a spreadsheet)")
        self.copy_cell_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_cell_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_cell_action.triggered.connect(self.copy_selection)
        self.copy_row_action = QAction("Copy row", self)
        self.copy_row_action.setToolTip("Copy every column of the selected rows, tab-separated")
        self.copy_row_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copy_row_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_row_action.triggered.connect(self.copy_rows)
        self.view.addAction(self.copy_cell_action)
        self.view.addAction(self.copy_row_action)

    def set_filter_text(self, text: str) -> None:
        self.filter_edit.setText(text)

    def _on_filter(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_count()

    def _after_reset(self) -> None:
        self.fit_columns()
        self._update_count()

    def fit_columns(self) -> None:
        """Width of each column from its header and the display text of a sample of rows.

        ``resizeColumnsToContents`` asks the delegate for every role of every sampled cell through Python (a
        quarter of a second for the 500 x 50 overlap matrix, on the GUI thread); measuring the text is enough.
        """
        header = self.view.horizontalHeader()
        cells = self.view.fontMetrics()
        titles = header.fontMetrics()
        rows = min(self.model.rowCount(), RESIZE_SAMPLE_ROWS)
        padding = CELL_PADDING
        for column, spec in enumerate(self.model.columns):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = titles.horizontalAdvance(title) + 24  # room for the sort arrow
            for row in range(rows):
                text = self.model.data(self.model.index(row, column))
                if text:
                    width = max(width, cells.horizontalAdvance(str(text)) + padding)
            if spec.max_width is not None:
                width = min(width, spec.max_width)
            header.resizeSection(column, width)

    def _update_count(self, *_: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if total == 0:
            self.count_label.setText(self._empty_text)
        elif shown == total:
            self.count_label.setText(f"{total:,} rows")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} rows")

    def _cell_text(self, index: QModelIndex) -> str:
        value = index.data(Qt.ItemDataRole.DisplayRole)
        return "" if value is None else str(value)

    def copy_selection(self) -> str:
        """Selected cells (or the current cell): tab between columns, newline between rows."""
        indexes = self.view.selectionModel().selectedIndexes() or [self.view.currentIndex()]
        indexes = sorted((i for i in indexes if i.isValid()), key=lambda i: (i.row(), i.column()))
        lines: dict[int, list[str]] = {}
        for index in indexes:
            lines.setdefault(index.row(), []).append(self._cell_text(index))
        return self._put_on_clipboard("\n".join("\t".join(cells) for cells in lines.values()))

    def copy_rows(self) -> str:
        """Whole rows touched by the selection (or the current row), every column."""
        indexes = self.view.selectionModel().selectedIndexes() or [self.view.currentIndex()]
        rows = sorted({i.row() for i in indexes if i.isValid()})
        columns = range(self.proxy.columnCount())
        text = "\n".join("\t".join(self._cell_text(self.proxy.index(r, c)) for c in columns) for r in rows)
        return self._put_on_clipboard(text)

    def _put_on_clipboard(self, text: str) -> str:
        if text:
            QGuiApplication.clipboard().setText(text)
            self.sig_copied.emit(text)
        return text

    def _context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.copy_cell_action)
        menu.addAction(self.copy_row_action)
        menu.exec(self.view.viewport().mapToGlobal(position))
