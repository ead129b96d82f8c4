"""Fuzzing what a scanner hands the UR route: any text or CBOR gives a UR, a URError or a KeystoneError - never
another exception, a hang or a huge allocation. Inputs hypothesis once found to crash it are kept in
``ur_corpus/`` (one text per file) and replayed on every run."""

from __future__ import annotations

from pathlib import Path

import cbor2
import pytest
from hypothesis import given, settings, strategies as st

from ics_workbench.signing.offline_file import SigningFile
from ics_workbench.signing.secp256k1 import PrivateKeySigner
from ics_workbench.signing.ur import bytewords, codec, fountain, keystone
from tests.signing.offline_helpers import vote_request

CORPUS = Path(__file__).parent / "ur_corpus"
KEY = PrivateKeySigner(bytes.fromhex("1f" * 32))
REQUEST: SigningFile = vote_request(KEY.public_key())
GOOD = codec.UREncoder(keystone.sign_request(REQUEST), max_fragment=60).parts(12)


def run_pipeline(texts: list[str]) -> None:
    decoder = codec.URDecoder()
    try:
        for text in texts:
            decoder.receive(text)
    except codec.URError as error:
        assert str(error)
        return
    if decoder.result is None:
        return
    for parse in (keystone.parse_signature, keystone.parse_sign_request):
        try:
            parse(decoder.result)
        except keystone.KeystoneError as error:
            assert str(error)
    try:
        keystone.attach_signature(REQUEST, decoder.result)
    except keystone.KeystoneError as error:
        assert str(error)


cbor_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.binary(max_size=80), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=6), st.dictionaries(st.integers(0, 8), inner, max_size=6),
                            st.builds(cbor2.CBORTag, st.sampled_from([37, 304, 4101, 4102, 1, 99]), inner)),
    max_leaves=20)


@settings(max_examples=80, deadline=None)
@given(cbor_values, st.sampled_from(["cosmos-signature", "cosmos-sign-request", "bytes"]))
def test_any_cbor_as_a_single_part_ur(value: object, ur_type: str) -> None:
    run_pipeline([codec.encode_single(codec.UR(ur_type, cbor2.dumps(value)))])


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 2**32 + 5), st.integers(0, 20_000), st.integers(0, 2**33), st.integers(0, 2**33),
       st.binary(max_size=40))
def test_any_part_header(seq: int, total: int, length: int, checksum: int, data: bytes) -> None:
    raw = cbor2.dumps([seq, total, length, checksum, data])
    run_pipeline([f"ur:bytes/{max(seq, 1)}-{max(total, 1)}/{bytewords.encode_minimal(raw)}"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(GOOD), max_size=14), st.integers(0, 11), st.integers(0, 200), st.characters())
def test_good_parts_with_one_damaged(parts: list[str], which: int, where: int, char: str) -> None:
    damaged = list(parts)
    if damaged:
        text = damaged[which % len(damaged)]
        position = where % len(text)
        damaged[which % len(damaged)] = text[:position] + char + text[position + 1:]
    run_pipeline(damaged)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    run_pipeline([text, "ur:" + text])


def test_a_declared_size_beyond_the_limit_is_refused_before_any_allocation() -> None:
    raw = cbor2.dumps([1, 2, fountain.MAX_MESSAGE + 1, 0, b"x" * 10])
    with pytest.raises(codec.URError, match="impossible sizes"):
        codec.URDecoder().receive(f"ur:bytes/1-2/{bytewords.encode_minimal(raw)}")


@pytest.mark.parametrize("case", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_corpus_case(case: Path) -> None:
    run_pipeline(case.read_text(encoding="utf-8").splitlines())
