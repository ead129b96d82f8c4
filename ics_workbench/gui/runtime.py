"""The one bridge between the GUI thread and background work (Anki's QueryOp, Electrum's TaskThread).

Every network or CPU-heavy call a panel makes goes through :meth:`Runtime.run`: ``op(job)`` runs on a
``QThreadPool`` thread, its result or error comes back to the GUI thread through queued signals, progress is
forwarded from the core's :class:`~ics_workbench.tasks.Job`, and a cancel button only sets ``job.cancel()``
(the core checks it between units of work). Errors take one path: a :class:`WorkbenchError` shows its own
message; anything else is a bug, logged with its traceback, and the user sees a short note pointing at the log.

Two rules keep stale answers off the screen: a request made with ``latest=`` (a core
:class:`~ics_workbench.tasks.Latest`) is dropped on arrival when a newer one of the same kind started since
(its callbacks and progress never run; partial results a job streams carry ``job.ticket``, checked the same
way), and a job aborted because a shared object it used was closed by its owner (a
:class:`~ics_workbench.tasks.Lease`) reports that as its error instead of whatever the closed object raised.

A completion callback that starts new work would nest jobs inside delivery and make ordering depend on
callback timing; :meth:`Runtime.run` therefore defers a start requested from inside a callback to the next
turn of the event loop.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
import threading
from collections.abc import Callable
from functools import partial
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

from ics_workbench.errors import CancelledError, WorkbenchError
from ics_workbench.tasks import Job, Latest, Ticket

log = logging.getLogger(__name__)

T = TypeVar("T")

UNEXPECTED_ERROR_MESSAGE = "unexpected error, details in log"
SHUTDOWN_WAIT_MS = 700
"""How long quitting waits for running jobs: the window must close within a second whatever runs."""


def describe_error(error: BaseException) -> str:
    """What the user is told about a failed job (the traceback of an unexpected error goes to the log)."""
    if isinstance(error, WorkbenchError):
        return str(error) or type(error).__name__
    return UNEXPECTED_ERROR_MESSAGE


class Task(QObject, Generic[T]):
    """Handle on one submitted job: its label, progress, cancellation, and final state."""

    sig_progress = Signal(float, str)
    sig_finished = Signal()

    def __init__(self, task_id: int, label: str, cancellable: bool, parent: QObject | None = None,
                 background: bool = False) -> None:
        super().__init__(parent)
        self.background = background
        self.task_id = task_id
        self.label = label
        self.cancellable = cancellable
        self.fraction = 0.0
        self.message = ""
        self.done = False
        self.error_message: str | None = None
        self.job = Job(on_progress=self._progress_from_worker)
        self._latest_progress: tuple[float, str] | None = None  # guarded by _progress_lock
        self._progress_lock = threading.Lock()
        self._relay = _ProgressRelay()
        self._relay.sig_progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

    @property
    def cancelled(self) -> bool:
        return self.job.cancelled

    def cancel(self) -> None:
        if self.cancellable and not self.done:
            self.job.cancel()

    def _progress_from_worker(self, fraction: float, message: str) -> None:
        """Coalesce: a worker reporting every block (thousands a second) queues at most one delivery at a time;
        the GUI thread shows the newest report when it gets to it instead of working through a backlog of
        stale ones (in bench/gui_stall.py's evidence search most GUI-thread time went to such reports)."""
        with self._progress_lock:
            pending = self._latest_progress is not None
            self._latest_progress = (fraction, message)
        if not pending:
            self._relay.sig_progress.emit()

    @Slot()
    def _on_progress(self) -> None:
        with self._progress_lock:
            latest, self._latest_progress = self._latest_progress, None
        ticket = self.job.ticket
        if self.done or latest is None or (ticket is not None and not ticket.current):
            return  # progress of a request a newer one of its kind replaced: as stale as its result
        fraction, message = latest
        self.fraction = fraction
        self.message = message
        self.sig_progress.emit(fraction, message)


class _ProgressRelay(QObject):
    """Lives in the GUI thread; emitting from a worker thread queues the call (progress is thread-safe)."""

    sig_progress = Signal()


class _Outcome(QObject):
    """Carries one worker's result or error back to the GUI thread."""

    sig_succeeded = Signal(object)
    sig_failed = Signal(object)


BACKGROUND_NICE = 10
"""How much lower than the GUI thread background work runs (Linux per-thread nice; threads the work starts, such
as the evidence scan's request pool, inherit it). On a busy machine the scheduler then runs the GUI thread as soon
as it is runnable instead of after a turn of every request thread: in bench/gui_stall.py's evidence search most
of a long gap was the GUI thread waiting on the run queue (``/proc/.../schedstat``), not working."""
_lowered = threading.local()


def _lower_this_threads_priority() -> None:
    """Once per pool thread; Linux only, where nice is per thread (elsewhere it would lower the whole process)."""
    if getattr(_lowered, "done", False) or not sys.platform.startswith("linux"):
        return
    _lowered.done = True
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(os.getpriority(os.PRIO_PROCESS, thread) + BACKGROUND_NICE, 19))
    except OSError as exc:  # a sandbox may forbid it: the work still runs, only at the GUI's priority
        log.debug("could not lower a worker thread's priority: %s", exc)


