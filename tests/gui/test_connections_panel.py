"""The Connections panel against real local HTTP servers: connect, overview tables, faults, profiles."""

from __future__ import annotations

import json
import socket
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ics_workbench.chain.profiles import ConnectionProfile
from ics_workbench.gui.context import AppContext, LinkState
from ics_workbench.gui.main_window import MainWindow
from ics_workbench.gui.panels.connections.panel import ConnectionsPanel
from tests.gui.fileserver import JsonFileServer

WAIT = 20_000


def save_profile(
    context: AppContext, name: str, chain_id: str, role: str, rpc: str, rest: str, **extra: object
) -> None:
    data = {"name": name, "chain_id": chain_id, "role": role, "rpc": [{"url": rpc}], "rest": [{"url": rest}], **extra}
    context.profiles.save(ConnectionProfile.parse(data))


def make_panel(qtbot: QtBot, context: AppContext) -> ConnectionsPanel:
    """A shown panel with its profiles loaded (the load starts after the first paint)."""
    panel = ConnectionsPanel(context)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.sig_profiles_loaded, timeout=WAIT):
        panel.show()
    return panel


def connect(qtbot: QtBot, panel: ConnectionsPanel, name: str) -> None:
    panel.select(name)
    with qtbot.waitSignal(panel.sig_connected, timeout=WAIT, raising=True):
        panel.connect_button.click()


def column(view, header: str) -> list[str]:  # type: ignore[no-untyped-def]
    model = view.proxy
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    col = headers.index(header)
    return [model.index(r, col).data() for r in range(model.rowCount())]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_provider_overview_shows_consumers_validators_and_gov(
    qtbot: QtBot, context: AppContext, provider_server: JsonFileServer
) -> None:
    save_profile(context, "testnet provider", "provider-test-1", "provider", provider_server.url, provider_server.url)
    panel = make_panel(qtbot, context)
    connect(qtbot, panel, "testnet provider")

    view = panel.provider_view
    assert view is not None and panel.detail_stack.currentWidget() is view
    assert column(view.consumers, "Chain ID") == ["pion-1", "stride-internal-1", "sprout-1", "retired-1"]
    assert column(view.consumers, "Phase") == ["launched", "launched", "initialized", "stopped"]
    assert column(view.consumers, "Top N") == ["95%", "opt-in", "opt-in", "opt-in"]
    assert column(view.consumers, "Owner")[0] == "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn"
    assert column(view.consumers, "Spawn time")[2] == "2026-12-01 00:00:00 UTC"
    monikers = column(view.validators, "Moniker")
    assert monikers[0] == "Stakecraft" and len(monikers) == 6
    assert column(view.validators, "Power")[0] == "412,000"
    assert column(view.validators, "Share")[0] == "41.20%"  # 412,000 of 1,000,000
    assert column(view.validators, "Commission")[1] == "10.00%"
    assert all(c.startswith("cosmosvalcons1") for c in column(view.validators, "Consensus address"))
    gov = dict(zip(column(view.gov, "Parameter"), column(view.gov, "Value"), strict=True))
    assert gov["Min deposit"] == "250000000uatom"
    assert gov["Voting period"] == "5d"
    assert gov["Quorum"] == "40.00%"
    assert "ICS provider v7.0.1" in view.node.summary_label.text()

    state = context.connection("testnet provider")
    assert state is not None and state.state == LinkState.CONNECTED
    assert state.chain_id == "provider-test-1" and state.height == 48213  # the pinned height of every read
    node = dict(zip(column(view.node.facts, "Parameter"), column(view.node.facts, "Value"), strict=True))
    assert node["Data"] == "as of height 48,213" and "Latest height" not in node  # says which block it shows
    saved = context.profiles.get("testnet provider")
    assert saved.capabilities is not None and saved.capabilities.keyed_by == "consumer_id"


def test_chain_without_provider_module_says_so(
    qtbot: QtBot, context: AppContext, provider_server: JsonFileServer
) -> None:
    provider_server.hidden.add("/interchain_security/")
    save_profile(context, "hub", "provider-test-1", "provider", provider_server.url, provider_server.url)
    panel = make_panel(qtbot, context)
    connect(qtbot, panel, "hub")
    view = panel.provider_view
    assert view is not None
    assert "no ICS provider" in view.no_provider_label.text() and view.no_provider_label.isVisibleTo(panel)
    assert "no provider module" in view.node.summary_label.text()
    node = dict(zip(column(view.node.facts, "Parameter"), column(view.node.facts, "Value"), strict=True))
    assert node["Data"].startswith("as of height ")
    assert len(column(view.validators, "Moniker")) == 6
    state = context.connection("hub")
    assert state is not None and state.state == LinkState.WARNING  # "provider profile but no provider module"


