"""Proposals panel: pick a kind, fill the generated form, see every problem at its field as you type, the
exact JSON gaiad or the provider CLI will read, and for MsgUpdateConsumer what changes on the chain.

Every edit is validated against the provider facts (the connected chain's, or a chosen ICS version offline)
and autosaved as a draft (atomic write), so closing or crashing loses nothing. Signing is handed over: "Sign
and submit" hands the exact messages to the Keys & Signing panel (``AppContext.request_signing``),
"Export for offline signing" writes them.
"""

from __future__ import annotations

import logging
import re
import textwrap
import typing
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.errors import WorkbenchError
from ics_workbench.gui.context import AppContext
from ics_workbench.gui.untrusted import plain_tooltip
from ics_workbench.gui.panels.proposals.form import (
    ERROR_STYLE,
    WARNING_STYLE,
    ModelForm,
)
from ics_workbench.proposals.check import check
from ics_workbench.proposals.codec import ProposalFormatError
from ics_workbench.proposals.deposit import deposit_advice, format_coins
from ics_workbench.proposals.diff import format_changes, params_diff, update_diff
from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.drafts import DraftStore
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.facts_watch import FactsKey, facts_key, freshness_text
from ics_workbench.proposals.formats import Format, dump_text, load_text
from ics_workbench.proposals.models import MsgUpdateConsumer, MsgUpdateParams
from ics_workbench.proposals.problems import Problem
from ics_workbench.proposals.templates import KINDS, new_draft
from ics_workbench.proposals.versions import ProviderVersion
from ics_workbench.untrusted_text import visible

log = logging.getLogger(__name__)

FIELD_ERROR_STYLE = "border: 2px solid #b00020;"
FIELD_WARNING_STYLE = "border: 2px solid #c08a00;"
BLOCK_POLL_MS = 3000  # how often an open draft asks the connected provider for a new block

VERSIONS = ("v7.0.0", "v6.4.0", "v6.3.0", "v6.2.0", "v6.0.0", "v5.2.0", "v5.1.0", "v5.0.0", "v4.5.0", "v4.2.0")
_INDEX = re.compile(r"\[\d+\]$")


