"""Fuzzing the evidence parsers: any input gives a verdict or a ParseError, never another exception.

Inputs hypothesis once found to crash a parser are kept in ``corpus/`` and replayed on every run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ics_workbench.evidence.model import ParseError, PubKey
from ics_workbench.evidence.parse import parse_evidence_document
from ics_workbench.evidence.verify import verify_item

from .factory import Key, double_vote, evidence_to_proto_json, evidence_to_rpc_json

CORPUS = Path(__file__).parent / "corpus"
KEY = Key(60)
GOOD = [evidence_to_proto_json(double_vote(KEY)), evidence_to_rpc_json(double_vote(KEY))]


def run_pipeline(text: str | bytes) -> None:
    try:
        items = parse_evidence_document(text)
    except ParseError as error:
        assert str(error)
        return
    for item in items:
        verdict = verify_item(item, "consumer-1", user_key=PubKey(KEY.public, "fuzz")).verdict
        assert verdict.checks


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=60),
    st.sampled_from(["", "AA==", "0x", "SIGNED_MSG_TYPE_PREVOTE", "2024-01-01T00:00:00Z", "ff" * 20]),
)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["vote_a", "vote_b", "block_id", "parts", "part_set_header", "hash", "total", "height", "round",
                     "type", "value", "signature", "validator_address", "timestamp", "result", "block", "evidence",
                     "votes", "header_1", "header_2", "signed_header", "validator_set", "validators", "pub_key",
                     "@type", "misbehaviour", "commit", "signatures", "conflicting_block", "x"]),
    inner, max_size=5), max_leaves=25)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(json_values)
def test_random_json_structures(value: Any) -> None:
    run_pipeline(json.dumps(value))


def _paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, prefix + (i,))
    return out


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_mutated_real_evidence(data: st.DataObject) -> None:
    doc = json.loads(json.dumps(data.draw(st.sampled_from(GOOD))))
    path = data.draw(st.sampled_from(_paths(doc)[1:]))
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(json_values)
    run_pipeline(json.dumps(doc))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_arbitrary_bytes_and_text(raw: bytes | str) -> None:
    run_pipeline(raw)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=400))
def test_truncated_files(cut: int) -> None:
    text = json.dumps(GOOD[0])
    run_pipeline(text[: min(cut, len(text) - 1)])


@pytest.mark.parametrize("case", sorted(CORPUS.glob("*")), ids=lambda p: p.name)
def test_corpus_case(case: Path) -> None:
    run_pipeline(case.read_bytes())
