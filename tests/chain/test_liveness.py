"""Liveness verdicts: live, stalled after a few block times (estimated from the node's own reports), down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ics_workbench.chain.liveness import DOWN, LIVE, STALE, BlockClock, assess, unreachable_reason
from ics_workbench.chain.models import NodeStatus
from ics_workbench.errors import AllEndpointsFailed, EndpointError

NOW = datetime(2026, 12, 4, 12, 0, 0, tzinfo=UTC)


def status(age: float, height: int = 719, catching_up: bool = False) -> NodeStatus:
    return NodeStatus(url="http://127.0.0.1:26657/status", chain_id="provider", latest_height=height,
                      latest_time=NOW - timedelta(seconds=age), catching_up=catching_up, node_version="0.38",
                      moniker="m", node_id="id")


def test_block_age_beyond_a_few_block_times_is_stale_and_within_is_live() -> None:
    assert assess(status(1.0), None, block_seconds=6.0, now=NOW).level == LIVE
    assert assess(status(29.0), None, block_seconds=6.0, now=NOW).level == LIVE
    stale = assess(status(31.0), None, block_seconds=6.0, now=NOW)
    assert stale.level == STALE and "no new block for 31 s" in stale.message and "719" in stale.message
    # a fast chain is judged by its own block time, but never sooner than the minimum
    assert assess(status(9.0), None, block_seconds=0.5, now=NOW).level == LIVE
    assert assess(status(11.0), None, block_seconds=0.5, now=NOW).level == STALE
    assert assess(status(1.0, catching_up=True), None, block_seconds=6.0, now=NOW).level == STALE


def test_block_clock_estimates_from_reports() -> None:
    clock = BlockClock()
    assert clock.block_seconds == 6.0
    clock.add(100, NOW)
    clock.add(100, NOW)
    assert clock.block_seconds == 6.0
    clock.add(120, NOW + timedelta(seconds=10))
    assert clock.block_seconds == 0.5


def test_a_refused_connection_is_said_in_words() -> None:
    error = AllEndpointsFailed([EndpointError("http://127.0.0.1:26657/status", "unreachable",
                                              "cannot connect: [Errno 111] Connection refused")])
    verdict = assess(None, error, block_seconds=6.0, now=NOW)
    assert verdict.level == DOWN
    assert verdict.message == ("the node at http://127.0.0.1:26657 stopped answering: the connection was refused "
                               "(is the node running?)")
    assert "Errno" not in verdict.message
    timeout = EndpointError("https://rpc.example.org/status", "timeout", "timed out (ReadTimeout)")
    assert unreachable_reason(timeout).endswith("it did not answer in time")
