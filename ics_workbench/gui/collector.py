"""When Python's cyclic garbage collector may walk the whole heap: not while the user is working.

A full collection visits every tracked object while holding the GIL. With a provider's overlaps loaded the app
holds ~140,000 of them and a full pass takes ~50 ms here; whichever thread happens to trigger it (in the stall
benchmark, a worker drawing QR frames) freezes the window for that long, because the GUI thread needs the GIL
for every Python slot and timer. So the objects that survive a finished task are moved to the permanent
generation (``gc.freeze``, cheap: it splices lists) and automatic collections walk only what was created since.
Frozen objects are still freed by reference counting; only frozen *cyclic* garbage waits, until a full pass
(unfreeze, collect, freeze) runs when the user leaves the window, or at most every ``SWEEP_EVERY_MS`` while no
task runs.
"""

from __future__ import annotations

import gc
import logging
import time

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from ics_workbench.gui.runtime import Runtime

log = logging.getLogger(__name__)

SWEEP_EVERY_MS = 10 * 60 * 1000
"""Longest time frozen cyclic garbage waits while the window stays in front."""


class CollectorPolicy(QObject):
    def __init__(self, app: QGuiApplication, runtime: Runtime, *, sweep_every_ms: int = SWEEP_EVERY_MS) -> None:
        super().__init__(app)
        self._runtime = runtime
        runtime.sig_task_finished.connect(self.freeze_survivors)
        app.applicationStateChanged.connect(self._state_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(sweep_every_ms)
        self._timer.timeout.connect(self._sweep_if_quiet)
        self._timer.start()
        self.sweeps = 0
        self._closed = False

    def freeze_survivors(self, *_: object) -> None:
        gc.freeze()

    def sweep(self) -> None:
        """One full pass over everything, frozen objects included, then freeze what survived."""
        began = time.perf_counter()
        gc.unfreeze()
        found = gc.collect()
        gc.freeze()
        self.sweeps += 1
        log.debug("full collection: %d unreachable objects, %.1f ms", found, (time.perf_counter() - began) * 1e3)

    def close(self) -> None:
        """Hand the heap back to the ordinary collector (tests, or an app that drops the policy)."""
        if self._closed:
            return
        self._closed = True
        self._timer.stop()
        self._runtime.sig_task_finished.disconnect(self.freeze_survivors)
        gc.unfreeze()

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.sweep()

    def _sweep_if_quiet(self) -> None:
        if not self._runtime.busy:
            self.sweep()
