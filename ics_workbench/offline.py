"""Offline (air-gapped) mode: refuse every internet socket inside this process.

An air-gapped signer must not open a socket even by accident (a stray import that phones home, a
misconfigured endpoint). Two layers:

1. an audit hook (``sys.addaudithook``, PEP 578), installed once and never removable: the C socket module
   raises the ``socket.__new__``, ``socket.connect``, ``socket.getaddrinfo``... audit events before it acts, so
   even code calling ``_socket`` directly, or a library holding its own reference to ``socket.socket``, is
   refused; the hook keeps no switch a module could flip back;
2. the Python-level guard (``socket.socket.__init__``, ``getaddrinfo``... replaced), which fails earlier with the
   same :class:`OfflineError` for the common paths.

Only Unix-domain sockets (D-Bus to the keyring) and socket pairs keep working.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

from ics_workbench.errors import OfflineError

_IP_FAMILIES = {socket.AF_INET, socket.AF_INET6}
_enabled = False
_original_socket_init = socket.socket.__init__


def _guarded_init(
    self: socket.socket, family: int = -1, type: int = -1, proto: int = -1, fileno: int | None = None
) -> None:
    if fileno is None and (family in _IP_FAMILIES or family == -1):
        raise OfflineError("offline mode: opening a network socket is not allowed")
    _original_socket_init(self, family, type, proto, fileno)


def _refuse(*_: Any, **__: Any) -> Any:
    raise OfflineError("offline mode: network name resolution and connections are not allowed")


_NAME_EVENTS = frozenset({
    "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo",
})
_ADDRESS_EVENTS = frozenset({"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"})


def _make_hook(refusal: type[Exception]) -> Any:
    unix = socket.AF_UNIX

    def offline_audit_hook(event: str, args: tuple[Any, ...]) -> None:
        if not event.startswith("socket."):
            return
        if event == "socket.__new__":
            if args[1] != unix:  # family; -1 (adopting an unknown file descriptor) is refused as well
                raise refusal("offline mode: opening a network socket is not allowed")
        elif event in _NAME_EVENTS:
            raise refusal("offline mode: network name resolution is not allowed")
        elif event in _ADDRESS_EVENTS:
            address = args[1] if len(args) > 1 else None
            if not isinstance(address, (str, bytes)):  # IP addresses are tuples; Unix paths are str/bytes
                raise refusal("offline mode: network connections are not allowed")

    return offline_audit_hook


_hook_installed = False


def enable_offline_mode() -> None:
    """Irreversibly (for this process) forbid IP sockets; the air-gapped signer calls this at start."""
    global _enabled, _hook_installed
    if not _hook_installed:
        sys.addaudithook(_make_hook(OfflineError))
        _hook_installed = True
    socket.socket.__init__ = _guarded_init  # type: ignore[method-assign]
    socket.getaddrinfo = _refuse
    socket.gethostbyname = _refuse
    socket.create_connection = _refuse
    _enabled = True


_working_offline = False


def set_working_offline(enabled: bool) -> None:
    """The GUI's "Work offline" switch, reversible: while it is on, every request through
    :class:`ics_workbench.chain.http.JsonHttp` (the one way the app reaches a node) is refused before a socket is
    opened. The air-gapped signer uses :func:`enable_offline_mode`, which no code can switch back."""
    global _working_offline
    _working_offline = bool(enabled)


def working_offline() -> bool:
    """True while the GUI's switch is on (the irreversible mode refuses at the socket instead, see above)."""
    return _working_offline
