"""Column specs for the overlap matrix (one column per consumer) and the per-consumer summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ics_workbench.gui.models import SORT_ROLE, ColumnSpec, RowTableModel
from ics_workbench.gui.models.row_table import natural_key
from ics_workbench.validators.analysis import (
    Cell,
    KeyAlert,
    KeyRow,
    MatchRow,
    MatchStatus,
    OverlapMatrix,
    ValidatorConsumerRow,
)
from ics_workbench.validators.models import ProviderValidator
from ics_workbench.validators.overlap_report import ConsumerAnalysis
from ics_workbench.validators.results import Exclusion, SimulationResult

IN_SET = QColor("#d5efd9")
IN_SET_STRONG = QColor("#7bc68a")
REFUSED = QColor("#f6d5cf")  # opted in (or forced) but kept out: denied, capped, below min stake...


@dataclass(frozen=True)
class MatrixRow:
    validator: ProviderValidator
    cells: tuple[Cell, ...]
    consumers: int


def cell_sort_key(cell: Cell) -> tuple[Any, ...]:
    """In-set cells by share (largest first when descending), then refusals and denials, blanks last."""
    if cell.in_set:
        return (0, cell.share)
    if not cell.label:
        return (2,)
    return (-1, not cell.refused, cell.label)


def matrix_rows(matrix: OverlapMatrix) -> list[MatrixRow]:
    return [
        MatrixRow(v, matrix.cells[r], matrix.consumers_validated(r)) for r, v in enumerate(matrix.rows)
    ]


def matrix_columns(matrix: OverlapMatrix) -> list[ColumnSpec[MatrixRow]]:
    columns: list[ColumnSpec[MatrixRow]] = [
        ColumnSpec("Validator", lambda r: r.validator.moniker or r.validator.operator,
                   tooltip=lambda r: f"{r.validator.operator}\n{r.validator.valcons}"),
        ColumnSpec("Provider power", lambda r: r.validator.power),
        ColumnSpec("Consumers", lambda r: r.consumers, header_tooltip="consumers whose set it is in"),
    ]
    for index, (consumer, totals) in enumerate(zip(matrix.columns, matrix.totals, strict=True)):
        columns.append(
            ColumnSpec(
                consumer.label,
                partial(_cell_at, index=index),
                formatter=lambda cell: cell.label,
                sort_key=cell_sort_key,
                alignment=Qt.AlignmentFlag.AlignRight,
                tooltip=partial(_cell_tooltip, index=index, consumer=consumer.label),
                header_tooltip=(
                    f"consumer {consumer.consumer_id} ({consumer.chain_id}): {totals.validators} validators, "
                    f"{totals.provider_power_share * 100:.1f}% of the provider's bonded power"
                ),
            )
        )
    return columns


def _cell_at(row: MatrixRow, *, index: int) -> Any:
    return row.cells[index]


def _cell_tooltip(row: MatrixRow, index: int, consumer: str) -> str:
    cell = row.cells[index]
    who = row.validator.moniker or row.validator.valcons
    if cell.in_set:
        return f"{who} holds {cell.share * 100:.2f}% of {consumer} (power {cell.consumer_power:,})"
    if cell.reason is None or cell.reason is Exclusion.NOT_OPTED_IN:
        return f"{who} is not opted in to {consumer}"
    if not cell.refused:
        return f"{who} is not opted in to {consumer}, and is {cell.reason.value} there"
    return f"{who} opted in to {consumer} but is not in its set: {cell.reason.value}"


class MatrixModel(RowTableModel[MatrixRow]):
    """Adds colour (green by share for validators in a set, red for those kept out despite opting in),
    replaceable columns (the consumers change with every load), and precomputed display text and sort keys:
    with 500 x 50 cells, sorting and filtering call ``data`` tens of thousands of times."""

    def __init__(self, columns: Sequence[ColumnSpec[MatrixRow]] = (), rows: Sequence[MatrixRow] = (),
                 parent: QObject | None = None) -> None:
        super().__init__(columns, rows, parent)
        self._display: list[list[str]] = []
        self._sort_keys: list[list[Any]] = []
        self._cache()

    def _cache(self) -> None:
        self._display, self._sort_keys = matrix_cache(self.columns, self.rows)

    def set_matrix(self, columns: Sequence[ColumnSpec[MatrixRow]], rows: Sequence[MatrixRow],
                   cache: tuple[list[list[str]], list[list[Any]]] | None = None) -> None:
        """``cache`` (from :func:`matrix_cache`, computed on a worker) spares the GUI thread 25,000 cells."""
        self.beginResetModel()
        self._columns = tuple(columns)
        self._rows = tuple(rows)
        if cache is not None:
            self._display, self._sort_keys = cache
        else:
            self._cache()
        self.endResetModel()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._display) or index.column() >= len(self.columns):
            return None
        role = int(role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display[index.row()][index.column()]
        if role == SORT_ROLE:
            return self._sort_keys[index.row()][index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            if index.column() < 3:
                return None
            cell = self.row_at(index.row()).cells[index.column() - 3]
            if cell.in_set:
                return QBrush(IN_SET_STRONG if cell.share >= 1 / 3 else IN_SET)
            return QBrush(REFUSED) if cell.refused else None
        return super().data(index, role)


def matrix_cache(columns: Sequence[ColumnSpec[MatrixRow]],
                 rows: Sequence[MatrixRow]) -> tuple[list[list[str]], list[list[Any]]]:
    """Display text and sort key of every cell (pure Python: safe on a worker thread)."""
    display = [[c.formatter(c.getter(r)) for c in columns] for r in rows]
    sort_keys = [[(c.sort_key or natural_key)(c.getter(r)) for c in columns] for r in rows]
    return display, sort_keys


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


CONSUMER_COLUMNS: list[ColumnSpec[ConsumerAnalysis]] = [
    ColumnSpec("Consumer", lambda r: r.result.consumer.label),
    ColumnSpec("Id", lambda r: r.result.consumer.consumer_id),
    ColumnSpec("Phase", lambda r: r.result.consumer.phase),
    ColumnSpec("Kind", lambda r: f"Top {r.result.params.top_n}" if r.result.params.top_n else "opt-in"),
    ColumnSpec("Validators", lambda r: len(r.result.members)),
    ColumnSpec("Provider power", lambda r: r.result.covered_provider_share, formatter=_pct,
               header_tooltip="share of the provider's bonded power in this consumer's set"),
    ColumnSpec("Min power in top N", lambda r: r.result.min_power_in_top_n,
               header_tooltip="The smallest provider power a validator needs "
                              "to be in this consumer's top N (must validate)"),
    ColumnSpec("Halt by", lambda r: r.risk.halt_count, header_tooltip="fewest validators holding >= 1/3"),
    ColumnSpec("Halt stake", lambda r: r.risk.halt_provider_stake_share, formatter=_pct,
               header_tooltip="their share of the provider's bonded stake"),
    ColumnSpec("Control by", lambda r: r.risk.control_count, header_tooltip="fewest validators holding > 2/3"),
    ColumnSpec("Control stake", lambda r: r.risk.control_provider_stake_share, formatter=_pct,
               header_tooltip="their share of the provider's bonded stake"),
    ColumnSpec("Shared power", lambda r: r.shared.shared_share, formatter=_pct,
               header_tooltip="power held by validators that also validate other consumers"),
    ColumnSpec("Matches provider", lambda r: r.agrees,
               header_tooltip="the simulation equals the provider's consumer_validators"),
    ColumnSpec("Warnings", lambda r: "; ".join(f.message for f in r.result.findings),
               tooltip=lambda r: "\n".join(f.message for f in r.result.findings)),
]


@dataclass(frozen=True)
class DiffRow:
    validator: ProviderValidator
    before: int | None
    before_share: float | None
    after: int | None
    after_share: float | None
    change: str


def _opt_pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.2f}%"


DIFF_COLUMNS: list[ColumnSpec[DiffRow]] = [
    ColumnSpec("Validator", lambda r: r.validator.moniker or r.validator.valcons,
               tooltip=lambda r: r.validator.valcons),
    ColumnSpec("Before", lambda r: r.before),
    ColumnSpec("Before share", lambda r: r.before_share, formatter=_opt_pct),
    ColumnSpec("After", lambda r: r.after),
    ColumnSpec("After share", lambda r: r.after_share, formatter=_opt_pct),
    ColumnSpec("Change", lambda r: r.change),
]


def diff_rows(before: SimulationResult, after: SimulationResult) -> list[DiffRow]:
    old = {m.valcons: m for m in before.members}
    new = {m.valcons: m for m in after.members}
    bt, at = before.total_consumer_power or 1, after.total_consumer_power or 1
    rows = []
    for valcons in old.keys() | new.keys():
        b, a = old.get(valcons), new.get(valcons)
        validator = (a or b).validator  # type: ignore[union-attr]
        if b is None:
            change = "added"
        elif a is None:
            change = "removed: " + ", ".join(r.value for r in after.excluded.get(valcons, ()))
        elif a.consumer_power != b.consumer_power:
            change = "power changed"
        else:
            change = ""
        rows.append(DiffRow(validator, b.consumer_power if b else None, b.consumer_power / bt if b else None,
                            a.consumer_power if a else None, a.consumer_power / at if a else None, change))
    # what changed first (removed, added, re-powered), then the unchanged by power
    def rank(row: DiffRow) -> int:
        if row.after is None:
            return 0
        return 1 if row.before is None else (2 if row.change else 3)

    return sorted(rows, key=lambda r: (rank(r), -(r.after or 0), -(r.before or 0), r.validator.valcons))


KEY_COLUMNS: list[ColumnSpec[KeyRow]] = [
    ColumnSpec("Consumer", lambda r: r.consumer.label),
    ColumnSpec("Chain id", lambda r: r.consumer.chain_id),
    ColumnSpec("Validator", lambda r: r.validator.moniker or r.validator.operator),
    ColumnSpec("Provider valcons", lambda r: r.validator.valcons),
    ColumnSpec("Consumer valcons", lambda r: r.consumer_valcons or "(provider key)"),
    ColumnSpec("Consumer key", lambda r: r.consumer_pubkey),
    ColumnSpec("Alerts", lambda r: "; ".join(a.value for a in r.alerts if a is not KeyAlert.DEFAULT_PROVIDER_KEY),
               tooltip=lambda r: "\n".join(a.value for a in r.alerts)),
]


VALIDATOR_COLUMNS: list[ColumnSpec[ValidatorConsumerRow]] = [
    ColumnSpec("Consumer", lambda r: r.consumer.label),
    ColumnSpec("Id", lambda r: r.consumer.consumer_id),
    ColumnSpec("Opted in", lambda r: r.opted_in, header_tooltip="explicitly, or forced in by Top N"),
    ColumnSpec("In the set", lambda r: r.in_set,
               header_tooltip="Whether this validator validates the consumer under its power-shaping parameters"),
    ColumnSpec("Share", lambda r: r.share if r.in_set else None, formatter=_opt_pct),
    ColumnSpec("Why not", lambda r: ", ".join(
        x.value for x in r.reasons if r.opted_in or x is not Exclusion.NOT_OPTED_IN
    ), header_tooltip="The power-shaping rule that keeps this validator "
                      "out (denylist, cap, minimum stake, inactive...)"),
]


@dataclass(frozen=True)
class SetRow:
    """One key of a consumer: in the provider's consumer_validators, on the consumer chain itself, or both."""

    consumer: str
    match: MatchRow
    moniker: str  # of the provider validator behind the key ("" when the provider does not know the key)


