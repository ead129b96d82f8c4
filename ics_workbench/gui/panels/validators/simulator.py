# mypy: disable-error-code="misc"
# (a mixin's methods are typed `self: ValidatorsPanel`; mypy flags a self type narrower than the mixin as [misc])
"""The Validators panel's power-shaping simulator: a form with a consumer's parameters, and the before/after
diff of who would validate with what power. The simulation runs on the runtime (50 consumers take a few hundred
ms); ``ValidatorsPanel`` inherits these methods, so the form's widgets stay attributes of the panel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.gui.models import RowTableModel
from ics_workbench.gui.panels.validators.tables import DIFF_COLUMNS, DiffRow, diff_rows
from ics_workbench.gui.widgets.table_view import TableView

if TYPE_CHECKING:
    from ics_workbench.gui.panels.validators.panel import ValidatorsPanel
    from ics_workbench.tasks import Job
    from ics_workbench.validators.models import ConsumerInput, PowerShapingParams
    from ics_workbench.validators.results import SimulationResult

ERROR_STYLE = "color: #c0392b;"


class PowerShapingSimulator:
    """The simulator tab of ``ValidatorsPanel`` (mixed in; the loaded analysis lives on the panel)."""

    last_simulation: tuple[SimulationResult, SimulationResult] | None  # set by the panel, replaced per run

    def _build_simulator(self: ValidatorsPanel) -> QWidget:
        """The parameter form on the left, the before/after diff on the right."""
        left, right = self._build_sim_form(), self._build_sim_results()
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        return splitter

    def _build_sim_form(self: ValidatorsPanel) -> QWidget:
        """The consumer's power-shaping parameters, editable, with Reset and Simulate."""
        self.sim_consumer = QComboBox()
        self.sim_consumer.currentIndexChanged.connect(self._consumer_chosen)
        self.sim_top_n = QSpinBox()
        self.sim_top_n.setRange(0, 100)
        self.sim_power_cap = QSpinBox()
        self.sim_power_cap.setRange(0, 100)
        self.sim_power_cap.setSuffix(" %")
        self.sim_set_cap = QSpinBox()
        self.sim_set_cap.setRange(0, 100_000)
        self.sim_min_stake = QLineEdit("0")
        self.sim_allow_inactive = QCheckBox("allow inactive validators")
        self.sim_allow_inactive.setToolTip(
            "Let validators outside the provider's active set validate the consumer (ICS allow_inactive_vals)"
        )
        self.sim_allowlist = QPlainTextEdit()
        self.sim_denylist = QPlainTextEdit()
        self.sim_prioritylist = QPlainTextEdit()
        for edit in (self.sim_allowlist, self.sim_denylist, self.sim_prioritylist):
            edit.setPlaceholderText("one consensus address (…valcons1…) per line")
            edit.setMaximumHeight(70)
        self.sim_error = QLabel()
        self.sim_error.setStyleSheet(ERROR_STYLE)
        self.sim_error.setWordWrap(True)
        self.sim_button = QPushButton("Simulate")
        self.sim_button.setToolTip(
            "Apply these power-shaping parameters to the current "
            "provider set and show who would validate with what power"
        )
        self.sim_button.clicked.connect(self.simulate_form)
        reset = QPushButton("Reset to current")
        reset.setToolTip("Fill the form with the consumer's current power-shaping parameters")
        reset.clicked.connect(self._consumer_chosen)

        form = QFormLayout()
        form.addRow("Consumer", self.sim_consumer)
        form.addRow("top_N", self.sim_top_n)
        form.addRow("validators_power_cap", self.sim_power_cap)
        form.addRow("validator_set_cap", self.sim_set_cap)
        form.addRow("min_stake", self.sim_min_stake)
        form.addRow("", self.sim_allow_inactive)
        form.addRow("allowlist", self.sim_allowlist)
        form.addRow("denylist", self.sim_denylist)
        form.addRow("prioritylist", self.sim_prioritylist)
        buttons = QHBoxLayout()
        buttons.addWidget(reset)
        buttons.addWidget(self.sim_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(form)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.sim_error)
        left_layout.addStretch(1)
        return left

    def _build_sim_results(self: ValidatorsPanel) -> QWidget:
        """What the last simulation changed: a summary, its findings and the per-validator diff."""
        self.sim_summary = QLabel("Choose a consumer and change a parameter.")
        self.sim_summary.setWordWrap(True)
        self.sim_findings = QLabel()
        self.sim_findings.setWordWrap(True)
        self.sim_findings.setStyleSheet("color: #a86a00;")
        self.diff_model: RowTableModel[DiffRow] = RowTableModel(DIFF_COLUMNS, parent=self)
        self.diff_table = TableView(self.diff_model, empty_text="No simulation yet.")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.sim_summary)
        right_layout.addWidget(self.sim_findings)
        right_layout.addWidget(self.diff_table, 1)
        return right

    def _consumer(self: ValidatorsPanel) -> ConsumerInput | None:
        if self._computed is None or self.sim_consumer.currentIndex() < 0:
            return None
        return self._computed.analysis.data.consumers[self.sim_consumer.currentIndex()]

    def _consumer_chosen(self: ValidatorsPanel, *_: object) -> None:
        consumer = self._consumer()
        if consumer is None:
            return
        p = consumer.params
        self.sim_top_n.setValue(p.top_n)
        self.sim_power_cap.setValue(p.validators_power_cap)
        self.sim_set_cap.setValue(p.validator_set_cap)
        self.sim_min_stake.setText(str(p.min_stake))
        self.sim_allow_inactive.setChecked(p.allow_inactive_vals)
        self.sim_allowlist.setPlainText("\n".join(p.allowlist))
        self.sim_denylist.setPlainText("\n".join(p.denylist))
        self.sim_prioritylist.setPlainText("\n".join(p.prioritylist))
        self.sim_error.setText("")

    def candidate(self: ValidatorsPanel) -> PowerShapingParams:
        """The parameters the form shows; a precise error for a bad min_stake."""
        from ics_workbench.validators.models import PowerShapingError, PowerShapingParams

        text = self.sim_min_stake.text().strip() or "0"
        if not text.isdigit():
            raise PowerShapingError(f"min_stake: expected a whole number of base units, got {text!r}")

        def lines(edit: QPlainTextEdit) -> tuple[str, ...]:
            return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())

        return PowerShapingParams(
            top_n=self.sim_top_n.value(),
            validators_power_cap=self.sim_power_cap.value(),
            validator_set_cap=self.sim_set_cap.value(),
            allowlist=lines(self.sim_allowlist),
            denylist=lines(self.sim_denylist),
            min_stake=int(text),
            allow_inactive_vals=self.sim_allow_inactive.isChecked(),
            prioritylist=lines(self.sim_prioritylist),
        )

    def simulate_form(self: ValidatorsPanel) -> None:
        from ics_workbench.errors import WorkbenchError

        consumer = self._consumer()
        if consumer is None or self._computed is None:
            self.sim_error.setText("Load a provider's overlaps first.")
            return
        try:
            candidate = self.candidate()
        except WorkbenchError as error:
            self.sim_error.setText(str(error))
            return
        self.sim_error.setText("\n".join(candidate.problems()))
        snapshot = self._computed.analysis.data.snapshot

        def op(job: Job) -> tuple[SimulationResult, SimulationResult]:
            from ics_workbench.validators.simulate import simulate

            return simulate(snapshot, consumer), simulate(snapshot, consumer, candidate)

        self.context.runtime.run(op, on_success=self._simulated, on_failure=self._simulation_failed,
                                 progress_label="Simulating", latest=self._latest_simulation)

    def _simulated(self: ValidatorsPanel, pair: tuple[SimulationResult, SimulationResult]) -> None:
        before, after = pair
        self.last_simulation = pair
        rows = diff_rows(before, after)
        self.diff_model.set_rows(rows)
        changed = sum(1 for r in rows if r.change)
        top_n = "" if after.min_power_in_top_n is None else f"; min power in top N {after.min_power_in_top_n:,}"
        self.sim_summary.setText(
            f"{len(before.members)} → {len(after.members)} validators, {changed} change(s); provider power "
            f"{before.covered_provider_share * 100:.1f}% → {after.covered_provider_share * 100:.1f}%{top_n}"
        )
        self.sim_findings.setText("\n".join(f"⚠ {f.message}" for f in after.findings))
        self.sig_simulated.emit()

    def _simulation_failed(self: ValidatorsPanel, message: str, _error: BaseException) -> None:
        self.sim_error.setText(message)
        self.sig_failed.emit(message)
