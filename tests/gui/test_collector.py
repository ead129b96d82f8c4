"""The collector policy: what survives a task is frozen, and frozen cyclic garbage is still reclaimed."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ics_workbench.gui.collector import CollectorPolicy
from ics_workbench.gui.context import AppContext


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


@pytest.fixture
def policy(qapp: QApplication, context: AppContext) -> Iterator[CollectorPolicy]:
    gc.unfreeze()
    installed = CollectorPolicy(qapp, context.runtime)
    yield installed
    installed.close()
    installed.deleteLater()


def test_what_survives_a_finished_task_is_frozen(qtbot: QtBot, context: AppContext, policy: CollectorPolicy) -> None:
    assert gc.get_freeze_count() == 0
    with qtbot.waitSignal(context.runtime.sig_task_finished, timeout=5_000):
        context.runtime.run(lambda _job: [object() for _ in range(1000)], on_success=lambda _r: None)
    # Automatic collections now skip the objects the app held when the result arrived.
    assert gc.get_freeze_count() > 1000


def test_frozen_cyclic_garbage_is_reclaimed_by_a_sweep(policy: CollectorPolicy) -> None:
    node = _Node()
    alive = weakref.ref(node)
    policy.freeze_survivors()
    del node
    gc.collect()
    assert alive() is not None  # frozen: the ordinary collector leaves it
    policy.sweep()
    assert alive() is None
    assert gc.get_freeze_count() > 0  # the survivors are frozen again


def test_leaving_the_window_sweeps(qapp: QApplication, policy: CollectorPolicy) -> None:
    node = _Node()
    alive = weakref.ref(node)
    policy.freeze_survivors()
    del node
    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert alive() is not None and policy.sweeps == 0  # still in front: no full pass
    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    assert alive() is None and policy.sweeps == 1


def test_close_hands_the_heap_back(policy: CollectorPolicy) -> None:
    policy.freeze_survivors()
    policy.close()
    assert gc.get_freeze_count() == 0
