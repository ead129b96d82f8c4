"""The QPainter charts: they paint the data they are given (pixels at known bar positions), update on new data,
answer tooltips, and travel with the panel's PNG export."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from ics_workbench.gui.context import AppContext
from ics_workbench.gui.panels.validators import charts
from ics_workbench.gui.panels.validators.panel import ValidatorsPanel
from ics_workbench.gui.widgets.bar_chart import Bar, BarChart, LegendItem, Segment
from ics_workbench.validators.analysis import risk_figures
from ics_workbench.validators.simulate import simulate
from tests.validators.test_panel import _data


def colour_at(image: QImage, point: QPoint) -> str:
    return QColor(image.pixel(point)).name()


@pytest.fixture
def chart(qtbot: QtBot) -> BarChart:
    widget = BarChart()
    qtbot.addWidget(widget)
    widget.resize(700, 200)
    return widget


def test_segments_are_painted_where_and_as_given(chart: BarChart) -> None:
    chart.set_data([
        Bar("one", (Segment(0.25, "#ff0000", "red quarter"), Segment(0.5, "#00ff00", "green half"))),
        Bar("two", (Segment(0.75, "#0000ff", "blue"),), tooltip="the second bar"),
    ], legend=[LegendItem("red", "#ff0000")])
    image = chart.grab().toImage()
    red, green, blue = (chart.segment_rect(0, 0), chart.segment_rect(0, 1), chart.segment_rect(1, 0))
    assert colour_at(image, red.center().toPoint()) == "#ff0000"
    assert colour_at(image, green.center().toPoint()) == "#00ff00"
    assert colour_at(image, blue.center().toPoint()) == "#0000ff"
    assert green.width() == pytest.approx(2 * red.width(), abs=1.0)  # one scale for all segments
    beyond = QPoint(round(green.right()) + 10, round(green.center().y()))
    assert colour_at(image, beyond) == "#f2f2f2"  # the unfilled rest of the track
    assert chart.tooltip_at(green.center().toPoint()) == "green half"
    assert chart.tooltip_at(QPoint(5, round(blue.center().y()))) == "the second bar"


def test_new_data_repaints(chart: BarChart) -> None:
    chart.set_data([Bar("one", (Segment(1.0, "#ff0000"),))])
    spot = chart.segment_rect(0, 0).center().toPoint()
    assert colour_at(chart.grab().toImage(), spot) == "#ff0000"
    chart.set_data([Bar("one", (Segment(1.0, "#123456"),)), Bar("two", (Segment(0.1, "#654321"),))])
    assert colour_at(chart.grab().toImage(), spot) == "#123456"
    assert chart.height() == chart.sizeHint().height()  # grew by a row
    chart.set_data([])
    assert colour_at(chart.grab().toImage(), spot) != "#123456"


def test_thin_segments_of_one_colour_still_fill_the_bar(chart: BarChart) -> None:
    # 500 validators with 0.2% each: far below a pixel apart; runs of one colour are painted together
    chart.set_data([Bar(f"consumer {i}", tuple(Segment(0.002, "#d35400" if j < 250 else "#2e86c1")
                                              for j in range(500))) for i in range(50)])
    image = chart.grab().toImage()
    last = len(chart.bars) - 1
    assert colour_at(image, chart.segment_rect(last, 100).center().toPoint()) == "#d35400"
    assert colour_at(image, chart.segment_rect(last, 400).center().toPoint()) == "#2e86c1"


@pytest.fixture
def panel(qtbot: QtBot, qapp: object) -> Iterator[ValidatorsPanel]:
    context = AppContext()
    widget = ValidatorsPanel(context)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    with qtbot.waitSignal(widget.sig_loaded, timeout=10_000):
        widget.set_data(_data())
    yield widget
    assert context.runtime.shutdown(10_000)


def test_panel_charts_show_risk_and_shared_power(panel: ValidatorsPanel) -> None:
    data = _data()
    results = [simulate(data.snapshot, c) for c in data.consumers]
    labels = [c.label for c in data.consumers]
    assert [b.label for b in panel.risk_chart.bars] == labels
    for bar, result in zip(panel.risk_chart.bars, results, strict=True):
        risk = risk_figures(data.snapshot, result)
        assert bar.segments[0].value == pytest.approx(risk.halt_provider_stake_share)
        assert sum(s.value for s in bar.segments) == pytest.approx(risk.control_provider_stake_share)
        assert f"halt {risk.halt_count} " in bar.annotation and f"control {risk.control_count} " in bar.annotation
    in_sets = [r.member_valcons for r in results]
    panel.tabs.setCurrentWidget(panel.tabs.widget(2))
    image = panel.split_chart.grab().toImage()
    for row, result in enumerate(results):
        members = sorted(result.members, key=lambda m: (-m.consumer_power, m.valcons))
        for index, member in enumerate(members):
            shared = sum(member.valcons in s for s in in_sets) > 1
            expected = (charts.SHARED if shared else charts.EXCLUSIVE)[index % 2]
            assert panel.split_chart.bars[row].segments[index].color == expected
            spot = panel.split_chart.segment_rect(row, index).center().toPoint()
            assert colour_at(image, spot) == expected
            assert member.validator.moniker in panel.split_chart.tooltip_at(spot)


def test_png_export_carries_the_charts(panel: ValidatorsPanel) -> None:
    image = panel.export_image()
    matrix = panel.matrix_table.grab()
    assert (
        image.height() > matrix.height() + panel.risk_chart.sizeHint().height() + panel.split_chart.sizeHint().height()
    )
    x = round(panel.risk_chart.segment_rect(0, 0).left()) + 1  # the halt segment starts at the plot edge at any width
    column = {colour_at(image, QPoint(x, y)) for y in range(matrix.height(), image.height())}
    assert charts.HALT in column


def test_repaints_reuse_the_rendered_chart(chart: BarChart) -> None:
    """500 x 50 is rendered once per data or size change; a repaint is one image copy. This also bounds the
    None references PySide6 6.12 drops on Python 3.11 (one per void Qt call) to about one per repaint."""
    import sys

    chart.set_data([Bar(f"consumer {i}", tuple(Segment(0.002, ("#d35400", "#2e86c1")[j % 2]) for j in range(500)))
                    for i in range(50)])
    first = chart.grab().toImage()
    before = sys.getrefcount(None)
    for _ in range(20):
        again = chart.grab().toImage()
    assert before - sys.getrefcount(None) <= 40
    assert again == first


HIDPI_PROBE = """
import json, sys
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from ics_workbench.gui.widgets.bar_chart import Bar, BarChart, Segment
app = QApplication([])
chart = BarChart()
chart.set_data([Bar("one", (Segment(0.5, "#ff0000"), Segment(0.25, "#0000ff")))])
chart.resize(600, chart.sizeHint().height())
chart.show()
app.processEvents()
image = chart.grab().toImage()  # a paint: fills the cache
cache = chart._cache
spot = chart.segment_rect(0, 1)
json.dump({"widget": [chart.width(), chart.height()], "ratio": chart.devicePixelRatioF(),
           "cache": [cache.width(), cache.height()], "cache_ratio": cache.devicePixelRatio(),
           "edge": [QColor.name(image.pixelColor(round((spot.left() - 1) * 2), round(spot.center().y() * 2))),
                    QColor.name(image.pixelColor(round((spot.left() + 1) * 2), round(spot.center().y() * 2)))]},
          sys.stdout)
"""


def test_charts_render_every_device_pixel_on_a_hidpi_screen() -> None:
    """At QT_SCALE_FACTOR=2 (a HiDPI screen) the cached chart holds 2x2 device pixels per logical pixel, so text
    and bar edges are drawn at full resolution instead of being scaled up blurred. A fresh process: the scale
    factor is read once, when the QApplication starts."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", HIDPI_PROBE], env=env, cwd=root, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    probe = json.loads(done.stdout)
    width, height = probe["widget"]
    assert probe["ratio"] == 2.0
    assert probe["cache_ratio"] == 2.0 and probe["cache"] == [2 * width, 2 * height]
    # one device pixel either side of the red/blue boundary: a sharp edge, not a scaled-up blend
    assert probe["edge"] == ["#ff0000", "#0000ff"]
