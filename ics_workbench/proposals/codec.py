"""Translate the neutral models to and from the two JSON dialects the chain tools read.

``proto``: protobuf JSON as gaiad's ``tx gov submit-proposal`` decodes it (gogoproto jsonpb through
``UnmarshalInterfaceJSON``): durations ``"1728000s"``, timestamps RFC3339, bytes base64, 64-bit integers as
strings, field names as in the .proto (lowerCamelCase also accepted on input), unknown fields rejected.

``go``: Go ``encoding/json`` of the gogoproto struct, as ``tx provider create-consumer|update-consumer`` and
the v4/v5 ``submit-legacy-proposal`` read files: durations integer nanoseconds, 64-bit integers as numbers,
keys matched case-insensitively, unknown keys silently ignored (so we warn about them).
"""

from __future__ import annotations

import base64
import binascii
import re
import typing
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from ics_workbench.errors import WorkbenchError
from ics_workbench.foundation.times import (
    ZERO_TIME,
    format_duration as format_proto_duration,
    format_rfc3339,
    parse_duration,
    parse_rfc3339,
)
from ics_workbench.proposals.fields import field_available
from ics_workbench.proposals.gosem import MAX_INT64, MAX_UINT32, MAX_UINT64, MIN_INT64
from ics_workbench.proposals.model_base import Wire
from ics_workbench.proposals.problems import Problem, Severity
from ics_workbench.proposals.versions import ProviderVersion

Style = Literal["proto", "go"]
M = TypeVar("M", bound=BaseModel)

# The shape both file dialects accept (Go's time.Time.UnmarshalJSON and jsonpb's time.Parse(RFC3339Nano)):
# upper-case T and Z, ASCII digits, nothing around it; foundation.times then reads the value.
_STRICT_TS = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
_STRICT_DURATION = re.compile(r"-?[0-9]+(?:\.[0-9]{1,9})?s")
_INT_RANGES = {
    "int64": (MIN_INT64, MAX_INT64), "uint64": (0, MAX_UINT64), "int32": (-(1 << 31), (1 << 31) - 1),
    "uint32": (0, MAX_UINT32), "duration": (MIN_INT64, MAX_INT64),
}
INT_KINDS = ("int64", "uint64", "int32", "uint32")  # integer wire kinds (range-checked like Go)


