"""LegacyDec fields: the SDK's 18-decimal fixed-point type, whose wire form differs from its JSON form.

A field declared with `(gogoproto.customtype) = "cosmossdk.io/math.LegacyDec"` (string or bytes) carries on the wire
the ASCII digits of the value scaled by 10^18 ("50000000000000000" for 0.05, "0" for zero), while gaiad's JSON
(and `--generate-only` output) shows the decimal with exactly 18 places ("0.050000000000000000"). Plain protobuf
tooling knows nothing of this, so `registry.to_proto_json`/`from_proto_json` call `json_from_wire`/`json_to_wire`,
which walk the message descriptors (nested Anys included) and convert those fields.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any, cast

from google.protobuf import descriptor_pool as _descriptor_pool
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from ics_workbench.errors import WorkbenchError

PRECISION = 18
_LEGACY_DEC_TYPES = frozenset({"cosmossdk.io/math.LegacyDec", "github.com/cosmos/cosmos-sdk/types.Dec"})
_DECIMAL = re.compile(r"-?(\d+)(?:\.(\d+))?")
_SCALED = re.compile(r"-?\d+")


def decimal_to_wire(text: str, *, where: str = "value") -> str:
    """"0.05" -> "50000000000000000"; refuses more than 18 decimal places and non-numbers."""
    m = _DECIMAL.fullmatch(text.strip())
    if not m:
        raise WorkbenchError(f"{where}: {text!r} is not a decimal number such as 0.05")
    frac = m[2] or ""
    if len(frac) > PRECISION:
        raise WorkbenchError(f"{where}: {text!r} has {len(frac)} decimal places; at most {PRECISION} are allowed")
    value = int(m[1] + frac.ljust(PRECISION, "0"))
    return str(-value if text.strip().startswith("-") else value)


def wire_to_decimal(text: str, *, where: str = "value") -> str:
    """"50000000000000000" -> "0.050000000000000000" (the form LegacyDec.String() prints)."""
    if not _SCALED.fullmatch(text):
        raise WorkbenchError(f"{where}: {text!r} is not a LegacyDec wire value (scaled integer digits)")
    negative = text.startswith("-")
    digits = text.lstrip("-").rjust(PRECISION + 1, "0")
    out = f"{int(digits[:-PRECISION])}.{digits[-PRECISION:]}"
    return "-" + out if negative and int(text) != 0 else out


def is_legacy_dec(field: FieldDescriptor) -> bool:
    from gogoproto import gogo_pb2

    if field.type not in (FieldDescriptor.TYPE_STRING, FieldDescriptor.TYPE_BYTES):
        return False
    return field.GetOptions().Extensions[gogo_pb2.customtype] in _LEGACY_DEC_TYPES


def _convert_scalar(field: FieldDescriptor, value: Any, to_json: bool, where: str) -> Any:
    if not isinstance(value, str) or value == "":
        return value
    is_bytes = field.type == FieldDescriptor.TYPE_BYTES
    if to_json:
        wire = base64.b64decode(value).decode("ascii") if is_bytes else value
        return wire_to_decimal(wire, where=where) if wire else ""
    wire = decimal_to_wire(value, where=where)
    return base64.b64encode(wire.encode()).decode() if is_bytes else wire


def _walk(descriptor: Descriptor, doc: Any, to_json: bool, pool: Any, where: str) -> Any:
    if not isinstance(doc, dict):
        return doc
    if descriptor.full_name == "google.protobuf.Any":
        type_url = doc.get("@type")
        if not isinstance(type_url, str):
            return doc
        try:
            inner = pool.FindMessageTypeByName(type_url.rsplit("/", 1)[-1])
        except KeyError:
            return doc
        if inner.full_name.startswith("google.protobuf."):
            return doc
        return _walk(inner, doc, to_json, pool, f"{where}({type_url})")
    out = dict(doc)
    for field in descriptor.fields:
        key = field.name if field.name in out else field.json_name
        if key not in out or out[key] is None:
            continue
        path = f"{where}.{field.name}"
        convert: Callable[[Any], Any]
        if field.message_type is not None:
            if field.message_type.GetOptions().map_entry:
                continue
            def convert(v: Any, f: FieldDescriptor = field, p: str = path) -> Any:
                return _walk(f.message_type, v, to_json, pool, p)
        elif is_legacy_dec(field):
            def convert(v: Any, f: FieldDescriptor = field, p: str = path) -> Any:
                return _convert_scalar(f, v, to_json, p)
        else:
            continue
        value = out[key]
        out[key] = [convert(v) for v in value] if isinstance(value, list) else convert(value)
    return out


def json_from_wire(descriptor: Descriptor, doc: dict[str, Any], pool: Any = None) -> dict[str, Any]:
    """Rewrite LegacyDec fields of a MessageToDict result into gaiad's decimal form."""
    return cast(dict[str, Any], _walk(descriptor, doc, True, pool or _descriptor_pool.Default(), descriptor.name))


def json_to_wire(descriptor: Descriptor, doc: dict[str, Any], pool: Any = None) -> dict[str, Any]:
    """Rewrite LegacyDec fields of gaiad-style JSON into the form ParseDict must see to produce the wire bytes."""
    return cast(dict[str, Any], _walk(descriptor, doc, False, pool or _descriptor_pool.Default(), descriptor.name))
