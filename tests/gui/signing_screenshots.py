"""Screenshots of the Keys & Signing panel in the real main window (throwaway keys in a throwaway home).

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb .venv/bin/python -m tests.gui.signing_screenshots

Writes ``screenshots/signing-*.png``: keys list, the mnemonic-once dialog (a freshly generated THROWAWAY
mnemonic), a request under review before signing, the same file after signing, and the QR frame dialog.
The keyring is an in-memory one so nothing reaches the real OS keyring.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "screenshots"


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="ics-signing-shots-"))
    os.environ["ICS_WORKBENCH_HOME"] = str(home)
    import keyring

    from tests.conftest import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QMessageBox, QWidget

    from ics_workbench import addresses
    from ics_workbench.gui.app import create_application, create_main_window
    from ics_workbench.gui.panels.signing.panel import SigningPanel
    from ics_workbench.signing import keys
    from ics_workbench.signing.keystore import KeyStore
    from tests.signing.offline_helpers import vote_request

    app = create_application()
    window = create_main_window()
    window.resize(1280, 800)
    window.show()
    panel = window.show_panel("signing")
    assert isinstance(panel, SigningPanel)

    def wait(signal, ms: int = 20_000) -> list[object]:  # type: ignore[no-untyped-def]
        got: list[object] = []
        loop = QEventLoop()
        signal.connect(lambda *args: (got.extend(args), loop.quit()))
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        return got

    def settle(ms: int = 300) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shot(widget: QWidget, name: str) -> None:
        settle()
        widget.grab().save(str(OUT / name))
        print("saved", OUT / name)

    store = KeyStore()
    store.recover("validator-ops", keys.generate_mnemonic())
    store.recover("alice", keys.generate_mnemonic(), hd_path="m/44'/118'/0'/0/1")
    signer = store.get("validator-ops")
    store.add_watch("treasury-watch", addresses.convert_address(signer.address, "cosmos"), signer.pubkey)
    while len(panel.keys.model.rows) < 3:  # the panel's own first load may have run before the keys existed
        panel.keys.reload()
        wait(panel.sig_loaded)
    settle(800)  # let a load still in flight land before selecting
    panel.keys.select("alice")
    panel.keys.prefix_edit.setText("neutron")
    panel.keys.show_other_prefix()
    shot(window, "signing-keys.png")

    dialog = panel.keys.open_create_dialog()
    dialog.name_edit.setText("throwaway")
    dialog.submit()
    mnemonic_dialog = wait(panel.keys.sig_mnemonic_shown)[0]
    shot(mnemonic_dialog, "signing-mnemonic-once.png")  # type: ignore[arg-type]
    mnemonic_dialog.confirm_box.setChecked(True)  # type: ignore[attr-defined]
    mnemonic_dialog.accept()  # type: ignore[attr-defined]

    request = vote_request(signer.public_key_bytes, chain_id="cosmoshub-4", account_number=123456, sequence=42)
    path = home / "vote-request.json"
    request.save(path)
    panel.tabs.setCurrentWidget(panel.files)
    panel.files.open_file(path)
    panel.files.key_combo.setCurrentText("validator-ops")
    shot(window, "signing-review-unsigned.png")

    box = panel.files.ask_to_sign()
    assert box is not None
    shot(box, "signing-confirm.png")
    box.button(QMessageBox.StandardButton.Yes).click()
    wait(panel.files.sig_signed)
    shot(window, "signing-signed.png")

    panel.files.show_qr()
    qr = wait(panel.files.sig_qr_shown)[0]
    qr.resize(560, 640)
    qr.pause_button.setChecked(True)
    qr.show_frame(1)
    shot(qr, "signing-qr.png")
    qr.accept()

    # Online side against a local node (tests/gui/signing_node): a hand-off, then a rejected broadcast.
    from ics_workbench.chain.connect import connect_urls
    from ics_workbench.gui.context import ConnectionState, LinkState
    from ics_workbench.proposals.handoff import SigningRequest
    from tests.gui.signing_node import CHAIN_ID, SigningNode

    node = SigningNode()
    connection = connect_urls([node.url], [node.url], chain_id=CHAIN_ID)
    window.context.set_connection(ConnectionState("local node", "provider", LinkState.CONNECTED, CHAIN_ID,
                                                  connection=connection))
    window.context.request_signing(SigningRequest(signer=signer.address, ics_version="v7.0.1", messages_json=[
        {"@type": "/interchain_security.ccv.provider.v1.MsgOptIn", "consumer_id": "0",
         "provider_addr": addresses.convert_address(signer.address, "cosmosvaloper"), "signer": signer.address,
         "consumer_key": ""}]))
    shot(window, "signing-request-handoff.png")
    node.add_account(signer.address, 123456, 42)
    request = vote_request(signer.public_key_bytes, chain_id=CHAIN_ID, account_number=123456, sequence=42)
    request.save(home / "provider-vote.json")
    panel.tabs.setCurrentWidget(panel.files)
    panel.files.open_file(home / "provider-vote.json")
    box = panel.files.ask_to_sign()
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    wait(panel.files.sig_signed)
    node.check_code, node.check_log = 13, "insufficient fees; got: 5000stake required: 9000stake: insufficient fee"
    panel.files.broadcast()
    wait(panel.files.sig_failed)
    shot(window, "signing-broadcast-rejected.png")
    connection.close()
    node.close()
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
