from cosmos.base.v1beta1 import coin_pb2 as _coin_pb2
from cosmos.evidence.v1beta1 import evidence_pb2 as _evidence_pb2
from cosmos_proto import cosmos_pb2 as _cosmos_pb2
from gogoproto import gogo_pb2 as _gogo_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from ibc.core.client.v1 import client_pb2 as _client_pb2
from ibc.lightclients.tendermint.v1 import tendermint_pb2 as _tendermint_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ConsumerPhase(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSUMER_PHASE_UNSPECIFIED: _ClassVar[ConsumerPhase]
    CONSUMER_PHASE_REGISTERED: _ClassVar[ConsumerPhase]
    CONSUMER_PHASE_INITIALIZED: _ClassVar[ConsumerPhase]
    CONSUMER_PHASE_LAUNCHED: _ClassVar[ConsumerPhase]
    CONSUMER_PHASE_STOPPED: _ClassVar[ConsumerPhase]
    CONSUMER_PHASE_DELETED: _ClassVar[ConsumerPhase]
CONSUMER_PHASE_UNSPECIFIED: ConsumerPhase
CONSUMER_PHASE_REGISTERED: ConsumerPhase
CONSUMER_PHASE_INITIALIZED: ConsumerPhase
CONSUMER_PHASE_LAUNCHED: ConsumerPhase
CONSUMER_PHASE_STOPPED: ConsumerPhase
CONSUMER_PHASE_DELETED: ConsumerPhase

class ConsumerAdditionProposal(_message.Message):
    __slots__ = ("title", "description", "chain_id", "initial_height", "genesis_hash", "binary_hash", "spawn_time", "unbonding_period", "ccv_timeout_period", "transfer_timeout_period", "consumer_redistribution_fraction", "blocks_per_distribution_transmission", "historical_entries", "distribution_transmission_channel", "top_N", "validators_power_cap", "validator_set_cap", "allowlist", "denylist", "min_stake", "allow_inactive_vals")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CHAIN_ID_FIELD_NUMBER: _ClassVar[int]
    INITIAL_HEIGHT_FIELD_NUMBER: _ClassVar[int]
    GENESIS_HASH_FIELD_NUMBER: _ClassVar[int]
    BINARY_HASH_FIELD_NUMBER: _ClassVar[int]
    SPAWN_TIME_FIELD_NUMBER: _ClassVar[int]
    UNBONDING_PERIOD_FIELD_NUMBER: _ClassVar[int]
    CCV_TIMEOUT_PERIOD_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_TIMEOUT_PERIOD_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_REDISTRIBUTION_FRACTION_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_PER_DISTRIBUTION_TRANSMISSION_FIELD_NUMBER: _ClassVar[int]
    HISTORICAL_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTION_TRANSMISSION_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    TOP_N_FIELD_NUMBER: _ClassVar[int]
    VALIDATORS_POWER_CAP_FIELD_NUMBER: _ClassVar[int]
    VALIDATOR_SET_CAP_FIELD_NUMBER: _ClassVar[int]
    ALLOWLIST_FIELD_NUMBER: _ClassVar[int]
    DENYLIST_FIELD_NUMBER: _ClassVar[int]
    MIN_STAKE_FIELD_NUMBER: _ClassVar[int]
    ALLOW_INACTIVE_VALS_FIELD_NUMBER: _ClassVar[int]
    title: str
    description: str
    chain_id: str
    initial_height: _client_pb2.Height
    genesis_hash: bytes
    binary_hash: bytes
    spawn_time: _timestamp_pb2.Timestamp
    unbonding_period: _duration_pb2.Duration
    ccv_timeout_period: _duration_pb2.Duration
    transfer_timeout_period: _duration_pb2.Duration
    consumer_redistribution_fraction: str
    blocks_per_distribution_transmission: int
    historical_entries: int
    distribution_transmission_channel: str
    top_N: int
    validators_power_cap: int
    validator_set_cap: int
    allowlist: _containers.RepeatedScalarFieldContainer[str]
    denylist: _containers.RepeatedScalarFieldContainer[str]
    min_stake: int
    allow_inactive_vals: bool
    def __init__(self, title: _Optional[str] = ..., description: _Optional[str] = ..., chain_id: _Optional[str] = ..., initial_height: _Optional[_Union[_client_pb2.Height, _Mapping]] = ..., genesis_hash: _Optional[bytes] = ..., binary_hash: _Optional[bytes] = ..., spawn_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., unbonding_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., ccv_timeout_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., transfer_timeout_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., consumer_redistribution_fraction: _Optional[str] = ..., blocks_per_distribution_transmission: _Optional[int] = ..., historical_entries: _Optional[int] = ..., distribution_transmission_channel: _Optional[str] = ..., top_N: _Optional[int] = ..., validators_power_cap: _Optional[int] = ..., validator_set_cap: _Optional[int] = ..., allowlist: _Optional[_Iterable[str]] = ..., denylist: _Optional[_Iterable[str]] = ..., min_stake: _Optional[int] = ..., allow_inactive_vals: bool = ...) -> None: ...

class ConsumerRemovalProposal(_message.Message):
    __slots__ = ("title", "description", "chain_id", "stop_time")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CHAIN_ID_FIELD_NUMBER: _ClassVar[int]
    STOP_TIME_FIELD_NUMBER: _ClassVar[int]
    title: str
    description: str
    chain_id: str
    stop_time: _timestamp_pb2.Timestamp
    def __init__(self, title: _Optional[str] = ..., description: _Optional[str] = ..., chain_id: _Optional[str] = ..., stop_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ConsumerModificationProposal(_message.Message):
    __slots__ = ("title", "description", "chain_id", "top_N", "validators_power_cap", "validator_set_cap", "allowlist", "denylist", "min_stake", "allow_inactive_vals")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CHAIN_ID_FIELD_NUMBER: _ClassVar[int]
    TOP_N_FIELD_NUMBER: _ClassVar[int]
    VALIDATORS_POWER_CAP_FIELD_NUMBER: _ClassVar[int]
    VALIDATOR_SET_CAP_FIELD_NUMBER: _ClassVar[int]
    ALLOWLIST_FIELD_NUMBER: _ClassVar[int]
    DENYLIST_FIELD_NUMBER: _ClassVar[int]
    MIN_STAKE_FIELD_NUMBER: _ClassVar[int]
    ALLOW_INACTIVE_VALS_FIELD_NUMBER: _ClassVar[int]
    title: str
    description: str
    chain_id: str
    top_N: int
    validators_power_cap: int
    validator_set_cap: int
    allowlist: _containers.RepeatedScalarFieldContainer[str]
    denylist: _containers.RepeatedScalarFieldContainer[str]
    min_stake: int
    allow_inactive_vals: bool
    def __init__(self, title: _Optional[str] = ..., description: _Optional[str] = ..., chain_id: _Optional[str] = ..., top_N: _Optional[int] = ..., validators_power_cap: _Optional[int] = ..., validator_set_cap: _Optional[int] = ..., allowlist: _Optional[_Iterable[str]] = ..., denylist: _Optional[_Iterable[str]] = ..., min_stake: _Optional[int] = ..., allow_inactive_vals: bool = ...) -> None: ...

class EquivocationProposal(_message.Message):
    __slots__ = ("title", "description", "equivocations")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EQUIVOCATIONS_FIELD_NUMBER: _ClassVar[int]
    title: str
    description: str
    equivocations: _containers.RepeatedCompositeFieldContainer[_evidence_pb2.Equivocation]
    def __init__(self, title: _Optional[str] = ..., description: _Optional[str] = ..., equivocations: _Optional[_Iterable[_Union[_evidence_pb2.Equivocation, _Mapping]]] = ...) -> None: ...

class ChangeRewardDenomsProposal(_message.Message):
    __slots__ = ("title", "description", "denoms_to_add", "denoms_to_remove")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DENOMS_TO_ADD_FIELD_NUMBER: _ClassVar[int]
    DENOMS_TO_REMOVE_FIELD_NUMBER: _ClassVar[int]
    title: str
    description: str
    denoms_to_add: _containers.RepeatedScalarFieldContainer[str]
    denoms_to_remove: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, title: _Optional[str] = ..., description: _Optional[str] = ..., denoms_to_add: _Optional[_Iterable[str]] = ..., denoms_to_remove: _Optional[_Iterable[str]] = ...) -> None: ...

class Params(_message.Message):
    __slots__ = ("template_client", "trusting_period_fraction", "ccv_timeout_period", "slash_meter_replenish_period", "slash_meter_replenish_fraction", "consumer_reward_denom_registration_fee", "blocks_per_epoch", "number_of_epochs_to_start_receiving_rewards", "max_provider_consensus_validators")
    TEMPLATE_CLIENT_FIELD_NUMBER: _ClassVar[int]
    TRUSTING_PERIOD_FRACTION_FIELD_NUMBER: _ClassVar[int]
    CCV_TIMEOUT_PERIOD_FIELD_NUMBER: _ClassVar[int]
    SLASH_METER_REPLENISH_PERIOD_FIELD_NUMBER: _ClassVar[int]
    SLASH_METER_REPLENISH_FRACTION_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_REWARD_DENOM_REGISTRATION_FEE_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_PER_EPOCH_FIELD_NUMBER: _ClassVar[int]
    NUMBER_OF_EPOCHS_TO_START_RECEIVING_REWARDS_FIELD_NUMBER: _ClassVar[int]
    MAX_PROVIDER_CONSENSUS_VALIDATORS_FIELD_NUMBER: _ClassVar[int]
    template_client: _tendermint_pb2.ClientState
    trusting_period_fraction: str
    ccv_timeout_period: _duration_pb2.Duration
    slash_meter_replenish_period: _duration_pb2.Duration
    slash_meter_replenish_fraction: str
    consumer_reward_denom_registration_fee: _coin_pb2.Coin
    blocks_per_epoch: int
    number_of_epochs_to_start_receiving_rewards: int
    max_provider_consensus_validators: int
    def __init__(self, template_client: _Optional[_Union[_tendermint_pb2.ClientState, _Mapping]] = ..., trusting_period_fraction: _Optional[str] = ..., ccv_timeout_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., slash_meter_replenish_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., slash_meter_replenish_fraction: _Optional[str] = ..., consumer_reward_denom_registration_fee: _Optional[_Union[_coin_pb2.Coin, _Mapping]] = ..., blocks_per_epoch: _Optional[int] = ..., number_of_epochs_to_start_receiving_rewards: _Optional[int] = ..., max_provider_consensus_validators: _Optional[int] = ...) -> None: ...

class ConsumerMetadata(_message.Message):
    __slots__ = ("name", "description", "metadata")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    metadata: str
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., metadata: _Optional[str] = ...) -> None: ...

