"""The limits every network request of this process obeys (kept apart from ``chain.http`` so the CLI sets
them without importing httpx: an offline command never loads the HTTP stack).

A node is untrusted input: it may send an endless or huge body, trickle it one byte a second (a per-read
timeout never fires), nest JSON until the decoder breaks, or hand out pages forever.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ics_workbench import safejson


@dataclass(frozen=True)
class NetworkLimits:
    max_response_bytes: int = 32 * 1024 * 1024
    """largest body read from one answer (the biggest real answers, a full validator set with keys, are < 2 MB)"""
    request_deadline: float = 20.0
    """seconds one request may take in all (connect, headers and the whole body), whatever the per-read timeout"""
    command_deadline: float | None = None
    """seconds every request of the whole command may take together (the CLI sets it; None: no overall bound)"""
    max_json_depth: int = safejson.MAX_DEPTH
    max_pages: int = 250
    """most pages one paginated list may have (REST 200 items a page, CometBFT /validators 100)"""


_limits = NetworkLimits()
_command_ends: float | None = None


def configure(new: NetworkLimits) -> None:
    """Set the limits of this process (the CLI's ``--max-response-mb``, ``--request-deadline``, ``--deadline``);
    the command deadline starts counting now."""
    global _limits, _command_ends
    _limits = new
    _command_ends = time.monotonic() + new.command_deadline if new.command_deadline else None


def limits() -> NetworkLimits:
    return _limits


def command_time_left() -> float | None:
    """Seconds left of the command deadline (None: no command deadline)."""
    return None if _command_ends is None else _command_ends - time.monotonic()
