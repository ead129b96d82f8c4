"""A horizontal stacked bar chart painted with QPainter (QtCharts is not in PySide6-Essentials).

One bar per row (e.g. one per consumer chain), each made of coloured segments (e.g. validators), drawn on a
common scale with optional marker lines (1/3, 2/3) and a painted legend, so an export of the widget carries
its own key. Hovering a segment shows its tooltip.

Built for 50 bars of 500 segments with as few calls into Qt as possible: the bars are composed as raw pixel rows
(one scanline per bar, repeated) and drawn as one image, and the whole chart is rendered into a cached image
(in device pixels, so it is sharp on HiDPI screens) only when the data, the size or the screen's pixel ratio
changes; a paint is one ``drawImage``. Besides speed this matters because PySide6 6.12 on Python 3.11 drops a
reference to ``None`` on every call of a Qt method that returns nothing (see the report), so thousands of such calls per
paint would eventually abort the process.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QImage,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ics_workbench.gui.untrusted import plain_tooltip

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
        self._cache: QImage | None = None
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
        self._cache = None
        self.updateGeometry()
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    # --- geometry ------------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
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

    def _plot(self, width: int | None = None) -> QRect:
        left = self._label_width()
        right = (self.width() if width is None else width) - self._annotation_width()
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
                QToolTip.showText(event.globalPos(), plain_tooltip(text), self)  # monikers: never HTML
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # --- painting ------------------------------------------------------------------------------------------

    def image(self, width: int | None = None) -> QImage:
        """The whole chart at its full height (for PNG export, whatever part a scroll area shows)."""
        return self._render(QSize(width or max(self.width(), self.sizeHint().width()), self.sizeHint().height()))

    def paintEvent(self, _event: QPaintEvent) -> None:
        ratio = self.devicePixelRatioF()
        cache = self._cache
        if cache is None or cache.devicePixelRatio() != ratio or cache.deviceIndependentSize().toSize() != self.size():
            cache = self._cache = self._render(self.size(), ratio)
        painter = QPainter(self)
        painter.drawImage(0, 0, cache)
        painter.end()

    def _render(self, size: QSize, ratio: float = 1.0) -> QImage:
        """The chart at ``size`` (logical pixels) drawn at ``ratio`` device pixels per logical pixel: on a HiDPI
        screen the cached image holds every device pixel, so text and bar edges stay sharp instead of scaled up."""
        image = QImage(round(size.width() * ratio), round(size.height() * ratio), QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(ratio)
        image.fill(self.palette().base().color())
        painter = QPainter(image)
        painter.setFont(self.font())
        try:
            if not self.bars:
                painter.setPen(self.palette().placeholderText().color())
                painter.drawText(QRect(0, 0, size.width(), size.height()), Qt.AlignmentFlag.AlignCenter,
                                 self.empty_text)
                return image
            plot = self._plot(size.width())
            self._paint_legend(painter)
            self._paint_axis(painter, plot)
            painter.drawImage(plot.left(), plot.top(), self._bars_image(plot, ratio))
            self._paint_texts(painter, plot, size.width())
            self._paint_markers(painter, plot)
        finally:
            painter.end()
        return image

    def _bars_image(self, plot: QRect, ratio: float = 1.0) -> QImage:
        """All bars as device pixels: each bar is one scanline of colour runs repeated for the bar's height; the
        gaps between bars are transparent so the axis lines show through."""
        width = round(plot.width() * ratio)
        row_height, bar_height = round(ROW_HEIGHT * ratio), round(BAR_HEIGHT * ratio)
        clear = bytes(4 * width)
        gap = (row_height - bar_height) // 2
        rows: list[bytes] = []
        for bar in self.bars:
            line = self._scanline(bar, width, ratio)
            rows.append(clear * gap + line * bar_height + clear * (row_height - bar_height - gap))
        data = b"".join(rows)
        image = QImage(data, width, len(self.bars) * row_height, 4 * width, QImage.Format.Format_ARGB32)
        image = image.copy()  # detach from ``data``, which Python frees
        image.setDevicePixelRatio(ratio)
        return image

    def _scanline(self, bar: Bar, width: int, ratio: float = 1.0) -> bytes:
        parts: list[bytes] = []
        done = 0  # pixels written
        running = 0.0
        for segment in bar.segments:
            start = running
            running += segment.value
            end = round(width * min(max(running / self.maximum, 0.0), 1.0))
            if end <= done:
                continue  # thinner than what is left of a pixel: its neighbours share the pixel
            wide = width * segment.value / self.maximum >= MIN_SPLIT * ratio and start < self.maximum
            pixels = end - done
            colour = _pixel(segment.color)
            parts.append(colour * (pixels - 1) + (EDGE if wide else colour))
            done = end
        parts.append(TRACK * (width - done))
        return b"".join(parts)

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

    def _paint_texts(self, painter: QPainter, plot: QRect, width: int) -> None:
        metrics = QFontMetrics(self.font())
        painter.setPen(self.palette().text().color())
        room = self._annotation_width()
        for row, bar in enumerate(self.bars):
            top = plot.top() + row * ROW_HEIGHT
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, plot.left() - 10)
            painter.drawText(QRect(4, top, plot.left() - 8, ROW_HEIGHT),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label)
            if bar.annotation:
                text = metrics.elidedText(bar.annotation, Qt.TextElideMode.ElideRight, room - 10)
                painter.drawText(QRect(plot.right() + 8, top, min(room - 8, width - plot.right() - 8), ROW_HEIGHT),
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


def _pixel(color: str) -> bytes:
    """``#rrggbb`` as one opaque ARGB32 pixel: a 32-bit 0xAARRGGBB in the machine's byte order."""
    value = QColor(color)
    return (0xFF000000 | value.red() << 16 | value.green() << 8 | value.blue()).to_bytes(4, sys.byteorder)


TRACK = _pixel("#f2f2f2")
EDGE = _pixel("#ffffff")
