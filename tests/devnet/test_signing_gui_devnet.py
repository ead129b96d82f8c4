"""End to end on the real local provider, through the Keys & Signing panel only: the user's key recovered in the
GUI from its mnemonic, a request built in the GUI from handed-over messages (account data and simulated fee from
the node), saved, reopened as the air-gapped machine would, signed in the GUI, then broadcast from the GUI and
included with code 0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from ics_workbench.chain.connect import connect
from ics_workbench.chain.profiles import ConnectionProfile
from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
from ics_workbench.gui.panels.signing.panel import SigningPanel
from ics_workbench.proposals.handoff import SigningRequest
from ics_workbench.signing.offline_file import load, verify
from tests.gui.test_signing_panel import WAIT, recover, sign_confirmed


def test_request_sign_broadcast_in_the_gui(qtbot: QtBot, qapp: object, devnet: Any, tmp_path: Path) -> None:
    context = AppContext()
    profile = ConnectionProfile.parse({
        "name": "devnet", "chain_id": devnet.chain_id, "role": "provider", "rpc": [{"url": devnet.rpc_url}],
        "rest": [{"url": devnet.rest_url}], "fee_denom": devnet.denom, "gas_prices": "0.001"})
    connection = connect(profile)
    try:
        context.set_connection(ConnectionState("devnet", "provider", LinkState.CONNECTED, devnet.chain_id,
                                               connection=connection))
        panel = SigningPanel(context)
        qtbot.addWidget(panel)
        with qtbot.waitSignal(panel.sig_loaded, timeout=WAIT):
            panel.show()
        user = devnet.user
        assert recover(qtbot, panel, "devnet-user", user.mnemonic) == user.address

        context.request_signing(SigningRequest(signer=user.address, ics_version="v7.0.0", messages_json=[{
            "@type": "/cosmos.bank.v1beta1.MsgSend", "from_address": user.address,
            "to_address": devnet.validator_a.address, "amount": [{"denom": devnet.denom, "amount": "7"}]}]))
        assert panel.requests.key_combo.currentText() == "devnet-user"
        with qtbot.waitSignal(panel.requests.sig_request_built, timeout=60_000) as built:
            panel.requests.build_button.click()
        request = built.args[0]
        assert request.fee_provenance["simulated_gas"] > 0
        request_path = tmp_path / "send.json"
        panel.files.save_as(request_path)

        panel.files.open_file(request_path)  # the air-gapped side opens the carried file
        assert panel.files.state_label.text() == "UNSIGNED"
        sign_confirmed(qtbot, panel, "devnet-user")
        signed = load(tmp_path / "send.signed.json")
        verify(signed, load(request_path))
        assert panel.files.broadcast_button.isEnabled()

        with qtbot.waitSignal(panel.files.sig_broadcast_done, timeout=90_000) as done:
            panel.files.broadcast_button.click()
        result = done.args[0]
        assert result.code == 0 and result.height > 0, result.summary()
        assert panel.files.state_label.text() == "BROADCAST"
        included = devnet.http.get(f"{devnet.rest_url}/cosmos/tx/v1beta1/txs/{result.txhash}").json()
        assert included["tx_response"]["code"] == 0
    finally:
        assert context.runtime.shutdown(10_000)
        connection.close()
