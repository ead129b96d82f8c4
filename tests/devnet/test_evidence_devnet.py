"""On the real local provider: a double vote signed with validator B's ASSIGNED consumer key is verified by
the app, mapped back to B, found admissible, signed and broadcast by the app's own signing engine (the path a
user runs from the Evidence panel), and B ends up tombstoned and jailed."""

from __future__ import annotations

import json
import time

import pytest

from ics_workbench.chain.connect import connect_urls
from ics_workbench.cli import main
from ics_workbench.devnet.node import DevnetError
from ics_workbench.evidence.messages import DOUBLE_VOTING_TYPE_URL
from ics_workbench.evidence.model import BlockId, PartSetHeader, PubKey, Vote
from ics_workbench.evidence.parse import pair_votes
from ics_workbench.evidence.report import vote_json
from ics_workbench.evidence.signbytes import vote_sign_bytes
from ics_workbench.evidence.submission import direct_signing_request, prepare_double_vote_submission
from ics_workbench.evidence.verify import verify_item
from ics_workbench.foundation.times import Timestamp
from ics_workbench.proto import registry
from ics_workbench.signing.tx import SignMode
from tests.devnet.test_signing_devnet import sign_and_broadcast


def signed_prevote(key, chain_id: str, height: int, fill: int, nanos: int, seconds: int = 1_763_000_000) -> Vote:
    vote = Vote(1, height, 0, BlockId(bytes([fill]) * 32, PartSetHeader(1, bytes([fill + 1]) * 32)),
                Timestamp(seconds, nanos), key.address, 1, b"")
    return Vote(**{**vote.__dict__, "signature": key.sign(vote_sign_bytes(chain_id, vote))})


def test_double_vote_with_assigned_consumer_key_tombstones_validator_b(devnet_factory, tmp_path, capsys) -> None:
    chain = devnet_factory()
    consumer = chain.seeded.opt_in
    key = chain.seeded.assigned_key
    val_b = chain.accounts[chain.seeded.assigned_validator]
    height = 5

    # Two conflicting prevotes signed with B's assigned consumer key, as raw votes the app pairs itself.
    now = int(time.time()) - 2  # cast while the chain runs, so the provider block of that moment exists
    votes = [signed_prevote(key, consumer.chain_id, height, 0x55, 1, now),
             signed_prevote(key, consumer.chain_id, height, 0x33, 2, now)]
    raw = tmp_path / "votes.json"
    raw.write_text(json.dumps([vote_json(v) for v in votes]))
    assert main(["evidence", "verify", str(raw), "--chain-id", consumer.chain_id, "--pubkey", key.public_key_b64]) == 0

    result = verify_item(pair_votes(*votes), consumer.chain_id, user_key=PubKey(key.public_key, "devnet"))
    assert result.verdict.valid
    with connect_urls([chain.rpc_url], [chain.rest_url], chain_id=chain.chain_id) as conn:
        submission = prepare_double_vote_submission(result, conn, consumer.chain_id, chain.user.address)
        assert submission.ready, submission.blockers()
        assert submission.mapping.provider_address == val_b.valcons
        assert submission.mapping.key_assigned and submission.mapping.tombstoned is False
        assert submission.mapping.opted_in is True and submission.mapping.consumer_address != val_b.valcons
        assert submission.report.consequence["tombstone"] is True
        at_infraction = submission.report.mapping_at_infraction  # the provider's state when the votes were cast
        assert at_infraction["provider_address"] == val_b.valcons and at_infraction["key_assigned"], at_infraction
        assert 0 < at_infraction["provider_height"] <= chain.height()
        request = direct_signing_request(submission, chain.user.address, ics_version=conn.capabilities.ics_version,
                                         account_prefix="cosmos")

    # The files the app writes are what `tx provider submit-consumer-double-voting` takes: the provider binary
    # reads them and its simulation runs the provider's handler on them (no block, no second chain).
    files = submission.write_files(tmp_path / "submission")
    cli_dry_run = ("tx", "provider", "submit-consumer-double-voting", consumer.consumer_id, str(files["evidence"]),
                   str(files["header"]), "--from", chain.user.address, "--chain-id", chain.chain_id,
                   "--node", chain.node_address, "--home", str(chain.home), "--keyring-backend", "test", "--dry-run")
    assert "gas estimate" in (lambda out: out.stdout + out.stderr)(chain.cli(*cli_dry_run))

    # The path users run: the app's engine signs (SIGN_MODE_DIRECT: ICS messages have no amino names) and broadcasts.
    messages = request.protobuf_messages()
    assert [registry.type_url_of(m) for m in messages] == [DOUBLE_VOTING_TYPE_URL]
    tx = sign_and_broadcast(chain, chain.user, messages, mode=SignMode.DIRECT)
    assert tx.code == 0 and tx.height > 0, tx.raw_log
    assert submission.report.with_submission(tx.txhash, tx.height).to_json()["submission"]["height"] == tx.height

    info = chain.query("slashing", "signing-info", val_b.valcons)
    info = info.get("val_signing_info", info)
    assert info["tombstoned"] is True
    validator = chain.query("staking", "validator", val_b.valoper)
    validator = validator.get("validator", validator)
    assert validator["jailed"] is True
    with pytest.raises(DevnetError, match="tombstoned"):  # the same simulation now fails in the handler
        chain.cli(*cli_dry_run)

    # Afterwards the app's own pre-check refuses a second submission: B is already tombstoned.
    code = main(["evidence", "prepare", str(raw), "--chain-id", consumer.chain_id, "--rpc", chain.rpc_url,
                 "--rest", chain.rest_url, "--pubkey", key.public_key_b64, "--submitter", chain.user.address,
                 "--out-dir", str(tmp_path / "again")])
    assert code == 1
    assert "not already tombstoned: already tombstoned" in capsys.readouterr().out


