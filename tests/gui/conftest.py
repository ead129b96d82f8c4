"""GUI fixtures: a real AppContext per test, and the runtime shut down afterwards so no worker outlives it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ics_workbench.gui.context import AppContext
from tests.gui.fileserver import DATA, JsonFileServer


@pytest.fixture
def context(qapp: object) -> Iterator[AppContext]:
    ctx = AppContext()
    yield ctx
    assert ctx.runtime.shutdown(10_000), "a background job did not stop after cancel"


@pytest.fixture
def provider_server() -> Iterator[JsonFileServer]:
    """A small ICS v7 provider (4 consumers, 6 bonded validators) served from ``tests/gui/data/provider``."""
    server = JsonFileServer(DATA / "provider")
    yield server
    server.close()


@pytest.fixture
def consumer_server() -> Iterator[JsonFileServer]:
    """The consumer ``pion-1`` (4 validators), whose provider entry is consumer id 0."""
    server = JsonFileServer(DATA / "consumer")
    yield server
    server.close()
