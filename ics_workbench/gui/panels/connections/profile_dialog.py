"""Add or edit a connection profile, with each validation message shown under the field it concerns.

The rules live in the core model (:class:`~ics_workbench.chain.profiles.ConnectionProfile`); this dialog only
maps pydantic's error locations back to its widgets, so the CLI and the GUI reject exactly the same input.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.chain.profiles import ConnectionProfile

ARCHIVE_MARK = "archive"
ERROR_STYLE = "color: #c0392b;"


def endpoints_to_text(endpoints: list[Any]) -> str:
    return "\n".join(f"{e.url} {ARCHIVE_MARK}" if e.archive else e.url for e in endpoints)


def text_to_endpoints(text: str) -> list[dict[str, Any]]:
    """One URL per line; a trailing word ``archive`` marks a node that keeps old state."""
    result = []
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        archive = len(words) > 1 and words[-1].lower() == ARCHIVE_MARK
        url = " ".join(words[:-1] if archive else words)
        result.append({"url": url, "archive": archive})
    return result


class ProfileDialog(QDialog):
    """Returns a validated :class:`ConnectionProfile` from :attr:`profile` after ``accept``."""

    FIELDS = ("name", "chain_id", "role", "rpc", "rest", "account_prefix", "fee_denom", "gas_prices",
              "provider_profile", "consumer_id")

    def __init__(
        self,
        *,
        existing_names: set[str],
        provider_names: list[str],
        profile: ConnectionProfile | None = None,
        editing: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``profile`` pre-fills the form (editing it, or confirming an imported chain.json)."""
        super().__init__(parent)
        self.setWindowTitle("Edit connection profile" if editing else "Add connection profile")
        self.setMinimumWidth(560)
        self.profile: ConnectionProfile | None = None
        self._original = profile
        self._existing = existing_names - ({profile.name} if profile is not None and editing else set())

        widgets = self._build_fields(provider_names)
        form = self._build_form(widgets, with_catalogue=profile is None)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.setVisible(False)
        hint = QLabel(
            "One URL per line, in failover order; add the word 'archive' after a URL that serves old heights."
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

        self.role_combo.currentTextChanged.connect(self._role_changed)
        if profile is not None:
            self._fill(profile)
        self._role_changed(self.role_combo.currentText())

    def _build_fields(self, provider_names: list[str]) -> dict[str, QWidget]:
        """One editor per profile field, keyed by the field's name."""
        self.name_edit = QLineEdit()
        self.chain_id_edit = QLineEdit()
        self.role_combo = QComboBox()
        self.role_combo.addItems(["provider", "consumer"])
        self.rpc_edit = QPlainTextEdit()
        self.rest_edit = QPlainTextEdit()
        for edit in (self.rpc_edit, self.rest_edit):
            edit.setPlaceholderText("https://rpc.example.org\nhttps://archive.example.org archive")
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
            edit.setTabChangesFocus(True)
        self.rest_edit.setPlaceholderText("https://rest.example.org")
        self.prefix_edit = QLineEdit("cosmos")
        self.fee_denom_edit = QLineEdit()
        self.fee_denom_edit.setPlaceholderText("from the chain (its minimum gas price or staking denom)")
        self.fee_denom_edit.setToolTip("Leave empty to use what the node reports; a change applies at once")
        self.gas_edit = QLineEdit()
        self.gas_edit.setPlaceholderText("the node's minimum gas price")
        self.provider_combo = QComboBox()
        self.provider_combo.addItem("(none)", None)
        for name in provider_names:
            self.provider_combo.addItem(name, name)
        self.consumer_id_edit = QLineEdit()
        self.consumer_id_edit.setPlaceholderText("provider's consumer id, e.g. 0 (optional)")

        widgets: dict[str, QWidget] = {
            "name": self.name_edit,
            "chain_id": self.chain_id_edit,
            "role": self.role_combo,
            "rpc": self.rpc_edit,
            "rest": self.rest_edit,
            "account_prefix": self.prefix_edit,
            "fee_denom": self.fee_denom_edit,
            "gas_prices": self.gas_edit,
            "provider_profile": self.provider_combo,
            "consumer_id": self.consumer_id_edit,
        }
        return widgets

    def _build_form(self, widgets: dict[str, QWidget], *, with_catalogue: bool) -> QFormLayout:
        """The catalogue picker (new profiles only), then each field with its own error line below it."""
        labels = {
            "name": "Name",
            "chain_id": "Chain ID",
            "role": "Role",
            "rpc": "RPC endpoints",
            "rest": "REST endpoints",
            "account_prefix": "Bech32 prefix",
            "fee_denom": "Fee denom",
            "gas_prices": "Gas price",
            "provider_profile": "Provider profile",
            "consumer_id": "Consumer ID",
        }
        self.error_labels: dict[str, QLabel] = {}
        form = QFormLayout()
        self.catalogue_combo = self._catalogue_picker() if with_catalogue else None
        if self.catalogue_combo is not None:
            form.addRow("Choose a chain", self.catalogue_combo)
        for key in self.FIELDS:
            container = QWidget()
            column = QVBoxLayout(container)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(widgets[key])
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.setVisible(False)
            column.addWidget(error)
            self.error_labels[key] = error
            form.addRow(labels[key], container)
        return form

    def _catalogue_picker(self) -> QComboBox:
        """The shipped chain catalogue (ICS chains first); picking one fills the form, which stays editable.
        Type to search: the list holds every Cosmos SDK chain of the chain registry."""
        from PySide6.QtCore import Qt

        from ics_workbench.chain import catalogue

        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItem("(enter the details by hand)", None)
        entries = catalogue.entries()
        ics_count = sum(1 for e in entries if e.ics)
        for index, entry in enumerate(entries):
            if index == ics_count:
                combo.insertSeparator(combo.count())
            combo.addItem(entry.label(), entry.name)
        completer = combo.completer()
        if completer is not None:  # an editable combo always has one
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        combo.setToolTip(f"From {catalogue.source()}, shipped with the app (nothing is downloaded)")
        combo.activated.connect(lambda index: self.choose_chain(combo.itemData(index)))
        return combo

    def choose_chain(self, name: str | None) -> None:
        """Fill every field from the catalogue entry `name` (the user can then change any of them)."""
        if not name:
            return
        from ics_workbench.chain import catalogue

        fields = catalogue.profile_fields(catalogue.find(name))
        if fields["name"] in self._existing:
            fields["name"] = f"{fields['name']} ({fields['chain_id']})"
        chosen = ConnectionProfile.model_validate(fields)
        self._fill(chosen)
        # the form has one prefix field; a chain with its own validator prefixes keeps them while it is unchanged
        self._catalogue_prefixes = (chosen.account_prefix, chosen.valoper_prefix, chosen.valcons_prefix)
        if self.catalogue_combo is not None:
            self.catalogue_combo.setCurrentIndex(self.catalogue_combo.findData(name))

    def _fill(self, profile: ConnectionProfile) -> None:
        self.name_edit.setText(profile.name)
        self.chain_id_edit.setText(profile.chain_id)
        self.role_combo.setCurrentText(profile.role)
        self.rpc_edit.setPlainText(endpoints_to_text(profile.rpc))
        self.rest_edit.setPlainText(endpoints_to_text(profile.rest))
        self.prefix_edit.setText(profile.account_prefix)
        self.fee_denom_edit.setText(profile.fee_denom or "")
        self.gas_edit.setText("" if profile.gas_prices is None else str(profile.gas_prices))
        if profile.provider_profile:
            index = self.provider_combo.findData(profile.provider_profile)
            if index < 0:
                self.provider_combo.addItem(profile.provider_profile, profile.provider_profile)
                index = self.provider_combo.count() - 1
            self.provider_combo.setCurrentIndex(index)
        self.consumer_id_edit.setText(profile.consumer_id or "")

    def _role_changed(self, role: str) -> None:
        consumer = role == "consumer"
        self.provider_combo.setEnabled(consumer)
        self.consumer_id_edit.setEnabled(consumer)

    def form_data(self) -> dict[str, Any]:
        consumer = self.role_combo.currentText() == "consumer"
        data: dict[str, Any] = {
            "name": self.name_edit.text().strip(),
            "chain_id": self.chain_id_edit.text().strip(),
            "role": self.role_combo.currentText(),
            "rpc": text_to_endpoints(self.rpc_edit.toPlainText()),
            "rest": text_to_endpoints(self.rest_edit.toPlainText()),
            "account_prefix": self.prefix_edit.text().strip(),
            "fee_denom": self.fee_denom_edit.text().strip() or None,
            "gas_prices": self.gas_edit.text().strip() or None,
            "provider_profile": self.provider_combo.currentData() if consumer else None,
            "consumer_id": (self.consumer_id_edit.text().strip() or None) if consumer else None,
        }
        if self._original is not None and self._original.chain_id == data["chain_id"]:
            data["capabilities"] = self._original.capabilities
        prefixes = getattr(self, "_catalogue_prefixes", None)
        if prefixes is not None and prefixes[0] == data["account_prefix"]:
            data["valoper_prefix"], data["valcons_prefix"] = prefixes[1], prefixes[2]
        return data

    def _local_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """Checks the model cannot make: uniqueness among saved profiles, a readable gas price."""
        errors = {}
        if data["name"] in self._existing:
            errors["name"] = f"a profile named {data['name']!r} already exists"
        try:
            if data["gas_prices"] is not None:
                Decimal(data["gas_prices"])
        except InvalidOperation:
            errors["gas_prices"] = f"must be a number like 0.005 (got {data['gas_prices']!r})"
        if not data["rest"]:
            errors["rest"] = "at least one REST endpoint is needed (node info, staking, provider queries)"
        return errors

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.error_labels.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        other = [message for key, message in errors.items() if key not in self.error_labels]
        self.general_error.setText("\n".join(other))
        self.general_error.setVisible(bool(other))

    def try_accept(self) -> None:
        data = self.form_data()
        errors = self._local_errors(data)
        profile = None
        try:
            profile = ConnectionProfile.model_validate(data)
        except ValidationError as error:
            for item in error.errors():
                loc = item["loc"]
                key = str(loc[0]) if loc else ""
                message = item["msg"].removeprefix("Value error, ")
                if key in ("rpc", "rest") and len(loc) > 1 and isinstance(loc[1], int):
                    message = f"line {loc[1] + 1}: {message}"
                elif key in ("rpc", "rest") and item["type"] == "too_short":
                    message = "at least one endpoint is needed"
                if key not in self.error_labels:
                    key = key or "profile"
                    message = f"{key}: {message}" if key != "profile" else message
                errors.setdefault(key, message)
        self.show_errors(errors)
        if errors or profile is None:
            return
        self.profile = profile
        self.accept()
