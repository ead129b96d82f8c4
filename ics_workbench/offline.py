"""Offline (air-gapped) mode: refuse every internet socket inside this process.

An air-gapped signer must not open a socket even by accident (a stray import that phones home, a
misconfigured endpoint). Enabling offline mode replaces socket creation and name resolution for IP families
with functions that raise :class:`OfflineError`; Unix sockets (D-Bus to the keyring) keep working.
"""

from __future__ import annotations

import socket
from typing import Any

from ics_workbench.errors import OfflineError

_IP_FAMILIES = {socket.AF_INET, socket.AF_INET6}
_enabled = False
_original_socket_init = socket.socket.__init__


def _guarded_init(self: socket.socket, family: int = -1, type: int = -1, proto: int = -1, fileno: int | None = None) -> None:
    if fileno is None and (family in _IP_FAMILIES or family == -1):
        raise OfflineError("offline mode: opening a network socket is not allowed")
    _original_socket_init(self, family, type, proto, fileno)


def _refuse(*_: Any, **__: Any) -> Any:
    raise OfflineError("offline mode: network name resolution and connections are not allowed")


def enable_offline_mode() -> None:
    """Irreversibly (for this process) forbid IP sockets; the air-gapped signer calls this at start."""
    global _enabled
    socket.socket.__init__ = _guarded_init  # type: ignore[method-assign]
    socket.getaddrinfo = _refuse
    socket.gethostbyname = _refuse
    socket.create_connection = _refuse
    _enabled = True


def is_offline() -> bool:
    return _enabled
