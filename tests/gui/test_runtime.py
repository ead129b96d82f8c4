"""The background bridge: work runs off the GUI thread, results and errors come back on it, cancel works."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from ics_workbench.errors import CancelledError, EndpointError
from ics_workbench.gui.context import AppContext
from ics_workbench.gui.runtime import UNEXPECTED_ERROR_MESSAGE
from ics_workbench.tasks import Job


def test_work_runs_off_the_gui_thread_and_result_arrives_on_it(qtbot: QtBot, context: AppContext) -> None:
    gui_thread = threading.current_thread()
    seen: dict[str, Any] = {}

    def op(job: Job) -> int:
        seen["worker"] = threading.current_thread()
        return 6 * 7

    def on_success(value: int) -> None:
        seen["value"] = value
        seen["callback"] = threading.current_thread()

    task = context.runtime.run(op, on_success=on_success, progress_label="answer")
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        pass
    assert seen["value"] == 42
    assert seen["worker"] is not gui_thread
    assert seen["callback"] is gui_thread
    assert task.done and task.error_message is None


def test_workbench_error_text_reaches_failure_callback_and_status(qtbot: QtBot, context: AppContext) -> None:
    failures: list[tuple[str, BaseException]] = []

    def op(job: Job) -> None:
        raise EndpointError("http://127.0.0.1:9/status", "unreachable", "connection refused")

    with qtbot.waitSignal(context.runtime.sig_task_failed, timeout=10_000) as blocker:
        context.runtime.run(op, on_success=lambda _: None, on_failure=lambda m, e: failures.append((m, e)))
    message = "http://127.0.0.1:9/status: connection refused"
    assert blocker.args[1] == message
    assert failures[0][0] == message
    assert isinstance(failures[0][1], EndpointError)


def test_unexpected_error_is_logged_not_shown(
    qtbot: QtBot, context: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    failures: list[str] = []

    def op(job: Job) -> None:
        {}["no such key"]

    task = context.runtime.run(op, on_success=lambda _: None, on_failure=lambda m, e: failures.append(m))
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        pass
    assert failures == [UNEXPECTED_ERROR_MESSAGE]
    assert "no such key" not in failures[0]
    assert any("KeyError" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_cancel_stops_the_job_and_reports_cancelled(qtbot: QtBot, context: AppContext) -> None:
    started = threading.Event()
    outcome: dict[str, Any] = {}

    def op(job: Job) -> str:
        started.set()
        for _ in range(1000):
            job.wait(0.01)  # raises CancelledError once cancelled
        return "finished without noticing the cancel"

    task = context.runtime.run(
        op,
        on_success=lambda v: outcome.setdefault("success", v),
        on_failure=lambda m, e: outcome.setdefault("failure", e),
    )
    assert started.wait(10)
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        task.cancel()
    assert "success" not in outcome
    assert isinstance(outcome["failure"], CancelledError)
    assert task.cancelled


def test_progress_is_forwarded_to_the_gui_thread(qtbot: QtBot, context: AppContext) -> None:
    reports: list[tuple[float, str, threading.Thread]] = []
    release = threading.Event()

    def op(job: Job) -> None:
        job.progress(0.5, "half way")
        release.wait(10)

    task = context.runtime.run(op, on_success=lambda _: None, progress_label="work")
    task.sig_progress.connect(lambda f, m: reports.append((f, m, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(reports), timeout=10_000)
    release.set()
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        pass
    assert reports[0][:2] == (0.5, "half way")
    assert reports[0][2] is threading.main_thread()


def test_a_flood_of_progress_reaches_the_gui_thread_coalesced_and_the_newest_report_wins(
        qtbot: QtBot, context: AppContext) -> None:
    """A scan reports every block; the GUI thread must not work through thousands of stale queued reports."""
    reports: list[tuple[float, str]] = []
    flooded = threading.Event()
    release = threading.Event()

    def op(job: Job) -> None:
        for i in range(1, 20_001):
            job.progress(i / 20_000, f"block {i}")
        flooded.set()
        release.wait(10)

    task = context.runtime.run(op, on_success=lambda _: None, progress_label="work")
    task.sig_progress.connect(lambda f, m: reports.append((f, m)))
    assert flooded.wait(20)
    qtbot.waitUntil(lambda: bool(reports) and reports[-1] == (1.0, "block 20000"), timeout=10_000)
    qtbot.wait(100)  # anything still queued would arrive now
    release.set()
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        pass
    assert reports[-1] == (1.0, "block 20000") and task.message == "block 20000"
    assert len(reports) < 2_000  # the worker outran the GUI thread: it saw the newest, not every one


def test_run_from_a_completion_callback_is_deferred(qtbot: QtBot, context: AppContext) -> None:
    order: list[str] = []
    context.runtime.sig_task_started.connect(lambda task: order.append(f"started {task.label}"))

    def first_done(_: object) -> None:
        context.runtime.run(lambda job: "second result", on_success=order.append, progress_label="second")
        order.append("first callback ended")

    context.runtime.run(lambda job: "first result", on_success=first_done, progress_label="first")
    qtbot.waitUntil(lambda: "second result" in order, timeout=10_000)
    assert order == ["started first", "first callback ended", "started second", "second result"]


def test_a_stale_answer_is_dropped_and_only_the_latest_reaches_the_screen(qtbot: QtBot, context: AppContext) -> None:
    from ics_workbench.tasks import Latest

    latest = Latest()
    release_first = threading.Event()
    shown: list[str] = []

    def slow(job: Job) -> str:
        release_first.wait(10)
        return "old selection"

    first = context.runtime.run(slow, on_success=shown.append, on_failure=lambda m, e: shown.append(m),
                                latest=latest, cancellable=False)
    second = context.runtime.run(lambda job: "new selection", on_success=shown.append, latest=latest)
    with qtbot.waitSignal(second.sig_finished, timeout=10_000):
        pass
    release_first.set()
    qtbot.waitUntil(lambda: first.done, timeout=10_000)  # may have ended at once: starting the second cancelled it
    assert shown == ["new selection"]


def test_a_job_on_a_connection_its_owner_closed_fails_with_a_clear_message(qtbot: QtBot, context: AppContext) -> None:
    from ics_workbench.tasks import Lease

    class Client:
        closed = False

        def get(self) -> str:
            if self.closed:
                raise RuntimeError("Cannot send a request, as the client has been closed.")
            return "ok"

    client = Client()
    lease = Lease(client, "the connection to devnet", close=lambda c: setattr(c, "closed", True))
    inside = threading.Event()
    failures: list[str] = []

    def op(job: Job) -> str:
        conn = lease.acquire(job)
        inside.set()
        while not conn.closed:
            threading.Event().wait(0.01)
        return conn.get()  # raises what a closed httpx client raises

    task = context.runtime.run(op, on_success=lambda _: None, on_failure=lambda m, e: failures.append(m))
    assert inside.wait(10)
    lease.retire()
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        pass
    assert failures == ["the connection to devnet was closed (refreshed or disconnected) while this was running; "
                        "run it again"]
    assert UNEXPECTED_ERROR_MESSAGE not in failures


def test_quitting_waits_at_most_a_bounded_time_for_stuck_work(qtbot: QtBot, context: AppContext) -> None:
    import time

    from ics_workbench.gui.runtime import SHUTDOWN_WAIT_MS

    stuck, inside = threading.Event(), threading.Event()

    def op(job: Job) -> None:  # a network read that ignores cancellation
        inside.set()
        stuck.wait(30)

    context.runtime.run(op, on_success=lambda _: None, cancellable=False)
    assert inside.wait(5)
    began = time.monotonic()
    try:
        assert context.runtime.shutdown() is False
        assert time.monotonic() - began < min(SHUTDOWN_WAIT_MS / 1000 + 0.2, 0.95)
    finally:
        stuck.set()


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_background_work_runs_at_a_lower_priority_than_the_gui_thread(qtbot: QtBot, context: AppContext) -> None:
    """On a busy machine the scheduler must run the GUI thread first: jobs (and the threads they start, such as
    the evidence scan's request pool) run niced below it."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    from ics_workbench.gui.runtime import BACKGROUND_NICE

    def nice() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def op(_job: Job) -> tuple[int, int]:
        with ThreadPoolExecutor(1) as pool:
            return nice(), pool.submit(nice).result()

    results: list[tuple[int, int]] = []
    with qtbot.waitSignal(context.runtime.sig_task_finished, timeout=10_000):
        context.runtime.run(op, on_success=results.append)
    gui = nice()
    worker, child = results[0]
    assert worker == min(gui + BACKGROUND_NICE, 19) and child == worker
