"""Rules of the ICS v4/v5 gov messages and legacy v1beta1 contents (and the reward-denom changes of every
version): what their ValidateBasic and handlers check, and when a provider release has no route for them.
"""

from __future__ import annotations

from typing import Any

from ics_workbench.proposals import rules_common as rc
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.models import (
    ChangeRewardDenomsProposal,
    ConsumerAdditionProposal,
    ConsumerInitializationParameters,
    ConsumerModificationProposal,
    ConsumerRemovalProposal,
    EquivocationProposal,
    MsgChangeRewardDenoms,
    MsgConsumerAddition,
    MsgConsumerModification,
    MsgConsumerRemoval,
)
from ics_workbench.proposals.problems import Problem, Severity

W = Severity.WARNING
MAX_LEGACY_TITLE = 140  # gov v1beta1 ValidateAbstract
MAX_LEGACY_DESCRIPTION = 10000


def _legacy_addition_fields(
    msg: MsgConsumerAddition | ConsumerAdditionProposal, facts: ProviderFacts, *, pss: bool
) -> list[Problem]:
    out = rc.chain_id("chain_id", msg.chain_id, v6_rules=False)
    fake = _as_init_params(msg)
    out += [p for p in rc.init_params_core("", fake, hashes_required=True) if p.rule != "connection_id"]
    out += rc.spawn_time("spawn_time", msg.spawn_time, facts, required=True)
    out += rc.initial_height_revision("initial_height", msg.initial_height, msg.chain_id, enforced=False)
    out += rc.unbonding_vs_provider("unbonding_period", msg.unbonding_period, facts)
    if pss:
        out += rc.pss_ranges("", msg.top_N, msg.validators_power_cap)
        for name in ("allowlist", "denylist"):
            out += rc.cons_address_list(name, getattr(msg, name), facts, name)
    return out


def _as_init_params(msg: MsgConsumerAddition | ConsumerAdditionProposal) -> ConsumerInitializationParameters:
    """The launch parameters a v4/v5 addition shares with ConsumerInitializationParameters (matched by name), so
    the v6 launch rules check them."""
    shared = ConsumerInitializationParameters.model_fields.keys() & type(msg).model_fields.keys()
    return ConsumerInitializationParameters(**{name: getattr(msg, name) for name in shared})


def _unroutable_v6(name: str, facts: ProviderFacts, instead: str) -> Problem:
    return Problem(
        "@type",
        "kind_not_routable",
        f"{name} has no route from ICS v6.0.0 (this provider runs {facts.version}): gov rejects the proposal at "
        f"submission; use {instead}",
        name,
    )


def consumer_addition(msg: MsgConsumerAddition, facts: ProviderFacts, route: str) -> list[Problem]:
    v = facts.version
    out: list[Problem] = []
    if v.major >= 6:
        out.append(_unroutable_v6("MsgConsumerAddition", facts, "MsgCreateConsumer (+ MsgUpdateConsumer for Top N)"))
    elif not v.has_msg_consumer_addition:
        out.append(
            rc.kind_not_available("MsgConsumerAddition", facts, "exists only in ICS v5 (use ConsumerAdditionProposal)")
        )
    elif v.minor == 0:
        out.append(
            Problem(
                "@type",
                "wire_renumbering",
                "ICS v5.0.0 numbers MsgConsumerAddition.authority 13 (v5.1.0+ uses 13 for top_N): sign this "
                "message with the v5.0.0 protobuf definition",
                str(v),
                W,
            )
        )
    out += _legacy_addition_fields(msg, facts, pss=v.pss_in_legacy_proposals)
    return out


def consumer_removal(msg: MsgConsumerRemoval, facts: ProviderFacts, route: str) -> list[Problem]:
    v = facts.version
    out: list[Problem] = []
    if v.major >= 6:
        out.append(_unroutable_v6("MsgConsumerRemoval", facts, "MsgRemoveConsumer"))
    elif v.major != 5:
        out.append(
            rc.kind_not_available("MsgConsumerRemoval", facts, "exists only in ICS v5 (use ConsumerRemovalProposal)")
        )
    out += _removal_fields(msg.chain_id, msg.stop_time)
    return out


def _removal_fields(chain: str, stop_time: Any) -> list[Problem]:
    out = rc.chain_id("chain_id", chain, v6_rules=False)
    if stop_time is None:
        out.append(Problem("stop_time", "stop_time_zero", "stop time cannot be zero", None))
    return out


def consumer_modification(msg: MsgConsumerModification, facts: ProviderFacts, route: str) -> list[Problem]:
    v = facts.version
    out: list[Problem] = []
    if v.major >= 6:
        out.append(_unroutable_v6("MsgConsumerModification", facts, "MsgUpdateConsumer"))
    elif not v.has_msg_consumer_modification:
        out.append(rc.kind_not_available("MsgConsumerModification", facts, "exists from ICS v5.1.0"))
    out += _modification_fields(msg, facts)
    return out


