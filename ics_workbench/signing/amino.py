"""SIGN_MODE_LEGACY_AMINO_JSON: the StdSignDoc bytes a Ledger (and the SDK's aminojson handler) signs.

cosmpy signs only in direct mode. The SDK (v0.50+, `x/tx/signing/aminojson`) derives the amino JSON of a message
from its protobuf descriptor options, which cosmpy's compiled descriptors carry: `amino.name` (the `"type"` of a
message), `amino.field_name`, `amino.dont_omitempty` (otherwise zero values are omitted), `amino.encoding`
("legacy_coins": empty list as []), `amino.message_encoding` ("key_field", "threshold_string") and
`cosmos_proto.scalar` ("cosmos.Dec", "cosmos.Int"). This module follows those rules; int64/uint64 are quoted,
int32/uint32/enums are numbers, bytes are base64, Timestamps RFC 3339, Durations nanosecond strings.

A message without `amino.name` (every ICS v7 provider message) is still encodable: wherever the SDK meets a message
through an `Any` (every tx message, every nested Any) it falls back to the type URL ("/interchain_security.ccv.
provider.v1.MsgOptIn") for `"type"`. What the chain itself cannot encode (a Duration past int64 nanoseconds, a
LegacyDec out of range, a float, a map, a oneof without `amino.oneof_name`) raises `AminoUnsupported` with the
message and field, so the caller can say so before anyone touches a key (see `sign_modes`).

Facts mirrored from cosmossdk.io/x/tx v0.13.7 `signing/aminojson` (the version ICS v7 links): a `cosmos.Dec` scalar is
re-printed as a LegacyDec only when the field's gogoproto customtype is exactly `cosmossdk.io/math.LegacyDec`
(otherwise the string goes out as-is); unknown `amino.encoding`/`amino.message_encoding` names fall through to the
default rules; `inline_json` re-serialises the bytes as sorted JSON.

Serialisation: keys sorted, no whitespace, and Go's `json.Marshal` escaping (`&`, `<`, `>`, U+2028, U+2029 as \\uXXXX),
which is what the chain reproduces when it verifies. cosmjs `serializeSignDoc` gives the same bytes (tests/js).
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any, cast

from google.protobuf import any_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from ics_workbench.errors import WorkbenchError
from ics_workbench.foundation.times import Timestamp
from ics_workbench.proto import legacy_dec, registry

_INT64_TYPES = frozenset({FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT64,
                          FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED64})
_MIN_TIMESTAMP = -62135596800  # 0001-01-01T00:00:00Z, the lowest a gogoproto stdtime field decodes
_MAX_TIMESTAMP = 253402300799  # 9999-12-31T23:59:59Z, the highest
MAX_DURATION_SECONDS = (2**63 - 1) // 10**9 - 1  # aminojson.MaxDurationSeconds
_LEGACY_DEC_CUSTOMTYPE = "cosmossdk.io/math.LegacyDec"  # the only customtype aminojson re-prints as a Dec
_LEGACY_DEC_LIMIT = 2**256 * 10**18 - 1  # LegacyDec.IsInValidRange, in wire (scaled) units
# big.Int.UnmarshalText (base 0, Go literal syntax): sign, then 0x/0b/0o/0 prefix or decimal; "_" between digits.
_GO_INT = re.compile(r"(?P<sign>[+-]?)(?:0[xX](?P<hex>(?:_?[0-9a-fA-F])+)|0[bB](?P<bin>(?:_?[01])+)"
                     r"|0[oO](?P<oct>(?:_?[0-7])+)|0(?P<oct0>(?:_?[0-7])+)|(?P<dec>[0-9](?:_?[0-9])*))")


class AminoUnsupported(WorkbenchError):
    """The message cannot be expressed in legacy amino JSON; the text says which message and why."""


def _options() -> tuple[Any, Any, Any]:
    from amino import amino_pb2
    from cosmos_proto import cosmos_pb2
    from gogoproto import gogo_pb2

    return amino_pb2, cosmos_pb2, gogo_pb2


def amino_name(descriptor: Descriptor) -> str | None:
    """The `amino.name` of a message type, or None when it declares none."""
    amino_pb2 = _options()[0]
    options = descriptor.GetOptions()
    return options.Extensions[amino_pb2.name] if options.HasExtension(amino_pb2.name) else None


def type_name(descriptor: Descriptor) -> str:
    """The `"type"` the SDK writes for a message met through an Any: its amino name, else "/" + full name."""
    return amino_name(descriptor) or "/" + descriptor.full_name


def _has(msg: Message, field: FieldDescriptor) -> bool:
    if field.label == FieldDescriptor.LABEL_REPEATED:
        return len(getattr(msg, field.name)) > 0
    if field.has_presence:
        return bool(msg.HasField(field.name))
    return bool(getattr(msg, field.name) != field.default_value)


def _timestamp(msg: Any) -> str:
    if msg.nanos < 0:
        raise AminoUnsupported("a Timestamp with negative nanos has no amino JSON form")
    if not _MIN_TIMESTAMP <= msg.seconds <= _MAX_TIMESTAMP:
        raise AminoUnsupported(f"a Timestamp of {msg.seconds}s lies outside years 1-9999, which the chain refuses")
    return Timestamp(msg.seconds, msg.nanos).rfc3339()


def _duration(msg: Any) -> str:
    if msg.seconds > MAX_DURATION_SECONDS:
        raise AminoUnsupported(f"a Duration of {msg.seconds}s overflows int64 nanoseconds (the SDK's amino JSON "
                               f"encoder refuses more than {MAX_DURATION_SECONDS}s)")
    total = msg.seconds * 10**9 + msg.nanos
    if total < -(2**63):
        raise AminoUnsupported(f"a Duration of {msg.seconds}s overflows int64 nanoseconds")
    return str(total)


def _go_big_int(text: str) -> int | None:
    """big.Int.UnmarshalText as Go does it, or None where Go fails."""
    m = _GO_INT.fullmatch(text)
    if not m:
        return None
    for group, base in (("hex", 16), ("bin", 2), ("oct", 8), ("oct0", 8), ("dec", 10)):
        if m[group] is not None:
            value = int(m[group].replace("_", ""), base)
            if group == "dec" and "_" in m[group]:
                return None  # Go allows "_" only after a base prefix
            return -value if m["sign"] == "-" else value
    return None


def _legacy_dec(field: FieldDescriptor, raw: str | bytes) -> str:
    """cosmosDecEncoder: the wire digits of a LegacyDec printed with 18 decimals; "" is "0"."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if text == "":
        return "0"
    value = _go_big_int(text)
    if value is None:
        raise AminoUnsupported(f"field {field.full_name}: {text!r} is not a LegacyDec wire value (scaled digits)")
    if abs(value) > _LEGACY_DEC_LIMIT:
        raise AminoUnsupported(f"field {field.full_name}: decimal out of range")
    return legacy_dec.wire_to_decimal(str(value), where=field.full_name)


