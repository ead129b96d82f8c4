"""Protobuf messages cosmpy lacks (ICS provider, CanonicalVote), generated from the .proto files kept here.

Usage summary (see `registry` for details)::

    from ics_workbench.proto import provider_tx_pb2 as ics_tx, provider_pb2, canonical_pb2
    from ics_workbench.proto import registry
    msg = ics_tx.MsgOptIn(provider_addr="cosmosvaloper1...", signer="cosmos1...", consumer_id="0")
    any_msg = registry.pack(msg)                    # google.protobuf.Any, type URL /interchain_security...MsgOptIn
    again = registry.unpack(any_msg)                # -> MsgOptIn (any registered type, cosmpy's included)
    doc = registry.to_proto_json(msg)               # {"@type": "/interchain_security...MsgOptIn", ...}
    assert registry.from_proto_json(doc) == msg
    registry.pack(addition, ics_version="v5.0.0")   # MsgConsumerAddition in the v5.0.0 wire layout (authority=13)
    registry.message_class("/cosmos.gov.v1.MsgVote")  # cosmpy's class, same as cosmos.gov.v1.tx_pb2.MsgVote

Sources live in `sources/`, generated code in `gen/` (regenerate: `python -m ics_workbench.proto.generate`; a test
fails when the committed output differs). Never edit `gen/` by hand.
"""

import cosmpy.protos  # noqa: F401  (makes cosmpy's top-level `cosmos`, `tendermint`, `ibc` packages importable)

from ics_workbench.proto.gen.icswb.ics_v5_0_0.provider.v1 import tx_pb2 as provider_v5_0_0_tx_pb2
from ics_workbench.proto.gen.icswb.tendermint.types import canonical_pb2
from ics_workbench.proto.gen.interchain_security.ccv.provider.v1 import provider_pb2, tx_pb2 as provider_tx_pb2

__all__ = ["canonical_pb2", "provider_pb2", "provider_tx_pb2", "provider_v5_0_0_tx_pb2"]
