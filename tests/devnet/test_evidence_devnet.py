"""On the real local provider: a double vote signed with validator B's ASSIGNED consumer key is verified by
the app, mapped back to B, found admissible, submitted from the files the app exports, and B ends up
tombstoned and jailed."""

from __future__ import annotations

import json

from ics_workbench.cli import main
from ics_workbench.evidence.model import BlockId, PartSetHeader, PubKey, Vote
from ics_workbench.evidence.parse import pair_votes
from ics_workbench.evidence.report import EvidenceReport, vote_json
from ics_workbench.evidence.signbytes import vote_sign_bytes
from ics_workbench.evidence.timestamps import Timestamp
from ics_workbench.evidence.verify import verify_item


def signed_prevote(key, chain_id: str, height: int, fill: int, nanos: int) -> Vote:
    vote = Vote(1, height, 0, BlockId(bytes([fill]) * 32, PartSetHeader(1, bytes([fill + 1]) * 32)),
                Timestamp(1_763_000_000, nanos), key.address, 1, b"")
    return Vote(**{**vote.__dict__, "signature": key.sign(vote_sign_bytes(chain_id, vote))})


def test_double_vote_with_assigned_consumer_key_tombstones_validator_b(devnet_factory, tmp_path, capsys) -> None:
    chain = devnet_factory()
    consumer = chain.seeded.opt_in
    key = chain.seeded.assigned_key
    val_b = chain.accounts[chain.seeded.assigned_validator]
    height = 5

    # Two conflicting prevotes signed with B's assigned consumer key, as raw votes the app pairs itself.
    votes = [signed_prevote(key, consumer.chain_id, height, 0x55, 1), signed_prevote(key, consumer.chain_id, height, 0x33, 2)]
    raw = tmp_path / "votes.json"
    raw.write_text(json.dumps([vote_json(v) for v in votes]))
    assert main(["evidence", "verify", str(raw), "--chain-id", consumer.chain_id, "--pubkey", key.public_key_b64]) == 0

    out = tmp_path / "submission"
    code = main(["evidence", "prepare", str(raw), "--chain-id", consumer.chain_id, "--rpc", chain.rpc_url,
                 "--rest", chain.rest_url, "--pubkey", key.public_key_b64, "--submitter", chain.user.address,
                 "--out-dir", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    report = json.loads((out / "evidence_report.json").read_text())
    assert report["valid"] and report["mapping"]["provider_address"] == val_b.valcons
    assert report["mapping"]["key_assigned"] is True and report["mapping"]["tombstoned"] is False
    assert {a["status"] for a in report["admissibility"]} == {"passed"}
    assert report["consequence"]["tombstone"] is True

    tx = chain.tx("provider", "submit-consumer-double-voting", consumer.consumer_id,
                  str(out / "evidence.json"), str(out / "infraction_header.json"), sender="user")
    submitted = EvidenceReport(verify_item(pair_votes(*votes), consumer.chain_id,
                                           user_key=PubKey(key.public_key, "devnet")), consumer.chain_id)
    assert submitted.with_submission(tx["txhash"], int(tx["height"])).to_json()["submission"]["height"] > 0

    info = chain.query("slashing", "signing-info", val_b.valcons)
    info = info.get("val_signing_info", info)
    assert info["tombstoned"] is True
    validator = chain.query("staking", "validator", val_b.valoper)
    validator = validator.get("validator", validator)
    assert validator["jailed"] is True

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
