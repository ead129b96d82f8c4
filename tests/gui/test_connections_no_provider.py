"""A provider profile on a chain without a provider module (fake Gaia v28): the panel shows what the core's
overview says (the note, validators, gov params), the same facts ``chain overview --profile`` prints."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from ics_workbench.chain.overview import NO_PROVIDER_NOTE
from ics_workbench.cli import main
from ics_workbench.gui.context import AppContext
from tests.chain.fakechain import FakeChain
from tests.gui.test_connections_panel import column, connect, make_panel, save_profile


@pytest.fixture
def gaia_v28() -> Iterator[FakeChain]:
    chain = FakeChain(chain_id="cosmoshub-4", family="none", validators=5).start()
    yield chain
    chain.stop()


def test_panel_and_cli_show_the_same_overview(
    qtbot: QtBot, context: AppContext, gaia_v28: FakeChain, capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(context, "hub", "cosmoshub-4", "provider", gaia_v28.url, gaia_v28.url)
    panel = make_panel(qtbot, context)
    connect(qtbot, panel, "hub")
    view = panel.provider_view
    assert view is not None
    assert view.no_provider_label.text() == NO_PROVIDER_NOTE and view.no_provider_label.isVisibleTo(panel)
    assert not view.consumers.isVisibleTo(panel)
    monikers = column(view.validators, "Moniker")
    gov = dict(zip(column(view.gov, "Parameter"), column(view.gov, "Value"), strict=True))

    assert main(["chain", "overview", "--profile", "hub"]) == 0
    out = capsys.readouterr().out
    assert f"note: {NO_PROVIDER_NOTE}" in out
    assert f"bonded validators ({len(monikers)}, " in out
    assert all(f"  {m:<24} " in out for m in monikers)
    assert gov["Min deposit"].replace(",", "").split()[0] in out.replace(",", "")
