"""Keeps every live connection's status honest: a look at each node every few seconds (off the GUI thread),
amber when the chain stops making blocks, red with a plain reason when the node stops answering, green again
when it recovers. The last good data stays on screen, marked with the height and time it is from.

Each look goes through the connection's lease (a refresh or disconnect in Connections aborts it) and a
per-profile "latest request wins", so a slow node never piles up looks.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from ics_workbench.gui import formatting as fmt
from ics_workbench.gui.context import AppContext, LinkState
from ics_workbench.tasks import Latest

if TYPE_CHECKING:
    from ics_workbench.chain.liveness import BlockClock, Liveness
    from ics_workbench.tasks import Job

INTERVAL_MS = 4_000


class LivenessMonitor(QObject):
    def __init__(self, context: AppContext, interval_ms: int = INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._latest: dict[str, Latest] = {}
        self._clocks: dict[str, BlockClock] = {}
        self._running: set[str] = set()
        self._flagged: set[str] = set()  # profiles whose state this monitor turned amber/red
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check_all)
        if not context.offline:
            self.timer.start()

    def check_all(self) -> None:
        for name, state in self.context.connections.items():
            if state.lease is None or state.lease.retired or name in self._running:
                continue
            if state.state not in (LinkState.CONNECTED, LinkState.WARNING, LinkState.FAILED):
                continue
            self.check(name)

    def check(self, name: str) -> None:
        state = self.context.connection(name)
        if state is None or state.lease is None:
            return
        lease = state.lease

        def op(job: Job) -> Any:
            return lease.acquire(job).comet.status(job=job)

        self._running.add(name)
        latest = self._latest.setdefault(name, Latest())
        self.context.runtime.run(op, on_success=lambda status: self._seen(name, lease, status, None),
                                 on_failure=lambda _m, error: self._seen(name, lease, None, error),
                                 progress_label=f"checking {name}", latest=latest, background=True)

    def _seen(self, name: str, lease: Any, status: Any, error: BaseException | None) -> None:
        from ics_workbench.chain.liveness import DOWN, LIVE, BlockClock, assess
        from ics_workbench.errors import CancelledError, ResourceClosedError

        self._running.discard(name)
        state = self.context.connection(name)
        if state is None or state.lease is not lease or isinstance(error, (CancelledError, ResourceClosedError)):
            return  # reconnected, disconnected or quitting meanwhile: this look is about an old connection
        clock = self._clocks.setdefault(name, BlockClock())
        if status is not None:
            clock.add(status.latest_height, status.latest_time)
        verdict: Liveness = assess(status, error, block_seconds=clock.block_seconds)
        if verdict.level == LIVE:
            changes: dict[str, Any] = {"height": verdict.height, "lag_seconds": verdict.block_age_seconds,
                                       "checked_at": time.time()}
            if name in self._flagged:
                self._flagged.discard(name)
                changes.update(state=LinkState.CONNECTED, message="")
            self.context.set_connection(state.evolve(**changes))
            return
        self._flagged.add(name)
        as_of = (f" — the data shown is as of height {state.overview.height:,} ({fmt.timestamp(state.overview.time)})"
                 if state.overview is not None else "")
        level = LinkState.FAILED if verdict.level == DOWN else LinkState.WARNING
        changes = {"state": level, "message": verdict.message + as_of}
        if verdict.height is not None:
            changes.update(height=verdict.height, lag_seconds=verdict.block_age_seconds, checked_at=time.time())
        self.context.set_connection(state.evolve(**changes))
