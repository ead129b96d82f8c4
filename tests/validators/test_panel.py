"""The Validators & Overlaps panel on real core data (no network): matrix, risk table, simulator, exports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt

from ics_workbench.gui.context import AppContext
from ics_workbench.gui.panels import PANELS, load_panel_class
from ics_workbench.gui.panels.validators.panel import ValidatorsPanel
from ics_workbench.validators.analysis import ReportedMember
from ics_workbench.validators.load import OverlapData
from ics_workbench.validators.models import ConsumerInput, PowerShapingParams, ProviderSnapshot
from ics_workbench.validators.simulate import simulate
from tests.validators.factories import validators

VALS = validators(50, 30, 20, 10, 5)


def _data() -> OverlapData:
    snapshot = ProviderSnapshot(VALS)
    consumers = (
        ConsumerInput("0", "alpha-1", PowerShapingParams(), frozenset(v.valcons for v in VALS[:2]), name="Alpha"),
        ConsumerInput("1", "beta-1", PowerShapingParams(denylist=(VALS[0].valcons,)),
                      frozenset(v.valcons for v in VALS[:3]), name="Beta"),
        ConsumerInput("2", "gamma-1", PowerShapingParams(top_n=95), name="Gamma"),
    )
    reported = {}
    for c in consumers:
        members = simulate(snapshot, c).members
        reported[c.consumer_id] = tuple(ReportedMember(m.valcons, "", m.consumer_power) for m in members)
    reported["2"] = reported["2"][:-1]  # the provider reports one validator fewer: must show as a mismatch
    return OverlapData(snapshot, consumers, reported, {})


@pytest.fixture
def panel(qtbot, qapp) -> Iterator[ValidatorsPanel]:  # type: ignore[no-untyped-def]
    context = AppContext()
    widget = ValidatorsPanel(context)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.sig_loaded, timeout=10_000):
        widget.set_data(_data())
    yield widget
    assert context.runtime.shutdown(10_000)


def test_panel_is_found_by_the_main_window_convention() -> None:
    spec = next(s for s in PANELS if s.key == "validators")
    assert load_panel_class(spec) is ValidatorsPanel


def test_matrix_shows_shares_and_refusals(panel: ValidatorsPanel, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = panel.matrix_model
    qtmodeltester.check(model)
    assert (model.rowCount(), model.columnCount()) == (5, 6)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Validator", "Provider power", "Consumers", "Alpha", "Beta", "Gamma"]
    first = [model.index(0, c).data() for c in range(model.columnCount())]
    assert first == ["val0", "50", "2", "62.50%", "denied", "45.45%"]
    assert model.index(0, 4).data(Qt.ItemDataRole.BackgroundRole) is not None  # refused: coloured
    table = panel.matrix_table
    table.set_filter_text("denied")
    assert table.proxy.rowCount() == 1
    table.set_filter_text("")
    table.view.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # Beta: largest share first
    assert table.proxy.index(0, 0).data() == "val1"
    assert "simulation differs from the provider for: Gamma" in panel.status_label.text()


def test_consumer_risk_table(panel: ValidatorsPanel, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = panel.consumer_model
    qtmodeltester.check(model)
    rows = {r.result.consumer.consumer_id: r for r in model.rows}
    assert (rows["0"].risk.halt_count, rows["0"].risk.control_count) == (1, 2)
    assert [rows[k].agrees for k in "012"] == [True, True, False]


def test_simulator_shows_the_diff(panel: ValidatorsPanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel.sim_consumer.setCurrentIndex(0)  # Alpha: val0 + val1
    assert panel.sim_top_n.value() == 0
    panel.sim_denylist.setPlainText(VALS[0].valcons)
    panel.sim_power_cap.setValue(60)
    with qtbot.waitSignal(panel.sig_simulated, timeout=10_000):
        panel.sim_button.click()
    changes = {r.validator.moniker: (r.before, r.after, r.change) for r in panel.diff_model.rows}
    # alone, val1 cannot respect a 60% cap: the keeper sets it to floor(30 * 60 / 100) = 18 and says so
    assert changes == {"val0": (50, None, "removed: denylisted"), "val1": (30, 18, "power changed")}
    assert "2 → 1 validators" in panel.sim_summary.text()
    assert "cannot hold with 1 validator" in panel.sim_findings.text()
    panel.sim_min_stake.setText("12abc")
    panel.sim_button.click()
    assert "min_stake: expected a whole number" in panel.sim_error.text()


def test_exports(panel: ValidatorsPanel, tmp_path: Path) -> None:
    panel.export_csv(tmp_path / "m.csv")
    lines = (tmp_path / "m.csv").read_text().splitlines()
    assert lines[0].startswith("moniker,operator,valcons,provider_power,consumers,Alpha [0],Beta [1],Gamma [2]")
    assert len(lines) == 6
    panel.export_png(tmp_path / "m.png")
    assert (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_validator_and_key_tabs(panel: ValidatorsPanel, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    table = panel.matrix_table
    panel._matrix_double_clicked(table.proxy.index(0, 0))  # val0
    rows = {r.consumer.consumer_id: r for r in panel.validator_model.rows}
    assert rows["0"].in_set and not rows["1"].in_set and rows["1"].opted_in
    assert panel.validator_model.index(1, 5).data() == "denylisted"
    assert "in 2 consumer set(s)" in panel.validator_info.text()
    qtmodeltester.check(panel.key_model)
    keys = {(r.consumer.consumer_id, r.validator.moniker) for r in panel.key_model.rows}
    assert ("0", "val0") in keys and ("2", "val3") in keys
    assert panel.key_model.index(0, 4).data() == "(provider key)"


def test_loads_from_a_live_provider_connection(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    from ics_workbench.chain.connect import HttpSettings, connect_urls
    from ics_workbench.gui.context import ConnectionState, LinkState
    from tests.gui.fileserver import DATA, JsonFileServer

    server = JsonFileServer(DATA / "provider")
    context = AppContext()
    try:
        with connect_urls([server.url], [server.url], settings=HttpSettings(timeout=5, retries=0)) as conn:
            widget = ValidatorsPanel(context)
            qtbot.addWidget(widget)
            assert widget.provider_combo.count() == 0 and not widget.load_button.isEnabled()
            context.set_connection(ConnectionState("test", "provider", LinkState.CONNECTED, conn.chain_id,
                                                   connection=conn))
            assert widget.provider_combo.currentText() == "test" and widget.load_button.isEnabled()
            with qtbot.waitSignal(widget.sig_loaded, timeout=20_000):
                widget.load_button.click()
            assert widget.matrix_model.rowCount() == len(conn.rest.validators(bonded_only=False))
            assert widget.matrix_model.columnCount() == 3 + len(widget.consumer_model.rows)
            assert "warning(s)" in widget.status_label.text()  # the recording lacks per-consumer queries
            assert "did not answer consumer_validators" in widget.status_label.toolTip()
            height = widget._computed.analysis.data.height
            assert height and widget.as_of_label.text() == f"as of height {height:,}"  # the block the tables show
            state = context.connection("test")
            context.set_connection(state.evolve(height=height + 3))  # the liveness probe saw newer blocks
            assert widget.as_of_label.text() == f"as of height {height:,} · chain now at {height + 3:,}"
            assert f"test is now at height {height + 3:,}" in widget.as_of_label.toolTip()
    finally:
        assert context.runtime.shutdown(10_000)
        server.close()


def test_status_line_and_its_tooltip_show_chain_warnings_escaped(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    """The warnings carry chain text (monikers, consumer names, addresses): shown as escaped plain text, never
    as HTML, and with bidi / zero-width characters made visible."""
    import dataclasses

    context = AppContext()
    widget = ValidatorsPanel(context)
    qtbot.addWidget(widget)
    hostile = ("moniker <img src=x><b>bold</b>", "evil\u202eroman")
    with qtbot.waitSignal(widget.sig_loaded, timeout=10_000):
        widget.set_data(dataclasses.replace(_data(), warnings=hostile))
    tooltip = widget.status_label.toolTip()
    assert "<img" not in tooltip and "&lt;img src=x&gt;&lt;b&gt;bold&lt;/b&gt;" in tooltip
    assert "\u202e" not in tooltip and "\u202e" not in widget.status_label.text()
    assert widget.status_label.textFormat() == Qt.TextFormat.PlainText
    assert context.runtime.shutdown(10_000)
