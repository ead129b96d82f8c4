"""The three journeys a new user makes, in the real main window against real nodes, by mouse and keyboard only
(pytest-qt input events on the window's widgets; no panel method is called, no CLI or external tool between).

Governance participant: connect a chain whose profile names no fee denom, see its proposals with status and
tally, vote, see the vote in the list, deposit on a proposal in its deposit period."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ics_workbench.chain.profiles import ConnectionProfile
from ics_workbench.devnet.node import Devnet
from ics_workbench.gui.context import AppContext
from ics_workbench.gui.main_window import MainWindow
from ics_workbench.signing.keystore import KeyStore
from tests.devnet.gov_chain import submit_text_proposal
from tests.devnet.gui_driver import (
    WAIT,
    answer_message_box,
    choose,
    click,
    click_list_item,
    click_table_row,
    open_panel,
    type_into,
)


def open_window(qtbot: QtBot, profiles: list[dict[str, Any]], *, offline: bool = False) -> MainWindow:
    context = AppContext(offline=offline)
    for profile in profiles:
        context.profiles.save(ConnectionProfile.parse(profile))
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    return window


def connect_in_gui(qtbot: QtBot, window: MainWindow, name: str) -> None:
    panel = open_panel(qtbot, window, "Connections")
    qtbot.waitUntil(lambda: panel.profile_list.count() > 0, timeout=WAIT)
    click_list_item(qtbot, panel.profile_list, name)
    click(qtbot, panel.connect_button)
    qtbot.waitUntil(lambda: (s := window.context.connection(name)) is not None and s.lease is not None,
                    timeout=WAIT)


def sign_and_broadcast_in_gui(qtbot: QtBot, window: MainWindow) -> str:
    """From a handed-over request: build it, sign after the confirmation, broadcast; returns the result text."""
    signing = window.page("signing")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is signing, timeout=WAIT)
    requests, files = signing.requests, signing.files
    qtbot.waitUntil(lambda: requests.build_button.isEnabled() and requests.key_combo.count() > 0, timeout=WAIT)
    click(qtbot, requests.build_button)
    qtbot.waitUntil(lambda: files.state_label.text() == "UNSIGNED", timeout=WAIT)
    click(qtbot, files.sign_button)
    confirmation = answer_message_box(qtbot, QMessageBox.StandardButton.Yes)
    assert "Sign bytes SHA-256" in confirmation
    qtbot.waitUntil(lambda: files.state_label.text() == "SIGNED", timeout=WAIT)
    click(qtbot, files.broadcast_button)
    qtbot.waitUntil(lambda: files.state_label.text() == "BROADCAST" or files.error_label.isVisible(),
                    timeout=90_000)
    assert files.state_label.text() == "BROADCAST", files.error_label.text()
    return files.result_label.text()


def column_text(view: Any, header: str, row_key: str) -> str:
    model = view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    col = headers.index(header)
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == row_key:
            return str(model.index(row, col).data())
    raise AssertionError(f"no row {row_key}")


def test_governance_participant_sees_proposals_votes_and_deposits(qtbot: QtBot, govnet: Devnet) -> None:
    a = govnet.validator_a.name
    voting = submit_text_proposal(govnet, "Fund the public goods pool", govnet.settings.min_deposit, a)
    waiting = submit_text_proposal(govnet, "Upgrade the relayer budget", 200_000, a)
    user = govnet.user
    KeyStore().recover("voter", user.mnemonic)  # the participant's key is already in the keyring
    window = open_window(qtbot, [{"name": "govnet", "chain_id": govnet.chain_id, "role": "provider",
                                  "rpc": [{"url": govnet.rpc_url}], "rest": [{"url": govnet.rest_url}]}])
    connect_in_gui(qtbot, window, "govnet")

    gov = open_panel(qtbot, window, "Governance")
    view = gov.table.view
    qtbot.waitUntil(lambda: view.model().rowCount() >= 2, timeout=WAIT)
    assert column_text(view, "Status", str(voting)) == "voting"
    assert column_text(view, "Status", str(waiting)) == "deposit period"
    assert column_text(view, "Your vote", str(voting)) == "not voted"
    assert "as of height" in gov.as_of_label.text()

    click_table_row(qtbot, view, 0, str(voting))
    choose(qtbot, gov.option_combo, "No with veto")
    click(qtbot, gov.vote_button)
    result = sign_and_broadcast_in_gui(qtbot, window)
    assert "INCLUDED" in result.upper() and "code 0" in result
    created = window.page("signing").files.created_label
    assert created.isVisible() and f"proposal {voting} voted on" in created.text()  # from the tx events, a link
    vote = govnet.query("gov", "vote", str(voting), user.address)["vote"]
    assert [o["option"] for o in vote["options"]] == ["VOTE_OPTION_NO_WITH_VETO"]

    # Follow the link (Qt gives tests no way to click inside a label's rich text, so activate it as a click would).
    window.page("signing").files.created_label.linkActivated.emit(f"proposal:{voting}:govnet")
    gov = window.page("governance")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is gov, timeout=WAIT)
    qtbot.waitUntil(lambda: column_text(gov.table.view, "Your vote", str(voting)) == "no with veto", timeout=WAIT)
    assert gov.selected_proposal() is not None and gov.selected_proposal().proposal_id == voting

    before = sum(int(c["amount"]) for c in govnet.query("gov", "proposal", str(waiting))["proposal"]["total_deposit"])
    click_table_row(qtbot, gov.table.view, 0, str(waiting))
    assert not gov.vote_button.isEnabled()  # no votes in the deposit period
    type_into(qtbot, gov.deposit_edit, "150000stake")
    click(qtbot, gov.deposit_button)
    sign_and_broadcast_in_gui(qtbot, window)
    after = sum(int(c["amount"]) for c in govnet.query("gov", "proposal", str(waiting))["proposal"]["total_deposit"])
    assert after - before == 150_000
    window.close()


def devnet_profile(chain: Devnet, name: str) -> dict[str, Any]:
    return {"name": name, "chain_id": chain.chain_id, "role": "provider", "rpc": [{"url": chain.rpc_url}],
            "rest": [{"url": chain.rest_url}]}


def test_validator_connects_reads_the_overview_then_overlaps_and_keys(qtbot: QtBot, devnet: Devnet) -> None:
    window = open_window(qtbot, [devnet_profile(devnet, "devnet")])
    connect_in_gui(qtbot, window, "devnet")
    connections = window.page("connections")
    view = connections.provider_view
    qtbot.waitUntil(lambda: view is not None and view.consumers.proxy.rowCount() > 0, timeout=WAIT)
    listed = devnet.query("provider", "list-consumer-chains")["chains"]
    assert view.consumers.proxy.rowCount() == len(listed)
    endpoints = view.node.endpoints.proxy
    kinds = sorted((endpoints.index(r, 0).data(), endpoints.index(r, 1).data()) for r in range(endpoints.rowCount()))
    assert kinds == sorted([("REST", devnet.rest_url), ("RPC", devnet.rpc_url)])  # each once, labelled right

    overlaps = open_panel(qtbot, window, "Validators & Overlaps")
    qtbot.waitUntil(lambda: overlaps.load_button.isEnabled(), timeout=WAIT)
    click(qtbot, overlaps.load_button)
    matrix = overlaps.matrix_table.view
    bonded = [v for v in devnet.query("staking", "validators")["validators"] if v["status"] == "BOND_STATUS_BONDED"]
    qtbot.waitUntil(lambda: matrix.model().rowCount() == len(bonded), timeout=WAIT)

    b = devnet.validator_b
    moniker = next(v["description"]["moniker"] for v in bonded if v["operator_address"] == b.valoper)
    operator_column = 0  # "Validator": moniker, else operator
    row = next(r for r in range(matrix.model().rowCount())
               if matrix.model().index(r, operator_column).data() == moniker)
    index = matrix.model().index(row, operator_column)
    where = matrix.visualRect(index).center()
    qtbot.mouseClick(matrix.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double click is press, release,
    qtbot.mouseDClick(matrix.viewport(), Qt.MouseButton.LeftButton, pos=where)  # then the double-click event
    qtbot.waitUntil(lambda: overlaps.tabs.currentIndex() == 3 and overlaps.validator_model.rowCount() > 0,
                    timeout=WAIT)

    tab_bar = overlaps.tabs.tabBar()
    keys_tab = next(i for i in range(tab_bar.count()) if tab_bar.tabText(i) == "Key assignments")
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(keys_tab).center())
    assert overlaps.tabs.currentIndex() == keys_tab
    keys = overlaps.key_table.view.model()
    headers = [keys.headerData(c, Qt.Orientation.Horizontal) for c in range(keys.columnCount())]
    valcons = [keys.index(r, headers.index("Consumer valcons")).data() for r in range(keys.rowCount())]
    assert devnet.seeded.assigned_key.valcons in valcons
    window.close()


def test_a_chain_that_stops_answering_turns_red_with_a_plain_reason(qtbot: QtBot, devnet_factory: Any) -> None:
    chain = devnet_factory(seed=False)
    window = open_window(qtbot, [devnet_profile(chain, "doomed")])
    window.liveness.timer.setInterval(300)
    connect_in_gui(qtbot, window, "doomed")
    indicator = window.indicators.indicator("doomed")
    assert indicator is not None
    qtbot.waitUntil(lambda: (s := window.context.connection("doomed")) is not None and s.checked_at is not None,
                    timeout=WAIT)
    chain.stop()
    qtbot.waitUntil(lambda: window.context.connection("doomed").state.value == "failed", timeout=WAIT)
    state = window.context.connection("doomed")
    assert "stopped answering" in state.message and "refused" in state.message and "Errno" not in state.message
    assert "the data shown is as of height" in state.message
    connections = window.page("connections")
    assert connections.message_label.isVisible() and "stopped answering" in connections.message_label.text()
    assert connections.provider_view is not None and connections.detail_stack.currentWidget() is \
        connections.provider_view  # the old data stays, marked
    window.close()


def test_status_turns_red_when_the_node_freezes_green_when_it_resumes_amber_when_the_chain_halts(
        qtbot: QtBot, devnet_factory: Any) -> None:
    """Liveness against a real node. Frozen (SIGSTOP): it stops answering -> red; resumed (SIGCONT) -> green.
    Then the chain halts while the node keeps answering: a delegation gives validator B, which has no running
    node, more than a third of the power, so from two blocks later no block can get 2/3 of the precommits; the
    node serves its last block, whose age passes a few block times -> amber."""
    import os
    import signal

    from ics_workbench.gui.context import LinkState
    from ics_workbench.gui.widgets.status import STATE_COLOURS

    chain = devnet_factory(seed=False)
    window = open_window(qtbot, [devnet_profile(chain, "halting")])
    window.liveness.timer.setInterval(300)
    connect_in_gui(qtbot, window, "halting")
    qtbot.waitUntil(lambda: (s := window.context.connection("halting")) is not None and s.checked_at is not None,
                    timeout=WAIT)
    assert window.context.connection("halting").state is LinkState.CONNECTED
    pid = chain.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    try:
        qtbot.waitUntil(lambda: window.context.connection("halting").state is LinkState.FAILED, timeout=WAIT)
        assert "stopped answering" in window.context.connection("halting").message
    finally:
        os.kill(pid, signal.SIGCONT)
    qtbot.waitUntil(lambda: window.context.connection("halting").state is LinkState.CONNECTED, timeout=WAIT)
    indicator = window.indicators.indicator("halting")
    assert indicator is not None and STATE_COLOURS[LinkState.CONNECTED] in indicator.text()  # green again

    b = chain.validator_b
    assert b.valoper is not None
    a_power = chain.validator_a.self_delegation
    chain.tx("staking", "delegate", b.valoper, f"{a_power // 2 + 1}{chain.denom}", sender=chain.user.name)
    halted_at = chain.height() + 2
    qtbot.waitUntil(lambda: window.context.connection("halting").state is LinkState.WARNING, timeout=WAIT)
    state = window.context.connection("halting")
    assert "no new block for" in state.message and "the data shown is as of height" in state.message
    assert chain.height() <= halted_at + 1  # halted indeed, and the node still answers
    assert STATE_COLOURS[LinkState.WARNING] in indicator.text()  # the amber dot
    window.close()


def test_offline_signer_request_then_air_gapped_signature_then_broadcast(qtbot: QtBot, govnet: Devnet,
                                                                        tmp_path: Path) -> None:
    from ics_workbench.gui import file_dialogs
    from tests.devnet.gui_driver import answer_file_dialog

    a = govnet.validator_a.name
    proposal = submit_text_proposal(govnet, "Offline signer test", govnet.settings.min_deposit, a)
    signer = govnet.validator_b  # its key lives only on the air-gapped machine
    store = KeyStore()
    local = store.recover("cold", signer.mnemonic)
    store.add_watch("cold-watch", local.address, local.pubkey)  # the online machine knows only the public key

    online = open_window(qtbot, [devnet_profile(govnet, "govnet")])
    connect_in_gui(qtbot, online, "govnet")
    gov = open_panel(qtbot, online, "Governance")
    qtbot.waitUntil(lambda: gov.account_combo.count() >= 2, timeout=WAIT)
    choose(qtbot, gov.account_combo, "cold-watch (watch-only)")
    qtbot.waitUntil(lambda: any(gov.table.view.model().index(r, 0).data() == str(proposal)
                                for r in range(gov.table.view.model().rowCount())), timeout=WAIT)
    click_table_row(qtbot, gov.table.view, 0, str(proposal))
    click(qtbot, gov.vote_button)  # "Yes" is the default option
    signing = online.page("signing")
    qtbot.waitUntil(lambda: online.stack.currentWidget() is signing, timeout=WAIT)
    qtbot.waitUntil(lambda: signing.requests.build_button.isEnabled()
                    and signing.requests.key_combo.currentText() == "cold-watch", timeout=WAIT)
    click(qtbot, signing.requests.build_button)
    qtbot.waitUntil(lambda: signing.files.state_label.text() == "UNSIGNED", timeout=WAIT)
    assert not signing.files.sign_button.isEnabled() or signing.files.key_combo.currentText() != "cold-watch"

    usb = tmp_path / "usb"
    usb.mkdir()
    file_dialogs.remember("signing", usb)
    request_path = usb / "vote-request.json"
    started_in = answer_file_dialog(qtbot, str(request_path))
    click(qtbot, signing.files.save_button)
    qtbot.waitUntil(lambda: request_path.is_file(), timeout=WAIT)
    assert started_in and Path(started_in[0]) == usb  # the dialog opened where the last file went

    offline = open_window(qtbot, [], offline=True)
    assert offline.offline_banner.isVisible()
    cold = open_panel(qtbot, offline, "Keys & Signing")
    tab_bar = cold.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton,
                     pos=tab_bar.tabRect(cold.tabs.indexOf(cold.files)).center())
    answer_file_dialog(qtbot, str(request_path))
    click(qtbot, cold.files.open_button)
    qtbot.waitUntil(lambda: cold.files.state_label.text() == "UNSIGNED", timeout=WAIT)
    assert "MsgVote" in cold.files.review_edit.toPlainText()
    qtbot.waitUntil(lambda: cold.files.key_combo.currentText() == "cold", timeout=WAIT)
    click(qtbot, cold.files.sign_button)
    answer_message_box(qtbot, QMessageBox.StandardButton.Yes)
    signed_path = usb / "vote-request.signed.json"
    qtbot.waitUntil(lambda: signed_path.is_file() and cold.files.state_label.text() == "SIGNED", timeout=WAIT)
    assert not cold.files.broadcast_button.isEnabled()  # offline: no network action
    offline.close()

    signing = open_panel(qtbot, online, "Keys & Signing")
    answer_file_dialog(qtbot, str(signed_path))
    click(qtbot, signing.files.open_button)
    qtbot.waitUntil(lambda: signing.files.state_label.text() == "SIGNED", timeout=WAIT)
    click(qtbot, signing.files.broadcast_button)
    qtbot.waitUntil(lambda: signing.files.state_label.text() == "BROADCAST" or signing.files.error_label.isVisible(),
                    timeout=90_000)
    assert signing.files.state_label.text() == "BROADCAST", signing.files.error_label.text()
    vote = govnet.query("gov", "vote", str(proposal), local.address)["vote"]
    assert [o["option"] for o in vote["options"]] == ["VOTE_OPTION_YES"]
    online.close()
