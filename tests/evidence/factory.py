"""Real ed25519 keys and genuinely signed votes for tests (PyNaCl signs over the app's sign bytes)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from typing import Any

import nacl.signing

from ics_workbench.evidence.model import BlockId, DuplicateVoteEvidence, PartSetHeader, Vote
from ics_workbench.evidence.signbytes import vote_sign_bytes
from ics_workbench.foundation.times import Timestamp


class Key:
    def __init__(self, seed_byte: int) -> None:
        self.signing = nacl.signing.SigningKey(bytes([seed_byte]) * 32)
        self.public = bytes(self.signing.verify_key)
        self.address = hashlib.sha256(self.public).digest()[:20]

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public).decode()

    def sign(self, chain_id: str, vote: Vote) -> Vote:
        signature = self.signing.sign(vote_sign_bytes(chain_id, vote)).signature
        return replace(vote, signature=signature)


def block_id(fill: int) -> BlockId:
    return BlockId(bytes([fill]) * 32, PartSetHeader(1, bytes([fill ^ 0xFF]) * 32))


def make_vote(key: Key, chain_id: str, *, fill: int, height: int = 10, round_: int = 0, type_: int = 1,
              nanos: int = 123456789) -> Vote:
    vote = Vote(type_, height, round_, block_id(fill), Timestamp(1_700_000_000, nanos), key.address, 0, b"")
    return key.sign(chain_id, vote)


def double_vote(key: Key, chain_id: str = "consumer-1", height: int = 10, type_: int = 1) -> DuplicateVoteEvidence:
    a = make_vote(key, chain_id, fill=0x11, height=height, type_=type_)
    b = make_vote(key, chain_id, fill=0x22, height=height, type_=type_, nanos=987654321)
    return DuplicateVoteEvidence(a, b, total_voting_power=100, validator_power=10, timestamp=a.timestamp)


def vote_to_proto_json(vote: Vote) -> dict[str, Any]:
    """The form ``tx provider submit-consumer-double-voting`` reads, written independently of the app's encoder."""
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return {
        "type": {1: "SIGNED_MSG_TYPE_PREVOTE", 2: "SIGNED_MSG_TYPE_PRECOMMIT"}.get(vote.type, vote.type),
        "height": str(vote.height),
        "round": vote.round,
        "block_id": {
            "hash": b64(vote.block_id.hash),
            "part_set_header": {"total": vote.block_id.part_set_header.total,
                                "hash": b64(vote.block_id.part_set_header.hash)},
        },
        "timestamp": vote.timestamp.rfc3339(),
        "validator_address": b64(vote.validator_address),
        "validator_index": vote.validator_index,
        "signature": b64(vote.signature),
    }


def vote_to_rpc_json(vote: Vote) -> dict[str, Any]:
    """CometBFT's RPC JSON of a vote (hex hashes, ``parts``)."""
    return {
        "type": vote.type,
        "height": str(vote.height),
        "round": vote.round,
        "block_id": {
            "hash": vote.block_id.hash.hex().upper(),
            "parts": {"total": vote.block_id.part_set_header.total,
                      "hash": vote.block_id.part_set_header.hash.hex().upper()},
        },
        "timestamp": vote.timestamp.rfc3339(),
        "validator_address": vote.validator_address.hex().upper(),
        "validator_index": vote.validator_index,
        "signature": base64.b64encode(vote.signature).decode(),
        "extension": None,
        "extension_signature": None,
    }


def evidence_to_proto_json(ev: DuplicateVoteEvidence) -> dict[str, Any]:
    return {
        "vote_a": vote_to_proto_json(ev.vote_a),
        "vote_b": vote_to_proto_json(ev.vote_b),
        "total_voting_power": str(ev.total_voting_power),
        "validator_power": str(ev.validator_power),
        "timestamp": ev.timestamp.rfc3339(),
    }


def evidence_to_rpc_json(ev: DuplicateVoteEvidence) -> dict[str, Any]:
    return {
        "type": "tendermint/DuplicateVoteEvidence",
        "value": {
            "vote_a": vote_to_rpc_json(ev.vote_a),
            "vote_b": vote_to_rpc_json(ev.vote_b),
            "TotalVotingPower": str(ev.total_voting_power),
            "ValidatorPower": str(ev.validator_power),
            "Timestamp": ev.timestamp.rfc3339(),
        },
    }
