"""Progress and cancellation for long jobs, without Qt.

Long core functions take a :class:`Job` (Orange's ``run(..., state)`` pattern) so they are unit-tested with
no event loop and driven by the GUI through one bridge that forwards progress as signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Generic, TypeVar

from ics_workbench.errors import CancelledError, ResourceClosedError, WorkbenchError

T = TypeVar("T")


class Job:
    """Cancellation flag plus a progress callback shared by one long job and the code driving it."""

    def __init__(self, on_progress: Callable[[float, str], None] | None = None) -> None:
        self._cancelled = threading.Event()
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self._abort_error: WorkbenchError | None = None
        self.ticket: Ticket | None = None
        """the :class:`Latest` claim the job was started under, if any: a partial result the job streams out
        before it ends (an item found by a scan) carries it, so the receiver drops it once a newer request
        of that kind started, exactly as the final result is dropped"""

    def cancel(self) -> None:
        self._cancelled.set()

    def abort(self, error: WorkbenchError) -> None:
        """Stop the job because something it depends on went away; ``check`` raises ``error`` from now on,
        and :attr:`abort_error` lets the driver report it instead of the failure the dead object caused."""
        if self._abort_error is None:
            self._abort_error = error
        self._cancelled.set()

    @property
    def abort_error(self) -> WorkbenchError | None:
        return self._abort_error

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise :class:`CancelledError` (or the abort reason) if the job was stopped; call between units of work."""
        if self._cancelled.is_set():
            raise self._abort_error or CancelledError()

    def progress(self, fraction: float, message: str = "") -> None:
        if self._on_progress is not None:
            with self._lock:
                self._on_progress(min(max(fraction, 0.0), 1.0), message)

    def wait(self, seconds: float) -> None:
        """Sleep that ends early (raising) when the job is cancelled."""
        if self._cancelled.wait(seconds):
            raise self._abort_error or CancelledError()


class Latest:
    """"Latest request wins" for one kind of request (the overview of the selected chain, the proposals of the
    selected profile): every :meth:`start` makes the earlier tickets stale, so a slow answer to an old request
    can be recognised and dropped instead of overwriting what the user asked for since. Thread-safe, no Qt."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._jobs: dict[int, Job] = {}

    def start(self, job: Job | None = None) -> Ticket:
        """A new current ticket; the job of the previous one (if given then) is cancelled: nobody wants it."""
        with self._lock:
            self._generation += 1
            stale = list(self._jobs.values())
            self._jobs = {self._generation: job} if job is not None else {}
            ticket = Ticket(self, self._generation)
            if job is not None:
                job.ticket = ticket
        for old in stale:
            old.cancel()
        return ticket

    def invalidate(self) -> None:
        """No request is current any more (the user closed the view or cleared the selection)."""
        with self._lock:
            self._generation += 1
            stale = list(self._jobs.values())
            self._jobs = {}
        for old in stale:
            old.cancel()

    def is_current(self, ticket: Ticket) -> bool:
        with self._lock:
            return ticket.generation == self._generation

    def finished(self, ticket: Ticket) -> None:
        with self._lock:
            self._jobs.pop(ticket.generation, None)


class Ticket:
    """One request's claim on a :class:`Latest`; ``current`` turns False once a newer request started."""

    __slots__ = ("generation", "_owner")

    def __init__(self, owner: Latest, generation: int) -> None:
        self._owner = owner
        self.generation = generation

    @property
    def current(self) -> bool:
        return self._owner.is_current(self)

    def release(self) -> None:
        """The request ended (delivered or dropped): its job need not be cancelled by a newer start."""
        self._owner.finished(self)


class Lease(Generic[T]):
    """A shared object that one owner may close while others' jobs still use it.

    The owner (the Connections panel for a chain connection) creates the lease and later calls :meth:`retire`;
    users never keep the object, they call :meth:`acquire` inside their job. ``retire`` aborts every job that
    acquired it with :class:`ResourceClosedError` (so a request failing on the closed client is reported as
    "X was closed ...", not as an unexpected error), then closes the object. Acquiring a retired lease raises
    the same error at once."""

    def __init__(self, value: T, what: str, close: Callable[[T], None] | None = None) -> None:
        self._value = value
        self.what = what
        self._close = close
        self._lock = threading.Lock()
        self._users: list[Job] = []
        self._retired = False

    @property
    def retired(self) -> bool:
        return self._retired

    def acquire(self, job: Job) -> T:
        """The object, for the duration of ``job``."""
        with self._lock:
            if self._retired:
                raise ResourceClosedError(self.what)
            self._users = [j for j in self._users if not j.cancelled]
            self._users.append(job)
            return self._value

    def peek(self) -> T | None:
        """The object for a quick look on the owner's thread (its profile, its capabilities), None once retired;
        never for network calls, which belong in a job that called :meth:`acquire`."""
        return None if self._retired else self._value

    def retire(self) -> None:
        """Abort the jobs using the object, then close it (once; closing errors are the owner's concern)."""
        with self._lock:
            if self._retired:
                return
            self._retired = True
            users, self._users = self._users, []
        error = ResourceClosedError(self.what)
        for job in users:
            job.abort(error)
        if self._close is not None:
            self._close(self._value)


NO_JOB = Job()
"""A job nobody cancels, for callers that do not need progress (never cancel it)."""


def run_bounded(
    calls: Sequence[Callable[[], T]] | Iterable[Callable[[], T]],
    *,
    max_workers: int,
    job: Job | None = None,
    label: str = "",
) -> list[T]:
    """Run independent calls concurrently on at most ``max_workers`` threads, results in input order.

    The first failure cancels the calls not yet started and is re-raised, so a broken endpoint does not
    leave dozens of requests running behind an error message.
    """
    job = job or NO_JOB
    calls = list(calls)
    if not calls:
        return []
    results: list[T | None] = [None] * len(calls)
    done_count = 0
    count_lock = threading.Lock()

    def runner(index: int, call: Callable[[], T]) -> None:
        nonlocal done_count
        job.check()
        results[index] = call()
        with count_lock:
            done_count += 1
            finished = done_count
        job.progress(finished / len(calls), label)

    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(calls)))) as pool:
        futures: list[Future[None]] = [pool.submit(runner, i, c) for i, c in enumerate(calls)]
        done, pending = wait(futures, return_when=FIRST_EXCEPTION)
        for future in done:
            error = future.exception()
            if error is not None:
                for other in pending:
                    other.cancel()
                raise error
    return results  # type: ignore[return-value]