class ConsumerInitializationParameters(_message.Message):
    __slots__ = ("initial_height", "genesis_hash", "binary_hash", "spawn_time", "unbonding_period", "ccv_timeout_period", "transfer_timeout_period", "consumer_redistribution_fraction", "blocks_per_distribution_transmission", "historical_entries", "distribution_transmission_channel", "connection_id")
    INITIAL_HEIGHT_FIELD_NUMBER: _ClassVar[int]
    GENESIS_HASH_FIELD_NUMBER: _ClassVar[int]
    BINARY_HASH_FIELD_NUMBER: _ClassVar[int]
    SPAWN_TIME_FIELD_NUMBER: _ClassVar[int]
    UNBONDING_PERIOD_FIELD_NUMBER: _ClassVar[int]
    CCV_TIMEOUT_PERIOD_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_TIMEOUT_PERIOD_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_REDISTRIBUTION_FRACTION_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_PER_DISTRIBUTION_TRANSMISSION_FIELD_NUMBER: _ClassVar[int]
    HISTORICAL_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTION_TRANSMISSION_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CONNECTION_ID_FIELD_NUMBER: _ClassVar[int]
    initial_height: _client_pb2.Height
    genesis_hash: bytes
    binary_hash: bytes
    spawn_time: _timestamp_pb2.Timestamp
    unbonding_period: _duration_pb2.Duration
    ccv_timeout_period: _duration_pb2.Duration
    transfer_timeout_period: _duration_pb2.Duration
    consumer_redistribution_fraction: str
    blocks_per_distribution_transmission: int
    historical_entries: int
    distribution_transmission_channel: str
    connection_id: str
    def __init__(self, initial_height: _Optional[_Union[_client_pb2.Height, _Mapping]] = ..., genesis_hash: _Optional[bytes] = ..., binary_hash: _Optional[bytes] = ..., spawn_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., unbonding_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., ccv_timeout_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., transfer_timeout_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., consumer_redistribution_fraction: _Optional[str] = ..., blocks_per_distribution_transmission: _Optional[int] = ..., historical_entries: _Optional[int] = ..., distribution_transmission_channel: _Optional[str] = ..., connection_id: _Optional[str] = ...) -> None: ...