def set_rows(labels: dict[str, str], matches: dict[str, list[MatchRow]],
             monikers: dict[str, str]) -> list[SetRow]:
    """Mismatches first, so a glance at the top of the table answers "do they agree?"."""
    rows = [
        SetRow(labels[cid], match, monikers.get(match.provider_valcons or "", ""))
        for cid, found in matches.items()
        for match in found
    ]
    return sorted(rows, key=lambda r: (r.match.status is MatchStatus.MATCH, r.consumer, -(r.match.provider_power or 0)))


SET_COLUMNS: list[ColumnSpec[SetRow]] = [
    ColumnSpec("Consumer", lambda r: r.consumer),
    ColumnSpec("Provider validator", lambda r: r.moniker or r.match.provider_valcons or "unknown to the provider",
               tooltip=lambda r: r.match.provider_valcons or "no provider validator reports this consumer key"),
    ColumnSpec("Consumer key", lambda r: r.match.consumer_pubkey, tooltip=lambda r: r.match.consumer_pubkey),
    ColumnSpec("Provider says", lambda r: r.match.provider_power,
               header_tooltip="power in the provider's consumer_validators"),
    ColumnSpec("Consumer runs", lambda r: r.match.consumer_power,
               header_tooltip="voting power in the consumer chain's own /validators"),
    ColumnSpec("Status", lambda r: r.match.status.value),
]


class SetModel(RowTableModel[SetRow]):
    """Rows where the two views disagree are shaded."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if int(role) == Qt.ItemDataRole.BackgroundRole and index.isValid() and index.row() < len(self.rows):
            return None if self.rows[index.row()].match.status is MatchStatus.MATCH else QBrush(REFUSED)
        return super().data(index, role)
