"""The tables shown once a chain is connected: provider overview and consumer overview.

Views take plain rows (the core's frozen models) through ``show_*`` methods; turning a core overview object
into those rows happens in :mod:`.overview_rows`, so the widgets stay independent of the chain API's shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ics_workbench.gui import formatting as fmt
from ics_workbench.gui.models import ColumnSpec, RowTableModel
from ics_workbench.gui.widgets.table_view import TableView

RIGHT = Qt.AlignmentFlag.AlignRight


@dataclass(frozen=True)
class Fact:
    """One labelled value (gov params, node facts, the provider's entry for a consumer)."""

    name: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class EndpointRow:
    kind: str  # "RPC" / "REST"
    url: str
    chain_id: str
    height: int | None
    block_time: str
    lag_seconds: float | None  # behind the freshest endpoint's latest block time
    lag_blocks: int | None
    note: str = ""


FACT_COLUMNS: tuple[ColumnSpec[Fact], ...] = (
    ColumnSpec("Parameter", lambda f: f.name, max_width=None),
    ColumnSpec("Value", lambda f: f.value, tooltip=lambda f: f.detail or f.value),
)

CONSUMER_COLUMNS: tuple[ColumnSpec[Any], ...] = (
    ColumnSpec("Phase", lambda c: c.phase.lower(),
               header_tooltip="ICS consumer phase: registered, "
                              "initialized (waiting for spawn time), launched, stopped"),
    ColumnSpec("Consumer ID", lambda c: c.consumer_id if c.consumer_id is not None else "—",
               sort_key=lambda v: (0, int(v)) if str(v).isdigit() else (1, str(v)), alignment=RIGHT),
    ColumnSpec("Chain ID", lambda c: c.chain_id),
    ColumnSpec("Name", lambda c: c.metadata.name),
    ColumnSpec("Top N", lambda c: c.top_n, formatter=lambda v: "opt-in" if v == 0 else f"{v}%",
               header_tooltip="0 = opt-in chain; N = the top N% of provider power must validate it"),
    ColumnSpec("Owner", lambda c: c.owner, tooltip=lambda c: c.owner),
    ColumnSpec("Spawn time", lambda c: c.spawn_time, formatter=fmt.timestamp),
    ColumnSpec("Client ID", lambda c: c.client_id,
               header_tooltip="The provider's IBC light client of this "
                              "consumer (used for misbehaviour and key checks)"),
)

VALIDATOR_COLUMNS: tuple[ColumnSpec[Any], ...] = (
    ColumnSpec("Moniker", lambda v: v.moniker, tooltip=lambda v: v.details or v.moniker),
    ColumnSpec("Operator", lambda v: v.operator_address, tooltip=lambda v: v.operator_address, max_width=190),
    ColumnSpec("Consensus address", lambda v: v.consensus_address or v.consensus_hex or "", max_width=190,
               tooltip=lambda v: f"{v.consensus_address or ''}\nhex {v.consensus_hex or '?'}\n"
                                 f"{v.consensus_pubkey_type} {v.consensus_pubkey}"),
    ColumnSpec("Power", lambda v: v.power),
    ColumnSpec("Share", lambda v: v.share, formatter=lambda s: fmt.percent(s, 2), alignment=RIGHT,
               header_tooltip="This validator's share of the provider's total bonded power"),
    ColumnSpec("Jailed", lambda v: v.jailed),
    ColumnSpec("Status", lambda v: fmt.bond_status(v.status)),
    ColumnSpec("Commission", lambda v: v.commission.rate, formatter=lambda r: fmt.percent(r, 2), alignment=RIGHT,
               tooltip=lambda v: f"max {fmt.percent(v.commission.max_rate)}, "
                                 f"max change {fmt.percent(v.commission.max_change_rate)}/day"),
)

@dataclass(frozen=True)
class ConsumerValidatorRow:
    """A consumer chain validator with the provider validator behind its key (the consumer has no identities)."""

    validator: Any  # CometValidator
    provider: Any | None  # the provider's ConsumerValidator signing with this key
    looked_up: bool  # the provider's set was loaded: no match is then something to look at

    @property
    def unmatched(self) -> bool:
        return self.looked_up and self.provider is None


def _provider_name(row: ConsumerValidatorRow) -> str:
    if row.provider is not None:
        return row.provider.moniker or row.provider.provider_address
    return "no provider match" if row.looked_up else ""


def _provider_tooltip(row: ConsumerValidatorRow) -> str:
    if row.provider is not None:
        return "\n".join(x for x in (row.provider.moniker, row.provider.provider_operator_address,
                                      row.provider.provider_address) if x)
    if row.looked_up:
        return "the provider's consumer_validators has no validator with this key"
    return "connect the provider profile to see who runs this key"


COMET_VALIDATOR_COLUMNS: tuple[ColumnSpec[ConsumerValidatorRow], ...] = (
    ColumnSpec("Provider validator", _provider_name, tooltip=_provider_tooltip,
               header_tooltip="the provider validator signing with this key (through key assignment)"),
    ColumnSpec("Address (hex)", lambda r: r.validator.address, tooltip=lambda r: r.validator.address, max_width=150),
    ColumnSpec("Key type", lambda r: r.validator.pub_key_type.rsplit("/", 1)[-1]),
    ColumnSpec("Public key", lambda r: r.validator.pub_key, tooltip=lambda r: r.validator.pub_key, max_width=170),
    ColumnSpec("Voting power", lambda r: r.validator.voting_power),
    ColumnSpec("Proposer priority", lambda r: r.validator.proposer_priority,
               header_tooltip="CometBFT's rotation counter: the highest priority proposes the next block"),
)

UNMATCHED = QColor("#f6d5cf")


class ConsumerValidatorModel(RowTableModel[ConsumerValidatorRow]):
    """Keys the provider does not know are shaded: they mean the sets disagree (or a stale consumer)."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if int(role) == Qt.ItemDataRole.BackgroundRole and index.isValid() and index.row() < len(self.rows):
            return QBrush(UNMATCHED) if self.rows[index.row()].unmatched else None
        return super().data(index, role)


ENDPOINT_COLUMNS: tuple[ColumnSpec[EndpointRow], ...] = (
    ColumnSpec("Kind", lambda e: e.kind),
    ColumnSpec("URL", lambda e: e.url),
    ColumnSpec("Chain ID", lambda e: e.chain_id),
    ColumnSpec("Height", lambda e: e.height),
    ColumnSpec("Latest block", lambda e: e.block_time),
    ColumnSpec("Lag", lambda e: e.lag_seconds, formatter=fmt.seconds_ago, alignment=RIGHT,
               header_tooltip="how far this endpoint's latest block time is behind the freshest endpoint"),
    ColumnSpec("Lag (blocks)", lambda e: e.lag_blocks,
               header_tooltip="How many blocks this endpoint is behind the most advanced endpoint of the profile"),
    ColumnSpec("Note", lambda e: e.note, tooltip=lambda e: e.note),
)


def _tab_page(*widgets: QWidget) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, TableView) else 0)
    return page


class NodeSection(QWidget):
    """Capabilities summary, warnings and the per-endpoint table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)  # shows chain/profile text
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings_label = QLabel()
        self.warnings_label.setTextFormat(Qt.TextFormat.PlainText)  # shows chain/profile text
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setStyleSheet("color: #a86a00;")
        self.endpoints = TableView(RowTableModel(ENDPOINT_COLUMNS), empty_text="no endpoint answered")
        self.endpoints.setMaximumHeight(180)  # a handful of endpoints; leave the room to the node facts
        self.facts = TableView(RowTableModel(FACT_COLUMNS))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.warnings_label)
        layout.addWidget(QLabel("Endpoints"))
        layout.addWidget(self.endpoints)
        layout.addWidget(QLabel("Node"))
        layout.addWidget(self.facts, 1)

    def show_node(self, summary: str, warnings: Sequence[str], endpoints: Sequence[EndpointRow],
                  facts: Sequence[Fact]) -> None:
        self.summary_label.setText(summary)
        self.warnings_label.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warnings_label.setVisible(bool(warnings))
        self.endpoints.model.set_rows(endpoints)
        self.facts.model.set_rows(facts)


