"""Starting points for each proposal kind, filled with the provider's facts (gov address, version, deposit).

A template is valid except for what only the author can know (chain id, names, hashes, consumer id), so a
fresh draft shows exactly the fields still to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel

from ics_workbench.errors import WorkbenchError
from ics_workbench.proposals.deposit import deposit_advice
from ics_workbench.proposals.draft import ProposalDraft, Route
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.models import (
    DAY_NS,
    NS,
    PERMANENT_JAIL_NS,
    ChangeRewardDenomsProposal,
    ConsumerAdditionProposal,
    ConsumerInitializationParameters,
    ConsumerMetadata,
    ConsumerModificationProposal,
    ConsumerRemovalProposal,
    EquivocationProposal,
    Height,
    IcsMessage,
    InfractionParameters,
    MsgChangeRewardDenoms,
    MsgConsumerAddition,
    MsgConsumerModification,
    MsgConsumerRemoval,
    MsgCreateConsumer,
    MsgRemoveConsumer,
    MsgSubmitConsumerDoubleVoting,
    MsgSubmitConsumerMisbehaviour,
    MsgUpdateConsumer,
    MsgUpdateParams,
    PowerShapingParameters,
    SlashJailParameters,
)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    route: Route
    versions: str  # human description of where it applies


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("create-consumer", "Create an opt-in consumer (MsgCreateConsumer, signed by its owner)", "tx", "v6+"),
        Kind("create-consumer-gov", "Create a consumer through governance (MsgCreateConsumer, gov-owned)", "gov",
             "v6+"),
        Kind("hand-to-gov", "Hand a consumer's ownership to governance (MsgUpdateConsumer tx)", "tx", "v6+"),
        Kind("make-top-n", "Make a gov-owned consumer Top N (MsgUpdateConsumer proposal)", "gov", "v6+"),
        Kind("update-consumer", "Update a consumer (MsgUpdateConsumer proposal)", "gov", "v6+"),
        Kind("top-n-to-opt-in", "Turn a Top N consumer opt-in and hand it to a new owner", "gov", "v6+"),
        Kind("remove-consumer", "Remove a gov-owned consumer (MsgRemoveConsumer proposal)", "gov", "v6+"),
        Kind("consumer-addition-v5", "Consumer addition (MsgConsumerAddition)", "gov", "v5"),
        Kind("consumer-removal-v5", "Consumer removal (MsgConsumerRemoval)", "gov", "v5"),
        Kind("consumer-modification-v5", "Consumer modification (MsgConsumerModification)", "gov", "v5.1+"),
        Kind("legacy-consumer-addition", "Consumer addition (legacy ConsumerAdditionProposal)", "gov", "v4/v5"),
        Kind("legacy-consumer-removal", "Consumer removal (legacy ConsumerRemovalProposal)", "gov", "v4/v5"),
        Kind("legacy-consumer-modification", "Consumer modification (legacy ConsumerModificationProposal)", "gov",
             "v4.3+/v5.1+"),
        Kind("legacy-change-reward-denoms", "Change reward denoms (legacy ChangeRewardDenomsProposal)", "gov", "v4/v5"),
        Kind("change-reward-denoms", "Change reward denoms (MsgChangeRewardDenoms)", "gov", "v6+"),
        Kind("update-params", "Provider parameters (MsgUpdateParams, ALL params)", "gov", "v5+"),
        Kind("slash-double-vote", "Slash for consumer double voting (MsgSubmitConsumerDoubleVoting)", "gov", "v4+"),
        Kind("slash-misbehaviour", "Slash for a consumer light-client attack (MsgSubmitConsumerMisbehaviour)", "gov",
             "v4+"),
        Kind("legacy-equivocation", "EquivocationProposal (deprecated: no v4+ provider handles it)", "gov", "none"),
    )
}


def default_kind_for(name: str, facts: ProviderFacts) -> str:
    """Map a generic intent to the kind the provider version supports."""
    v = facts.version
    if name == "consumer-addition":
        return (
            "create-consumer"
            if v.permissionless
            else ("consumer-addition-v5" if v.major == 5 else "legacy-consumer-addition")
        )
    if name == "consumer-removal":
        return (
            "remove-consumer"
            if v.permissionless
            else ("consumer-removal-v5" if v.major == 5 else "legacy-consumer-removal")
        )
    if name == "consumer-modification":
        if v.permissionless:
            return "update-consumer"
        return "consumer-modification-v5" if v.has_msg_consumer_modification else "legacy-consumer-modification"
    return name


def new_draft(kind: str, facts: ProviderFacts, *, now: datetime | None = None) -> ProposalDraft:
    kind = default_kind_for(kind, facts)
    if kind not in KINDS:
        raise WorkbenchError(f"unknown proposal kind {kind!r}; choose one of: {', '.join(KINDS)}")
    spec = KINDS[kind]
    gov = facts.gov_address
    now = now or facts.now or datetime.now(UTC)
    spawn = (now + timedelta(days=21)).replace(microsecond=0)
    init = _explicit(
        ConsumerInitializationParameters(
            initial_height=Height(revision_number=1, revision_height=1),
            spawn_time=spawn,
            unbonding_period=_unbonding(facts),
        )
    )
    metadata = ConsumerMetadata(name="", description="", metadata="")
    msg: IcsMessage
    if kind in ("create-consumer", "create-consumer-gov"):
        msg = MsgCreateConsumer(
            submitter=gov if spec.route == "gov" else "",
            chain_id="",
            metadata=metadata,
            initialization_parameters=init,
            power_shaping_parameters=_explicit(PowerShapingParameters()),
        )
        if facts.version.has_v64_fields:
            msg.infraction_parameters = InfractionParameters(
                double_sign=SlashJailParameters(slash_fraction="0.05", jail_duration=PERMANENT_JAIL_NS, tombstone=True),
                downtime=SlashJailParameters(slash_fraction="0", jail_duration=600 * NS, tombstone=False),
            )
    elif kind == "hand-to-gov":
        msg = MsgUpdateConsumer(owner="", consumer_id="", new_owner_address=gov)
    elif kind == "make-top-n":
        msg = MsgUpdateConsumer(
            owner=gov, consumer_id="", power_shaping_parameters=_explicit(PowerShapingParameters(top_N=95))
        )
    elif kind == "update-consumer":
        msg = MsgUpdateConsumer(owner=gov, consumer_id="")
    elif kind == "top-n-to-opt-in":
        msg = MsgUpdateConsumer(
            owner=gov,
            consumer_id="",
            new_owner_address="",
            power_shaping_parameters=_explicit(PowerShapingParameters(top_N=0)),
        )
    elif kind == "remove-consumer":
        msg = MsgRemoveConsumer(owner=gov, consumer_id="")
    elif kind in ("consumer-addition-v5", "legacy-consumer-addition"):
        # the same launch values as a new consumer's initialization parameters (schema.OVERLAY's defaults)
        launch = ConsumerInitializationParameters(spawn_time=spawn, unbonding_period=_unbonding(facts))
        fields: dict[str, Any] = {
            "chain_id": "",
            **{name: getattr(launch, name) for name in _V5_LAUNCH_FIELDS},
            "top_N": 95 if facts.version.pss_in_legacy_proposals else 0,
        }
        if kind == "consumer-addition-v5":
            msg = MsgConsumerAddition(authority=gov, **fields)
        else:
            msg = ConsumerAdditionProposal(title="", description="", **fields)
    elif kind == "consumer-removal-v5":
        msg = MsgConsumerRemoval(authority=gov, chain_id="", stop_time=spawn)
    elif kind == "legacy-consumer-removal":
        msg = ConsumerRemovalProposal(title="", description="", chain_id="", stop_time=spawn)
    elif kind == "consumer-modification-v5":
        msg = _explicit(MsgConsumerModification(authority=gov, chain_id="", top_N=95))
    elif kind == "legacy-consumer-modification":
        msg = _explicit(ConsumerModificationProposal(title="", description="", chain_id="", top_N=95))
    elif kind == "legacy-change-reward-denoms":
        msg = ChangeRewardDenomsProposal(title="", description="", denoms_to_add=[], denoms_to_remove=[])
    elif kind == "change-reward-denoms":
        msg = MsgChangeRewardDenoms(authority=gov, denoms_to_add=[], denoms_to_remove=[])
    elif kind == "update-params":
        msg = MsgUpdateParams(authority=gov, params=dict(facts.provider_params or {}))
    elif kind == "slash-double-vote":
        msg = MsgSubmitConsumerDoubleVoting(submitter=gov)
    elif kind == "slash-misbehaviour":
        msg = MsgSubmitConsumerMisbehaviour(submitter=gov)
    else:
        msg = EquivocationProposal(title="", description="")
    deposit = deposit_advice(facts.gov).suggested(expedited=False) if facts.gov else ""
    return ProposalDraft(messages=[msg], route=spec.route, kind=kind, deposit=deposit if spec.route == "gov" else "")


_V5_LAUNCH_FIELDS = (
    "initial_height", "spawn_time", "unbonding_period", "ccv_timeout_period", "transfer_timeout_period",
    "consumer_redistribution_fraction", "blocks_per_distribution_transmission", "historical_entries",
)


def _explicit(model: M) -> M:
    """Mark every field as written by the author, so the update diff does not call them implied resets."""
    return type(model).model_validate(model.model_dump())


def _unbonding(facts: ProviderFacts) -> int:
    """The chain's default: provider unbonding minus one day (DefaultConsumerUnbondingPeriod), else 20 days."""
    if facts.unbonding_period_ns and facts.unbonding_period_ns > DAY_NS:
        return facts.unbonding_period_ns - DAY_NS
    return 20 * DAY_NS
