"""SIGN_MODE_LEGACY_AMINO_JSON: the StdSignDoc bytes a Ledger (and the SDK's aminojson handler) signs.

cosmpy signs only in direct mode. The SDK (v0.50+, `x/tx/signing/aminojson`) derives the amino JSON of a message
from its protobuf descriptor options, which cosmpy's compiled descriptors carry: `amino.name` (the `"type"` of a
message), `amino.field_name`, `amino.dont_omitempty` (otherwise zero values are omitted), `amino.encoding`
("legacy_coins": empty list as []), `amino.message_encoding` ("key_field", "threshold_string") and
`cosmos_proto.scalar` ("cosmos.Dec", "cosmos.Int"). This module follows those rules; int64/uint64 are quoted,
int32/uint32/enums are numbers, bytes are base64, Timestamps RFC 3339, Durations nanosecond strings.

A message without `amino.name` (every ICS v7 provider message) cannot be encoded: `AminoUnsupported` says which and
why, so the caller can say so before anyone touches a key (see `sign_modes`).

Serialisation: keys sorted, no whitespace, and Go's `json.Marshal` escaping (`&`, `<`, `>`, U+2028, U+2029 as \\uXXXX),
which is what the chain reproduces when it verifies. cosmjs `serializeSignDoc` gives the same bytes (tests/js).
"""

from __future__ import annotations

import base64
import json

from typing import Any, cast

from google.protobuf import any_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from ics_workbench.errors import WorkbenchError
from ics_workbench.foundation.times import Timestamp
from ics_workbench.proto import legacy_dec, registry

_INT64_TYPES = frozenset({FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT64,
                          FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED64})


class AminoUnsupported(WorkbenchError):
    """The message cannot be expressed in legacy amino JSON; the text says which message and why."""


def _options() -> tuple[Any, Any]:
    from amino import amino_pb2
    from cosmos_proto import cosmos_pb2

    return amino_pb2, cosmos_pb2


def amino_name(descriptor: Descriptor) -> str | None:
    """The `amino.name` of a message type, or None when it declares none."""
    amino_pb2, _ = _options()
    options = descriptor.GetOptions()
    return options.Extensions[amino_pb2.name] if options.HasExtension(amino_pb2.name) else None


def _has(msg: Message, field: FieldDescriptor) -> bool:
    if field.label == FieldDescriptor.LABEL_REPEATED:
        return len(getattr(msg, field.name)) > 0
    if field.has_presence:
        return bool(msg.HasField(field.name))
    return bool(getattr(msg, field.name) != field.default_value)


def _timestamp(msg: Any) -> str:
    if msg.nanos < 0:
        raise AminoUnsupported("a Timestamp with negative nanos has no amino JSON form")
    return Timestamp(msg.seconds, msg.nanos).rfc3339()


def _duration(msg: Any) -> str:
    if msg.seconds > (2**63 - 1) // 10**9 - 1:
        raise AminoUnsupported(f"a Duration of {msg.seconds}s overflows int64 nanoseconds")
    return str(msg.seconds * 10**9 + msg.nanos)


def _dec(value: str | bytes) -> str:
    text = value.decode("ascii") if isinstance(value, bytes) else value
    if text == "":
        return "0"
    # The SDK stores some cosmos.Dec strings as scaled digits (customtype LegacyDec) and some as decimals.
    wire = legacy_dec.decimal_to_wire(text) if "." in text else text
    return legacy_dec.wire_to_decimal(wire)


def _scalar_encoder(field: FieldDescriptor):  # type: ignore[no-untyped-def]
    amino_pb2, cosmos_pb2 = _options()
    options = field.GetOptions()
    if options.HasExtension(amino_pb2.encoding):
        encoding = options.Extensions[amino_pb2.encoding]
        if encoding == "legacy_coins":
            return lambda enc, msg: [enc.value(v, field) for v in getattr(msg, field.name)]
        if encoding == "cosmos_dec_bytes":
            return lambda enc, msg: _dec(getattr(msg, field.name))
        raise AminoUnsupported(f"field {field.full_name} uses amino encoding {encoding!r}, which is not supported")
    if options.HasExtension(cosmos_pb2.scalar):
        scalar = options.Extensions[cosmos_pb2.scalar]
        if scalar == "cosmos.Dec":
            return lambda enc, msg: _dec(getattr(msg, field.name))
        if scalar == "cosmos.Int":
            return lambda enc, msg: getattr(msg, field.name) or "0"
    return None


class _Encoder:
    def __init__(self, ics_version: str | None) -> None:
        self.ics_version = ics_version

    def named(self, msg: Message) -> dict[str, Any]:
        name = amino_name(msg.DESCRIPTOR)
        if name is None:
            raise AminoUnsupported(
                f"{registry.type_url_of(msg)} declares no amino name, so it has no legacy amino JSON form "
                "(Ledger cannot sign it in LEGACY_AMINO_JSON); use SIGN_MODE_DIRECT")
        return {"type": name, "value": self.message(msg)}

    def message(self, msg: Message) -> Any:
        descriptor = msg.DESCRIPTOR
        full_name = descriptor.full_name
        if full_name == "google.protobuf.Timestamp":
            return _timestamp(msg)
        if full_name == "google.protobuf.Duration":
            return _duration(msg)
        if full_name == "google.protobuf.Any":
            return self.named(registry.unpack(cast(any_pb2.Any, msg), ics_version=self.ics_version))
        amino_pb2, _ = _options()
        options = descriptor.GetOptions()
        if options.HasExtension(amino_pb2.message_encoding):
            return self.special(msg, options.Extensions[amino_pb2.message_encoding])
        out: dict[str, Any] = {}
        for field in descriptor.fields:
            if field.containing_oneof is not None and not field.containing_oneof.name.startswith("_"):
                raise AminoUnsupported(f"{full_name} has a oneof ({field.containing_oneof.name}); not supported here")
            field_options = field.GetOptions()
            name = (field_options.Extensions[amino_pb2.field_name]
                    if field_options.HasExtension(amino_pb2.field_name) else field.name)
            dont_omit = (field_options.HasExtension(amino_pb2.dont_omitempty)
                         and field_options.Extensions[amino_pb2.dont_omitempty])
            if not _has(msg, field):
                if not dont_omit:
                    continue
                if field.message_type is not None and field.label != FieldDescriptor.LABEL_REPEATED:
                    raise AminoUnsupported(f"{field.full_name}: dont_omitempty on an unset message field")
            encoder = _scalar_encoder(field)
            if encoder is not None:
                out[name] = encoder(self, msg)
            elif field.label == FieldDescriptor.LABEL_REPEATED:
                values = getattr(msg, field.name)
                out[name] = [self.value(v, field) for v in values] if len(values) else None
            else:
                out[name] = self.value(getattr(msg, field.name), field)
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
            return {"pubkeys": [self.message(pk) for pk in msg.public_keys], "threshold": str(msg.threshold)}
        raise AminoUnsupported(f"{msg.DESCRIPTOR.full_name} uses amino message encoding {encoding!r} (unsupported)")


def encode_message(msg: Message | any_pb2.Any, *, ics_version: str | None = None) -> dict[str, Any]:
    """Amino JSON value of one tx message: {"type": amino name, "value": {...}}. Raises AminoUnsupported."""
    encoder = _Encoder(ics_version)
    if isinstance(msg, any_pb2.Any):
        msg = registry.unpack(msg, ics_version=ics_version)
    return encoder.named(msg)


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
