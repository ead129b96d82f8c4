# mypy: disable-error-code="misc"
# (a mixin's methods are typed `self: FileTab`; mypy flags a self type narrower than the mixin as [misc])
"""The signing-file tab's widgets, one builder per row, in the order they join the tab's focus chain.

Kept apart from ``file_tab`` so the tab's behaviour (open, sign, verify, broadcast) reads without the layout;
``FileTab`` inherits these builders and calls them from ``__init__`` top to bottom.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from ics_workbench.gui.panels.signing.chains import OFFLINE_NOTE
from ics_workbench.gui.panels.signing.key_dialogs import error_label
from ics_workbench.gui.untrusted import plain_label
from ics_workbench.gui.widgets.camera_scan import camera_available

if TYPE_CHECKING:
    from ics_workbench.gui.panels.signing.file_tab import FileTab


class FileTabLayout:
    """Builders for ``FileTab``'s rows; each sets the widgets as attributes of the tab and returns the row."""

    def _build_file_row(self: FileTab) -> QHBoxLayout:
        self.open_button = QPushButton("Open signing file…")
        self.open_button.setToolTip(
            "Open a signing request or signed file; its review is decoded from the bytes to sign"
        )
        self.open_button.clicked.connect(self._choose_file)
        self.qr_open_button = QPushButton("Open QR frames…")
        self.qr_open_button.setToolTip(
            "Read a signing file from images of its QR frames (any order; every frame is needed)"
        )
        self.qr_open_button.clicked.connect(self._choose_qr_images)
        self.camera_button = QPushButton("Scan QR frames…")
        usable, why = camera_available()
        self.camera_button.setEnabled(usable)
        self.camera_button.setToolTip(why or "read the animated QR frames with this computer's camera")
        self.camera_button.clicked.connect(self._scan_with_camera)
        self.path_label = plain_label("No signing file opened.")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.qr_open_button)
        top.addWidget(self.camera_button)
        top.addWidget(self.path_label, 1)
        return top

    def _build_banner(self: FileTab, mono: QFont) -> QHBoxLayout:
        """The state badge beside the summary and the sign-bytes hash."""
        self.state_label = QLabel("—")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label.setMinimumWidth(220)
        self.hash_label = QLabel()
        self.hash_label.setFont(mono)
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label = plain_label()
        self.summary_label.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(self.summary_label)
        heading.addWidget(self.hash_label)
        banner = QHBoxLayout()
        banner.addWidget(self.state_label)
        banner.addLayout(heading, 1)
        self._paint_state(None)
        return banner

    def _build_review(self: FileTab, mono: QFont) -> QPlainTextEdit:
        self.review_edit = QPlainTextEdit()
        self.review_edit.setReadOnly(True)
        self.review_edit.setFont(mono)
        self.review_edit.setPlaceholderText("The review is decoded from the exact bytes that will be signed.")
        return self.review_edit

    def _build_sign_box(self: FileTab) -> QGroupBox:
        self.key_combo = QComboBox()
        self.key_combo.setMinimumWidth(180)
        self.sign_button = QPushButton("Sign…")
        self.sign_button.setToolTip("Sign the reviewed bytes with the chosen key from the OS keyring (works offline)")
        self.sign_button.clicked.connect(self.ask_to_sign)
        self.merge_button = QPushButton("Add signatures from a copy…")
        self.merge_button.setToolTip("Multisig: collect the partial signatures of a copy signed on another machine")
        self.merge_button.clicked.connect(self._choose_copy)
        self.combine_button = QPushButton("Combine")
        self.combine_button.setToolTip("Multisig: combine the collected signatures once the threshold is reached")
        self.combine_button.clicked.connect(self.combine_signatures)
        sign_box = QGroupBox("Sign (works offline)")
        sign_row = QHBoxLayout(sign_box)
        sign_row.addWidget(QLabel("Key"))
        sign_row.addWidget(self.key_combo)
        sign_row.addWidget(self.sign_button)
        sign_row.addWidget(self.merge_button)
        sign_row.addWidget(self.combine_button)
        sign_row.addStretch(1)
        return sign_box

    def _build_export_row(self: FileTab) -> QHBoxLayout:
        self.save_button = QPushButton("Save as…")
        self.save_button.setToolTip(
            "Save the file (request or signed) to carry it to another machine; written atomically"
        )
        self.save_button.clicked.connect(self._choose_save_path)
        self.qr_button = QPushButton("Show as QR…")
        self.qr_button.setToolTip("Show the file as animated QR frames for an air-gapped machine's camera")
        self.qr_button.clicked.connect(self.show_qr)
        self.gaiad_button = QPushButton("Export gaiad JSON…")
        self.gaiad_button.setToolTip("The plain gaiad JSON (signed: what `gaiad tx broadcast` takes)")
        self.gaiad_button.clicked.connect(self._choose_gaiad_path)
        export_row = QHBoxLayout()
        export_row.addWidget(self.save_button)
        export_row.addWidget(self.qr_button)
        export_row.addWidget(self.gaiad_button)
        self.ur_button = QPushButton("Sign with Keystone/Keplr (UR)…")
        self.ur_button.setToolTip("show the request as an animated cosmos-sign-request for an air-gapped device")
        self.ur_button.clicked.connect(self.show_ur)
        self.ur_import_button = QPushButton("Attach device signature…")
        self.ur_import_button.setToolTip("read the device's cosmos-signature (QR images or ur: text) back")
        self.ur_import_button.clicked.connect(self._choose_ur_answer)
        export_row.addWidget(self.ur_button)
        export_row.addWidget(self.ur_import_button)
        export_row.addStretch(1)
        return export_row

    def _build_result_labels(self: FileTab) -> tuple[QLabel, ...]:
        """What the last action did, what the chain created (links), and what went wrong."""
        self.result_label = plain_label()
        self.result_label.setObjectName("result_label")
        # What the chain created, as links; built only from digit ids and a profile name, escaped.
        self.created_label = QLabel()
        self.created_label.setObjectName("created_label")
        self.created_label.setTextFormat(Qt.TextFormat.RichText)
        self.created_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                   | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.created_label.linkActivated.connect(self._open_created)
        self.created_label.hide()
        self.result_label.setWordWrap(True)
        self.error_label = error_label()
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return self.result_label, self.created_label, self.error_label

    def _build_online_box(self: FileTab, offline: bool) -> QGroupBox:
        self.request_edit = QLineEdit()
        self.request_edit.setPlaceholderText("the unsigned request file that was exported (to check the match)")
        request_browse = QPushButton("…")
        request_browse.clicked.connect(self._choose_request)
        self.verify_button = QPushButton("Verify")
        self.verify_button.setToolTip(
            "Check the signatures against the signers' public keys and, if given, that the request file matches"
        )
        self.verify_button.clicked.connect(self.verify_file)
        self.chain_combo = QComboBox()
        self.chain_combo.setMinimumWidth(240)
        self.broadcast_button = QPushButton("Broadcast")
        self.broadcast_button.setToolTip(
            "Send the signed transaction to the chosen chain; the signed file is kept if the outcome is unknown"
        )
        self.broadcast_button.clicked.connect(self.broadcast)
        self.offline_note = QLabel(OFFLINE_NOTE)
        self.offline_note.setWordWrap(True)
        self.offline_note.setStyleSheet("color: #7d6608; font-weight: bold;")
        self.offline_note.setVisible(offline)
        online_box = QGroupBox("Verify and broadcast (online machine)")
        online = QVBoxLayout(online_box)
        verify_row = QHBoxLayout()
        verify_row.addWidget(QLabel("Exported request"))
        verify_row.addWidget(self.request_edit, 1)
        verify_row.addWidget(request_browse)
        verify_row.addWidget(self.verify_button)
        broadcast_row = QHBoxLayout()
        broadcast_row.addWidget(QLabel("Chain"))
        broadcast_row.addWidget(self.chain_combo, 1)
        broadcast_row.addWidget(self.broadcast_button)
        online.addLayout(verify_row)
        online.addLayout(broadcast_row)
        online.addWidget(self.offline_note)
        return online_box
