"""GUI fixtures: a real AppContext per test, and the runtime shut down afterwards so no worker outlives it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ics_workbench.gui.context import AppContext


@pytest.fixture
def context(qapp: object) -> Iterator[AppContext]:
    ctx = AppContext()
    yield ctx
    assert ctx.runtime.shutdown(10_000), "a background job did not stop after cancel"
