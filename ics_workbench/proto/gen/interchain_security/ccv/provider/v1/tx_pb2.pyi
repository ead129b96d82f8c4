from cosmos.msg.v1 import msg_pb2 as _msg_pb2
from cosmos_proto import cosmos_pb2 as _cosmos_pb2
from gogoproto import gogo_pb2 as _gogo_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from ibc.core.client.v1 import client_pb2 as _client_pb2
from ibc.lightclients.tendermint.v1 import tendermint_pb2 as _tendermint_pb2
from ics_workbench.proto.gen.interchain_security.ccv.provider.v1 import provider_pb2 as _provider_pb2
from tendermint.types import evidence_pb2 as _evidence_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MsgAssignConsumerKey(_message.Message):
    __slots__ = ("chain_id", "provider_addr", "consumer_key", "signer", "consumer_id")
    CHAIN_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ADDR_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_KEY_FIELD_NUMBER: _ClassVar[int]
    SIGNER_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    chain_id: str
    provider_addr: str
    consumer_key: str
    signer: str
    consumer_id: str
    def __init__(self, chain_id: _Optional[str] = ..., provider_addr: _Optional[str] = ..., consumer_key: _Optional[str] = ..., signer: _Optional[str] = ..., consumer_id: _Optional[str] = ...) -> None: ...

class MsgAssignConsumerKeyResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgSubmitConsumerMisbehaviour(_message.Message):
    __slots__ = ("submitter", "misbehaviour", "consumer_id")
    SUBMITTER_FIELD_NUMBER: _ClassVar[int]
    MISBEHAVIOUR_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    submitter: str
    misbehaviour: _tendermint_pb2.Misbehaviour
    consumer_id: str
    def __init__(self, submitter: _Optional[str] = ..., misbehaviour: _Optional[_Union[_tendermint_pb2.Misbehaviour, _Mapping]] = ..., consumer_id: _Optional[str] = ...) -> None: ...

class MsgSubmitConsumerMisbehaviourResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgSubmitConsumerDoubleVoting(_message.Message):
    __slots__ = ("submitter", "duplicate_vote_evidence", "infraction_block_header", "consumer_id")
    SUBMITTER_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_VOTE_EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    INFRACTION_BLOCK_HEADER_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    submitter: str
    duplicate_vote_evidence: _evidence_pb2.DuplicateVoteEvidence
    infraction_block_header: _tendermint_pb2.Header
    consumer_id: str
    def __init__(self, submitter: _Optional[str] = ..., duplicate_vote_evidence: _Optional[_Union[_evidence_pb2.DuplicateVoteEvidence, _Mapping]] = ..., infraction_block_header: _Optional[_Union[_tendermint_pb2.Header, _Mapping]] = ..., consumer_id: _Optional[str] = ...) -> None: ...

class MsgSubmitConsumerDoubleVotingResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgUpdateParams(_message.Message):
    __slots__ = ("authority", "params")
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    authority: str
    params: _provider_pb2.Params
    def __init__(self, authority: _Optional[str] = ..., params: _Optional[_Union[_provider_pb2.Params, _Mapping]] = ...) -> None: ...

class MsgUpdateParamsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgConsumerAddition(_message.Message):
    __slots__ = ("chain_id", "initial_height", "genesis_hash", "binary_hash", "spawn_time", "unbonding_period", "ccv_timeout_period", "transfer_timeout_period", "consumer_redistribution_fraction", "blocks_per_distribution_transmission", "historical_entries", "distribution_transmission_channel", "top_N", "validators_power_cap", "validator_set_cap", "allowlist", "denylist", "authority", "min_stake", "allow_inactive_vals")
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
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    MIN_STAKE_FIELD_NUMBER: _ClassVar[int]
    ALLOW_INACTIVE_VALS_FIELD_NUMBER: _ClassVar[int]
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
    authority: str
    min_stake: int
    allow_inactive_vals: bool
    def __init__(self, chain_id: _Optional[str] = ..., initial_height: _Optional[_Union[_client_pb2.Height, _Mapping]] = ..., genesis_hash: _Optional[bytes] = ..., binary_hash: _Optional[bytes] = ..., spawn_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., unbonding_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., ccv_timeout_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., transfer_timeout_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., consumer_redistribution_fraction: _Optional[str] = ..., blocks_per_distribution_transmission: _Optional[int] = ..., historical_entries: _Optional[int] = ..., distribution_transmission_channel: _Optional[str] = ..., top_N: _Optional[int] = ..., validators_power_cap: _Optional[int] = ..., validator_set_cap: _Optional[int] = ..., allowlist: _Optional[_Iterable[str]] = ..., denylist: _Optional[_Iterable[str]] = ..., authority: _Optional[str] = ..., min_stake: _Optional[int] = ..., allow_inactive_vals: bool = ...) -> None: ...

