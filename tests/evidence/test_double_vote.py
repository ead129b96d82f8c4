"""Double-vote verification with genuinely signed votes, and every bad-input case getting its own verdict."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from ics_workbench.evidence.checks import Status, verify_double_vote
from ics_workbench.evidence.model import DuplicateVoteEvidence, ParseError, PubKey
from ics_workbench.evidence.parse import pair_votes, parse_evidence_document, parse_pubkey
from ics_workbench.evidence.verify import verify_document

from .factory import Key, double_vote, evidence_to_proto_json, evidence_to_rpc_json, make_vote, vote_to_rpc_json

CHAIN = "consumer-1"
KEY = Key(7)


def status(verdict, name: str) -> Status:
    return next(c.status for c in verdict.checks if c.name == name)


def key_of(k: Key) -> PubKey:
    return PubKey(k.public, "test")


def test_genuine_double_vote_is_valid_in_both_json_dialects() -> None:
    ev = double_vote(KEY, CHAIN)
    for doc in (evidence_to_proto_json(ev), evidence_to_rpc_json(ev)):
        [result] = verify_document(json.dumps(doc), CHAIN, user_key=key_of(KEY))
        assert result.verdict.valid, result.verdict.summary
        assert result.item.vote_a == ev.vote_a and result.item.vote_b == ev.vote_b


def test_precommit_double_vote_is_valid() -> None:
    ev = double_vote(KEY, CHAIN, type_=2)
    assert verify_double_vote(ev, CHAIN, key_of(KEY)).valid


def test_wrong_chain_id_fails_only_the_signature_steps() -> None:
    verdict = verify_double_vote(double_vote(KEY, CHAIN), "consumer-2", key_of(KEY))
    assert not verdict.valid
    assert {c.name for c in verdict.failed} == {"signature of vote_a", "signature of vote_b"}
    assert "consumer-2" in verdict.failed[0].detail


def test_key_of_another_validator_fails_address_and_signatures() -> None:
    verdict = verify_double_vote(double_vote(KEY, CHAIN), CHAIN, key_of(Key(8)))
    assert status(verdict, "public key matches address") is Status.FAILED
    assert status(verdict, "signature of vote_a") is Status.FAILED


def test_forged_vote_b_is_caught() -> None:
    ev = double_vote(KEY, CHAIN)
    forged = replace(ev, vote_b=replace(ev.vote_b, round=0, timestamp=replace(ev.vote_b.timestamp, nanos=1)))
    verdict = verify_double_vote(forged, CHAIN, key_of(KEY))
    assert status(verdict, "signature of vote_a") is Status.PASSED
    assert status(verdict, "signature of vote_b") is Status.FAILED


def test_votes_for_the_same_block_are_not_a_double_vote() -> None:
    a = make_vote(KEY, CHAIN, fill=0x11)
    b = make_vote(KEY, CHAIN, fill=0x11, nanos=5)
    verdict = verify_double_vote(DuplicateVoteEvidence(a, b), CHAIN, key_of(KEY))
    assert status(verdict, "different block ids") is Status.FAILED
    assert "not a double vote" in verdict.failed[0].detail


def test_votes_in_the_wrong_order_fail_the_order_step_and_pairing_fixes_it() -> None:
    ev = double_vote(KEY, CHAIN)
    swapped = DuplicateVoteEvidence(ev.vote_b, ev.vote_a)
    verdict = verify_double_vote(swapped, CHAIN, key_of(KEY))
    assert [c.name for c in verdict.failed] == ["block id order"]
    paired = pair_votes(ev.vote_b, ev.vote_a)
    assert paired.vote_a == ev.vote_a
    assert verify_double_vote(paired, CHAIN, key_of(KEY)).valid


def test_different_heights_rounds_and_validators_are_named() -> None:
    a = make_vote(KEY, CHAIN, fill=0x11, height=10)
    b = make_vote(KEY, CHAIN, fill=0x22, height=11, round_=1)
    verdict = verify_double_vote(pair_votes(a, b), CHAIN, key_of(KEY))
    detail = next(c.detail for c in verdict.failed if c.name == "same height/round/type")
    assert "height 10 vs 11" in detail and "round 0 vs 1" in detail
    other = make_vote(Key(9), CHAIN, fill=0x22)
    verdict = verify_double_vote(pair_votes(a, other), CHAIN, key_of(KEY))
    assert status(verdict, "same validator") is Status.FAILED


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (dict(signature=b"\x01" * 63), "signature is 63 bytes; an ed25519 signature is 64"),
        (dict(signature=b"\x01" * 65), "more than the maximum 64"),
        (dict(signature=b""), "signature is missing"),
        (dict(validator_address=b"\x01" * 19), "validator_address is 19 bytes, must be 20"),
        (dict(height=0), "height 0 must be > 0"),
        (dict(round=-1), "round -1 must be >= 0"),
        (dict(type=32), "type 32 is not a prevote"),
        (dict(validator_index=-2), "validator_index -2 must be >= 0"),
        (dict(extension=b"x"), "vote extension on a vote that is not a precommit"),
    ],
)
def test_malformed_vote_fields_fail_well_formedness(change: dict, expected: str) -> None:
    ev = double_vote(KEY, CHAIN)
    bad = replace(ev, vote_a=replace(ev.vote_a, **change))
    verdict = verify_double_vote(bad, CHAIN, key_of(KEY))
    assert status(verdict, "votes well formed") is Status.FAILED
    assert expected in verdict.failed[0].detail


def test_incomplete_block_id_is_rejected() -> None:
    ev = double_vote(KEY, CHAIN)
    bid = replace(ev.vote_b.block_id, part_set_header=replace(ev.vote_b.block_id.part_set_header, total=0))
    verdict = verify_double_vote(replace(ev, vote_b=replace(ev.vote_b, block_id=bid)), CHAIN, key_of(KEY))
    assert "either empty (nil vote) or complete" in verdict.failed[0].detail


def test_wrong_key_type_and_size() -> None:
    ev = double_vote(KEY, CHAIN)
    secp = parse_pubkey({"@type": "/cosmos.crypto.secp256k1.PubKey", "key": "A" * 44}, "user")
    verdict = verify_double_vote(ev, CHAIN, secp)
    assert "wrong key type 'secp256k1'" in verdict.failed[0].detail
    short = PubKey(KEY.public[:31], "user")
    assert "31 bytes" in verify_double_vote(ev, CHAIN, short).failed[0].detail


def test_no_key_means_not_valid_with_the_reason() -> None:
    verdict = verify_double_vote(double_vote(KEY, CHAIN), CHAIN, None)
    assert not verdict.valid
    assert "no public key" in verdict.failed[0].detail


def test_key_from_infraction_header_and_from_validator_set() -> None:
    ev = double_vote(KEY, CHAIN)
    import base64

    header = {
        "signed_header": {"header": {"chain_id": CHAIN, "height": "10"}, "commit": {}},
        "validator_set": {
            "validators": [
                {
                    "address": base64.b64encode(KEY.address).decode(),
                    "pub_key": {"ed25519": KEY.public_b64},
                    "voting_power": "10",
                }
            ]
        },
    }
    [result] = verify_document(json.dumps(evidence_to_proto_json(ev)), CHAIN, header=header)
    assert result.verdict.valid and result.verdict.pubkey.origin == "infraction header"

    from ics_workbench.evidence.valset import parse_validator_set

    rpc_set = parse_validator_set(
        {
            "result": {
                "validators": [
                    {
                        "address": KEY.address.hex().upper(),
                        "pub_key": {"type": "tendermint/PubKeyEd25519", "value": KEY.public_b64},
                        "voting_power": "10",
                        "proposer_priority": "0",
                    }
                ]
            }
        }
    )
    [result] = verify_document(json.dumps(evidence_to_rpc_json(ev)), CHAIN, validators_for=lambda h: rpc_set)
    assert result.verdict.valid


def test_two_raw_votes_are_paired_from_a_list_or_json_lines() -> None:
    ev = double_vote(KEY, CHAIN)
    raw = [vote_to_rpc_json(ev.vote_b), vote_to_rpc_json(ev.vote_a)]
    for text in (json.dumps(raw), "\n".join(json.dumps(v) for v in raw)):
        [item] = parse_evidence_document(text)
        assert item.vote_a == ev.vote_a
        assert verify_double_vote(item, CHAIN, key_of(KEY)).valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"vote_a": {"height": "5"', "truncated"),
        ("{vote_a: 1}", "malformed"),
        ("", "is empty"),
        ("[]", "empty list"),
        ('{"foo": 1}', "not a DuplicateVoteEvidence"),
        ('{"vote_a": {"signature": "@@@@", "validator_address": "AA=="}, "vote_b": {}}',
         "vote_a.signature: is not valid base64"),
        ('{"vote_a": {"height": "ten"}, "vote_b": {}}', "evidence.vote_a.height: must be an integer"),
        ('{"vote_a": {"height": 1}, "vote_b": {"timestamp": "yesterday"}}', "vote_b.timestamp: not an RFC 3339"),
        ('{"vote_a": 5, "vote_b": {}}', "vote_a: is a int, not an object"),
        ("Vote{0:D8B1F1C1E8A9 5/00/SIGNED_MSG_TYPE_PREVOTE(Prevote) 8B01023386C3 000000000000 @ 2023-01-01T00:00:00Z}",
         "log line"),
    ],
)
def test_unparsable_input_gets_a_specific_error(text: str, expected: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_evidence_document(text)
    assert expected in str(info.value)


def test_header_for_another_chain_is_noted() -> None:
    import base64

    ev = double_vote(KEY, CHAIN)
    header = {
        "signed_header": {"header": {"chain_id": "consumer-9", "height": "10"}},
        "validator_set": {"validators": [{"address": base64.b64encode(KEY.address).decode(),
                                          "pub_key": {"ed25519": KEY.public_b64}, "voting_power": "1"}]},
    }
    [result] = verify_document(json.dumps(evidence_to_proto_json(ev)), CHAIN, header=header)
    assert result.verdict.valid
    assert "'consumer-9', not 'consumer-1'" in result.verdict.notes[0]