class ProposalFormatError(WorkbenchError):
    """The JSON does not have the shape of the message (wrong type, bad duration...): it cannot be parsed."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path or '(top level)'}: {message}")


# --- scalar spellings --------------------------------------------------------------------------------------


def format_timestamp(value: datetime | None) -> str:
    """Go's RFC 3339 spelling; None is Go's zero time ("not set")."""
    return ZERO_TIME if value is None else format_rfc3339(value)


def parse_timestamp(text: Any, path: str) -> datetime | None:
    if not isinstance(text, str):
        raise ProposalFormatError(path, f"expected an RFC3339 time string, got {text!r}")
    if not _STRICT_TS.fullmatch(text):
        raise ProposalFormatError(
            path, f"not an RFC3339 time (e.g. 2025-01-31T12:00:00Z, upper-case T and Z): {text!r}"
        )
    try:
        stamp = parse_rfc3339(text)
    except ValueError:
        raise ProposalFormatError(path, f"not an RFC3339 time (e.g. 2025-01-31T12:00:00Z): {text!r}") from None
    if text.startswith(ZERO_TIME[:-1]):
        return None  # Go's zero time: "not set"
    return stamp.to_datetime()


def parse_proto_duration(value: Any, path: str) -> int:
    if not isinstance(value, str):
        raise ProposalFormatError(
            path,
            f"gov proposal JSON needs a duration string like \"1728000s\", got {value!r}"
            + (" (integer nanoseconds is the provider CLI format)" if isinstance(value, int) else ""),
        )
    if not _STRICT_DURATION.fullmatch(value):
        raise ProposalFormatError(path, f"not a protobuf duration (e.g. \"1728000s\"): {value!r}")
    ns = parse_duration(value)
    if not MIN_INT64 <= ns <= MAX_INT64:
        raise ProposalFormatError(
            path, f"duration {value!r} is beyond the int64 nanoseconds a duration holds (about 292 years)"
        )
    return ns


def parse_go_duration(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        hint = " (\"…s\" strings are the gov proposal format)" if isinstance(value, str) else ""
        raise ProposalFormatError(
            path, f"the provider CLI reads durations as integer nanoseconds, got {value!r}{hint}"
        )
    return _in_range(int(value), "duration", path)


def _in_range(value: int, kind: str, path: str) -> int:
    low, high = _INT_RANGES[kind]
    if not low <= value <= high:
        what = "int64 nanoseconds (about 292 years)" if kind == "duration" else kind
        if value < 0 and low == 0:
            raise ProposalFormatError(path, f"{kind} cannot be negative: {value}")
        raise ProposalFormatError(path, f"{value} does not fit in {what}: Go's decoder refuses the file")
    return value


def parse_int(value: Any, path: str, *, style: Style, kind: str) -> int:
    """Go ``encoding/json`` (``go``): a JSON integer literal only (``1.0``, ``1e3`` and strings are refused);
    protobuf JSON (``proto``): an integer number or a decimal string. Both refuse values beyond the Go type."""
    if isinstance(value, bool):
        raise ProposalFormatError(path, f"expected an integer, got {value!r}")
    if isinstance(value, int):
        return _in_range(value, kind, path)
    if isinstance(value, float):
        if style == "go" or not value.is_integer():
            raise ProposalFormatError(path, f"the provider CLI reads {kind} as a JSON integer, got {value!r}")
        return _in_range(int(value), kind, path)
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value):
        if style == "go":
            raise ProposalFormatError(path, f"the provider CLI reads {kind} as a JSON number, got the string {value!r}")
        return _in_range(int(value), kind, path)
    raise ProposalFormatError(path, f"expected an integer, got {value!r}")


def parse_bytes(value: Any, path: str) -> bytes:
    if value is None:
        return b""
    if not isinstance(value, str):
        raise ProposalFormatError(path, f"expected base64 text, got {value!r}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ProposalFormatError(path, f"not valid base64: {value!r}") from None


# --- generic walk over the models --------------------------------------------------------------------------


def wire_kind(model_cls: type[BaseModel], name: str) -> str | None:
    for meta in model_cls.model_fields[name].metadata:
        if isinstance(meta, Wire):
            return meta.kind
    return None


def submodel(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list


def encode(
    model: BaseModel, style: Style, *, skip: tuple[str, ...] = (), version: ProviderVersion | None = None
) -> dict[str, Any]:
    """Encode every field the provider version knows (zero values included: explicit beats implicit)."""
    cls = type(model)
    out: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        if name in skip:
            continue
        value = getattr(model, name)
        if not field_available(cls.__name__, name, version):
            if value not in (None, "", 0, False, [], {}):
                # Never drop a set field silently (e.g. top_N for a guessed v4.0.0: the chain would then create
                # an opt-in chain that never launches): refuse, naming the field and the version.
                shown = version.display() if version is not None else "this version"
                raise ProposalFormatError(
                    name,
                    f"{cls.__name__}.{name} is set but ICS {shown} has no such field, so it would be dropped; "
                    "clear it, or give the provider's exact version (--provider-version)",
                )
            continue
        if value is None and submodel(info.annotation) is not None:
            continue  # optional sub-message not given
        out[name] = encode_value(value, wire_kind(cls, name), style, version)
    return out


def encode_value(value: Any, kind: str | None, style: Style, version: ProviderVersion | None) -> Any:
    if isinstance(value, BaseModel):
        return encode(value, style, version=version)
    if isinstance(value, list):
        return [encode_value(v, kind, style, version) for v in value]
    if kind == "duration":
        return format_proto_duration(value) if style == "proto" else value
    if kind == "timestamp":
        return format_timestamp(value)
    if kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    if kind in ("int64", "uint64"):
        return str(value) if style == "proto" else value
    if kind == "dec":
        return _canonical_dec(value) if style == "go" else value
    return value


def _canonical_dec(value: str) -> str:
    """LegacyDec.MarshalJSON writes 18 decimals; LegacyDec.UnmarshalJSON accepts the short form too."""
    try:
        return f"{Decimal(value):.18f}"
    except Exception:
        return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def decode(cls: type[M], data: Any, style: Style, path: str = "", notes: list[Problem] | None = None) -> M:
    """Build ``cls`` from JSON; shape errors raise ProposalFormatError, ignored/unknown keys go to ``notes``.

    A field the JSON leaves out gets Go's zero value (not the model's template default), because that is
    what the chain receives; ``model_fields_set`` keeps only the keys the file really had.
    """
    if not isinstance(data, dict):
        raise ProposalFormatError(path, f"expected a JSON object, got {type(data).__name__}")
    notes = notes if notes is not None else []
    by_key: dict[str, str] = {}
    for field_name in cls.model_fields:
        by_key[field_name] = field_name
        if style == "proto":
            by_key.setdefault(_camel(field_name), field_name)  # jsonpb also accepts the lowerCamelCase JSON name
    by_lower = {k.lower(): v for k, v in by_key.items()}  # Go encoding/json: case-insensitive match
    values: dict[str, Any] = {name: zero_value(cls, name) for name in cls.model_fields}
    given: set[str] = set()
    for key, raw in data.items():
        found: str | None = by_key.get(key) if style == "proto" else by_lower.get(key.lower())
        sub = f"{path}.{key}" if path else key
        if found is None:
            if style == "proto":
                notes.append(
                    Problem(sub, "unknown_field", f"{cls.__name__} has no field {key!r}; gaiad rejects the file", key)
                )
            else:
                notes.append(
                    Problem(
                        sub,
                        "unknown_field",
                        f"{cls.__name__} has no field {key!r}; the provider CLI silently ignores it",
                        key,
                        Severity.WARNING,
                    )
                )
            continue
        name = found
        if raw is None and style == "go" and wire_kind(cls, name) == "dec":
            raise ProposalFormatError(sub, "a decimal cannot be null: the provider CLI refuses the file")
        if raw is None and name in given:
            continue  # Go: a later null leaves the earlier value
        values[name] = _decode_value(cls, name, raw, style, sub, notes)
        given.add(name)
    if style == "go" and cls.__name__ == "SlashJailParameters" and "slash_fraction" not in given:
        notes.append(
            Problem(
                _join(path, "slash_fraction"),
                "slash_fraction_missing",
                "the block has no slash_fraction: the provider CLI crashes (nil decimal) and sends nothing",
                None,
            )
        )
    try:
        model = cls(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ProposalFormatError(f"{path}.{loc}" if path else loc, first["msg"]) from None
    model.__pydantic_fields_set__ = given
    return model


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def zero_value(cls: type[BaseModel], name: str) -> Any:
    """Go's zero value of a field: what the chain holds for a key the file leaves out."""
    info = cls.model_fields[name]
    kind = wire_kind(cls, name)
    sub = submodel(info.annotation)
    if _is_list(info.annotation):
        return []
    if sub is not None:
        optional = type(None) in typing.get_args(info.annotation)
        return None if optional else sub.model_construct(**{n: zero_value(sub, n) for n in sub.model_fields})
    if kind == "timestamp":
        return None
    if kind == "bytes":
        return b""
    if kind == "duration" or kind in INT_KINDS:
        return 0
    if kind == "dec":
        return "0"
    if info.annotation is bool:
        return False
    if info.annotation is str:
        return ""
    return None if info.annotation is not dict[str, Any] else {}


