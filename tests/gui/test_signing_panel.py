"""The Keys & Signing panel with a real AppContext, the in-memory keyring and real local HTTP nodes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ics_workbench import addresses
from ics_workbench.chain.connect import connect_urls
from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
from ics_workbench.gui.panels.signing.panel import SigningPanel
from ics_workbench.proposals.handoff import SigningRequest
from ics_workbench.signing import keys
from ics_workbench.signing.keystore import KeyStore
from ics_workbench.signing.offline_file import load, verify
from ics_workbench.signing.tx import MultisigSpec
from tests.gui.signing_node import CHAIN_ID, SigningNode
from tests.signing.offline_helpers import multisig_vote_request, vote_request

WAIT = 20_000


@pytest.fixture
def node() -> Iterator[SigningNode]:
    server = SigningNode()
    yield server
    server.close()


def make_panel(qtbot: QtBot, context: AppContext) -> SigningPanel:
    panel = SigningPanel(context)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.sig_loaded, timeout=WAIT):
        panel.show()
    return panel


def recover(qtbot: QtBot, panel: SigningPanel, name: str, phrase: str) -> str:
    """Recover through the dialog; returns the new key's address."""
    dialog = panel.keys.open_recover_dialog()
    dialog.name_edit.setText(name)
    dialog.mnemonic_edit.setPlainText(phrase)
    with qtbot.waitSignal(panel.keys.sig_key_added, timeout=WAIT):
        dialog.submit()
    qtbot.waitUntil(lambda: name in [r.name for r in panel.keys.model.rows], timeout=WAIT)  # the list reloaded
    return KeyStore().get(name).address


def connect_node(context: AppContext, node: SigningNode, name: str = "local node") -> None:
    connection = connect_urls([node.url], [node.url], chain_id=CHAIN_ID)
    context.set_connection(ConnectionState(name, "provider", LinkState.CONNECTED, CHAIN_ID, connection=connection))


def sign_confirmed(qtbot: QtBot, panel: SigningPanel, key: str) -> str:
    """Choose ``key``, read the confirmation, press Yes; returns the confirmation text."""
    panel.files.key_combo.setCurrentText(key)
    with qtbot.waitSignal(panel.files.sig_confirm_shown, timeout=WAIT) as shown:
        panel.files.sign_button.click()
    box: QMessageBox = shown.args[0]
    text = box.text()
    with qtbot.waitSignal(panel.files.sig_signed, timeout=WAIT):
        box.button(QMessageBox.StandardButton.Yes).click()
    return text


def all_files_text(home: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in home.rglob("*") if p.is_file())


# --- keys --------------------------------------------------------------------------------------------------


def test_create_key_shows_the_mnemonic_once_and_keeps_it_out_of_files(
    qtbot: QtBot, context: AppContext, app_home: Path
) -> None:
    panel = make_panel(qtbot, context)
    dialog = panel.keys.open_create_dialog()
    dialog.name_edit.setText("alice")
    with qtbot.waitSignal(panel.keys.sig_mnemonic_shown, timeout=WAIT) as shown, \
            qtbot.waitSignal(panel.sig_loaded, timeout=WAIT):
        dialog.submit()
    mnemonic_dialog = shown.args[0]
    words = mnemonic_dialog.words()
    assert len(words) == 24
    keys.normalize_mnemonic(" ".join(words))  # a valid BIP39 phrase
    assert not mnemonic_dialog.ok_button.isEnabled()
    mnemonic_dialog.reject()  # Escape before confirming does not close it
    assert mnemonic_dialog.isVisible()
    mnemonic_dialog.confirm_box.setChecked(True)
    mnemonic_dialog.ok_button.click()
    assert not mnemonic_dialog.isVisible()

    record = KeyStore().get("alice")
    assert [r.name for r in panel.keys.model.rows] == ["alice"]
    assert panel.keys.model.rows[0].address == record.address
    assert panel.files.key_combo.currentText() == "alice"
    text = all_files_text(app_home)
    assert record.address in text  # keys.json is there ...
    assert " ".join(words) not in text and " ".join(words[:3]) not in text  # ... but no mnemonic anywhere


