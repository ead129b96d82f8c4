"""Typed, immutable views of what chain nodes report.

The clients (:mod:`.comet`, :mod:`.rest`, :mod:`.provider`) decode raw JSON into these models in one place
per source, so the GUI, the CLI and every later feature read the same field names whatever the node's
version, and never index into raw dicts.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ics_workbench.chain.block_id import BlockId
from ics_workbench.foundation.coins import Coin
from ics_workbench.foundation.phases import ConsumerPhase


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NodeStatus(_Frozen):
    """CometBFT ``/status`` of one RPC endpoint."""

    url: str
    chain_id: str
    latest_height: int
    latest_time: datetime
    catching_up: bool
    node_version: str
    moniker: str
    node_id: str
    earliest_height: int | None = None


class BuildDep(_Frozen):
    path: str
    version: str


class NodeInfo(_Frozen):
    """REST ``node_info``: the app binary behind the node, which tells which ICS version it runs."""

    chain_id: str
    moniker: str
    comet_version: str
    app_name: str
    binary_name: str
    app_version: str
    sdk_version: str
    go_version: str
    git_commit: str
    build_deps: tuple[BuildDep, ...] = ()

    def dep_version(self, module_prefix: str) -> tuple[str, str] | None:
        """(module path, version) of the first build dependency whose path starts with ``module_prefix``."""
        for dep in self.build_deps:
            if dep.path == module_prefix or dep.path.startswith(module_prefix + "/"):
                return dep.path, dep.version
        return None


class Commission(_Frozen):
    rate: Decimal
    max_rate: Decimal
    max_change_rate: Decimal


class Validator(_Frozen):
    """A provider staking validator; the provider is the source of truth for validator identity."""

    moniker: str
    operator_address: str
    consensus_pubkey_type: str
    consensus_pubkey: str
    """base64 of the raw public key bytes"""
    consensus_address: str | None
    """valcons bech32 (None for key types whose address derivation is unknown)"""
    consensus_hex: str | None
    """CometBFT address (upper-case hex), the form that appears in blocks and evidence"""
    tokens: int
    power: int
    share: float
    """fraction of the bonded power of the validators it was loaded with"""
    jailed: bool
    status: str
    """``BOND_STATUS_BONDED`` / ``UNBONDING`` / ``UNBONDED``"""
    commission: Commission
    identity: str = ""
    website: str = ""
    details: str = ""


class PowerShaping(_Frozen):
    top_n: int = 0
    validators_power_cap: int = 0
    validator_set_cap: int = 0
    allowlist: tuple[str, ...] = ()
    denylist: tuple[str, ...] = ()
    prioritylist: tuple[str, ...] = ()
    min_stake: int = 0
    allow_inactive_vals: bool = False


class SlashJail(_Frozen):
    slash_fraction: Decimal
    jail_duration_seconds: Decimal
    tombstone: bool


class InfractionParams(_Frozen):
    double_sign: SlashJail | None = None
    downtime: SlashJail | None = None


class InitParams(_Frozen):
    initial_height_revision_number: int = 0
    initial_height_revision_height: int = 0
    genesis_hash: str = ""
    binary_hash: str = ""
    spawn_time: datetime | None = None
    unbonding_period_seconds: Decimal | None = None
    ccv_timeout_period_seconds: Decimal | None = None
    transfer_timeout_period_seconds: Decimal | None = None
    consumer_redistribution_fraction: str = ""
    blocks_per_distribution_transmission: int = 0
    historical_entries: int = 0
    distribution_transmission_channel: str = ""
    connection_id: str = ""


class ConsumerMetadata(_Frozen):
    name: str = ""
    description: str = ""
    metadata: str = ""


class ConsumerChain(_Frozen):
    """One consumer chain as the provider describes it (v6+ list + detail, or v4/v5 chain-id entries)."""

    consumer_id: str | None
    chain_id: str
    phase: ConsumerPhase
    client_id: str = ""
    min_power_in_top_n: int = -1
    power_shaping: PowerShaping = PowerShaping()
    owner: str = ""
    spawn_time: datetime | None = None
    metadata: ConsumerMetadata = ConsumerMetadata()
    init_params: InitParams | None = None
    infraction_parameters: InfractionParams | None = None
    allowlisted_reward_denoms: tuple[str, ...] = ()
    proposal_id: int | None = None
    """v4/v5: the gov proposal that added a not yet launched chain"""

    @property
    def key(self) -> str:
        """What provider queries are keyed by: the consumer id on v6+, the chain id on v4/v5."""
        return self.consumer_id if self.consumer_id is not None else self.chain_id

    @property
    def top_n(self) -> int:
        return self.power_shaping.top_n


class ConsumerValidator(_Frozen):
    """A validator in a consumer's (current or would-be) set, as the provider reports it."""

    provider_address: str
    consumer_key_type: str
    consumer_key: str
    """base64 of the raw consumer public key"""
    power: int
    consumer_commission_rate: Decimal | None = None
    provider_commission_rate: Decimal | None = None
    moniker: str = ""
    provider_operator_address: str = ""
    jailed: bool | None = None
    status: str = ""
    provider_tokens: int | None = None
    provider_power: int | None = None
    validates_current_epoch: bool | None = None