def _modification_fields(msg: Any, facts: ProviderFacts) -> list[Problem]:
    out = rc.chain_id("chain_id", msg.chain_id, v6_rules=False)
    out += rc.pss_ranges("", msg.top_N, msg.validators_power_cap)
    for name in ("allowlist", "denylist"):
        out += rc.cons_address_list(name, getattr(msg, name), facts, name)
    if "top_N" not in msg.model_fields_set:
        out.append(
            Problem(
                "top_N",
                "top_n_reset",
                "top_N is not in the proposal, so it becomes 0 and a Top N chain turns OPT-IN; write it explicitly",
                0,
                W,
            )
        )
    return out


def _legacy_gate(name: str, facts: ProviderFacts, available: bool, since: str) -> list[Problem]:
    v = facts.version
    if not v.legacy_proposal_handler:
        return [
            Problem(
                "@type",
                "legacy_content_not_handled",
                f"ICS v6.0.0 removed the legacy proposal handler (this provider runs {v}): gov rejects {name} at "
                "submission when it dry-runs MsgExecLegacyContent",
                name,
            )
        ]
    if not available:
        return [rc.kind_not_available(name, facts, f"is handled from ICS {since}")]
    return []


def _legacy_texts(msg: Any) -> list[Problem]:
    out = []
    if not msg.title.strip():
        out.append(Problem("title", "title_blank", "proposal title cannot be blank", msg.title))
    elif len(msg.title) > MAX_LEGACY_TITLE:
        out.append(
            Problem(
                "title",
                "title_too_long",
                f"legacy proposal title longer than {MAX_LEGACY_TITLE} characters",
                len(msg.title),
            )
        )
    if not msg.description.strip():
        out.append(Problem("description", "description_blank", "proposal description cannot be blank", msg.description))
    elif len(msg.description) > MAX_LEGACY_DESCRIPTION:
        out.append(
            Problem(
                "description",
                "description_too_long",
                f"description longer than {MAX_LEGACY_DESCRIPTION} characters",
                len(msg.description),
            )
        )
    return out


def addition_proposal(msg: ConsumerAdditionProposal, facts: ProviderFacts, route: str) -> list[Problem]:
    out = _legacy_gate("ConsumerAdditionProposal", facts, True, "v4.0.0")
    out += _legacy_texts(msg)
    out += _legacy_addition_fields(msg, facts, pss=True)
    return out


def removal_proposal(msg: ConsumerRemovalProposal, facts: ProviderFacts, route: str) -> list[Problem]:
    out = _legacy_gate("ConsumerRemovalProposal", facts, True, "v4.0.0")
    return out + _legacy_texts(msg) + _removal_fields(msg.chain_id, msg.stop_time)


def modification_proposal(msg: ConsumerModificationProposal, facts: ProviderFacts, route: str) -> list[Problem]:
    out = _legacy_gate(
        "ConsumerModificationProposal", facts, facts.version.has_legacy_modification_proposal, "v4.3.0 / v5.1.0"
    )
    return out + _legacy_texts(msg) + _modification_fields(msg, facts)


def _reward_denom_lists(
    add: list[str], remove: list[str], add_name: str = "denoms_to_add", remove_name: str = "denoms_to_remove"
) -> list[Problem]:
    out = []
    if not add and not remove:
        out.append(Problem("", "denoms_empty", "both denoms_to_add and denoms_to_remove are empty", None))
    for name, values in ((add_name, add), (remove_name, remove)):
        for i, denom in enumerate(values):
            if not rc.sdk_denom_valid(denom):
                out.append(Problem(f"{name}[{i}]", "denom_invalid", "not a valid coin denom", denom))
    for i, denom in enumerate(remove):
        if denom in add:
            out.append(
                Problem(
                    f"{remove_name}[{i}]", "denom_add_and_remove", "a denom cannot be both added and removed", denom
                )
            )
    return out


def change_reward_denoms(msg: MsgChangeRewardDenoms, facts: ProviderFacts, route: str) -> list[Problem]:
    out: list[Problem] = []
    if not facts.version.has_routable_change_reward_denoms:
        out.append(
            Problem(
                "@type",
                "kind_not_routable",
                f"MsgChangeRewardDenoms has no route before ICS v6.0.0 (this provider runs {facts.version}); "
                "use ChangeRewardDenomsProposal",
                "MsgChangeRewardDenoms",
            )
        )
    return out + _reward_denom_lists(msg.denoms_to_add, msg.denoms_to_remove)


def change_reward_denoms_proposal(msg: ChangeRewardDenomsProposal, facts: ProviderFacts, route: str) -> list[Problem]:
    out = _legacy_gate("ChangeRewardDenomsProposal", facts, True, "v4.0.0")
    return out + _legacy_texts(msg) + _reward_denom_lists(msg.denoms_to_add, msg.denoms_to_remove)


def equivocation(msg: EquivocationProposal, facts: ProviderFacts, route: str) -> list[Problem]:
    return [
        Problem(
            "@type",
            "equivocation_never_handled",
            "no ICS v4+ provider handles EquivocationProposal (it is only registered so old proposals decode): "
            "the proposal cannot execute; submit the evidence with MsgSubmitConsumerDoubleVoting instead",
            "EquivocationProposal",
        ),
        *_legacy_texts(msg),
    ]