class PowerShapingParameters(_message.Message):
    __slots__ = ("top_N", "validators_power_cap", "validator_set_cap", "allowlist", "denylist", "min_stake", "allow_inactive_vals", "prioritylist")
    TOP_N_FIELD_NUMBER: _ClassVar[int]
    VALIDATORS_POWER_CAP_FIELD_NUMBER: _ClassVar[int]
    VALIDATOR_SET_CAP_FIELD_NUMBER: _ClassVar[int]
    ALLOWLIST_FIELD_NUMBER: _ClassVar[int]
    DENYLIST_FIELD_NUMBER: _ClassVar[int]
    MIN_STAKE_FIELD_NUMBER: _ClassVar[int]
    ALLOW_INACTIVE_VALS_FIELD_NUMBER: _ClassVar[int]
    PRIORITYLIST_FIELD_NUMBER: _ClassVar[int]
    top_N: int
    validators_power_cap: int
    validator_set_cap: int
    allowlist: _containers.RepeatedScalarFieldContainer[str]
    denylist: _containers.RepeatedScalarFieldContainer[str]
    min_stake: int
    allow_inactive_vals: bool
    prioritylist: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, top_N: _Optional[int] = ..., validators_power_cap: _Optional[int] = ..., validator_set_cap: _Optional[int] = ..., allowlist: _Optional[_Iterable[str]] = ..., denylist: _Optional[_Iterable[str]] = ..., min_stake: _Optional[int] = ..., allow_inactive_vals: bool = ..., prioritylist: _Optional[_Iterable[str]] = ...) -> None: ...

