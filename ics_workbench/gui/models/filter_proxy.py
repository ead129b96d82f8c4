"""Filtering by free text over every column, and sorting by the source model's natural sort keys."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ics_workbench.gui.models.row_table import EMPTY_KEY, SORT_ROLE, natural_key

AnyIndex = QModelIndex | QPersistentModelIndex


class TextFilterProxyModel(QSortFilterProxyModel):
    """Keeps rows where every whitespace-separated word of the filter appears in some column (any case)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self.setSortRole(SORT_ROLE)

    def set_filter_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        cells = []
        for column in range(model.columnCount(source_parent)):
            value = model.data(model.index(source_row, column, source_parent), Qt.ItemDataRole.DisplayRole)
            if value is not None:
                cells.append(str(value).casefold())
        text = "\t".join(cells)
        return all(word in text for word in self._words)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        model = self.sourceModel()
        left_key = model.data(left, SORT_ROLE)
        right_key = model.data(right, SORT_ROLE)
        if left_key is None or right_key is None:  # a source model without SORT_ROLE: sort its display text
            left_key = natural_key(model.data(left, Qt.ItemDataRole.DisplayRole))
            right_key = natural_key(model.data(right, Qt.ItemDataRole.DisplayRole))
        left_empty, right_empty = left_key == EMPTY_KEY, right_key == EMPTY_KEY
        if left_empty or right_empty:  # empty cells sink to the bottom whichever way the column is sorted
            descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
            return (left_empty and not right_empty) if descending else (right_empty and not left_empty)
        try:
            return bool(left_key < right_key)
        except TypeError:
            return str(left_key) < str(right_key)
