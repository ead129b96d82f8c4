"""The consumer overview names each consumer validator by the provider validator behind its key; a key the
provider does not report is shaded (real local fake provider v7 + consumer nodes)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ics_workbench.gui.context import AppContext
from ics_workbench.gui.panels.connections.overview_views import UNMATCHED
from tests.chain.fakechain import FakeChain
from tests.gui.test_connections_panel import column, connect, make_panel, save_profile


@pytest.fixture
def chains() -> Iterator[tuple[FakeChain, FakeChain]]:
    provider = FakeChain(family="v7", validators=6, consumers=2).start()
    consumer = FakeChain(chain_id="consumer-0", family="none", validators=5).start()
    yield provider, consumer
    provider.stop()
    consumer.stop()


def test_consumer_validators_show_provider_monikers(
    qtbot: QtBot, context: AppContext, chains: tuple[FakeChain, FakeChain]
) -> None:
    provider, consumer = chains
    save_profile(context, "prov", "provider", "provider", provider.url, provider.url)
    save_profile(context, "cons", "consumer-0", "consumer", consumer.url, consumer.url, provider_profile="prov")
    panel = make_panel(qtbot, context)
    connect(qtbot, panel, "prov")
    connect(qtbot, panel, "cons")
    view = panel.consumer_view
    assert view is not None
    names = dict(zip(column(view.validators, "Address (hex)"), column(view.validators, "Provider validator"),
                     strict=True))
    # the fake provider reports validators 0-2 in consumer-0's set, with the keys the consumer signs with
    assert {names[str(consumer.comet_validator(i)["address"])] for i in range(3)} == {
        "validator-0", "validator-1", "validator-2"
    }
    assert names[str(consumer.comet_validator(0)["address"])] == "validator-0"
    assert [names[str(consumer.comet_validator(i)["address"])] for i in (3, 4)] == ["no provider match"] * 2
    assert "2 key(s) with no provider validator" in view.height_label.text()
    proxy = view.validators.proxy
    shaded = {
        proxy.index(r, 0).data(): proxy.index(r, 0).data(Qt.ItemDataRole.BackgroundRole)
        for r in range(proxy.rowCount())
    }
    assert shaded["no provider match"].color() == UNMATCHED
    assert shaded["validator-0"] is None


def test_without_a_provider_connection_the_column_is_blank_not_alarming(
    qtbot: QtBot, context: AppContext, chains: tuple[FakeChain, FakeChain]
) -> None:
    _, consumer = chains
    save_profile(context, "cons", "consumer-0", "consumer", consumer.url, consumer.url)
    panel = make_panel(qtbot, context)
    connect(qtbot, panel, "cons")
    view = panel.consumer_view
    assert view is not None
    assert column(view.validators, "Provider validator") == [""] * 5
    assert "no provider validator" not in view.height_label.text()
