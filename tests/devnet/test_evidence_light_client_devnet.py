"""A real light-client attack on a live consumer, accepted by the real provider.

The opt-in consumer of a fresh devnet runs twice: a node from the provider's consumer genesis and a fork of
it (same genesis file, same validator key A, not peered). Both commit their own block at every height from
2 on, each signed by A. The app finds the fork from the two RPCs, builds the IBC Misbehaviour against the
consensus state the provider's client of the consumer got at launch (no relayer), verifies it, signs
MsgSubmitConsumerMisbehaviour with its own engine and broadcasts it; the provider slashes, jails and
tombstones A (the consumer's double-sign infraction parameters: ICS defaults)."""

from __future__ import annotations

import json

from ics_workbench.chain.connect import connect_urls
from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.cli import main
from ics_workbench.devnet.consumer import ConsumerNode
from ics_workbench.evidence.fork import build_misbehaviour, find_fork, misbehaviour_json, misbehaviour_message
from ics_workbench.evidence.light_client import verify_light_client_item
from ics_workbench.evidence.messages import MISBEHAVIOUR_TYPE_URL
from ics_workbench.evidence.provider_side import client_consensus_heights
from ics_workbench.proto import registry
from ics_workbench.signing.tx import SignMode
from tests.devnet.test_signing_devnet import sign_and_broadcast


def test_forked_consumer_light_client_attack_tombstones_the_double_signer(
    devnet_factory, devnet_consumer_binary, tmp_path, capsys
) -> None:
    chain = devnet_factory()
    consumer = chain.seeded.opt_in
    a = chain.validator_a
    with ConsumerNode(chain, consumer.consumer_id, binary=devnet_consumer_binary) as node, \
            node.fork() as forked, \
            JsonHttp([Endpoint(node.rpc_url)]) as rpc_1, JsonHttp([Endpoint(forked.rpc_url)]) as rpc_2:
        node.wait_blocks(3)
        forked.wait_for(lambda: forked.height() >= 3 or None, "the fork's height 3", 60)

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
