"""Governance for participants: the newest proposals of a connected chain (any Cosmos SDK chain, gov v1 or
v1beta1) with status, tally, voting end and the chosen account's vote, and vote / weighted vote / deposit.

A vote is not signed here: the messages are built and checked by the core (``gov.messages``), then handed to
the Keys & Signing panel, whose request builder, review (decoded from the bytes to sign), keyring or offline
signing and broadcast are the same for every transaction the app makes. Loads use the connection's lease (a
refresh in Connections aborts them cleanly) and "latest request wins" (switching chains drops the old answer).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.gui import formatting as fmt
from ics_workbench.gui.context import AppContext
from ics_workbench.gui.models import ColumnSpec, RowTableModel
from ics_workbench.gui.resources import icon
from ics_workbench.gui.widgets.table_view import TableView
from ics_workbench.tasks import Latest

if TYPE_CHECKING:
    from ics_workbench.chain.models import GovParams
    from ics_workbench.gov.read import Proposal, ProposalList
    from ics_workbench.signing.keystore import KeyRecord
    from ics_workbench.tasks import Job

ERROR_STYLE = "color: #c0392b;"
NO_CHAIN = "(connect a chain in Connections)"
STATUS_TEXT = {"deposit_period": "deposit period", "voting_period": "voting", "passed": "passed",
               "rejected": "rejected", "failed": "failed", "unspecified": "unspecified"}


def _ends(p: Proposal) -> Any:
    return p.voting_end_time if p.voting_end_time is not None else (
        p.deposit_end_time if p.status == "deposit_period" else None)


def _deposit_text(p: Proposal) -> str:
    return ", ".join(f"{amount:,}{denom}" for denom, amount in p.total_deposit) or "—"


COLUMNS: tuple[ColumnSpec[Proposal], ...] = (
    ColumnSpec("ID", lambda p: p.proposal_id, max_width=60),
    ColumnSpec("Title", lambda p: p.title or "(untitled)", max_width=260,
               tooltip=lambda p: f"{p.title}\n\n{p.summary}\n\nmessages: {', '.join(p.message_types) or 'none'}"),
    ColumnSpec("Status", lambda p: STATUS_TEXT.get(p.status, p.status), max_width=110),
    ColumnSpec("Your vote", lambda p: p.your_vote_text() or ("not voted" if p.open_for_votes else ""), max_width=130,
               header_tooltip="the selected account's vote (the chain keeps votes only during the voting period)"),
    ColumnSpec("Tally", lambda p: p.tally.describe(compact=True), max_width=230, tooltip=lambda p: p.tally.describe(),
               header_tooltip="the live tally while voting, the final tally after: shares of the power that voted"),
    ColumnSpec("Ends (UTC)", _ends, formatter=lambda v: v.strftime("%Y-%m-%d %H:%M") if v is not None else "—",
               max_width=140, tooltip=lambda p: fmt.timestamp(_ends(p)) if _ends(p) else "",
               header_tooltip="end of the voting period (or of the deposit period, before voting starts)"),
    ColumnSpec("Deposit", _deposit_text, max_width=150,
               header_tooltip="Total deposited so far; the proposal enters voting once it reaches the minimum deposit"),
)


class GovernancePanel(QWidget):
    sig_loaded = Signal(int)  # number of proposals shown
    sig_failed = Signal(str)
    sig_handed_over = Signal(str)  # what was handed to Keys & Signing

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._latest = Latest()
        self._records: dict[str, KeyRecord] = {}
        self._listed: ProposalList | None = None
        self._listed_for = ""
        self._gov_params: GovParams | None = None  # of the chain the list was read from (deposit rules)
        self._pending_select: int | None = None

        # Widgets join the panel's focus chain in creation order: top row, proposal list, actions.
        top = self._build_top_row()
        self._build_table()
        self._build_action_box()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.action_box)

        self.refresh_button.clicked.connect(self.refresh)
        self.chain_combo.activated.connect(lambda *_: self.refresh())
        self.account_combo.activated.connect(lambda *_: self.refresh())
        self.vote_button.clicked.connect(self.vote)
        self.weighted_button.clicked.connect(self.weighted_vote)
        self.deposit_button.clicked.connect(self.deposit)
        self.weighted_edit.returnPressed.connect(self.weighted_vote)
        self.deposit_edit.returnPressed.connect(self.deposit)
        context.sig_connection_changed.connect(self._connections_changed)
        context.sig_offline_changed.connect(lambda _on: self._connections_changed(""))
        self._fill_chains()
        self._load_accounts()
        self._update_actions()

    # --- layout ---------------------------------------------------------------------------------------------

    def _build_top_row(self) -> QHBoxLayout:
        """Chain and account choice, Refresh, and when the list was read."""
        self.chain_combo = QComboBox()
        self.chain_combo.setObjectName("gov_chain")
        self.chain_combo.setToolTip("A connected chain (any Cosmos SDK chain with a REST endpoint)")
        self.chain_combo.setMinimumContentsLength(18)
        self.chain_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.account_combo = QComboBox()
        self.account_combo.setObjectName("gov_account")
        self.account_combo.setToolTip("The account that votes or deposits (a keyring key or a watch-only account)")
        self.account_combo.setMinimumContentsLength(14)
        self.account_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.refresh_button = QPushButton(icon("refresh"), "Refresh")
        self.refresh_button.setObjectName("gov_refresh")
        self.refresh_button.setToolTip("Read the newest proposals, live tallies and the account's votes again")
        self.as_of_label = QLabel()
        self.as_of_label.setToolTip("The chain height and time these proposals were read at")
        # Long text must not set the panel's minimum width (the window would have to grow): it may be cut.
        self.as_of_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top = QHBoxLayout()
        top.addWidget(QLabel("Chain"))
        top.addWidget(self.chain_combo)
        top.addWidget(QLabel("Account"))
        top.addWidget(self.account_combo)
        top.addWidget(self.refresh_button)
        top.addWidget(self.as_of_label, 1)
        return top

    def _build_table(self) -> None:
        """The proposal list (single selection; the selection drives the actions)."""
        self.model: RowTableModel[Proposal] = RowTableModel(COLUMNS, parent=self)
        self.table = TableView(self.model, empty_text="No proposals loaded: choose a connected chain.")
        self.table.view.setObjectName("gov_table")
        self.table.view.setSelectionMode(self.table.view.SelectionMode.SingleSelection)
        self.table.view.setSelectionBehavior(self.table.view.SelectionBehavior.SelectRows)
        self.table.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())

    def _build_action_box(self) -> None:
        """Vote, weighted vote and deposit for the selected proposal, and the message line."""
        self.action_box = QGroupBox("Select a proposal")
        self.option_combo = QComboBox()
        self.option_combo.setObjectName("gov_option")
        for label, key in (("Yes", "yes"), ("No", "no"), ("Abstain", "abstain"), ("No with veto", "no_with_veto")):
            self.option_combo.addItem(label, key)
        self.vote_button = QPushButton("Vote…")
        self.vote_button.setObjectName("gov_vote")
        self.vote_button.setToolTip("Build the vote and open it in Keys & Signing to review, sign and broadcast")
        self.weighted_edit = QLineEdit()
        self.weighted_edit.setObjectName("gov_weighted")
        self.weighted_edit.setPlaceholderText("yes=0.6,no=0.4")
        self.weighted_edit.setToolTip("Split your voting power: option=weight pairs whose weights add up to 1")
        self.weighted_button = QPushButton("Weighted vote…")
        self.weighted_button.setToolTip(
            "Build a weighted vote (weights must add up to exactly 1) and open it in Keys & Signing to review and sign"
        )
        self.weighted_button.setObjectName("gov_weighted_vote")
        self.deposit_edit = QLineEdit()
        self.deposit_edit.setObjectName("gov_deposit_amount")
        self.deposit_edit.setPlaceholderText("e.g. 1000000stake")
        self.deposit_edit.setToolTip("Coins to add to the proposal's deposit, in base units")
        self.deposit_button = QPushButton("Deposit…")
        self.deposit_button.setToolTip(
            "Build a deposit to the selected proposal (the chain refuses one "
            "below its minimum deposit ratio) and open it in Keys & Signing"
        )
        self.deposit_button.setObjectName("gov_deposit")
        grid = QGridLayout(self.action_box)
        grid.addWidget(QLabel("Vote"), 0, 0)
        grid.addWidget(self.option_combo, 0, 1)
        grid.addWidget(self.vote_button, 0, 2)
        grid.addWidget(QLabel("Weighted"), 1, 0)
        grid.addWidget(self.weighted_edit, 1, 1)
        grid.addWidget(self.weighted_button, 1, 2)
        grid.addWidget(QLabel("Deposit"), 2, 0)
        grid.addWidget(self.deposit_edit, 2, 1)
        grid.addWidget(self.deposit_button, 2, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 2)
        self.message_label = QLabel()
        self.message_label.setObjectName("gov_message")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Reserved height: a message appearing must not move the form under the cursor.
        self.message_label.setMinimumHeight(self.message_label.fontMetrics().lineSpacing() * 2 + 4)
        self.message_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        grid.addWidget(self.message_label, 3, 0, 1, 4)

    # --- choices ---------------------------------------------------------------------------------------------

    def _usable(self) -> dict[str, str]:
        """Profile name -> chain id of the live connections with a REST endpoint."""
        out = {}
        for name, state in sorted(self.context.connections.items()):
            lease = state.lease
            connection = lease.peek() if lease is not None else None
            if connection is not None and connection.rest_http is not None:
                out[name] = state.chain_id
        return out

    def _fill_chains(self) -> None:
        current = self.chain_combo.currentData()
        usable = {} if self.context.offline else self._usable()
        self.chain_combo.clear()
        for name, chain_id in usable.items():
            self.chain_combo.addItem(f"{name} ({chain_id})", name)
        if not usable:
            self.chain_combo.addItem("offline mode" if self.context.offline else NO_CHAIN, None)
        index = self.chain_combo.findData(current)
        if index >= 0:
            self.chain_combo.setCurrentIndex(index)
        self.chain_combo.setEnabled(bool(usable))

    def _connections_changed(self, name: str) -> None:
        before = self.chain_combo.currentData()
        self._fill_chains()
        after = self.chain_combo.currentData()
        if after is None:
            self._latest.invalidate()
            self.model.set_rows([])
            self._listed = None
            self.as_of_label.clear()
        elif after != before or (name == after and self._listed_for != after):
            self.refresh()
        self._update_actions()

    def _load_accounts(self) -> None:
        import keyring

        keyring.get_keyring()  # choose the backend on the GUI thread (see the signing panel)

        def op(job: Job) -> list[KeyRecord]:
            from ics_workbench.signing.keystore import KeyStore

            return KeyStore().list()

        self.context.runtime.run(op, on_success=self._accounts_loaded, on_failure=lambda m, _e: self._show(m, True),
                                 progress_label="reading keys", cancellable=False)

    def _accounts_loaded(self, records: list[KeyRecord]) -> None:
        current = self.account_combo.currentData()
        self._records = {r.name: r for r in records}
        self.account_combo.clear()
        for record in records:
            kind = "" if record.kind == "local" else " (watch-only)"
            self.account_combo.addItem(f"{record.name}{kind}", record.name)
            self.account_combo.setItemData(self.account_combo.count() - 1, record.address, Qt.ItemDataRole.ToolTipRole)
        if not records:
            self.account_combo.addItem("(no keys: add one in Keys & Signing)", None)
        index = self.account_combo.findData(current)
        if index >= 0:
            self.account_combo.setCurrentIndex(index)
        self._update_actions()
        if self.chain_combo.currentData() is not None:
            self.refresh()

    def selected_account(self) -> KeyRecord | None:
        name = self.account_combo.currentData()
        return self._records.get(name) if name else None

    def selected_proposal(self) -> Proposal | None:
        index = self.table.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.table.proxy.mapToSource(index).row())

    # --- loading ---------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        name = self.chain_combo.currentData()
        lease = self.context.lease(name) if name else None
        if lease is None or self.context.offline:
            return
        record = self.selected_account()
        voter = record.address if record is not None else None

        def op(job: Job) -> tuple[ProposalList, int, Any, Any]:
            from ics_workbench.errors import WorkbenchError
            from ics_workbench.gov.read import list_proposals

            connection = lease.acquire(job)
            _chain, height, block_time = connection.rest.latest_head(job=job)
            listed = list_proposals(connection.rest_http, voter=voter, job=job)
            try:  # the deposit rules' inputs; a chain that does not serve them leaves the judging to the chain
                gov = connection.rest.gov_params(job=job)
            except WorkbenchError:
                gov = None
            return listed, height, block_time, gov

        self._show("Reading proposals…")
        self.context.runtime.run(op, on_success=lambda result: self._loaded(name, result),
                                 on_failure=self._load_failed, progress_label=f"Reading proposals of {name}",
                                 latest=self._latest)

    def _loaded(self, name: str, result: tuple[ProposalList, int, Any, Any]) -> None:
        listed, height, block_time, self._gov_params = result
        selected = self.selected_proposal()
        self._listed, self._listed_for = listed, name
        self.model.set_rows(listed.proposals)
        self.as_of_label.setText(f"as of height {height:,} · {fmt.timestamp(block_time)}")
        self.as_of_label.setToolTip(f"Read at height {height:,} ({fmt.timestamp(block_time)}) through gov "
                                    f"{listed.api}, at {time.strftime('%H:%M:%S')} local time")
        pending, self._pending_select = self._pending_select, None
        if pending is not None:
            self.select(pending)
        elif selected is not None:
            self.select(selected.proposal_id)
        self._show("" if listed.proposals else "This chain has no proposals yet.")
        self._update_actions()
        self.sig_loaded.emit(len(listed.proposals))

    def _load_failed(self, message: str, error: BaseException) -> None:
        from ics_workbench.errors import CancelledError

        if isinstance(error, CancelledError):
            return
        self._show(message, True)
        self.sig_failed.emit(message)

    def focus_target(self, target: Any) -> None:
        """Show a proposal another panel links to (("proposal", id, profile)): that chain, re-read, selected."""
        if not (isinstance(target, tuple) and len(target) == 3 and target[0] == "proposal"):
            return
        _kind, proposal_id, profile = target
        index = self.chain_combo.findData(profile) if profile else -1
        if index >= 0:
            self.chain_combo.setCurrentIndex(index)
        self._pending_select = proposal_id
        self.refresh()

    def select(self, proposal_id: int) -> bool:
        for row, proposal in enumerate(self.model.rows):
            if proposal.proposal_id == proposal_id:
                self.table.view.setCurrentIndex(self.table.proxy.mapFromSource(self.model.index(row, 0)))
                return True
        return False

    # --- acting ----------------------------------------------------------------------------------------------

    def _update_actions(self) -> None:
        proposal = self.selected_proposal()
        record = self.selected_account()
        online = not self.context.offline and self.chain_combo.currentData() is not None
        can_vote = online and record is not None and proposal is not None and proposal.open_for_votes
        can_deposit = online and record is not None and proposal is not None and proposal.open_for_deposits
        for widget in (self.option_combo, self.vote_button, self.weighted_edit, self.weighted_button):
            widget.setEnabled(can_vote)
        for widget in (self.deposit_edit, self.deposit_button):
            widget.setEnabled(can_deposit)
        self.refresh_button.setEnabled(online)
        if proposal is None:
            self.action_box.setTitle("Select a proposal to vote or deposit")
        else:
            state = STATUS_TEXT.get(proposal.status, proposal.status)
            title = proposal.title if len(proposal.title) <= 60 else proposal.title[:59] + "…"
            self.action_box.setTitle(f"Proposal #{proposal.proposal_id} — {title} ({state})")

    def _show(self, message: str, error: bool = False) -> None:
        self.message_label.setText(message)
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")

    def _hand_over(self, build: Any, what: str) -> None:
        from ics_workbench.errors import WorkbenchError
        from ics_workbench.gov.messages import GovSigningRequest

        proposal, record = self.selected_proposal(), self.selected_account()
        if proposal is None or record is None:
            self._show("Choose an account and a proposal first.", True)
            return
        try:
            message = build(proposal, record.address)
        except WorkbenchError as exc:
            self._show(str(exc), True)
            self.sig_failed.emit(str(exc))
            return
        description = f"{what} on proposal #{proposal.proposal_id}"
        request = GovSigningRequest(record.address, (message,), description=description,
                                    profile=self.chain_combo.currentData(), key=record.name)
        self._show(f"{description} handed to Keys & Signing: build the request there, review it, sign and "
                   "broadcast.")
        self.sig_handed_over.emit(description)
        self.context.request_signing(request)

    def vote(self) -> None:
        from ics_workbench.gov import messages as gm

        option = gm.VoteOption.parse(self.option_combo.currentData())
        self._hand_over(lambda p, voter: gm.vote_message(p.proposal_id, voter, option, api=p.api),
                        f"vote {option.label}")

    def weighted_vote(self) -> None:
        from ics_workbench.gov import messages as gm

        spec = self.weighted_edit.text()
        self._hand_over(lambda p, voter: gm.weighted_vote_message(p.proposal_id, voter, gm.parse_weighted(spec),
                                                                  api=p.api), f"weighted vote {spec.strip()}")

    def deposit(self) -> None:
        from ics_workbench.gov import messages as gm

        amount = self.deposit_edit.text().strip()
        gov = self._gov_params if self._listed_for == self.chain_combo.currentData() else None
        self._hand_over(lambda p, depositor: gm.deposit_message(p.proposal_id, depositor, amount, api=p.api, gov=gov,
                                                                expedited=p.expedited), f"deposit {amount}")
