"""A table model over immutable rows, described by column specs instead of one model class per table.

Rows are any objects (frozen dataclasses from the core, typically); a :class:`ColumnSpec` says how to read a
value from a row, how to show it, how to sort it and how to align it. Replacing the rows resets the model, which
matches how the app works: a refresh loads a whole new snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ics_workbench.gui.untrusted import plain_tooltip
from ics_workbench.untrusted_text import visible

R = TypeVar("R")

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""Role returning a key that orders correctly across numbers, text with numbers in it, and empty cells."""

RAW_ROLE = int(Qt.ItemDataRole.UserRole)
"""Role returning the unformatted value from the column's getter."""

EMPTY_KEY = (2,)
"""Sort key of an empty cell (None or ""); the proxy keeps these last in both sort orders."""

_DIGITS = re.compile(r"(\d+)")

AnyIndex = QModelIndex | QPersistentModelIndex


def natural_key(value: Any) -> tuple[Any, ...]:
    """Order numbers numerically, text "naturally" (``val2`` < ``val10``), empty values last.

    Every key is a tuple whose first element is the kind, so mixed columns never compare ``int`` with ``str``.
    """
    if value is None or value == "":
        return EMPTY_KEY
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float, Decimal)):
        return (0, value)
    text = str(value)
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in _DIGITS.split(text) if p)
    return (1, parts)


def default_format(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@dataclass(frozen=True)
class ColumnSpec(Generic[R]):
    """How one column reads, shows, sorts and aligns a row's value."""

    header: str
    getter: Callable[[R], Any]
    formatter: Callable[[Any], str] = default_format
    sort_key: Callable[[Any], Any] | None = None  # applied to the raw value; default natural_key
    alignment: Qt.AlignmentFlag | None = None  # default: right for numbers, left otherwise
    tooltip: Callable[[R], str] | str | None = None
    header_tooltip: str = ""
    max_width: int | None = 230
    """pixels the view gives the column at most when fitting it to its contents (longer text is elided in the
    middle); None lets it grow to fit"""


class RowTableModel(QAbstractTableModel, Generic[R]):
    def __init__(self, columns: Sequence[ColumnSpec[R]], rows: Sequence[R] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: tuple[R, ...] = tuple(rows)

    @property
    def columns(self) -> tuple[ColumnSpec[R], ...]:
        return self._columns

    @property
    def rows(self) -> tuple[R, ...]:
        return self._rows

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        """One Python call per cell a view or proxy looks up: Qt's own ``index`` asks ``rowCount`` and
        ``columnCount`` (two calls into Python, each taking the GIL) for every cell it paints."""
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < len(self._columns)):
            return QModelIndex()
        return self.createIndex(row, column)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._columns):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        role = int(role)
        if role == Qt.ItemDataRole.DisplayRole:
            shown = column.formatter(column.getter(row))
            return visible(shown) if isinstance(shown, str) else shown  # cells hold chain/file text
        if role == RAW_ROLE:
            return column.getter(row)
        if role == SORT_ROLE:
            value = column.getter(row)
            return (column.sort_key or natural_key)(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.alignment is not None:
                return int(column.alignment | Qt.AlignmentFlag.AlignVCenter)
            value = column.getter(row)
            numeric = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
            horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is None:
                return None
            return column.tooltip if isinstance(column.tooltip, str) else plain_tooltip(column.tooltip(row))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole and self._columns[section].header_tooltip:
            return self._columns[section].header_tooltip
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
