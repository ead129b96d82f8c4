"""Type-URL registry over the default descriptor pool: pack/unpack `Any`, proto-JSON with "@type", version layouts.

Why a registry: messages travel as `google.protobuf.Any` (tx bodies, gov proposals, JSON files), so the app needs
one place that maps a type URL to the class that decodes it, for our generated ICS messages and for every cosmpy
message alike (they share the default descriptor pool, so `json_format` resolves nested Anys of both).

The one wire quirk handled here: ICS v5.0.0 encoded `MsgConsumerAddition` with `authority` at field 13, while
v5.1.0+ has `top_N` at 13 and `authority` at 18, under the SAME type URL. The app always builds the current
(v5.1+) class; `pack(..., ics_version="v5.0.0")` re-encodes it in the v5.0.0 layout, and `unpack`/`message_class`
with a 5.0.x version decode with the v5.0.0 class (`provider_v5_0_0_tx_pb2.MsgConsumerAddition`). JSON of a
message holding such an Any goes through `to_proto_json(..., ics_version=)` / `from_proto_json(..., ics_version=)`,
which resolve Anys in a private descriptor pool where that type URL has the v5.0.0 layout.

JSON follows gaiad's conventions (proto field names, defaults printed, LegacyDec fields as "0.050000000000000000"
although their wire bytes hold "50000000000000000"; see `legacy_dec`), so files we write read like gaiad's output
and gaiad's `--generate-only` JSON parses here.
"""

from __future__ import annotations

import importlib
import re
import sys
from functools import lru_cache
from typing import Any as TypingAny

from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, json_format, message_factory
from google.protobuf.descriptor import Descriptor, FileDescriptor
from google.protobuf.message import DecodeError, Message

from ics_workbench.errors import WorkbenchError
from ics_workbench.proto import legacy_dec, provider_tx_pb2, provider_v5_0_0_tx_pb2

PROVIDER_PACKAGE = "interchain_security.ccv.provider.v1"
CONSUMER_ADDITION_NAME = f"{PROVIDER_PACKAGE}.MsgConsumerAddition"
_V5_0_0_ADDITION_NAME = provider_v5_0_0_tx_pb2.MsgConsumerAddition.DESCRIPTOR.full_name
# Fields the v5.0.0 layout lacks: a value there cannot be sent to a v5.0.0 provider. The power-shaping ones came
# with v5.1.0; min_stake and allow_inactive_vals exist only in the v6+ schema the app builds from (no v5 release has
# them), and are refused here all the same.
_V5_1_ONLY_ADDITION_FIELDS = ("top_N", "validators_power_cap", "validator_set_cap", "allowlist", "denylist",
                              "min_stake", "allow_inactive_vals")

# Import path of every generated module, by .proto file.
GENERATED_MODULES: dict[str, str] = {
    "interchain_security/ccv/provider/v1/provider.proto":
        "ics_workbench.proto.gen.interchain_security.ccv.provider.v1.provider_pb2",
    "interchain_security/ccv/provider/v1/tx.proto":
        "ics_workbench.proto.gen.interchain_security.ccv.provider.v1.tx_pb2",
    "icswb/ics_v5_0_0/provider/v1/tx.proto": "ics_workbench.proto.gen.icswb.ics_v5_0_0.provider.v1.tx_pb2",
    "icswb/tendermint/types/canonical.proto": "ics_workbench.proto.gen.icswb.tendermint.types.canonical_pb2",
}

# cosmpy modules whose messages the workbench packs or meets inside Anys; imported on first lookup so that their
# descriptors are in the default pool before a type URL is resolved.
_COSMPY_MODULES = (
    "cosmos.auth.v1beta1.auth_pb2", "cosmos.bank.v1beta1.tx_pb2", "cosmos.crypto.ed25519.keys_pb2",
    "cosmos.crypto.multisig.keys_pb2", "cosmos.crypto.secp256k1.keys_pb2", "cosmos.crypto.secp256r1.keys_pb2",
    "cosmos.distribution.v1beta1.tx_pb2", "cosmos.distribution.v1beta1.distribution_pb2",
    "cosmos.gov.v1.tx_pb2", "cosmos.gov.v1beta1.tx_pb2", "cosmos.gov.v1beta1.gov_pb2",
    "cosmos.params.v1beta1.params_pb2", "cosmos.slashing.v1beta1.tx_pb2", "cosmos.staking.v1beta1.tx_pb2",
    "cosmos.tx.v1beta1.tx_pb2", "cosmos.upgrade.v1beta1.tx_pb2", "cosmos.upgrade.v1beta1.upgrade_pb2",
    "cosmos.authz.v1beta1.tx_pb2", "cosmos.feegrant.v1beta1.tx_pb2",
    "ibc.lightclients.tendermint.v1.tendermint_pb2", "tendermint.types.evidence_pb2",
)