def test_consumer_overview_with_provider_entry(
    qtbot: QtBot, context: AppContext, provider_server: JsonFileServer, consumer_server: JsonFileServer
) -> None:
    save_profile(context, "provider", "provider-test-1", "provider", provider_server.url, provider_server.url)
    save_profile(context, "pion", "pion-1", "consumer", consumer_server.url, consumer_server.url,
                 provider_profile="provider", account_prefix="neutron")
    panel = make_panel(qtbot, context)
    connect(qtbot, panel, "provider")
    connect(qtbot, panel, "pion")
    view = panel.consumer_view
    assert view is not None and panel.detail_stack.currentWidget() is view
    assert column(view.validators, "Voting power") == ["412,000", "250,500", "180,000", "95,250"]
    assert "4 validators at height 9,120,400" in view.height_label.text()
    entry = dict(zip(column(view.provider_entry, "Parameter"), column(view.provider_entry, "Value"), strict=True))
    assert entry["Consumer ID"] == "0" and entry["Phase"] == "launched" and entry["Top N"] == "95%"
    assert "provider-test-1" in view.provider_note.text()
    assert {n for n in ("provider", "pion") if context.connection(n)} == {"provider", "pion"}


def test_unreachable_endpoint_gives_specific_error_and_other_connections_keep_working(
    qtbot: QtBot, context: AppContext, provider_server: JsonFileServer
) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    save_profile(context, "dead", "provider-test-1", "provider", dead, dead)
    save_profile(context, "good", "provider-test-1", "provider", provider_server.url, provider_server.url)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    panel = window.page("connections")
    assert isinstance(panel, ConnectionsPanel)
    qtbot.waitUntil(lambda: len(panel.profiles) == 2, timeout=WAIT)
    connect(qtbot, panel, "good")

    panel.select("dead")
    with qtbot.waitSignal(panel.sig_connection_failed, timeout=WAIT) as failed:
        panel.connect_button.click()
    message = failed.args[1]
    assert dead in message and ("refused" in message.lower() or "unreachable" in message.lower()), message
    assert panel.message_label.text() == message and panel.message_label.isVisibleTo(panel)
    dead_state = context.connection("dead")
    assert dead_state is not None and dead_state.state == LinkState.FAILED
    assert "Traceback" not in message
    indicator = window.indicators.indicator("dead")
    assert indicator is not None and "failed" in indicator.text()

    good = context.connection("good")
    assert good is not None and good.state == LinkState.CONNECTED
    with qtbot.waitSignal(panel.sig_connected, timeout=WAIT):  # the app is still usable: refresh works
        panel.connect_profile("good")


def test_http_500_and_malformed_json_name_the_endpoint(
    qtbot: QtBot, context: AppContext, provider_server: JsonFileServer
) -> None:
    save_profile(context, "p", "provider-test-1", "provider", provider_server.url, provider_server.url)
    panel = make_panel(qtbot, context)
    provider_server.fail("/cosmos/staking/v1beta1/validators", 400, b'{"code": 3, "message": "bad request"}')
    panel.select("p")
    with qtbot.waitSignal(panel.sig_connection_failed, timeout=WAIT) as failed:
        panel.connect_button.click()
    assert "/cosmos/staking/v1beta1/validators" in failed.args[1] and "400" in failed.args[1], failed.args[1]

    provider_server.faults.clear()
    provider_server.fail("/cosmos/gov/v1/params", 200, b'{"params": {"min_deposit": [')
    with qtbot.waitSignal(panel.sig_connection_failed, timeout=WAIT) as failed:
        panel.connect_button.click()
    assert "/cosmos/gov/v1/params/tallying" in failed.args[1] and "json" in failed.args[1].lower(), failed.args[1]


def test_wrong_chain_id_is_refused(qtbot: QtBot, context: AppContext, provider_server: JsonFileServer) -> None:
    save_profile(context, "mislabelled", "cosmoshub-4", "provider", provider_server.url, provider_server.url)
    panel = make_panel(qtbot, context)
    panel.select("mislabelled")
    with qtbot.waitSignal(panel.sig_connection_failed, timeout=WAIT) as failed:
        panel.connect_button.click()
    assert "provider-test-1" in failed.args[1] and "cosmoshub-4" in failed.args[1]


