"""The protobuf modules evidence work needs (cosmpy's CometBFT/IBC, the proto package's CanonicalVote and ICS
provider messages), imported in one place.

cosmpy's generated modules import top-level ``tendermint``/``ibc`` packages that resolve only after
``cosmpy.protos`` put its folder on ``sys.path``; keeping that ordering here avoids it being repeated (and
forgotten) in every module that needs a CometBFT message.
"""

from __future__ import annotations

import cosmpy.protos  # noqa: F401  (must run first: makes the top-level proto packages importable)
from ibc.core.client.v1 import client_pb2
from ibc.lightclients.tendermint.v1 import tendermint_pb2
from tendermint.types import evidence_pb2, types_pb2, validator_pb2

from ics_workbench.proto.gen.icswb.tendermint.types import canonical_pb2
from ics_workbench.proto.gen.interchain_security.ccv.provider.v1 import tx_pb2 as provider_tx_pb2

__all__ = [
    "canonical_pb2",
    "client_pb2",
    "evidence_pb2",
    "provider_tx_pb2",
    "tendermint_pb2",
    "types_pb2",
    "validator_pb2",
]