class ProposalsPanel(QWidget):
    sig_validated = Signal(object)  # list[Problem] of the current draft
    sig_saved = Signal(str)  # draft id
    sig_facts_loaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.store = DraftStore()
        self.facts = ProviderFacts()
        self.draft: ProposalDraft | None = None
        self.draft_id: str | None = None
        self.problems: list[Problem] = []
        self._form: ModelForm | None = None
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self._facts_for: FactsKey | None = None  # what the current facts were read for
        self._facts_generation = 0  # a facts answer from an older request is dropped
        self._facts_loading = False
        self._seen_height: int | None = None  # the newest block the poll has seen
        self._live: Any = None  # the connection the facts come from
        self._block_timer = QTimer(self)
        self._block_timer.setInterval(BLOCK_POLL_MS)
        self._block_timer.timeout.connect(self._poll_block)
        self._build()
        self._reload_list()
        context.sig_connection_changed.connect(self._connection_changed)

    # --- layout -----------------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self._build_toolbars(outer)
        self._build_fact_labels(outer)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_drafts_list())
        split.addWidget(self._build_editor())
        split.addWidget(self._build_tabs())
        split.setChildrenCollapsible(False)
        split.setSizes([150, 460, 380])
        outer.addWidget(split, 1)
        self._build_signing_row(outer)
        self._show_facts()

    def _build_toolbars(self, outer: QVBoxLayout) -> None:
        """Kind, new/import/duplicate/delete; then the provider version the rules check against."""
        bar = QHBoxLayout()
        self.kind_box = QComboBox()
        self.kind_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind_box.setMinimumContentsLength(18)
        for kind in KINDS.values():
            self.kind_box.addItem(f"{kind.label}  [{kind.versions}]", kind.name)
        self.kind_box.setToolTip("the kind of the next new draft; the open draft's kind is shown above its form")
        self.new_button = QPushButton("New draft")
        self.new_button.setToolTip("Start a new draft of the kind chosen at the left; it autosaves")
        self.new_button.clicked.connect(lambda: self.new(self.kind_box.currentData()))
        self.version_box = QComboBox()
        self.version_box.addItems(VERSIONS)
        self.version_box.currentTextChanged.connect(self._version_changed)
        self.chain_button = QPushButton("Use connected provider")
        self.chain_button.setToolTip("Validate against the connected provider's version, gov params and consumer state instead of a chosen version")
        self.chain_button.clicked.connect(self.load_facts_from_chain)
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Import a proposal JSON (gov, provider CLI or legacy format) as a new draft")
        self.import_button.clicked.connect(self._import_dialog)
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.setToolTip("Copy the selected draft under a new name")
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete the selected draft file (asks first)")
        self.delete_button.clicked.connect(self._delete_dialog)
        for w in (QLabel("New draft of kind"), self.kind_box, self.new_button, self.import_button,
                  self.duplicate_button, self.delete_button):
            bar.addWidget(w)
        bar2 = QHBoxLayout()
        for w in (QLabel("Provider ICS"), self.version_box, self.chain_button):
            bar2.addWidget(w)
        bar2.addStretch(1)
        outer.addLayout(bar)
        outer.addLayout(bar2)

    def _build_fact_labels(self, outer: QVBoxLayout) -> None:
        self.facts_label = QLabel()
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextFormat(Qt.TextFormat.PlainText)
        self.facts_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        outer.addWidget(self.facts_label)
        self.freshness_label = QLabel()
        self.freshness_label.setObjectName("freshness")
        self.freshness_label.setWordWrap(True)
        self.freshness_label.setTextFormat(Qt.TextFormat.PlainText)
        self.freshness_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        outer.addWidget(self.freshness_label)

    def _build_drafts_list(self) -> QWidget:
        self.drafts_list = QListWidget()
        self.drafts_list.setMinimumWidth(110)
        self.drafts_list.setWordWrap(True)
        self.drafts_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.drafts_list.itemActivated.connect(lambda item: self.open_draft(item.data(Qt.ItemDataRole.UserRole)))
        self.drafts_list.itemClicked.connect(lambda item: self.open_draft(item.data(Qt.ItemDataRole.UserRole)))
        return self.drafts_list

    def _build_editor(self) -> QWidget:
        """The envelope (name, title, summary, deposit...) above the message form, in one scroll area."""
        middle = QWidget()
        self.middle_layout = QVBoxLayout(middle)
        self.middle_layout.addWidget(self._build_envelope())
        self.message_title = QLabel()
        self.message_title.setStyleSheet("font-weight: bold;")
        self.middle_layout.addWidget(self.message_title)
        self.form_holder = QVBoxLayout()
        self.middle_layout.addLayout(self.form_holder)
        self.middle_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        middle.setMinimumWidth(0)
        middle.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        scroll.setMinimumWidth(220)
        scroll.setWidget(middle)
        return scroll

    def _build_envelope(self) -> QWidget:
        env = QFormLayout()
        self.name_edit = QLineEdit()
        self.title_edit = QLineEdit()
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setFixedHeight(60)
        self.metadata_edit = QLineEdit()
        self.deposit_edit = QLineEdit()
        self.deposit_hint = QLabel()
        self.expedited_box = QCheckBox("expedited")
        self.expedited_box.setToolTip("An expedited proposal: shorter voting period, higher threshold and the expedited minimum deposit")
        self.deposit_hint.setWordWrap(True)
        for label, widget in (("draft name", self.name_edit), ("title", self.title_edit), ("summary", self.summary_edit),
                              ("metadata", self.metadata_edit), ("deposit", self.deposit_edit), ("", self.expedited_box)):
            holder = QWidget()
            v = QVBoxLayout(holder)
            v.setContentsMargins(0, 0, 0, 0)
            widget.setMinimumWidth(80)
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, widget.sizePolicy().verticalPolicy())
            v.addWidget(widget)
            if widget is self.deposit_edit:
                v.addWidget(self.deposit_hint)
            env.addRow(label, holder)
        for line_edit in (self.name_edit, self.title_edit, self.metadata_edit, self.deposit_edit):
            line_edit.textChanged.connect(self._changed)
        self.summary_edit.textChanged.connect(self._changed)
        self.expedited_box.toggled.connect(self._changed)
        self.envelope = QWidget()
        self.envelope.setLayout(env)
        return self.envelope

    def _build_tabs(self) -> QWidget:
        """Problems, the JSON preview in the chosen format, and the update diff."""
        self.tabs = QTabWidget()
        self.problem_list = QListWidget()
        self.problem_list.setWordWrap(True)
        self.problem_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problem_list.setToolTip("double-click a problem to go to its field")
        self.problem_list.itemDoubleClicked.connect(lambda item: self.focus_problem(item.data(Qt.ItemDataRole.UserRole)))
        self.tabs.addTab(self.problem_list, "Problems")
        self.tabs.setMinimumWidth(200)
        json_tab = QWidget()
        jl = QVBoxLayout(json_tab)
        row = QHBoxLayout()
        self.format_box = QComboBox()
        self.format_box.addItems(typing.get_args(Format))
        self.format_box.currentTextChanged.connect(lambda _t: self._update_preview())
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Write the preview in the chosen format to a JSON file")
        self.export_button.clicked.connect(self._export_dialog)
        row.addWidget(QLabel("format"))
        row.addWidget(self.format_box)
        row.addStretch(1)
        row.addWidget(self.export_button)
        jl.addLayout(row)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        jl.addWidget(self.preview)
        self.tabs.addTab(json_tab, "JSON preview")
        self.diff_view = QPlainTextEdit()
        self.diff_view.setReadOnly(True)
        self.diff_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.tabs.addTab(self.diff_view, "Update diff")
        return self.tabs

    def _build_signing_row(self, outer: QVBoxLayout) -> None:
        bottom = QHBoxLayout()
        self.signer_edit = QLineEdit()
        self.signer_edit.setPlaceholderText("signer: proposer, or for a direct tx the owner (cosmos1…)")
        self.signer_edit.setToolTip("who signs: for a direct MsgUpdateConsumer/MsgRemoveConsumer the chain compares it with the consumer's owner")
        self.signer_edit.setMinimumWidth(120)
        self.signer_edit.textChanged.connect(self._changed)
        self.sign_button = QPushButton("Sign and submit…")
        self.sign_button.setToolTip("Hand the proposal's messages to Keys & Signing to review, sign and broadcast")
        self.sign_button.clicked.connect(self.request_signing)
        self.offline_button = QPushButton("Export for offline signing…")
        self.offline_button.setToolTip("Write the messages to a file that Keys & Signing on an air-gapped machine turns into a request")
        self.offline_button.clicked.connect(self._export_for_signing_dialog)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bottom.addWidget(QLabel("signer"))
        bottom.addWidget(self.signer_edit, 1)
        bottom.addWidget(self.sign_button)
        bottom.addWidget(self.offline_button)
        outer.addLayout(bottom)
        outer.addWidget(self.status)

    # --- drafts -----------------------------------------------------------------------------------------
    def new(self, kind: str) -> None:
        draft = new_draft(kind, self.facts)
        self._show_draft(draft, name=KINDS[draft.kind].label.split(" (")[0], draft_id=None)
        self.refresh()

    def open_draft(self, draft_id: str) -> None:
        try:
            stored = self.store.load(draft_id)
        except WorkbenchError as exc:
            self.status.setText(visible(exc))
            return
        self._show_draft(stored.draft, name=stored.name, draft_id=stored.id)
        self.refresh()

    def delete_draft(self) -> None:
        """Delete the open draft's file and close it (the list refreshes)."""
        if self.draft_id:
            self.store.delete(self.draft_id)
        self.draft, self.draft_id = None, None
        self.problems = []
        if self._form is not None:
            self._form.hide()
            self._form.setParent(None)
            self._form.deleteLater()
            self._form = None
        self.message_title.setText("")
        self.problem_list.clear()
        self.preview.setPlainText("")
        self.status.setText("draft deleted")
        self._reload_list()

    def _delete_dialog(self) -> None:
        if self.draft is None:
            return
        answer = QMessageBox.question(self, "Delete draft", f"Delete the draft {self.name_edit.text()!r}? This cannot be undone.")
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_draft()

    def duplicate(self) -> None:
        if self.draft_id:
            self.open_draft(self.store.duplicate(self.draft_id))
            self._reload_list()

    def import_file(self, path: Path) -> None:
        try:
            draft, fmt = load_text(path.read_text(encoding="utf-8"))
        except (OSError, ProposalFormatError) as exc:
            self.status.setText(visible(f"{path.name}: {exc}"))
            self.status.setStyleSheet(ERROR_STYLE)
            return
        if fmt == "provider-cli":
            draft.route = "tx"
        self._show_draft(draft, name=path.stem, draft_id=None)
        self.refresh()

    def _show_draft(self, draft: ProposalDraft, *, name: str, draft_id: str | None) -> None:
        self._loading = True
        self.draft, self.draft_id = draft, draft_id
        self.name_edit.setText(name)
        self.title_edit.setText(draft.title)
        self.summary_edit.setPlainText(draft.summary)
        self.metadata_edit.setText(draft.metadata)
        self.deposit_edit.setText(draft.deposit)
        self.expedited_box.setChecked(draft.expedited)
        self.envelope.setVisible(True)
        for w in (self.title_edit, self.summary_edit, self.metadata_edit, self.deposit_edit, self.expedited_box):
            w.setEnabled(draft.route == "gov")
        if self._form is not None:
            self.form_holder.removeWidget(self._form)
            self._form.hide()
            self._form.setParent(None)
            self._form.deleteLater()
        msg = draft.messages[0]
        route = "gov proposal" if draft.route == "gov" else "direct transaction"
        extra = f" (+{len(draft.messages) - 1} more messages, shown in the JSON)" if len(draft.messages) > 1 else ""
        self.message_title.setText(f"{type(msg).__name__} — {route}{extra}")
        self._form = ModelForm(type(msg))
        self._form.set_value(msg)
        self._form.sig_changed.connect(self._changed)
        self.form_holder.addWidget(self._form)
        self.format_box.setCurrentText("provider-cli" if draft.route == "tx" else ("legacy" if msg.is_legacy_content else "gov"))
        self._loading = False

    def _reload_list(self) -> None:
        self.drafts_list.blockSignals(True)
        self.drafts_list.clear()
        for summary in self.store.list(self.facts):
            item = QListWidgetItem(f"{visible(summary.name)}\n{summary.state} · {summary.kind or '-'} · {summary.updated:%Y-%m-%d %H:%M}")
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            item.setToolTip(f"{summary.errors} errors, {summary.warnings} warnings")
            self.drafts_list.addItem(item)
            if summary.id == self.draft_id:
                self.drafts_list.setCurrentItem(item)
        self.drafts_list.blockSignals(False)

    def _update_list_state(self) -> None:
        """The open draft's row shows the state just computed (valid / warnings / invalid / stale)."""
        errors = sum(p.is_error for p in self.problems)
        state = "invalid" if errors else ("warnings" if self.problems else "valid")
        if self._stale:
            state += " (stale)"
        for i in range(self.drafts_list.count()):
            item = self.drafts_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == self.draft_id:
                name, _, rest = item.text().partition("\n")
                tail = rest.split(" · ", 1)[1] if " · " in rest else rest
                item.setText(f"{visible(self.name_edit.text()) or name}\n{state} · {tail}")
                item.setToolTip(f"{errors} errors, {len(self.problems) - errors} warnings")

    # --- facts ------------------------------------------------------------------------------------------
    def set_facts(self, facts: ProviderFacts, read_for: FactsKey | None = None) -> None:
        self.facts = facts
        self._facts_for = read_for
        if facts.height is not None:
            self._seen_height = max(self._seen_height or 0, facts.height)
        self.version_box.blockSignals(True)
        if self.version_box.findText(str(facts.version)) < 0:
            self.version_box.addItem(str(facts.version))
        self.version_box.setCurrentText(str(facts.version))
        self.version_box.blockSignals(False)
        self._show_facts()
        self.refresh()

    def _version_changed(self, text: str) -> None:
        self.facts.version = ProviderVersion.parse(text)
        self._show_facts()
        self.refresh()

    def _show_facts(self) -> None:
        f = self.facts
        parts = [f"ICS {f.version}", f"gov module {f.gov_address}"]
        if f.gov:
            advice = deposit_advice(f.gov)
            parts.append(f"min deposit {format_coins(advice.min_deposit)} (initial ≥ {format_coins(advice.min_initial_deposit) or '0'})")
        else:
            parts.append("offline: no gov params, consumer state or provider params")
        self.facts_label.setText(" · ".join(parts))
        if f.gov:
            advice = deposit_advice(f.gov)
            self.deposit_hint.setText(
                f"minimum {format_coins(advice.min_deposit)}; expedited {format_coins(advice.expedited_min_deposit) or '-'}"
            )

    def _connected_provider(self) -> Any:
        state = next((s for s in self.context.connections.values()
                      if s.connection is not None and getattr(s.connection, "provider", None) is not None), None)
        return state.connection if state is not None else None

    def load_facts_from_chain(self) -> None:
        """Use the connected provider: facts are read now and kept fresh (new block, other consumer, signer or
        chain) while a draft is open, always on a worker thread."""
        connection = self._connected_provider()
        if connection is None:
            self.status.setText("no connected provider: connect one in the Connections panel")
            return
        self._live = connection
        self._block_timer.start()
        self.refresh()  # pick up an edit still waiting for the typing pause
        self._reload_facts()

    def _connection_changed(self, _name: str) -> None:
        """A provider connected, switched or dropped: facts follow the connected chain by themselves."""
        connection = self._connected_provider()
        if connection is self._live:
            return
        self._live = connection
        if connection is None:
            self._block_timer.stop()
            self._show_freshness()
            return
        self._block_timer.start()
        self._reload_facts()

    def _key_now(self) -> FactsKey:
        chain = str(getattr(self._live, "chain_id", "") or "") if self._live is not None else ""
        return facts_key(self.draft, self.signer_edit.text().strip(), chain)

    def _reload_facts(self) -> None:
        from ics_workbench.proposals.chain_facts import facts_from_connection

        connection = self._live
        if connection is None:
            return
        key = self._key_now()
        self._facts_generation += 1
        generation = self._facts_generation
        self._facts_loading = True

        def done(facts: ProviderFacts) -> None:
            if generation != self._facts_generation:
                return  # the draft or chain moved on while this was read: a newer request is under way
            self._facts_loading = False
            self.set_facts(facts, key)
            self.sig_facts_loaded.emit()

        def failed(message: str, _error: BaseException) -> None:
            if generation == self._facts_generation:
                self._facts_loading = False
                self.status.setText(visible(message))

        self.context.runtime.run(
            lambda job: facts_from_connection(connection, consumer_ids=list(key.consumer_ids), job=job),
            on_success=done, on_failure=failed, progress_label="Checking against the provider",
        )

    def _poll_block(self) -> None:
        """Each new block (or a switch of the connected chain) while a draft is open re-reads the facts."""
        connection = self._connected_provider()
        if connection is not self._live:
            self._live = connection
            if connection is None:
                self._block_timer.stop()
                self._show_freshness()
                return
        if self.draft is None or self._facts_loading or connection is None or connection.rest_http is None:
            return
        rest = connection.rest_http

        def seen(height: int) -> None:
            self._seen_height = height
            if self.facts.height is None or height > self.facts.height:
                self._show_freshness()
                self._reload_facts()

        self.context.runtime.run(
            lambda job: int(rest.get_json("/cosmos/base/tendermint/v1beta1/blocks/latest", job=job)["block"]["header"]["height"]),
            on_success=seen, on_failure=lambda _m, _e: None, cancellable=True,
        )

    @property
    def _stale(self) -> bool:
        return freshness_text(self.facts, self._facts_for, self._key_now(), self._seen_height)[1]

    def _show_freshness(self) -> None:
        text, stale = freshness_text(self.facts, self._facts_for, self._key_now(), self._seen_height)
        self.freshness_label.setText(visible(text))
        self.freshness_label.setStyleSheet(WARNING_STYLE if stale else "")
        if stale and self._live is not None and not self._facts_loading and self._facts_for != self._key_now():
            self._reload_facts()

    # --- live validation --------------------------------------------------------------------------------
    def _changed(self, *_: Any) -> None:
        if not self._loading:
            self._timer.start()

    def _read_draft(self, parse_errors: dict[str, str]) -> ProposalDraft | None:
        if self.draft is None or self._form is None:
            return None
        msg = self._form.read(parse_errors)
        if msg is None:
            return None
        draft = self.draft
        draft.messages[0] = msg  # type: ignore[call-overload]
        draft.title = self.title_edit.text()
        draft.summary = self.summary_edit.toPlainText()
        draft.metadata = self.metadata_edit.text()
        draft.deposit = self.deposit_edit.text().strip()
        draft.expedited = self.expedited_box.isChecked()
        return draft

    def refresh(self) -> None:
        """Read the form, validate, show problems at their fields, update preview and diff, autosave."""
        if self.draft is None:
            return
        parse_errors: dict[str, str] = {}
        draft = self._read_draft(parse_errors)
        unreadable = [Problem(self._problem_path(p), "unreadable", m, None) for p, m in parse_errors.items()]
        if draft is None:
            self.problems = unreadable
        else:
            verdict = check(draft, self.facts, signer=self.signer_edit.text().strip())
            hidden = {p.path for p in unreadable}
            self.problems = unreadable + [p for p in verdict.problems if p.path not in hidden]
        self._show_problems()
        self._show_freshness()
        self._update_preview()
        self._update_diff()
        if draft is not None and not parse_errors:
            self._autosave(draft)
        self._update_list_state()
        self.sig_validated.emit(self.problems)

    def _problem_path(self, form_path: str) -> str:
        """A form field's path as the validator names it (gov drafts: under ``messages[0].``)."""
        return f"messages[0].{form_path}" if self.draft is not None and self.draft.route == "gov" else form_path

    def _field_path(self, path: str) -> str:
        prefix = "messages[0]."
        if self.draft is not None and self.draft.route == "gov":
            return path[len(prefix):] if path.startswith(prefix) else ("" if path.startswith("messages[") else "@env:" + path)
        return path

    def _problem_widgets(self) -> dict[str, QWidget]:
        widgets: dict[str, QWidget] = dict(self._form.field_widgets()) if self._form else {}
        for path, widget in (("title", self.title_edit), ("summary", self.summary_edit), ("metadata", self.metadata_edit),
                             ("deposit", self.deposit_edit), ("expedited", self.expedited_box)):
            widgets["@env:" + path] = widget
        return widgets

    def _widget_for(self, problem_path: str) -> QWidget | None:
        widgets = self._problem_widgets()
        path = self._field_path(problem_path)
        while path and path not in widgets:
            path = _INDEX.sub("", path) if _INDEX.search(path) else path.rpartition(".")[0]
        return widgets.get(path) if path else None

    def _show_problems(self) -> None:
        """Problems mark their field (border + tooltip, so the form never moves while typing) and are listed in
        the side list, full text wrapped; double-clicking one goes to its field."""
        marks: dict[int, tuple[QWidget, list[Problem]]] = {}
        for p in self.problems:
            widget = self._widget_for(p.path)
            if widget is not None:
                marks.setdefault(id(widget), (widget, []))[1].append(p)
        for widget in self._problem_widgets().values():
            found = marks.get(id(widget))
            if not found:
                widget.setStyleSheet("")
                widget.setToolTip("")
                continue
            problems = found[1]
            widget.setStyleSheet(FIELD_ERROR_STYLE if any(p.is_error for p in problems) else FIELD_WARNING_STYLE)
            text = "\n".join(textwrap.fill(f"{'warning: ' if not p.is_error else ''}{p.rule}: {p.message}", 80) for p in problems)
            widget.setToolTip(plain_tooltip(text))  # problems echo values from files and chains
        self.problem_list.clear()
        for p in self.problems:
            item = QListWidgetItem(visible(p.line()))
            item.setData(Qt.ItemDataRole.UserRole, p.path)
            item.setForeground(Qt.GlobalColor.darkRed if p.is_error else Qt.GlobalColor.darkYellow)
            self.problem_list.addItem(item)
        errors = sum(p.is_error for p in self.problems)
        self.tabs.setTabText(0, f"Problems ({errors}E {len(self.problems) - errors}W)")
        self.sign_button.setEnabled(errors == 0)
        self.offline_button.setEnabled(errors == 0)
        self.status.setText("valid" if not self.problems else f"{errors} errors, {len(self.problems) - errors} warnings")
        self.status.setStyleSheet(ERROR_STYLE if errors else (WARNING_STYLE if self.problems else ""))

    def focus_problem(self, problem_path: str) -> QWidget | None:
        """Bring the problem's field into view and give it the keyboard focus."""
        widget = self._widget_for(problem_path or "")
        if widget is None:
            return None
        parent = widget.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget

    def _update_preview(self) -> None:
        if self.draft is None:
            return
        try:
            text = dump_text(self.draft, self.format_box.currentText(), gov_address=self.facts.gov_address,  # type: ignore[arg-type]
                             version=self.facts.version)
        except ProposalFormatError as exc:
            text = f"// cannot be written in this format: {exc}"
        self.preview.setPlainText(text)

    def _update_diff(self) -> None:
        messages = self.draft.messages if self.draft else []
        updates = [m for m in messages if isinstance(m, MsgUpdateConsumer)]
        lines = []
        for params_msg in (m for m in messages if isinstance(m, MsgUpdateParams)):
            known = self.facts.provider_params is not None
            lines.append("provider params" + ("" if known else " — current values unknown (use the connected provider)"))
            lines.extend(format_changes([c for c in params_diff(params_msg.params, self.facts.provider_params) if c.kind != "unchanged"]))
        if not updates and not lines:
            self.diff_view.setPlainText("Only MsgUpdateConsumer and MsgUpdateParams change existing state.")
            return
        for msg in updates:
            current = self.facts.consumer(msg.consumer_id.strip())
            lines.append(f"consumer {msg.consumer_id or '?'}" + ("" if current else " — current state unknown (use the connected provider)"))
            lines.extend(format_changes(update_diff(msg, current)))
        self.diff_view.setPlainText("\n".join(lines))

    def _autosave(self, draft: ProposalDraft) -> None:
        try:
            self.draft_id = self.store.save(draft, name=self.name_edit.text() or "untitled", facts=self.facts,
                                            draft_id=self.draft_id)
        except (OSError, WorkbenchError) as exc:
            self.status.setText(visible(f"autosave failed: {exc}"))
            self.status.setStyleSheet(ERROR_STYLE)
            return
        current = self.drafts_list.currentItem()
        if current is None or current.data(Qt.ItemDataRole.UserRole) != self.draft_id:
            self._reload_list()
        self.sig_saved.emit(self.draft_id)

    # --- hand-over --------------------------------------------------------------------------------------
    def signing_request(self) -> Any:
        from ics_workbench.proposals.handoff import signing_request

        if self.draft is None:
            raise WorkbenchError("no draft")
        signer = self.signer_edit.text().strip()
        if not signer:
            raise WorkbenchError("enter the proposer / sender address first")
        return signing_request(self.draft, self.facts, signer=signer)

    def request_signing(self) -> None:
        try:
            request = self.signing_request()
        except WorkbenchError as exc:
            self.status.setText(visible(exc))
            self.status.setStyleSheet(ERROR_STYLE)
            return
        self.context.request_signing(request)
        self.context.show_status("proposal handed to Keys & Signing")

    def export_for_signing(self, path: Path) -> None:
        from ics_workbench.fileio import write_json_atomic

        request = self.signing_request()
        write_json_atomic(path, {"signer": request.signer, "ics_version": request.ics_version,
                                 "messages": request.messages_json}, mode=0o644)

    def _export_for_signing_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export messages for offline signing", "", "JSON (*.json)")
        if path:
            try:
                self.export_for_signing(Path(path))
            except WorkbenchError as exc:
                self.status.setText(visible(exc))

    def _import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import proposal", "", "JSON (*.json)")
        if path:
            self.import_file(Path(path))

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export proposal", "", "JSON (*.json)")
        if path:
            from ics_workbench.fileio import write_text_atomic

            write_text_atomic(Path(path), self.preview.toPlainText(), mode=0o644)