def test_recover_shows_each_error_at_its_field(qtbot: QtBot, context: AppContext) -> None:
    panel = make_panel(qtbot, context)
    dialog = panel.keys.open_recover_dialog()
    dialog.name_edit.setText("bob")
    dialog.mnemonic_edit.setPlainText(" ".join(["abandon"] * 24))  # valid words, wrong checksum
    dialog.path_edit.setText("m/44'/118'/0'/0'/0")
    dialog.submit()
    assert "checksum" in dialog.field_error("mnemonic")
    assert "level 4 (change) must not be hardened" in dialog.field_error("hd_path")
    assert dialog.field_error("name") == ""
    assert dialog.isVisible()

    dialog.mnemonic_edit.setPlainText(" ".join(["abandon"] * 5 + ["abandonx"] + ["abandon"] * 18))
    dialog.path_edit.setText("m/44'/118'/0'/0/0")
    dialog.submit()
    assert "word 6 of 24 is not in the BIP39 English word list" in dialog.field_error("mnemonic")
    assert "abandonx" not in dialog.field_error("mnemonic")  # a misspelt word is still part of a secret
    assert dialog.field_error("hd_path") == ""
    assert KeyStore().list() == []


def test_watch_only_delete_and_other_prefix(qtbot: QtBot, context: AppContext) -> None:
    panel = make_panel(qtbot, context)
    phrase = keys.generate_mnemonic()
    address = recover(qtbot, panel, "carol", phrase)
    dialog = panel.keys.open_watch_dialog()
    dialog.name_edit.setText("treasury")
    dialog.address_edit.setText("cosmos1notanaddress")
    dialog.submit()
    assert "not a valid bech32 address" in dialog.field_error("address")
    dialog.address_edit.setText(address)
    with qtbot.waitSignal(panel.sig_loaded, timeout=WAIT):
        dialog.submit()
    assert [(r.name, r.kind) for r in panel.keys.model.rows] == [("carol", "local"), ("treasury", "watch")]
    assert [panel.files.key_combo.itemText(i) for i in range(panel.files.key_combo.count())] == ["carol"]

    panel.keys.select("carol")
    panel.keys.prefix_edit.setText("neutron")
    panel.keys.prefix_button.click()
    assert panel.keys.prefix_result.text() == addresses.convert_address(address, "neutron")
    panel.keys.prefix_edit.setText("Bad!")
    panel.keys.prefix_button.click()
    assert "invalid bech32 prefix" in panel.keys.prefix_result.text()

    panel.keys.select("treasury")
    panel.keys.confirm_delete()
    box = panel.keys.findChild(QMessageBox)
    assert "treasury" in box.text()
    with qtbot.waitSignal(panel.keys.sig_key_deleted, timeout=WAIT), qtbot.waitSignal(panel.sig_loaded, timeout=WAIT):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert [r.name for r in KeyStore().list()] == ["carol"]


# --- the offline round trip ----------------------------------------------------------------------------------


