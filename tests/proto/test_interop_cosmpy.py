"""Our generated messages embed cosmpy's evidence/IBC classes and CometBFT's canonical vote encoding."""

from __future__ import annotations

import importlib

from ics_workbench.proto import canonical_pb2, provider_tx_pb2 as ics_tx, registry

evidence_pb2 = importlib.import_module("tendermint.types.evidence_pb2")
types_pb2 = importlib.import_module("tendermint.types.types_pb2")
ibc_tm = importlib.import_module("ibc.lightclients.tendermint.v1.tendermint_pb2")


def _vote(block_hash: bytes) -> object:
    vote = types_pb2.Vote(type=types_pb2.SIGNED_MSG_TYPE_PREVOTE, height=10, round=0,
                          validator_address=b"\x01" * 20, validator_index=0, signature=b"\x02" * 64)
    vote.block_id.hash = block_hash
    vote.block_id.part_set_header.total = 1
    vote.block_id.part_set_header.hash = b"\x03" * 32
    return vote


def test_double_voting_message_carries_a_cosmpy_evidence_unchanged() -> None:
    evidence = evidence_pb2.DuplicateVoteEvidence(vote_a=_vote(b"\x0a" * 32), vote_b=_vote(b"\x0b" * 32),
                                                  total_voting_power=100, validator_power=10)
    header = ibc_tm.Header()
    header.signed_header.header.chain_id = "consumer-1"
    header.trusted_height.revision_height = 5
    msg = ics_tx.MsgSubmitConsumerDoubleVoting(submitter="cosmos1s", consumer_id="0")
    msg.duplicate_vote_evidence.CopyFrom(evidence)
    msg.infraction_block_header.CopyFrom(header)
    decoded = registry.unpack(registry.pack(msg))
    assert isinstance(decoded.duplicate_vote_evidence, evidence_pb2.DuplicateVoteEvidence)
    assert decoded.duplicate_vote_evidence.SerializeToString() == evidence.SerializeToString()
    assert registry.from_proto_json(registry.to_proto_json(msg)) == msg


def test_misbehaviour_message_round_trips_with_ibc_headers() -> None:
    misbehaviour = ibc_tm.Misbehaviour(client_id="07-tendermint-0")
    misbehaviour.header_1.signed_header.header.height = 12
    misbehaviour.header_2.signed_header.header.height = 12
    msg = ics_tx.MsgSubmitConsumerMisbehaviour(submitter="cosmos1s", misbehaviour=misbehaviour, consumer_id="2")
    assert registry.unpack(registry.pack(msg)).misbehaviour == misbehaviour


def _delimited(msg: object) -> bytes:
    body = msg.SerializeToString()
    n, prefix = len(body), bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        prefix.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(prefix) + body


ZERO_TIME = bytes([0x2A, 0x0B, 0x08, 0x80, 0x92, 0xB8, 0xC3, 0x98, 0xFE, 0xFF, 0xFF, 0xFF, 0x01])


def _canonical(chain_id: str, vote_type: int = 0, height: int = 0, round_: int = 0) -> object:
    vote = canonical_pb2.CanonicalVote(type=vote_type, height=height, round=round_, chain_id=chain_id)
    vote.timestamp.seconds = -62135596800  # Go's zero time.Time, as CometBFT canonicalizes an unset timestamp
    return vote


def test_canonical_vote_matches_cometbft_sign_bytes_vectors() -> None:
    # cometbft types/vote_test.go TestVoteSignBytesTestVectors, cases 0, 1, 3 and 4.
    assert _delimited(_canonical("")) == bytes([0x0D]) + ZERO_TIME
    one = bytes([1, 0, 0, 0, 0, 0, 0, 0])
    assert _delimited(_canonical("", types_pb2.SIGNED_MSG_TYPE_PRECOMMIT, 1, 1)) == (
        bytes([0x21, 0x08, 0x02, 0x11]) + one + bytes([0x19]) + one + ZERO_TIME)
    assert _delimited(_canonical("", 0, 1, 1)) == bytes([0x1F, 0x11]) + one + bytes([0x19]) + one + ZERO_TIME
    assert _delimited(_canonical("test_chain_id", 0, 1, 1)) == (
        bytes([0x2E, 0x11]) + one + bytes([0x19]) + one + ZERO_TIME + bytes([0x32, 0x0D]) + b"test_chain_id")


def test_canonical_vote_extension_layout() -> None:
    ext = canonical_pb2.CanonicalVoteExtension(extension=b"e", height=2, round=1, chain_id="c")
    assert ext.SerializeToString() == (
        bytes([0x0A, 0x01])
        + b"e"
        + bytes([0x11, 2, 0, 0, 0, 0, 0, 0, 0, 0x19, 1, 0, 0, 0, 0, 0, 0, 0])
        + bytes([0x22, 0x01])
        + b"c"
    )
