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


def test_unexpected_error_is_logged_not_shown(qtbot: QtBot, context: AppContext, caplog: pytest.LogCaptureFixture) -> None:
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


def test_run_from_a_completion_callback_is_deferred(qtbot: QtBot, context: AppContext) -> None:
    order: list[str] = []
    context.runtime.sig_task_started.connect(lambda task: order.append(f"started {task.label}"))

    def first_done(_: object) -> None:
        context.runtime.run(lambda job: "second result", on_success=order.append, progress_label="second")
        order.append("first callback ended")

    context.runtime.run(lambda job: "first result", on_success=first_done, progress_label="first")
    qtbot.waitUntil(lambda: "second result" in order, timeout=10_000)
    assert order == ["started first", "first callback ended", "started second", "second result"]
