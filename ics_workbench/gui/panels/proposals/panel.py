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
    QFileDialog,
    QListWidgetItem,
    QMessageBox,
    QScrollArea,
    QWidget,
)

from ics_workbench.errors import WorkbenchError
from ics_workbench.gui.context import AppContext
from ics_workbench.gui.panels.proposals.facts_following import ProviderFactsFollowing
from ics_workbench.gui.panels.proposals.form import (
    ERROR_STYLE,
    WARNING_STYLE,
    ModelForm,
)
from ics_workbench.gui.panels.proposals.layout import ProposalsLayout
from ics_workbench.gui.untrusted import plain_tooltip
from ics_workbench.proposals.check import check
from ics_workbench.proposals.codec import ProposalFormatError
from ics_workbench.proposals.diff import format_changes, params_diff, update_diff
from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.drafts import DraftStore
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.facts_watch import FactsKey
from ics_workbench.proposals.formats import dump_text, load_text
from ics_workbench.proposals.models import MsgUpdateConsumer, MsgUpdateParams
from ics_workbench.proposals.problems import Problem
from ics_workbench.proposals.templates import KINDS, new_draft
from ics_workbench.untrusted_text import visible

log = logging.getLogger(__name__)

FIELD_ERROR_STYLE = "border: 2px solid #b00020;"
FIELD_WARNING_STYLE = "border: 2px solid #c08a00;"
BLOCK_POLL_MS = 3000  # how often an open draft asks the connected provider for a new block

_INDEX = re.compile(r"\[\d+\]$")


class ProposalsPanel(ProviderFactsFollowing, ProposalsLayout):
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
        self._connect()
        self._show_facts()
        self._reload_list()
        context.sig_connection_changed.connect(self._connection_changed)

    def _connect(self) -> None:
        """Wire the widgets built by ``_build`` to the panel's behaviour."""
        self.new_button.clicked.connect(lambda: self.new(self.kind_box.currentData()))
        self.version_box.currentTextChanged.connect(self._version_changed)
        self.chain_button.clicked.connect(self.load_facts_from_chain)
        self.import_button.clicked.connect(self._import_dialog)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button.clicked.connect(self._delete_dialog)
        self.drafts_list.itemActivated.connect(lambda item: self.open_draft(item.data(Qt.ItemDataRole.UserRole)))
        self.drafts_list.itemClicked.connect(lambda item: self.open_draft(item.data(Qt.ItemDataRole.UserRole)))
        for line_edit in (self.name_edit, self.title_edit, self.metadata_edit, self.deposit_edit, self.signer_edit):
            line_edit.textChanged.connect(self._changed)
        self.summary_edit.textChanged.connect(self._changed)
        self.expedited_box.toggled.connect(self._changed)
        self.problem_list.itemDoubleClicked.connect(
            lambda item: self.focus_problem(item.data(Qt.ItemDataRole.UserRole))
        )
        self.format_box.currentTextChanged.connect(lambda _t: self._update_preview())
        self.export_button.clicked.connect(self._export_dialog)
        self.sign_button.clicked.connect(self.request_signing)
        self.offline_button.clicked.connect(self._export_for_signing_dialog)

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
        answer = QMessageBox.question(
            self, "Delete draft", f"Delete the draft {self.name_edit.text()!r}? This cannot be undone."
        )
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
        self.format_box.setCurrentText(
            "provider-cli" if draft.route == "tx" else ("legacy" if msg.is_legacy_content else "gov")
        )
        self._loading = False

    def _reload_list(self) -> None:
        self.drafts_list.blockSignals(True)
        self.drafts_list.clear()
        for summary in self.store.list(self.facts):
            item = QListWidgetItem(
                f"{visible(summary.name)}\n{summary.state} · {summary.kind or '-'} · {summary.updated:%Y-%m-%d %H:%M}"
            )
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
            return (
                path[len(prefix) :]
                if path.startswith(prefix)
                else ("" if path.startswith("messages[") else "@env:" + path)
            )
        return path

    def _problem_widgets(self) -> dict[str, QWidget]:
        widgets: dict[str, QWidget] = dict(self._form.field_widgets()) if self._form else {}
        for path, widget in (
            ("title", self.title_edit),
            ("summary", self.summary_edit),
            ("metadata", self.metadata_edit),
            ("deposit", self.deposit_edit),
            ("expedited", self.expedited_box),
        ):
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
            text = "\n".join(
                textwrap.fill(f"{'warning: ' if not p.is_error else ''}{p.rule}: {p.message}", 80) for p in problems
            )
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
        self.status.setText(
            "valid" if not self.problems else f"{errors} errors, {len(self.problems) - errors} warnings"
        )
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
            lines.append(
                "provider params" + ("" if known else " — current values unknown (use the connected provider)")
            )
            lines.extend(
                format_changes(
                    [c for c in params_diff(params_msg.params, self.facts.provider_params) if c.kind != "unchanged"]
                )
            )
        if not updates and not lines:
            self.diff_view.setPlainText("Only MsgUpdateConsumer and MsgUpdateParams change existing state.")
            return
        for msg in updates:
            current = self.facts.consumer(msg.consumer_id.strip())
            lines.append(
                f"consumer {msg.consumer_id or '?'}"
                + ("" if current else " — current state unknown (use the connected provider)")
            )
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

