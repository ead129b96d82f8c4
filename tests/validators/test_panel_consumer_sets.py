"""The panel's "Consumer sets" tab: the provider's consumer_validators next to the set each connected consumer
chain runs, matched through the consumer key; disagreements shaded and named in the status line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ics_workbench.chain.connect import connect_urls
from ics_workbench.chain.overview import load_consumer_overview
from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
from ics_workbench.gui.panels.validators.panel import ValidatorsPanel
from ics_workbench.gui.panels.validators.tables import REFUSED
from ics_workbench.validators.analysis import ChainValidator, MatchStatus, ReportedMember
from ics_workbench.validators.load import OverlapData
from ics_workbench.validators.models import ConsumerInput, PowerShapingParams, ProviderSnapshot
from tests.chain.conftest import FAST
from tests.chain.fakechain import FakeChain
from tests.validators.factories import validators

VALS = validators(50, 30, 20)


@pytest.fixture
def context(qapp: object) -> Iterator[AppContext]:
    ctx = AppContext()
    yield ctx
    assert ctx.runtime.shutdown(10_000)


def test_sets_compared_and_disagreements_shaded(qtbot: QtBot, context: AppContext) -> None:
    consumer = ConsumerInput("0", "alpha-1", PowerShapingParams(), frozenset(v.valcons for v in VALS), name="Alpha")
    reported = {"0": tuple(ReportedMember(v.valcons, f"key{i}", v.power) for i, v in enumerate(VALS))}
    chain = (ChainValidator("A0", "key0", 50), ChainValidator("A1", "key1", 31), ChainValidator("A9", "stray", 7))
    data = OverlapData(ProviderSnapshot(VALS), (consumer,), reported, {}, {"0": chain})
    panel = ValidatorsPanel(context)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        panel.set_data(data)
    rows = {r.match.consumer_pubkey: r for r in panel.set_model.rows}
    assert rows["key0"].match.status is MatchStatus.MATCH and rows["key0"].moniker == "val0"
    assert rows["key1"].match.status is MatchStatus.POWER_DIFFERS
    assert rows["key2"].match.status is MatchStatus.MISSING_ON_CONSUMER and rows["key2"].moniker == "val2"
    assert rows["stray"].match.status is MatchStatus.UNKNOWN_TO_PROVIDER and rows["stray"].moniker == ""
    assert panel.set_model.rows[-1].match.consumer_pubkey == "key0"  # agreements last
    model = panel.set_model
    shading = {model.rows[r].match.consumer_pubkey: model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole)
               for r in range(model.rowCount())}
    assert shading["key0"] is None and shading["stray"].color() == REFUSED
    assert "consumer chain runs another set than the provider says: Alpha" in panel.status_label.text()


def test_connected_consumers_are_compared_on_load(qtbot: QtBot, context: AppContext) -> None:
    provider_chain = FakeChain(family="v7", validators=6, consumers=2).start()
    consumer_chain = FakeChain(chain_id="consumer-0", family="none", validators=5).start()
    try:
        with (
            connect_urls([provider_chain.url], [provider_chain.url], settings=FAST) as provider,
            connect_urls([consumer_chain.url], [consumer_chain.url], settings=FAST) as consumer,
        ):
            overview = load_consumer_overview(consumer, provider)
            context.set_connection(ConnectionState("prov", "provider", LinkState.CONNECTED, provider.chain_id,
                                                   connection=provider))
            context.set_connection(ConnectionState("cons", "consumer", LinkState.CONNECTED, consumer.chain_id,
                                                   connection=consumer, overview=overview))
            panel = ValidatorsPanel(context)
            qtbot.addWidget(panel)
            panel.provider_combo.setCurrentText("prov")
            with qtbot.waitSignal(panel.sig_loaded, timeout=20_000):
                panel.load_button.click()
    finally:
        provider_chain.stop()
        consumer_chain.stop()
    rows = panel.set_model.rows
    assert {r.consumer for r in rows} == {"Consumer 0"}  # its name in the provider's metadata
    assert "consumer chain runs another set than the provider says: Consumer 0" in panel.status_label.text()
    by_key = {r.match.consumer_pubkey: r for r in rows}
    assert len(by_key) == 5  # three keys the provider reports (all on the chain) + two it does not know
    for i in range(5):
        comet = consumer_chain.comet_validator(i)
        row = by_key[comet["pub_key"]["value"]]
        assert row.match.consumer_power == int(comet["voting_power"])
        if i < 3:  # the fake provider reports validators 0-2 for consumer 0, power 1000 - i
            assert row.match.provider_power == 1000 - i and row.match.provider_valcons == f"cosmosvalcons1prov{i}"
        else:
            assert row.match.status is MatchStatus.UNKNOWN_TO_PROVIDER
