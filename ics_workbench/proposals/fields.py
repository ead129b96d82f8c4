"""Which message fields exist in which provider release, as features of the one version table.

A field the provider's protobuf does not know makes gaiad reject the JSON file ("unknown field") and the
chain reject the signed tx (unknown-field filter), so the exporter leaves such fields out and the validator
reports them when they carry a value. The draft models take every field from the ``.proto`` (see ``schema``);
this table only says when a field arrived, by naming the feature of :mod:`ics_workbench.foundation.ics_versions`
that brought it. A field not listed exists in every release its message exists in. Checked against the provider
protos of every tag v4.0.0..v7.0.0.
"""

from __future__ import annotations

from ics_workbench.foundation.ics_versions import FEATURE_BY_NAME
from ics_workbench.proposals.versions import ProviderVersion

_PSS_FIELDS = ("top_N", "validators_power_cap", "validator_set_cap", "allowlist", "denylist")

# (message, field) -> the feature that brought the field
FIELD_FEATURE: dict[tuple[str, str], str] = {
    ("ConsumerInitializationParameters", "connection_id"): "connection_reuse",
    ("PowerShapingParameters", "prioritylist"): "prioritylist",
    ("MsgCreateConsumer", "allowlisted_reward_denoms"): "allowlisted_reward_denoms",
    ("MsgCreateConsumer", "infraction_parameters"): "infraction_parameters",
    ("MsgUpdateConsumer", "allowlisted_reward_denoms"): "allowlisted_reward_denoms",
    ("MsgUpdateConsumer", "new_chain_id"): "new_chain_id",
    ("MsgUpdateConsumer", "infraction_parameters"): "infraction_parameters",
    ("MsgSubmitConsumerDoubleVoting", "consumer_id"): "msg_create_consumer",
    ("MsgSubmitConsumerMisbehaviour", "consumer_id"): "msg_create_consumer",
    **{("MsgConsumerAddition", f): "power_shaping" for f in _PSS_FIELDS},
    **{("ConsumerAdditionProposal", f): "power_shaping" for f in _PSS_FIELDS},
}

# Messages that exist only in some major lines: the "since" shown for their fields names only those lines.
_MESSAGE_FEATURE = {"MsgConsumerAddition": "msg_consumer_addition", "ConsumerAdditionProposal": "legacy_proposals"}


def field_available(model_name: str, field: str, version: ProviderVersion | None) -> bool:
    if version is None:
        return True
    feature = FIELD_FEATURE.get((model_name, field))
    return feature is None or version.has(feature)


def field_since(model_name: str, field: str) -> str | None:
    """The first release(s) with the field, e.g. ``v6.4.0`` or ``v4.2.0 / v5.1.0`` (one per major line)."""
    feature = FIELD_FEATURE.get((model_name, field))
    if feature is None:
        return None
    message_feature = FEATURE_BY_NAME.get(_MESSAGE_FEATURE.get(model_name, ""))
    lines = [(major, minor) for major, minor in FEATURE_BY_NAME[feature].since
             if message_feature is None or message_feature.in_release(major, minor)]
    return " / ".join(f"v{major}.{minor}.0" for major, minor in lines)