def test_downtime_view_shows_validator_b_missing_every_recent_block(devnet, capsys) -> None:
    devnet.wait_blocks(3)
    assert main(["downtime", "--rpc", devnet.rpc_url, "--rest", devnet.rest_url, "--recent", "3", "--json"]) == 0
    view = json.loads(capsys.readouterr().out)["chains"][devnet.chain_id]
    rows = {r["provider_address"]: r for r in view["validators"]}
    a, b = devnet.validator_a, devnet.validator_b
    assert rows[b.valcons]["missed"] > 0 and rows[a.valcons]["missed"] == 0
    assert rows[b.valcons]["allowed"] > rows[b.valcons]["missed"]  # large window: B is not jailed
    recent = view["recent"]["missed"]
    assert len(recent[b.consensus_key.address.hex().upper()]) == 3
    assert recent[a.consensus_key.address.hex().upper()] == []


def _consumer_rpc_route(key, chain_id: str, height: int):
    """A consumer RPC (the devnet runs no consumer binary): its validator set holds B's assigned key."""
    address = key.address.hex().upper()
    validators = {"block_height": str(height), "count": "1", "total": "1", "validators": [{
        "address": address, "pub_key": {"type": "tendermint/PubKeyEd25519", "value": key.public_key_b64},
        "voting_power": "10", "proposer_priority": "0"}]}
    commit = {"canonical": True, "signed_header": {
        "header": {"version": {"block": "11", "app": "0"}, "chain_id": chain_id, "height": str(height),
                   "time": "2025-01-01T00:00:00.000000042Z",
                   "last_block_id": {"hash": "11" * 32, "parts": {"total": 1, "hash": "22" * 32}},
                   "last_commit_hash": "", "data_hash": "", "validators_hash": "33" * 32,
                   "next_validators_hash": "33" * 32, "consensus_hash": "44" * 32, "app_hash": "55" * 32,
                   "last_results_hash": "", "evidence_hash": "", "proposer_address": address},
        "commit": {"height": str(height), "round": 0,
                   "block_id": {"hash": "66" * 32, "parts": {"total": 1, "hash": "77" * 32}},
                   "signatures": [{"block_id_flag": 2, "validator_address": address,
                                   "timestamp": "2025-01-01T00:00:01Z", "signature": "AA" * 43 + "A="}]}}}

    def route(path: str, params: dict):
        if path == "/validators":
            return {"jsonrpc": "2.0", "id": -1, "result": validators}
        if path == "/commit" and params.get("height") == str(height):
            return {"jsonrpc": "2.0", "id": -1, "result": commit}
        return None

    return route


