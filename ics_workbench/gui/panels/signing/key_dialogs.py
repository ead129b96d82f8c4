"""Dialogs for adding keys: the mnemonic shown once, recovery with errors at the field, watch-only accounts.

The mnemonic dialog never puts the words on the clipboard unless the user presses "Copy", and the phrase
lives only in its label for as long as the dialog is open: nothing here logs or stores it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.addresses import decode_address, validate_prefix
from ics_workbench.errors import WorkbenchError
from ics_workbench.signing.hdpath import DEFAULT_HD_PATH, parse_hd_path
from ics_workbench.signing.keys import normalize_mnemonic
from ics_workbench.signing.keystore import DEFAULT_PREFIX, validate_key_name
from ics_workbench.untrusted_text import visible_block

ERROR_STYLE = "color: #c0392b;"
CLIPBOARD_CLEAR_MS = 30_000
"""A copied recovery phrase (or other secret) is wiped from the clipboard after this long, if still there."""
DIALOG_MIN_WIDTH = 560


def copy_secret(text: str, clear_after_ms: int = CLIPBOARD_CLEAR_MS) -> None:
    """Put a secret on the clipboard and clear it later, unless the user copied something else meanwhile."""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)

    def clear() -> None:
        if clipboard.text() == text:
            clipboard.clear()

    QTimer.singleShot(clear_after_ms, clipboard, clear)


def looks_like_words(text: str) -> bool:
    """Three or more words in a one-word field: probably a recovery phrase typed into the wrong box."""
    return len(text.split()) >= 3


def error_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # errors quote file and chain text: never rich text
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def set_error(label: QLabel, message: str) -> None:
    label.setText(visible_block(message, indent=""))
    label.setVisible(bool(message))


class MnemonicDialog(QDialog):
    """Shows a freshly created key's 24 words once; closing needs the "I wrote it down" confirmation."""

    def __init__(self, name: str, address: str, phrase: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Recovery phrase of {name}")
        self.setModal(True)
        words = phrase.split()
        intro = QLabel(
            f"<b>Write these {len(words)} words down, in order, and keep them offline.</b><br>"
            f"They are shown only this once and are the only way to recover <b>{name}</b> ({address}) "
            "if the keyring is lost. Anyone who has them controls the account."
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.word_labels: list[QLabel] = []
        rows = (len(words) + 3) // 4
        for index, word in enumerate(words):
            label = QLabel(f"{index + 1:>2}. {word}")
            label.setFont(mono)
            self.word_labels.append(label)
            grid.addWidget(label, index % rows, index // rows)
        self.copy_button = QPushButton("Copy mnemonic")
        self.copy_button.setToolTip(f"Only if you must: the clipboard is cleared after {CLIPBOARD_CLEAR_MS // 1000} s, "
                                    "but clipboard managers may keep a history")
        self.copy_button.clicked.connect(lambda: copy_secret(phrase))
        self.copy_button.setAutoDefault(False)
        self.confirm_box = QCheckBox("I wrote the words down and keep them somewhere safe")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.ok_button.setAutoDefault(False)
        self.ok_button.setDefault(False)
        self.confirm_box.toggled.connect(self.ok_button.setEnabled)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.copy_button)
        layout.addWidget(self.confirm_box)
        layout.addWidget(self.buttons)

    def words(self) -> list[str]:
        return [label.text().split(". ", 1)[1] for label in self.word_labels]

    def reject(self) -> None:  # Escape / window close: the words must be acknowledged first
        if self.confirm_box.isChecked():
            super().reject()


class _FormDialog(QDialog):
    """A form whose fields each carry their own error line, checked with the core's validators."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.errors: dict[str, QLabel] = {}
        self.general_error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.submit)
        # Focus starts in the first field, and Enter in a field does not press OK: a half-typed form must never
        # be submitted by a stray Return (and a phrase must not land in whatever field OK's focus left behind).
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        self.fields: list[QWidget] = []
        self.setMinimumWidth(DIALOG_MIN_WIDTH)
        self.on_submit: Callable[[Any], None] | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def add_field(self, key: str, label: str, widget: QWidget) -> None:
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, widget.sizePolicy().verticalPolicy())
        widget.setMinimumWidth(320)
        previous = self.fields[-1] if self.fields else None
        self.fields.append(widget)
        container = QWidget()
        inner = QVBoxLayout(container)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(widget)
        self.errors[key] = error_label()
        inner.addWidget(self.errors[key])
        self.form.addRow(label, container)
        if previous is not None:
            QWidget.setTabOrder(previous, widget)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # QDialogButtonBox makes its OK the default button when it is shown; take that back.
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setDefault(False)
                button.setAutoDefault(False)
        if self.fields:
            self.fields[0].setFocus()

    def field_error(self, key: str) -> str:
        label = self.errors[key]
        return "" if label.isHidden() else label.text()

    def check(self, key: str, validate: Callable[[], object], text: str | None = None) -> bool:
        """Run a core validator on one field; ``text`` (the field's content) lets the message leave out what
        looks like recovery words instead of printing them back on the screen."""
        try:
            validate()
        except WorkbenchError as exc:
            message = str(exc)
            if text is not None and looks_like_words(text):
                message = ("this field holds several words — a recovery phrase? They are not shown here; "
                           "clear the field and put the phrase in the Mnemonic box")
            set_error(self.errors[key], message)
            return False
        set_error(self.errors[key], "")
        return True

    def validate(self) -> bool:
        raise NotImplementedError

    def submit(self) -> None:
        set_error(self.general_error, "")
        if self.validate() and self.on_submit is not None:
            self.buttons.setEnabled(False)
            self.on_submit(self)

    def failed(self, message: str) -> None:
        """The core refused after the fields passed (name taken, keyring unavailable): keep the dialog open."""
        self.buttons.setEnabled(True)
        set_error(self.general_error, message)


class NewKeyDialog(_FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Create key", parent)
        self.name_edit = QLineEdit()
        self.path_edit = QLineEdit(DEFAULT_HD_PATH)
        self.prefix_edit = QLineEdit(DEFAULT_PREFIX)
        self._add_fields()

    def _add_fields(self) -> None:
        self.add_field("name", "Name", self.name_edit)
        self.add_field("hd_path", "HD path", self.path_edit)
        self.add_field("prefix", "Address prefix", self.prefix_edit)

    def validate(self) -> bool:
        name, path, prefix = self.name_edit.text(), self.path_edit.text(), self.prefix_edit.text()
        results = [
            self.check("name", lambda: validate_key_name(name.strip()), name),
            self.check("hd_path", lambda: parse_hd_path(path), path),
            self.check("prefix", lambda: validate_prefix(prefix.strip()), prefix),
        ]
        return all(results)


class RecoverKeyDialog(NewKeyDialog):
    """Name, then the phrase and its passphrase, then the rarely changed HD path and prefix."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.mnemonic_edit = QPlainTextEdit()
        self.mnemonic_edit.setPlaceholderText("12 to 24 words separated by spaces")
        self.mnemonic_edit.setFixedHeight(80)
        self.mnemonic_edit.setTabChangesFocus(True)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setPlaceholderText("optional BIP39 passphrase (the \"25th word\")")
        super().__init__(parent)
        self.setWindowTitle("Recover key from mnemonic")

    def _add_fields(self) -> None:
        self.add_field("name", "Name", self.name_edit)
        self.add_field("mnemonic", "Mnemonic", self.mnemonic_edit)
        self.add_field("passphrase", "Passphrase", self.passphrase_edit)
        self.add_field("hd_path", "HD path", self.path_edit)
        self.add_field("prefix", "Address prefix", self.prefix_edit)

    def validate(self) -> bool:
        fields_ok = super().validate()
        mnemonic_ok = self.check("mnemonic", lambda: normalize_mnemonic(self.mnemonic_edit.toPlainText()))
        return fields_ok and mnemonic_ok

    def clear_secrets(self) -> None:
        self.mnemonic_edit.clear()
        self.passphrase_edit.clear()


class WatchKeyDialog(_FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add watch-only account", parent)
        self.name_edit = QLineEdit()
        self.address_edit = QLineEdit()
        self.address_edit.setPlaceholderText("cosmos1…")
        self.pubkey_edit = QLineEdit()
        self.pubkey_edit.setPlaceholderText("optional base64 secp256k1 public key")
        self.pubkey_edit.setToolTip("Needed to build a request for an account that never signed a transaction; "
                                    "copy it from the key's details on the signing machine")
        self.add_field("name", "Name", self.name_edit)
        self.add_field("address", "Address", self.address_edit)
        self.add_field("pubkey", "Public key", self.pubkey_edit)

    def validate(self) -> bool:
        name, address = self.name_edit.text(), self.address_edit.text()
        results = [
            self.check("name", lambda: validate_key_name(name.strip()), name),
            self.check("address", lambda: decode_address(address.strip()), address),
        ]
        return all(results)
