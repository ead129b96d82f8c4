"""The Fork tab: detect a light-client attack on a consumer from two RPCs of it and submit it to the provider.

The user gives two RPC endpoints that claim the same chain (the consumer's own node and a suspected fork, or
any second RPC) and a height range. "Detect fork" binary-searches the lowest height where the two committed
different blocks (:func:`ics_workbench.evidence.fork.find_fork`, about ``log2(range)`` pairs of requests) and
reads both signed headers there on the runtime, with progress and Cancel; the headers side by side and the
verdict on the two commits are shown as plain, escaped text (every value comes from the nodes).
"Prepare submission" builds ``MsgSubmitConsumerMisbehaviour`` against the chosen provider's client of the
consumer and verifies what will be signed; "Sign and submit…" hands it to Keys & Signing, like a double vote.

Detection and preparation each have their own :class:`~ics_workbench.tasks.Latest`: a new detection drops
the previous one's stragglers and voids the prepared submission, so the submit button only ever carries the
fork on screen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.gui.context import AppContext, LinkState
from ics_workbench.gui.models import ColumnSpec, RowTableModel
from ics_workbench.gui.panels.evidence.submitters import fill_submitters
from ics_workbench.gui.untrusted import plain_label, plain_tooltip, set_plain_text
from ics_workbench.gui.widgets.table_view import TableView
from ics_workbench.tasks import Latest
from ics_workbench.untrusted_text import visible

if TYPE_CHECKING:
    from ics_workbench.evidence.checks import Check
    from ics_workbench.evidence.fork import ForkFinding, MisbehaviourSubmission
    from ics_workbench.gui.runtime import Task
    from ics_workbench.tasks import Job

log = logging.getLogger(__name__)
ERROR_STYLE = "color: #c0392b;"
MAX_HEIGHT = 2_000_000_000


@dataclass(frozen=True)
class HeaderRow:
    """One field of the two conflicting headers, side by side (values: the nodes' untrusted text)."""

    field: str
    first: str
    second: str

    @property
    def differs(self) -> str:
        return "≠" if self.first != self.second else ""


def _short(value: str) -> str:
    """A 64-digit hash fits a column as its ends; the cell's tooltip has it whole."""
    text = visible(value)
    return f"{text[:12]}…{text[-6:]}" if len(text) > 32 else text


HEADER_COLUMNS: tuple[ColumnSpec[HeaderRow], ...] = (
    ColumnSpec("Field", lambda r: r.field),
    ColumnSpec("RPC 1", lambda r: _short(r.first), tooltip=lambda r: visible(r.first)),
    ColumnSpec("RPC 2", lambda r: _short(r.second), tooltip=lambda r: visible(r.second)),
    ColumnSpec("≠", lambda r: r.differs, tooltip=lambda r: "the two nodes differ" if r.differs else "the same"),
)

CHECK_COLUMNS: tuple[ColumnSpec[Check], ...] = (
    ColumnSpec("Check", lambda c: c.name),
    ColumnSpec("Result", lambda c: c.status.value),
    ColumnSpec("Detail", lambda c: visible(c.detail), tooltip=lambda c: visible(c.detail)),
)


def header_rows(finding: ForkFinding) -> list[HeaderRow]:
    first, second = finding.headers
    return [HeaderRow(label, a, b) for (label, a), (_, b) in zip(first, second, strict=True)]


def check_url(text: str, what: str) -> str:
    """A typed RPC base URL, checked like a profile's (http/https, a host, no query); one line on error."""
    from pydantic import ValidationError

    from ics_workbench.chain.profiles import EndpointConfig

    try:
        return EndpointConfig(url=text).url
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"].removeprefix("Value error, ") if exc.errors() else "invalid"
        raise ValueError(f"{what}: {reason}") from None


class ForkTab(QWidget):
    sig_detected = Signal(object)  # ForkFinding, or None when the two nodes agree over the range
    sig_prepared = Signal(object)  # MisbehaviourSubmission
    sig_failed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.task: Task[Any] | None = None
        self.finding: ForkFinding | None = None
        self.submission: MisbehaviourSubmission | None = None
        self._urls: tuple[str, str] = ("", "")
        self._latest_detect = Latest()
        self._latest_prepare = Latest()

        self._build_detection_widgets()
        self._build_submission_widgets()
        inputs, range_row, submit_row, splitter = self._build_rows()

        layout = QVBoxLayout(self)
        layout.addLayout(inputs)
        layout.addLayout(range_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.verdict_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(QLabel("<b>Submission</b>"))
        layout.addWidget(self.submission_label)
        layout.addLayout(submit_row)

        context.sig_connection_changed.connect(self.refresh_connections)
        context.sig_offline_changed.connect(lambda on: self.detect_button.setEnabled(not on))  # typed URLs: no lease
        self.detect_button.setEnabled(not context.offline)
        self.refresh_connections()

    # --- layout ------------------------------------------------------------------------------------------

    def _build_detection_widgets(self) -> None:
        """The two RPCs, the height range, Detect/Cancel, progress and the fork's headers and checks."""
        self.rpc_a_combo = QComboBox()
        self.rpc_a_combo.setEditable(True)
        self.rpc_a_combo.setToolTip("the consumer's RPC (connected consumers are listed) or any URL")
        line = self.rpc_a_combo.lineEdit()
        assert line is not None  # an editable combo always has its line edit
        line.setPlaceholderText("RPC 1: the consumer's node, e.g. http://127.0.0.1:26657")
        self.rpc_b_edit = QLineEdit()
        self.rpc_b_edit.setPlaceholderText("RPC 2: a suspected fork (a second RPC claiming the same chain id)")
        self.from_spin = QSpinBox()
        self.from_spin.setRange(1, MAX_HEIGHT)
        self.to_spin = QSpinBox()
        self.to_spin.setRange(0, MAX_HEIGHT)
        self.to_spin.setSpecialValueText("latest")
        self.detect_button = QPushButton("Detect fork")
        self.detect_button.setToolTip("Find the lowest height in the range where the two RPCs committed different "
                                      "blocks and verify both commits (pressing it again restarts)")
        self.detect_button.clicked.connect(self.detect)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.setToolTip("Stop the running detection")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.status_label = plain_label("Give two RPCs of one chain and a height range.")
        self.status_label.setWordWrap(True)
        self.error_label = plain_label()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.header_model: RowTableModel[HeaderRow] = RowTableModel(HEADER_COLUMNS, parent=self)
        self.header_table = TableView(self.header_model, empty_text="No fork detected yet.")
        self.checks_model: RowTableModel[Check] = RowTableModel(CHECK_COLUMNS, parent=self)
        self.checks_table = TableView(self.checks_model, empty_text="The verdict appears with a detected fork.")
        self.verdict_label = plain_label()
        self.verdict_label.setWordWrap(True)

    def _build_submission_widgets(self) -> None:
        """Provider, submitter and the prepare / save / submit buttons."""
        self.provider_combo = QComboBox()
        self.submitter_combo = QComboBox()
        self.submitter_combo.setEditable(True)
        submitter_line = self.submitter_combo.lineEdit()
        assert submitter_line is not None
        submitter_line.setPlaceholderText("submitter address (pays the fee)")
        self.prepare_button = QPushButton("Prepare submission")
        self.prepare_button.setEnabled(False)
        self.prepare_button.setToolTip("Build MsgSubmitConsumerMisbehaviour against the provider's client of the "
                                       "consumer and verify what will be signed")
        self.prepare_button.clicked.connect(self.prepare)
        self.submit_button = QPushButton("Sign and submit…")
        self.submit_button.setEnabled(False)
        self.submit_button.setToolTip("MsgSubmitConsumerMisbehaviour signed by the submitter (opens Keys & Signing)")
        self.submit_button.clicked.connect(self.sign_and_submit)
        self.save_button = QPushButton("Save files…")
        self.save_button.setEnabled(False)
        self.save_button.setToolTip("misbehaviour.json for `tx provider submit-consumer-misbehaviour` and the message")
        self.save_button.clicked.connect(self._choose_directory)
        self.submission_label = plain_label("Detect a fork, then prepare its submission against a connected provider.")
        self.submission_label.setWordWrap(True)

    def _build_rows(self) -> tuple[QFormLayout, QHBoxLayout, QHBoxLayout, QSplitter]:
        """The input form, the range row, the submission row and the headers beside the checks."""
        inputs = QFormLayout()
        inputs.addRow("RPC 1", self.rpc_a_combo)
        inputs.addRow("RPC 2", self.rpc_b_edit)
        range_row = QHBoxLayout()
        range_row.addWidget(QLabel("From"))
        range_row.addWidget(self.from_spin)
        range_row.addWidget(QLabel("To"))
        range_row.addWidget(self.to_spin)
        range_row.addStretch(1)
        range_row.addWidget(self.detect_button)
        range_row.addWidget(self.cancel_button)
        submit_row = QHBoxLayout()
        submit_row.addWidget(QLabel("Provider"))
        submit_row.addWidget(self.provider_combo)
        submit_row.addWidget(QLabel("Submitter"))
        submit_row.addWidget(self.submitter_combo, 1)
        submit_row.addWidget(self.prepare_button)
        submit_row.addWidget(self.save_button)
        submit_row.addWidget(self.submit_button)

        splitter = QSplitter()
        splitter.addWidget(self.header_table)
        splitter.addWidget(self.checks_table)
        splitter.setSizes([740, 540])
        return inputs, range_row, submit_row, splitter

    # --- inputs ------------------------------------------------------------------------------------------

    def refresh_connections(self, *_: object) -> None:
        """Connected chains' RPC URLs as choices for RPC 1 (consumers first); providers for the submission."""
        live = [s for s in self.context.connections.values()
                if s.state in (LinkState.CONNECTED, LinkState.WARNING) and s.connection is not None]
        typed = self.rpc_a_combo.currentText()
        self.rpc_a_combo.clear()
        for state in sorted(live, key=lambda s: s.role != "consumer"):
            profile = getattr(state.connection, "profile", None)  # a Connection always has one
            for endpoint in profile.rpc if profile is not None else ():
                self.rpc_a_combo.addItem(endpoint.url)
                self.rpc_a_combo.setItemData(self.rpc_a_combo.count() - 1,
                                             plain_tooltip(f"{state.name} ({state.chain_id})"),
                                             Qt.ItemDataRole.ToolTipRole)
        self.rpc_a_combo.setEditText(typed)
        current = self.provider_combo.currentText()
        self.provider_combo.clear()
        self.provider_combo.addItems([s.name for s in live if s.role == "provider"])
        if self.provider_combo.findText(current) >= 0:
            self.provider_combo.setCurrentText(current)
        self._refresh_submitters()

    def _refresh_submitters(self) -> None:
        fill_submitters(self.submitter_combo)

    def submitter(self) -> str:
        text = self.submitter_combo.currentText().strip()
        index = self.submitter_combo.findText(text)
        return str(self.submitter_combo.itemData(index)) if index >= 0 else text

    # --- detection ---------------------------------------------------------------------------------------

    def detect(self) -> None:
        try:
            first = check_url(self.rpc_a_combo.currentText(), "RPC 1")
            second = check_url(self.rpc_b_edit.text(), "RPC 2")
        except ValueError as exc:
            self._fail(str(exc))
            return
        if first == second:
            self._fail("RPC 1 and RPC 2 are the same URL: give a second node of the chain")
            return
        start, end = self.from_spin.value(), self.to_spin.value() or None
        if end is not None and end < start:
            self._fail(f"the range {start}..{end} is empty: 'To' must be at or above 'From'")
            return

        # Imported on the GUI thread: a first import on a worker thread can crash shiboken's import hook.
        from ics_workbench.chain.http import Endpoint, JsonHttp
        from ics_workbench.evidence.fork import find_fork, inspect_fork

        def op(job: Job) -> ForkFinding | None:
            with JsonHttp([Endpoint(first)]) as rpc_1, JsonHttp([Endpoint(second)]) as rpc_2:
                fork = find_fork(rpc_1, rpc_2, start=start, end=end, job=job)
                return inspect_fork(rpc_1, rpc_2, fork, job=job) if fork is not None else None

        self._urls = (first, second)
        self._show_finding(None)
        self.error_label.clear()
        self.progress.setValue(0)
        set_plain_text(self.status_label, f"comparing the blocks of {first} and {second} from height {start}…")
        self.cancel_button.setEnabled(True)
        # Detect stays enabled: pressing it again (say, after fixing a URL) cancels the running detection and
        # drops whatever of it is still on its way (latest=)
        task = self.context.runtime.run(op, on_success=self._detected, on_failure=self._detect_failed,
                                        progress_label="looking for a fork", latest=self._latest_detect)
        task.sig_progress.connect(self._progress)
        self.task = task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        set_plain_text(self.status_label, message)

    def _done(self) -> None:
        self.task = None
        self.cancel_button.setEnabled(False)

    def _detected(self, finding: ForkFinding | None) -> None:
        self._done()
        self.progress.setValue(1000)
        self._show_finding(finding)
        if finding is None:
            set_plain_text(self.status_label, "no fork: the two nodes committed the same blocks over the range")
        else:
            fork = finding.fork
            below = " (they already differ at 'From': the fork may lie lower)" if fork.differs_at_start else ""
            set_plain_text(self.status_label, f"fork of {fork.chain_id} at height {fork.height}: "
                                              f"{fork.block_hashes[0][:12]} vs {fork.block_hashes[1][:12]}{below}")
        self.sig_detected.emit(finding)

    def _detect_failed(self, message: str, _error: BaseException) -> None:
        self._done()
        self._fail(message)

    def _show_finding(self, finding: ForkFinding | None) -> None:
        """A new finding (or none) voids the prepared submission: it belonged to the previous one."""
        self.finding = finding
        self._latest_prepare.invalidate()
        self._set_submission(None, "Detect a fork, then prepare its submission against a connected provider.")
        self.header_model.set_rows(header_rows(finding) if finding is not None else [])
        self.checks_model.set_rows(list(finding.verdict.checks) if finding is not None else [])
        if finding is None:
            self.verdict_label.clear()
        else:
            verdict = finding.verdict
            failed = "; ".join(f"{c.name}: {c.detail}" for c in verdict.failed)
            set_plain_text(self.verdict_label,
                           "LIGHT-CLIENT ATTACK — both commits verify and the validators that signed both are "
                           "the attackers" if verdict.valid else f"NOT AN ATTACK THE PROVIDER WOULD PUNISH — {failed}")
            self.header_table.view.resizeColumnsToContents()
        self.prepare_button.setEnabled(finding is not None and finding.verdict.valid)

    def _fail(self, message: str) -> None:
        set_plain_text(self.error_label, message)
        self.sig_failed.emit(message)

    # --- submission --------------------------------------------------------------------------------------

    def prepare(self) -> None:
        finding = self.finding
        lease = self.context.lease(self.provider_combo.currentText())
        if finding is None:
            return
        if lease is None or lease.peek() is None:
            self._fail("connect the provider first (Chains panel)")
            return
        first, second = self._urls

        from ics_workbench.chain.http import Endpoint, JsonHttp
        from ics_workbench.evidence.fork import prepare_misbehaviour_submission  # GUI thread: see detect()

        def op(job: Job) -> MisbehaviourSubmission:
            conn = lease.acquire(job)
            with JsonHttp([Endpoint(first)]) as rpc_1, JsonHttp([Endpoint(second)]) as rpc_2:
                return prepare_misbehaviour_submission(rpc_1, rpc_2, finding.fork, conn, job=job)

        self.error_label.clear()
        self.prepare_button.setEnabled(False)
        set_plain_text(self.submission_label, "building the misbehaviour against the provider's client…")
        self.context.runtime.run(op, on_success=self._prepared, on_failure=self._prepare_failed,
                                 progress_label="preparing the misbehaviour", latest=self._latest_prepare)

    def _prepared(self, submission: MisbehaviourSubmission) -> None:
        self.prepare_button.setEnabled(True)
        self.checks_model.set_rows(list(submission.verdict.checks))  # the verdict on what will be signed
        text = (f"MsgSubmitConsumerMisbehaviour for {submission.consumer.chain_id} (consumer "
                f"{submission.consumer.key}): headers at height {submission.height}, client {submission.client_id}")
        if not submission.ready:
            failed = "; ".join(f"{c.name}: {c.detail}" for c in submission.verdict.failed)
            text += f"\nCannot submit: {failed}"
        self._set_submission(submission, text)
        self.sig_prepared.emit(submission)

    def _prepare_failed(self, message: str, _error: BaseException) -> None:
        self.prepare_button.setEnabled(self.finding is not None)
        self._set_submission(None, f"Cannot submit: {message}", blocked=True)

    def _set_submission(self, submission: MisbehaviourSubmission | None, text: str, *, blocked: bool = False) -> None:
        self.submission = submission
        ok = submission is not None and submission.ready
        self.submit_button.setEnabled(ok)
        self.save_button.setEnabled(submission is not None)
        set_plain_text(self.submission_label, text)
        self.submission_label.setStyleSheet(ERROR_STYLE if blocked or (submission is not None and not ok) else "")

    def sign_and_submit(self) -> None:
        """Hand ``MsgSubmitConsumerMisbehaviour`` (submitter = the chosen account) to Keys & Signing."""
        from ics_workbench.errors import WorkbenchError

        lease = self.context.lease(self.provider_combo.currentText())
        conn = lease.peek() if lease is not None else None
        if self.submission is None:
            return
        prefix = conn.rest.valcons_prefix.removesuffix("valcons") if conn is not None and conn.rest else None
        version = conn.capabilities.ics_version if conn is not None else None
        try:
            request = self.submission.signing_request(self.submitter(), ics_version=version, account_prefix=prefix)
        except WorkbenchError as exc:
            self._fail(str(exc))
            return
        self.error_label.clear()
        self.context.request_signing(request)

    def _choose_directory(self) -> None:
        directory = QFileDialog.getExistingDirectory(self, "Save the misbehaviour files to")
        if directory:
            self.save_files(Path(directory))

    def save_files(self, directory: Path) -> None:
        """The prepared submission's files in ``directory`` (submitter as chosen, may be empty)."""
        from ics_workbench.errors import WorkbenchError

        if self.submission is None:
            return
        try:
            paths = self.submission.write_files(directory, self.submitter())
        except (OSError, WorkbenchError) as exc:
            self._fail(f"cannot save the misbehaviour files: {exc}")
            return
        self.context.show_status(f"saved {paths['misbehaviour']} and {paths['message'].name}")
