"""A form generated from a pydantic message model, so every kind gets the same editing and error display.

Each field shows the text spelling of the gov proposal JSON (durations ``1728000s``, times RFC3339, bytes
base64, lists one entry per line). The panel marks a field with a problem (border and tooltip, matched by the
problem's field path) instead of inserting text, so the form never moves under the cursor.
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
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ics_workbench.proposals.codec import (
    INT_KINDS,
    ProposalFormatError,
    encode_value,
    parse_bytes,
    parse_proto_duration,
    parse_timestamp,
    submodel,
    wire_kind,
    zero_value,
)

ERROR_STYLE = "color: #b00020;"
_ZEROED_KINDS = ("duration", *INT_KINDS, "dec")  # left out = zero, not "unchanged"
WARNING_STYLE = "color: #8a5a00;"


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list


class _Field:
    """One editable value: its widget and how to read/write it."""

    def __init__(self, path: str, widget: QWidget, kind: str, annotation: Any) -> None:
        self.path = path
        self.widget = widget
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
        self._omitted: set[str] = set()  # left out of the file: read back as left out until edited
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
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
            kind = wire_kind(cls, name) or ""
            widget: QWidget
            edited = lambda *_a, n=name: self._omitted.discard(n)  # noqa: E731 - the user wrote it now
            if annotation is bool:
                widget = QCheckBox()
                widget.toggled.connect(edited)
                widget.toggled.connect(self.sig_changed)
            elif _is_list(annotation) or (annotation is not str and not kind):
                widget = QPlainTextEdit()
                widget.setFixedHeight(70)
                widget.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
                widget.textChanged.connect(edited)
                widget.textChanged.connect(self.sig_changed)
            else:
                widget = QLineEdit()
                widget.setMinimumWidth(80)
                widget.textChanged.connect(edited)
                widget.textChanged.connect(self.sig_changed)
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, widget.sizePolicy().verticalPolicy())
            widget.setObjectName(f"field:{path}")
            layout.addRow(name.replace("_", " "), widget)
            self._fields[name] = _Field(path, widget, kind, annotation)

    # --- values -----------------------------------------------------------------------------------------
    def set_value(self, model: BaseModel | None) -> None:
        """Fill the widgets; a field the author left out stays empty with a placeholder saying what the chain
        does with it, and reads back as "left out" so the update diff can still call it a reset."""
        self._omitted = set()
        for name, field in self._fields.items():
            value = getattr(model, name) if model is not None else None
            w = field.widget
            w.blockSignals(True)
            if model is not None and name not in model.model_fields_set:
                self._omitted.add(name)
            omitted = name in self._omitted and isinstance(w, QLineEdit) and field.kind in _ZEROED_KINDS
            if isinstance(w, QLineEdit):
                w.setPlaceholderText("not in the proposal: the provider sets it to zero" if omitted else "")
            if omitted and isinstance(w, QLineEdit):
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
            elif isinstance(w, QLineEdit):
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
        """The model with ``errors[path]`` set for each field whose text does not parse; such a field is left out
        (the model's default) so every other field is still checked. None only when the model cannot be built."""
        values: dict[str, Any] = {}
        left_out: set[str] = set()
        for name, field in self._fields.items():
            w = field.widget
            if name in self._omitted or (isinstance(w, QLineEdit) and w.placeholderText() and not w.text().strip()):
                values[name] = zero_value(self.cls, name)  # still left out: the chain gets Go's zero value
                left_out.add(name)
                continue
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
        try:
            model = self.cls.model_validate(values)
        except Exception as exc:  # pydantic reports the field; show it on the form
            errors[self.prefix or "(message)"] = str(exc)
            return None
        model.__pydantic_fields_set__ -= left_out
        return model

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
        if not isinstance(w, QLineEdit):
            raise TypeError(f"unexpected widget for {field.path}")
        text = w.text().strip()
        if field.kind == "duration":
            return parse_proto_duration(text, field.path)
        if field.kind == "timestamp":
            return parse_timestamp(text, field.path) if text else None
        if field.kind == "bytes":
            return parse_bytes(text, field.path)
        if field.kind in INT_KINDS:
            body = text[1:] if text.startswith("-") else text
            if not body or not all("0" <= c <= "9" for c in body):
                raise ValueError(f"not an integer: {text!r}")
            return int(text)
        return w.text()

    # --- errors -----------------------------------------------------------------------------------------
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
