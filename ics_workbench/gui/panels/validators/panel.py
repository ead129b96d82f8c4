"""The Validators & Overlaps panel: who validates which consumer, how exposed each consumer is, and a
power-shaping simulator that shows a candidate's effect before anyone votes for it.

Loading (network) and every computation (simulating 50 consumers takes a few hundred ms) run through the
runtime; the tables are ``RowTableModel`` + proxy, so sorting and filtering 500 x 50 cells stays in Qt.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.gui.context import AppContext
from ics_workbench.gui.models import RowTableModel
from ics_workbench.gui.panels.validators import charts
from ics_workbench.gui.panels.validators.exports import OverlapExports
from ics_workbench.gui.panels.validators.simulator import ERROR_STYLE, PowerShapingSimulator
from ics_workbench.gui.panels.validators.tables import (
    CONSUMER_COLUMNS,
    KEY_COLUMNS,
    SET_COLUMNS,
    VALIDATOR_COLUMNS,
    MatrixModel,
    SetModel,
    SetRow,
    matrix_cache,
    matrix_columns,
    matrix_rows,
    set_rows,
)
from ics_workbench.gui.untrusted import plain_tooltip, visible
from ics_workbench.gui.widgets.bar_chart import BarChart
from ics_workbench.gui.widgets.table_view import TableView
from ics_workbench.tasks import Latest

if TYPE_CHECKING:
    from ics_workbench.tasks import Job
    from ics_workbench.validators.analysis import ChainValidator, KeyRow
    from ics_workbench.validators.load import OverlapData
    from ics_workbench.validators.overlap_report import ConsumerAnalysis, OverlapAnalysis
    from ics_workbench.validators.results import SimulationResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Computed:
    analysis: OverlapAnalysis
    sets: list[SetRow]  # provider's consumer_validators vs each connected consumer's own validator set
    matrix: tuple[Any, ...] = ()  # columns, rows, cell cache: built on the worker, not the GUI thread


def _compute(data: OverlapData, job: Job) -> _Computed:
    from ics_workbench.validators.overlap_report import analyse_overlaps

    analysis = analyse_overlaps(data, job)
    labels = {c.consumer_id: c.label for c in data.consumers}
    monikers = {v.valcons: v.moniker or v.operator for v in data.snapshot.validators}
    matches = {
        c.result.consumer.consumer_id: list(c.chain_match) for c in analysis.consumers if c.chain_match is not None
    }
    columns, rows = matrix_columns(analysis.matrix), matrix_rows(analysis.matrix)
    return _Computed(analysis, set_rows(labels, matches, monikers), (columns, rows, matrix_cache(columns, rows)))


def consumer_sets(context: AppContext, provider_chain_id: str) -> dict[str, tuple[ChainValidator, ...]]:
    """The validator sets of connected consumers of this provider, from their overviews (consumer id -> set).

    Those were read when the consumer was connected or refreshed, which is what the user sees in Connections."""
    from ics_workbench.validators.analysis import ChainValidator

    sets: dict[str, tuple[ChainValidator, ...]] = {}
    for state in context.connections.values():
        overview = state.overview
        entry = getattr(overview, "consumer", None)
        if state.role != "consumer" or entry is None or overview.provider_chain_id != provider_chain_id:
            continue
        sets[entry.consumer_id or entry.chain_id] = tuple(
            ChainValidator(v.address, v.pub_key, v.voting_power) for v in overview.validators
        )
    return sets


class ValidatorsPanel(PowerShapingSimulator, OverlapExports, QWidget):
    sig_loaded = Signal()  # matrix and consumer tables filled
    sig_simulated = Signal()  # the simulator's before/after diff is shown
    sig_failed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._computed: _Computed | None = None
        self._latest_load = Latest()  # a slow load of provider A must not replace provider B's, loaded since
        self._latest_simulation = Latest()
        self.last_simulation: tuple[SimulationResult, SimulationResult] | None = None
        self._as_of: tuple[str, int | None] = ("", None)

        # Widgets join the panel's focus chain in the order they are created: top row, then the tabs.
        top = self._build_top_row()
        self._build_tabs(self._build_matrix_page())

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._set_exports_enabled(False)
        context.sig_connection_changed.connect(lambda _name: (self._fill_providers(), self._show_as_of()))
        self._fill_providers()

    # --- layout ------------------------------------------------------------------------------------------

    def _build_top_row(self) -> QHBoxLayout:
        """Provider choice, the load button, and what the tables describe."""
        self.provider_combo = QComboBox()
        self.provider_combo.setMinimumWidth(220)
        self.load_button = QPushButton("Load overlaps")
        self.load_button.setToolTip(
            "Read every consumer's validator set from the connected provider and compute the overlaps"
        )
        self.load_button.clicked.connect(self._load_clicked)
        self.status_label = QLabel("Connect to a provider in Connections, then load its overlaps.")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # it shows consumer labels and chain warnings
        self.status_label.setWordWrap(True)
        self.as_of_label = QLabel("")  # the provider block the tables describe, and how far the chain has moved on
        self.as_of_label.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(QLabel("Provider:"))
        top.addWidget(self.provider_combo)
        top.addWidget(self.load_button)
        top.addWidget(self.status_label, 1)
        top.addWidget(self.as_of_label)
        return top

    def _build_matrix_page(self) -> QWidget:
        """The overlap matrix with its legend and export buttons."""
        self.matrix_model = MatrixModel(parent=self)
        self.matrix_table = TableView(self.matrix_model, filter_placeholder="Filter validators or statuses…",
                                      empty_text="No overlaps loaded.")
        # sizing columns from every one of 500 x 50 cells takes seconds; a sample of rows is as good here
        self.matrix_table.view.horizontalHeader().setResizeContentsPrecision(40)
        self.export_csv_button = QPushButton("Export CSV…")
        self.export_csv_button.setToolTip("Save the overlap matrix (validators x consumers) as CSV")
        self.export_csv_button.clicked.connect(self._export_csv_clicked)
        self.export_png_button = QPushButton("Export PNG…")
        self.export_png_button.setToolTip("Save the charts as a PNG image with their legend")
        self.export_png_button.clicked.connect(self._export_png_clicked)
        legend = QLabel("Green: in the set, with its share of the consumer's power (darker: one third or more). "
                        "Red: opted in (or in the Top N) but kept out, and why. "
                        "\"denied\" uncoloured: denylisted, never opted in.")
        legend.setWordWrap(True)
        legend.setEnabled(False)
        exports = QHBoxLayout()
        exports.addWidget(legend, 1)
        exports.addWidget(self.export_csv_button)
        exports.addWidget(self.export_png_button)
        matrix_page = QWidget()
        matrix_layout = QVBoxLayout(matrix_page)
        matrix_layout.addWidget(self.matrix_table, 1)
        matrix_layout.addLayout(exports)
        return matrix_page

    def _build_tabs(self, matrix_page: QWidget) -> None:
        """The tabs, in their order on screen; the simulator last."""
        self.consumer_model: RowTableModel[ConsumerAnalysis] = RowTableModel(CONSUMER_COLUMNS, parent=self)
        self.consumer_table = TableView(self.consumer_model, empty_text="No consumers loaded.")

        self.key_model: RowTableModel[KeyRow] = RowTableModel(KEY_COLUMNS, parent=self)
        self.key_table = TableView(self.key_model, filter_placeholder="Filter (e.g. 'reused', 'chain id')…",
                                   empty_text="No key assignments loaded.")

        self.tabs = QTabWidget()
        self.tabs.addTab(matrix_page, "Overlap matrix")
        self.tabs.addTab(self.consumer_table, "Consumers && risk")
        self.tabs.addTab(self._build_charts(), "Charts")
        self.tabs.addTab(self._build_validator_page(), "Validator")
        self.tabs.addTab(self.key_table, "Key assignments")
        self.set_model = SetModel(SET_COLUMNS, parent=self)
        self.set_table = TableView(self.set_model, filter_placeholder="Filter consumer sets…",
                                   empty_text="Connect a consumer profile (with this provider as its provider) "
                                              "in Connections to compare its own validator set.")
        self.tabs.addTab(self.set_table, "Consumer sets")
        self.tabs.addTab(self._build_simulator(), "Power-shaping simulator")
        self.matrix_table.view.doubleClicked.connect(self._matrix_double_clicked)

    # --- charts ----------------------------------------------------------------------------------------------

    def _build_charts(self) -> QWidget:
        self.risk_title = QLabel("<b>Who can halt or control each consumer</b> — the fewest validators holding "
                                 "≥ 1/3 (halt) and > 2/3 (control) of its power, as a share of the provider's stake")
        self.risk_chart = BarChart()
        self.split_title = QLabel("<b>Each consumer's power by validator</b> — warm colours: validators that also "
                                  "validate other consumers (the subset problem)")
        self.split_chart = BarChart()
        for title in (self.risk_title, self.split_title):
            title.setWordWrap(True)
        page = QWidget()
        page.setBackgroundRole(QPalette.ColorRole.Base)
        page.setAutoFillBackground(True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.risk_title)
        layout.addWidget(self.risk_chart)
        layout.addSpacing(12)
        layout.addWidget(self.split_title)
        layout.addWidget(self.split_chart)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.charts_page = page
        return scroll

    def _fill_charts(self, rows: list[ConsumerAnalysis]) -> None:
        risk, maximum = charts.risk_bars(rows)
        self.risk_chart.set_data(risk, legend=charts.RISK_LEGEND, maximum=maximum)
        self.split_chart.set_data(charts.split_bars(rows), legend=charts.SPLIT_LEGEND, markers=charts.SPLIT_MARKERS)

    # --- one validator ---------------------------------------------------------------------------------------

    def _build_validator_page(self) -> QWidget:
        self.validator_combo = QComboBox()
        self.validator_combo.setMinimumWidth(320)
        self.validator_combo.currentIndexChanged.connect(self._validator_chosen)
        self.validator_info = QLabel("Double-click a validator in the matrix, or choose one.")
        self.validator_info.setWordWrap(True)
        self.validator_model: RowTableModel[Any] = RowTableModel(VALIDATOR_COLUMNS, parent=self)
        self.validator_table = TableView(self.validator_model, empty_text="No validator chosen.")
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel("Validator:"))
        row.addWidget(self.validator_combo)
        row.addWidget(self.validator_info, 1)
        layout.addLayout(row)
        layout.addWidget(self.validator_table, 1)
        return page

    def show_validator(self, valcons: str) -> None:
        if self._computed is None:
            return
        rows = self._computed.analysis.matrix.rows
        for index, validator in enumerate(rows):
            if validator.valcons == valcons:
                self.validator_combo.setCurrentIndex(index)
                self.tabs.setCurrentIndex(3)
                return

    def _matrix_double_clicked(self, index: Any) -> None:
        source = self.matrix_table.proxy.mapToSource(index)
        self.show_validator(self.matrix_model.row_at(source.row()).validator.valcons)

    def _validator_chosen(self, *_: object) -> None:
        from ics_workbench.validators.analysis import validator_view

        if self._computed is None or self.validator_combo.currentIndex() < 0:
            return
        validator = self._computed.analysis.matrix.rows[self.validator_combo.currentIndex()]
        view = validator_view(self._computed.analysis.data.snapshot, validator.valcons, self._computed.analysis.results)
        self.validator_model.set_rows(view.rows)
        in_sets = sum(1 for r in view.rows if r.in_set)
        refused = sum(1 for r in view.rows if r.opted_in and not r.in_set)
        epoch = view.blocks_until_next_epoch
        self.validator_info.setText(
            f"{validator.operator} · power {validator.power:,} · in {in_sets} consumer set(s)"
            + (f" · opted in but kept out of {refused}" if refused else "")
            + (f" · changes apply in {epoch} block(s)" if epoch is not None else "")
        )

    # --- loading -------------------------------------------------------------------------------------------

    def _fill_providers(self) -> None:
        current = self.provider_combo.currentText()
        self.provider_combo.clear()
        for name, state in sorted(self.context.connections.items()):
            conn = state.connection
            if conn is not None and getattr(conn, "provider", None) is not None:
                self.provider_combo.addItem(name)
        if current:
            self.provider_combo.setCurrentText(current)
        self.load_button.setEnabled(self.provider_combo.count() > 0 and not self.context.offline)

    def _load_clicked(self) -> None:
        name = self.provider_combo.currentText()
        state = self.context.connection(name)
        if state is None or state.lease is None:
            self._show_error(f"{name}: not connected")
            return
        lease = state.lease
        chain_sets = consumer_sets(self.context, state.chain_id)

        def op(job: Job) -> _Computed:
            from ics_workbench.validators.load import ProviderSource, load_overlaps

            conn = lease.acquire(job)
            source = ProviderSource(conn.rest, conn.provider, conn.settings.max_workers, conn.comet)
            data = load_overlaps(source, job=job)
            return _compute(replace(data, chain_sets={**data.chain_sets, **chain_sets}), job)

        self.status_label.setStyleSheet("")
        self.status_label.setText(f"Loading overlaps of {name}…")
        self.context.runtime.run(op, on_success=self._show, on_failure=lambda m, _e: self._show_error(m),
                                 progress_label=f"Loading overlaps of {name}", latest=self._latest_load)

    def set_data(self, data: OverlapData) -> None:
        """Show already loaded data (the computation still runs off the GUI thread)."""
        self.context.runtime.run(lambda job: _compute(data, job), on_success=self._show,
                                 on_failure=lambda m, _e: self._show_error(m), progress_label="Computing overlaps",
                                 latest=self._latest_load)

    def _show_error(self, message: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(message)
        self.sig_failed.emit(message)

    def _show(self, computed: _Computed) -> None:
        self._computed = computed
        columns, rows, cache = computed.matrix
        self.matrix_model.set_matrix(columns, rows, cache)
        self.consumer_model.set_rows(list(computed.analysis.consumers))
        self._fill_charts(list(computed.analysis.consumers))
        self.key_model.set_rows(list(computed.analysis.keys))
        self.set_model.set_rows(computed.sets)
        self.validator_combo.blockSignals(True)
        self.validator_combo.clear()
        for validator in computed.analysis.matrix.rows:
            self.validator_combo.addItem(f"{validator.moniker or validator.operator} ({validator.power:,})")
        self.validator_combo.blockSignals(False)
        self._validator_chosen()
        self.sim_consumer.blockSignals(True)
        self.sim_consumer.clear()
        for consumer in computed.analysis.data.consumers:
            self.sim_consumer.addItem(f"{consumer.label} [{consumer.consumer_id}]")
        self.sim_consumer.blockSignals(False)
        self._consumer_chosen()
        disagree = [r.result.consumer.label for r in list(computed.analysis.consumers) if r.agrees is False]
        off_sets = sorted({r.consumer for r in computed.sets if r.match.status.value != "match"})
        text = (f"{len(computed.analysis.matrix.rows)} validators × {len(computed.analysis.matrix.columns)} consumers"
                + (f"; simulation differs from the provider for: {', '.join(disagree)}" if disagree else "")
                + (f"; consumer chain runs another set than the provider says: {', '.join(off_sets)}"
                   if off_sets else ""))
        warnings = computed.analysis.data.warnings
        if warnings:
            text += f"; {len(warnings)} warning(s) (hover to read)" if len(warnings) > 1 else f"; {warnings[0]}"
        self.status_label.setStyleSheet(ERROR_STYLE if disagree or off_sets else "")
        self.status_label.setText(visible(text))
        self.status_label.setToolTip(plain_tooltip("\n".join(warnings)))  # chain text: escaped, never HTML
        self._as_of = (self.provider_combo.currentText(), computed.analysis.data.height)
        self._show_as_of()
        self._set_exports_enabled(True)
        self.sig_loaded.emit()

    def _show_as_of(self) -> None:
        """``as of height N``, and the provider's newer height once its liveness probe has seen one."""
        name, height = self._as_of
        if height is None:
            self.as_of_label.setText("")
            return
        state = self.context.connection(name)
        now = state.height if state is not None else None
        # Overlaps change only with validator sets, so a few blocks later the data is older, not wrong: say how
        # much older (briefly: the label shares a row with the provider box at 1024 px) and how to refresh.
        if now is not None and now > height:
            self.as_of_label.setText(f"as of height {height:,} · chain now at {now:,}")
            self.as_of_label.setToolTip(plain_tooltip(
                f"The tables describe block {height:,}; {name} is now at height {now:,}. "
                "Load overlaps again to refresh."
            ))
        else:
            self.as_of_label.setText(f"as of height {height:,}")
            self.as_of_label.setToolTip(f"The tables describe the provider's block {height:,}.")
