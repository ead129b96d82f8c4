"""The proposals panel's widgets and their arrangement; :class:`~.panel.ProposalsPanel` adds the behaviour
and connects the signals (``_connect``), so building the layout never triggers a slot.
"""

from __future__ import annotations

import typing

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.proposals.formats import Format
from ics_workbench.proposals.templates import KINDS

VERSIONS = ("v7.0.0", "v6.4.0", "v6.3.0", "v6.2.0", "v6.0.0", "v5.2.0", "v5.1.0", "v5.0.0", "v4.5.0", "v4.2.0")


class ProposalsLayout(QWidget):
    def _build(self) -> None:
        """Create and arrange every widget (no signal is connected yet)."""
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
        self.version_box = QComboBox()
        self.version_box.addItems(VERSIONS)
        self.chain_button = QPushButton("Use connected provider")
        self.chain_button.setToolTip(
            "Validate against the connected provider's version, "
            "gov params and consumer state instead of a chosen version"
        )
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Import a proposal JSON (gov, provider CLI or legacy format) as a new draft")
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.setToolTip("Copy the selected draft under a new name")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete the selected draft file (asks first)")
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
        self.expedited_box.setToolTip(
            "An expedited proposal: shorter voting period, higher threshold and the expedited minimum deposit"
        )
        self.deposit_hint.setWordWrap(True)
        for label, widget in (
            ("draft name", self.name_edit),
            ("title", self.title_edit),
            ("summary", self.summary_edit),
            ("metadata", self.metadata_edit),
            ("deposit", self.deposit_edit),
            ("", self.expedited_box),
        ):
            holder = QWidget()
            v = QVBoxLayout(holder)
            v.setContentsMargins(0, 0, 0, 0)
            widget.setMinimumWidth(80)
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, widget.sizePolicy().verticalPolicy())
            v.addWidget(widget)
            if widget is self.deposit_edit:
                v.addWidget(self.deposit_hint)
            env.addRow(label, holder)
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
        self.tabs.addTab(self.problem_list, "Problems")
        self.tabs.setMinimumWidth(200)
        json_tab = QWidget()
        jl = QVBoxLayout(json_tab)
        row = QHBoxLayout()
        self.format_box = QComboBox()
        self.format_box.addItems(typing.get_args(Format))
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Write the preview in the chosen format to a JSON file")
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
        self.signer_edit.setToolTip(
            "who signs: for a direct MsgUpdateConsumer/MsgRemoveConsumer "
            "the chain compares it with the consumer's owner"
        )
        self.signer_edit.setMinimumWidth(120)
        self.sign_button = QPushButton("Sign and submit…")
        self.sign_button.setToolTip("Hand the proposal's messages to Keys & Signing to review, sign and broadcast")
        self.offline_button = QPushButton("Export for offline signing…")
        self.offline_button.setToolTip(
            "Write the messages to a file that Keys & Signing on an air-gapped machine turns into a request"
        )
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