class _Worker(QRunnable):
    def __init__(self, op: Callable[[Job], Any], job: Job, outcome: _Outcome) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._op = op
        self._job = job
        self._outcome = outcome

    def run(self) -> None:
        _lower_this_threads_priority()
        try:
            self._job.check()
            result = self._op(self._job)
        except BaseException as raised:
            # What a closed shared object raised is noise; the abort reason says what happened instead.
            error: BaseException = self._job.abort_error or raised
            if error is raised and not isinstance(raised, WorkbenchError):
                log.error("background job failed", exc_info=raised)
            self._outcome.sig_failed.emit(error)
        else:
            self._outcome.sig_succeeded.emit(result)


SuccessCallback = Callable[[Any], None]
FailureCallback = Callable[[str, BaseException], None]


RETIRE_AFTER_MS = 2000  # far longer than a worker takes to return from run() once it has emitted


class Runtime(QObject):
    """Runs panels' work off the GUI thread; owned by :class:`~ics_workbench.gui.context.AppContext`."""

    sig_task_started = Signal(object)  # Task
    sig_task_finished = Signal(object)  # Task (check .error_message / .cancelled)
    sig_task_failed = Signal(object, str)  # Task, user-readable message

    def __init__(self, max_threads: int = 8, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._active: dict[int, tuple[Task[Any], _Outcome]] = {}
        # Delivered tasks and their outcome carriers, kept a moment longer: the worker thread still holds them
        # until its run() has returned, and the last reference to a QObject must not be dropped there (Qt would
        # destroy a GUI-thread object on a worker thread: a rare segfault in full test runs).
        self._retired: dict[int, tuple[Task[Any], _Outcome]] = {}
        self._delivering = 0
        self._gui_thread = threading.current_thread()

    @property
    def active_tasks(self) -> list[Task[Any]]:
        """Running tasks the user started (background checks such as liveness looks are left out)."""
        return [task for task, _ in self._active.values() if not task.background]

    def run(
        self,
        op: Callable[[Job], T],
        *,
        on_success: Callable[[T], None],
        on_failure: FailureCallback | None = None,
        progress_label: str = "",
        cancellable: bool = True,
        latest: Latest | None = None,
        background: bool = False,
    ) -> Task[T]:
        """Run ``op(job)`` on a worker thread; at most one of the callbacks runs later on the GUI thread.

        ``on_failure(message, error)`` receives the user-readable message (also emitted as
        ``sig_task_failed`` for the status bar); cancellation arrives there as a :class:`CancelledError`.
        With ``latest``, starting this request cancels the previous one of that kind, and if yet another
        starts before this one ends, this one's outcome is dropped: neither callback runs. A ``background``
        task (a periodic check) is not shown as running work and its failures are not status-bar messages.
        """
        task: Task[T] = Task(next(self._ids), progress_label, cancellable, background=background)
        ticket = latest.start(task.job) if latest is not None else None
        outcome = _Outcome()
        outcome.sig_succeeded.connect(
            lambda result, t=task: self._deliver(t, on_success, on_failure, result, None, ticket),
            Qt.ConnectionType.QueuedConnection,
        )
        outcome.sig_failed.connect(
            lambda error, t=task: self._deliver(t, on_success, on_failure, None, error, ticket),
            Qt.ConnectionType.QueuedConnection,
        )
        self._active[task.task_id] = (task, outcome)
        worker = _Worker(op, task.job, outcome)
        if self._delivering:
            QTimer.singleShot(0, self, lambda: self._start(task, worker))
        else:
            self._start(task, worker)
        return task

    def _start(self, task: Task[Any], worker: _Worker) -> None:
        self.sig_task_started.emit(task)
        self._pool.start(worker)

    def _deliver(
        self,
        task: Task[Any],
        on_success: Callable[[Any], None],
        on_failure: FailureCallback | None,
        result: Any,
        error: BaseException | None,
        ticket: Ticket | None = None,
    ) -> None:
        entry = self._active.pop(task.task_id, None)
        if entry is not None:
            self._retired[task.task_id] = entry
            QTimer.singleShot(RETIRE_AFTER_MS, self, partial(self._retired.pop, task.task_id, None))
        task.done = True
        self._delivering += 1
        try:
            if ticket is not None:
                ticket_current = ticket.current
                ticket.release()
                if not ticket_current:
                    log.debug("dropped the stale outcome of %r", task.label)
                    return
            if error is None and task.job.cancelled:
                error = task.job.abort_error or CancelledError()
            if error is None:
                on_success(result)
            else:
                message = describe_error(error)
                task.error_message = message
                if not isinstance(error, CancelledError) and not task.background:
                    self.sig_task_failed.emit(task, message)
                if on_failure is not None:
                    on_failure(message, error)
        except Exception:  # a callback bug must not take the event loop down
            log.exception("completion callback of %r failed", task.label)
            self.sig_task_failed.emit(task, UNEXPECTED_ERROR_MESSAGE)
        finally:
            self._delivering -= 1
            task.sig_finished.emit()
            self.sig_task_finished.emit(task)

    def cancel_all(self) -> None:
        for task, _ in list(self._active.values()):
            task.job.cancel()

    def shutdown(self, timeout_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Cancel everything and wait, at most ``timeout_ms``, for the workers to stop. False when some are still
        inside a call that cannot be interrupted (a network read): the caller decides (the app exits anyway)."""
        self.cancel_all()
        return self._pool.waitForDone(timeout_ms)

    @property
    def busy(self) -> bool:
        return self._pool.activeThreadCount() > 0
