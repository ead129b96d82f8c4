"""What "this node does not serve that query" looks like over REST, decided in one place.

The gRPC gateway answers a route the app does not register with 501 Not Implemented (code 12) and an unknown
path with 404; both mean the feature is absent on this node (e.g. provider params before ICS v4.1), which the
caller shows as "not available". Every other failure — 500 included, which is a node fault or a pruned height —
is an error and propagates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ics_workbench.errors import EndpointError

ABSENT_STATUS = (404, 501)

T = TypeVar("T")


def route_absent(error: EndpointError) -> bool:
    """True if the endpoint said it has no such query (404/501)."""
    return error.kind == "http" and error.status in ABSENT_STATUS


def unless_absent(call: Callable[[], T]) -> T | None:
    """``call()``, or None when the node lacks the query; any other fault propagates."""
    try:
        return call()
    except EndpointError as error:
        if route_absent(error):
            return None
        raise
