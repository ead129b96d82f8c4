"""Progress and cancellation for long jobs, without Qt.

Long core functions take a :class:`Job` (Orange's ``run(..., state)`` pattern) so they are unit-tested with
no event loop and driven by the GUI through one bridge that forwards progress as signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import TypeVar

from ics_workbench.errors import CancelledError

T = TypeVar("T")


class Job:
    """Cancellation flag plus a progress callback shared by one long job and the code driving it."""

    def __init__(self, on_progress: Callable[[float, str], None] | None = None) -> None:
        self._cancelled = threading.Event()
        self._on_progress = on_progress
        self._lock = threading.Lock()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise :class:`CancelledError` if the job was cancelled; call between units of work."""
        if self._cancelled.is_set():
            raise CancelledError()

    def progress(self, fraction: float, message: str = "") -> None:
        if self._on_progress is not None:
            with self._lock:
                self._on_progress(min(max(fraction, 0.0), 1.0), message)

    def wait(self, seconds: float) -> None:
        """Sleep that ends early (raising) when the job is cancelled."""
        if self._cancelled.wait(seconds):
            raise CancelledError()


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
