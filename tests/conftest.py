"""Test-wide setup: a display for Qt, fresh app directories and an in-memory keyring for every test.

No test touches a public network; chain tests use local servers or the real local devnet.
"""

from __future__ import annotations

import os

# Qt must know its platform before any QApplication exists. Under xvfb-run (the README test command) a real
# X display is present and windows are real; elsewhere fall back to offscreen rendering.
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives only as long as one test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        import keyring.errors

        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config/data/cache directories."""
    home = tmp_path / "ics-workbench-home"
    monkeypatch.setenv("ICS_WORKBENCH_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def memory_keyring(request: pytest.FixtureRequest) -> Iterator[MemoryKeyring | None]:
    """An in-memory keyring per test, except for tests that use the real Secret Service."""
    if request.node.get_closest_marker("keyring_service"):
        yield None
        return
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def default_network_limits() -> Iterator[None]:
    """`cli.main` sets process-wide network limits and starts the command deadline; a test that calls it must not
    leave that deadline running into later tests (they would fail with "command deadline ... reached")."""
    yield
    from ics_workbench.netlimits import NetworkLimits, configure

    configure(NetworkLimits())
