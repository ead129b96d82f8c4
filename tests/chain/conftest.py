"""Fixtures: real local chain servers (see fakechain.py) and fast network settings for tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ics_workbench.chain.connect import HttpSettings
from tests.chain.fakechain import FakeChain

FAST = HttpSettings(timeout=2.0, retries=2, backoff=0.01, max_workers=4)
"""Short backoff keeps retry tests quick; the retry count is what tests assert."""


@pytest.fixture
def fake_chain() -> Iterator[Callable[..., FakeChain]]:
    """Start any number of fake nodes; all are stopped after the test."""
    started: list[FakeChain] = []

    def make(**kwargs: object) -> FakeChain:
        chain = FakeChain(**kwargs).start()  # type: ignore[arg-type]
        started.append(chain)
        return chain

    yield make
    for chain in started:
        chain.stop()
