"""The whole user path in the GUI on a live consumer: a double vote by validator B's assigned key is committed
in a consumer block (handed to the consumer node with CometBFT's broadcast_evidence, which checks it against
the block and the validator set before the proposer includes it), and a second one a few blocks later that the
consumer app ignores (B is tombstoned there by then: no slash event, so block_search cannot see it); the
Evidence panel's search ("auto": the exhaustive header scan) finds both on the consumer's RPC, the Evidence tab verifies
it with the consumer's validator set and pre-checks it against
the provider, "Sign and submit" hands MsgSubmitConsumerDoubleVoting to Keys & Signing, where the user's key
signs it and the GUI broadcasts it; the provider tombstones B.

Set EVIDENCE_SCREENSHOTS=<dir> to save the screenshots of the search, the pre-check and the broadcast."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
from pytestqt.qtbot import QtBot

from ics_workbench.chain.connect import connect, connect_urls
from ics_workbench.chain.profiles import ConnectionProfile
from ics_workbench.cli import main
from ics_workbench.devnet.consumer import ConsumerNode
from ics_workbench.evidence.model import DuplicateVoteEvidence
from ics_workbench.evidence.parse import pair_votes
from ics_workbench.evidence.signbytes import vote_sign_bytes
from ics_workbench.foundation.times import parse_rfc3339
from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
from ics_workbench.gui.main_window import MainWindow
from tests.devnet.test_evidence_devnet import signed_prevote
from tests.evidence.factory import evidence_to_rpc_json
from tests.gui.test_signing_panel import WAIT, recover, sign_confirmed


def _commit_double_vote(node: ConsumerNode, key: Any) -> int:
    """B's assigned key double votes at a past height; returns the height of the block that commits it."""
    height = node.height() - 1
    header = node.rpc("commit", height=height)["signed_header"]["header"]
    validators = node.rpc("validators", height=height)["validators"]
    index = next(i for i, v in enumerate(validators) if v["address"] == key.address.hex().upper())
    votes = [replace(signed_prevote(key, node.chain_id, height, fill, 7 + fill), validator_index=index, signature=b"")
             for fill in (0x21, 0x42)]
    votes = [replace(v, signature=key.sign(vote_sign_bytes(node.chain_id, v))) for v in votes]
    paired = pair_votes(*votes)
    evidence = DuplicateVoteEvidence(paired.vote_a, paired.vote_b,
                                     total_voting_power=sum(int(v["voting_power"]) for v in validators),
                                     validator_power=int(validators[index]["voting_power"]),
                                     timestamp=parse_rfc3339(header["time"]))
    answer = httpx.post(node.rpc_url, json={"jsonrpc": "2.0", "id": 1, "method": "broadcast_evidence",
                                            "params": {"evidence": evidence_to_rpc_json(evidence)}}, timeout=10).json()
    assert "error" not in answer, answer

    def committed() -> int | None:
        top = node.height()
        for h in range(height + 1, top + 1):
            if node.rpc("block", height=h)["block"]["evidence"]["evidence"]:
                return h
        return None

    return node.wait_for(committed, "the block that commits the double vote", 60)


def _shot(widget: Any, name: str) -> None:
    directory = os.environ.get("EVIDENCE_SCREENSHOTS")
    if directory:
        widget.window().grab().save(str(Path(directory) / name))


