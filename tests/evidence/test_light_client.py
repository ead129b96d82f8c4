"""Light-client attacks: two conflicting headers at one height signed by real keys; the offline checks
find who signed both, catch forged commit signatures and amnesia; MsgSubmitConsumerMisbehaviour is built."""

from __future__ import annotations

import base64
import json

from ics_workbench.evidence.checks import Status
from ics_workbench.evidence.light_client import parse_misbehaviour, signers_of_both
from ics_workbench.evidence.messages import MISBEHAVIOUR_TYPE_URL, misbehaviour_msg
from ics_workbench.evidence.model import BlockId, PartSetHeader
from ics_workbench.evidence.parse import parse_evidence_document
from ics_workbench.evidence.signbytes import commit_sig_sign_bytes
from ics_workbench.evidence.verify import verify_item
from ics_workbench.foundation.times import Timestamp

from .factory import Key

CHAIN = "consumer-1"
KEYS = [Key(20), Key(21), Key(22), Key(23)]
b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731


def header(fill: int, signers: list[Key], *, height: int = 12, round_: int = 0, forge: bool = False) -> dict:
    bid = BlockId(bytes([fill]) * 32, PartSetHeader(1, bytes([fill ^ 1]) * 32))
    sigs = []
    for index, key in enumerate(KEYS):
        if key not in signers:
            sigs.append({"block_id_flag": "BLOCK_ID_FLAG_ABSENT"})
            continue
        ts = Timestamp(1_700_000_100, 1000 * index + fill)
        signature = key.signing.sign(commit_sig_sign_bytes(CHAIN, height, round_, bid, ts)).signature
        if forge:
            signature = bytes([signature[0] ^ 1]) + signature[1:]
        sigs.append({"block_id_flag": "BLOCK_ID_FLAG_COMMIT", "validator_address": b64(key.address),
                     "timestamp": ts.rfc3339(), "signature": b64(signature)})
    validators = [{"address": b64(k.address), "pub_key": {"ed25519": k.public_b64}, "voting_power": "10",
                   "proposer_priority": "0"} for k in KEYS]
    return {
        "signed_header": {
            "header": {"chain_id": CHAIN, "height": str(height), "time": "2023-11-14T22:15:00Z"},
            "commit": {
                "height": str(height),
                "round": round_,
                "block_id": {"hash": b64(bid.hash),
                             "part_set_header": {"total": 1, "hash": b64(bid.part_set_header.hash)}},
                "signatures": sigs,
            },
        },
        "validator_set": {"validators": validators, "proposer": validators[0], "total_voting_power": "40"},
        "trusted_height": {"revision_number": "0", "revision_height": "5"},
        "trusted_validators": {"validators": validators, "proposer": validators[0], "total_voting_power": "40"},
    }


def misbehaviour(h1: dict, h2: dict) -> dict:
    return {"client_id": "07-tendermint-0", "header_1": h1, "header_2": h2}


def checks_of(doc: dict) -> dict[str, Status]:
    [item] = parse_evidence_document(json.dumps(doc))
    return {c.name: c.status for c in verify_item(item, CHAIN).verdict.checks}


def test_equivocation_names_the_validators_that_signed_both() -> None:
    doc = misbehaviour(header(0xA0, KEYS[:3]), header(0xB0, KEYS[1:]))
    result = verify_item(parse_evidence_document(json.dumps(doc))[0], CHAIN)
    assert result.verdict.valid, result.verdict.summary
    both = next(c for c in result.verdict.checks if c.name == "validators that signed both")
    assert both.detail == ", ".join(sorted(k.address.hex().upper() for k in KEYS[1:3]))
    first, second = parse_misbehaviour(doc)
    assert {v.address for v in signers_of_both(first, second)} == {KEYS[1].address, KEYS[2].address}


def test_forged_commit_signatures_fail_that_commit() -> None:
    checks = checks_of(misbehaviour(header(0xA0, KEYS[:3]), header(0xB0, KEYS[1:], forge=True)))
    assert checks["commit 1 signatures"] is Status.PASSED
    assert checks["commit 2 signatures"] is Status.FAILED
    assert checks["validators that signed both"] is Status.FAILED