def test_prepare_with_consumer_rpc_builds_the_header_from_it(devnet, tmp_path, capsys) -> None:
    from tests.evidence.rpcserver import serve

    consumer = devnet.seeded.opt_in
    key = devnet.seeded.assigned_key
    height = 7
    votes = [
        signed_prevote(key, consumer.chain_id, height, 0x10, 5),
        signed_prevote(key, consumer.chain_id, height, 0x20, 6),
    ]
    raw = tmp_path / "votes.json"
    raw.write_text(json.dumps([vote_json(v) for v in votes]))
    with serve(_consumer_rpc_route(key, consumer.chain_id, height)) as consumer_url:
        code = main(["evidence", "prepare", str(raw), "--chain-id", consumer.chain_id, "--rpc", devnet.rpc_url,
                     "--rest", devnet.rest_url, "--consumer-rpc", consumer_url, "--submitter", devnet.user.address,
                     "--out-dir", str(tmp_path / "out")])
    assert code == 0, capsys.readouterr().out
    header = json.loads((tmp_path / "out" / "infraction_header.json").read_text())
    assert header["signed_header"]["header"]["time"] == "2025-01-01T00:00:00.000000042Z"
    assert header["signed_header"]["header"]["chain_id"] == consumer.chain_id
    # trusted height: one of the PROVIDER's consensus states for the consumer client (initial height 1)
    assert header["trusted_height"]["revision_height"] == "1"
    report = json.loads((tmp_path / "out" / "evidence_report.json").read_text())
    assert report["public_key"]["origin"] == f"validator set at height {height}"
    assert report["mapping"]["provider_address"] == devnet.validator_b.valcons


def test_evidence_panel_maps_the_key_to_validator_b(devnet, qtbot, qapp) -> None:
    from ics_workbench.chain.connect import connect_urls
    from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
    from ics_workbench.gui.panels.evidence.panel import EvidencePanel

    consumer = devnet.seeded.opt_in
    key = devnet.seeded.assigned_key
    votes = [signed_prevote(key, consumer.chain_id, 9, 0x10, 5), signed_prevote(key, consumer.chain_id, 9, 0x20, 6)]
    ctx = AppContext()
    conn = connect_urls([devnet.rpc_url], [devnet.rest_url], chain_id=devnet.chain_id)
    try:
        ctx.set_connection(ConnectionState("devnet", "provider", LinkState.CONNECTED, devnet.chain_id, connection=conn))
        panel = EvidencePanel(ctx)
        qtbot.addWidget(panel)
        panel.provider_combo.setCurrentText("devnet")
        panel.chain_id_edit.setText(consumer.chain_id)
        panel.pubkey_edit.setText(key.public_key_b64)
        with qtbot.waitSignal(panel.sig_mapped, timeout=30_000) as mapped:
            panel.set_document(json.dumps([vote_json(v) for v in votes]).encode(), "votes.json")
        assert panel.evidence_model.rows[0].verdict == "valid"
        assert mapped.args[0].provider_address == devnet.validator_b.valcons
        assert "assigned consumer key" in panel.mapping_label.text()
    finally:
        assert ctx.runtime.shutdown(10_000)
        conn.close()


