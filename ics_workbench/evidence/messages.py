"""Build the provider messages that submit evidence: MsgSubmitConsumerDoubleVoting and
MsgSubmitConsumerMisbehaviour, plus the two files ``tx provider submit-consumer-double-voting`` reads.

The infraction block header serves the provider only as the source of the validator's public key (ADR-005),
but it must still be shaped right: a validator set whose addresses match their keys, with a proposer from
the set, and a trusted height that is one of the *provider's* consensus states for the consumer client (a
known relayer bug took it from the consumer's side).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from google.protobuf import json_format

from ics_workbench.errors import WorkbenchError
from ics_workbench.evidence.model import DuplicateVoteEvidence, Vote
from ics_workbench.evidence.parse import PROTO, RPC, _bytes, _int, _object, _timestamp, parse_block_id
from ics_workbench.evidence.protos import (
    client_pb2,
    evidence_pb2,
    provider_tx_pb2,
    tendermint_pb2,
    types_pb2,
    validator_pb2,
)
from ics_workbench.evidence.valset import ValidatorEntry

DOUBLE_VOTING_TYPE_URL = "/interchain_security.ccv.provider.v1.MsgSubmitConsumerDoubleVoting"
MISBEHAVIOUR_TYPE_URL = "/interchain_security.ccv.provider.v1.MsgSubmitConsumerMisbehaviour"


def vote_to_proto(vote: Vote) -> Any:
    pb = types_pb2.Vote(
        type=vote.type,
        height=vote.height,
        round=vote.round,
        validator_address=vote.validator_address,
        validator_index=vote.validator_index,
        signature=vote.signature,
        extension=vote.extension,
        extension_signature=vote.extension_signature,
    )
    pb.block_id.hash = vote.block_id.hash
    pb.block_id.part_set_header.total = vote.block_id.part_set_header.total
    pb.block_id.part_set_header.hash = vote.block_id.part_set_header.hash
    pb.timestamp.seconds = vote.timestamp.seconds
    pb.timestamp.nanos = vote.timestamp.nanos
    return pb


def evidence_to_proto(evidence: DuplicateVoteEvidence) -> Any:
    """cosmpy's ``tendermint.types.DuplicateVoteEvidence``."""
    pb = evidence_pb2.DuplicateVoteEvidence(
        total_voting_power=evidence.total_voting_power, validator_power=evidence.validator_power
    )
    pb.vote_a.CopyFrom(vote_to_proto(evidence.vote_a))
    pb.vote_b.CopyFrom(vote_to_proto(evidence.vote_b))
    pb.timestamp.seconds = evidence.timestamp.seconds
    pb.timestamp.nanos = evidence.timestamp.nanos
    return pb


def validator_set_to_proto(validators: Sequence[ValidatorEntry], proposer_address: bytes | None = None) -> Any:
    """A ``ValidatorSet`` the provider accepts: ed25519 keys, a proposer taken from the set, total power.

    ``ValidatorSetFromProto`` rejects a set whose proposer is missing or not a member, so when the header's
    proposer is unknown the first validator is used (the provider only reads the keys).
    """
    if not validators:
        raise WorkbenchError("the infraction header needs a non-empty validator set")
    pb = validator_pb2.ValidatorSet()
    for entry in validators:
        if entry.pubkey.type != "ed25519":
            raise WorkbenchError(
                f"validator {entry.address.hex().upper()} has a {entry.pubkey.type} key; only ed25519 is supported"
            )
        item = pb.validators.add(
            address=entry.address, voting_power=entry.voting_power, proposer_priority=entry.proposer_priority
        )
        item.pub_key.ed25519 = entry.pubkey.key
    proposer = next((v for v in pb.validators if v.address == proposer_address), pb.validators[0])
    pb.proposer.CopyFrom(proposer)
    pb.total_voting_power = sum(v.voting_power for v in validators)
    return pb


def choose_trusted_height(
    provider_consensus_heights: Iterable[tuple[int, int]], infraction_height: int
) -> tuple[int, int]:
    """The newest (revision_number, revision_height) consensus state of the consumer client ON THE PROVIDER
    at or below the infraction height; the oldest one if all are newer (the provider does not check it)."""
    heights = sorted(set(provider_consensus_heights), key=lambda h: (h[0], h[1]))
    if not heights:
        raise WorkbenchError("the provider's consumer client has no consensus states: is the consumer launched?")
    below = [h for h in heights if h[1] <= infraction_height]
    return below[-1] if below else heights[0]


