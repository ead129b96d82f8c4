"""A CometBFT block id, the one type every package uses for it (RPC blocks and commits, evidence votes).

Bytes, not hex: the evidence sign bytes and the duplicate-vote ordering are computed from them, and the
parsers keep out-of-rule values (a 31-byte hash) so the well-formedness check can name them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ics_workbench.foundation.protowire import bytes_field, varint_field

HASH_SIZE = 32


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
        """CometBFT's ``BlockID.Key()``: the hash followed by the protobuf ``PartSetHeader`` (total as field 1,
        hash as field 2, zero values left out); it orders the two votes of duplicate-vote evidence."""
        psh = self.part_set_header
        return self.hash + varint_field(1, psh.total) + bytes_field(2, psh.hash)

    def short(self) -> str:
        return self.hash.hex().upper()[:12] if self.hash else "nil"
