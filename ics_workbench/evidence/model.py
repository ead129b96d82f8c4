"""Typed, immutable evidence records, independent of the JSON dialect they were read from.

RPC JSON (hex hashes, ``parts``), proto-JSON (base64, ``part_set_header``) and protobuf objects all decode
into these, so the checks, the sign bytes and the reports are written once. Parsing keeps values that break
CometBFT's rules (a 63-byte signature, a 19-byte address) so the well-formedness check can name them, instead
of refusing the whole file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import IntEnum

from ics_workbench.chain.block_id import (
    HASH_SIZE as HASH_SIZE,  # re-exported: the checks import it from here
    BlockId as BlockId,
    PartSetHeader as PartSetHeader,
)
from ics_workbench.errors import WorkbenchError
from ics_workbench.foundation.times import Timestamp

ADDRESS_SIZE = 20
ED25519_PUBKEY_SIZE = 32
ED25519_SIGNATURE_SIZE = 64


class ParseError(WorkbenchError):
    """Evidence input that cannot be read; ``field`` is the JSON path of the culprit (``vote_a.signature``)."""

    def __init__(self, field_path: str, message: str) -> None:
        self.field = field_path
        self.reason = message
        super().__init__(f"{field_path}: {message}" if field_path else message)


class VoteType(IntEnum):
    UNKNOWN = 0
    PREVOTE = 1
    PRECOMMIT = 2
    PROPOSAL = 32


@dataclass(frozen=True)
class Vote:
    type: int
    height: int
    round: int
    block_id: BlockId
    timestamp: Timestamp
    validator_address: bytes
    validator_index: int
    signature: bytes
    extension: bytes = b""
    extension_signature: bytes = b""

    @property
    def type_name(self) -> str:
        try:
            return VoteType(self.type).name.lower()
        except ValueError:
            return f"type {self.type}"


@dataclass(frozen=True)
class DuplicateVoteEvidence:
    """Two votes by one validator; ``source`` says where it was found, for the report."""

    vote_a: Vote
    vote_b: Vote
    total_voting_power: int = 0
    validator_power: int = 0
    timestamp: Timestamp = field(default_factory=Timestamp)
    source: str = ""

    @property
    def height(self) -> int:
        return self.vote_a.height

    @property
    def validator_address(self) -> bytes:
        return self.vote_a.validator_address


@dataclass(frozen=True)
class StoredEquivocation:
    """A provider x/evidence ``Equivocation`` record: the chain kept who and when, not the signed votes.

    It proves nothing by itself (there is no signature to check); it is listed so a user can see that the
    provider already handled a double sign.
    """

    height: int
    time: Timestamp
    power: int
    consensus_address: str


@dataclass(frozen=True)
class PubKey:
    """An ed25519 consensus key; ``origin`` records where it came from (user, validator set, header)."""

    key: bytes
    origin: str
    type: str = "ed25519"

    def address(self) -> bytes:
        """CometBFT address of an ed25519 key: the first 20 bytes of SHA-256 of the key."""
        return hashlib.sha256(self.key).digest()[:ADDRESS_SIZE]

