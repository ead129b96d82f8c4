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
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.errors import WorkbenchError
from ics_workbench.gui.context import AppContext
from ics_workbench.gui.panels.proposals.form import ERROR_STYLE, WARNING_STYLE, ModelForm
from ics_workbench.proposals.codec import ProposalFormatError
from ics_workbench.proposals.deposit import deposit_advice, format_coins
from ics_workbench.proposals.diff import format_changes, params_diff, update_diff
from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.drafts import DraftStore
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.formats import dump_text, load_text
from ics_workbench.proposals.models import MsgUpdateConsumer, MsgUpdateParams
from ics_workbench.proposals.problems import Problem
from ics_workbench.proposals.rules import validate
from ics_workbench.proposals.templates import KINDS, new_draft
from ics_workbench.proposals.versions import ProviderVersion

log = logging.getLogger(__name__)

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
        self._build()
        self._reload_list()

    # --- layout -----------------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.kind_box = QComboBox()
        for kind in KINDS.values():
            self.kind_box.addItem(f"{kind.label}  [{kind.versions}]", kind.name)
        self.kind_box.setToolTip("the kind of the next new draft; the open draft's kind is shown above its form")
        self.new_button = QPushButton("New draft")
        self.new_button.clicked.connect(lambda: self.new(self.kind_box.currentData()))
        self.version_box = QComboBox()
        self.version_box.addItems(VERSIONS)
        self.version_box.currentTextChanged.connect(self._version_changed)
        self.chain_button = QPushButton("Use connected provider")
        self.chain_button.clicked.connect(self.load_facts_from_chain)
        self.import_button = QPushButton("Import…")
        self.import_button.clicked.connect(self._import_dialog)
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.clicked.connect(self.duplicate)
        for w in (QLabel("New draft of kind"), self.kind_box, self.new_button, QLabel("Provider ICS"), self.version_box,
                  self.chain_button, self.import_button, self.duplicate_button):
            bar.addWidget(w)
        bar.addStretch(1)
        outer.addLayout(bar)
        self.facts_label = QLabel()
        self.facts_label.setWordWrap(True)
        outer.addWidget(self.facts_label)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.drafts_list = QListWidget()
        self.drafts_list.itemActivated.connect(lambda item: self.open_draft(item.data(Qt.ItemDataRole.UserRole)))
        self.drafts_list.itemClicked.connect(lambda item: self.open_draft(item.data(Qt.ItemDataRole.UserRole)))
        split.addWidget(self.drafts_list)

        middle = QWidget()
        self.middle_layout = QVBoxLayout(middle)
        env = QFormLayout()
        self.name_edit = QLineEdit()
        self.title_edit = QLineEdit()
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setFixedHeight(60)
        self.metadata_edit = QLineEdit()
        self.deposit_edit = QLineEdit()
        self.deposit_hint = QLabel()
        self.expedited_box = QCheckBox("expedited")
        self._env_errors: dict[str, QLabel] = {}
        for label, widget, path in (("draft name", self.name_edit, ""), ("title", self.title_edit, "title"),
                                    ("summary", self.summary_edit, "summary"), ("metadata", self.metadata_edit, "metadata"),
                                    ("deposit", self.deposit_edit, "deposit"), ("", self.expedited_box, "expedited")):
            holder = QWidget()
            v = QVBoxLayout(holder)
            v.setContentsMargins(0, 0, 0, 0)
            v.addWidget(widget)
            if path:
                err = QLabel()
                err.hide()
                v.addWidget(err)
                self._env_errors[path] = err
            if path == "deposit":
                v.addWidget(self.deposit_hint)
            env.addRow(label, holder)
        for w in (self.name_edit, self.title_edit, self.metadata_edit, self.deposit_edit):
            w.textChanged.connect(self._changed)
        self.summary_edit.textChanged.connect(self._changed)
        self.expedited_box.toggled.connect(self._changed)
        self.envelope = QWidget()
        self.envelope.setLayout(env)
        self.middle_layout.addWidget(self.envelope)
        self.message_title = QLabel()
        self.message_title.setStyleSheet("font-weight: bold;")
        self.middle_layout.addWidget(self.message_title)
        self.form_holder = QVBoxLayout()
        self.middle_layout.addLayout(self.form_holder)
        self.middle_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(middle)
        split.addWidget(scroll)

        self.tabs = QTabWidget()
        self.problem_list = QListWidget()
        self.problem_list.setWordWrap(True)
        self.tabs.addTab(self.problem_list, "Problems")
        json_tab = QWidget()
        jl = QVBoxLayout(json_tab)
        row = QHBoxLayout()
        self.format_box = QComboBox()
        self.format_box.addItems(("gov", "provider-cli", "legacy"))
        self.format_box.currentTextChanged.connect(lambda _t: self._update_preview())
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(self._export_dialog)
        row.addWidget(QLabel("format"))
        row.addWidget(self.format_box)
        row.addStretch(1)
        row.addWidget(self.export_button)
        jl.addLayout(row)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        jl.addWidget(self.preview)
        self.tabs.addTab(json_tab, "JSON preview")
        self.diff_view = QPlainTextEdit()
        self.diff_view.setReadOnly(True)
        self.tabs.addTab(self.diff_view, "Update diff")
        split.addWidget(self.tabs)
        split.setSizes([180, 520, 520])
        outer.addWidget(split, 1)

        bottom = QHBoxLayout()
        self.signer_edit = QLineEdit()
        self.signer_edit.setPlaceholderText("proposer / sender address (cosmos1…)")
        self.sign_button = QPushButton("Sign and submit…")
        self.sign_button.clicked.connect(self.request_signing)
        self.offline_button = QPushButton("Export for offline signing…")
        self.offline_button.clicked.connect(self._export_for_signing_dialog)
        self.status = QLabel()
        bottom.addWidget(QLabel("signer"))
        bottom.addWidget(self.signer_edit, 1)
        bottom.addWidget(self.sign_button)
        bottom.addWidget(self.offline_button)
        outer.addLayout(bottom)
        outer.addWidget(self.status)
        self._show_facts()

    # --- drafts -----------------------------------------------------------------------------------------
    def new(self, kind: str) -> None:
        draft = new_draft(kind, self.facts)
        self._show_draft(draft, name=KINDS[draft.kind].label.split(" (")[0], draft_id=None)
        self.refresh()

    def open_draft(self, draft_id: str) -> None:
        try:
            stored = self.store.load(draft_id)
        except WorkbenchError as exc:
            self.status.setText(str(exc))
            return
        self._show_draft(stored.draft, name=stored.name, draft_id=stored.id)
        self.refresh()

    def duplicate(self) -> None:
        if self.draft_id:
            self.open_draft(self.store.duplicate(self.draft_id))
            self._reload_list()

    def import_file(self, path: Path) -> None:
        try:
            draft, fmt = load_text(path.read_text(encoding="utf-8"))
        except (OSError, ProposalFormatError) as exc:
            self.status.setText(f"{path.name}: {exc}")
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
        self.drafts_list.clear()
        for summary in self.store.list(self.facts):
            item = QListWidgetItem(f"{summary.name}\n{summary.state} · {summary.kind or '-'} · {summary.updated:%Y-%m-%d %H:%M}")
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            item.setToolTip(f"{summary.errors} errors, {summary.warnings} warnings")
            self.drafts_list.addItem(item)

    # --- facts ------------------------------------------------------------------------------------------
    def set_facts(self, facts: ProviderFacts) -> None:
        self.facts = facts
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

    def load_facts_from_chain(self) -> None:
        state = next((s for s in self.context.connections.values()
                      if s.connection is not None and getattr(s.connection, "provider", None) is not None), None)
        if state is None:
            self.status.setText("no connected provider: connect one in the Connections panel")
            return
        from ics_workbench.proposals.chain_facts import consumer_ids_in, facts_from_connection

        self.refresh()  # pick up an edit still waiting for the typing pause
        ids = consumer_ids_in(self.draft.messages) if self.draft else []
        connection = state.connection
        self.context.runtime.run(
            lambda job: facts_from_connection(connection, consumer_ids=ids, job=job),
            on_success=lambda facts: (self.set_facts(facts), self.sig_facts_loaded.emit()),
            on_failure=lambda message, _e: self.status.setText(message),
            progress_label="Loading provider facts",
        )

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
        if draft is None:
            self.problems = [Problem(p, "unreadable", m, None) for p, m in parse_errors.items()]
        else:
            self.problems = validate(draft, self.facts)
        self._show_problems()
        self._update_preview()
        self._update_diff()
        if draft is not None:
            self._autosave(draft)
        self.sig_validated.emit(self.problems)

    def _field_path(self, path: str) -> str:
        prefix = "messages[0]."
        if self.draft is not None and self.draft.route == "gov":
            return path[len(prefix):] if path.startswith(prefix) else ("" if path.startswith("messages[") else "@env:" + path)
        return path

    def _show_problems(self) -> None:
        labels = dict(self._form.error_labels()) if self._form else {}
        for path, label in self._env_errors.items():
            labels["@env:" + path] = label
        shown: dict[str, list[Problem]] = {}
        for p in self.problems:
            path = self._field_path(p.path)
            while path and path not in labels:
                path = _INDEX.sub("", path) if _INDEX.search(path) else path.rpartition(".")[0]
            if path:
                shown.setdefault(path, []).append(p)
        for path, label in labels.items():
            found = shown.get(path)
            if not found:
                label.hide()
                continue
            label.setText("\n".join(
                textwrap.fill(f"{'⚠ ' if not p.is_error else ''}{p.rule}: {p.message}", 70) for p in found
            ))
            label.setStyleSheet(ERROR_STYLE if any(p.is_error for p in found) else WARNING_STYLE)
            label.show()
        self.problem_list.clear()
        for p in self.problems:
            item = QListWidgetItem(p.line())
            item.setForeground(Qt.GlobalColor.darkRed if p.is_error else Qt.GlobalColor.darkYellow)
            self.problem_list.addItem(item)
        errors = sum(p.is_error for p in self.problems)
        self.tabs.setTabText(0, f"Problems ({errors} errors, {len(self.problems) - errors} warnings)")
        self.sign_button.setEnabled(errors == 0)
        self.offline_button.setEnabled(errors == 0)
        self.status.setText("valid" if not self.problems else f"{errors} errors, {len(self.problems) - errors} warnings")
        self.status.setStyleSheet(ERROR_STYLE if errors else (WARNING_STYLE if self.problems else ""))

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
        for msg in (m for m in messages if isinstance(m, MsgUpdateParams)):
            known = self.facts.provider_params is not None
            lines.append("provider params" + ("" if known else " — current values unknown (use the connected provider)"))
            lines.extend(format_changes([c for c in params_diff(msg.params, self.facts.provider_params) if c.kind != "unchanged"]))
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
            self.status.setText(f"autosave failed: {exc}")
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
            self.status.setText(str(exc))
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
                self.status.setText(str(exc))

    def _import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import proposal", "", "JSON (*.json)")
        if path:
            self.import_file(Path(path))

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export proposal", "", "JSON (*.json)")
        if path:
            from ics_workbench.fileio import write_text_atomic

            write_text_atomic(Path(path), self.preview.toPlainText(), mode=0o644)