class UnknownTypeError(WorkbenchError):
    """A type URL that no registered message answers to."""


def _load_known_modules() -> None:
    for name in _COSMPY_MODULES:
        if name not in sys.modules:
            importlib.import_module(name)


def type_name_of(type_url: str) -> str:
    """Full message name from a type URL (`/a.b.C` or `type.googleapis.com/a.b.C`)."""
    name = type_url.rsplit("/", 1)[-1]
    if not name or not re.fullmatch(r"[A-Za-z_][\w.]*", name):
        raise UnknownTypeError(f"type URL {type_url!r} does not end in a message name")
    return name


def type_url_of(msg: Message) -> str:
    """The type URL the chain expects for `msg` (the v5.0.0 layout class maps to the real ICS name)."""
    name = msg.DESCRIPTOR.full_name
    if name == _V5_0_0_ADDITION_NAME:
        name = CONSUMER_ADDITION_NAME
    return f"/{name}"


def parse_version(version: str) -> tuple[int, int, int]:
    """(major, minor, patch) of an ICS version such as "v5.0.0", "5.1.1" or "v6.4.0-rc0"."""
    m = re.fullmatch(r"v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?", version.strip())
    if not m:
        raise WorkbenchError(f"ICS version {version!r} is not of the form vMAJOR.MINOR.PATCH")
    return int(m[1]), int(m[2]), int(m[3])


def _uses_v5_0_0_layout(ics_version: str | None) -> bool:
    return ics_version is not None and parse_version(ics_version)[:2] == (5, 0)


def message_class(type_url: str, *, ics_version: str | None = None) -> type[Message]:
    """Class that decodes `type_url` (on the provider version `ics_version`, when the layout depends on it)."""
    name = type_name_of(type_url)
    if name == CONSUMER_ADDITION_NAME and _uses_v5_0_0_layout(ics_version):
        return provider_v5_0_0_tx_pb2.MsgConsumerAddition
    _load_known_modules()
    try:
        descriptor = descriptor_pool.Default().FindMessageTypeByName(name)
    except KeyError:
        raise UnknownTypeError(f"no message type is registered for type URL {type_url!r}") from None
    return message_factory.GetMessageClass(descriptor)


def to_v5_0_0_addition(msg: Message) -> Message:
    """Copy a v5.1+ `MsgConsumerAddition` into the v5.0.0 layout; refuses fields v5.0.0 cannot carry."""
    set_only_in_v5_1 = [f for f in _V5_1_ONLY_ADDITION_FIELDS if _is_set(msg, f)]
    if set_only_in_v5_1:
        raise WorkbenchError(
            "MsgConsumerAddition for an ICS v5.0.0 provider cannot carry " + ", ".join(set_only_in_v5_1)
            + " (these fields arrived in v5.1.0; v5.0.0 has authority at field 13)")
    old = provider_v5_0_0_tx_pb2.MsgConsumerAddition()
    for field in old.DESCRIPTOR.fields:
        value = getattr(msg, field.name)
        if field.message_type is not None:
            if msg.HasField(field.name):
                getattr(old, field.name).CopyFrom(value)
        else:
            setattr(old, field.name, value)
    return old


def _is_set(msg: Message, field_name: str) -> bool:
    field = msg.DESCRIPTOR.fields_by_name[field_name]
    value = getattr(msg, field_name)
    return len(value) > 0 if field.label == field.LABEL_REPEATED else value != field.default_value


