"""The Search tab: find the evidence committed in a height range of any connected CometBFT chain (a consumer,
the provider, or any other), with the fastest strategy the node allows (:mod:`ics_workbench.evidence.scan`).

The scan runs on the runtime; each item is relayed to the GUI thread as soon as its block is read and
appended to the list, progress and the request count move as it goes, Cancel stops it within the requests in
flight. Searches share one :class:`~ics_workbench.tasks.Latest`: every relayed item carries its search's
ticket, so after a new search the old one's stragglers (items, progress, its end) are dropped. "Verify selected" hands
the chosen items to the Evidence tab.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.gui.context import AppContext, LinkState
from ics_workbench.gui.models import ColumnSpec, RowTableModel
from ics_workbench.gui.widgets.table_view import TableView
from ics_workbench.tasks import Latest
from ics_workbench.untrusted_text import visible

if TYPE_CHECKING:
    from ics_workbench.evidence.scan import ScanSummary
    from ics_workbench.gui.runtime import Task
    from ics_workbench.tasks import Job, Ticket

ERROR_STYLE = "color: #c0392b;"
STRATEGIES = (("auto (fastest exhaustive)", None), ("block_search (punished evidence only)", "block_search"),
              ("header scan (/blockchain, exhaustive)", "headers"), ("every block (/block)", "blocks"))
MAX_HEIGHT = 2_000_000_000
DRAIN_MS = 30
"""How often what the scan delivered reaches the screen: found items and progress wait in the tab and are
applied together at most this often, one model insert per batch."""


@dataclass(frozen=True)
class FoundRow:
    block: int
    item: Any
    """a DuplicateVoteEvidence, or the raw JSON of another kind (light-client attack)"""

    @property
    def kind(self) -> str:
        return "duplicate vote" if hasattr(self.item, "vote_a") else "light client attack"

    @property
    def validator(self) -> str:
        address = getattr(self.item, "validator_address", None)
        return address.hex().upper() if isinstance(address, bytes) else ""

    @property
    def vote_height(self) -> int | None:
        return getattr(self.item, "height", None)


FOUND_COLUMNS: tuple[ColumnSpec[FoundRow], ...] = (
    ColumnSpec("Block", lambda r: r.block),
    ColumnSpec("Kind", lambda r: r.kind),
    ColumnSpec(
        "Validator (consumer address)",
        lambda r: r.validator,
        header_tooltip="The offending validator's consensus address on the scanned chain (hex)",
    ),
    ColumnSpec(
        "Vote height",
        lambda r: r.vote_height if r.vote_height is not None else "",
        header_tooltip="Height of the two conflicting votes (the evidence is committed in a later block)",
    ),
)


class FoundModel(RowTableModel[FoundRow]):
    def extend(self, rows: list[FoundRow]) -> None:
        """Rows at the end in one insert, as they stream in (no reset: the selection and scroll position stay)."""
        if not rows:
            return
        count = len(self.rows)
        self.beginInsertRows(QModelIndex(), count, count + len(rows) - 1)
        self._rows = (*self._rows, *rows)
        self.endInsertRows()


class _Relay(QObject):
    """Carries items from the scanning worker to the GUI thread (queued: the receiver lives there)."""

    sig_found = Signal(object, int, object)  # Ticket of the search, block height, item


class SearchTab(QWidget):
    sig_found = Signal(object)  # FoundRow, once shown in the list
    sig_finished = Signal(object)  # ScanSummary
    sig_failed = Signal(str)
    sig_verify = Signal(str, object)  # chain id, [FoundRow]: the Evidence tab verifies them

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.task: Task[Any] | None = None
        self.summary: ScanSummary | None = None
        self._latest = Latest()
        self._chain_id = ""
        self._relay = _Relay()
        self._relay.sig_found.connect(self._on_found, Qt.ConnectionType.QueuedConnection)
        self._pending_rows: list[FoundRow] = []
        self._pending_progress: tuple[float, str] | None = None
        self._drain = QTimer(self)
        self._drain.setSingleShot(True)
        self._drain.setInterval(DRAIN_MS)
        self._drain.timeout.connect(self._apply_pending)

        top = self._build_search_row()
        self._build_results()

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        context.sig_connection_changed.connect(self.refresh_chains)
        self.refresh_chains()

    def _build_search_row(self) -> QHBoxLayout:
        """Chain, height range, strategy, Search and Cancel."""
        self.chain_combo = QComboBox()
        self.chain_combo.setToolTip("any connected chain: a consumer, the provider, or another CometBFT chain")
        self.from_spin = QSpinBox()
        self.from_spin.setRange(1, MAX_HEIGHT)
        self.to_spin = QSpinBox()
        self.to_spin.setRange(0, MAX_HEIGHT)
        self.to_spin.setSpecialValueText("latest")
        self.to_spin.setValue(0)
        self.strategy_combo = QComboBox()
        for text, value in STRATEGIES:
            self.strategy_combo.addItem(text, value)
        self.search_button = QPushButton("Search")
        self.search_button.setToolTip(
            "Scan the height range of the chosen chain for committed evidence (double votes, light-client attacks)"
        )
        self.search_button.clicked.connect(self.search)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the search; what was found so far stays listed")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        top = QHBoxLayout()
        top.addWidget(QLabel("Chain"))
        top.addWidget(self.chain_combo, 1)
        top.addWidget(QLabel("From"))
        top.addWidget(self.from_spin)
        top.addWidget(QLabel("To"))
        top.addWidget(self.to_spin)
        top.addWidget(QLabel("Strategy"))
        top.addWidget(self.strategy_combo)
        top.addWidget(self.search_button)
        top.addWidget(self.cancel_button)
        return top

    def _build_results(self) -> None:
        """Progress, status and error lines, the found evidence and its Verify button."""
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.status_label = QLabel("Choose a chain and a height range.")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.model = FoundModel(FOUND_COLUMNS, parent=self)
        self.table = TableView(self.model, empty_text="No evidence found yet.")
        self.verify_button = QPushButton("Verify selected in the Evidence tab")
        self.verify_button.setToolTip(
            "Check the selected items' signatures against the validator's key in the Evidence tab"
        )
        self.verify_button.setEnabled(False)
        self.verify_button.clicked.connect(self.verify_selected)
        self.table.view.selectionModel().selectionChanged.connect(
            lambda *_: self.verify_button.setEnabled(bool(self.selected_rows())))

    def refresh_chains(self, *_: object) -> None:
        current = self.chain_combo.currentText()
        self.chain_combo.clear()
        self.chain_combo.addItems([s.name for s in self.context.connections.values()
                                   if s.state in (LinkState.CONNECTED, LinkState.WARNING) and s.connection])
        if self.chain_combo.findText(current) >= 0:
            self.chain_combo.setCurrentText(current)
        self.search_button.setEnabled(self.chain_combo.count() > 0 and self.task is None)

    # --- searching ---------------------------------------------------------------------------------------

    def search(self) -> None:
        lease = self.context.lease(self.chain_combo.currentText())
        conn = lease.peek() if lease is not None else None
        if conn is None:
            self._fail("connect a chain first (Chains panel)")
            return
        chain_id = conn.chain_id
        start, end = self.from_spin.value(), self.to_spin.value() or None
        if end is not None and end < start:
            self._fail(f"the range {start}..{end} is empty: 'To' must be at or above 'From'")
            return
        strategy_value = self.strategy_combo.currentData()

        # Imported on the GUI thread (see the evidence panel's verify for why); the protobuf classes too: parsing
        # a found double vote orders its block ids by their protobuf bytes, on the worker thread.
        import ics_workbench.evidence.protos  # noqa: F401
        from ics_workbench.errors import WorkbenchError
        from ics_workbench.evidence.rpc import latest_height
        from ics_workbench.evidence.scan import Strategy, scan

        relay = self._relay

        def op(job: Job) -> ScanSummary:
            rpc = lease.acquire(job).rpc_http
            last = end if end is not None else latest_height(rpc, job=job)
            if last < start:
                raise WorkbenchError(f"{chain_id} is at height {last}, below 'From' ({start})")
            return scan(rpc, start, last, strategy=Strategy(strategy_value) if strategy_value else None,
                        on_found=lambda height, item: relay.sig_found.emit(job.ticket, height, item), job=job)

        self._chain_id = chain_id
        self._drop_pending()
        self.model.set_rows([])
        self.error_label.clear()
        self.progress.setValue(0)
        self.status_label.setText(f"searching {chain_id} from height {start}…")
        self.search_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        # latest=: starting this search cancels the previous one and drops whatever of it is still on its way.
        task = self.context.runtime.run(op, on_success=self._finished, on_failure=self._failed,
                                        progress_label="searching for evidence", latest=self._latest)
        task.sig_progress.connect(self._progress)
        self.task = task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    # What the scan delivers is applied in batches. Its 16 request threads want the GIL most of the time, so every
    # call the view makes into the Python model (one insert made the view and proxy ask ~700 times: index, data
    # for 7 roles of each visible cell, flags) first waits its turn for the GIL; one insert and repaint per item
    # made the window stall 40-75 ms in bench/gui_stall.py. One insert per ~30 ms batch keeps that bounded.

    def _progress(self, fraction: float, message: str) -> None:
        self._pending_progress = (fraction, message)  # the runtime drops a replaced search's progress
        self._schedule()

    def _on_found(self, ticket: Ticket | None, height: int, item: Any) -> None:
        if ticket is None or not ticket.current:
            return  # a straggler of an earlier search
        self._pending_rows.append(FoundRow(height, item))
        self._schedule()

    def _schedule(self) -> None:
        if not self._drain.isActive():
            self._drain.start()

    def _apply_pending(self) -> None:
        rows, self._pending_rows = self._pending_rows, []
        if rows:
            first = not self.model.rows
            self.model.extend(rows)
            if first:
                self.table.fit_columns()
        if self._pending_progress is not None:
            fraction, message = self._pending_progress
            self._pending_progress = None
            self.progress.setValue(int(fraction * 1000))
            self.status_label.setText(visible(message))
        for row in rows:
            self.sig_found.emit(row)

    def _drop_pending(self) -> None:
        self._drain.stop()
        self._pending_rows = []
        self._pending_progress = None

    def _done(self) -> None:
        self._apply_pending()  # what arrived before the end is shown; the end's own line replaces the status
        self._drop_pending()
        self.task = None
        self.cancel_button.setEnabled(False)
        self.search_button.setEnabled(self.chain_combo.count() > 0)

    def _finished(self, summary: ScanSummary) -> None:
        self._done()
        self.summary = summary
        self.progress.setValue(1000)
        self.status_label.setText(visible(summary.line()))
        self.sig_finished.emit(summary)

    def _failed(self, message: str, _error: BaseException) -> None:
        self._done()
        self._fail(message)

    def _fail(self, message: str) -> None:
        self.error_label.setText(visible(message))
        self.sig_failed.emit(message)

    # --- hand-off ----------------------------------------------------------------------------------------

    def selected_rows(self) -> list[FoundRow]:
        rows = {self.table.proxy.mapToSource(i).row() for i in self.table.view.selectionModel().selectedRows()}
        return [self.model.rows[r] for r in sorted(rows)]

    def verify_selected(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.sig_verify.emit(self._chain_id, rows)
