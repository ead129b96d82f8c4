"""Scanning a height range for evidence: concurrent, in height order, and cancellable mid-way."""

from __future__ import annotations

import pytest

from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.errors import CancelledError, EndpointError
from ics_workbench.evidence.rpc import scan_evidence
from ics_workbench.tasks import Job

from .factory import Key, double_vote, evidence_to_rpc_json
from .rpcserver import serve

KEY = Key(80)


def block_route(evidence_at: dict[int, list], served: list[int]):
    def route(path: str, params: dict[str, str]):
        if path != "/block":
            return None
        height = int(params["height"])
        served.append(height)
        return {"jsonrpc": "2.0", "id": -1, "result": {"block": {
            "header": {"height": str(height)}, "evidence": {"evidence": evidence_at.get(height, [])}}}}

    return route


def test_scan_returns_evidence_in_height_order() -> None:
    at = {h: [evidence_to_rpc_json(double_vote(KEY, height=h - 1))] for h in (40, 7, 23)}
    served: list[int] = []
    with serve(block_route(at, served)) as url, JsonHttp([Endpoint(url)]) as http:
        found = scan_evidence(http, 1, 50, max_workers=4, chunk=16)
    assert [e.height for e in found] == [6, 22, 39]
    assert [e.source for e in found] == ["block 7", "block 23", "block 40"]
    assert sorted(served) == list(range(1, 51))


def test_cancel_stops_the_scan_after_the_current_chunk() -> None:
    served: list[int] = []
    job = Job(on_progress=lambda fraction, message: job.cancel())
    with serve(block_route({}, served)) as url, JsonHttp([Endpoint(url)]) as http:
        with pytest.raises(CancelledError):
            scan_evidence(http, 1, 1000, job=job, max_workers=4, chunk=100)
    assert len(served) == 100


def test_a_malformed_block_names_its_height() -> None:
    def route(path: str, params: dict[str, str]):
        evidence = [{"type": "tendermint/DuplicateVoteEvidence", "value": {"vote_a": "x", "vote_b": {}}}]
        return {"result": {"block": {"header": {"height": params["height"]}, "evidence": {"evidence": evidence}}}}

    with serve(route) as url, JsonHttp([Endpoint(url)]) as http:
        with pytest.raises(EndpointError) as info:
            scan_evidence(http, 3, 3)
    assert info.value.kind == "shape" and "height=3" in str(info.value)
