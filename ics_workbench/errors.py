"""Errors that carry a message fit to show a user.

Everything the user may see goes through :class:`WorkbenchError`; the CLI prints ``str(error)`` and the GUI
shows it in a dialog, while the traceback only goes to the log. Anything else that escapes is a bug.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """An expected failure with a specific, user-readable explanation."""


class EndpointError(WorkbenchError):
    """A chain endpoint did not give a usable answer.

    ``kind`` is one of ``unreachable``, ``timeout``, ``tls``, ``http``, ``json``, ``shape``, ``limit`` (the answer broke
    a size, time, depth or page limit: not retried on
    the same endpoint), ``rpc`` (a JSON-RPC
    error object from CometBFT), so callers (and tests) can tell the faults apart without parsing the message.
    """

    def __init__(self, url: str, kind: str, detail: str, *, status: int | None = None) -> None:
        self.url = url
        self.kind = kind
        self.detail = detail
        self.status = status
        super().__init__(f"{url}: {detail}")

    @property
    def transient(self) -> bool:
        """Worth retrying: the same request may succeed a moment later."""
        if self.kind in ("unreachable", "timeout"):
            return True
        # 501 Not Implemented is how a gRPC gateway says "no such query on this node": permanent, not flaky.
        return self.kind == "http" and self.status is not None and (
            (self.status >= 500 and self.status != 501) or self.status == 429
        )


class AllEndpointsFailed(WorkbenchError):
    """Every endpoint of a failover list failed; the message lists each one's fault."""

    def __init__(self, errors: list[EndpointError]) -> None:
        self.errors = errors
        lines = "; ".join(str(e) for e in errors)
        super().__init__(f"no endpoint answered: {lines}")


class ChainMismatchError(WorkbenchError):
    """The node belongs to another chain than the profile (or the RPC and REST disagree)."""


class CancelledError(WorkbenchError):
    """The user cancelled a long job."""

    def __init__(self) -> None:
        super().__init__("cancelled")


class OfflineError(WorkbenchError):
    """Network access was attempted while the app runs in offline (air-gapped) mode."""


class ResourceClosedError(WorkbenchError):
    """A shared object (a chain connection) was closed by its owner while a job was using it.

    Raised instead of whatever the half-closed object would have thrown (a closed HTTP client says "Cannot
    send a request, as the client has been closed"), so the user reads what happened and what to do."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(f"{what} was closed (refreshed or disconnected) while this was running; run it again")
