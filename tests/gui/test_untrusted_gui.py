"""The GUI shows chain- and file-supplied text as plain, escaped text and its sign confirmation repeats every
message of the crafted (spoofed) request."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ics_workbench.gui.context import AppContext
from ics_workbench.gui.untrusted import plain_label, plain_tooltip
from ics_workbench.signing import keys
from ics_workbench.signing.keystore import KeyStore
from ics_workbench.signing.offline_file import request_from_gaiad_json
from ics_workbench.signing.tx import SignerSpec
from tests.gui.test_signing_panel import WAIT, make_panel, recover
from tests.security.test_review_spoof import OTHER, spoof_gaiad_json


def test_plain_helpers_never_render_html(qtbot: QtBot) -> None:
    label = plain_label("<b>x</b><img src=x>\x1b[2K")
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == "<b>x</b><img src=x>\\x1b[2K"
    assert plain_tooltip("<a href='x'>moniker</a>") == (
        "<p style='white-space:pre-wrap'>&lt;a href=&#x27;x&#x27;&gt;moniker&lt;/a&gt;</p>")


def test_sign_confirmation_repeats_every_message_and_labels_are_plain(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    panel = make_panel(qtbot, context)
    recover(qtbot, panel, "signer", keys.generate_mnemonic())
    record = KeyStore().get("signer")
    request = request_from_gaiad_json(spoof_gaiad_json(record.address),
                                      signer=SignerSpec(record.public_key_bytes, sequence=3), address=record.address,
                                      chain_id="<b>provider</b>", account_number=12)
    path = tmp_path / "spoof.json"
    request.save(path)
    with qtbot.waitSignal(panel.files.sig_file_opened, timeout=WAIT):
        panel.files.open_file(path)
    summary = panel.files.summary_label
    assert summary.textFormat() == Qt.TextFormat.PlainText and "<b>provider</b>" in summary.text()
    review = panel.files.review_edit.toPlainText()
    assert "Transaction with 3 message(s):" in review and "\x1b" not in review

    panel.files.key_combo.setCurrentText("signer")
    with qtbot.waitSignal(panel.files.sig_confirm_shown, timeout=WAIT) as shown:
        panel.files.sign_button.click()
    box: QMessageBox = shown.args[0]
    text = box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "3 message(s):" in text
    assert "  1. /cosmos.gov.v1.MsgVote\n  2. /cosmos.bank.v1beta1.MsgSend\n  3. /cosmos.gov.v1.MsgVote" in text
    assert f"Send 1000000000stake from {record.address} to {OTHER}" in text
    assert "\x1b" not in text and "\u202e" not in text
    box.button(QMessageBox.StandardButton.Cancel).click()
