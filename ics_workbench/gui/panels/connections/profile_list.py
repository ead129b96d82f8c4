# mypy: disable-error-code="misc"
# (a mixin's methods are typed `self: ConnectionsPanel`; mypy flags a self type narrower than the mixin as [misc])
"""The Connections panel's profile list: loading the profile file off the GUI thread, the add/edit dialog,
removing, and importing a chain-registry chain.json. ``ConnectionsPanel`` inherits these methods, so the list
and its state stay on the panel; connecting lives in the panel itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QListWidgetItem

from ics_workbench.gui.context import LinkState
from ics_workbench.gui.untrusted import plain_tooltip
from ics_workbench.gui.widgets.status import STATE_COLOURS, describe_connection

if TYPE_CHECKING:
    from ics_workbench.chain.profiles import ConnectionProfile
    from ics_workbench.gui.panels.connections.panel import ConnectionsPanel
    from ics_workbench.gui.panels.connections.profile_dialog import ProfileDialog
    from ics_workbench.tasks import Job


def _dot(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(QColor("white"))  # stays visible on the selection colour
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


class ProfileList:
    """Profile management for ``ConnectionsPanel`` (mixed in)."""

    @property
    def profiles(self: ConnectionsPanel) -> dict[str, ConnectionProfile]:
        return dict(self._profiles)

    def reload_profiles(self: ConnectionsPanel) -> None:
        """Read the profile file off the GUI thread (first use also imports pydantic and the models)."""
        def op(job: Job) -> list[ConnectionProfile]:
            return self.context.profiles.list()

        self.context.runtime.run(op, on_success=self._profiles_loaded, on_failure=self._profiles_failed,
                                 progress_label="Loading profiles", cancellable=False)

    def _profiles_loaded(self: ConnectionsPanel, profiles: list[ConnectionProfile]) -> None:
        self._profiles = {p.name: p for p in profiles}
        QTimer.singleShot(0, self._prepare_views)
        self._show_profile_error("")
        self._fill_list()
        self.sig_profiles_loaded.emit()

    def _profiles_failed(self: ConnectionsPanel, message: str, _error: BaseException) -> None:
        self._show_profile_error(message)
        self._fill_list()
        self.sig_profiles_loaded.emit()

    def _show_profile_error(self: ConnectionsPanel, message: str) -> None:
        self.profile_error.setText(message)
        self.profile_error.setVisible(bool(message))

    def _fill_list(self: ConnectionsPanel) -> None:
        selected = self.selected_name()
        self.profile_list.clear()
        for profile in sorted(self._profiles.values(), key=lambda p: (p.role != "provider", p.name.lower())):
            item = QListWidgetItem(f"{profile.name}\n{profile.chain_id} · {profile.role}")
            item.setData(Qt.ItemDataRole.UserRole, profile.name)
            self.profile_list.addItem(item)
            self._style_item(item)
        if selected in self._profiles:
            self.select(selected)
        elif self.profile_list.count():
            self.profile_list.setCurrentRow(0)
        self._refresh_detail()

    def _style_item(self: ConnectionsPanel, item: QListWidgetItem) -> None:
        state = self.context.connection(item.data(Qt.ItemDataRole.UserRole))
        colour = STATE_COLOURS[state.state if state else LinkState.DISCONNECTED]
        item.setIcon(_dot(colour))
        item.setToolTip(plain_tooltip(describe_connection(state)) if state else "not connected")  # names chain ids

    def selected_name(self: ConnectionsPanel) -> str | None:
        item = self.profile_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def select(self: ConnectionsPanel, name: str) -> None:
        for row in range(self.profile_list.count()):
            if self.profile_list.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.profile_list.setCurrentRow(row)
                return
        raise KeyError(name)

    def open_profile_dialog(self: ConnectionsPanel, profile: ConnectionProfile | None = None, *,
                            editing: bool = False) -> ProfileDialog:
        """Show the add/edit dialog (window-modal, non-blocking); accepting it saves the profile."""
        from ics_workbench.gui.panels.connections.profile_dialog import ProfileDialog

        providers = sorted(p.name for p in self._profiles.values() if p.role == "provider")
        dialog = ProfileDialog(
            existing_names=set(self._profiles),
            provider_names=providers,
            profile=profile,
            editing=editing,
            parent=self,
        )
        original = profile.name if (profile is not None and editing) else None
        dialog.accepted.connect(lambda: self._save_from_dialog(dialog, original))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _save_from_dialog(self: ConnectionsPanel, dialog: ProfileDialog, original: str | None) -> None:
        profile = dialog.profile
        if profile is None:
            return
        from ics_workbench.errors import WorkbenchError

        try:
            self.context.profiles.save(profile)
            if original is not None and original != profile.name:
                self.context.profiles.delete(original)
                self.disconnect(original)
        except WorkbenchError as error:
            self._show_profile_error(str(error))
            return
        if original is not None and original in self._profiles:
            del self._profiles[original]
        self._profiles[profile.name] = profile
        self._apply_fees_to_live(profile)
        self._show_profile_error("")
        self._fill_list()
        self.select(profile.name)
        self.context.sig_profiles_changed.emit()
        self.context.show_status(f"profile {profile.name!r} saved")

    def _apply_fees_to_live(self: ConnectionsPanel, profile: ConnectionProfile) -> None:
        """Fee denom and gas price take effect at once: the live connection's profile is updated in place
        (endpoints and chain id need a reconnect, fees do not), and panels re-read it on the change signal."""
        state = self.context.connection(profile.name)
        connection = state.connection if state is not None else None
        if state is None or connection is None or connection.profile.chain_id != profile.chain_id:
            return
        connection.profile = connection.profile.model_copy(
            update={"fee_denom": profile.fee_denom, "gas_prices": profile.gas_prices})
        self.context.set_connection(state)

    def _edit_selected(self: ConnectionsPanel) -> None:
        name = self.selected_name()
        if name is not None:
            self.open_profile_dialog(self._profiles[name], editing=True)

    def remove_selected(self: ConnectionsPanel) -> None:
        name = self.selected_name()
        if name is None:
            return
        from ics_workbench.errors import WorkbenchError

        self.disconnect(name)
        try:
            self.context.profiles.delete(name)
        except WorkbenchError as error:
            self._show_profile_error(str(error))
            return
        self._profiles.pop(name, None)
        self._fill_list()
        self.context.sig_profiles_changed.emit()
        self.context.show_status(f"profile {name!r} removed")

    def _choose_chain_json(self: ConnectionsPanel) -> None:
        from ics_workbench.gui import file_dialogs

        path = file_dialogs.open_file(self, "Import chain.json", "chain-json", "chain.json (*.json)")
        if path is not None:
            self.import_chain_json(path)

    def import_chain_json(self: ConnectionsPanel, path: Path) -> ProfileDialog | None:
        """Parse a chain-registry file and open the dialog pre-filled, so the user confirms name and role."""
        from ics_workbench.chain.profiles import import_chain_registry
        from ics_workbench.errors import WorkbenchError

        try:
            profile = import_chain_registry(path)
        except WorkbenchError as error:
            self._show_profile_error(str(error))
            return None
        self._show_profile_error("")
        return self.open_profile_dialog(profile)
