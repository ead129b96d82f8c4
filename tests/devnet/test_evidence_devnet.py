"""On the real local provider: a double vote signed with validator B's ASSIGNED consumer key is verified by
the app, mapped back to B, found admissible, submitted from the files the app exports, and B ends up
tombstoned and jailed."""

from __future__ import annotations

from ics_workbench.chain.connect import connect_urls
from ics_workbench.evidence.checks import Status
from ics_workbench.evidence.messages import cli_files, double_voting_msg, choose_trusted_height, key_source_header
from ics_workbench.evidence.model import BlockId, PartSetHeader, PubKey, Vote
from ics_workbench.evidence.parse import pair_votes
from ics_workbench.evidence.provider_side import (
    admissibility,
    client_consensus_heights,
    consequence,
    map_consumer_address,
)
from ics_workbench.evidence.report import EvidenceReport
from ics_workbench.evidence.signbytes import vote_sign_bytes
from ics_workbench.evidence.timestamps import Timestamp
from ics_workbench.evidence.valset import ValidatorEntry
from ics_workbench.evidence.verify import verify_item


def signed_prevote(key, chain_id: str, height: int, fill: int, nanos: int) -> Vote:
    vote = Vote(1, height, 0, BlockId(bytes([fill]) * 32, PartSetHeader(1, bytes([fill + 1]) * 32)),
                Timestamp(1_763_000_000, nanos), key.address, 1, b"")
    return Vote(**{**vote.__dict__, "signature": key.sign(vote_sign_bytes(chain_id, vote))})


def test_double_vote_with_assigned_consumer_key_tombstones_validator_b(devnet_factory) -> None:
    chain = devnet_factory()
    consumer = chain.seeded.opt_in
    key = chain.seeded.assigned_key
    val_b = chain.accounts[chain.seeded.assigned_validator]
    height = 5

    evidence = pair_votes(
        signed_prevote(key, consumer.chain_id, height, 0x55, 1),
        signed_prevote(key, consumer.chain_id, height, 0x33, 2),
        source="test: two prevotes signed with B's assigned key",
    )
    result = verify_item(evidence, consumer.chain_id, user_key=PubKey(key.public_key, "devnet assigned key"))
    assert result.verdict.valid, result.verdict.summary

    with connect_urls([chain.rpc_url], [chain.rest_url], chain_id=chain.chain_id) as conn:
        assert conn.provider is not None and conn.rest is not None
        found = conn.provider.find_by_chain_id(consumer.chain_id)
        assert found is not None
        mapping = map_consumer_address(conn.provider, conn.rest, found, evidence.validator_address)
        assert mapping.key_assigned and mapping.provider_address == val_b.valcons
        assert mapping.tombstoned is False and not mapping.jailed
        checks = admissibility(evidence, found, mapping)
        assert all(c.status is Status.PASSED for c in checks), checks
        preview = consequence(found, mapping, conn.rest.slashing_params())
        assert preview["tombstone"] is True
        trusted = choose_trusted_height(client_consensus_heights(conn.rest, found.client_id), height)

    entry = ValidatorEntry(key.address, PubKey(key.public_key, "assigned key"), 10)
    header = key_source_header(consumer.chain_id, height, [entry], trusted)
    msg = double_voting_msg(evidence, header, consumer.consumer_id, chain.user.address)
    evidence_json, header_json = cli_files(msg)
    report = EvidenceReport(result, consumer.chain_id, mapping=mapping.to_json(),
                            admissibility=[{"name": c.name, "status": c.status.value, "detail": c.detail} for c in checks],
                            consequence=preview)

    tx = chain.tx(
        "provider", "submit-consumer-double-voting", consumer.consumer_id,
        str(chain.write_json("evidence.json", evidence_json)), str(chain.write_json("header.json", header_json)),
        sender="user",
    )
    report = report.with_submission(tx["txhash"], int(tx["height"]))
    assert report.to_json()["submission"]["height"] > 0

    info = chain.query("slashing", "signing-info", val_b.valcons)
    info = info.get("val_signing_info", info)
    assert info["tombstoned"] is True
    validator = chain.query("staking", "validator", val_b.valoper)
    validator = validator.get("validator", validator)
    assert validator["jailed"] is True


def test_downtime_view_shows_validator_b_missing_every_recent_block(devnet, capsys) -> None:
    import json

    from ics_workbench.cli import main

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
