"""The Evidence panel: open an evidence file (or paste two votes), see every item with its verdict, each
check's result for the selected item, and the provider validator it maps to; save the report; hand a valid
double vote to Keys & Signing (directly or as a slash proposal). Further tabs search a chain for evidence,
detect a light-client attack from two RPCs (``fork_tab``) and show downtime.

Parsing and verification run through the runtime (a /block answer can carry many items, and keys may come
from a consumer RPC); the tables are ``RowTableModel`` views over the core's immutable results.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.gui.context import AppContext, LinkState
from ics_workbench.gui.models import ColumnSpec, RowTableModel
from ics_workbench.gui.panels.evidence.downtime_tab import DowntimeTab
from ics_workbench.gui.panels.evidence.fork_tab import ForkTab
from ics_workbench.gui.panels.evidence.search_tab import FoundRow, SearchTab
from ics_workbench.gui.panels.evidence.submitters import fill_submitters
from ics_workbench.gui.panels.evidence.submitting import ERROR_STYLE, NO_PROVIDER, DoubleVoteSubmitting
from ics_workbench.gui.untrusted import plain_label
from ics_workbench.gui.widgets.table_view import TableView
from ics_workbench.tasks import Latest
from ics_workbench.untrusted_text import visible

if TYPE_CHECKING:
    from ics_workbench.evidence.checks import Check
    from ics_workbench.evidence.provider_side import ProviderMapping
    from ics_workbench.evidence.submission import DoubleVoteSubmission
    from ics_workbench.evidence.verify import ItemResult
    from ics_workbench.tasks import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvidenceRow:
    index: int
    result: ItemResult

    @property
    def height(self) -> int | None:
        return getattr(self.result.item, "height", None)

    @property
    def validator(self) -> str:
        address = getattr(self.result.item, "validator_address", b"")
        return (
            address.hex().upper()
            if isinstance(address, bytes)
            else str(getattr(self.result.item, "consensus_address", ""))
        )

    @property
    def verdict(self) -> str:
        return "valid" if self.result.verdict.valid else ("invalid" if self.result.verdict.failed else "not verified")


EVIDENCE_COLUMNS: tuple[ColumnSpec[EvidenceRow], ...] = (
    ColumnSpec("#", lambda r: r.index),
    ColumnSpec("Kind", lambda r: r.result.kind),
    ColumnSpec("Height", lambda r: r.height),
    ColumnSpec("Validator", lambda r: r.validator),
    ColumnSpec("Verdict", lambda r: r.verdict, tooltip=lambda r: r.result.verdict.summary),
)

CHECK_COLUMNS: tuple[ColumnSpec[Check], ...] = (
    ColumnSpec("Check", lambda c: c.name),
    ColumnSpec("Result", lambda c: c.status.value),
    ColumnSpec("Detail", lambda c: c.detail, tooltip=lambda c: c.detail),
)


class EvidencePanel(DoubleVoteSubmitting, QWidget):
    sig_loaded = Signal(int)  # number of evidence items verified
    sig_failed = Signal(str)  # user-readable reason (unparsable file, endpoint error)
    sig_mapped = Signal(object)  # ProviderMapping of the selected item
    sig_prepared = Signal(object)  # DoubleVoteSubmission of the selected item (pre-check done)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._text: bytes = b""
        self._source = ""
        self.mapping: ProviderMapping | None = None
        self._mapping_row: EvidenceRow | None = None
        """the row ``mapping`` belongs to: a report names a validator only for its own row"""
        self.submission: DoubleVoteSubmission | None = None
        # One "latest request wins" per kind of result (the runtime drops an outcome a newer request replaced):
        # mapping and pre-check are restarted or invalidated on every selection change, so an answer for a
        # row no longer selected never reaches the detail, the buttons or the report.
        self._latest_verify = Latest()
        self._latest_mapping = Latest()
        self._latest_precheck = Latest()

        # Widgets join the focus chain in creation order: inputs, the item list and detail, submission, tabs.
        top, form = self._build_inputs()
        splitter = self._build_results()

        evidence_page = QWidget()
        layout = QVBoxLayout(evidence_page)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(splitter, 1)
        self._build_tabs(evidence_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)

        context.sig_connection_changed.connect(self._refresh_providers)
        self._refresh_providers()
        self._refresh_submitters()

    # --- layout ------------------------------------------------------------------------------------------

    def _build_inputs(self) -> tuple[QHBoxLayout, QFormLayout]:
        """The open/verify row and the chain id, public key and provider form."""
        self.open_button = QPushButton("Open evidence file…")
        self.open_button.setToolTip(
            "Load evidence from a JSON file (CometBFT RPC or proto JSON; read with size and depth limits)"
        )
        self.open_button.clicked.connect(self._choose_file)
        self.chain_id_edit = QLineEdit()
        self.chain_id_edit.setPlaceholderText("chain id the votes were signed for, e.g. consumer-1")
        self.pubkey_edit = QLineEdit()
        self.pubkey_edit.setPlaceholderText(
            "optional: validator consensus key (base64); else the consumer's validator set"
        )
        self.provider_combo = QComboBox()
        self.verify_button = QPushButton("Verify")
        self.verify_button.setToolTip(
            "Check each item's two votes: same height/round/validator, "
            "different block ids, valid signatures for the chain id"
        )
        self.verify_button.clicked.connect(self.verify)
        self.source_label = QLabel("No file opened.")
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Chain id", self.chain_id_edit)
        form.addRow("Public key", self.pubkey_edit)
        form.addRow("Provider", self.provider_combo)
        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.source_label, 1)
        top.addWidget(self.verify_button)
        return top, form

    def _build_results(self) -> QSplitter:
        """The evidence items beside the selected item's checks, provider validator and submission."""
        self.evidence_model: RowTableModel[EvidenceRow] = RowTableModel(EVIDENCE_COLUMNS, parent=self)
        self.evidence_table = TableView(self.evidence_model, empty_text="Open an evidence file to verify it.")
        self.evidence_table.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.checks_model: RowTableModel[Check] = RowTableModel(CHECK_COLUMNS, parent=self)
        self.checks_table = TableView(self.checks_model, empty_text="Select an evidence item.")
        self.summary_label = plain_label()  # verdict notes quote the evidence file: never rich text
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mapping_label = plain_label()  # the moniker comes from the chain: never rich text
        self.mapping_label.setWordWrap(True)
        self.mapping_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save report…")
        self.save_button.setToolTip("Write the verification report (JSON and Markdown) to a file")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._choose_report_path)
        submit_form, submit_row = self._build_submission()
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.summary_label)
        detail_layout.addWidget(self.checks_table, 1)
        detail_layout.addWidget(QLabel("<b>Provider validator</b>"))
        detail_layout.addWidget(self.mapping_label)
        detail_layout.addWidget(QLabel("<b>Submission</b>"))
        detail_layout.addWidget(self.precheck_label)
        detail_layout.addLayout(submit_form)
        detail_layout.addLayout(submit_row)
        splitter = QSplitter()
        splitter.addWidget(self.evidence_table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([540, 760])  # the list needs room for its validator and verdict columns
        return splitter

    def _build_submission(self) -> tuple[QFormLayout, QHBoxLayout]:
        """Submitter, deposit, the two submit buttons and the pre-check's verdict."""
        self.submitter_combo = QComboBox()
        self.submitter_combo.setEditable(True)
        self.submitter_combo.setToolTip("the account that signs: a keystore key or any provider address")
        submitter_line = self.submitter_combo.lineEdit()
        assert submitter_line is not None  # an editable combo always has its line edit
        submitter_line.setPlaceholderText("submitter / proposer address (pays the fee)")
        self.deposit_edit = QLineEdit()
        self.deposit_edit.setPlaceholderText("proposal deposit, e.g. 10000000stake")
        self.submit_button = QPushButton("Sign and submit…")
        self.submit_button.clicked.connect(self.sign_and_submit)
        self.proposal_button = QPushButton("Submit as slash proposal…")
        self.proposal_button.clicked.connect(self.submit_as_proposal)
        self.precheck_label = QLabel()
        self.precheck_label.setWordWrap(True)
        self.precheck_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        submit_form = QFormLayout()
        submit_form.addRow("Submitter", self.submitter_combo)
        submit_form.addRow("Deposit", self.deposit_edit)
        submit_row = QHBoxLayout()
        submit_row.addWidget(self.save_button)
        submit_row.addStretch(1)
        submit_row.addWidget(self.submit_button)
        submit_row.addWidget(self.proposal_button)
        self._set_submittable(None, "Select a valid double vote with a connected provider to submit it.")
        return submit_form, submit_row

    def _build_tabs(self, evidence_page: QWidget) -> None:
        """Evidence first, then Search chain, Fork (two RPCs) and Downtime."""
        self.downtime = DowntimeTab(self.context)
        self.search = SearchTab(self.context)
        self.search.sig_verify.connect(self.verify_found)
        self.fork = ForkTab(self.context)
        self.tabs = QTabWidget()
        self.tabs.addTab(evidence_page, "Evidence")
        self.tabs.addTab(self.search, "Search chain")
        self.tabs.addTab(self.fork, "Fork (two RPCs)")
        self.tabs.addTab(self.downtime, "Downtime")
        self._evidence_page = evidence_page

    # --- inputs ------------------------------------------------------------------------------------------

    def _refresh_providers(self, *_: object) -> None:
        current = self.provider_combo.currentText()
        names = [
            name
            for name, state in self.context.connections.items()
            if state.role == "provider" and state.state in (LinkState.CONNECTED, LinkState.WARNING)
        ]
        self.provider_combo.clear()
        self.provider_combo.addItems([NO_PROVIDER, *names])
        if current in names:
            self.provider_combo.setCurrentText(current)

    def _refresh_submitters(self) -> None:
        fill_submitters(self.submitter_combo)

    def showEvent(self, event: QShowEvent) -> None:
        """Keys added in Keys & Signing since the panel was built become choices."""
        self._refresh_submitters()
        super().showEvent(event)

    def submitter(self) -> str:
        """The chosen keystore address, or the typed text."""
        text = self.submitter_combo.currentText().strip()
        index = self.submitter_combo.findText(text)
        return str(self.submitter_combo.itemData(index)) if index >= 0 else text

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open evidence", "", "JSON (*.json *.jsonl);;All files (*)")
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> None:
        try:
            self.set_document(path.read_bytes(), path.name)
        except OSError as exc:
            self._fail(f"cannot read {path}: {exc.strerror}")

    def set_document(self, text: bytes, source: str) -> None:
        self._text, self._source = text, source
        self.source_label.setText(source)
        if self.chain_id_edit.text().strip():
            self.verify()

    def verify_found(self, chain_id: str, rows: list[FoundRow]) -> None:
        """Items the Search tab found on ``chain_id``: verified here like an opened file (the key comes from
        that chain's validator set when it is connected as a consumer)."""
        import json

        from ics_workbench.evidence.report import item_json

        self.chain_id_edit.setText(chain_id)
        self.tabs.setCurrentWidget(self._evidence_page)
        heights = ", ".join(str(r.block) for r in rows[:5]) + ("…" if len(rows) > 5 else "")
        self.set_document(json.dumps([item_json(r.item) for r in rows]).encode(),
                          f"found on {chain_id} in block(s) {heights}")

    # --- verification ------------------------------------------------------------------------------------

    def _consumer_lease(self, chain_id: str) -> Any:
        """The lease of the connected consumer ``chain_id`` (its RPC serves the validator keys), or None."""
        for state in self.context.connections.values():
            if state.role == "consumer" and state.chain_id == chain_id and state.lease is not None:
                return state.lease
        return None

    def verify(self) -> None:
        chain_id = self.chain_id_edit.text().strip()
        if not self._text:
            self._fail("open an evidence file first")
            return
        if not chain_id:
            self._fail("enter the chain id the votes were signed for")
            return
        pubkey_text = self.pubkey_edit.text().strip()
        consumer_lease = self._consumer_lease(chain_id)
        text = self._text
        # Imported here, on the GUI thread: a first import on a worker thread while the GUI thread runs
        # Python can crash inside shiboken's import hook (seen with PySide6 6.12: "none_dealloc").
        from ics_workbench.evidence.rpc import validators_at
        from ics_workbench.evidence.valset import pubkey_from_user
        from ics_workbench.evidence.verify import verify_document

        def op(job: Job) -> list[ItemResult]:
            user_key = pubkey_from_user(pubkey_text) if pubkey_text else None
            validators_for = None
            if consumer_lease is not None and user_key is None:
                consumer_http = consumer_lease.acquire(job).rpc_http
                validators_for = lambda height: validators_at(consumer_http, height, job=job)  # noqa: E731
            return verify_document(text, chain_id, user_key=user_key, validators_for=validators_for)

        self.error_label.clear()
        self.verify_button.setEnabled(False)
        self.context.runtime.run(op, on_success=self._show_results, on_failure=self._on_failure,
                                 progress_label="verifying evidence", latest=self._latest_verify)

    def _show_results(self, results: list[ItemResult]) -> None:
        self.verify_button.setEnabled(True)
        self.evidence_model.set_rows([EvidenceRow(i, r) for i, r in enumerate(results)])
        if results:
            self.evidence_table.view.selectRow(0)
        else:
            self._on_current()  # nothing selected: the old document's mapping and pre-check are void
        valid = sum(r.verdict.valid for r in results)
        self.context.show_status(f"{len(results)} evidence item(s), {valid} valid")
        self.sig_loaded.emit(len(results))

    def _on_failure(self, message: str, _error: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self._fail(message)

    def _fail(self, message: str) -> None:
        self.error_label.setText(message)
        self.sig_failed.emit(message)

    # --- detail ------------------------------------------------------------------------------------------

    def selected(self) -> EvidenceRow | None:
        index = self.evidence_table.view.currentIndex()
        if not index.isValid():
            return None
        return self.evidence_model.rows[self.evidence_table.proxy.mapToSource(index).row()]

    def _on_current(self, *_: object) -> None:
        row = self.selected()
        self._latest_mapping.invalidate()  # answers for the previous selection are dropped from now on
        self._latest_precheck.invalidate()
        self.mapping, self._mapping_row = None, None
        self.mapping_label.setText("")
        self._set_submittable(None, "Select a valid double vote with a connected provider to submit it.")
        self.save_button.setEnabled(row is not None)
        if row is None:
            self.checks_model.set_rows([])
            self.summary_label.clear()
            return
        verdict = row.result.verdict
        self.checks_model.set_rows(list(verdict.checks))
        notes = "".join(f"\nnote: {visible(note)}" for note in verdict.notes)
        self.summary_label.setText(f"{'VALID' if verdict.valid else 'NOT VALID'} — {visible(verdict.summary)}{notes}")
        self._map(row)

    def _map(self, row: EvidenceRow) -> None:
        from ics_workbench.evidence.model import DuplicateVoteEvidence

        name = self.provider_combo.currentText()
        lease = self.context.lease(name) if name != NO_PROVIDER else None
        evidence = row.result.item
        if lease is None or lease.peek() is None or not isinstance(evidence, DuplicateVoteEvidence):
            self.mapping_label.setText("Choose a connected provider to map the key to its validator.")
            return
        chain_id = self.chain_id_edit.text().strip()

        from ics_workbench.errors import WorkbenchError
        from ics_workbench.evidence.provider_side import map_consumer_address  # GUI thread: see verify()

        def op(job: Job) -> ProviderMapping:
            conn = lease.acquire(job)
            if conn.provider is None or conn.rest is None:
                raise WorkbenchError(f"{conn.chain_id} has no provider module or no REST endpoint")
            consumer = conn.provider.find_by_chain_id(chain_id, job=job)
            if consumer is None:
                raise WorkbenchError(f"the provider knows no consumer chain {chain_id!r}")
            return map_consumer_address(conn.provider, conn.rest, consumer, evidence.validator_address, job=job)

        self.mapping_label.setText("mapping…")
        self.context.runtime.run(op, on_success=lambda mapping: self._show_mapping(mapping, row),
                                 on_failure=lambda message, _error: self.mapping_label.setText(visible(message)),
                                 progress_label="mapping consumer key", latest=self._latest_mapping)
        if row.result.verdict.valid:
            self._prepare(row, lease, chain_id)
        else:
            self._set_submittable(None, "<b>Cannot submit:</b> the evidence did not verify (see the failed checks).",
                                  blocked=True)

    def _show_mapping(self, mapping: ProviderMapping, row: EvidenceRow) -> None:
        self.mapping, self._mapping_row = mapping, row
        state = "tombstoned" if mapping.tombstoned else ("jailed" if mapping.jailed else "active")
        opted = {True: "; opted in", False: "; not opted in", None: ""}[mapping.opted_in]
        self.mapping_label.setText(
            f"{visible(mapping.moniker or '(unknown)')} — {visible(mapping.provider_address)}\n"
            f"{'assigned consumer key' if mapping.key_assigned else 'uses its provider key'}; "
            f"power {mapping.power:,}; {state}{opted}"
        )
        self.sig_mapped.emit(mapping)

    def _choose_report_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save evidence report", "evidence_report.json", "JSON (*.json)")
        if path:
            self.save_report(Path(path))

    def save_report(self, path: Path) -> None:
        """JSON report at ``path`` and the Markdown version beside it."""
        from ics_workbench.errors import WorkbenchError
        from ics_workbench.evidence.report import EvidenceReport

        row = self.selected()
        if row is None:
            return
        mapping = self.mapping if self.mapping is not None and self._mapping_row is row else None
        report = EvidenceReport(row.result, self.chain_id_edit.text().strip(),
                                mapping=mapping.to_json() if mapping else None)
        try:
            report.write(path, path.with_suffix(".md"))
        except (OSError, WorkbenchError) as exc:
            self._fail(f"cannot save the report: {exc}")
            return
        self.context.show_status(f"report saved to {path}")
