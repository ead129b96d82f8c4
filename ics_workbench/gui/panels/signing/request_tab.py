"""The online side: build an unsigned signing request for a key (a watch-only account is enough) on a
connected chain, from gaiad ``--generate-only`` JSON or from messages another panel handed over.

Account number, sequence and (for handed-over messages) the simulated fee come from the node through the
runtime; the result opens in the signing-file view, where it is reviewed, saved and exported (file or QR).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.gui.panels.signing.chains import OFFLINE_NOTE, fill_chain_combo
from ics_workbench.gui.panels.signing.key_dialogs import error_label, set_error
from ics_workbench.signing import request_build
from ics_workbench.signing.fees import DEFAULT_ADJUSTMENT
from ics_workbench.signing.keystore import KeyRecord
from ics_workbench.signing.offline_file import SigningFile
from ics_workbench.signing.request_build import ChainTarget
from ics_workbench.signing.sign_modes import mode_support
from ics_workbench.signing.tx import SignMode

if TYPE_CHECKING:
    from ics_workbench.gui.context import AppContext
    from ics_workbench.tasks import Job


class RequestTab(QWidget):
    sig_request_built = Signal(object)  # SigningFile (unsigned)
    sig_failed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.records: dict[str, KeyRecord] = {}
        self.handoff: Any = None
        self._targets: dict[str, ChainTarget] = {}

        file_row, handoff_row = self._build_source_rows()
        form = self._build_form()
        self._build_action_widgets()

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Build an unsigned signing request</b> (online machine; the account number, "
                                "sequence and fee come from the chosen chain)"))
        layout.addLayout(file_row)
        layout.addLayout(handoff_row)
        layout.addLayout(form)
        layout.addWidget(self.build_button)
        layout.addWidget(self.offline_note)
        layout.addWidget(self.error_label)
        layout.addStretch(1)

        context.sig_connection_changed.connect(self.refresh_chains)
        context.sig_offline_changed.connect(lambda on: (self.offline_note.setVisible(on), self.refresh_chains()))
        self.refresh_chains()

    def _build_source_rows(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        """Where the messages come from: a gaiad --generate-only file, or a hand-over."""
        self.from_file = QRadioButton("gaiad --generate-only JSON file")
        self.from_file.setToolTip(
            "Build the request from an unsigned transaction written by gaiad/simd tx … --generate-only"
        )
        self.from_file.setChecked(True)
        self.file_edit = QLineEdit()
        browse = QPushButton("…")
        browse.clicked.connect(self._choose_gaiad_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.from_file)
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        self.from_handoff = QRadioButton("Messages handed over by another panel")
        self.from_handoff.setToolTip(
            "Build the request from the messages Proposals, Governance or Evidence handed over"
        )
        self.from_handoff.setEnabled(False)
        self.handoff_label = QLabel("none yet (Proposals → “Sign and submit”)")
        handoff_row = QHBoxLayout()
        handoff_row.addWidget(self.from_handoff)
        handoff_row.addWidget(self.handoff_label, 1)
        return file_row, handoff_row

    def _build_form(self) -> QFormLayout:
        """Account, chain, sign mode, gas adjustment and memo."""
        self.key_combo = QComboBox()
        self.chain_combo = QComboBox()
        self.mode_combo = QComboBox()
        self.mode_combo.addItem(SignMode.DIRECT.label, SignMode.DIRECT)
        self.mode_combo.addItem(SignMode.LEGACY_AMINO_JSON.label, SignMode.LEGACY_AMINO_JSON)
        self.mode_note = QLabel()
        self.mode_note.setWordWrap(True)
        self.adjustment_edit = QLineEdit(str(DEFAULT_ADJUSTMENT))
        self.adjustment_edit.setToolTip("simulated gas x this = gas limit (handed-over messages)")
        self.memo_edit = QLineEdit()
        form = QFormLayout()
        form.addRow("Account (local or watch-only)", self.key_combo)
        form.addRow("Chain", self.chain_combo)
        form.addRow("Sign mode", self.mode_combo)
        form.addRow("", self.mode_note)
        form.addRow("Gas adjustment", self.adjustment_edit)
        form.addRow("Memo", self.memo_edit)
        return form

    def _build_action_widgets(self) -> None:
        """Build request, the offline note and the error line."""
        self.build_button = QPushButton("Build request")
        self.build_button.setToolTip(
            "Fetch the account number and sequence, simulate the gas, and build the request to review and sign"
        )
        self.build_button.clicked.connect(self.build)
        self.offline_note = QLabel(OFFLINE_NOTE)
        self.offline_note.setWordWrap(True)
        self.offline_note.setStyleSheet("color: #7d6608; font-weight: bold;")
        self.offline_note.setVisible(self.context.offline)
        self.error_label = error_label()

    def refresh_chains(self, *_: object) -> None:
        self._targets = fill_chain_combo(self.chain_combo, self.context)
        self.build_button.setEnabled(bool(self._targets) and not self.context.offline)

    def set_keys(self, records: list[KeyRecord]) -> None:
        current = self.key_combo.currentText()
        self.records = {r.name: r for r in records}
        self.key_combo.clear()
        for record in records:
            self.key_combo.addItem(record.name)
        if current in self.records:
            self.key_combo.setCurrentText(current)
        if self.handoff is not None:  # keys listed after the handoff arrived
            self._select_signer(self.handoff)

    def set_handoff(self, request: Any) -> None:
        """Messages from another panel (``proposals.handoff.SigningRequest``): say which sign modes can work."""
        self.handoff = request
        messages = request.protobuf_messages()
        self.from_handoff.setEnabled(True)
        self.from_handoff.setChecked(True)
        kinds = ", ".join(sorted({type(m).DESCRIPTOR.full_name.rsplit(".", 1)[1] for m in messages}))
        self.handoff_label.setText(f"{len(messages)} message(s) ({kinds}) for signer {request.signer}")
        self._select_signer(request)
        profile = getattr(request, "profile", None)
        index = self.chain_combo.findData(profile) if profile else -1
        if index >= 0:
            self.chain_combo.setCurrentIndex(index)
        description = getattr(request, "description", "")
        if description:
            self.handoff_label.setText(f"{description} — {self.handoff_label.text()}")
        support = mode_support(messages, ics_version=request.ics_version)
        amino = support[SignMode.LEGACY_AMINO_JSON]
        index = self.mode_combo.findData(SignMode.LEGACY_AMINO_JSON)
        item = self.mode_combo.model().item(index)  # type: ignore[attr-defined]
        item.setEnabled(amino.ok)
        if not amino.ok:
            self.mode_combo.setCurrentIndex(self.mode_combo.findData(SignMode.DIRECT))
        self.mode_note.setText(("" if amino.ok else f"{SignMode.LEGACY_AMINO_JSON.label} unavailable: ") + amino.reason)

    def _select_signer(self, request: Any) -> None:
        """The key the other panel chose, else the first one with the signer's address."""
        chosen = getattr(request, "key", None)
        if chosen in self.records and self.records[chosen].address == request.signer:
            self.key_combo.setCurrentText(chosen)
            return
        for name, record in self.records.items():
            if record.address == request.signer:
                self.key_combo.setCurrentText(name)
                return

    def _choose_gaiad_file(self) -> None:
        from ics_workbench.gui import file_dialogs

        path = file_dialogs.open_file(self, "gaiad --generate-only output", "gaiad", "JSON (*.json)")
        if path is not None:
            self.file_edit.setText(str(path))
            self.from_file.setChecked(True)

    def _fail(self, message: str, _error: BaseException | None = None) -> None:
        self.build_button.setEnabled(bool(self._targets) and not self.context.offline)
        set_error(self.error_label, message)
        self.sig_failed.emit(message)

    def build(self) -> None:
        set_error(self.error_label, "")
        record = self.records.get(self.key_combo.currentText())
        target = self._targets.get(self.chain_combo.currentData() or "")
        if self.context.offline:
            self._fail("offline mode: building a request needs the chain's account data")
            return
        if record is None or target is None:
            self._fail("choose an account and a connected chain")
            return
        mode: SignMode = self.mode_combo.currentData()
        if self.from_handoff.isChecked() and self.handoff is not None:
            try:
                adjustment = Decimal(self.adjustment_edit.text().strip())
            except InvalidOperation:
                self._fail(f"gas adjustment {self.adjustment_edit.text()!r} is not a number")
                return
            handoff, memo = self.handoff, self.memo_edit.text()
            messages = handoff.protobuf_messages()

            def op(job: Job) -> SigningFile:
                return request_build.from_messages(messages, record, target, mode, adjustment=adjustment, memo=memo,
                                                   ics_version=handoff.ics_version, job=job)
        else:
            path = Path(self.file_edit.text().strip())
            try:
                unsigned_json = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                self._fail(f"cannot read {path} as JSON: {exc}")
                return

            def op(job: Job) -> SigningFile:
                return request_build.from_gaiad_json(unsigned_json, record, target, mode, job)

        self.build_button.setEnabled(False)
        self.context.runtime.run(op, on_success=self._built, on_failure=self._fail, progress_label="building request")

    def _built(self, file: SigningFile) -> None:
        self.build_button.setEnabled(True)
        self.sig_request_built.emit(file)