class ProviderOverviewView(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.consumers = TableView(RowTableModel(CONSUMER_COLUMNS), filter_placeholder="Filter consumer chains…",
                                   empty_text="no consumer chains")
        self.no_provider_label = QLabel()
        self.no_provider_label.setTextFormat(Qt.TextFormat.PlainText)  # shows chain/profile text
        self.no_provider_label.setWordWrap(True)
        self.no_provider_label.setStyleSheet("font-weight: bold;")
        # alone on its page when the consumer table is hidden: read from the top, not the middle
        self.no_provider_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.validators = TableView(RowTableModel(VALIDATOR_COLUMNS), filter_placeholder="Filter validators…",
                                    empty_text="no bonded validators")
        self.gov = TableView(RowTableModel(FACT_COLUMNS), filter_placeholder="Filter parameters…")
        self.node = NodeSection()
        self.addTab(_tab_page(self.no_provider_label, self.consumers), "Consumer chains")
        self.addTab(_tab_page(self.validators), "Validators")
        self.addTab(_tab_page(self.gov), "Governance")
        self.addTab(_tab_page(self.node), "Node && capabilities")

    def show_overview(
        self,
        *,
        note: str,
        consumers: Sequence[Any],
        validators: Sequence[Any],
        gov: Sequence[Fact],
    ) -> None:
        """``note`` (the core's, e.g. "no ICS provider module") replaces the consumer table when given."""
        self.no_provider_label.setText(note)
        self.no_provider_label.setVisible(bool(note))
        self.consumers.setVisible(not note)
        self.consumers.model.set_rows(consumers)
        self.validators.model.set_rows(validators)
        self.gov.model.set_rows(gov)


class ConsumerOverviewView(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.height_label = QLabel()
        self.height_label.setTextFormat(Qt.TextFormat.PlainText)  # shows chain/profile text
        self.validators = TableView(ConsumerValidatorModel(COMET_VALIDATOR_COLUMNS),
                                    filter_placeholder="Filter validators or provider monikers…",
                                    empty_text="no validators")
        self.provider_note = QLabel()
        self.provider_note.setTextFormat(Qt.TextFormat.PlainText)  # shows chain/profile text
        self.provider_note.setWordWrap(True)
        self.provider_entry = TableView(RowTableModel(FACT_COLUMNS))
        self.node = NodeSection()
        self.addTab(_tab_page(self.height_label, self.validators), "Validators")
        self.addTab(_tab_page(self.provider_note, self.provider_entry), "Provider entry")
        self.addTab(_tab_page(self.node), "Node && capabilities")

    def show_overview(self, *, height_text: str, validators: Sequence[ConsumerValidatorRow], provider_note: str,
                      provider_entry: Sequence[Fact]) -> None:
        self.height_label.setText(height_text)
        self.validators.model.set_rows(validators)
        self.provider_note.setText(provider_note)
        self.provider_note.setVisible(bool(provider_note))
        self.provider_entry.model.set_rows(provider_entry)
