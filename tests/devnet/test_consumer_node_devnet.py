"""The app against a REAL consumer chain (`interchain-security-cd` for the devnet's launched opt-in consumer):
connect through a consumer profile tied to the devnet provider, load its overview, check the provider's planned
set against the set the consumer actually runs, and see provider monikers in the Connections panel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ics_workbench.chain.connect import Connection, connect
from ics_workbench.chain.overview import load_consumer_overview
from ics_workbench.chain.profiles import ConnectionProfile
from ics_workbench.devnet.consumer import ConsumerNode
from ics_workbench.devnet.node import Devnet
from ics_workbench.gui.context import AppContext
from ics_workbench.gui.panels.connections.panel import ConnectionsPanel
from ics_workbench.gui.panels.validators.panel import ValidatorsPanel
from ics_workbench.validators.analysis import MatchStatus, match_sets
from ics_workbench.validators.load import ProviderSource, load_overlaps

WAIT = 60_000


def provider_profile(devnet: Devnet) -> ConnectionProfile:
    return ConnectionProfile.parse({
        "name": "devnet", "chain_id": devnet.chain_id, "role": "provider", "fee_denom": devnet.denom,
        "rpc": [{"url": devnet.rpc_url}], "rest": [{"url": devnet.rest_url}],
    })


def consumer_profile(node: ConsumerNode) -> ConnectionProfile:
    return ConnectionProfile.parse({
        "name": "devnet consumer", "chain_id": node.chain_id, "role": "consumer", "provider_profile": "devnet",
        "rpc": [{"url": node.rpc_url}], "rest": [{"url": node.rest_url}], "fee_denom": "stake",
    })


@pytest.fixture
def connections(devnet: Devnet, consumer_node: ConsumerNode) -> Iterator[tuple[Connection, Connection]]:
    with connect(provider_profile(devnet)) as provider, connect(consumer_profile(consumer_node)) as consumer:
        yield provider, consumer


def monikers(devnet: Devnet) -> dict[str, str]:
    """Provider valcons -> moniker, from the provider binary's own CLI."""
    by_operator = {a.valoper: a.valcons for a in devnet.validators}
    return {
        by_operator[v["operator_address"]]: v["description"]["moniker"]
        for v in devnet.query("staking", "validators")["validators"]
        if v["operator_address"] in by_operator
    }


def test_consumer_overview_of_the_real_consumer(
    devnet: Devnet, consumer_node: ConsumerNode, connections: tuple[Connection, Connection]
) -> None:
    provider, consumer = connections
    assert consumer.provider is None and consumer.profile.role == "consumer" and consumer.warnings == []
    overview = load_consumer_overview(consumer, provider)
    assert overview.chain_id == consumer_node.chain_id == devnet.seeded.opt_in.chain_id
    assert overview.warnings == ()
    # its validators at the latest height, as the consumer's own RPC reports them at that height
    raw = consumer_node.rpc("validators", height=overview.height)["validators"]
    assert {(v.address, v.pub_key, v.voting_power) for v in overview.validators} == {
        (v["address"], v["pub_key"]["value"], int(v["voting_power"])) for v in raw
    }
    # the matching entry on the provider
    assert overview.consumer is not None and overview.provider_chain_id == devnet.chain_id
    assert (overview.consumer.consumer_id, overview.consumer.phase) == (consumer_node.consumer_id, "LAUNCHED")
    # every consumer validator maps back to a provider validator: A by its provider key, B by its assigned key
    names = monikers(devnet)
    mapped = {v.pub_key: overview.provider_validator(v.pub_key) for v in overview.validators}
    assert all(m is not None for m in mapped.values())
    assert {m.provider_address for m in mapped.values() if m} == {
        devnet.validator_a.valcons,
        devnet.validator_b.valcons,
    }
    assert all(m.moniker == names[m.provider_address] for m in mapped.values() if m)
    b_key = devnet.seeded.assigned_key.public_key_b64
    assert mapped[b_key] is not None and mapped[b_key].provider_address == devnet.validator_b.valcons


def test_provider_plan_matches_the_consumer_set(
    devnet: Devnet, consumer_node: ConsumerNode, connections: tuple[Connection, Connection]
) -> None:
    provider, _ = connections
    assert provider.provider is not None and provider.rest is not None
    source = ProviderSource(provider.rest, provider.provider, comet=provider.comet)
    data = load_overlaps(source, consumer_rpcs={consumer_node.consumer_id: consumer_node.rpc_url})
    cid = consumer_node.consumer_id
    rows = match_sets(data.reported[cid], data.chain_sets[cid])
    assert len(rows) == 2
    assert [r.status for r in rows] == [MatchStatus.MATCH, MatchStatus.MATCH]
    assert {r.provider_valcons for r in rows} == {devnet.validator_a.valcons, devnet.validator_b.valcons}


def column(table, header: str) -> list[str]:  # type: ignore[no-untyped-def]
    model = table.proxy
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    col = headers.index(header)
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_connections_panel_names_consumer_validators_by_provider_moniker(
    qtbot: QtBot, devnet: Devnet, consumer_node: ConsumerNode
) -> None:
    context = AppContext()
    context.profiles.save(provider_profile(devnet))
    context.profiles.save(consumer_profile(consumer_node))
    panel = ConnectionsPanel(context)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: "devnet consumer" in panel.profiles, timeout=WAIT)
    for name in ("devnet", "devnet consumer"):
        panel.select(name)
        with qtbot.waitSignal(panel.sig_connected, timeout=WAIT):
            panel.connect_button.click()
    view = panel.consumer_view
    assert view is not None
    names = monikers(devnet)
    shown = dict(zip(column(view.validators, "Public key"), column(view.validators, "Provider validator"), strict=True))
    assert shown[devnet.seeded.assigned_key.public_key_b64] == names[devnet.validator_b.valcons]
    assert shown[devnet.validator_a.consensus_key.public_key_b64] == names[devnet.validator_a.valcons]
    assert "no provider validator" not in view.height_label.text()
    # the Validators & Overlaps panel compares the provider's plan with the connected consumer's own set
    overlaps = ValidatorsPanel(context)
    qtbot.addWidget(overlaps)
    overlaps.provider_combo.setCurrentText("devnet")
    with qtbot.waitSignal(overlaps.sig_loaded, timeout=WAIT):
        overlaps.load_button.click()
    rows = overlaps.set_model.rows
    assert {r.match.provider_valcons for r in rows} == {devnet.validator_a.valcons, devnet.validator_b.valcons}
    assert all(r.match.status is MatchStatus.MATCH for r in rows)
    assert {r.moniker for r in rows} == {names[devnet.validator_a.valcons], names[devnet.validator_b.valcons]}
    assert "another set" not in overlaps.status_label.text()
    assert context.runtime.shutdown(10_000)
