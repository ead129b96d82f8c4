"""CometBFT's published vote sign-bytes vectors (cometbft v0.38 ``types/vote_test.go``,
``TestVoteSignBytesTestVectors``, all six cases), matched byte for byte."""

from __future__ import annotations

import pytest

from ics_workbench.evidence.model import BlockId, Vote
from ics_workbench.evidence.signbytes import vote_sign_bytes
from ics_workbench.foundation.times import Timestamp

ZERO_TIME = [0x2A, 0xB, 0x8, 0x80, 0x92, 0xB8, 0xC3, 0x98, 0xFE, 0xFF, 0xFF, 0xFF, 0x1]
ONE_LE = [0x1, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0]
CHAIN = [0x32, 0xD, 0x74, 0x65, 0x73, 0x74, 0x5F, 0x63, 0x68, 0x61, 0x69, 0x6E, 0x5F, 0x69, 0x64]


def vote(*, type_: int = 0, height: int = 0, round_: int = 0, extension: bytes = b"") -> Vote:
    """A Go ``&Vote{...}`` literal: every field not named keeps its zero value (zero time, nil block id)."""
    return Vote(type_, height, round_, BlockId(), Timestamp(), b"", 0, b"", extension)


VECTORS = [
    ("", vote(), [0xD, *ZERO_TIME]),
    ("", vote(height=1, round_=1, type_=2), [0x21, 0x8, 0x2, 0x11, *ONE_LE, 0x19, *ONE_LE, *ZERO_TIME]),
    ("", vote(height=1, round_=1, type_=1), [0x21, 0x8, 0x1, 0x11, *ONE_LE, 0x19, *ONE_LE, *ZERO_TIME]),
    ("", vote(height=1, round_=1), [0x1F, 0x11, *ONE_LE, 0x19, *ONE_LE, *ZERO_TIME]),
    ("test_chain_id", vote(height=1, round_=1), [0x2E, 0x11, *ONE_LE, 0x19, *ONE_LE, *ZERO_TIME, *CHAIN]),
    (
        "test_chain_id",
        vote(height=1, round_=1, extension=b"extension"),
        [0x2E, 0x11, *ONE_LE, 0x19, *ONE_LE, *ZERO_TIME, *CHAIN],
    ),
]


@pytest.mark.parametrize(("chain_id", "the_vote", "want"), VECTORS, ids=[f"vector{i}" for i in range(len(VECTORS))])
def test_cometbft_vote_sign_bytes_vectors(chain_id: str, the_vote: Vote, want: list[int]) -> None:
    assert vote_sign_bytes(chain_id, the_vote) == bytes(want)


def test_unix_epoch_timestamp_is_still_written_as_an_empty_message() -> None:
    # Go's stdtime Timestamp is non-nullable: 1970-01-01 encodes as field 5 with length 0, not as nothing.
    the_vote = Vote(1, 1, 0, BlockId(), Timestamp(0, 0), b"", 0, b"")
    assert vote_sign_bytes("", the_vote) == bytes([0xD, 0x8, 0x1, 0x11, *ONE_LE, 0x2A, 0x0])
