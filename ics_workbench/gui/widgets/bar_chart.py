"""A horizontal stacked bar chart painted with QPainter (QtCharts is not in PySide6-Essentials).

One bar per row (e.g. one per consumer chain), each made of coloured segments (e.g. validators), drawn on a
common scale with optional marker lines (1/3, 2/3) and a painted legend, so an export of the widget carries
its own key. Hovering a segment shows its tooltip. Built for 50 bars of 500 segments: runs of thin segments of
one colour are painted as one rectangle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QImage, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

ROW_HEIGHT = 20
BAR_HEIGHT = 14
LEGEND_HEIGHT = 22
AXIS_HEIGHT = 18
LABEL_MAX = 190
ANNOTATION_MAX = 260
MIN_SPLIT = 4.0
"""segments at least this many pixels wide get a visible edge; thinner ones merge with their neighbours"""


@dataclass(frozen=True)
class Segment:
    value: float
    color: str  # "#rrggbb"
    tooltip: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[Segment, ...]
    annotation: str = ""  # drawn right of the bar
    tooltip: str = ""  # over the label and the annotation


@dataclass(frozen=True)
class LegendItem:
    label: str
    color: str


@dataclass(frozen=True)
class Marker:
    value: float
    label: str


class BarChart(QWidget):
    """``set_data`` replaces what is shown; ``maximum`` is the value at the right end of the scale."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: tuple[Bar, ...] = ()
        self.legend: tuple[LegendItem, ...] = ()
        self.markers: tuple[Marker, ...] = ()
        self.maximum = 1.0
        self.scale_format = "{:.0%}"
        self.empty_text = "Nothing to chart yet."
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)

    def set_data(
        self,
        bars: Sequence[Bar],
        *,
        legend: Sequence[LegendItem] = (),
        markers: Sequence[Marker] = (),
        maximum: float = 1.0,
        scale_format: str = "{:.0%}",
    ) -> None:
        self.bars, self.legend, self.markers = tuple(bars), tuple(legend), tuple(markers)
        self.maximum = maximum if maximum > 0 else 1.0
        self.scale_format = scale_format
        self.updateGeometry()
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    # --- geometry ------------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        rows = max(len(self.bars), 1)
        return QSize(640, LEGEND_HEIGHT + AXIS_HEIGHT + rows * ROW_HEIGHT + 8)

    def _label_width(self) -> int:
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(b.label) for b in self.bars), default=0)
        return min(widest + 12, LABEL_MAX)

    def _annotation_width(self) -> int:
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(b.annotation) for b in self.bars), default=0)
        return min(widest + 12, ANNOTATION_MAX) if widest else 8

    def _plot(self) -> QRect:
        left = self._label_width()
        right = self.width() - self._annotation_width()
        return QRect(left, LEGEND_HEIGHT + AXIS_HEIGHT, max(right - left, 10), len(self.bars) * ROW_HEIGHT)

    def _x(self, plot: QRect, value: float) -> float:
        return plot.left() + plot.width() * min(max(value / self.maximum, 0.0), 1.0)

    def bar_rect(self, row: int) -> QRect:
        plot = self._plot()
        top = plot.top() + row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        return QRect(plot.left(), top, plot.width(), BAR_HEIGHT)

    def segment_rect(self, row: int, index: int) -> QRectF:
        """Where segment ``index`` of bar ``row`` is painted (tests sample its pixels, tooltips hit-test it)."""
        plot = self._plot()
        start = sum(s.value for s in self.bars[row].segments[:index])
        end = start + self.bars[row].segments[index].value
        bar = self.bar_rect(row)
        return QRectF(self._x(plot, start), bar.top(), self._x(plot, end) - self._x(plot, start), bar.height())

    def tooltip_at(self, point: QPoint) -> str:
        plot = self._plot()
        if not self.bars or point.y() < plot.top() or point.y() >= plot.bottom():
            return ""
        row = (point.y() - plot.top()) // ROW_HEIGHT
        if row >= len(self.bars):
            return ""
        bar = self.bars[row]
        if plot.left() <= point.x() <= plot.right():
            value = (point.x() - plot.left()) / plot.width() * self.maximum
            running = 0.0
            for segment in bar.segments:
                running += segment.value
                if value <= running:
                    return segment.tooltip or bar.tooltip
        return bar.tooltip or bar.label

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # --- painting ------------------------------------------------------------------------------------------

    def image(self, width: int | None = None) -> QImage:
        """The whole chart at its full height (for PNG export, whatever part a scroll area shows)."""
        size = QSize(width or max(self.width(), self.sizeHint().width()), self.sizeHint().height())
        old = self.size()
        self.resize(size)
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(self.palette().base().color())
        self.render(image)
        self.resize(old)
        return image

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), self.palette().base())
            if not self.bars:
                painter.setPen(self.palette().placeholderText().color())
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
                return
            self._paint_legend(painter)
            plot = self._plot()
            self._paint_axis(painter, plot)
            for row, bar in enumerate(self.bars):
                self._paint_bar(painter, plot, row, bar)
            self._paint_markers(painter, plot)
        finally:
            painter.end()

    def _paint_legend(self, painter: QPainter) -> None:
        metrics = QFontMetrics(self.font())
        x = self._label_width()
        text_color = self.palette().text().color()
        for item in self.legend:
            painter.fillRect(QRect(x, 5, 12, 12), QColor(item.color))
            painter.setPen(text_color)
            painter.drawText(x + 16, 4 + metrics.ascent(), item.label)
            x += 16 + metrics.horizontalAdvance(item.label) + 16

    def _paint_axis(self, painter: QPainter, plot: QRect) -> None:
        painter.setPen(self.palette().placeholderText().color())
        metrics = QFontMetrics(self.font())
        marked = [self._x(plot, m.value) for m in self.markers]
        for step in range(5):
            value = self.maximum * step / 4
            x = round(self._x(plot, value))
            if any(abs(x - m) < 40 for m in marked):
                continue  # the marker's own label sits there
            text = self.scale_format.format(value)
            width = metrics.horizontalAdvance(text)
            painter.drawText(min(max(x - width // 2, plot.left()), plot.right() - width), plot.top() - 5, text)
            painter.drawLine(x, plot.top() - 3, x, plot.bottom())

    def _paint_bar(self, painter: QPainter, plot: QRect, row: int, bar: Bar) -> None:
        rect = self.bar_rect(row)
        metrics = QFontMetrics(self.font())
        text_color = self.palette().text().color()
        painter.setPen(text_color)
        label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, plot.left() - 10)
        painter.drawText(QRect(4, rect.top() - 3, plot.left() - 8, rect.height() + 6),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label)
        painter.fillRect(rect, QColor("#f2f2f2"))
        running = 0.0
        run_start: float | None = None
        run_color = ""
        edge = QPen(QColor("#ffffff"))
        for segment in bar.segments:
            x0, x1 = self._x(plot, running), self._x(plot, running + segment.value)
            running += segment.value
            if x1 - x0 >= MIN_SPLIT:
                if run_start is not None:
                    painter.fillRect(QRectF(run_start, rect.top(), x0 - run_start, rect.height()), QColor(run_color))
                    run_start = None
                painter.fillRect(QRectF(x0, rect.top(), x1 - x0, rect.height()), QColor(segment.color))
                painter.setPen(edge)
                painter.drawLine(QPoint(round(x1) - 1, rect.top()), QPoint(round(x1) - 1, rect.bottom()))
                continue
            if run_start is not None and segment.color != run_color:
                painter.fillRect(QRectF(run_start, rect.top(), x0 - run_start, rect.height()), QColor(run_color))
                run_start = None
            if run_start is None:
                run_start, run_color = x0, segment.color
        if run_start is not None:
            painter.fillRect(QRectF(run_start, rect.top(), self._x(plot, running) - run_start, rect.height()),
                             QColor(run_color))
        if bar.annotation:
            painter.setPen(text_color)
            text = metrics.elidedText(bar.annotation, Qt.TextElideMode.ElideRight, self._annotation_width() - 10)
            painter.drawText(QRect(plot.right() + 8, rect.top() - 3, self._annotation_width() - 8, rect.height() + 6),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

    def _paint_markers(self, painter: QPainter, plot: QRect) -> None:
        pen = QPen(QColor("#333333"))
        pen.setStyle(Qt.PenStyle.DashLine)
        metrics = QFontMetrics(self.font())
        for marker in self.markers:
            x = round(self._x(plot, marker.value))
            painter.setPen(pen)
            painter.drawLine(x, plot.top() - 2, x, plot.bottom())
            painter.setPen(QColor("#333333"))
            painter.drawText(x - metrics.horizontalAdvance(marker.label) // 2, plot.top() - 5, marker.label)
