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

from ics_workbench.errors import WorkbenchError
from ics_workbench.foundation.times import Timestamp

ADDRESS_SIZE = 20
HASH_SIZE = 32
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
class PartSetHeader:
    total: int = 0
    hash: bytes = b""


@dataclass(frozen=True)
class BlockId:
    """A block id; all-empty means a vote for nil."""

    hash: bytes = b""
    part_set_header: PartSetHeader = field(default_factory=PartSetHeader)

    @property
    def is_zero(self) -> bool:
        return not self.hash and self.part_set_header.total == 0 and not self.part_set_header.hash

    @property
    def is_complete(self) -> bool:
        psh = self.part_set_header
        return len(self.hash) == HASH_SIZE and psh.total > 0 and len(psh.hash) == HASH_SIZE

    def key(self) -> bytes:
        """CometBFT's ``BlockID.Key()``: hash followed by the protobuf PartSetHeader; orders duplicate votes."""
        return self.hash + _encode_part_set_header(self.part_set_header)

    def short(self) -> str:
        return self.hash.hex().upper()[:12] if self.hash else "nil"


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


def _encode_part_set_header(psh: PartSetHeader) -> bytes:
    """Protobuf bytes of ``tendermint.types.PartSetHeader`` (cosmpy's class), for ``BlockId.key`` ordering."""
    from ics_workbench.evidence.protos import types_pb2

    return bytes(types_pb2.PartSetHeader(total=psh.total, hash=psh.hash).SerializeToString())