def test_review_sign_and_verify_a_request_made_by_the_core(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    panel = make_panel(qtbot, context)
    recover(qtbot, panel, "signer", keys.generate_mnemonic())
    record = KeyStore().get("signer")
    request = vote_request(record.public_key_bytes)
    request_path = tmp_path / "vote.json"
    request.save(request_path)

    recover(qtbot, panel, "aaa-unrelated", keys.generate_mnemonic())  # listed first
    with qtbot.waitSignal(panel.files.sig_file_opened, timeout=WAIT):
        panel.files.open_file(request_path)
    assert panel.files.key_combo.currentText() == "signer"  # the file's own key is preselected
    assert panel.files.state_label.text() == "UNSIGNED"
    assert panel.files.review_edit.toPlainText() == request.review_text()
    assert panel.files.hash_label.text() == f"Sign bytes SHA-256: {request.sign_bytes_sha256()}"
    assert not panel.files.broadcast_button.isEnabled()

    confirmation = sign_confirmed(qtbot, panel, "signer")
    for fact in (request.chain_id, request.address, "5000stake", request.sign_bytes_sha256()):
        assert fact in confirmation
    signed_path = tmp_path / "vote.signed.json"
    signed = load(signed_path)
    assert signed.state == "signed"
    assert any("matches the exported request" in f for f in verify(signed, request))
    assert panel.files.state_label.text() == "SIGNED"
    assert panel.files.hash_label.text() == f"Sign bytes SHA-256: {request.sign_bytes_sha256()}"
    assert load(request_path).state == "unsigned"  # the request stays as exported

    panel.files.request_edit.setText(str(request_path))
    with qtbot.waitSignal(panel.files.sig_verified, timeout=WAIT) as verified:
        panel.files.verify_button.click()
    assert any("matches the exported request" in f for f in verified.args[0])


def test_signing_with_a_key_that_is_not_the_files_signer_is_refused(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    panel = make_panel(qtbot, context)
    recover(qtbot, panel, "other", keys.generate_mnemonic())
    owner = keys.public_key_from_private(bytes.fromhex("1f" * 32))
    vote_request(owner).save(tmp_path / "vote.json")
    panel.files.open_file(tmp_path / "vote.json")
    with qtbot.waitSignal(panel.files.sig_failed, timeout=WAIT) as failed:
        panel.files.sign_button.click()
    assert "this file is for account" in failed.args[0] and "'other'" in failed.args[0]
    assert not (tmp_path / "vote.signed.json").exists()


def test_a_tampered_file_is_refused_with_the_reason(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    panel = make_panel(qtbot, context)
    doc = vote_request(keys.public_key_from_private(bytes.fromhex("1f" * 32))).to_json()
    doc["chain_id"] = "another-chain"
    (tmp_path / "edited.json").write_text(json.dumps(doc))
    with qtbot.waitSignal(panel.files.sig_failed, timeout=WAIT) as failed:
        panel.files.open_file(tmp_path / "edited.json")
    assert "does not match what the file's bytes say" in failed.args[0]
    assert panel.files.state_label.text() == "NO FILE"


def test_multisig_partial_signatures_then_combine(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    panel = make_panel(qtbot, context)
    recover(qtbot, panel, "m1", keys.generate_mnemonic())
    recover(qtbot, panel, "m2", keys.generate_mnemonic())
    store = KeyStore()
    spec = MultisigSpec(2, (store.get("m1").public_key_bytes, store.get("m2").public_key_bytes))
    request = multisig_vote_request(spec)
    request.save(tmp_path / "multi.json")
    panel.files.open_file(tmp_path / "multi.json")
    assert not panel.files.combine_button.isEnabled()

    assert panel.files.key_combo.currentText() == "m1"  # a member that has not signed yet is preselected
    sign_confirmed(qtbot, panel, "m1")
    assert panel.files.state_label.text() == "PARTIALLY SIGNED"
    assert panel.files.key_combo.currentText() == "m2"
    assert not panel.files.combine_button.isEnabled()  # 1 of threshold 2
    sign_confirmed(qtbot, panel, "m2")
    assert len(panel.files.file.partial_signatures) == 2
    assert panel.files.combine_button.isEnabled()
    panel.files.combine_button.click()
    assert panel.files.state_label.text() == "SIGNED"
    combined = load(tmp_path / "multi.signed.json")
    assert combined.state == "signed"
    verify(combined, request)


def test_qr_dialog_cycles_through_numbered_frames(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    from ics_workbench.signing.qr import QrAssembler

    panel = make_panel(qtbot, context)
    request = vote_request(keys.public_key_from_private(bytes.fromhex("1f" * 32)))
    request.save(tmp_path / "big.json")
    panel.files.open_file(tmp_path / "big.json")
    with qtbot.waitSignal(panel.files.sig_qr_shown, timeout=WAIT) as opened:
        panel.files.show_qr()
    dialog = opened.args[0]
    assert len(dialog.frames) > 1
    count = len(dialog.frames)
    assert dialog.counter.text() == f"frame 1/{count}"
    with qtbot.waitSignal(dialog.sig_frame_shown, timeout=WAIT) as shown:
        pass
    assert shown.args == [2, count]
    assembler = QrAssembler()
    for frame in dialog.frames:
        assembler.add(frame.text())
    assert assembler.payload() == (tmp_path / "big.json").read_bytes()
    dialog.accept()


def test_online_mode_hides_the_offline_note(qtbot: QtBot, context: AppContext) -> None:
    panel = make_panel(qtbot, context)
    assert not panel.files.offline_note.isVisibleTo(panel.files)
    assert not panel.requests.build_button.isEnabled()  # no connected chain yet
    assert "connect a chain" in panel.requests.chain_combo.currentText()


# --- online: requests and broadcast ------------------------------------------------------------------------------


def test_request_from_handed_over_messages_uses_account_and_simulated_fee(
    qtbot: QtBot, context: AppContext, node: SigningNode
) -> None:
    panel = make_panel(qtbot, context)
    record = KeyStore().add_watch("watched", addresses.encode_address(
        addresses.address_bytes_from_public_key(keys.public_key_from_private(bytes.fromhex("1f" * 32))), "cosmos"),
        None)
    with qtbot.waitSignal(panel.sig_loaded, timeout=WAIT):
        panel.keys.reload()
    node.add_account(record.address, 17, 4)
    connect_node(context, node)
    handoff = SigningRequest(signer=record.address, ics_version="v7.0.1", messages_json=[
        {"@type": "/cosmos.gov.v1.MsgVote", "proposal_id": "5", "voter": record.address, "option": "VOTE_OPTION_YES",
         "metadata": ""}])
    context.request_signing(handoff)
    assert panel.tabs.currentWidget() is panel.requests
    assert panel.requests.key_combo.currentText() == "watched"
    with qtbot.waitSignal(panel.requests.sig_failed, timeout=WAIT) as failed:
        panel.requests.build_button.click()
    assert "public key of" in failed.args[0] and "unknown" in failed.args[0]  # watch-only without pubkey

    pubkey = keys.public_key_from_private(bytes.fromhex("1f" * 32))
    node.accounts[record.address]["pub_key"] = {"@type": "/cosmos.crypto.secp256k1.PubKey",
                                                "key": __import__("base64").b64encode(pubkey).decode()}
    with qtbot.waitSignal(panel.requests.sig_request_built, timeout=WAIT) as built:
        panel.requests.build_button.click()
    file = built.args[0]
    assert (file.chain_id, file.account_number, file.sequence, file.state) == (CHAIN_ID, 17, 4, "unsigned")
    fee = file.unsigned.auth_info.fee
    assert fee.gas_limit == -(-node.simulated_gas * 13 // 10)  # ceil(simulated x 1.3)
    assert file.fee_provenance["simulated_gas"] == node.simulated_gas
    # No fee denom in the profile: the node's minimum gas price prices the fee (never a default denom).
    assert file.fee_provenance["gas_price"] == "0.005uatom"
    assert "node minimum gas price" in file.fee_provenance["gas_price_source"]
    assert fee.amount[0].denom == "uatom" and int(fee.amount[0].amount) == -(-fee.gas_limit * 5 // 1000)
    assert panel.files.file is file and panel.files.state_label.text() == "UNSIGNED"
    assert "MsgVote" in panel.files.review_edit.toPlainText()


def test_request_from_gaiad_json(qtbot: QtBot, context: AppContext, node: SigningNode, tmp_path: Path) -> None:
    panel = make_panel(qtbot, context)
    address = recover(qtbot, panel, "dave", keys.generate_mnemonic())
    node.add_account(address, 9, 0)
    connect_node(context, node)
    source = vote_request(KeyStore().get("dave").public_key_bytes).gaiad_json()
    source["auth_info"]["signer_infos"] = []  # what --generate-only prints
    (tmp_path / "unsigned.json").write_text(json.dumps(source))
    panel.requests.file_edit.setText(str(tmp_path / "unsigned.json"))
    with qtbot.waitSignal(panel.requests.sig_request_built, timeout=WAIT) as built:
        panel.requests.build_button.click()
    file = built.args[0]
    assert (file.address, file.account_number, file.sequence) == (address, 9, 0)
    assert file.unsigned.body_bytes == vote_request(KeyStore().get("dave").public_key_bytes).unsigned.body_bytes


def signed_request(qtbot: QtBot, panel: SigningPanel, node: SigningNode, tmp_path: Path) -> Path:
    address = recover(qtbot, panel, "eve", keys.generate_mnemonic())
    node.add_account(address, 12, 3)
    vote_request(KeyStore().get("eve").public_key_bytes, chain_id=CHAIN_ID).save(tmp_path / "vote.json")
    panel.files.open_file(tmp_path / "vote.json")
    sign_confirmed(qtbot, panel, "eve")
    return tmp_path / "vote.signed.json"


def test_rejected_broadcast_keeps_the_signed_file_and_says_where(
    qtbot: QtBot, context: AppContext, node: SigningNode, tmp_path: Path, app_home: Path
) -> None:
    panel = make_panel(qtbot, context)
    signed_path = signed_request(qtbot, panel, node, tmp_path)
    connect_node(context, node)
    assert panel.files.broadcast_button.isEnabled()
    node.check_code, node.check_log = 13, "insufficient fee"
    with qtbot.waitSignal(panel.files.sig_failed, timeout=WAIT) as failed:
        panel.files.broadcast_button.click()
    message = failed.args[0]
    kept = panel.files.kept_at
    assert kept is not None and kept.is_file() and kept.is_relative_to(app_home)
    assert "code 13" in message and "insufficient fee" in message and str(kept) in message
    assert load(kept).tx_bytes == load(signed_path).tx_bytes
    assert panel.files.error_label.text() == message
    assert load(signed_path).state == "signed"  # not marked broadcast
    assert panel.files.broadcast_button.isEnabled()  # can try again


def test_broadcast_tracks_until_included(
    qtbot: QtBot, context: AppContext, node: SigningNode, tmp_path: Path
) -> None:
    panel = make_panel(qtbot, context)
    signed_path = signed_request(qtbot, panel, node, tmp_path)
    connect_node(context, node)
    with qtbot.waitSignal(panel.files.sig_broadcast_done, timeout=WAIT) as done:
        panel.files.broadcast_button.click()
    result = done.args[0]
    assert result.code == 0 and result.height == node.height
    assert panel.files.state_label.text() == "BROADCAST"
    assert (
        f"height {node.height}" in panel.files.result_label.text() and result.txhash in panel.files.result_label.text()
    )
    on_disk = load(signed_path)
    assert on_disk.state == "broadcast" and on_disk.broadcast["txhash"] == result.txhash


def test_offline_mode_disables_every_network_action(
    qtbot: QtBot, node: SigningNode, tmp_path: Path, qapp: object
) -> None:
    context = AppContext(offline=True)
    try:
        panel = make_panel(qtbot, context)
        connect_node(context, node)  # even a live connection is not offered
        signed_request(qtbot, panel, node, tmp_path)
        assert panel.files.state_label.text() == "SIGNED"  # signing works offline
        assert not panel.files.broadcast_button.isEnabled()
        assert not panel.files.chain_combo.isEnabled()
        assert not panel.requests.build_button.isEnabled()
        assert panel.files.offline_note.isVisibleTo(panel.files)
        assert panel.requests.offline_note.isVisibleTo(panel.requests)
        assert "Offline mode: network actions" in panel.files.offline_note.text()
    finally:
        assert context.runtime.shutdown(10_000)


def test_keyring_unavailable_is_explained_and_nothing_is_written(
    qtbot: QtBot, context: AppContext, app_home: Path
) -> None:
    import keyring
    from keyring.backends import fail

    panel = make_panel(qtbot, context)
    keyring.set_keyring(fail.Keyring())  # the memory_keyring fixture restores the previous backend
    dialog = panel.keys.open_create_dialog()
    dialog.name_edit.setText("alice")
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.general_error.isHidden(), timeout=WAIT)
    message = dialog.general_error.text()
    assert message.startswith("Keyring unavailable: no usable OS keyring (backend keyring.backends.fail.Keyring)")
    assert "gnome-keyring" in message and "Nothing was written anywhere else" in message
    assert dialog.isVisible() and dialog.buttons.isEnabled()  # the user can fix the keyring and retry
    assert KeyStore().list() == [] and not list(app_home.rglob("keys.json"))


def test_the_mnemonic_reaches_neither_clipboard_nor_log_unless_copied(
    qtbot: QtBot, context: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from PySide6.QtGui import QGuiApplication

    caplog.set_level(logging.DEBUG)
    QGuiApplication.clipboard().setText("before")
    panel = make_panel(qtbot, context)
    dialog = panel.keys.open_create_dialog()
    dialog.name_edit.setText("frank")
    with qtbot.waitSignal(panel.keys.sig_mnemonic_shown, timeout=WAIT) as shown:
        dialog.submit()
    mnemonic_dialog = shown.args[0]
    phrase = " ".join(mnemonic_dialog.words())
    assert QGuiApplication.clipboard().text() == "before"
    recovered = keys.generate_mnemonic()
    recover(qtbot, panel, "grace", recovered)
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert "frank" in logged and "grace" in logged  # the key operations were logged ...
    for secret in (phrase, recovered):
        assert " ".join(secret.split()[:2]) not in logged  # ... without their words
    mnemonic_dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == phrase
    QGuiApplication.clipboard().clear()
    mnemonic_dialog.confirm_box.setChecked(True)
    mnemonic_dialog.accept()


def test_qr_frames_carry_a_signed_file_back_across_the_air_gap(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    panel = make_panel(qtbot, context)
    recover(qtbot, panel, "henry", keys.generate_mnemonic())
    request = vote_request(KeyStore().get("henry").public_key_bytes)
    request.save(tmp_path / "vote.json")
    panel.files.open_file(tmp_path / "vote.json")
    sign_confirmed(qtbot, panel, "henry")
    with qtbot.waitSignal(panel.files.sig_qr_shown, timeout=WAIT) as opened:
        panel.files.show_qr()
    dialog = opened.args[0]
    frames = dialog.save_frames(tmp_path / "frames")
    dialog.accept()
    assert len(frames) > 1

    other = SigningPanel(context)  # the online machine
    qtbot.addWidget(other)
    with qtbot.waitSignal(other.files.sig_file_opened, timeout=WAIT) as opened:
        other.files.import_qr_images(list(reversed(frames)) + frames[:1], tmp_path / "from-qr.json")
    assert opened.args == ["signed"]
    assert (tmp_path / "from-qr.json").read_bytes() == (tmp_path / "vote.signed.json").read_bytes()
    assert other.files.hash_label.text() == f"Sign bytes SHA-256: {request.sign_bytes_sha256()}"
    verify(load(tmp_path / "from-qr.json"), request)

    with qtbot.waitSignal(other.files.sig_failed, timeout=WAIT) as failed:
        other.files.import_qr_images(frames[1:], tmp_path / "partial.json")
    assert "QR frames are missing: 1" in failed.args[0]
    assert not (tmp_path / "partial.json").exists()


def test_a_ready_offline_file_handed_over_opens_for_review(qtbot: QtBot, context: AppContext) -> None:
    request = vote_request(keys.public_key_from_private(bytes.fromhex("1f" * 32)))
    context.request_signing(request)  # before the panel exists: it picks the request up when built
    panel = make_panel(qtbot, context)
    assert panel.tabs.currentWidget() is panel.files
    assert panel.files.file is request and panel.files.state_label.text() == "UNSIGNED"
    assert context.pending_signing_request is None


def test_verify_refuses_a_signed_file_that_does_not_match_the_exported_request(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    panel = make_panel(qtbot, context)
    recover(qtbot, panel, "ivy", keys.generate_mnemonic())
    pubkey = KeyStore().get("ivy").public_key_bytes
    vote_request(pubkey).save(tmp_path / "vote.json")
    vote_request(pubkey, memo="a different request").save(tmp_path / "other.json")
    panel.files.open_file(tmp_path / "vote.json")
    sign_confirmed(qtbot, panel, "ivy")
    panel.files.request_edit.setText(str(tmp_path / "other.json"))
    with qtbot.waitSignal(panel.files.sig_failed, timeout=WAIT) as failed:
        panel.files.verify_button.click()
    assert failed.args[0].startswith("the signed file no longer matches the unsigned one")
    assert "memo" in failed.args[0]


# --- key details and dialog behaviour -------------------------------------------------------------------------


def test_key_details_show_and_copy_the_public_key(qtbot: QtBot, context: AppContext) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    panel = make_panel(qtbot, context)
    address = recover(qtbot, panel, "erin", keys.generate_mnemonic())
    panel.keys.select("erin")
    record = KeyStore().get("erin")
    details = panel.keys.details
    assert details.values["address"].text() == address
    assert details.values["pubkey"].text() == record.pubkey and len(record.public_key_bytes or b"") == 33
    assert details.values["hd_path"].text() == "m/44'/118'/0'/0/0"
    qtbot.mouseClick(details.copy_buttons["pubkey"], Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == record.pubkey


def test_key_dialogs_focus_the_first_field_and_never_press_ok_on_enter(qtbot: QtBot, context: AppContext) -> None:
    from PySide6.QtCore import Qt

    panel = make_panel(qtbot, context)
    for opener in (panel.keys.open_create_dialog, panel.keys.open_recover_dialog, panel.keys.open_watch_dialog):
        dialog = opener()
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(lambda d=dialog: d.focusWidget() is d.name_edit, timeout=5_000)
        assert all(not b.isDefault() and not b.autoDefault() for b in dialog.buttons.buttons())
        qtbot.keyClicks(dialog.name_edit, "x")
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
        assert dialog.isVisible()  # Enter did not submit
        dialog.reject()


def test_recover_dialog_asks_for_the_phrase_second_and_never_echoes_it(qtbot: QtBot, context: AppContext) -> None:
    from PySide6.QtCore import Qt

    panel = make_panel(qtbot, context)
    dialog = panel.keys.open_recover_dialog()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name_edit, "frank")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.mnemonic_edit
    shown_for: dict[str, str] = {}
    for _ in range(5):
        phrase = keys.generate_mnemonic()
        dialog.path_edit.setText(phrase)  # the reported accident: the words ended up in the HD-path box
        dialog.submit()
        assert dialog.field_error("hd_path") and "recovery phrase" in dialog.field_error("hd_path")
        shown_for[phrase] = dialog.field_error("hd_path") + "\n" + dialog.field_error("mnemonic")
    # Nothing shown depends on the words typed (a fixed message may still contain an English word that happens
    # to be a BIP39 word, such as "field", so a word-by-word check would fail at random).
    assert len(set(shown_for.values())) == 1
    for phrase, shown in shown_for.items():
        words = phrase.split()
        assert not any(f"{a} {b}" in shown for a, b in zip(words, words[1:], strict=False))
    dialog.reject()


def test_watch_dialog_fields_are_usably_wide(qtbot: QtBot, context: AppContext) -> None:
    panel = make_panel(qtbot, context)
    dialog = panel.keys.open_watch_dialog()
    qtbot.waitExposed(dialog)
    for edit in (dialog.name_edit, dialog.address_edit, dialog.pubkey_edit):
        assert edit.width() >= 300 and edit.height() >= 18
    dialog.reject()


def test_copied_mnemonic_is_cleared_from_the_clipboard(qtbot: QtBot, qapp: object) -> None:
    from PySide6.QtGui import QGuiApplication

    from ics_workbench.gui.panels.signing.key_dialogs import copy_secret

    copy_secret("alpha beta gamma", clear_after_ms=50)
    assert QGuiApplication.clipboard().text() == "alpha beta gamma"
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=5_000)
    copy_secret("one two three", clear_after_ms=50)
    QGuiApplication.clipboard().setText("something the user copied later")
    qtbot.wait(150)
    assert QGuiApplication.clipboard().text() == "something the user copied later"
