"""The Connections panel: profile list, connect/disconnect/refresh, and what the connected chain is.

Connecting (``connect`` + the overview load) runs through the runtime; each profile has at most one job in
flight, a failure stays on that profile (message in the panel, red dot in the status bar) and never touches
other connections. Core modules are imported inside the worker op or on first use, so opening the window
does not pay for pydantic or httpx.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
from ics_workbench.gui.panels.connections.profile_list import ProfileList
from ics_workbench.gui.resources import icon
from ics_workbench.gui.runtime import Task
from ics_workbench.gui.widgets.pages import MessagePage

if TYPE_CHECKING:
    from ics_workbench.chain.profiles import ConnectionProfile
    from ics_workbench.gui.panels.connections.overview_views import ConsumerOverviewView, ProviderOverviewView
    from ics_workbench.tasks import Job

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #c0392b;"
WARNING_STYLE = "color: #a86a00;"


def _close(state: ConnectionState | None) -> None:
    """Release the HTTP clients of a connection that is being replaced or dropped; jobs of other panels that
    still use it are aborted with "the connection to X was closed" (see ``tasks.Lease``)."""
    if state is not None and state.connection is not None:
        try:
            if state.lease is not None:
                state.lease.retire()
            else:
                state.connection.close()
        except Exception:  # closing must never take a disconnect down with it
            log.exception("closing connection %s failed", state.name)


def _same_settings(a: ConnectionProfile, b: ConnectionProfile) -> bool:
    return a.model_copy(update={"capabilities": None}) == b.model_copy(update={"capabilities": None})


def _tool_button(text: str, icon_name: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setIcon(icon(icon_name))
    button.setToolTip(tip)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    return button


class ConnectionsPanel(ProfileList, QWidget):
    sig_profiles_loaded = Signal()
    sig_connected = Signal(str)  # profile name; the overview is shown
    sig_connection_failed = Signal(str, str)  # profile name, message
    sig_disconnected = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._profiles: dict[str, ConnectionProfile] = {}
        self._tasks: dict[str, Task[Any]] = {}
        self._provider_view: ProviderOverviewView | None = None
        self._consumer_view: ConsumerOverviewView | None = None
        self._filled: dict[str, tuple[str, int]] = {}  # view -> (profile, id of the overview it shows)

        # Widgets join the panel's focus chain in creation order: the profiles, then the connection.
        left = self._build_profiles_side()
        right = self._build_connection_side()

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 950])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        context.sig_connection_changed.connect(self._on_connection_changed)
        context.sig_offline_changed.connect(lambda _on: self._refresh_detail())
        self._refresh_detail()
        self._profiles_requested = False

    # -- layout -----------------------------------------------------------------------------------------------

    def _build_profiles_side(self) -> QWidget:
        """Left: the profile list, its buttons and the profile error."""
        self.profile_list = QListWidget()
        self.profile_list.setIconSize(QSize(12, 12))
        self.profile_list.currentItemChanged.connect(lambda *_: self._refresh_detail())
        self.profile_list.itemActivated.connect(lambda *_: self.connect_selected())  # Enter or double click
        self.add_button = _tool_button("Add", "add", "Add a connection profile")
        self.edit_button = _tool_button("Edit", "edit", "Edit the selected profile")
        self.remove_button = _tool_button("Remove", "remove", "Remove the selected profile")
        self.import_button = _tool_button("Import chain.json…", "import", "Import a chain-registry chain.json file")
        self.add_button.clicked.connect(lambda: self.open_profile_dialog())
        self.edit_button.clicked.connect(self._edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button.clicked.connect(self._choose_chain_json)
        self.profile_error = QLabel()
        self.profile_error.setTextFormat(Qt.TextFormat.PlainText)  # shows chain/profile text
        self.profile_error.setStyleSheet(ERROR_STYLE)
        self.profile_error.setWordWrap(True)
        self.profile_error.setVisible(False)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        import_row = QHBoxLayout()
        import_row.addWidget(self.import_button)
        import_row.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Profiles")
        title.setStyleSheet("font-weight: bold;")
        left_layout.addWidget(title)
        left_layout.addWidget(self.profile_list, 1)
        left_layout.addLayout(buttons)
        left_layout.addLayout(import_row)
        left_layout.addWidget(self.profile_error)
        return left

    def _build_connection_side(self) -> QWidget:
        """Right: the selected profile's header, actions, message and overview pages."""
        actions = self._build_actions()
        self.empty_page = MessagePage("No connection", "")
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(self.empty_page)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.header_label)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.message_label)
        right_layout.addWidget(self.detail_stack, 1)
        return right

    def _build_actions(self) -> QHBoxLayout:
        """Header label, message label, then Connect / Refresh / Disconnect with the progress and Cancel."""
        self.header_label = QLabel()
        self.header_label.setTextFormat(Qt.TextFormat.PlainText)  # shows chain/profile text
        self.header_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.header_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label = QLabel()
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)  # shows chain/profile text
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.connect_button = QPushButton(icon("connect"), "Connect")
        self.connect_button.setToolTip(
            "Connect to the selected profile's endpoints (or refresh the connection) and load the chain's overview"
        )
        self.disconnect_button = QPushButton(icon("disconnect"), "Disconnect")
        self.disconnect_button.setToolTip(
            "Close this chain's connection: panels stop using it and its work in progress is cancelled"
        )
        self.refresh_button = QPushButton(icon("refresh"), "Refresh")
        self.connect_button.clicked.connect(self.connect_selected)
        self.disconnect_button.clicked.connect(self.disconnect_selected)
        self.refresh_button.clicked.connect(self.connect_selected)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setMaximumWidth(220)
        self.progress_label = QLabel()
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)  # shows chain/profile text
        self.cancel_button = QPushButton(icon("cancel"), "Cancel")
        self.cancel_button.clicked.connect(self.cancel_selected)
        actions = QHBoxLayout()
        for widget in (self.connect_button, self.refresh_button, self.disconnect_button):
            actions.addWidget(widget)
        actions.addSpacing(12)
        actions.addWidget(self.progress_bar)
        actions.addWidget(self.progress_label)
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)
        return actions

    def paintEvent(self, event: QPaintEvent) -> None:
        """Load the profiles once the panel has been painted: the load imports pydantic and httpx (about
        0.3 s of CPU), which on a worker thread would still compete with the first paint for the GIL."""
        super().paintEvent(event)
        if not self._profiles_requested:
            self._profiles_requested = True
            QTimer.singleShot(0, self.reload_profiles)

    # -- connections ------------------------------------------------------------------------------------------

    def connect_selected(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.connect_profile(name)

    def connect_profile(self, name: str) -> Task[Any] | None:
        """Connect (or refresh) ``name``: status, detection and the overview, off the GUI thread."""
        if self.context.offline:
            self._set_state(name, LinkState.FAILED, message="offline mode: network connections are disabled")
            return None
        if name in self._tasks:
            return self._tasks[name]
        profile = self._profiles[name]
        provider = None
        if profile.role == "consumer" and profile.provider_profile:
            provider = self.context.lease(profile.provider_profile)
        previous = self.context.connection(name)
        self._set_state(name, LinkState.CONNECTING, keep=previous, message="connecting…")

        def op(job: Job) -> Any:
            from ics_workbench.gui.panels.connections.overview_rows import load

            return load(profile, provider, job)

        holder: list[Task[Any]] = []  # lets the callbacks tell their task from a newer one for the same name
        task = self.context.runtime.run(
            op,
            on_success=lambda result: self._connected(name, profile, result) if self._finish(name, holder) else None,
            on_failure=lambda message, error: self._failed(name, message, error)
            if self._finish(name, holder)
            else None,
            progress_label=f"Connecting {name}",
        )
        holder.append(task)
        self._tasks[name] = task
        task.sig_progress.connect(lambda *_: self._refresh_progress())
        self._refresh_detail()
        return task

    def _finish(self, name: str, holder: list[Task[Any]]) -> bool:
        """Forget the finished task. False when it is no longer the profile's task (disconnect or removal
        dropped it, maybe followed by a new connect): its outcome must not overwrite the newer state."""
        if self._tasks.get(name) is holder[0]:
            del self._tasks[name]
            return True
        return False

    def _connected(self, name: str, profile: ConnectionProfile, result: Any) -> None:
        from ics_workbench.errors import WorkbenchError
        from ics_workbench.gui.panels.connections.overview_rows import connection_state

        state = connection_state(name, result)
        current = self._profiles.get(name)
        # Record the detected capabilities, unless the user edited the profile while it was connecting.
        if current is not None and _same_settings(current, profile):
            self._profiles[name] = result.profile
            try:
                self.context.profiles.save(result.profile)  # records the detected capabilities
            except WorkbenchError as error:
                log.warning("could not record capabilities of %s: %s", name, error)
        previous = self.context.connection(name)
        self.context.set_connection(state)
        _close(previous)
        self.sig_connected.emit(name)

    def _failed(self, name: str, message: str, error: BaseException) -> None:
        from ics_workbench.errors import CancelledError

        previous = self.context.connection(name)
        if isinstance(error, CancelledError):
            if previous is not None and previous.overview is not None:
                self._set_state(name, LinkState.CONNECTED, keep=previous, message="refresh cancelled")
            else:
                self.context.drop_connection(name)
            self.sig_connection_failed.emit(name, message)
            return
        self._set_state(name, LinkState.FAILED, keep=previous, message=message)
        self.sig_connection_failed.emit(name, message)

    def _set_state(
        self, name: str, state: LinkState, *, keep: ConnectionState | None = None, message: str = ""
    ) -> None:
        profile = self._profiles.get(name)
        role = profile.role if profile else ""
        if keep is not None:
            new = keep.evolve(state=state, message=message)
        else:
            new = ConnectionState(name, role, state, chain_id=profile.chain_id if profile else "", message=message)
        self.context.set_connection(new)

    def disconnect_selected(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.disconnect(name)

    def disconnect(self, name: str) -> None:  # type: ignore[override]  # a profile, not QObject's signal API
        task = self._tasks.pop(name, None)
        if task is not None:
            task.cancel()
        previous = self.context.connection(name)
        if previous is not None:
            self.context.drop_connection(name)
            _close(previous)
            self.sig_disconnected.emit(name)

    def cancel_selected(self) -> None:
        name = self.selected_name()
        if name is not None and name in self._tasks:
            self._tasks[name].cancel()

    # -- detail -----------------------------------------------------------------------------------------------

    def _on_connection_changed(self, name: str) -> None:
        for row in range(self.profile_list.count()):
            item = self.profile_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                self._style_item(item)
        if name == self.selected_name():
            self._refresh_detail()

    def _refresh_progress(self) -> None:
        name = self.selected_name()
        task = self._tasks.get(name) if name else None
        busy = task is not None
        for widget in (self.progress_bar, self.progress_label, self.cancel_button):
            widget.setVisible(busy)
        if task is not None:
            if task.fraction <= 0:
                self.progress_bar.setRange(0, 0)
            else:
                self.progress_bar.setRange(0, 1000)
                self.progress_bar.setValue(int(task.fraction * 1000))
            self.progress_label.setText(task.message)

    def _refresh_detail(self) -> None:
        name = self.selected_name()
        profile = self._profiles.get(name) if name else None
        state = self.context.connection(name) if name else None
        has_profile = profile is not None
        busy = name in self._tasks if name else False
        self.edit_button.setEnabled(has_profile)
        self.remove_button.setEnabled(has_profile)
        live = state is not None and state.overview is not None
        self.connect_button.setVisible(not live)
        self.refresh_button.setVisible(live)
        self.connect_button.setEnabled(has_profile and not busy and not self.context.offline)
        self.refresh_button.setEnabled(has_profile and not busy)
        self.disconnect_button.setEnabled(state is not None)
        self._refresh_progress()

        if profile is None:
            self.header_label.setText("Connections")
            self._set_message("", "")
            self.empty_page.title_label.setText("No profile selected" if self._profiles else "No profiles yet")
            self.empty_page.text_label.setText(
                "Select a profile on the left and press Connect."
                if self._profiles
                else "Add a provider or consumer chain with Add, or Import a chain-registry chain.json file."
            )
            self.detail_stack.setCurrentWidget(self.empty_page)
            return
        self.header_label.setText(f"{profile.name}  —  {profile.chain_id} ({profile.role})")
        if state is None:
            self._set_message("offline mode: connecting is disabled" if self.context.offline else "", "warning")
        elif state.state == LinkState.FAILED:
            self._set_message(state.message, "error")
        elif state.state == LinkState.WARNING or (state.message and state.state == LinkState.CONNECTED):
            self._set_message(state.message, "warning")
        else:
            self._set_message(state.message if state.state == LinkState.CONNECTING else "", "")
        if live and state is not None:
            self._show_overview(profile, state)
        else:
            failed = state is not None and state.state == LinkState.FAILED
            self.empty_page.title_label.setText("Connection failed" if failed else "Not connected")
            self.empty_page.text_label.setText(
                "Press Connect to query the node, detect what it speaks and load the overview.\n"
                f"RPC: {', '.join(e.url for e in profile.rpc)}\nREST: {', '.join(e.url for e in profile.rest)}"
            )
            self.detail_stack.setCurrentWidget(self.empty_page)

    def _set_message(self, text: str, kind: str) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if kind == "error" else WARNING_STYLE if kind == "warning" else "")
        self.message_label.setVisible(bool(text))

    def _prepare_views(self) -> None:
        """Build the overview widgets while the app is idle, so a connect does not pay for them on arrival."""
        from ics_workbench.gui.panels.connections.overview_views import ConsumerOverviewView, ProviderOverviewView

        if self._provider_view is None:
            self._provider_view = ProviderOverviewView()
            self.detail_stack.addWidget(self._provider_view)
        if self._consumer_view is None:
            self._consumer_view = ConsumerOverviewView()
            self.detail_stack.addWidget(self._consumer_view)

    def _show_overview(self, profile: ConnectionProfile, state: ConnectionState) -> None:
        from ics_workbench.gui.panels.connections import overview_rows
        from ics_workbench.gui.panels.connections.overview_views import ConsumerOverviewView, ProviderOverviewView

        # A liveness look or a fee edit changes the state but not the overview: refilling 500-row tables for
        # that would freeze the window every few seconds, so the views are filled once per overview.
        shown = (profile.name, id(state.overview))
        if profile.role == "provider":
            if self._provider_view is None:
                self._provider_view = ProviderOverviewView()
                self.detail_stack.addWidget(self._provider_view)
            if self._filled.get("provider") != shown:
                overview_rows.fill_provider(self._provider_view, state)
                self._filled["provider"] = shown
            self.detail_stack.setCurrentWidget(self._provider_view)
        else:
            if self._consumer_view is None:
                self._consumer_view = ConsumerOverviewView()
                self.detail_stack.addWidget(self._consumer_view)
            if self._filled.get("consumer") != shown:
                overview_rows.fill_consumer(self._consumer_view, state)
                self._filled["consumer"] = shown
            self.detail_stack.setCurrentWidget(self._consumer_view)

    @property
    def provider_view(self) -> ProviderOverviewView | None:
        return self._provider_view

    @property
    def consumer_view(self) -> ConsumerOverviewView | None:
        return self._consumer_view
