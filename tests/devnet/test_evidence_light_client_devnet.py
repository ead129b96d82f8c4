"""A real light-client attack on a live consumer, accepted by the real provider.

The opt-in consumer of a fresh devnet runs twice: a node from the provider's consumer genesis and a fork of
it (same genesis file, same validator key A, not peered). Both commit their own block at every height from
2 on, each signed by A. The app finds the fork from the two RPCs, builds the IBC Misbehaviour against the
consensus state the provider's client of the consumer got at launch (no relayer), verifies it, signs
MsgSubmitConsumerMisbehaviour with its own engine and broadcasts it; the provider slashes, jails and
tombstones A (the consumer's double-sign infraction parameters: ICS defaults).

The chain and both consumer nodes are shared by the module (fixture ``forked_consumer``). The GUI test runs
first and changes nothing: its prepared message is judged by the provider's simulation; the last test
broadcasts and tombstones A (the provider then halts: A holds more than 2/3 of its power).

Set EVIDENCE_SCREENSHOTS=<dir> to save the Fork tab with the detected fork."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ics_workbench.chain.connect import connect, connect_urls
from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.chain.profiles import ConnectionProfile
from ics_workbench.cli import main
from ics_workbench.devnet.consumer import ConsumerNode
from ics_workbench.devnet.node import Devnet
from ics_workbench.evidence.fork import build_misbehaviour, find_fork, misbehaviour_json, misbehaviour_message
from ics_workbench.evidence.light_client import verify_light_client_item
from ics_workbench.evidence.messages import MISBEHAVIOUR_TYPE_URL
from ics_workbench.evidence.provider_side import client_consensus_heights
from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
from ics_workbench.gui.main_window import MainWindow
from ics_workbench.proto import registry
from ics_workbench.signing import fees
from ics_workbench.signing.tx import SignerSpec, SignMode
from tests.devnet.gui_driver import click, type_into
from tests.devnet.test_signing_devnet import sign_and_broadcast, signer_data_for, signer_for

Forked = tuple[Devnet, ConsumerNode, ConsumerNode]


@pytest.fixture(scope="module")
def forked_consumer(devnet_binary: Path, devnet_consumer_binary: Path) -> Iterator[Forked]:
    """A fresh seeded provider, its opt-in consumer's node and an unpeered fork of it, both at height >= 3."""
    chain = Devnet(binary=devnet_binary)
    try:
        chain.start()
        chain.seed()
        with ConsumerNode(chain, chain.seeded.opt_in.consumer_id, binary=devnet_consumer_binary) as node, \
                node.fork() as forked:
            node.wait_blocks(3)
            forked.wait_for(lambda: forked.height() >= 3 or None, "the fork's height 3", 60)
            yield chain, node, forked
    finally:
        chain.stop()


def _block_hash(node: ConsumerNode, height: int) -> str:
    return str(node.rpc("commit", height=height)["signed_header"]["commit"]["block_id"]["hash"]).upper()


def test_gui_fork_tab_detects_the_fork_and_prepares_what_the_provider_accepts(
    qtbot: QtBot, qapp: object, forked_consumer: Forked, tmp_path: Path
) -> None:
    chain, node, forked = forked_consumer
    a = chain.validator_a
    context = AppContext()
    profile = ConnectionProfile.parse({
        "name": "devnet", "chain_id": chain.chain_id, "role": "provider", "rpc": [{"url": chain.rpc_url}],
        "rest": [{"url": chain.rest_url}], "fee_denom": chain.denom, "gas_prices": "0.001"})
    requests: list[Any] = []
    context.sig_sign_requested.connect(requests.append)
    with connect(profile) as provider_conn, \
            connect_urls([node.rpc_url], [node.rest_url], chain_id=node.chain_id) as consumer_conn:
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
            tab = panel.fork
            bar = panel.tabs.tabBar()
            index = panel.tabs.indexOf(tab)
            qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
            assert panel.tabs.currentWidget() is tab
            assert tab.rpc_a_combo.findText(node.rpc_url) >= 0  # the connected consumer's RPC is offered

            line = tab.rpc_a_combo.lineEdit()
            assert line is not None
            type_into(qtbot, line, node.rpc_url)
            type_into(qtbot, tab.rpc_b_edit, forked.rpc_url)
            with qtbot.waitSignal(tab.sig_detected, timeout=60_000) as detected:
                click(qtbot, tab.detect_button)
            finding = detected.args[0]

            # The nodes themselves say where they part: same block below, different blocks at the fork height.
            assert finding is not None and finding.fork.chain_id == node.chain_id
            height = finding.fork.height
            assert _block_hash(node, height - 1) == _block_hash(forked, height - 1)
            assert _block_hash(node, height) != _block_hash(forked, height)
            rows = {r.field: r for r in tab.header_model.rows}
            assert (rows["block hash"].first, rows["block hash"].second) == (_block_hash(node, height),
                                                                              _block_hash(forked, height))
            assert rows["height"].first == rows["height"].second == str(height)
            checks = {c.name: c for c in tab.checks_model.rows}
            assert all(c.ok for c in checks.values()), [(c.name, c.detail) for c in checks.values()]
            assert a.consensus_key.address.hex().upper() in checks["validators that signed both"].detail
            assert "LIGHT-CLIENT ATTACK" in tab.verdict_label.text()
            assert f"at height {height}" in tab.status_label.text()

            tab.provider_combo.setCurrentText("devnet")
            submitter = tab.submitter_combo.lineEdit()
            assert submitter is not None
            type_into(qtbot, submitter, chain.user.address)
            with qtbot.waitSignal(tab.sig_prepared, timeout=60_000) as prepared:
                click(qtbot, tab.prepare_button)
            submission = prepared.args[0]
            assert submission.ready and submission.consumer.consumer_id == chain.seeded.opt_in.consumer_id
            qtbot.waitUntil(tab.submit_button.isEnabled, timeout=10_000)
            shots = os.environ.get("EVIDENCE_SCREENSHOTS")
            if shots:
                window.grab().save(str(Path(shots) / "evidence-fork-detected.png"))
            tab.save_files(tmp_path)  # what `tx provider submit-consumer-misbehaviour` takes
            saved = json.loads((tmp_path / "misbehaviour.json").read_text())
            assert verify_light_client_item(saved, node.chain_id).valid
            assert json.loads((tmp_path / "msg_submit_consumer_misbehaviour.json").read_text())["submitter"] == (
                chain.user.address)
            click(qtbot, tab.submit_button)
            qtbot.waitUntil(lambda: bool(requests), timeout=10_000)
        finally:
            assert context.runtime.shutdown(10_000)

    # The provider judges the handed-over message: its simulation runs the whole misbehaviour handler.
    [request] = requests
    [msg] = request.protobuf_messages()
    assert registry.type_url_of(msg) == MISBEHAVIOUR_TYPE_URL and msg.submitter == chain.user.address
    key, data = signer_for(chain.user), signer_data_for(chain, chain.user.address)
    spec = [SignerSpec(key.public_key(), data.sequence, SignMode.DIRECT)]
    assert fees.simulate(chain.rest_url, fees.simulation_tx_bytes([msg], spec, fee_denom=chain.denom)) > 0