class AllowlistedRewardDenoms(_message.Message):
    __slots__ = ("denoms",)
    DENOMS_FIELD_NUMBER: _ClassVar[int]
    denoms: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, denoms: _Optional[_Iterable[str]] = ...) -> None: ...

class InfractionParameters(_message.Message):
    __slots__ = ("double_sign", "downtime")
    DOUBLE_SIGN_FIELD_NUMBER: _ClassVar[int]
    DOWNTIME_FIELD_NUMBER: _ClassVar[int]
    double_sign: SlashJailParameters
    downtime: SlashJailParameters
    def __init__(self, double_sign: _Optional[_Union[SlashJailParameters, _Mapping]] = ..., downtime: _Optional[_Union[SlashJailParameters, _Mapping]] = ...) -> None: ...

class SlashJailParameters(_message.Message):
    __slots__ = ("slash_fraction", "jail_duration", "tombstone")
    SLASH_FRACTION_FIELD_NUMBER: _ClassVar[int]
    JAIL_DURATION_FIELD_NUMBER: _ClassVar[int]
    TOMBSTONE_FIELD_NUMBER: _ClassVar[int]
    slash_fraction: bytes
    jail_duration: _duration_pb2.Duration
    tombstone: bool
    def __init__(self, slash_fraction: _Optional[bytes] = ..., jail_duration: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., tombstone: bool = ...) -> None: ...