def _sorted_json(field: FieldDescriptor, raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise AminoUnsupported(f"field {field.full_name}: inline_json bytes are not valid JSON") from None


def _scalar_encoder(field: FieldDescriptor):  # type: ignore[no-untyped-def]
    """The custom field encoder aminojson's getFieldEncoder picks, or None for the default rules."""
    amino_pb2, cosmos_pb2, gogo_pb2 = _options()
    options = field.GetOptions()
    if options.HasExtension(amino_pb2.encoding):
        encoding = options.Extensions[amino_pb2.encoding]
        if encoding == "legacy_coins":
            return lambda enc, msg: [enc.value(v, field) for v in getattr(msg, field.name)]
        if encoding == "inline_json":
            return lambda enc, msg: _sorted_json(field, getattr(msg, field.name))
        # any other name is unknown to the SDK's encoder and falls through, as there
    if options.HasExtension(cosmos_pb2.scalar):
        scalar = options.Extensions[cosmos_pb2.scalar]
        if scalar == "cosmos.Dec":
            if options.Extensions[gogo_pb2.customtype] != _LEGACY_DEC_CUSTOMTYPE:
                return None  # a decimal string kept as written (e.g. gov v1 params)
            return lambda enc, msg: _legacy_dec(field, getattr(msg, field.name))
        if scalar == "cosmos.Int":
            if field.type == FieldDescriptor.TYPE_BYTES:
                raise AminoUnsupported(f"field {field.full_name}: a bytes-backed cosmos.Int is not supported here")
            return lambda enc, msg: getattr(msg, field.name) or "0"
    return None


def _oneof_field_name(name: str) -> str:
    """strcase.ToCamel, which names the JSON key of a oneof."""
    out: list[str] = []
    cap_next, prev_cap = True, False
    for ch in name.strip():
        is_cap, is_low = "A" <= ch <= "Z", "a" <= ch <= "z"
        if cap_next:
            ch = ch.upper() if is_low else ch
        elif prev_cap and is_cap:  # (Go's i == 0 branch never runs for ToCamel: capNext starts true)
            ch = ch.lower()
        prev_cap = is_cap
        if is_cap or is_low:
            out.append(ch)
            cap_next = False
        elif ch.isascii() and ch.isdigit():
            out.append(ch)
            cap_next = True
        else:
            cap_next = ch in "_ -."
    return "".join(out)


class _Encoder:
    def __init__(self, ics_version: str | None) -> None:
        self.ics_version = ics_version

    def any(self, any_msg: any_pb2.Any) -> dict[str, Any]:
        inner = registry.unpack(any_msg, ics_version=self.ics_version)
        return {"type": type_name(inner.DESCRIPTOR), "value": self.message(inner)}

    def message(self, msg: Message) -> Any:
        descriptor = msg.DESCRIPTOR
        full_name = descriptor.full_name
        if full_name == "google.protobuf.Timestamp":
            return _timestamp(msg)
        if full_name == "google.protobuf.Duration":
            return _duration(msg)
        if full_name == "google.protobuf.Any":
            return self.any(cast(any_pb2.Any, msg))
        amino_pb2 = _options()[0]
        options = descriptor.GetOptions()
        if options.HasExtension(amino_pb2.message_encoding):
            special = self.special(msg, options.Extensions[amino_pb2.message_encoding])
            if special is not _DEFAULT:
                return special
        out: dict[str, Any] = {}
        empty_oneofs: set[str] = set()
        for field in descriptor.fields:
            field_options = field.GetOptions()
            name = (field_options.Extensions[amino_pb2.field_name]
                    if field_options.HasExtension(amino_pb2.field_name) else field.name)
            oneof = field.containing_oneof
            # protoreflect reports a proto3 `optional` field's synthetic oneof too, so the SDK treats it as one
            oneof_type = ""
            if oneof is not None:
                if not field_options.HasExtension(amino_pb2.oneof_name):
                    raise AminoUnsupported(f"field {field.name} within a oneof must have the amino.oneof_type_name "
                                           f"option set ({full_name})")
                oneof_type = field_options.Extensions[amino_pb2.oneof_name]
            if not _has(msg, field):
                if oneof is not None and msg.WhichOneof(oneof.name) is None:
                    key = _oneof_field_name(oneof.name)
                    if key not in empty_oneofs:
                        empty_oneofs.add(key)
                        out[key] = None
                    continue
                dont_omit = (field_options.HasExtension(amino_pb2.dont_omitempty)
                             and field_options.Extensions[amino_pb2.dont_omitempty])
                if not dont_omit:
                    continue
                if field.message_type is not None and field.label != FieldDescriptor.LABEL_REPEATED:
                    raise AminoUnsupported(f"{field.full_name}: dont_omitempty on an unset message field")
            encoder = _scalar_encoder(field)
            if encoder is not None:
                value = encoder(self, msg)
            elif field.label == FieldDescriptor.LABEL_REPEATED:
                values = getattr(msg, field.name)
                if field.message_type is not None and field.message_type.GetOptions().map_entry:
                    raise AminoUnsupported(f"{field.full_name}: maps are not supported by amino JSON")
                value = [self.value(v, field) for v in values] if len(values) else None
            else:
                value = self.value(getattr(msg, field.name), field)
            if oneof is not None:
                out[_oneof_field_name(oneof.name)] = {"type": oneof_type, "value": {name: value}}
            else:
                out[name] = value
        return out

    def value(self, value: Any, field: FieldDescriptor) -> Any:
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            return self.message(value)
        if field.type == FieldDescriptor.TYPE_BYTES:
            return base64.b64encode(value).decode()
        if field.type in _INT64_TYPES:
            return str(value)
        if field.type in (FieldDescriptor.TYPE_FLOAT, FieldDescriptor.TYPE_DOUBLE):
            raise AminoUnsupported(f"{field.full_name}: floating point has no amino JSON form")
        return value  # str, bool, int32/uint32, enum number

    def special(self, msg: Any, encoding: str) -> Any:
        if encoding == "key_field":
            key = msg.key
            return base64.b64encode(key).decode() if key else None
        if encoding == "threshold_string":
            return {"pubkeys": [self.message(pk) for pk in msg.public_keys],
                    "threshold": str(msg.threshold)}
        if encoding == "module_account" and msg.DESCRIPTOR.full_name == "cosmos.auth.v1beta1.ModuleAccount":
            base = msg.base_account
            has_base = msg.HasField("base_account")
            return {"account_number": str(base.account_number) if has_base else "0",
                    "address": base.address if has_base else "", "name": msg.name,
                    "permissions": list(msg.permissions) or None,
                    "public_key": "", "sequence": str(base.sequence) if has_base else "0"}
        return _DEFAULT  # a name the SDK's encoder does not know: default rules


_DEFAULT = object()


def encode_message(msg: Message | any_pb2.Any, *, ics_version: str | None = None) -> dict[str, Any]:
    """Amino JSON value of one tx message: {"type": amino name or type URL, "value": {...}}. Raises AminoUnsupported.

    A tx message always sits in an Any, so a message without `amino.name` is typed by its URL, as the SDK does."""
    encoder = _Encoder(ics_version)
    if isinstance(msg, any_pb2.Any):
        return encoder.any(msg)
    return {"type": type_name(msg.DESCRIPTOR), "value": encoder.message(msg)}


def std_sign_doc(*, chain_id: str, account_number: int, sequence: int, msgs: list[dict[str, Any]], memo: str,
                 fee_amount: list[dict[str, str]], gas: int, payer: str = "", granter: str = "",
                 timeout_height: int = 0) -> dict[str, Any]:
    """The StdSignDoc object (before serialisation), exactly the fields the SDK's AminoSignDoc emits."""
    fee: dict[str, Any] = {"amount": fee_amount, "gas": str(gas)}
    if payer:
        fee["payer"] = payer
    if granter:
        fee["granter"] = granter
    doc: dict[str, Any] = {"account_number": str(account_number), "chain_id": chain_id, "fee": fee, "memo": memo,
                           "msgs": msgs, "sequence": str(sequence)}
    if timeout_height:
        doc["timeout_height"] = str(timeout_height)
    return doc


_GO_ESCAPES = str.maketrans({"&": "\\u0026", "<": "\\u003c", ">": "\\u003e", "\u2028": "\\u2028",
                             "\u2029": "\\u2029"})


def serialize_sign_doc(doc: dict[str, Any]) -> bytes:
    """Canonical bytes: sorted keys, compact, Go json.Marshal escaping, UTF-8."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.translate(_GO_ESCAPES).encode("utf-8")