def test_gui_search_finds_the_committed_double_vote_and_the_submit_tombstones_b(
    qtbot: QtBot, qapp: object, devnet_factory: Any, devnet_consumer_binary: Path, capsys: Any
) -> None:
    chain = devnet_factory()
    consumer = chain.seeded.opt_in
    b = chain.validator_b
    context = AppContext()
    profile = ConnectionProfile.parse({
        "name": "devnet", "chain_id": chain.chain_id, "role": "provider", "rpc": [{"url": chain.rpc_url}],
        "rest": [{"url": chain.rest_url}], "fee_denom": chain.denom, "gas_prices": "0.001"})
    with ConsumerNode(chain, consumer.consumer_id, binary=devnet_consumer_binary) as node, \
            connect(profile) as provider_conn, \
            connect_urls([node.rpc_url], [node.rest_url], chain_id=node.chain_id) as consumer_conn:
        node.wait_blocks(3)
        block = _commit_double_vote(node, chain.seeded.assigned_key)
        node.wait_blocks(2)
        # B again: committed by CometBFT, but the consumer's x/evidence ignores a validator it already
        # tombstoned, so no slash event marks this block.
        again = _commit_double_vote(node, chain.seeded.assigned_key)
        try:
            context.set_connection(ConnectionState("devnet", "provider", LinkState.CONNECTED, chain.chain_id,
                                                   connection=provider_conn))
            context.set_connection(ConnectionState("consumer-1", "consumer", LinkState.CONNECTED, node.chain_id,
                                                   connection=consumer_conn))
            window = MainWindow(context)
            qtbot.addWidget(window)
            window.resize(1280, 720)
            window.show()
            panel = window.show_panel("evidence")
            panel.provider_combo.setCurrentText("devnet")

            # Search the consumer's whole history with the fastest strategy its node allows.
            search = panel.search
            panel.tabs.setCurrentWidget(search)
            search.chain_combo.setCurrentText("consumer-1")
            search.from_spin.setValue(1)
            with qtbot.waitSignal(search.sig_finished, timeout=60_000) as finished:
                search.search_button.click()
            summary = finished.args[0]
            # The devnet node indexes block events (kv), yet auto runs the exhaustive header scan and says why.
            assert summary.strategy.value == "headers", summary.reason
            assert "block_search finds only evidence the chain punished" in search.status_label.text()
            rows = search.model.rows
            assert [r.block for r in rows] == [block, again]
            assert {r.validator for r in rows} == {chain.seeded.assigned_key.address.hex().upper()}
            search.table.view.selectRow(0)
            _shot(window, "evidence-search-live-consumer.png")

            # The real node agrees with every strategy: the header scan fetches exactly the one block whose
            # evidence_hash is not the empty hash (so that hash is what CometBFT writes), per block fetches all.
            found = {}
            for strategy in ("block_search", "headers", "blocks"):
                capsys.readouterr()
                assert main(["evidence", "scan", "--rpc", node.rpc_url, "--from", "1", "--to", str(summary.end),
                             "--strategy", strategy, "--json"]) == 0
                found[strategy] = json.loads(capsys.readouterr().out)
            assert found["headers"]["evidence"] == found["blocks"]["evidence"]
            assert len(found["headers"]["evidence"]) == 2
            # block_search sees only the punished one: what auto must not rely on.
            assert found["block_search"]["evidence"] == found["headers"]["evidence"][:1]
            assert found["headers"]["summary"]["requests"] == -(-summary.end // 20) + 2  # + the two blocks
            assert found["headers"]["summary"]["blocks_fetched"] == 2
            assert found["blocks"]["summary"]["requests"] == summary.end

            # Verify with the consumer's validator set, map to B, pre-check on the provider.
            with qtbot.waitSignal(panel.sig_prepared, timeout=60_000) as prepared:
                search.verify_button.click()
            submission = prepared.args[0]
            assert [r.verdict for r in panel.evidence_model.rows] == ["valid"]
            assert submission.ready, submission.blockers()
            assert submission.mapping.provider_address == b.valcons and submission.mapping.key_assigned

            # Keys & Signing: the user's key, the handed-over message, sign, broadcast from the GUI.
            signing = window.show_panel("signing")
            assert recover(qtbot, signing, "devnet-user", chain.user.mnemonic) == chain.user.address
            window.show_panel("evidence")
            panel.submitter_combo.setCurrentText(chain.user.address)
            qtbot.waitUntil(lambda: panel.submit_button.isEnabled(), timeout=WAIT)
            _shot(window, "evidence-precheck-live-consumer.png")
            panel.submit_button.click()
            qtbot.waitUntil(lambda: window.stack.currentWidget() is signing, timeout=WAIT)
            signing.requests.key_combo.setCurrentText("devnet-user")
            with qtbot.waitSignal(signing.requests.sig_request_built, timeout=60_000):
                signing.requests.build_button.click()
            sign_confirmed(qtbot, signing, "devnet-user")
            with qtbot.waitSignal(signing.files.sig_broadcast_done, timeout=90_000) as done:
                signing.files.broadcast_button.click()
            result = done.args[0]
            assert result.code == 0 and result.height > 0, result.summary()
            assert (
                "included" in signing.files.result_label.text().lower()
                and result.txhash in signing.files.result_label.text()
            )
            qtbot.wait(300)  # one layout pass: the result line was empty (zero height) until now
            _shot(window, "evidence-submit-succeeded.png")
        finally:
            assert context.runtime.shutdown(10_000)

    info = chain.query("slashing", "signing-info", b.valcons)
    info = info.get("val_signing_info", info)
    assert info["tombstoned"] is True
