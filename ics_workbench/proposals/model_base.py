"""The fixed vocabulary of the draft models: neutral value types, ``Wire`` markers and the two base classes.

The models themselves are built from the provider's protobuf descriptors (:mod:`ics_workbench.proposals.schema`).
Values are held in one neutral form (durations as integer nanoseconds, timestamps as aware datetimes, bytes as
bytes, 64-bit integers as int) and the JSON codecs translate to the gov proto-JSON or the provider CLI's Go
``encoding/json`` shape. The ``Wire`` marker on a field tells the codecs which translation applies.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict

PROVIDER_PKG = "/interchain_security.ccv.provider.v1."
EXEC_LEGACY_CONTENT = "/cosmos.gov.v1.MsgExecLegacyContent"
MSG_SUBMIT_PROPOSAL = "/cosmos.gov.v1.MsgSubmitProposal"


class Wire:
    """How a scalar is spelled on the wire: duration, timestamp, bytes, int64, uint64, int32, uint32, dec."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"Wire({self.kind})"


DurationNs = Annotated[int, Wire("duration")]
Timestamp = Annotated[datetime | None, Wire("timestamp")]
Bytes = Annotated[bytes, Wire("bytes")]
Int64 = Annotated[int, Wire("int64")]
UInt64 = Annotated[int, Wire("uint64")]
Int32 = Annotated[int, Wire("int32")]
UInt32 = Annotated[int, Wire("uint32")]
Dec = Annotated[str, Wire("dec")]

NS = 1_000_000_000
DAY_NS = 86_400 * NS
PERMANENT_JAIL_NS = (1 << 63) - 1


class IcsModel(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, arbitrary_types_allowed=False)


class IcsMessage(IcsModel):
    """A message or legacy content with a type URL; ``signer_field`` names who must sign it (None: content)."""

    type_url: ClassVar[str]
    signer_field: ClassVar[str | None] = None
    is_legacy_content: ClassVar[bool] = False

    def signer(self) -> str | None:
        return getattr(self, self.signer_field) if self.signer_field else None
