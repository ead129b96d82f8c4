"""pydantic models of every ICS provider message and legacy content the workbench drafts.

Values are held in one neutral form (durations as integer nanoseconds, timestamps as aware datetimes, bytes
as bytes, 64-bit integers as int) and the JSON codecs translate to the gov proto-JSON or the provider CLI's Go
``encoding/json`` shape. The ``Wire`` marker on a field tells the codecs which translation applies. Field
names are the proto names (``top_N`` included) because both JSON formats use them.

Which fields a user actually wrote is kept by pydantic in ``model_fields_set``: the update diff uses it to
tell an explicit zero from a field the chain will silently reset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

PROVIDER_PKG = "/interchain_security.ccv.provider.v1."


class Wire:
    """How a scalar is spelled on the wire: duration, timestamp, bytes, int64, uint64, uint32, dec."""

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
UInt32 = Annotated[int, Wire("uint32")]
Dec = Annotated[str, Wire("dec")]

NS = 1_000_000_000
DAY_NS = 86_400 * NS
PERMANENT_JAIL_NS = (1 << 63) - 1


class IcsModel(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, arbitrary_types_allowed=False)


class Height(IcsModel):
    revision_number: UInt64 = 0
    revision_height: UInt64 = 0


class ConsumerMetadata(IcsModel):
    name: str = ""
    description: str = ""
    metadata: str = ""


class ConsumerInitializationParameters(IcsModel):
    initial_height: Height = Field(default_factory=lambda: Height(revision_number=1, revision_height=1))
    genesis_hash: Bytes = b""
    binary_hash: Bytes = b""
    spawn_time: Timestamp = None
    unbonding_period: DurationNs = 20 * DAY_NS
    ccv_timeout_period: DurationNs = 28 * DAY_NS
    transfer_timeout_period: DurationNs = 3600 * NS
    consumer_redistribution_fraction: str = "0.75"
    blocks_per_distribution_transmission: Int64 = 1000
    historical_entries: Int64 = 10000
    distribution_transmission_channel: str = ""
    connection_id: str = ""  # v6.4.0+


class PowerShapingParameters(IcsModel):
    top_N: UInt32 = 0
    validators_power_cap: UInt32 = 0
    validator_set_cap: UInt32 = 0
    allowlist: list[str] = Field(default_factory=list)
    denylist: list[str] = Field(default_factory=list)
    min_stake: UInt64 = 0
    allow_inactive_vals: bool = False
    prioritylist: list[str] = Field(default_factory=list)  # v6.4.0+


class AllowlistedRewardDenoms(IcsModel):
    denoms: list[str] = Field(default_factory=list)


class SlashJailParameters(IcsModel):
    slash_fraction: Dec = "0"
    jail_duration: DurationNs = 0
    tombstone: bool = False


class InfractionParameters(IcsModel):
    double_sign: SlashJailParameters | None = None
    downtime: SlashJailParameters | None = None


class IcsMessage(IcsModel):
    """A message or legacy content with a type URL; ``signer_field`` names who must sign it (None: content)."""

    type_url: ClassVar[str]
    signer_field: ClassVar[str | None] = None
    is_legacy_content: ClassVar[bool] = False

    def signer(self) -> str | None:
        return getattr(self, self.signer_field) if self.signer_field else None


# --- permissionless ICS (v6+) -----------------------------------------------------------------------------


class MsgCreateConsumer(IcsMessage):
    type_url: ClassVar[str] = PROVIDER_PKG + "MsgCreateConsumer"
    signer_field: ClassVar[str | None] = "submitter"
    submitter: str = ""
    chain_id: str = ""
    metadata: ConsumerMetadata = Field(default_factory=ConsumerMetadata)
    initialization_parameters: ConsumerInitializationParameters | None = None
    power_shaping_parameters: PowerShapingParameters | None = None
    allowlisted_reward_denoms: AllowlistedRewardDenoms | None = None
    infraction_parameters: InfractionParameters | None = None


class MsgUpdateConsumer(IcsMessage):
    type_url: ClassVar[str] = PROVIDER_PKG + "MsgUpdateConsumer"
    signer_field: ClassVar[str | None] = "owner"
    owner: str = ""
    consumer_id: str = ""
    new_owner_address: str = ""
    metadata: ConsumerMetadata | None = None
    initialization_parameters: ConsumerInitializationParameters | None = None
    power_shaping_parameters: PowerShapingParameters | None = None
    allowlisted_reward_denoms: AllowlistedRewardDenoms | None = None
    new_chain_id: str = ""
    infraction_parameters: InfractionParameters | None = None


class MsgRemoveConsumer(IcsMessage):
    type_url: ClassVar[str] = PROVIDER_PKG + "MsgRemoveConsumer"
    signer_field: ClassVar[str | None] = "owner"
    consumer_id: str = ""
    owner: str = ""


class MsgChangeRewardDenoms(IcsMessage):
    type_url: ClassVar[str] = PROVIDER_PKG + "MsgChangeRewardDenoms"
    signer_field: ClassVar[str | None] = "authority"
    denoms_to_add: list[str] = Field(default_factory=list)
    denoms_to_remove: list[str] = Field(default_factory=list)
    authority: str = ""


class MsgUpdateParams(IcsMessage):
    """Replaces ALL provider params; ``params`` is kept in proto-JSON form (it nests an IBC client state)."""

    type_url: ClassVar[str] = PROVIDER_PKG + "MsgUpdateParams"
    signer_field: ClassVar[str | None] = "authority"
    authority: str = ""
    params: dict[str, Any] = Field(default_factory=dict)


class MsgSubmitConsumerDoubleVoting(IcsMessage):
    """Evidence and header stay in proto-JSON (the evidence tooling produces them; the chain re-verifies)."""

    type_url: ClassVar[str] = PROVIDER_PKG + "MsgSubmitConsumerDoubleVoting"
    signer_field: ClassVar[str | None] = "submitter"
    submitter: str = ""
    duplicate_vote_evidence: dict[str, Any] | None = None
    infraction_block_header: dict[str, Any] | None = None
    consumer_id: str = ""  # v6.0.0+


class MsgSubmitConsumerMisbehaviour(IcsMessage):
    type_url: ClassVar[str] = PROVIDER_PKG + "MsgSubmitConsumerMisbehaviour"
    signer_field: ClassVar[str | None] = "submitter"
    submitter: str = ""
    misbehaviour: dict[str, Any] | None = None
    consumer_id: str = ""  # v6.0.0+


# --- v5 gov messages (not routable from v6.0.0) -----------------------------------------------------------


class MsgConsumerAddition(IcsMessage):
    """v5 only. Note the wire renumbering: ``authority`` is field 13 in v5.0.0 and 18 from v5.1.0."""

    type_url: ClassVar[str] = PROVIDER_PKG + "MsgConsumerAddition"
    signer_field: ClassVar[str | None] = "authority"
    chain_id: str = ""
    initial_height: Height = Field(default_factory=Height)
    genesis_hash: Bytes = b""
    binary_hash: Bytes = b""
    spawn_time: Timestamp = None
    unbonding_period: DurationNs = 0
    ccv_timeout_period: DurationNs = 0
    transfer_timeout_period: DurationNs = 0
    consumer_redistribution_fraction: str = ""
    blocks_per_distribution_transmission: Int64 = 0
    historical_entries: Int64 = 0
    distribution_transmission_channel: str = ""
    top_N: UInt32 = 0
    validators_power_cap: UInt32 = 0
    validator_set_cap: UInt32 = 0
    allowlist: list[str] = Field(default_factory=list)
    denylist: list[str] = Field(default_factory=list)
    authority: str = ""


class MsgConsumerRemoval(IcsMessage):
    type_url: ClassVar[str] = PROVIDER_PKG + "MsgConsumerRemoval"
    signer_field: ClassVar[str | None] = "authority"
    chain_id: str = ""
    stop_time: Timestamp = None
    authority: str = ""


class MsgConsumerModification(IcsMessage):
    type_url: ClassVar[str] = PROVIDER_PKG + "MsgConsumerModification"
    signer_field: ClassVar[str | None] = "authority"
    title: str = ""
    description: str = ""
    chain_id: str = ""
    top_N: UInt32 = 0
    validators_power_cap: UInt32 = 0
    validator_set_cap: UInt32 = 0
    allowlist: list[str] = Field(default_factory=list)
    denylist: list[str] = Field(default_factory=list)
    authority: str = ""


# --- legacy gov v1beta1 contents (v4/v5, executed through MsgExecLegacyContent) --------------------------


class ConsumerAdditionProposal(IcsMessage):
    type_url: ClassVar[str] = PROVIDER_PKG + "ConsumerAdditionProposal"
    is_legacy_content: ClassVar[bool] = True
    title: str = ""
    description: str = ""
    chain_id: str = ""
    initial_height: Height = Field(default_factory=Height)
    genesis_hash: Bytes = b""
    binary_hash: Bytes = b""
    spawn_time: Timestamp = None
    unbonding_period: DurationNs = 0
    ccv_timeout_period: DurationNs = 0
    transfer_timeout_period: DurationNs = 0
    consumer_redistribution_fraction: str = ""
    blocks_per_distribution_transmission: Int64 = 0
    historical_entries: Int64 = 0
    distribution_transmission_channel: str = ""
    top_N: UInt32 = 0
    validators_power_cap: UInt32 = 0
    validator_set_cap: UInt32 = 0
    allowlist: list[str] = Field(default_factory=list)
    denylist: list[str] = Field(default_factory=list)


class ConsumerRemovalProposal(IcsMessage):
    type_url: ClassVar[str] = PROVIDER_PKG + "ConsumerRemovalProposal"
    is_legacy_content: ClassVar[bool] = True
    title: str = ""
    description: str = ""
    chain_id: str = ""
    stop_time: Timestamp = None


class ConsumerModificationProposal(IcsMessage):
    type_url: ClassVar[str] = PROVIDER_PKG + "ConsumerModificationProposal"
    is_legacy_content: ClassVar[bool] = True
    title: str = ""
    description: str = ""
    chain_id: str = ""
    top_N: UInt32 = 0
    validators_power_cap: UInt32 = 0
    validator_set_cap: UInt32 = 0
    allowlist: list[str] = Field(default_factory=list)
    denylist: list[str] = Field(default_factory=list)


class ChangeRewardDenomsProposal(IcsMessage):
    type_url: ClassVar[str] = PROVIDER_PKG + "ChangeRewardDenomsProposal"
    is_legacy_content: ClassVar[bool] = True
    title: str = ""
    description: str = ""
    denoms_to_add: list[str] = Field(default_factory=list)
    denoms_to_remove: list[str] = Field(default_factory=list)


class Equivocation(IcsModel):
    height: Int64 = 0
    time: Timestamp = None
    power: Int64 = 0
    consensus_address: str = ""


class EquivocationProposal(IcsMessage):
    """Deprecated: registered only so old proposals decode; no v4+ provider handles it."""

    type_url: ClassVar[str] = PROVIDER_PKG + "EquivocationProposal"
    is_legacy_content: ClassVar[bool] = True
    title: str = ""
    description: str = ""
    equivocations: list[Equivocation] = Field(default_factory=list)


MESSAGE_TYPES: dict[str, type[IcsMessage]] = {
    cls.type_url: cls
    for cls in (
        MsgCreateConsumer,
        MsgUpdateConsumer,
        MsgRemoveConsumer,
        MsgChangeRewardDenoms,
        MsgUpdateParams,
        MsgSubmitConsumerDoubleVoting,
        MsgSubmitConsumerMisbehaviour,
        MsgConsumerAddition,
        MsgConsumerRemoval,
        MsgConsumerModification,
        ConsumerAdditionProposal,
        ConsumerRemovalProposal,
        ConsumerModificationProposal,
        ChangeRewardDenomsProposal,
        EquivocationProposal,
    )
}

EXEC_LEGACY_CONTENT = "/cosmos.gov.v1.MsgExecLegacyContent"
MSG_SUBMIT_PROPOSAL = "/cosmos.gov.v1.MsgSubmitProposal"