def test_same_block_different_heights_and_amnesia_are_reported() -> None:
    checks = checks_of(misbehaviour(header(0xA0, KEYS[:3]), header(0xA0, KEYS[:3])))
    assert checks["conflicting blocks"] is Status.FAILED
    checks = checks_of(misbehaviour(header(0xA0, KEYS[:3]), header(0xB0, KEYS[:3], height=13)))
    assert checks["same height"] is Status.FAILED
    checks = checks_of(misbehaviour(header(0xA0, KEYS[:3]), header(0xB0, KEYS[:3], round_=1)))
    assert checks["validators that signed both"] is Status.FAILED  # amnesia: nobody is provably byzantine


def test_commit_under_two_thirds_fails() -> None:
    checks = checks_of(misbehaviour(header(0xA0, KEYS[:2]), header(0xB0, KEYS[1:])))
    assert checks["commit 1 signatures"] is Status.FAILED


def test_wrong_chain_id_fails() -> None:
    doc = misbehaviour(header(0xA0, KEYS[:3]), header(0xB0, KEYS[1:]))
    [item] = parse_evidence_document(json.dumps(doc))
    verdict = verify_item(item, "other-1").verdict
    assert "same chain id" in {c.name for c in verdict.failed}


def test_light_client_attack_evidence_from_a_block() -> None:
    h = header(0xA0, KEYS[:3])
    doc = {"type": "tendermint/LightClientAttackEvidence", "value": {
        "ConflictingBlock": {"signed_header": h["signed_header"], "validator_set": h["validator_set"]},
        "CommonHeight": "10", "TotalVotingPower": "40", "Timestamp": "2023-11-14T22:00:00Z"}}
    checks = checks_of(doc)
    assert checks["conflicting commit signatures"] is Status.PASSED
    assert checks["common height"] is Status.PASSED
    assert checks["conflict with the trusted chain"] is Status.SKIPPED


def test_build_msg_submit_consumer_misbehaviour() -> None:
    doc = misbehaviour(header(0xA0, KEYS[:3]), header(0xB0, KEYS[1:]))
    msg = misbehaviour_msg(doc, "0", "cosmos1submitter")
    assert msg.misbehaviour.client_id == "07-tendermint-0"
    assert msg.misbehaviour.header_2.signed_header.commit.signatures[1].signature == base64.b64decode(
        doc["header_2"]["signed_header"]["commit"]["signatures"][1]["signature"])
    assert MISBEHAVIOUR_TYPE_URL.endswith(msg.DESCRIPTOR.name)


def test_cli_misbehaviour_writes_the_submission_files(tmp_path, capsys) -> None:
    from ics_workbench.cli import main

    path = tmp_path / "mb.json"
    path.write_text(json.dumps(misbehaviour(header(0xA0, KEYS[:3]), header(0xB0, KEYS[1:]))))
    out = tmp_path / "out"
    assert main(["evidence", "misbehaviour", str(path), "--chain-id", CHAIN, "--consumer-id", "0",
                 "--submitter", "cosmos1x", "--out-dir", str(out)]) == 0
    written = json.loads((out / "misbehaviour.json").read_text())
    assert written["client_id"] == "07-tendermint-0"
    assert written["header_1"]["signed_header"]["commit"]["signatures"][0]["block_id_flag"] == "BLOCK_ID_FLAG_COMMIT"
    assert json.loads((out / "msg_submit_consumer_misbehaviour.json").read_text())["@type"] == MISBEHAVIOUR_TYPE_URL
    path.write_text(json.dumps(misbehaviour(header(0xA0, KEYS[:3]), header(0xB0, KEYS[1:], forge=True))))
    assert main(["evidence", "misbehaviour", str(path), "--chain-id", CHAIN, "--consumer-id", "0",
                 "--submitter", "cosmos1x", "--out-dir", str(out)]) == 1
    path.write_text('{"header_1": {}}')
    assert main(["evidence", "misbehaviour", str(path), "--chain-id", CHAIN, "--consumer-id", "0",
                 "--submitter", "cosmos1x", "--out-dir", str(out)]) == 2