class KeyAssignment(_Frozen):
    provider_address: str
    consumer_address: str
    consumer_key_type: str = ""
    consumer_key: str = ""


class ProviderParams(_Frozen):
    trusting_period_fraction: str = ""
    ccv_timeout_period_seconds: Decimal | None = None
    slash_meter_replenish_period_seconds: Decimal | None = None
    slash_meter_replenish_fraction: str = ""
    consumer_reward_denom_registration_fee: str = ""
    blocks_per_epoch: int | None = None
    number_of_epochs_to_start_receiving_rewards: int | None = None
    max_provider_consensus_validators: int | None = None


class GovParams(_Frozen):
    min_deposit: tuple[Coin, ...]
    max_deposit_period_seconds: Decimal
    voting_period_seconds: Decimal
    quorum: Decimal
    threshold: Decimal
    veto_threshold: Decimal
    expedited_voting_period_seconds: Decimal | None = None
    expedited_threshold: Decimal | None = None
    expedited_min_deposit: tuple[Coin, ...] = ()
    min_initial_deposit_ratio: Decimal | None = None
    min_deposit_ratio: Decimal | None = None  # SDK v0.50.5+: every deposit, the initial one too, needs this share


class StakingParams(_Frozen):
    bond_denom: str
    unbonding_time_ns: int | None = None
    """None when the node leaves it out"""


class SlashingParams(_Frozen):
    signed_blocks_window: int
    min_signed_per_window: Decimal
    downtime_jail_duration_seconds: Decimal
    slash_fraction_double_sign: Decimal
    slash_fraction_downtime: Decimal


class SigningInfo(_Frozen):
    address: str
    start_height: int
    index_offset: int
    jailed_until: datetime | None
    tombstoned: bool
    missed_blocks_counter: int


class CometValidator(_Frozen):
    address: str
    """upper-case hex"""
    pub_key_type: str
    """e.g. ``tendermint/PubKeyEd25519``"""
    pub_key: str
    """base64"""
    voting_power: int
    proposer_priority: int


class CommitSig(_Frozen):
    block_id_flag: int
    validator_address: str
    timestamp: datetime | None
    signature: str


class Header(_Frozen):
    chain_id: str
    height: int
    time: datetime
    proposer_address: str
    validators_hash: str = ""
    next_validators_hash: str = ""
    app_hash: str = ""
    last_block_id: BlockId | None = None


class Commit(_Frozen):
    height: int
    round: int
    block_id: BlockId
    signatures: tuple[CommitSig, ...]


class Block(_Frozen):
    block_id: BlockId
    header: Header
    tx_count: int
    evidence_count: int
    last_commit: Commit | None


class SignedHeader(_Frozen):
    header: Header
    commit: Commit
    canonical: bool = True


class EndpointLag(_Frozen):
    """How far one RPC or REST endpoint is behind the most advanced one (block-time lag)."""

    url: str
    height: int | None
    time: datetime | None
    lag_blocks: int | None
    lag_seconds: float | None
    error: str | None = None
    kind: Literal["rpc", "rest"] = "rpc"