def test_cancel_while_connecting(qtbot: QtBot, context: AppContext, provider_server: JsonFileServer) -> None:
    import threading

    from ics_workbench.errors import CancelledError

    gate = threading.Event()
    original = provider_server._serve

    def slow(request):  # type: ignore[no-untyped-def]
        gate.wait(10)
        original(request)

    provider_server._serve = slow  # type: ignore[method-assign]
    save_profile(context, "slow", "provider-test-1", "provider", provider_server.url, provider_server.url)
    panel = make_panel(qtbot, context)
    panel.select("slow")
    panel.connect_button.click()
    assert panel.cancel_button.isVisibleTo(panel)
    with qtbot.waitSignal(panel.sig_connection_failed, timeout=WAIT) as failed:
        panel.cancel_button.click()
        gate.set()
    assert failed.args[1] == str(CancelledError())
    assert context.connection("slow") is None


def test_add_profile_dialog_shows_errors_at_the_field(qtbot: QtBot, context: AppContext) -> None:
    panel = make_panel(qtbot, context)
    dialog = panel.open_profile_dialog()
    dialog.name_edit.setText("local")
    dialog.chain_id_edit.setText("bad chain id!")
    dialog.rpc_edit.setPlainText("ftp://127.0.0.1:26657")
    dialog.rest_edit.setPlainText("")
    dialog.gas_edit.setText("cheap")
    dialog.try_accept()
    assert dialog.isVisible()
    errors = {k: label.text() for k, label in dialog.error_labels.items() if label.isVisibleTo(dialog)}
    assert "bad chain id!" in errors["chain_id"]
    assert errors["rpc"].startswith("line 1:") and "http://" in errors["rpc"]
    assert "REST" in errors["rest"]
    assert "cheap" in errors["gas_prices"]
    assert "name" not in errors

    dialog.chain_id_edit.setText("localnet-1")
    dialog.rpc_edit.setPlainText("http://127.0.0.1:26657\nhttp://127.0.0.1:36657 archive")
    dialog.rest_edit.setPlainText("http://127.0.0.1:1317")
    dialog.gas_edit.setText("0.025")
    with qtbot.waitSignal(context.sig_profiles_changed, timeout=WAIT):
        dialog.try_accept()
    saved = context.profiles.get("local")
    assert [e.archive for e in saved.rpc] == [False, True]
    assert panel.selected_name() == "local"

    again = panel.open_profile_dialog()
    again.name_edit.setText("local")
    again.try_accept()
    assert "already exists" in again.error_labels["name"].text()


def test_import_chain_json_prefills_dialog(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    chain = {
        "chain_name": "pion", "pretty_name": "Pion", "chain_id": "pion-1", "bech32_prefix": "neutron",
        "fees": {"fee_tokens": [{"denom": "untrn", "average_gas_price": 0.025}]},
        "apis": {"rpc": [{"address": "https://rpc.pion.example"}], "rest": [{"address": "https://rest.pion.example"}]},
    }
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(chain))
    panel = make_panel(qtbot, context)
    dialog = panel.import_chain_json(path)
    assert dialog is not None
    assert dialog.chain_id_edit.text() == "pion-1" and dialog.prefix_edit.text() == "neutron"
    assert dialog.fee_denom_edit.text() == "untrn"
    with qtbot.waitSignal(context.sig_profiles_changed, timeout=WAIT):
        dialog.try_accept()
    assert context.profiles.get("Pion").rest[0].url == "https://rest.pion.example"

    broken = tmp_path / "broken.json"
    broken.write_text('{"chain_id": "x"')
    assert panel.import_chain_json(broken) is None
    assert "broken.json: JSON: not valid JSON (line 1 column 17" in panel.profile_error.text()


@pytest.mark.parametrize("offline", [True])
def test_offline_mode_disables_connect(qtbot: QtBot, offline: bool, provider_server: JsonFileServer) -> None:
    context = AppContext(offline=offline)
    save_profile(context, "p", "provider-test-1", "provider", provider_server.url, provider_server.url)
    panel = make_panel(qtbot, context)
    panel.select("p")
    assert not panel.connect_button.isEnabled()
    assert "offline" in panel.message_label.text()
    assert provider_server.hits == {}


def test_disconnect_edit_and_remove(qtbot: QtBot, context: AppContext, provider_server: JsonFileServer) -> None:
    save_profile(context, "p", "provider-test-1", "provider", provider_server.url, provider_server.url)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    panel = window.page("connections")
    assert isinstance(panel, ConnectionsPanel)
    qtbot.waitUntil(lambda: "p" in panel.profiles, timeout=WAIT)
    connect(qtbot, panel, "p")
    assert window.indicators.indicator("p") is not None and panel.refresh_button.isVisibleTo(panel)

    with qtbot.waitSignal(panel.sig_disconnected, timeout=WAIT):
        panel.disconnect_button.click()
    assert context.connection("p") is None and window.indicators.indicator("p") is None
    assert panel.connect_button.isVisibleTo(panel) and panel.detail_stack.currentWidget() is panel.empty_page

    dialog = panel.open_profile_dialog(context.profiles.get("p"), editing=True)
    assert dialog.name_edit.text() == "p" and dialog.rpc_edit.toPlainText() == provider_server.url
    dialog.name_edit.setText("renamed")
    with qtbot.waitSignal(context.sig_profiles_changed, timeout=WAIT):
        dialog.try_accept()
    assert [p.name for p in context.profiles.list()] == ["renamed"]
    assert panel.selected_name() == "renamed"

    with qtbot.waitSignal(context.sig_profiles_changed, timeout=WAIT):
        panel.remove_button.click()
    assert context.profiles.list() == [] and panel.profile_list.count() == 0
    assert "No profiles yet" in panel.empty_page.title_label.text()


