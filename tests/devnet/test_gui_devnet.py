"""The GUI connected to the REAL local provider: the tables show what the node's own CLI reports."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ics_workbench.chain.profiles import ConnectionProfile
from ics_workbench.devnet.node import Devnet
from ics_workbench.gui.context import AppContext, LinkState
from ics_workbench.gui.main_window import MainWindow
from ics_workbench.gui.panels.connections.panel import ConnectionsPanel

WAIT = 60_000


def column(table, header: str) -> list[str]:  # type: ignore[no-untyped-def]
    model = table.proxy
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    col = headers.index(header)
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_gui_shows_the_devnet_provider(qtbot: QtBot, devnet: Devnet) -> None:
    context = AppContext()
    context.profiles.save(ConnectionProfile.parse({
        "name": "devnet", "chain_id": devnet.chain_id, "role": "provider", "fee_denom": devnet.denom,
        "rpc": [{"url": devnet.rpc_url}], "rest": [{"url": devnet.rest_url}],
    }))
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    panel = window.page("connections")
    assert isinstance(panel, ConnectionsPanel)
    qtbot.waitUntil(lambda: "devnet" in panel.profiles, timeout=WAIT)
    panel.select("devnet")
    with qtbot.waitSignal(panel.sig_connected, timeout=WAIT):
        panel.connect_button.click()

    view = panel.provider_view
    assert view is not None
    listed = devnet.query("provider", "list-consumer-chains")["chains"]
    shown = dict(zip(column(view.consumers, "Consumer ID"), column(view.consumers, "Chain ID"), strict=True))
    assert shown == {c["consumer_id"]: c["chain_id"] for c in listed}
    phases = dict(zip(column(view.consumers, "Consumer ID"), column(view.consumers, "Phase"), strict=True))
    assert phases == {c["consumer_id"]: c["phase"].removeprefix("CONSUMER_PHASE_").lower() for c in listed}
    top_n = devnet.seeded.top_n
    tops = dict(zip(column(view.consumers, "Consumer ID"), column(view.consumers, "Top N"), strict=True))
    assert tops[top_n.consumer_id] == f"{top_n.top_n}%"
    owners = dict(zip(column(view.consumers, "Consumer ID"), column(view.consumers, "Owner"), strict=True))
    for consumer in devnet.seeded.consumers:
        assert owners[consumer.consumer_id] == consumer.owner

    bonded = [v for v in devnet.query("staking", "validators")["validators"] if v["status"] == "BOND_STATUS_BONDED"]
    assert sorted(column(view.validators, "Operator")) == sorted(v["operator_address"] for v in bonded)
    monikers = {v["description"]["moniker"] for v in bonded}
    assert set(column(view.validators, "Moniker")) == monikers
    valcons = {a.valcons for a in devnet.validators}
    assert set(column(view.validators, "Consensus address")) == valcons

    gov = dict(zip(column(view.gov, "Parameter"), column(view.gov, "Value"), strict=True))
    assert gov["Min deposit"] == f"{devnet.settings.min_deposit}{devnet.denom}"
    assert "ICS provider" in view.node.summary_label.text() and "consumer-id keyed" in view.node.summary_label.text()

    state = context.connection("devnet")
    assert state is not None and state.state in (LinkState.CONNECTED, LinkState.WARNING)
    assert state.chain_id == devnet.chain_id and state.height is not None and state.height > 0
    indicator = window.indicators.indicator("devnet")
    assert indicator is not None and devnet.chain_id in indicator.text()
    window.close()
