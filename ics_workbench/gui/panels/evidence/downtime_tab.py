"""The Downtime tab: who is close to being jailed for missed blocks, on the provider and on a connected
consumer (consumer keys mapped back to provider validators), and when each one was down recently.

Loading reads every page of the signing infos and one ``/commit`` per recent height, so it runs on the
runtime and can be cancelled; the table and the grid show one chain at a time, in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.evidence.downtime import DowntimeRow
from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
from ics_workbench.gui.models import ColumnSpec, RowTableModel
from ics_workbench.gui.panels.evidence.missed_grid import GridRow, MissedBlocksGrid
from ics_workbench.gui.widgets.table_view import TableView
from ics_workbench.tasks import Latest

if TYPE_CHECKING:
    from ics_workbench.evidence.downtime_view import ChainDowntime
    from ics_workbench.gui.runtime import Task
    from ics_workbench.tasks import Job

ERROR_STYLE = "color: #c0392b;"
NO_CONSUMER = "(provider only)"
CLOSE_BACKGROUND = QColor("#fde2c4")
JAILED_BACKGROUND = QColor("#f6c6c1")
DEFAULT_RECENT = 100


@dataclass(frozen=True)
class DowntimeEntry:
    row: DowntimeRow
    operator: str


def _jailed_until(row: DowntimeRow) -> str:
    return row.jailed_until.isoformat() if row.jailed_until and row.jailed_until.year > 1970 else ""


DOWNTIME_COLUMNS: tuple[ColumnSpec[DowntimeEntry], ...] = (
    ColumnSpec("Moniker", lambda e: e.row.moniker or "(not a provider validator)"),
    ColumnSpec("Operator", lambda e: e.operator, tooltip=lambda e: e.operator),
    ColumnSpec("Signs as", lambda e: e.row.address,
               tooltip=lambda e: f"{e.row.chain} consensus address {e.row.address}",
               header_tooltip="The consensus address this validator signs the "
                              "consumer's blocks with (an assigned key, if any)"),
    ColumnSpec("Missed", lambda e: e.row.missed, header_tooltip="missed blocks in the current signing window"),
    ColumnSpec("Allowed", lambda e: e.row.allowed, header_tooltip="misses before the validator is jailed"),
    ColumnSpec("Left", lambda e: e.row.remaining),
    ColumnSpec("State", lambda e: e.row.state()),
    ColumnSpec("Jailed until", lambda e: _jailed_until(e.row)),
)


class DowntimeModel(RowTableModel[DowntimeEntry]):
    """Rows tinted by risk: orange when close to the threshold, red when jailed or tombstoned."""

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if int(role) == Qt.ItemDataRole.BackgroundRole and index.isValid() and index.row() < len(self.rows):
            row = self.rows[index.row()].row
            if row.is_tombstoned() or row.is_jailed():
                return JAILED_BACKGROUND
            if row.close_to_jail:
                return CLOSE_BACKGROUND
            return None
        if int(role) == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.row() < len(self.rows):
            row = self.rows[index.row()].row
            return QColor("#1a1a1a") if (row.is_tombstoned() or row.is_jailed() or row.close_to_jail) else None
        return super().data(index, role)


class DowntimeTab(QWidget):
    sig_loaded = Signal(object)  # list[ChainDowntime]
    sig_failed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.views: list[ChainDowntime] = []
        self.task: Task[Any] | None = None
        self._latest_load = Latest()  # a reload replaces (and cancels) the load still running

        top, show = self._build_load_rows()
        splitter = self._build_results()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(show)
        layout.addWidget(self.error_label)
        layout.addWidget(splitter, 1)

        context.sig_connection_changed.connect(self.refresh_chains)
        self.refresh_chains()

    # --- layout ------------------------------------------------------------------------------------------

    def _build_load_rows(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        """What to load (provider, consumer, recent blocks, Load/Cancel) and which chain to show, with its params."""
        self.provider_combo = QComboBox()
        self.consumer_combo = QComboBox()
        self.recent_spin = QSpinBox()
        self.recent_spin.setRange(0, 10_000)
        self.recent_spin.setValue(DEFAULT_RECENT)
        self.recent_spin.setToolTip("recent heights to read /commit signatures for (0: none)")
        self.load_button = QPushButton("Load")
        self.load_button.setToolTip(
            "Read the consumer's signing info and recent /commit signatures to show missed blocks and jail risk"
        )
        self.load_button.clicked.connect(self.load)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop loading; what was read so far stays shown")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.chain_combo = QComboBox()
        self.chain_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.chain_combo.currentIndexChanged.connect(self._show_chain)
        self.params_label = QLabel("Choose a connected provider and load.")
        self.params_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(QLabel("Provider"))
        top.addWidget(self.provider_combo, 1)
        top.addWidget(QLabel("Consumer"))
        top.addWidget(self.consumer_combo, 1)
        top.addWidget(QLabel("Recent blocks"))
        top.addWidget(self.recent_spin)
        top.addWidget(self.load_button)
        top.addWidget(self.cancel_button)
        show = QHBoxLayout()
        show.addWidget(QLabel("Show"))
        show.addWidget(self.chain_combo)
        show.addWidget(self.params_label, 1)
        return top, show

    def _build_results(self) -> QSplitter:
        """The signing-info table above the recent blocks grid."""
        self.model = DowntimeModel(DOWNTIME_COLUMNS, parent=self)
        self.table = TableView(self.model, empty_text="No signing infos loaded.")
        self.grid = MissedBlocksGrid()
        scroll = QScrollArea()
        scroll.setWidget(self.grid)
        scroll.setWidgetResizable(True)
        grid_box = QWidget()
        grid_layout = QVBoxLayout(grid_box)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        self.grid_label = QLabel("<b>Recent blocks</b> (green signed, red missed; hover for the height)")
        grid_layout.addWidget(self.grid_label)
        grid_layout.addWidget(scroll, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(grid_box)
        splitter.setSizes([380, 220])
        return splitter

    # --- inputs ------------------------------------------------------------------------------------------

    def _connected(self, role: str) -> list[ConnectionState]:
        return [
            state
            for state in self.context.connections.values()
            if state.role == role and state.state in (LinkState.CONNECTED, LinkState.WARNING) and state.connection
        ]

    def refresh_chains(self, *_: object) -> None:
        for combo, role, first in (
            (self.provider_combo, "provider", []),
            (self.consumer_combo, "consumer", [NO_CONSUMER]),
        ):
            current = combo.currentText()
            combo.clear()
            combo.addItems([*first, *(s.name for s in self._connected(role))])
            if combo.findText(current) >= 0:
                combo.setCurrentText(current)
        self.load_button.setEnabled(self.provider_combo.count() > 0)

    # --- loading -----------------------------------------------------------------------------------------

    def load(self) -> None:
        provider_lease = self.context.lease(self.provider_combo.currentText())
        if provider_lease is None or provider_lease.peek() is None:
            self._fail("connect a provider first (Chains panel)")
            return
        consumer_name = self.consumer_combo.currentText()
        consumer_lease = self.context.lease(consumer_name) if consumer_name != NO_CONSUMER else None
        recent = self.recent_spin.value()

        # Imported on the GUI thread (see the evidence panel's verify for why).
        from ics_workbench.errors import WorkbenchError
        from ics_workbench.evidence.downtime_view import chain_downtime

        def op(job: Job) -> list[ChainDowntime]:
            provider = provider_lease.acquire(job)
            consumer = consumer_lease.acquire(job) if consumer_lease is not None else None
            if provider.rest is None:
                raise WorkbenchError(f"{provider.chain_id}: no REST endpoint, signing infos cannot be read")
            validators = provider.rest.validators(bonded_only=False, job=job)
            views = [chain_downtime(provider.chain_id, "provider", provider.rest, validators,
                                    rpc=provider.rpc_http, recent=recent, job=job)]
            if consumer is not None:
                if provider.provider is None:
                    raise WorkbenchError(f"{provider.chain_id} has no provider module: consumer keys cannot be mapped")
                if consumer.rest is None:
                    raise WorkbenchError(f"{consumer.chain_id}: no REST endpoint, its signing infos cannot be read")
                entry = provider.provider.find_by_chain_id(consumer.chain_id, job=job)
                if entry is None:
                    raise WorkbenchError(
                        f"the provider {provider.chain_id} knows no consumer chain {consumer.chain_id!r}"
                    )
                assignments = provider.provider.key_assignments(entry.key, job=job)
                views.append(chain_downtime(consumer.chain_id, "consumer", consumer.rest, validators,
                                            assignments=assignments, provider_rest=provider.rest,
                                            rpc=consumer.rpc_http, recent=recent, job=job))
            return views

        self.error_label.clear()
        self.load_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.task = self.context.runtime.run(op, on_success=self._loaded, on_failure=self._on_failure,
                                             progress_label="loading downtime", latest=self._latest_load)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _done(self) -> None:
        self.task = None
        self.cancel_button.setEnabled(False)
        self.load_button.setEnabled(self.provider_combo.count() > 0)

    def _loaded(self, views: list[ChainDowntime]) -> None:
        self._done()
        self.views = views
        self.chain_combo.blockSignals(True)
        self.chain_combo.clear()
        self.chain_combo.addItems([f"{v.chain_id} ({v.role})" for v in views])
        self.chain_combo.blockSignals(False)
        self.chain_combo.setCurrentIndex(len(views) - 1)  # the consumer, when one was asked for
        self._show_chain(self.chain_combo.currentIndex())
        self.sig_loaded.emit(views)

    def _on_failure(self, message: str, _error: BaseException) -> None:
        self._done()
        self._fail(message)

    def _fail(self, message: str) -> None:
        self.error_label.setText(message)
        self.sig_failed.emit(message)

    # --- display -----------------------------------------------------------------------------------------

    def current_view(self) -> ChainDowntime | None:
        index = self.chain_combo.currentIndex()
        return self.views[index] if 0 <= index < len(self.views) else None

    def _show_chain(self, _index: int) -> None:
        view = self.current_view()
        if view is None:
            return
        self.model.set_rows([DowntimeEntry(row, view.operator(row)) for row in view.rows])
        params = view.params
        close = sum(r.close_to_jail for r in view.rows)
        self.params_label.setText(
            f"window {params.signed_blocks_window:,} blocks, min signed {params.min_signed_per_window.normalize():f} "
            f"→ jailed after {view.allowed:,} misses; downtime jail {params.downtime_jail_duration_seconds:,}s, "
            f"slash {params.slash_fraction_downtime.normalize():f}. {len(view.rows)} signing infos, "
            f"{close} close to jail."
        )
        if view.recent is None:
            self.grid.set_data((), ())
            return
        self.grid.set_data(view.recent.heights, [
            GridRow(row.moniker or row.address, view.recent_flags(row) or ()) for row in view.rows
        ])
