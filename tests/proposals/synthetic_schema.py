"""A copy of the provider's descriptors with fields a future ICS release might add, in a private pool.

Used to show that a field added to the ``.proto`` reaches the draft models, the codecs, the rules and the GUI form
with no other edit (the models are built from descriptors by ``ics_workbench.proposals.schema``).
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool
from google.protobuf.descriptor import Descriptor, FileDescriptor

from ics_workbench.proposals.schema import DRAFTED, BuiltModels, build_models
from ics_workbench.proto import provider_pb2, provider_tx_pb2

F = descriptor_pb2.FieldDescriptorProto

# (message, field name, number, type, type_name): a scalar, a Duration and a 64-bit integer in a nested message.
NEW_FIELDS = (
    ("MsgCreateConsumer", "launch_note", 20, F.TYPE_STRING, ""),
    ("MsgCreateConsumer", "grace_period", 21, F.TYPE_MESSAGE, ".google.protobuf.Duration"),
    ("PowerShapingParameters", "max_stake", 30, F.TYPE_UINT64, ""),
)


def _with_new_fields(fd: FileDescriptor) -> descriptor_pb2.FileDescriptorProto:
    fdp = descriptor_pb2.FileDescriptorProto()
    fd.CopyToProto(fdp)
    for message in fdp.message_type:
        for owner, name, number, kind, type_name in NEW_FIELDS:
            if message.name == owner:
                added = message.field.add(name=name, number=number, type=kind, label=F.LABEL_OPTIONAL, json_name=name)
                if type_name:
                    added.type_name = type_name
    return fdp


def extended_models() -> BuiltModels:
    """Draft models built from the provider descriptors plus ``NEW_FIELDS``."""
    pool = descriptor_pool.DescriptorPool()
    added: set[str] = set()
    ours = {provider_pb2.DESCRIPTOR.name, provider_tx_pb2.DESCRIPTOR.name}

    def add(fd: FileDescriptor) -> None:
        if fd.name in added:
            return
        added.add(fd.name)
        for dep in fd.dependencies:
            add(dep)
        if fd.name in ours:
            pool.Add(_with_new_fields(fd))
        else:
            fdp = descriptor_pb2.FileDescriptorProto()
            fd.CopyToProto(fdp)
            pool.Add(fdp)

    add(provider_tx_pb2.DESCRIPTOR)
    descriptors: list[Descriptor] = [pool.FindMessageTypeByName(f"interchain_security.ccv.provider.v1.{name}")
                                     for name in DRAFTED]
    return build_models(descriptors)
