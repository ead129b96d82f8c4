"""The Proposals panel fits a 1024 px window: it never forces the main window wider, the form has no
horizontal scroll, long problems wrap. Checked in the real main window at 1280×720 and 1024×640 under Xvfb
(scripts/run-tests.sh), with a screenshot of each kept for review."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QScrollArea

from ics_workbench.gui.context import AppContext
from ics_workbench.gui.main_window import MainWindow
from tests.proposals import helpers as h

SHOTS = Path(os.environ.get("ICS_WB_SCREENSHOTS", "")) if os.environ.get("ICS_WB_SCREENSHOTS") else None


@pytest.mark.parametrize("size", [(1280, 720), (1024, 640)], ids=["1280x720", "1024x640"])
def test_proposals_panel_fits_the_window(qapp: object, qtbot, tmp_path: Path, size: tuple[int, int]) -> None:
    context = AppContext()
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    panel = window.show_panel("proposals")
    panel.set_facts(h.facts("v7.0.0", c=h.launched_consumer(top_n=95)))
    panel.new("create-consumer")
    widgets = panel._form.field_widgets()
    with qtbot.waitSignal(panel.sig_validated, timeout=5000):
        widgets["chain_id"].setText("neutron-1")  # long error messages
        widgets["power_shaping_parameters.allowlist"].setPlainText("cosmosvaloper1" + "q" * 90)
    qtbot.wait(200)
    assert window.minimumSizeHint().width() <= 1024, window.minimumSizeHint()
    assert window.width() == size[0], f"the window was forced to {window.width()} px"
    scroll = next(
        a
        for a in panel.findChildren(QScrollArea)
        if a.widget() is not None and a.widget().isAncestorOf(widgets["chain_id"])
    )
    assert not scroll.horizontalScrollBar().isVisible()
    assert panel.problem_list.wordWrap() and panel.problem_list.count() >= 2
    shot = (SHOTS or tmp_path) / f"proposals-{size[0]}x{size[1]}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(shot))
    window.close()
    assert context.runtime.shutdown(10_000)
