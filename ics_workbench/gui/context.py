"""The one object every panel receives: settings, profiles, the background runtime and live connections.

Panels never reach for globals (no QSettings() in widgets, no module-level connection registry); what they
share lives here, typed, and changes are announced with ``sig_*`` signals so the status bar and other panels
follow along without knowing who changed what.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ics_workbench.gui.runtime import Runtime
from ics_workbench.gui.settings import WindowSettings

if TYPE_CHECKING:
    from ics_workbench.chain.profiles import ProfileStore


class LinkState(Enum):
    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    WARNING = "warning"  # connected, but something needs attention (catching up, lagging endpoint)
    FAILED = "failed"


@dataclass(frozen=True)
class ConnectionState:
    """What the app knows about one profile's live connection; replaced whole on every change.

    ``connection`` and ``overview`` hold the core's objects (``chain.connect.Connection``,
    ``chain.overview.ProviderOverview``/``ConsumerOverview``); they are typed ``Any`` so this module does not
    import the chain code at start-up. ``lease`` (a ``tasks.Lease`` of that connection) is how other panels
    use the connection in a job: ``lease.acquire(job)`` inside the op, never a kept reference, because the
    Connections panel closes it on refresh and disconnect (the job then fails with "... was closed").
    """

    name: str
    role: str
    state: LinkState
    chain_id: str = ""
    height: int | None = None
    lag_seconds: float | None = None
    message: str = ""
    connection: Any = None
    overview: Any = None
    lease: Any = None
    checked_at: float | None = None  # time.time() of the last answer from the node (overview or liveness probe)

    def evolve(self, **changes: Any) -> ConnectionState:
        return replace(self, **changes)


class AppContext(QObject):
    sig_connection_changed = Signal(str)  # profile name; read the new value with connection(name)
    sig_profiles_changed = Signal()
    sig_status_message = Signal(str)  # short message for the status bar (errors, confirmations)
    sig_sign_requested = Signal(object)  # messages handed to the Keys & Signing panel (see request_signing)
    sig_navigate = Signal(str, object)  # panel key, what to show there (e.g. ("proposal", 7, profile name))
    sig_offline_changed = Signal(bool)  # offline mode switched on (True) or off while the app runs

    def __init__(
        self,
        *,
        offline: bool = False,
        runtime: Runtime | None = None,
        window_settings: WindowSettings | None = None,
        profiles: ProfileStore | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.offline = offline
        self.runtime = runtime or Runtime(parent=self)
        self.window_settings = window_settings or WindowSettings()
        self._profiles = profiles
        self._profiles_lock = threading.Lock()
        self._connections: dict[str, ConnectionState] = {}
        self.pending_signing_request: Any = None

    @property
    def profiles(self) -> ProfileStore:
        """The profile store, created on first use (often on a worker) so start-up does not import pydantic."""
        with self._profiles_lock:
            if self._profiles is None:
                from ics_workbench.chain.profiles import ProfileStore

                self._profiles = ProfileStore()
            return self._profiles

    def connection(self, name: str) -> ConnectionState | None:
        return self._connections.get(name)

    @property
    def connections(self) -> dict[str, ConnectionState]:
        return dict(self._connections)

    def set_connection(self, state: ConnectionState) -> None:
        if state.connection is not None and state.lease is None:  # every live connection is used through a lease
            from ics_workbench.tasks import Lease

            state = state.evolve(lease=Lease(state.connection, f"the connection to {state.name}",
                                             close=lambda c: c.close()))
        self._connections[state.name] = state
        self.sig_connection_changed.emit(state.name)

    def lease(self, name: str) -> Any:
        """The :class:`~ics_workbench.tasks.Lease` of ``name``'s live connection, None when not connected."""
        state = self._connections.get(name)
        return state.lease if state is not None else None

    def retire_all(self) -> None:
        """Close every live connection (on quit): jobs using one stop at once instead of finishing requests."""
        for state in self._connections.values():
            if state.lease is not None:
                state.lease.retire()

    def set_offline(self, enabled: bool) -> None:
        """Work offline from now on (or online again), without a restart. Going offline refuses every request in
        the core at once (:func:`ics_workbench.offline.set_working_offline`: no socket is opened) and closes every
        live connection, so running jobs that use one stop and each panel hears, through
        ``sig_connection_changed``, that its chains are gone; ``sig_offline_changed`` tells panels to disable
        their network actions. Online again, the user reconnects (nothing connects behind their back)."""
        from ics_workbench.offline import set_working_offline

        enabled = bool(enabled)
        if enabled == self.offline:
            return
        self.offline = enabled
        set_working_offline(enabled)
        if enabled:
            for name, state in list(self._connections.items()):
                if state.lease is not None:
                    state.lease.retire()
                self.drop_connection(name)
        self.sig_offline_changed.emit(enabled)

    def drop_connection(self, name: str) -> None:
        if self._connections.pop(name, None) is not None:
            self.sig_connection_changed.emit(name)

    def show_status(self, message: str) -> None:
        self.sig_status_message.emit(message)

    def navigate(self, panel: str, target: Any = None) -> None:
        """Ask the main window to open ``panel`` and show ``target`` there (a link in one panel to another)."""
        self.sig_navigate.emit(panel, target)

    def request_signing(self, request: Any) -> None:
        """Hand messages to the Keys & Signing panel: an object with ``signer``, ``ics_version`` and
        ``protobuf_messages()`` (``proposals.handoff.SigningRequest``) or an offline ``SigningFile``. Kept in
        ``pending_signing_request`` too, because that panel is only built the first time it is opened."""
        self.pending_signing_request = request
        self.sig_sign_requested.emit(request)
