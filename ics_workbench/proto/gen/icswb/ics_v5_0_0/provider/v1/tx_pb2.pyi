from cosmos.msg.v1 import msg_pb2 as _msg_pb2
from cosmos_proto import cosmos_pb2 as _cosmos_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from ibc.core.client.v1 import client_pb2 as _client_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MsgConsumerAddition(_message.Message):
    __slots__ = ("chain_id", "initial_height", "genesis_hash", "binary_hash", "spawn_time", "unbonding_period", "ccv_timeout_period", "transfer_timeout_period", "consumer_redistribution_fraction", "blocks_per_distribution_transmission", "historical_entries", "distribution_transmission_channel", "authority")
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
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
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
    authority: str
    def __init__(self, chain_id: _Optional[str] = ..., initial_height: _Optional[_Union[_client_pb2.Height, _Mapping]] = ..., genesis_hash: _Optional[bytes] = ..., binary_hash: _Optional[bytes] = ..., spawn_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., unbonding_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., ccv_timeout_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., transfer_timeout_period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., consumer_redistribution_fraction: _Optional[str] = ..., blocks_per_distribution_transmission: _Optional[int] = ..., historical_entries: _Optional[int] = ..., distribution_transmission_channel: _Optional[str] = ..., authority: _Optional[str] = ...) -> None: ...