def test_forked_consumer_light_client_attack_tombstones_the_double_signer(
    forked_consumer: Forked, tmp_path: Path, capsys: Any
) -> None:
    chain, node, forked = forked_consumer
    consumer = chain.seeded.opt_in
    a = chain.validator_a
    with JsonHttp([Endpoint(node.rpc_url)]) as rpc_1, JsonHttp([Endpoint(forked.rpc_url)]) as rpc_2:
        fork = find_fork(rpc_1, rpc_2)
        assert fork is not None and fork.chain_id == consumer.chain_id
        assert fork.height == 2  # same genesis: block 1 is shared, the commits of block 1 differ in time
        assert fork.block_hashes[0] != fork.block_hashes[1]

        with connect_urls([chain.rpc_url], [chain.rest_url], chain_id=chain.chain_id) as conn:
            entry = conn.provider.find_by_chain_id(consumer.chain_id)
            heights = client_consensus_heights(conn.rest, entry.client_id)
            assert heights == [(1, 1)]  # only the consensus state made at launch: no relayer ran
            misbehaviour = build_misbehaviour(rpc_1, rpc_2, fork.height + 1, entry.client_id, heights)

        # The CLI finds the same attack and writes what `tx provider submit-consumer-misbehaviour` takes.
        out = tmp_path / "fork"
        assert main(["evidence", "fork", "--rpc-a", node.rpc_url, "--rpc-b", forked.rpc_url, "--rpc", chain.rpc_url,
                     "--rest", chain.rest_url, "--chain-id", consumer.chain_id, "--submitter", chain.user.address,
                     "--height", str(fork.height + 1), "--out-dir", str(out)]) == 0
        assert f"fork of {consumer.chain_id} at height {fork.height}" in capsys.readouterr().out

    document = misbehaviour_json(misbehaviour)
    assert json.loads((out / "misbehaviour.json").read_text()) == document
    verdict = verify_light_client_item(document, consumer.chain_id)
    assert verdict.valid, [(c.name, c.status, c.detail) for c in verdict.checks]
    signers = next(c for c in verdict.checks if c.name == "validators that signed both").detail
    assert a.consensus_key.address.hex().upper() in signers

    msg = misbehaviour_message(misbehaviour, consumer.consumer_id, chain.user.address)
    assert registry.type_url_of(msg) == MISBEHAVIOUR_TYPE_URL
    before = chain.query("staking", "validator", a.valoper)
    before = int(before.get("validator", before)["tokens"])
    tx = sign_and_broadcast(chain, chain.user, [msg], mode=SignMode.DIRECT)
    assert tx.code == 0 and tx.height > 0, tx.raw_log

    info = chain.query("slashing", "signing-info", a.valcons)
    info = info.get("val_signing_info", info)
    validator = chain.query("staking", "validator", a.valoper)
    validator = validator.get("validator", validator)
    assert info["tombstoned"] is True and validator["jailed"] is True
    assert int(validator["tokens"]) < before  # slashed by the consumer's double-sign fraction