def pack(msg: Message, *, ics_version: str | None = None) -> any_pb2.Any:
    """`Any` holding `msg` with the chain's type URL; a MsgConsumerAddition is re-laid-out for a 5.0.x provider."""
    if msg.DESCRIPTOR.full_name == CONSUMER_ADDITION_NAME and _uses_v5_0_0_layout(ics_version):
        msg = to_v5_0_0_addition(msg)
    return any_pb2.Any(type_url=type_url_of(msg), value=msg.SerializeToString(deterministic=True))


def unpack(any_msg: any_pb2.Any, *, ics_version: str | None = None) -> Message:
    """Decode an `Any` with the class its type URL names (see `message_class`)."""
    cls = message_class(any_msg.type_url, ics_version=ics_version)
    msg = cls()
    try:
        msg.ParseFromString(any_msg.value)
    except DecodeError as exc:
        raise WorkbenchError(f"bytes of {any_msg.type_url} do not decode: {exc}") from None
    return msg


@lru_cache(maxsize=1)
def _v5_0_0_pool() -> descriptor_pool.DescriptorPool:
    """A copy of every loaded file where MsgConsumerAddition has its v5.0.0 layout (for JSON of nested Anys)."""
    _load_known_modules()
    files: dict[str, FileDescriptor] = {}
    for module in list(sys.modules.values()):
        fd = getattr(module, "DESCRIPTOR", None)
        if isinstance(fd, FileDescriptor):
            files[fd.name] = fd
    old_layout = descriptor_pb2.DescriptorProto()
    provider_v5_0_0_tx_pb2.MsgConsumerAddition.DESCRIPTOR.CopyToProto(old_layout)
    pool = descriptor_pool.DescriptorPool()
    added: set[str] = set()

    def add(fd: FileDescriptor) -> None:
        if fd.name in added:
            return
        added.add(fd.name)
        for dep in fd.dependencies:
            add(dep)
        fdp = descriptor_pb2.FileDescriptorProto()
        fd.CopyToProto(fdp)
        if fd.name == provider_tx_pb2.DESCRIPTOR.name:
            for i, message_type in enumerate(fdp.message_type):
                if message_type.name == "MsgConsumerAddition":
                    fdp.message_type[i].CopyFrom(old_layout)
        pool.Add(fdp)

    for fd in files.values():
        add(fd)
    return pool


def _pool_for(ics_version: str | None) -> descriptor_pool.DescriptorPool | None:
    return _v5_0_0_pool() if _uses_v5_0_0_layout(ics_version) else None


def to_proto_json(msg: Message, *, ics_version: str | None = None, with_type: bool = True) -> dict[str, TypingAny]:
    """Proto-JSON as the SDK prints it (proto field names, defaults included), with "@type" unless told not to."""
    _load_known_modules()
    pool = _pool_for(ics_version)
    doc = json_format.MessageToDict(msg, preserving_proto_field_name=True,
                                    always_print_fields_with_no_presence=True, descriptor_pool=pool)
    doc = legacy_dec.json_from_wire(msg.DESCRIPTOR, doc, pool)
    if with_type:
        return {"@type": type_url_of(msg), **doc}
    return doc


def from_proto_json(doc: dict[str, TypingAny], *, ics_version: str | None = None,
                    cls: type[Message] | None = None) -> Message:
    """Parse proto-JSON; the class comes from "@type" unless `cls` is given. Unknown fields are an error."""
    if cls is None:
        type_url = doc.get("@type")
        if not isinstance(type_url, str):
            raise WorkbenchError('proto-JSON object has no "@type" string, so its message type is unknown')
        cls = message_class(type_url, ics_version=ics_version)
    body = {k: v for k, v in doc.items() if k != "@type"}
    _load_known_modules()
    pool = _pool_for(ics_version)
    body = legacy_dec.json_to_wire(cls.DESCRIPTOR, body, pool)
    try:
        return json_format.ParseDict(body, cls(), descriptor_pool=pool)
    except json_format.ParseError as exc:
        raise WorkbenchError(f"{cls.DESCRIPTOR.full_name}: {exc}") from None


def signer_fields(descriptor: Descriptor) -> list[str]:
    """Field names the message declares as signers (`cosmos.msg.v1.signer`), [] when it declares none."""
    from cosmos.msg.v1 import msg_pb2

    options = descriptor.GetOptions()
    return list(options.Extensions[msg_pb2.signer])
