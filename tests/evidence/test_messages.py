"""Building MsgSubmitConsumerDoubleVoting and its gaiad files; provider-side admissibility and consequences."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest

from ics_workbench.chain.models import ConsumerChain, InfractionParams, InitParams, SlashJail
from ics_workbench.errors import WorkbenchError
from ics_workbench.evidence.checks import Status
from ics_workbench.evidence.messages import (
    DOUBLE_VOTING_TYPE_URL,
    choose_trusted_height,
    cli_files,
    double_voting_msg,
    for_gov_proposal,
    infraction_header,
    signed_header_from_rpc,
)
from ics_workbench.evidence.model import PubKey
from ics_workbench.evidence.parse import parse_evidence_document
from ics_workbench.evidence.provider_side import ProviderMapping, admissibility, consequence
from ics_workbench.evidence.valset import ValidatorEntry, header_validator_set
from ics_workbench.evidence.verify import verify_document

from .factory import Key, double_vote

CHAIN = "consumer-1"
KEY, OTHER = Key(40), Key(41)


def commit_result(height: int, proposer: Key) -> dict:
    return {
        "signed_header": {
            "header": {
                "version": {"block": "11", "app": "0"},
                "chain_id": CHAIN,
                "height": str(height),
                "time": "2024-05-01T10:00:00.123456789Z",
                "last_block_id": {"hash": "AB" * 32, "parts": {"total": 1, "hash": "CD" * 32}},
                "last_commit_hash": "01" * 32, "data_hash": "02" * 32, "validators_hash": "03" * 32,
                "next_validators_hash": "04" * 32, "consensus_hash": "05" * 32, "app_hash": "06" * 32,
                "last_results_hash": "07" * 32, "evidence_hash": "08" * 32,
                "proposer_address": proposer.address.hex().upper(),
            },
            "commit": {
                "height": str(height), "round": 0,
                "block_id": {"hash": "EE" * 32, "parts": {"total": 1, "hash": "FF" * 32}},
                "signatures": [{"block_id_flag": 2, "validator_address": proposer.address.hex().upper(),
                                "timestamp": "2024-05-01T10:00:01.000000001Z",
                                "signature": base64.b64encode(b"s" * 64).decode()}],
            },
        },
        "canonical": True,
    }


def entries(*keys: Key) -> list[ValidatorEntry]:
    return [ValidatorEntry(k.address, PubKey(k.public, "test"), 10 + i) for i, k in enumerate(keys)]


def test_header_from_consumer_rpc_keeps_every_field_and_the_proposer() -> None:
    signed = signed_header_from_rpc(commit_result(10, OTHER))
    header = infraction_header(signed, entries(KEY, OTHER), (0, 5), entries(KEY, OTHER))
    assert header.signed_header.header.time.nanos == 123456789
    assert header.signed_header.commit.signatures[0].timestamp.nanos == 1
    assert header.signed_header.header.app_hash == bytes([6]) * 32
    assert header.validator_set.proposer.address == OTHER.address
    assert header.validator_set.total_voting_power == 21
    assert (header.trusted_height.revision_number, header.trusted_height.revision_height) == (0, 5)


def test_trusted_height_comes_from_the_provider_states_at_or_below_the_infraction() -> None:
    assert choose_trusted_height([(0, 1), (0, 50), (0, 9)], 40) == (0, 9)
    assert choose_trusted_height([(0, 50), (0, 60)], 40) == (0, 50)
    with pytest.raises(WorkbenchError, match="no consensus states"):
        choose_trusted_height([], 10)


def test_exported_files_round_trip_through_the_parsers_and_verify() -> None:
    ev = double_vote(KEY, CHAIN)
    signed = signed_header_from_rpc(commit_result(ev.height, KEY))
    msg = double_voting_msg(ev, infraction_header(signed, entries(KEY, OTHER), (0, 1), entries(KEY)), "0", "cosmos1x")
    evidence_json, header_json = cli_files(msg)
    [parsed] = parse_evidence_document(json.dumps(evidence_json))
    assert parsed.vote_a == ev.vote_a and parsed.vote_b == ev.vote_b
    assert header_validator_set(header_json)[0].pubkey.key == KEY.public
    [result] = verify_document(json.dumps(evidence_json), CHAIN, header=header_json)
    assert result.verdict.valid and result.verdict.pubkey.origin == "infraction header"
    assert msg.DESCRIPTOR.full_name == DOUBLE_VOTING_TYPE_URL[1:]
    proposal_msg = for_gov_proposal(msg, "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn")
    assert proposal_msg.submitter.startswith("cosmos10d07") and msg.submitter == "cosmos1x"


def test_non_ed25519_key_cannot_go_in_a_header() -> None:
    bad = [ValidatorEntry(KEY.address, PubKey(b"\x02" * 33, "test", "secp256k1"), 1)]
    with pytest.raises(WorkbenchError, match="secp256k1"):
        infraction_header(signed_header_from_rpc(commit_result(10, KEY)), bad, (0, 1), bad)


def consumer(phase: str = "LAUNCHED", initial: int = 1, params: InfractionParams | None = None) -> ConsumerChain:
    return ConsumerChain(
        consumer_id="0",
        chain_id=CHAIN,
        phase=phase,
        client_id="07-tendermint-0" if phase == "LAUNCHED" else "",
        init_params=InitParams(initial_height_revision_height=initial),
        infraction_parameters=params,
    )


def mapping(**kw) -> ProviderMapping:
    base = dict(consumer_address="c", provider_address="p", key_assigned=True, moniker="bob",
                operator_address="cosmosvaloper1bob", power=5, tokens=5_000_000, status="BOND_STATUS_BONDED",
                tombstoned=False)
    return ProviderMapping(**(base | kw))


def statuses(checks) -> dict[str, Status]:
    return {c.name: c.status for c in checks}


def test_admissible_double_vote() -> None:
    assert set(statuses(admissibility(double_vote(KEY, CHAIN, height=10), consumer(), mapping())).values()) == {
        Status.PASSED
    }


def test_evidence_older_than_the_consumer_initial_height_is_rejected() -> None:
    checks = admissibility(double_vote(KEY, CHAIN, height=10), consumer(initial=11), mapping())
    failed = [c for c in checks if c.status is Status.FAILED]
    assert [c.name for c in failed] == ["at or above minimum evidence height"]
    assert "minimum 11" in failed[0].detail


def test_not_launched_tombstoned_and_unbonded_are_reported() -> None:
    s = statuses(admissibility(double_vote(KEY, CHAIN), consumer(phase="INITIALIZED"), mapping(tombstoned=True,
                                                                                             status="BOND_STATUS_UNBONDED")))
    assert s["consumer launched"] is Status.FAILED
    assert s["not already tombstoned"] is Status.FAILED
    assert s["validator not unbonded"] is Status.FAILED


def test_consequence_uses_consumer_infraction_parameters() -> None:
    params = InfractionParams(double_sign=SlashJail(slash_fraction=Decimal("0.05"),
                                                    jail_duration_seconds=Decimal(9223372036), tombstone=True))
    preview = consequence(consumer(params=params), mapping(), None)
    assert preview["tokens_slashed_at_least"] == 250_000
    assert preview["jail"] == "forever" and preview["tombstone"] is True


def test_consequence_of_a_validator_out_of_the_active_set_promises_nothing_of_its_own_tokens() -> None:
    """It has no last power: the provider slashes the stake unbonding from it, its tokens only if that falls
    short (seen on the devnet: an unbonding validator kept every token, its unbonding delegation lost 5 %)."""
    params = InfractionParams(double_sign=SlashJail(slash_fraction=Decimal("0.05"),
                                                    jail_duration_seconds=Decimal(9223372036), tombstone=True))
    preview = consequence(consumer(params=params), mapping(status="BOND_STATUS_UNBONDING"), None)
    assert preview["tokens_slashed_at_least"] == 0 and "unbonding" in preview["note"]
