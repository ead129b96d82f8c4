"""Is a connected chain still alive? Judged from the newest block a node reports and from whether it answers.

Why block age and not just "the request worked": a node whose chain halted (or that lost its peers) answers
every query with the same old block, so the data it serves is silently frozen. The threshold is a few block
times, with the block time estimated from what the node itself reported between two looks, so a 0.5 s devnet
and a 6 s mainnet are both judged fairly. A node that does not answer at all is "down", said in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ics_workbench.chain.models import NodeStatus
from ics_workbench.errors import AllEndpointsFailed, EndpointError, WorkbenchError

STALE_BLOCKS = 5
"""block times without a new block before the chain counts as stalled"""
MIN_STALE_SECONDS = 10.0
"""never call a chain stalled sooner than this (clock skew, one slow round)"""
DEFAULT_BLOCK_SECONDS = 6.0
LIVE, STALE, DOWN = "live", "stale", "down"


@dataclass(frozen=True)
class Liveness:
    level: str
    """live, stale (answers but no new block for a few block times) or down (does not answer)"""
    message: str
    height: int | None = None
    block_time: datetime | None = None
    block_age_seconds: float | None = None


class BlockClock:
    """Estimates a chain's block time from successive (height, time) reports of its node."""

    def __init__(self) -> None:
        self._first: tuple[int, datetime] | None = None
        self._last: tuple[int, datetime] | None = None

    def add(self, height: int, time: datetime) -> None:
        if self._first is None:
            self._first = (height, time)
        self._last = (height, time)

    @property
    def block_seconds(self) -> float:
        if self._first is None or self._last is None or self._last[0] <= self._first[0]:
            return DEFAULT_BLOCK_SECONDS
        seconds = (self._last[1] - self._first[1]).total_seconds() / (self._last[0] - self._first[0])
        return seconds if seconds > 0 else DEFAULT_BLOCK_SECONDS


def unreachable_reason(error: BaseException) -> str:
    """One plain line for a node that did not answer (never a bare "[Errno 111]")."""
    errors: list[BaseException] = list(error.errors) if isinstance(error, AllEndpointsFailed) else [error]
    first = errors[0] if errors else error
    if isinstance(first, EndpointError):
        detail = first.detail.lower()
        if first.kind == "timeout":
            why = "it did not answer in time"
        elif "refused" in detail or "errno 111" in detail:
            why = "the connection was refused (is the node running?)"
        elif "name or service not known" in detail or "nodename nor servname" in detail or "errno -2" in detail:
            why = "its host name does not resolve"
        elif first.kind == "unreachable":
            why = "the connection failed or broke off"
        elif first.kind == "http":
            why = f"it answers with HTTP {first.status}"
        else:
            why = first.detail
        return f"the node at {first.url.split('/status')[0]} stopped answering: {why}"
    if isinstance(error, WorkbenchError):
        return f"the node stopped answering: {error}"
    return "the node stopped answering"


def assess(status: NodeStatus | None, error: BaseException | None, *, block_seconds: float,
           now: datetime | None = None) -> Liveness:
    """Live, stale or down from one look at a node (``status``, or the ``error`` the look raised)."""
    if status is None:
        return Liveness(DOWN, unreachable_reason(error) if error is not None else "the node stopped answering")
    now = now or datetime.now(UTC)
    block_time = status.latest_time if status.latest_time.tzinfo else status.latest_time.replace(tzinfo=UTC)
    age = max(0.0, (now - block_time).total_seconds())
    threshold = max(STALE_BLOCKS * block_seconds, MIN_STALE_SECONDS)
    if age > threshold:
        return Liveness(STALE, f"no new block for {age:.0f} s (about {age / block_seconds:.0f} block times): the "
                               f"chain or this node has stalled at height {status.latest_height:,}",
                        status.latest_height, block_time, age)
    if status.catching_up:
        return Liveness(STALE, "the node is catching up: its data is behind the chain", status.latest_height,
                        block_time, age)
    return Liveness(LIVE, "", status.latest_height, block_time, age)
