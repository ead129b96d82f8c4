"""The key list: create (mnemonic shown once), recover, watch-only, delete, address under another prefix.

Keyring calls go through the runtime: a Secret Service may block on an unlock prompt, and the GUI must not
freeze while it does. A keyring failure is shown with the core's own explanation of what to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.errors import WorkbenchError
from ics_workbench.gui.models import ColumnSpec, RowTableModel
from ics_workbench.gui.panels.signing.key_dialogs import (
    MnemonicDialog,
    NewKeyDialog,
    RecoverKeyDialog,
    WatchKeyDialog,
    error_label,
    set_error,
)
from ics_workbench.gui.widgets.table_view import TableView
from ics_workbench.signing.keystore import KeyRecord, KeyringUnavailableError, KeyStore

if TYPE_CHECKING:
    from ics_workbench.gui.context import AppContext
    from ics_workbench.tasks import Job

KEY_COLUMNS: tuple[ColumnSpec[KeyRecord], ...] = (
    ColumnSpec("Name", lambda r: r.name),
    ColumnSpec("Kind", lambda r: "local" if r.kind == "local" else "watch-only"),
    ColumnSpec("Address", lambda r: r.address, max_width=None),  # the one column a signer compares in full
    ColumnSpec("HD path", lambda r: r.hd_path or ("raw key" if r.source == "private_key" else "—")),
)


def keyring_message(message: str, error: BaseException) -> str:
    if isinstance(error, KeyringUnavailableError):
        return f"Keyring unavailable: {message}"
    return message


class KeysTab(QWidget):
    sig_keys_loaded = Signal(int)  # number of keys listed
    sig_key_added = Signal(str)  # key name
    sig_key_deleted = Signal(str)
    sig_failed = Signal(str)
    sig_mnemonic_shown = Signal(object)  # the MnemonicDialog, so tests and screenshots can reach it

    def __init__(self, context: AppContext, store: KeyStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.store = store
        self.model: RowTableModel[KeyRecord] = RowTableModel(KEY_COLUMNS, parent=self)
        self.table = TableView(self.model, empty_text="No keys yet: create, recover or add a watch-only account.")
        self.table.view.selectionModel().currentRowChanged.connect(self._on_current)

        self.create_button = QPushButton("Create…")
        self.create_button.setToolTip(
            "Create a new key: a fresh mnemonic stored in the OS keyring (write the words down)"
        )
        self.create_button.clicked.connect(self.open_create_dialog)
        self.recover_button = QPushButton("Recover…")
        self.recover_button.setToolTip("Recover a key from its mnemonic into the OS keyring")
        self.recover_button.clicked.connect(self.open_recover_dialog)
        self.watch_button = QPushButton("Add watch-only…")
        self.watch_button.setToolTip(
            "Add an account by its public key only: requests can be built for it and signed elsewhere"
        )
        self.watch_button.clicked.connect(self.open_watch_dialog)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip(
            "Remove the selected key from the keyring and the key list (asks first; the mnemonic is the only way back)"
        )
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.confirm_delete)
        buttons = QHBoxLayout()
        for button in (self.create_button, self.recover_button, self.watch_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.prefix_edit = QLineEdit()
        self.prefix_edit.setPlaceholderText("bech32 prefix, e.g. neutron")
        self.prefix_edit.returnPressed.connect(self.show_other_prefix)
        self.prefix_button = QPushButton("Show address")
        self.prefix_button.setToolTip(
            "Show the selected key's address with another bech32 prefix (same key, another chain)"
        )
        self.prefix_button.clicked.connect(self.show_other_prefix)
        self.prefix_result = QLabel()
        self.prefix_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        prefix_row = QHBoxLayout()
        prefix_row.addWidget(QLabel("Address of the selected key for prefix"))
        prefix_row.addWidget(self.prefix_edit)
        prefix_row.addWidget(self.prefix_button)
        prefix_row.addWidget(self.prefix_result, 1)

        self.details = KeyDetails()
        self.error_label = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(prefix_row)

    # --- listing -----------------------------------------------------------------------------------------

    def reload(self) -> None:
        store = self.store
        self.context.runtime.run(lambda job: store.list(), on_success=self._show_keys, on_failure=self._fail,
                                 progress_label="reading keys", cancellable=False)

    def _show_keys(self, records: list[KeyRecord]) -> None:
        self.model.set_rows(records)
        self._on_current()
        self.sig_keys_loaded.emit(len(records))

    def selected(self) -> KeyRecord | None:
        index = self.table.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.rows[self.table.proxy.mapToSource(index).row()]

    def select(self, name: str) -> None:
        for row, record in enumerate(self.model.rows):
            if record.name == name:
                self.table.view.setCurrentIndex(self.table.proxy.mapFromSource(self.model.index(row, 0)))
                return

    def _on_current(self, *_: object) -> None:
        record = self.selected()
        self.delete_button.setEnabled(record is not None)
        self.details.show_record(record)
        self.prefix_result.clear()

    def _fail(self, message: str, error: BaseException | None = None) -> None:
        text = keyring_message(message, error) if error is not None else message
        set_error(self.error_label, text)
        self.sig_failed.emit(text)

    # --- adding --------------------------------------------------------------------------------------------

    def open_create_dialog(self) -> NewKeyDialog:
        dialog = NewKeyDialog(self)
        dialog.on_submit = self._create
        dialog.open()
        return dialog

    def _create(self, dialog: NewKeyDialog) -> None:
        store = self.store
        name, path, prefix = (
            dialog.name_edit.text().strip(),
            dialog.path_edit.text().strip(),
            dialog.prefix_edit.text().strip(),
        )

        def op(job: Job) -> tuple[KeyRecord, str]:
            return store.create(name, hd_path=path, prefix=prefix)

        def done(result: tuple[KeyRecord, str]) -> None:
            record, phrase = result
            dialog.accept()
            self._added(record)
            shown = MnemonicDialog(record.name, record.address, phrase, self)
            del phrase
            shown.finished.connect(shown.deleteLater)
            shown.open()
            self.sig_mnemonic_shown.emit(shown)

        self.context.runtime.run(op, on_success=done, on_failure=lambda m, e: dialog.failed(keyring_message(m, e)),
                                 progress_label="creating key", cancellable=False)

    def open_recover_dialog(self) -> RecoverKeyDialog:
        dialog = RecoverKeyDialog(self)
        dialog.on_submit = self._recover
        dialog.open()
        return dialog

    def _recover(self, dialog: RecoverKeyDialog) -> None:
        store = self.store
        name, path, prefix = (
            dialog.name_edit.text().strip(),
            dialog.path_edit.text().strip(),
            dialog.prefix_edit.text().strip(),
        )
        mnemonic, passphrase = dialog.mnemonic_edit.toPlainText(), dialog.passphrase_edit.text()

        def op(job: Job) -> KeyRecord:
            return store.recover(name, mnemonic, hd_path=path, passphrase=passphrase, prefix=prefix)

        def done(record: KeyRecord) -> None:
            dialog.clear_secrets()
            dialog.accept()
            self._added(record)

        self.context.runtime.run(op, on_success=done, on_failure=lambda m, e: dialog.failed(keyring_message(m, e)),
                                 progress_label="recovering key", cancellable=False)

    def open_watch_dialog(self) -> WatchKeyDialog:
        dialog = WatchKeyDialog(self)
        dialog.on_submit = self._watch
        dialog.open()
        return dialog

    def _watch(self, dialog: WatchKeyDialog) -> None:
        try:
            record = self.store.add_watch(dialog.name_edit.text().strip(), dialog.address_edit.text().strip(),
                                          dialog.pubkey_edit.text().strip() or None)
        except WorkbenchError as exc:
            dialog.failed(str(exc))
            return
        dialog.accept()
        self._added(record)

    def _added(self, record: KeyRecord) -> None:
        set_error(self.error_label, "")
        self.context.show_status(f"key {record.name} added ({record.address})")
        self.sig_key_added.emit(record.name)
        self.reload()

    # --- removing and showing -------------------------------------------------------------------------------

    def confirm_delete(self) -> None:
        record = self.selected()
        if record is None:
            return
        what = "and its secret in the OS keyring" if record.kind == "local" else "(watch-only: no secret)"
        box = QMessageBox(QMessageBox.Icon.Warning, "Delete key",
                          f"Delete key {record.name} ({record.address}) {what}?\n\n"
                          "Without its recovery phrase the account cannot be used again.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda result: self._delete(record.name) if result == QMessageBox.StandardButton.Yes
                             else None)
        box.open()

    def _delete(self, name: str) -> None:
        store = self.store

        def done(_: object) -> None:
            self.context.show_status(f"key {name} deleted")
            self.sig_key_deleted.emit(name)
            self.reload()

        self.context.runtime.run(lambda job: store.delete(name), on_success=done, on_failure=self._fail,
                                 progress_label="deleting key", cancellable=False)

    def show_other_prefix(self) -> None:
        record = self.selected()
        if record is None:
            self.prefix_result.setText("select a key first")
            return
        try:
            self.prefix_result.setText(record.address_for(self.prefix_edit.text().strip()))
            self.prefix_result.setStyleSheet("")
        except WorkbenchError as exc:
            self.prefix_result.setText(str(exc))
            self.prefix_result.setStyleSheet("color: #c0392b;")


class KeyDetails(QGroupBox):
    """The selected key's address, public key and HD path, each with a copy button: the public key is what a
    watch-only account on the online machine needs, and reading it off a screen is error-prone."""

    FIELDS = (("address", "Address"), ("pubkey", "Public key (base64)"), ("hd_path", "HD path"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Key details", parent)
        grid = QGridLayout(self)
        self.values: dict[str, QLabel] = {}
        self.copy_buttons: dict[str, QPushButton] = {}
        for row, (key, label) in enumerate(self.FIELDS):
            value = QLabel("—")
            value.setObjectName(f"key_{key}")
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            copy = QPushButton("Copy")
            copy.setObjectName(f"copy_{key}")
            copy.setToolTip(f"Copy the {label.lower()} to the clipboard")
            copy.clicked.connect(lambda _=False, k=key: self.copy(k))
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(value, row, 1)
            grid.addWidget(copy, row, 2)
            self.values[key] = value
            self.copy_buttons[key] = copy
        grid.setColumnStretch(1, 1)
        self.show_record(None)

    def show_record(self, record: KeyRecord | None) -> None:
        texts = {
            "address": record.address if record else "",
            "pubkey": (record.pubkey or "unknown (watch-only account added without it)") if record else "",
            "hd_path": (record.hd_path or ("raw private key" if record.source == "private_key" else "—"))
            if record else "",
        }
        copyable = {"address": bool(record), "pubkey": bool(record and record.pubkey),
                    "hd_path": bool(record and record.hd_path)}
        for key, label in self.values.items():
            label.setText(texts[key] or "—")
            self.copy_buttons[key].setEnabled(copyable[key])
        self.setTitle(f"Key details — {record.name}" if record else "Key details (select a key)")

    def copy(self, key: str) -> str:
        text = self.values[key].text()
        QGuiApplication.clipboard().setText(text)
        return text
