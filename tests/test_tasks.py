"""Bounded concurrency, ordered results, progress and cancellation of long jobs."""

from __future__ import annotations

import threading
import time

import pytest

from ics_workbench.errors import CancelledError
from ics_workbench.tasks import Job, run_bounded


def test_results_keep_input_order_and_concurrency_is_bounded() -> None:
    active = 0
    peak = 0
    lock = threading.Lock()

    def make(i: int):
        def call() -> int:
            nonlocal active, peak
            with lock:
                active += 1
                peak = max(peak, active)
            time.sleep(0.01 * (5 - i % 5))
            with lock:
                active -= 1
            return i * i

        return call

    assert run_bounded([make(i) for i in range(20)], max_workers=3) == [i * i for i in range(20)]
    assert peak == 3


def test_progress_reaches_one_and_reports_label() -> None:
    seen: list[tuple[float, str]] = []
    job = Job(on_progress=lambda f, m: seen.append((f, m)))
    run_bounded([lambda: 1, lambda: 2, lambda: 3, lambda: 4], max_workers=2, job=job, label="validators")
    assert sorted(f for f, _ in seen) == [0.25, 0.5, 0.75, 1.0]
    assert {m for _, m in seen} == {"validators"}


def test_first_failure_is_raised_and_stops_unstarted_calls() -> None:
    started: list[int] = []

    def make(i: int):
        def call() -> int:
            started.append(i)
            if i == 0:
                raise ValueError("endpoint broke")
            time.sleep(0.05)
            return i

        return call

    with pytest.raises(ValueError, match="endpoint broke"):
        run_bounded([make(i) for i in range(50)], max_workers=1)
    assert len(started) < 50


def test_cancel_stops_remaining_work() -> None:
    job = Job()
    ran: list[int] = []

    def make(i: int):
        def call() -> int:
            ran.append(i)
            if i == 2:
                job.cancel()
            return i

        return call

    with pytest.raises(CancelledError):
        run_bounded([make(i) for i in range(30)], max_workers=1, job=job)
    assert ran == [0, 1, 2]


def test_wait_is_interrupted_by_cancel() -> None:
    job = Job()
    threading.Timer(0.05, job.cancel).start()
    started = time.monotonic()
    with pytest.raises(CancelledError):
        job.wait(30)
    assert time.monotonic() - started < 5


# --- latest request wins, and objects their owner closed ------------------------------------------------------

from ics_workbench.errors import ResourceClosedError  # noqa: E402
from ics_workbench.tasks import Latest, Lease  # noqa: E402


def test_a_newer_request_makes_the_older_stale_and_cancels_its_job() -> None:
    latest = Latest()
    first_job, second_job = Job(), Job()
    first = latest.start(first_job)
    assert first.current
    second = latest.start(second_job)
    assert not first.current and second.current
    assert first_job.cancelled and not second_job.cancelled
    latest.invalidate()
    assert not second.current and second_job.cancelled


def test_a_released_ticket_is_not_cancelled_by_the_next_start() -> None:
    latest = Latest()
    job = Job()
    ticket = latest.start(job)
    ticket.release()
    latest.start(Job())
    assert not job.cancelled


class _Client:
    def __init__(self) -> None:
        self.closed = False

    def get(self) -> str:
        if self.closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        return "answer"


def test_retiring_a_lease_aborts_its_users_with_a_clear_error_then_closes() -> None:
    client = _Client()
    lease = Lease(client, "the connection to devnet", close=lambda c: setattr(c, "closed", True))
    job = Job()
    assert lease.acquire(job).get() == "answer"
    lease.retire()
    assert client.closed and lease.retired and lease.peek() is None
    assert isinstance(job.abort_error, ResourceClosedError)
    with pytest.raises(ResourceClosedError, match="the connection to devnet was closed"):
        job.check()
    with pytest.raises(ResourceClosedError):
        lease.acquire(Job())
    lease.retire()  # a second retire is harmless


def test_a_job_aborted_while_waiting_raises_the_abort_reason() -> None:
    lease = Lease(_Client(), "the connection to x")
    job = Job()
    lease.acquire(job)
    threading.Timer(0.05, lease.retire).start()
    with pytest.raises(ResourceClosedError):
        job.wait(5)


def test_a_job_carries_its_ticket_so_its_streamed_results_go_stale_with_it() -> None:
    latest = Latest()
    first_job, second_job = Job(), Job()
    first = latest.start(first_job)
    assert first_job.ticket is first and first.current
    latest.start(second_job)
    assert first_job.ticket is not None and not first_job.ticket.current and first_job.cancelled
    assert second_job.ticket is not None and second_job.ticket.current
