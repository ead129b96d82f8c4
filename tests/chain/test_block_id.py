"""The one BlockId: its ordering key is CometBFT's ``BlockID.Key()``, byte for byte."""

from __future__ import annotations

from hypothesis import given, strategies as st

from ics_workbench.chain.block_id import BlockId, PartSetHeader
from ics_workbench.evidence.protos import types_pb2


@given(st.binary(max_size=40), st.integers(0, 2**32 - 1), st.binary(max_size=300))
def test_key_is_the_hash_then_the_protobuf_part_set_header(block_hash: bytes, total: int, parts_hash: bytes) -> None:
    bid = BlockId(block_hash, PartSetHeader(total, parts_hash))
    encoded = types_pb2.PartSetHeader(total=total, hash=parts_hash).SerializeToString()
    assert bid.key() == block_hash + encoded


def test_nil_vote_has_an_empty_key_and_orders_first() -> None:
    complete = BlockId(b"\x01" * 32, PartSetHeader(1, b"\x02" * 32))
    assert BlockId().key() == b"" and BlockId().is_zero and BlockId().short() == "nil"
    assert BlockId().key() < complete.key() and complete.is_complete and not complete.is_zero
