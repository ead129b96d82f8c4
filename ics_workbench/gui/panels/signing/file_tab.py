"""One signing file through its states: open (file or QR frames), review, sign, combine, verify, broadcast.

The review, the sign-bytes hash and the state all come from the file's bytes through the core
(``SigningFile.review_text`` / ``sign_bytes_sha256`` / ``state``), so this view shows exactly what the CLI
and the other machine show. Signing re-states chain id, account, fee and hash in a confirmation before the
keyring is touched; a signed file is written beside the opened one, like ``ics-workbench tx sign``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ics_workbench import addresses
from ics_workbench.errors import WorkbenchError
from ics_workbench.fileio import write_json_atomic
from ics_workbench.gui import file_dialogs
from ics_workbench.gui.panels.signing.air_gap import AirGapTransfer
from ics_workbench.gui.panels.signing.broadcast_flow import broadcast_file
from ics_workbench.gui.panels.signing.chains import fill_chain_combo
from ics_workbench.gui.panels.signing.file_facts import STATE_STYLES, fee_text, signed_path, state_text, suggested_name
from ics_workbench.gui.panels.signing.file_tab_layout import FileTabLayout
from ics_workbench.gui.panels.signing.key_dialogs import set_error
from ics_workbench.gui.panels.signing.keys_tab import keyring_message
from ics_workbench.gui.untrusted import set_plain_text
from ics_workbench.signing.broadcast import BroadcastError, TxResult
from ics_workbench.signing.created import created_objects
from ics_workbench.signing.keystore import KeyRecord, KeyStore
from ics_workbench.signing.offline_file import (
    SigningFile,
    check_for_key,
    combine,
    load,
    merge_partials,
    sign,
    verify,
)
from ics_workbench.signing.request_build import ChainTarget
from ics_workbench.tasks import Latest
from ics_workbench.untrusted_text import visible, visible_repr

if TYPE_CHECKING:
    from ics_workbench.gui.context import AppContext
    from ics_workbench.tasks import Job


class FileTab(FileTabLayout, AirGapTransfer, QWidget):
    sig_file_opened = Signal(str)  # state of the opened file
    sig_signed = Signal(str)  # path the signed (or partially signed) file was written to
    sig_verified = Signal(list)  # findings
    sig_broadcast_done = Signal(object)  # TxResult
    sig_failed = Signal(str)
    sig_confirm_shown = Signal(object)  # the sign confirmation QMessageBox
    sig_qr_shown = Signal(object)  # QrFramesDialog

    def __init__(self, context: AppContext, store: KeyStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.store = store
        self.file: SigningFile | None = None
        self.path: Path | None = None
        self.kept_at: Path | None = None
        self._targets: dict[str, ChainTarget] = {}
        self._local_keys: dict[str, KeyRecord] = {}
        self._latest_qr = Latest()

        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        # Widgets join the tab's focus chain in the order they are added here: top to bottom.
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_file_row())
        layout.addLayout(self._build_banner(mono))
        layout.addWidget(self._build_review(mono), 1)
        layout.addWidget(self._build_sign_box())
        layout.addLayout(self._build_export_row())
        layout.addWidget(self._build_online_box(context.offline))
        for label in self._build_result_labels():
            layout.addWidget(label)

        context.sig_connection_changed.connect(self.refresh_chains)
        context.sig_offline_changed.connect(lambda on: (self.offline_note.setVisible(on), self.refresh_chains()))
        self.refresh_chains()
        self._update_buttons()

    # --- state ------------------------------------------------------------------------------------------

    def _paint_state(self, state: str | None) -> None:
        text, colour = STATE_STYLES[state] if state else ("NO FILE", "#7f8c8d")
        self.state_label.setText(text)
        self.state_label.setStyleSheet(f"background: {colour}; color: white; font-size: 18pt; font-weight: bold; "
                                       "padding: 10px 16px; border-radius: 6px;")

    def refresh_chains(self, *_: object) -> None:
        self._targets = fill_chain_combo(self.chain_combo, self.context)
        self._update_buttons()

    def set_keys(self, records: list[KeyRecord]) -> None:
        """The local keys that can sign (watch-only accounts cannot)."""
        current = self.key_combo.currentText()
        self._local_keys = {r.name: r for r in records if r.kind == "local"}
        self.key_combo.clear()
        self.key_combo.addItems(list(self._local_keys))
        if current in self._local_keys:
            self.key_combo.setCurrentText(current)
        self._choose_signing_key()
        self._update_buttons()

    def _choose_signing_key(self) -> None:
        """Preselect the key that belongs to the opened file (a multisig member that has not signed yet)."""
        file = self.file
        if file is None:
            return
        spec = file.multisig
        signed = {p for p, _ in file.partial_signatures}
        for name, record in self._local_keys.items():
            if spec is None and record.address_bytes == addresses.decode_address(file.address)[1] or (
                    spec is not None and record.public_key_bytes in spec.public_keys
                    and spec.public_keys.index(record.public_key_bytes) not in signed):
                self.key_combo.setCurrentText(name)
                return

    def _update_buttons(self) -> None:
        file = self.file
        state = file.state if file else None
        spec = file.multisig if file else None
        can_sign = state in ("unsigned", "partially_signed") and self.key_combo.count() > 0
        self.sign_button.setEnabled(can_sign)
        self.merge_button.setEnabled(spec is not None and state in ("unsigned", "partially_signed"))
        self.combine_button.setEnabled(spec is not None and state == "partially_signed"
                                       and len(file.partial_signatures) >= spec.threshold)  # type: ignore[union-attr]
        for button in (self.save_button, self.qr_button, self.gaiad_button):
            button.setEnabled(file is not None)
        for button in (self.ur_button, self.ur_import_button):
            button.setEnabled(state in ("unsigned", "partially_signed"))
        self.verify_button.setEnabled(state in ("partially_signed", "signed", "broadcast"))
        online = not self.context.offline and bool(self._targets)
        self.broadcast_button.setEnabled(online and state == "signed")
        self.chain_combo.setEnabled(online)

    def set_file(self, file: SigningFile, path: Path | None) -> None:
        self.file, self.path = file, path
        set_plain_text(self.path_label, str(path) if path else "(not saved yet)")
        self._paint_state(file.state)
        self.hash_label.setText(f"Sign bytes SHA-256: {file.sign_bytes_sha256()}")
        spec = file.multisig
        multisig = (f" — multisig {spec.threshold}-of-{len(spec.public_keys)}, "
                    f"{len(file.partial_signatures)} signature(s) collected" if spec else "")
        # chain_id and address come from the file: plain text, escaped (a chain id may look like HTML).
        set_plain_text(self.summary_label, f"{file.chain_id} — {file.address} (account {file.account_number}, "
                       f"sequence {file.sequence}) — fee {fee_text(file)}{multisig}", multiline=False)
        self.review_edit.setPlainText(file.review_text())
        self._choose_signing_key()
        self._update_buttons()
        self.sig_file_opened.emit(file.state)

    def _fail(self, message: str, error: BaseException | None = None) -> None:
        text = keyring_message(message, error) if error is not None else message
        set_error(self.error_label, text)
        self.sig_failed.emit(text)

    def _clear_messages(self) -> None:
        set_error(self.error_label, "")
        self.result_label.clear()
        self.created_label.clear()
        self.created_label.hide()

    # --- opening ------------------------------------------------------------------------------------------

    def _choose_file(self) -> None:
        path = file_dialogs.open_file(self, "Open signing file", "signing", "Signing files (*.json);;All files (*)")
        if path is not None:
            self.open_file(path)

    def open_file(self, path: Path) -> None:
        self._clear_messages()
        try:
            file = load(path)
        except WorkbenchError as exc:
            self._fail(str(exc))
            return
        self.set_file(file, path)

    def _choose_request(self) -> None:
        path = file_dialogs.open_file(self, "The exported request", "signing", "Signing files (*.json)")
        if path is not None:
            self.request_edit.setText(str(path))

    # --- signing ------------------------------------------------------------------------------------------

    def confirmation_text(self, key_name: str) -> str:
        file = self.file
        assert file is not None
        review = file.review()
        count = len(review.messages)
        messages = [f"{count} message(s):"] + [f"  {m.index}. {visible(m.type_url)}" for m in review.messages]
        messages += [f"Message {m.index} of {count}: {visible(m.summary)}" for m in review.messages]
        return (f"Sign with key {visible(key_name)}?\n\n"
                + "\n".join(messages) + "\n\n"
                f"Chain id: {visible_repr(file.chain_id)}\n"
                f"Account: {visible(file.address)}\n"
                f"Account number {file.account_number}, sequence {file.sequence}\n"
                f"Fee: {visible(fee_text(file))}\n"
                f"Sign mode: {file.sign_mode.label}\n"
                f"Sign bytes SHA-256:\n{file.sign_bytes_sha256()}\n\n"
                "Compare the hash with the one the online machine showed.")

    def ask_to_sign(self) -> QMessageBox | None:
        file, name = self.file, self.key_combo.currentText()
        if file is None or not name:
            return None
        self._clear_messages()
        try:
            signer = self.store.signer(name)
            check_for_key(file, signer.record.address, signer.public_key(), name)
        except WorkbenchError as exc:
            self._fail(str(exc))
            return None
        box = QMessageBox(QMessageBox.Icon.Question, "Sign transaction", self.confirmation_text(name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # every line is from the file: never rich text
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda result: self.sign_now(name) if result == QMessageBox.StandardButton.Yes else None)
        box.open()
        self.sig_confirm_shown.emit(box)
        return box

    def sign_now(self, name: str) -> None:
        """Sign on a worker (the keyring may prompt) and write the result beside the opened file."""
        file, path = self.file, self.path
        if file is None:
            return
        store = self.store
        output = signed_path(path) if path else None

        def op(job: Job) -> SigningFile:
            signed = sign(file, store.signer(name))
            if output is not None:
                signed.save(output)
            return signed

        def done(signed: SigningFile) -> None:
            self.set_file(signed, output)
            set_plain_text(self.result_label, f"{state_text(signed.state).lower()} with {name}"
                           + (f"; written to {output}" if output else "; use Save as… to keep it"))
            self.sig_signed.emit(str(output) if output else "")

        self.sign_button.setEnabled(False)
        self.context.runtime.run(op, on_success=done, on_failure=self._on_failure, progress_label="signing",
                                 cancellable=False)

    def _on_failure(self, message: str, error: BaseException) -> None:
        self._update_buttons()
        self._fail(message, error)

    def _choose_copy(self) -> None:
        path = file_dialogs.open_file(self, "Copy signed by another member", "signing", "Signing files (*.json)")
        if path is not None:
            self.merge_copy(path)

    def merge_copy(self, path: Path) -> None:
        if self.file is None:
            return
        self._clear_messages()
        try:
            merged = merge_partials(self.file, load(path))
            if self.path is not None:
                merged.save(self.path)
        except WorkbenchError as exc:
            self._fail(str(exc))
            return
        self.set_file(merged, self.path)
        set_plain_text(self.result_label, f"signatures collected from {path}")

    def combine_signatures(self) -> None:
        if self.file is None:
            return
        self._clear_messages()
        try:
            combined = combine(self.file)
            findings = verify(combined)
            if self.path is not None:
                combined.save(signed_path(self.path))
        except WorkbenchError as exc:
            self._fail(str(exc))
            return
        self.set_file(combined, signed_path(self.path) if self.path else None)
        set_plain_text(self.result_label, "combined: " + "; ".join(findings))

    # --- saving and exporting -------------------------------------------------------------------------------

    def _choose_save_path(self) -> None:
        if self.file is None:
            return
        folder = self.path.parent if self.path is not None else None
        path = file_dialogs.save_file(self, "Save signing file", "signing", suggested_name(self.file), "JSON (*.json)",
                                      folder)
        if path is not None:
            self.save_as(path)

    def save_as(self, path: Path) -> None:
        if self.file is None:
            return
        try:
            self.file.save(path)
        except OSError as exc:
            self._fail(f"cannot write {path}: {exc.strerror or exc}")
            return
        self.path = path
        set_plain_text(self.path_label, str(path))
        self.context.show_status(f"signing file saved to {path}")

    def _choose_gaiad_path(self) -> None:
        if self.file is None:
            return
        name = suggested_name(self.file).removesuffix(".json") + ".gaiad.json"
        path = file_dialogs.save_file(self, "Export gaiad JSON", "signing", name, "JSON (*.json)",
                                      self.path.parent if self.path is not None else None)
        if path is not None:
            try:
                write_json_atomic(path, self.file.gaiad_json())
            except (OSError, WorkbenchError) as exc:
                self._fail(f"cannot export: {exc}")

    # --- verifying and broadcasting -----------------------------------------------------------------------

    def _open_created(self, link: str) -> None:
        """A link in the broadcast result: a proposal opens in Governance, a consumer in Connections."""
        kind, _, rest = link.partition(":")
        ident, _, profile = rest.partition(":")
        if not ident.isdigit():
            return
        if kind == "proposal":
            self.context.navigate("governance", ("proposal", int(ident), profile or None))
        elif kind == "consumer":
            self.context.navigate("connections", ("consumer", ident, profile or None))

    def verify_file(self) -> list[str] | None:
        if self.file is None:
            return None
        self._clear_messages()
        request_text = self.request_edit.text().strip()
        try:
            request = load(Path(request_text)) if request_text else None
            findings = verify(self.file, request)
        except WorkbenchError as exc:
            self._fail(str(exc))
            return None
        if request is None:
            findings.append("not compared with the exported request (choose it above to check the match)")
        set_plain_text(self.result_label, "VERIFIED\n" + "\n".join(visible(f) for f in findings))
        self.sig_verified.emit(findings)
        return findings

    def broadcast(self) -> None:
        file, path = self.file, self.path
        target = self._targets.get(self.chain_combo.currentData() or "")
        if file is None or target is None or self.context.offline:
            return
        self._clear_messages()
        rest_url = target.rest_url

        def op(job: Job) -> tuple[TxResult, SigningFile]:
            return broadcast_file(file, rest_url, path, job)

        profile = self.chain_combo.currentData()

        def done(outcome: tuple[TxResult, SigningFile]) -> None:
            result, done_file = outcome
            self.set_file(done_file, path)
            verdict = ("included" if result.ok else "included but FAILED" if result.result_known
                       else "included (result unknown: the node keeps no tx index)")
            # raw_log and codespace come from the node: plain text, escaped, on their own line.
            set_plain_text(
                self.result_label,
                f"{verdict.upper()}: code {result.code} {visible(result.codespace or '')} — height "
                f"{result.height} — hash {visible(result.txhash)} — gas {result.gas_used}/{result.gas_wanted}"
                + (f"\nlog: {visible(result.raw_log)}" if result.raw_log else ""),
            )
            created = created_objects(result) if result.ok else []
            self.created_label.setText("<b>On chain:</b> " + " · ".join(
                f'<a href="{c.kind}:{c.ident}:{html.escape(profile or "", quote=True)}">{html.escape(c.describe())}</a>'
                for c in created))
            self.created_label.setVisible(bool(created))
            self.sig_broadcast_done.emit(result)

        def failed(message: str, error: BaseException) -> None:
            if isinstance(error, BroadcastError):
                self.kept_at = error.saved_to
            self._on_failure(message, error)

        self.broadcast_button.setEnabled(False)
        self.context.runtime.run(op, on_success=done, on_failure=failed, progress_label="broadcasting")
