"""The bytes a CometBFT validator signs for a vote: ``VoteSignBytes(chainID, vote)``.

That is the length-delimited protobuf ``CanonicalVote`` (the proto package's generated class): type,
height and round as sfixed64, the block id (absent for a nil vote), the timestamp (always present, Go's zero
time when unset) and the chain id. Address, index, signature and extension are not signed. A commit
signature signs the same structure with the commit's height/round/block id and its own timestamp.
"""

from __future__ import annotations

from ics_workbench.evidence.model import BlockId, Vote, VoteType
from ics_workbench.evidence.protos import canonical_pb2
from ics_workbench.foundation.protowire import uvarint
from ics_workbench.foundation.times import Timestamp


def canonical_sign_bytes(
    chain_id: str, vote_type: int, height: int, round_: int, block_id: BlockId, timestamp: Timestamp
) -> bytes:
    canonical = canonical_pb2.CanonicalVote(type=vote_type, height=height, round=round_, chain_id=chain_id)
    if not block_id.is_zero:
        canonical.block_id.hash = block_id.hash
        canonical.block_id.part_set_header.total = block_id.part_set_header.total
        canonical.block_id.part_set_header.hash = block_id.part_set_header.hash
        canonical.block_id.part_set_header.SetInParent()  # non-nullable in CometBFT: encoded even when empty
    canonical.timestamp.seconds = timestamp.seconds
    canonical.timestamp.nanos = timestamp.nanos
    canonical.timestamp.SetInParent()  # non-nullable: the zero Unix time is still written as an empty message
    body = canonical.SerializeToString()
    return uvarint(len(body)) + body


def vote_sign_bytes(chain_id: str, vote: Vote) -> bytes:
    return canonical_sign_bytes(chain_id, vote.type, vote.height, vote.round, vote.block_id, vote.timestamp)


def commit_sig_sign_bytes(
    chain_id: str, height: int, round_: int, block_id: BlockId, timestamp: Timestamp
) -> bytes:
    """Sign bytes of one ``BlockIDFlagCommit`` signature of a commit (a precommit for the commit's block)."""
    return canonical_sign_bytes(chain_id, VoteType.PRECOMMIT, height, round_, block_id, timestamp)
