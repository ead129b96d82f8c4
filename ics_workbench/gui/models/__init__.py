"""Qt item models shared by panels: immutable rows in, sortable/filterable/copyable tables out."""

from ics_workbench.gui.models.filter_proxy import TextFilterProxyModel
from ics_workbench.gui.models.row_table import SORT_ROLE, ColumnSpec, RowTableModel

__all__ = ["SORT_ROLE", "ColumnSpec", "RowTableModel", "TextFilterProxyModel"]
