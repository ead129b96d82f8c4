"""Build the draft models from the provider's protobuf descriptors, so a field added to the ``.proto`` appears in
the forms, the codecs and the rules without another edit.

Each drafted message becomes a pydantic model (:class:`~ics_workbench.proposals.model_base.IcsMessage`) whose fields
are the descriptor's fields in declaration order, spelled with the neutral value types of ``model_base``:

* ``google.protobuf.Duration`` -> integer nanoseconds, ``Timestamp`` -> aware datetime (None = Go's zero time);
* ``bytes`` -> bytes, 64/32-bit integers -> int with their ``Wire`` kind (the codecs check the Go range);
* a string or bytes field declared ``(gogoproto.customtype) = LegacyDec`` -> a decimal string (``dec``), the same
  test :mod:`ics_workbench.proto.legacy_dec` uses for the wire conversion;
* a provider sub-message -> a nested model (optional unless listed in ``NOT_NULL``); a message of another package
  -> its proto-JSON dict, unless it is one of the few plain ones listed in ``STRUCTURED_EXTERNAL``.

The type URL, the signer (``cosmos.msg.v1.signer``) and whether it is a gov v1beta1 Content
(``cosmos_proto.implements_interface``) also come from the descriptor. What the descriptor cannot say lives in
the small overlay below: template defaults, sub-messages Go holds by value, fields kept as proto-JSON, and fields
not offered yet. Static types for mypy come from ``models.pyi``, written from the same models by :func:`render_stub`
(``python -m ics_workbench.proposals.schema``; a test requires it to be current).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from pydantic import Field, create_model
from pydantic.fields import FieldInfo

from ics_workbench.proposals.model_base import (
    DAY_NS,
    NS,
    Bytes,
    Dec,
    DurationNs,
    IcsMessage,
    IcsModel,
    Int32,
    Int64,
    Timestamp,
    UInt32,
    UInt64,
)
from ics_workbench.proto.legacy_dec import is_legacy_dec
from ics_workbench.proto.registry import signer_fields

DURATION = "google.protobuf.Duration"
TIMESTAMP = "google.protobuf.Timestamp"
GOV_CONTENT = "cosmos.gov.v1beta1.Content"
MODELS_MODULE = "ics_workbench.proposals.models"

# Messages the workbench drafts, in the order the CLI and the GUI list them.
DRAFTED = (
    "MsgCreateConsumer", "MsgUpdateConsumer", "MsgRemoveConsumer", "MsgChangeRewardDenoms", "MsgUpdateParams",
    "MsgSubmitConsumerDoubleVoting", "MsgSubmitConsumerMisbehaviour", "MsgConsumerAddition", "MsgConsumerRemoval",
    "MsgConsumerModification", "ConsumerAdditionProposal", "ConsumerRemovalProposal",
    "ConsumerModificationProposal", "ChangeRewardDenomsProposal", "EquivocationProposal",
)

# Messages of other packages that are edited field by field (everything else foreign stays proto-JSON).
STRUCTURED_EXTERNAL = frozenset({"ibc.core.client.v1.Height", "cosmos.evidence.v1beta1.Equivocation"})


@dataclass(frozen=True)
class Overlay:
    """What the descriptors cannot say, keyed by (message name, field name)."""

    # Sensible values for a new draft; a value or a zero-argument factory (called per instance).
    defaults: Mapping[tuple[str, str], Any] = field(default_factory=dict)
    # Sub-messages the Go struct holds by value (gogoproto.nullable=false upstream): never None in a draft.
    not_null: frozenset[tuple[str, str]] = frozenset()
    # Provider sub-messages kept as proto-JSON (they nest IBC client states).
    opaque: frozenset[tuple[str, str]] = frozenset()
    # Fields not offered in drafts, so that the files written stay as they were (see the report in NOT_OFFERED).
    not_offered: frozenset[tuple[str, str]] = frozenset()
    docs: Mapping[str, str] = field(default_factory=dict)


def _initial_height() -> Any:
    from ics_workbench.proposals import models  # built from this module: imported when a draft is made

    return models.Height(revision_number=1, revision_height=1)


_PSS_LATE = ("min_stake", "allow_inactive_vals")

OVERLAY = Overlay(
    defaults={
        # A new consumer starts from values a real launch uses, not from Go's zeros.
        ("ConsumerInitializationParameters", "initial_height"): _initial_height,
        ("ConsumerInitializationParameters", "unbonding_period"): 20 * DAY_NS,
        ("ConsumerInitializationParameters", "ccv_timeout_period"): 28 * DAY_NS,
        ("ConsumerInitializationParameters", "transfer_timeout_period"): 3600 * NS,
        ("ConsumerInitializationParameters", "consumer_redistribution_fraction"): "0.75",
        ("ConsumerInitializationParameters", "blocks_per_distribution_transmission"): 1000,
        ("ConsumerInitializationParameters", "historical_entries"): 10000,
    },
    not_null=frozenset({
        ("MsgCreateConsumer", "metadata"), ("ConsumerInitializationParameters", "initial_height"),
        ("MsgConsumerAddition", "initial_height"), ("ConsumerAdditionProposal", "initial_height"),
        ("MsgUpdateParams", "params"),
    }),
    opaque=frozenset({("MsgUpdateParams", "params")}),
    # min_stake / allow_inactive_vals of the v4/v5 gov messages and legacy contents: no v4 or v5 tag has them
    # (they appear in these messages only from v6.0.0, where the messages have no route), so no provider that
    # executes these messages knows them.
    not_offered=frozenset(
        (msg, f) for msg in ("MsgConsumerAddition", "MsgConsumerModification", "ConsumerAdditionProposal",
                             "ConsumerModificationProposal") for f in _PSS_LATE
    ),
    docs={
        "MsgUpdateParams": "Replaces ALL provider params; ``params`` is kept in proto-JSON form (it nests an IBC "
                           "client state).",
        "MsgSubmitConsumerDoubleVoting": "Evidence and header stay in proto-JSON (the evidence tooling produces "
                                         "them; the chain re-verifies).",
        "MsgConsumerAddition": "v5 only. Note the wire renumbering: ``authority`` is field 13 in v5.0.0 and 18 "
                               "from v5.1.0.",
        "EquivocationProposal": "Deprecated: registered only so old proposals decode; no v4+ provider handles it.",
    },
)

_INTEGERS: dict[int, Any] = {
    FieldDescriptor.TYPE_INT64: Int64, FieldDescriptor.TYPE_SINT64: Int64, FieldDescriptor.TYPE_SFIXED64: Int64,
    FieldDescriptor.TYPE_UINT64: UInt64, FieldDescriptor.TYPE_FIXED64: UInt64,
    FieldDescriptor.TYPE_INT32: Int32, FieldDescriptor.TYPE_SINT32: Int32, FieldDescriptor.TYPE_SFIXED32: Int32,
    FieldDescriptor.TYPE_UINT32: UInt32, FieldDescriptor.TYPE_FIXED32: UInt32,
}


class SchemaError(Exception):
    """A descriptor field the draft models cannot represent (a programming error: fails at import, in tests)."""


@dataclass
class FieldPlan:
    """One model field: its runtime annotation, default, and the type spelled for the stub."""

    annotation: Any
    default: Any  # a pydantic FieldInfo (typed Any: Field()'s overloads return the default's type)
    stub_type: str


@dataclass
class ModelPlan:
    name: str
    fields: dict[str, FieldPlan]
    message: bool


class _Builder:
    def __init__(self, package: str, overlay: Overlay) -> None:
        self.package = package
        self.overlay = overlay
        self.models: dict[str, type[IcsModel]] = {}
        self.plans: dict[str, ModelPlan] = {}

    def model(self, desc: Descriptor, *, message: bool) -> type[IcsModel]:
        if desc.name in self.models:
            return self.models[desc.name]
        fields = {fd.name: self.field(desc.name, fd) for fd in desc.fields
                  if (desc.name, fd.name) not in self.overlay.not_offered}
        base: type[IcsModel] = IcsMessage if message else IcsModel
        definitions: dict[str, Any] = {n: (p.annotation, p.default) for n, p in fields.items()}
        cls = create_model(desc.name, __base__=base, __module__=MODELS_MODULE,
                           __doc__=self.overlay.docs.get(desc.name), **definitions)
        if message:
            msg_cls = cast(type[IcsMessage], cls)
            msg_cls.type_url = f"/{desc.full_name}"
            signers = signer_fields(desc)
            msg_cls.signer_field = signers[0] if signers else None
            msg_cls.is_legacy_content = GOV_CONTENT in _implements(desc)
        self.models[desc.name] = cls
        self.plans[desc.name] = ModelPlan(desc.name, fields, message)
        return cls

    def _structured(self, owner: str, fd: FieldDescriptor) -> bool:
        sub = fd.message_type
        if sub.full_name in STRUCTURED_EXTERNAL:
            return True
        return sub.full_name.startswith(self.package + ".") and (owner, fd.name) not in self.overlay.opaque

    def field(self, owner: str, fd: FieldDescriptor) -> FieldPlan:
        key = (owner, fd.name)
        repeated = fd.label == FieldDescriptor.LABEL_REPEATED
        if fd.message_type is not None and fd.message_type.full_name not in (DURATION, TIMESTAMP):
            if repeated:
                if not self._structured(owner, fd):
                    raise SchemaError(f"{owner}.{fd.name}: repeated {fd.message_type.full_name} is not supported")
                sub = self.model(fd.message_type, message=False)
                return FieldPlan(list.__class_getitem__(sub), Field(default_factory=list), f"list[{sub.__name__}]")
            return self._message_field(owner, fd, key)
        annotation, zero, stub = self._scalar(owner, fd)
        if repeated:
            if annotation is not str:
                raise SchemaError(f"{owner}.{fd.name}: repeated {stub} is not supported")
            return FieldPlan(list[str], Field(default_factory=list), "list[str]")
        return FieldPlan(annotation, _default(self.overlay.defaults.get(key, zero)), stub)

    def _message_field(self, owner: str, fd: FieldDescriptor, key: tuple[str, str]) -> FieldPlan:
        not_null = key in self.overlay.not_null
        if not self._structured(owner, fd):
            if not_null:
                return FieldPlan(dict[str, Any], Field(default_factory=dict), "dict[str, Any]")
            return FieldPlan(dict[str, Any] | None, Field(default=None), "dict[str, Any] | None")
        sub = self.model(fd.message_type, message=False)
        if not_null:
            factory = self.overlay.defaults.get(key, sub)
            return FieldPlan(sub, Field(default_factory=factory), sub.__name__)
        return FieldPlan(sub | None, Field(default=None), f"{sub.__name__} | None")

    def _scalar(self, owner: str, fd: FieldDescriptor) -> tuple[Any, Any, str]:
        """(annotation with its Wire kind, Go's zero value, type for the stub)."""
        if fd.message_type is not None:
            if fd.message_type.full_name == DURATION:
                return DurationNs, 0, "int"
            return Timestamp, None, "datetime | None"
        if is_legacy_dec(fd):
            return Dec, "0", "str"
        if fd.type == FieldDescriptor.TYPE_STRING:
            return str, "", "str"
        if fd.type == FieldDescriptor.TYPE_BOOL:
            return bool, False, "bool"
        if fd.type == FieldDescriptor.TYPE_BYTES:
            return Bytes, b"", "bytes"
        if fd.type in _INTEGERS:
            return _INTEGERS[fd.type], 0, "int"
        raise SchemaError(f"{owner}.{fd.name}: protobuf type {fd.type} has no draft value type yet")


def _default(value: Any) -> FieldInfo:
    if callable(value):
        return cast(FieldInfo, Field(default_factory=cast(Callable[[], Any], value)))
    return cast(FieldInfo, Field(default=value))


def _implements(desc: Descriptor) -> list[str]:
    """The interfaces the message declares it implements (``cosmos_proto.implements_interface``)."""
    from cosmos_proto import cosmos_pb2  # importable once ics_workbench.proto has put cosmpy's packages on the path

    return list(desc.GetOptions().Extensions[cosmos_pb2.implements_interface])


@dataclass
class BuiltModels:
    """The models built from one set of descriptors, by message name, and their plans (for the stub)."""

    models: dict[str, type[IcsModel]]
    messages: dict[str, type[IcsMessage]]
    plans: dict[str, ModelPlan]


def build_models(
    descriptors: Iterable[Descriptor], *, package: str = "interchain_security.ccv.provider.v1",
    overlay: Overlay = OVERLAY,
) -> BuiltModels:
    """Models for ``descriptors`` (the drafted messages) and every sub-message they reach."""
    builder = _Builder(package, overlay)
    messages: dict[str, type[IcsMessage]] = {}
    for desc in descriptors:
        messages[desc.name] = cast(type[IcsMessage], builder.model(desc, message=True))
    return BuiltModels(builder.models, messages, builder.plans)


def provider_descriptors() -> list[Descriptor]:
    """The drafted messages of the provider's tx.proto and provider.proto, in ``DRAFTED`` order."""
    from ics_workbench.proto import provider_pb2, provider_tx_pb2

    by_name = {**provider_pb2.DESCRIPTOR.message_types_by_name, **provider_tx_pb2.DESCRIPTOR.message_types_by_name}
    return [by_name[name] for name in DRAFTED]


_STUB_HEAD = (
    '''"""Static types of the draft models (generated by ``python -m ics_workbench.proposals.schema``; do not edit).

The runtime models are built from the protobuf descriptors by ``ics_workbench.proposals.schema``.
"""

from datetime import datetime
from typing import Any

from ics_workbench.proposals.model_base import (
    DAY_NS as DAY_NS,
    EXEC_LEGACY_CONTENT as EXEC_LEGACY_CONTENT,
    MSG_SUBMIT_PROPOSAL as MSG_SUBMIT_PROPOSAL,
    NS as NS,
    PERMANENT_JAIL_NS as PERMANENT_JAIL_NS,
    PROVIDER_PKG as PROVIDER_PKG,
    IcsMessage as IcsMessage,
    IcsModel as IcsModel,
    Wire as Wire,
)
from ics_workbench.proposals.schema import BuiltModels
'''
)


def render_stub(built: BuiltModels) -> str:
    """``models.pyi``: one class per model with its field types, in dependency order."""
    lines = [_STUB_HEAD]
    for plan in built.plans.values():
        lines.append(f"\nclass {plan.name}({'IcsMessage' if plan.message else 'IcsModel'}):")
        lines.extend(f"    {name}: {p.stub_type}" for name, p in plan.fields.items())
        lines.append("    def __init__(")
        lines.append("        self,")
        if plan.fields:
            lines.append("        *,")
        lines.extend(f"        {name}: {p.stub_type} = ...," for name, p in plan.fields.items())
        lines.append("    ) -> None: ...")
    lines.append("\nBUILT: BuiltModels")
    lines.append("MESSAGE_TYPES: dict[str, type[IcsMessage]]\n")
    return "\n".join(lines)


STUB_PATH = Path(__file__).with_name("models.pyi")


def main(argv: list[str] | None = None) -> int:
    """Write ``models.pyi`` from the current descriptors (``--check``: only compare, exit 1 when stale)."""
    from ics_workbench.proposals import models

    args = sys.argv[1:] if argv is None else argv
    text = render_stub(models.BUILT)
    if "--check" in args:
        return 0 if STUB_PATH.read_text() == text else 1
    STUB_PATH.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
