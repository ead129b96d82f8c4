"""A compact painted grid of recent blocks per validator: one cell per height, red = missed, so a validator
sees at a glance *when* it was down (a table of heights would hide the pattern)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

SIGNED = QColor("#2e9d5b")
MISSED = QColor("#d63b2f")
CELL = 7
GAP = 1
MIN_CELL = 3
"""Narrowest column (2 px cell + 1 px gap): below it a long range scrolls sideways instead of shrinking or
being clipped — 1,000 blocks need about 3,200 px."""
ROW_HEIGHT = 14
LABEL_WIDTH = 170
TOP = 18


@dataclass(frozen=True)
class GridRow:
    label: str
    flags: tuple[bool, ...]
    """signed (True) or missed (False) per height, oldest first"""


class MissedBlocksGrid(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heights: tuple[int, ...] = ()
        self.rows: tuple[GridRow, ...] = ()
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_data(self, heights: Sequence[int], rows: Sequence[GridRow]) -> None:
        self.heights, self.rows = tuple(heights), tuple(rows)
        self.setMinimumWidth(self.minimumSizeHint().width())
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(LABEL_WIDTH + len(self.heights) * (CELL + GAP) + 60, TOP + max(1, len(self.rows)) * ROW_HEIGHT + 4)

    def minimumSizeHint(self) -> QSize:
        """Wide enough for every height at :data:`MIN_CELL`: inside a scroll area, a long range scrolls."""
        return QSize(LABEL_WIDTH + max(100, len(self.heights) * MIN_CELL + 60), self.sizeHint().height())

    def _cell_width(self) -> float:
        if not self.heights:
            return CELL + GAP
        room = max(1, self.width() - LABEL_WIDTH - 60)
        return max(float(MIN_CELL), min(float(CELL + GAP), room / len(self.heights)))

    def painted_right(self) -> int:
        """x just past the last cell and its "n missed" note: never beyond the widget's width."""
        return int(LABEL_WIDTH + self._cell_width() * len(self.heights)) + 60

    def cell_at(self, x: int, y: int) -> tuple[int, int] | None:
        """(row, height index) under a point, for the tooltip."""
        if x < LABEL_WIDTH or y < TOP or not self.heights:
            return None
        column = int((x - LABEL_WIDTH) / self._cell_width())
        row = (y - TOP) // ROW_HEIGHT
        if 0 <= row < len(self.rows) and 0 <= column < len(self.heights):
            return row, column
        return None

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.setPen(palette.color(palette.ColorRole.WindowText))
        metrics = QFontMetrics(self.font())
        if not self.heights:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             "No recent blocks loaded (connect the chain's RPC and load).")
            return
        width = self._cell_width()
        cell = max(1, int(width) - (GAP if width > 3 else 0))
        painter.drawText(LABEL_WIDTH, 12, f"height {self.heights[0]}")
        last = f"{self.heights[-1]}"
        painter.drawText(int(LABEL_WIDTH + width * len(self.heights)) - metrics.horizontalAdvance(last), 12, last)
        for r, row in enumerate(self.rows):
            y = TOP + r * ROW_HEIGHT
            label = metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, LABEL_WIDTH - 8)
            painter.setPen(palette.color(palette.ColorRole.WindowText))
            painter.drawText(QRect(0, y, LABEL_WIDTH - 6, ROW_HEIGHT), Qt.AlignmentFlag.AlignVCenter, label)
            for c, ok in enumerate(row.flags):
                painter.fillRect(int(LABEL_WIDTH + c * width), y + 2, cell, ROW_HEIGHT - 4, SIGNED if ok else MISSED)
            missed = sum(not ok for ok in row.flags)
            painter.drawText(int(LABEL_WIDTH + width * len(self.heights)) + 6, y + ROW_HEIGHT - 3,
                             f"{missed} missed" if missed else "")
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        hit = self.cell_at(point.x(), point.y())
        if hit is None:
            QToolTip.hideText()
            return
        row, column = hit
        state = "signed" if self.rows[row].flags[column] else "MISSED"
        QToolTip.showText(event.globalPosition().toPoint(),
                          f"{self.rows[row].label}: height {self.heights[column]} {state}", self)
