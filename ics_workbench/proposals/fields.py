"""Which message fields exist in which provider release.

A field the provider's protobuf does not know makes gaiad reject the JSON file ("unknown field") and the
chain reject the signed tx (unknown-field filter), so the exporter leaves such fields out and the validator
reports them when they carry a value.
"""

from __future__ import annotations

from collections.abc import Callable

from ics_workbench.proposals.versions import ProviderVersion

_Pred = Callable[[ProviderVersion], bool]


def _v64(v: ProviderVersion) -> bool:
    return v.has_v64_fields


def _v62(v: ProviderVersion) -> bool:
    return v.has_allowlisted_reward_denoms


def _v6(v: ProviderVersion) -> bool:
    return v.major >= 6


def _pss(v: ProviderVersion) -> bool:
    return v.pss_in_legacy_proposals


_PSS_FIELDS = ("top_N", "validators_power_cap", "validator_set_cap", "allowlist", "denylist")

FIELD_SINCE: dict[tuple[str, str], tuple[_Pred, str]] = {
    ("ConsumerInitializationParameters", "connection_id"): (_v64, "v6.4.0"),
    ("PowerShapingParameters", "prioritylist"): (_v64, "v6.4.0"),
    ("MsgCreateConsumer", "allowlisted_reward_denoms"): (_v62, "v6.2.0"),
    ("MsgCreateConsumer", "infraction_parameters"): (_v64, "v6.4.0"),
    ("MsgUpdateConsumer", "allowlisted_reward_denoms"): (_v62, "v6.2.0"),
    ("MsgUpdateConsumer", "new_chain_id"): (_v64, "v6.4.0"),
    ("MsgUpdateConsumer", "infraction_parameters"): (_v64, "v6.4.0"),
    ("MsgSubmitConsumerDoubleVoting", "consumer_id"): (_v6, "v6.0.0"),
    ("MsgSubmitConsumerMisbehaviour", "consumer_id"): (_v6, "v6.0.0"),
    **{("MsgConsumerAddition", f): (_pss, "v5.1.0") for f in _PSS_FIELDS},
    **{("ConsumerAdditionProposal", f): (_pss, "v4.2.0 / v5.1.0") for f in _PSS_FIELDS},
}


def field_available(model_name: str, field: str, version: ProviderVersion | None) -> bool:
    if version is None:
        return True
    entry = FIELD_SINCE.get((model_name, field))
    return entry is None or entry[0](version)


def field_since(model_name: str, field: str) -> str | None:
    entry = FIELD_SINCE.get((model_name, field))
    return entry[1] if entry else None