def _decode_value(cls: type[BaseModel], name: str, raw: Any, style: Style, path: str, notes: list[Problem]) -> Any:
    info = cls.model_fields[name]
    annotation = info.annotation
    kind = wire_kind(cls, name)
    sub = submodel(annotation)
    if sub is not None and not _is_list(annotation):
        if raw is None:
            return zero_value(cls, name)
        return decode(sub, raw, style, path, notes)
    if _is_list(annotation):
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise ProposalFormatError(path, f"expected a list, got {raw!r}")
        (item_type,) = typing.get_args(annotation)
        if isinstance(item_type, type) and issubclass(item_type, BaseModel):
            return [decode(item_type, item, style, f"{path}[{i}]", notes) for i, item in enumerate(raw)]
        for i, item in enumerate(raw):
            if not isinstance(item, str) and not (item is None and style == "go"):
                raise ProposalFormatError(f"{path}[{i}]", f"expected a string, got {item!r}")
        return [item or "" for item in raw]
    if raw is None and kind != "timestamp":
        return zero_value(cls, name)
    if kind == "duration":
        return parse_proto_duration(raw, path) if style == "proto" else parse_go_duration(raw, path)
    if kind == "timestamp":
        return None if raw is None else parse_timestamp(raw, path)
    if kind == "bytes":
        return parse_bytes(raw, path)
    if kind in INT_KINDS:
        return parse_int(raw, path, style=style, kind=kind)
    if annotation is bool:
        if not isinstance(raw, bool):
            raise ProposalFormatError(path, f"expected true or false, got {raw!r}")
        return raw
    if annotation is str or kind == "dec":
        if not isinstance(raw, str):
            raise ProposalFormatError(path, f"expected a string, got {raw!r}")
        return raw
    if not isinstance(raw, dict):
        raise ProposalFormatError(path, f"expected a JSON object, got {raw!r}")
    return raw