def signed_header_from_rpc(commit_result: Mapping[str, Any]) -> Any:
    """``tendermint.types.SignedHeader`` from an RPC ``/commit`` result (all header fields, full nanos)."""
    obj = _object(commit_result, "commit")
    signed = _object(obj.get("signed_header"), "signed_header")
    h = _object(signed.get("header"), "signed_header.header")
    c = _object(signed.get("commit"), "signed_header.commit")
    pb = types_pb2.SignedHeader()
    header = pb.header
    version = h.get("version") or {}
    header.version.block = _int(version.get("block"), "header.version.block")
    header.version.app = _int(version.get("app"), "header.version.app")
    header.chain_id = str(h.get("chain_id", ""))
    header.height = _int(h.get("height"), "header.height")
    ts = _timestamp(h.get("time"), "header.time")
    header.time.seconds, header.time.nanos = ts.seconds, ts.nanos
    last = parse_block_id(h.get("last_block_id"), "header.last_block_id", RPC)
    header.last_block_id.hash = last.hash
    header.last_block_id.part_set_header.total = last.part_set_header.total
    header.last_block_id.part_set_header.hash = last.part_set_header.hash
    for name in (
        "last_commit_hash",
        "data_hash",
        "validators_hash",
        "next_validators_hash",
        "consensus_hash",
        "app_hash",
        "last_results_hash",
        "evidence_hash",
        "proposer_address",
    ):
        setattr(header, name, _bytes(h.get(name), f"header.{name}", RPC))
    commit = pb.commit
    commit.height = _int(c.get("height"), "commit.height")
    commit.round = _int(c.get("round"), "commit.round")
    bid = parse_block_id(c.get("block_id"), "commit.block_id", RPC)
    commit.block_id.hash = bid.hash
    commit.block_id.part_set_header.total = bid.part_set_header.total
    commit.block_id.part_set_header.hash = bid.part_set_header.hash
    for i, raw in enumerate(c.get("signatures") or []):
        raw = _object(raw, f"commit.signatures[{i}]")
        sig = commit.signatures.add(
            block_id_flag=_int(raw.get("block_id_flag"), f"commit.signatures[{i}].block_id_flag"),
            validator_address=_bytes(raw.get("validator_address"), f"commit.signatures[{i}].validator_address", RPC),
            signature=_bytes(raw.get("signature"), f"commit.signatures[{i}].signature", PROTO),
        )
        sts = _timestamp(raw.get("timestamp"), f"commit.signatures[{i}].timestamp")
        sig.timestamp.seconds, sig.timestamp.nanos = sts.seconds, sts.nanos
    return pb


def infraction_header(
    signed_header: Any,
    validators: Sequence[ValidatorEntry],
    trusted_height: tuple[int, int],
    trusted_validators: Sequence[ValidatorEntry],
) -> Any:
    """``ibc.lightclients.tendermint.v1.Header`` for the infraction height."""
    pb = tendermint_pb2.Header()
    pb.signed_header.CopyFrom(signed_header)
    pb.validator_set.CopyFrom(validator_set_to_proto(validators, signed_header.header.proposer_address))
    pb.trusted_height.CopyFrom(client_pb2.Height(revision_number=trusted_height[0], revision_height=trusted_height[1]))
    pb.trusted_validators.CopyFrom(validator_set_to_proto(trusted_validators))
    return pb


def key_source_header(
    chain_id: str, height: int, validators: Sequence[ValidatorEntry], trusted_height: tuple[int, int]
) -> Any:
    """A header carrying only chain id, height and the validator set, for when the consumer's RPC is not
    reachable (halted or censoring): the provider reads nothing else from it (ADR-005)."""
    signed = types_pb2.SignedHeader()
    signed.header.chain_id = chain_id
    signed.header.height = height
    signed.commit.height = height
    return infraction_header(signed, validators, trusted_height, validators)


def double_voting_msg(
    evidence: DuplicateVoteEvidence, header: Any, consumer_id: str, submitter: str
) -> Any:
    """``MsgSubmitConsumerDoubleVoting``; hand it to the signing flow (or :func:`for_gov_proposal`)."""
    msg = provider_tx_pb2.MsgSubmitConsumerDoubleVoting(submitter=submitter, consumer_id=consumer_id)
    msg.duplicate_vote_evidence.CopyFrom(evidence_to_proto(evidence))
    msg.infraction_block_header.CopyFrom(header)
    return msg


def misbehaviour_msg(misbehaviour: Mapping[str, Any], consumer_id: str, submitter: str) -> Any:
    """``MsgSubmitConsumerMisbehaviour`` from proto-JSON ``ibc.lightclients.tendermint.v1.Misbehaviour``."""
    from ics_workbench.evidence.model import ParseError

    msg = provider_tx_pb2.MsgSubmitConsumerMisbehaviour(submitter=submitter, consumer_id=consumer_id)
    body = dict(misbehaviour.get("misbehaviour", misbehaviour))
    body.pop("@type", None)
    try:
        json_format.ParseDict(body, msg.misbehaviour)
    except json_format.ParseError as exc:
        raise ParseError("misbehaviour", str(exc)) from None
    if not msg.misbehaviour.client_id:
        raise ParseError("misbehaviour.client_id", "must be set to the consumer's client id (the provider checks it)")
    return msg


def for_gov_proposal(msg: Any, gov_authority: str) -> Any:
    """The same message with the gov module as submitter, for the proposals flow to wrap in
    ``MsgSubmitProposal`` (a slash proposal, when the evidence cannot be submitted by an account)."""
    copy = type(msg)()
    copy.CopyFrom(msg)
    copy.submitter = gov_authority
    return copy


def to_proto_json(msg: Any) -> dict[str, Any]:
    return json_format.MessageToDict(msg, preserving_proto_field_name=True)


def cli_files(msg: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(evidence.json, infraction_header.json) for ``tx provider submit-consumer-double-voting``."""
    return to_proto_json(msg.duplicate_vote_evidence), to_proto_json(msg.infraction_block_header)

