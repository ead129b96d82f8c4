"""A form generated from a pydantic message model, so every kind gets the same editing and error display.

Each field shows the text spelling of the gov proposal JSON (durations ``1728000s``, times RFC3339, bytes
base64, lists one entry per line), and an error label right under it that the panel fills from the
validator's problems, matched by the problem's field path.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.proposals.codec import (
    ProposalFormatError,
    encode_value,
    submodel,
    wire_kind,
    parse_bytes,
    parse_proto_duration,
    parse_timestamp,
)

ERROR_STYLE = "color: #b00020;"
_ZEROED_KINDS = ("duration", "int64", "uint64", "uint32", "dec")  # left out = zero, not "unchanged"
WARNING_STYLE = "color: #8a5a00;"


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list


class _Field:
    """One editable value: its widget, how to read/write it, and its error label."""

    def __init__(self, path: str, widget: QWidget, label: QLabel, kind: str, annotation: Any) -> None:
        self.path = path
        self.widget = widget
        self.error = label
        self.kind = kind
        self.annotation = annotation


class ModelForm(QWidget):
    sig_changed = Signal()

    def __init__(self, cls: type[BaseModel], prefix: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cls = cls
        self.prefix = prefix
        self._fields: dict[str, _Field] = {}
        self._groups: dict[str, tuple[QGroupBox, ModelForm, bool]] = {}
        self._hidden: set[str] = set()
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for name, info in cls.model_fields.items():
            annotation = info.annotation
            path = f"{prefix}.{name}" if prefix else name
            sub = submodel(annotation)
            if sub is not None and not _is_list(annotation):
                optional = type(None) in typing.get_args(annotation)
                box = QGroupBox(name.replace("_", " "))
                box.setCheckable(optional)
                inner = ModelForm(sub, path)
                inner.sig_changed.connect(self.sig_changed)
                box_layout = QVBoxLayout(box)
                box_layout.addWidget(inner)
                if optional:
                    box.toggled.connect(lambda on, w=inner: (w.setVisible(on), self.sig_changed.emit()))
                layout.addRow(box)
                self._groups[name] = (box, inner, optional)
                continue
            label = QLabel()
            label.setObjectName(f"error:{path}")
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            label.hide()  # no word wrap: wrapped labels report no height to the scroll area; the panel wraps text
            kind = wire_kind(cls, name) or ""
            widget: QWidget
            if annotation is bool:
                widget = QCheckBox()
                widget.toggled.connect(self.sig_changed)
            elif _is_list(annotation) or (annotation is not str and not kind):
                widget = QPlainTextEdit()
                widget.setFixedHeight(70)
                widget.textChanged.connect(self.sig_changed)
            else:
                widget = QLineEdit()
                widget.textChanged.connect(self.sig_changed)
            widget.setObjectName(f"field:{path}")
            holder = QWidget()
            v = QVBoxLayout(holder)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(1)
            v.addWidget(widget)
            v.addWidget(label)
            layout.addRow(name.replace("_", " "), holder)
            self._fields[name] = _Field(path, widget, label, kind, annotation)

    # --- values -----------------------------------------------------------------------------------------
    def set_value(self, model: BaseModel | None) -> None:
        """Fill the widgets; a field the author left out stays empty with a placeholder saying what the chain
        does with it, and reads back as "left out" so the update diff can still call it a reset."""
        for name, field in self._fields.items():
            value = getattr(model, name) if model is not None else None
            w = field.widget
            w.blockSignals(True)
            omitted = (
                model is not None
                and name not in model.model_fields_set
                and isinstance(w, QLineEdit)
                and field.kind in _ZEROED_KINDS
            )
            if isinstance(w, QLineEdit):
                w.setPlaceholderText("not in the proposal: the provider sets it to zero" if omitted else "")
            if omitted:
                w.setText("")
                w.blockSignals(False)
                continue
            if isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QPlainTextEdit):
                if _is_list(field.annotation) and (not value or isinstance(value[0], str)):
                    w.setPlainText("\n".join(value or []))
                else:
                    shown = [v.model_dump(mode="json") for v in value] if isinstance(value, list) else value
                    w.setPlainText("" if shown in (None, {}) else json.dumps(shown, indent=2))
            else:
                text = "" if value is None else encode_value(value, field.kind, "proto", None)
                w.setText("" if field.kind == "timestamp" and value is None else str(text))
            w.blockSignals(False)
        for name, (box, inner, optional) in self._groups.items():
            sub = getattr(model, name) if model is not None else None
            box.blockSignals(True)
            if optional:
                box.setChecked(sub is not None)
                inner.setVisible(sub is not None)
            box.blockSignals(False)
            inner.set_value(sub)

    def read(self, errors: dict[str, str]) -> BaseModel | None:
        """The model, or None with ``errors[path]`` set for each field whose text does not parse."""
        values: dict[str, Any] = {}
        before = len(errors)
        for name, field in self._fields.items():
            w = field.widget
            if isinstance(w, QLineEdit) and w.placeholderText() and not w.text().strip():
                continue  # still left out
            try:
                values[name] = self._read_field(field)
            except (ProposalFormatError, ValueError) as exc:
                errors[field.path] = str(exc).split(": ", 1)[-1]
        for name, (box, inner, optional) in self._groups.items():
            if optional and not box.isChecked():
                values[name] = None
                continue
            sub = inner.read(errors)
            if sub is not None:
                values[name] = sub
        if len(errors) > before:
            return None
        try:
            return self.cls.model_validate(values)
        except Exception as exc:
            errors[self.prefix or "(message)"] = str(exc)
            return None

    def _read_field(self, field: _Field) -> Any:
        w = field.widget
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QPlainTextEdit):
            text = w.toPlainText()
            if _is_list(field.annotation):
                (item,) = typing.get_args(field.annotation)
                if item is str:
                    return [line.strip() for line in text.splitlines() if line.strip()]
                return json.loads(text) if text.strip() else []
            if not text.strip():
                return None
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValueError(f"not valid JSON: {exc.msg} (line {exc.lineno})") from None
        text = w.text().strip()
        if field.kind == "duration":
            return parse_proto_duration(text, field.path)
        if field.kind == "timestamp":
            return parse_timestamp(text, field.path) if text else None
        if field.kind == "bytes":
            return parse_bytes(text, field.path)
        if field.kind in ("int64", "uint64", "uint32"):
            if not text.lstrip("-").isdigit():
                raise ValueError(f"not an integer: {text!r}")
            return int(text)
        return w.text()

    # --- errors -----------------------------------------------------------------------------------------
    def error_labels(self) -> dict[str, QLabel]:
        out = {f.path: f.error for f in self._fields.values()}
        for _box, inner, _optional in self._groups.values():
            out.update(inner.error_labels())
        return out

    def field_widgets(self) -> dict[str, QWidget]:
        out = {f.path: f.widget for f in self._fields.values()}
        for _box, inner, _optional in self._groups.values():
            out.update(inner.field_widgets())
        return out

    def group_paths(self) -> set[str]:
        out = {inner.prefix for _box, inner, _optional in self._groups.values()}
        for _box, inner, _optional in self._groups.values():
            out |= inner.group_paths()
        return out