def test_consumer_downtime_is_mapped_to_provider_validators_through_key_assignment(devnet, capsys) -> None:
    from ics_workbench.addresses import encode_address
    from tests.evidence.rpcserver import serve

    consumer = devnet.seeded.opt_in
    key = devnet.seeded.assigned_key
    a = devnet.validator_a
    # The consumer's own x/slashing (no consumer binary runs here): B signs with its assigned key and has
    # missed 40 of the 50 it may; A uses its provider key on the consumer, under the consumer's prefix.
    infos = [
        {
            "address": encode_address(key.address, "consumervalcons"),
            "start_height": "1",
            "index_offset": "60",
            "jailed_until": "1970-01-01T00:00:00Z",
            "tombstoned": False,
            "missed_blocks_counter": "40",
        },
        {
            "address": encode_address(a.consensus_key.address, "consumervalcons"),
            "start_height": "1",
            "index_offset": "60",
            "jailed_until": "1970-01-01T00:00:00Z",
            "tombstoned": False,
            "missed_blocks_counter": "0",
        },
    ]

    def route(path: str, params: dict):
        if path == "/cosmos/slashing/v1beta1/params":
            return {"params": {"signed_blocks_window": "100", "min_signed_per_window": "0.500000000000000000",
                               "downtime_jail_duration": "600s", "slash_fraction_double_sign": "0.050000000000000000",
                               "slash_fraction_downtime": "0.010000000000000000"}}
        if path == "/cosmos/slashing/v1beta1/signing_infos":
            return {"info": infos, "pagination": {"next_key": None, "total": "2"}}
        return None

    with serve(route) as consumer_rest:
        assert main(["downtime", "--rpc", devnet.rpc_url, "--rest", devnet.rest_url, "--consumer", consumer.chain_id,
                     "--consumer-rest", consumer_rest, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["chains"][consumer.chain_id]["validators"]
    b_row, a_row = rows  # most at risk first
    assert b_row["provider_address"] == devnet.validator_b.valcons and b_row["close_to_jail"]
    assert (b_row["missed"], b_row["allowed"], b_row["remaining"]) == (40, 50, 10)
    assert a_row["provider_address"] == a.valcons and not a_row["close_to_jail"]


def _answers(url: str) -> bool | None:
    import httpx

    try:
        return httpx.get(url, timeout=2).status_code == 200 or None
    except httpx.HTTPError:
        return None


def test_downtime_tab_shows_b_down_on_the_provider_and_its_assigned_key_down_on_the_consumer(
    devnet, consumer_node, qtbot, qapp
) -> None:
    """Read-only, on the session devnet and its live consumer (A signs both; B's node does not run)."""
    from ics_workbench.chain.connect import connect_urls
    from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
    from ics_workbench.gui.panels.evidence.panel import EvidencePanel

    consumer_node.wait_blocks(3)
    # The REST API comes up after CometBFT (once seen resetting connections right after the first blocks).
    consumer_node.wait_for(lambda: _answers(consumer_node.rest_url + "/cosmos/slashing/v1beta1/params"),
                           "the consumer's REST API", 30)
    a, b = devnet.validator_a, devnet.validator_b
    ctx = AppContext()
    with connect_urls([devnet.rpc_url], [devnet.rest_url], chain_id=devnet.chain_id) as conn, \
            connect_urls([consumer_node.rpc_url], [consumer_node.rest_url], chain_id=consumer_node.chain_id) as c_conn:
        try:
            ctx.set_connection(
                ConnectionState("devnet", "provider", LinkState.CONNECTED, devnet.chain_id, connection=conn)
            )
            ctx.set_connection(ConnectionState("consumer", "consumer", LinkState.CONNECTED, consumer_node.chain_id,
                                               connection=c_conn))
            panel = EvidencePanel(ctx)
            qtbot.addWidget(panel)
            downtime = panel.downtime
            downtime.consumer_combo.setCurrentText("consumer")
            downtime.recent_spin.setValue(3)
            with qtbot.waitSignal(downtime.sig_loaded, timeout=60_000) as loaded:
                downtime.load_button.click()
            provider_view, consumer_view = loaded.args[0]

            rows = {r.provider_address: r for r in provider_view.rows}
            assert rows[b.valcons].missed > 0 and rows[a.valcons].missed == 0
            assert rows[b.valcons].moniker and rows[b.valcons].allowed > rows[b.valcons].missed
            assert provider_view.recent_flags(rows[b.valcons]) == (False, False, False)
            assert provider_view.recent_flags(rows[a.valcons]) == (True, True, True)

            consumer_rows = {r.provider_address: r for r in consumer_view.rows}
            b_row = consumer_rows[b.valcons]  # counted under B's ASSIGNED consumer key, mapped back to B
            assert b_row.address != b.valcons and b_row.moniker == rows[b.valcons].moniker
            assert consumer_view.hex_address(b_row) == devnet.seeded.assigned_key.address.hex().upper()
            assert consumer_view.recent_flags(b_row) == (False, False, False)
            assert consumer_view.recent_flags(consumer_rows[a.valcons]) == (True, True, True)
            assert downtime.current_view() is consumer_view
            assert len(downtime.grid.rows) == len(consumer_view.rows)
        finally:
            assert ctx.runtime.shutdown(10_000)