class MsgConsumerRemoval(_message.Message):
    __slots__ = ("chain_id", "stop_time", "authority")
    CHAIN_ID_FIELD_NUMBER: _ClassVar[int]
    STOP_TIME_FIELD_NUMBER: _ClassVar[int]
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    chain_id: str
    stop_time: _timestamp_pb2.Timestamp
    authority: str
    def __init__(self, chain_id: _Optional[str] = ..., stop_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., authority: _Optional[str] = ...) -> None: ...

class MsgRemoveConsumer(_message.Message):
    __slots__ = ("consumer_id", "owner")
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    consumer_id: str
    owner: str
    def __init__(self, consumer_id: _Optional[str] = ..., owner: _Optional[str] = ...) -> None: ...

class MsgRemoveConsumerResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgChangeRewardDenoms(_message.Message):
    __slots__ = ("denoms_to_add", "denoms_to_remove", "authority")
    DENOMS_TO_ADD_FIELD_NUMBER: _ClassVar[int]
    DENOMS_TO_REMOVE_FIELD_NUMBER: _ClassVar[int]
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    denoms_to_add: _containers.RepeatedScalarFieldContainer[str]
    denoms_to_remove: _containers.RepeatedScalarFieldContainer[str]
    authority: str
    def __init__(self, denoms_to_add: _Optional[_Iterable[str]] = ..., denoms_to_remove: _Optional[_Iterable[str]] = ..., authority: _Optional[str] = ...) -> None: ...

class MsgChangeRewardDenomsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgOptIn(_message.Message):
    __slots__ = ("chain_id", "provider_addr", "consumer_key", "signer", "consumer_id")
    CHAIN_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ADDR_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_KEY_FIELD_NUMBER: _ClassVar[int]
    SIGNER_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    chain_id: str
    provider_addr: str
    consumer_key: str
    signer: str
    consumer_id: str
    def __init__(self, chain_id: _Optional[str] = ..., provider_addr: _Optional[str] = ..., consumer_key: _Optional[str] = ..., signer: _Optional[str] = ..., consumer_id: _Optional[str] = ...) -> None: ...

class MsgOptInResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgOptOut(_message.Message):
    __slots__ = ("chain_id", "provider_addr", "signer", "consumer_id")
    CHAIN_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ADDR_FIELD_NUMBER: _ClassVar[int]
    SIGNER_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    chain_id: str
    provider_addr: str
    signer: str
    consumer_id: str
    def __init__(self, chain_id: _Optional[str] = ..., provider_addr: _Optional[str] = ..., signer: _Optional[str] = ..., consumer_id: _Optional[str] = ...) -> None: ...

class MsgOptOutResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgSetConsumerCommissionRate(_message.Message):
    __slots__ = ("provider_addr", "chain_id", "rate", "signer", "consumer_id")
    PROVIDER_ADDR_FIELD_NUMBER: _ClassVar[int]
    CHAIN_ID_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    SIGNER_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    provider_addr: str
    chain_id: str
    rate: str
    signer: str
    consumer_id: str
    def __init__(self, provider_addr: _Optional[str] = ..., chain_id: _Optional[str] = ..., rate: _Optional[str] = ..., signer: _Optional[str] = ..., consumer_id: _Optional[str] = ...) -> None: ...

class MsgSetConsumerCommissionRateResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgConsumerModification(_message.Message):
    __slots__ = ("title", "description", "chain_id", "top_N", "validators_power_cap", "validator_set_cap", "allowlist", "denylist", "authority", "min_stake", "allow_inactive_vals")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CHAIN_ID_FIELD_NUMBER: _ClassVar[int]
    TOP_N_FIELD_NUMBER: _ClassVar[int]
    VALIDATORS_POWER_CAP_FIELD_NUMBER: _ClassVar[int]
    VALIDATOR_SET_CAP_FIELD_NUMBER: _ClassVar[int]
    ALLOWLIST_FIELD_NUMBER: _ClassVar[int]
    DENYLIST_FIELD_NUMBER: _ClassVar[int]
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
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
    authority: str
    min_stake: int
    allow_inactive_vals: bool
    def __init__(self, title: _Optional[str] = ..., description: _Optional[str] = ..., chain_id: _Optional[str] = ..., top_N: _Optional[int] = ..., validators_power_cap: _Optional[int] = ..., validator_set_cap: _Optional[int] = ..., allowlist: _Optional[_Iterable[str]] = ..., denylist: _Optional[_Iterable[str]] = ..., authority: _Optional[str] = ..., min_stake: _Optional[int] = ..., allow_inactive_vals: bool = ...) -> None: ...

class MsgCreateConsumer(_message.Message):
    __slots__ = ("submitter", "chain_id", "metadata", "initialization_parameters", "power_shaping_parameters", "allowlisted_reward_denoms", "infraction_parameters")
    SUBMITTER_FIELD_NUMBER: _ClassVar[int]
    CHAIN_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    INITIALIZATION_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    POWER_SHAPING_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    ALLOWLISTED_REWARD_DENOMS_FIELD_NUMBER: _ClassVar[int]
    INFRACTION_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    submitter: str
    chain_id: str
    metadata: _provider_pb2.ConsumerMetadata
    initialization_parameters: _provider_pb2.ConsumerInitializationParameters
    power_shaping_parameters: _provider_pb2.PowerShapingParameters
    allowlisted_reward_denoms: _provider_pb2.AllowlistedRewardDenoms
    infraction_parameters: _provider_pb2.InfractionParameters
    def __init__(self, submitter: _Optional[str] = ..., chain_id: _Optional[str] = ..., metadata: _Optional[_Union[_provider_pb2.ConsumerMetadata, _Mapping]] = ..., initialization_parameters: _Optional[_Union[_provider_pb2.ConsumerInitializationParameters, _Mapping]] = ..., power_shaping_parameters: _Optional[_Union[_provider_pb2.PowerShapingParameters, _Mapping]] = ..., allowlisted_reward_denoms: _Optional[_Union[_provider_pb2.AllowlistedRewardDenoms, _Mapping]] = ..., infraction_parameters: _Optional[_Union[_provider_pb2.InfractionParameters, _Mapping]] = ...) -> None: ...

class MsgCreateConsumerResponse(_message.Message):
    __slots__ = ("consumer_id",)
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    consumer_id: str
    def __init__(self, consumer_id: _Optional[str] = ...) -> None: ...

class MsgUpdateConsumer(_message.Message):
    __slots__ = ("owner", "consumer_id", "new_owner_address", "metadata", "initialization_parameters", "power_shaping_parameters", "allowlisted_reward_denoms", "new_chain_id", "infraction_parameters")
    OWNER_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_OWNER_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    INITIALIZATION_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    POWER_SHAPING_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    ALLOWLISTED_REWARD_DENOMS_FIELD_NUMBER: _ClassVar[int]
    NEW_CHAIN_ID_FIELD_NUMBER: _ClassVar[int]
    INFRACTION_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    owner: str
    consumer_id: str
    new_owner_address: str
    metadata: _provider_pb2.ConsumerMetadata
    initialization_parameters: _provider_pb2.ConsumerInitializationParameters
    power_shaping_parameters: _provider_pb2.PowerShapingParameters
    allowlisted_reward_denoms: _provider_pb2.AllowlistedRewardDenoms
    new_chain_id: str
    infraction_parameters: _provider_pb2.InfractionParameters
    def __init__(self, owner: _Optional[str] = ..., consumer_id: _Optional[str] = ..., new_owner_address: _Optional[str] = ..., metadata: _Optional[_Union[_provider_pb2.ConsumerMetadata, _Mapping]] = ..., initialization_parameters: _Optional[_Union[_provider_pb2.ConsumerInitializationParameters, _Mapping]] = ..., power_shaping_parameters: _Optional[_Union[_provider_pb2.PowerShapingParameters, _Mapping]] = ..., allowlisted_reward_denoms: _Optional[_Union[_provider_pb2.AllowlistedRewardDenoms, _Mapping]] = ..., new_chain_id: _Optional[str] = ..., infraction_parameters: _Optional[_Union[_provider_pb2.InfractionParameters, _Mapping]] = ...) -> None: ...

class MsgUpdateConsumerResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