def test_corrupt_profile_file_is_reported_not_overwritten(qtbot: QtBot, context: AppContext) -> None:
    path = context.profiles.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    panel = make_panel(qtbot, context)
    assert "corrupt" in panel.profile_error.text() and panel.profile_error.isVisibleTo(panel)
    assert path.read_text() == "{not json"


def test_disconnect_during_connect_then_reconnect(
    qtbot: QtBot, context: AppContext, provider_server: JsonFileServer
) -> None:
    import threading

    gate = threading.Event()
    original = provider_server._serve

    def held(request):  # type: ignore[no-untyped-def]
        gate.wait(10)
        original(request)

    provider_server._serve = held  # type: ignore[method-assign]
    save_profile(context, "p", "provider-test-1", "provider", provider_server.url, provider_server.url)
    panel = make_panel(qtbot, context)
    panel.select("p")
    first = panel.connect_profile("p")
    assert first is not None and context.connection("p") is not None  # "connecting"
    panel.disconnect("p")
    assert context.connection("p") is None
    provider_server._serve = original  # type: ignore[method-assign]
    with qtbot.waitSignal(panel.sig_connected, timeout=WAIT):
        second = panel.connect_profile("p")
        gate.set()
    assert second is not first
    qtbot.waitUntil(lambda: first.done, timeout=WAIT)
    state = context.connection("p")
    assert state is not None and state.state == LinkState.CONNECTED  # the cancelled first job changed nothing


def test_consumer_without_provider_connection_says_what_to_do(
    qtbot: QtBot, context: AppContext, provider_server: JsonFileServer, consumer_server: JsonFileServer
) -> None:
    save_profile(context, "provider", "provider-test-1", "provider", provider_server.url, provider_server.url)
    save_profile(context, "pion", "pion-1", "consumer", consumer_server.url, consumer_server.url,
                 provider_profile="provider")
    panel = make_panel(qtbot, context)
    connect(qtbot, panel, "pion")
    view = panel.consumer_view
    assert view is not None
    assert "Connect the provider profile 'provider' first" in view.provider_note.text()
    assert view.provider_entry.proxy.rowCount() == 0
    assert view.validators.proxy.rowCount() == 4
    assert provider_server.hits == {}  # the consumer load never touched the provider


def test_add_connection_from_the_chain_catalogue_fills_everything_and_stays_editable(
    qtbot: QtBot, context: AppContext
) -> None:
    panel = make_panel(qtbot, context)
    dialog = panel.open_profile_dialog()
    combo = dialog.catalogue_combo
    assert combo is not None and combo.itemText(1).startswith("Cosmos Hub (cosmoshub-4, mainnet, ICS provider)")
    assert combo.count() > 300  # any Cosmos chain of the registry, ICS ones first
    combo.activated.emit(combo.findData("cosmoshub"))
    assert dialog.chain_id_edit.text() == "cosmoshub-4" and dialog.name_edit.text() == "Cosmos Hub"
    assert dialog.prefix_edit.text() == "cosmos" and dialog.fee_denom_edit.text() == "uatom"
    assert dialog.gas_edit.text() == "0.025" and dialog.rpc_edit.toPlainText().startswith("https://")
    assert "archive" in dialog.rpc_edit.toPlainText()
    dialog.gas_edit.setText("0.01")  # the user's own choice wins
    with qtbot.waitSignal(context.sig_profiles_changed, timeout=WAIT):
        dialog.try_accept()
    saved = context.profiles.get("Cosmos Hub")
    assert saved.gas_prices == Decimal("0.01") and saved.rest and saved.valoper_prefix == "cosmosvaloper"

    consumer = panel.open_profile_dialog()
    consumer.choose_chain("neutron")
    assert consumer.role_combo.currentText() == "consumer" and consumer.provider_combo.isEnabled()
    assert panel.open_profile_dialog(saved, editing=True).catalogue_combo is None
