"""Scanning a height range for evidence: the strategy the node allows (probed), the same findings from every
strategy, requests per strategy, streaming in height order, cancel, and named errors."""

from __future__ import annotations

import threading

import pytest

from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.errors import CancelledError, EndpointError
from ics_workbench.evidence.scan import EMPTY_EVIDENCE_HASH, Strategy, detect_strategy, scan
from ics_workbench.tasks import Job

from .factory import Key, double_vote, evidence_to_rpc_json
from .fakecomet import FakeComet

KEY = Key(80)


def _evidence(*heights: int) -> dict[int, list]:
    return {h: [evidence_to_rpc_json(double_vote(KEY, height=h - 1))] for h in heights}


def _http(url: str) -> JsonHttp:
    return JsonHttp([Endpoint(url)], retries=0)


def test_the_empty_evidence_hash_is_sha256_of_nothing() -> None:
    assert EMPTY_EVIDENCE_HASH == "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"


@pytest.mark.parametrize(("indexed", "blockchain", "expected"), [
    (True, True, Strategy.HEADERS), (False, True, Strategy.HEADERS), (True, False, Strategy.BLOCKS),
    (False, False, Strategy.BLOCKS)])
def test_auto_picks_the_fastest_exhaustive_strategy(indexed: bool, blockchain: bool, expected: Strategy) -> None:
    """An index of block events never decides: it cannot show that a block has no evidence."""
    node = FakeComet(latest=100, indexed=indexed, blockchain=blockchain)
    with node.serve() as url, _http(url) as http:
        strategy, reason, probes = detect_strategy(http, 5)
    assert strategy is expected, reason
    assert reason.startswith("auto: ") and "finds only evidence the chain punished" in reason
    assert probes == 1 and node.requests["/block_search"] == 0


def test_auto_finds_evidence_the_chain_did_not_punish_and_block_search_says_it_may_miss_some() -> None:
    """Evidence against an already tombstoned validator is committed but raises no slash event: only the
    exhaustive scans see it, and the block_search summary says why it may have missed something."""
    node = FakeComet(latest=300, evidence=_evidence(40, 90), unpunished=frozenset({90}), indexed=True, validators=1)
    with node.serve() as url, _http(url) as http:
        auto: list[int] = []
        summary = scan(http, 1, 300, on_found=lambda h, e: auto.append(h))
        searched: list[int] = []
        chosen = scan(http, 1, 300, strategy=Strategy.BLOCK_SEARCH, on_found=lambda h, e: searched.append(h))
    assert auto == [40, 90] and summary.strategy is Strategy.HEADERS
    assert "strategy headers (auto: /blockchain answers" in summary.line()
    assert searched == [40] and "cannot show that a block has none" in chosen.line()


@pytest.mark.parametrize("strategy", list(Strategy))
def test_every_strategy_finds_the_same_evidence_in_height_order(strategy: Strategy) -> None:
    node = FakeComet(latest=300, evidence=_evidence(200, 7, 23, 221), indexed=True, validators=1)
    seen: list[tuple[int, int]] = []
    with node.serve() as url, _http(url) as http:
        summary = scan(http, 5, 250, strategy=strategy, on_found=lambda h, e: seen.append((h, e.height)), in_flight=4)
    assert seen == [(7, 6), (23, 22), (200, 199), (221, 220)]
    assert summary.found == 4 and summary.strategy is strategy
    assert summary.requests == sum(node.requests.values())  # the count shown is what the node served


def test_header_scan_uses_twenty_times_fewer_requests_than_per_block() -> None:
    counts = {}
    for strategy in (Strategy.HEADERS, Strategy.BLOCKS):
        node = FakeComet(latest=600, evidence=_evidence(500), validators=1)
        with node.serve() as url, _http(url) as http:
            counts[strategy] = scan(http, 1, 600, strategy=strategy).requests
    assert counts[Strategy.BLOCKS] == 600
    assert counts[Strategy.HEADERS] == 30 + 1  # 20 metas a request, plus the one block with evidence
    assert counts[Strategy.BLOCKS] == 20 * (counts[Strategy.HEADERS] - 1)  # 20x fewer, evidence aside


def test_a_height_missing_from_the_headers_is_fetched_whole_not_skipped() -> None:
    node = FakeComet(latest=60, evidence=_evidence(30))
    original = node.answer

    def short(path: str, params: dict[str, str]):  # a node that drops height 30 from its answer
        status, result = original(path, params)
        if path == "/blockchain":
            result["block_metas"] = [m for m in result["block_metas"] if m["header"]["height"] != "30"]
        return status, result

    node.answer = short  # type: ignore[method-assign]
    with node.serve() as url, _http(url) as http:
        found = []
        scan(http, 1, 60, strategy=Strategy.HEADERS, on_found=lambda h, e: found.append(h))
    assert found == [30]


def test_results_stream_before_the_scan_ends() -> None:
    node = FakeComet(latest=4000, evidence=_evidence(10), latency=0.002)
    first = threading.Event()
    progress_at_first: list[float] = []
    last = [0.0]

    def on_found(height: int, item) -> None:
        progress_at_first.append(last[0])
        first.set()

    job = Job(on_progress=lambda fraction, message: last.__setitem__(0, fraction))
    with node.serve() as url, _http(url) as http:
        scan(http, 1, 4000, strategy=Strategy.HEADERS, on_found=on_found, job=job)
    assert first.is_set() and progress_at_first[0] < 0.05 and last[0] == 1.0


def test_cancel_stops_within_the_requests_in_flight() -> None:
    node = FakeComet(latest=100_000, validators=1)
    job = Job(on_progress=lambda fraction, message: job.cancel())
    with node.serve() as url, _http(url) as http:
        with pytest.raises(CancelledError):
            scan(http, 1, 100_000, strategy=Strategy.BLOCKS, job=job, in_flight=4)
    assert node.requests["/block"] <= 8  # the first block's progress cancels; at most the ones in flight follow


def test_a_malformed_block_names_its_height() -> None:
    node = FakeComet(latest=10, evidence={3: [{"type": "tendermint/DuplicateVoteEvidence",
                                               "value": {"vote_a": "x", "vote_b": {}}}]})
    with node.serve() as url, _http(url) as http:
        with pytest.raises(EndpointError) as info:
            scan(http, 1, 10, strategy=Strategy.HEADERS)
    assert info.value.kind == "shape" and "height=3" in str(info.value)


def test_a_bad_range_is_refused() -> None:
    with pytest.raises(ValueError, match="bad height range"):
        scan(None, 10, 9)  # type: ignore[arg-type]
