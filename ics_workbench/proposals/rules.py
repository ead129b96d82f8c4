"""Every check the provider (ValidateBasic, handler) and gov v1 would apply, per detected ICS version.

``validate(draft, facts)`` returns all problems at once (not the first, as the chain does), so an author
fixes everything in one pass. Stateful checks (owner, phase, current Top N) need ``facts.consumers``;
without them those rules stay silent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from ics_workbench.proposals import rules_common as rc
from ics_workbench.proposals.address_checks import is_account_address
from ics_workbench.proposals.deposit import check_deposit
from ics_workbench.proposals.diff import diff_problems, update_diff
from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.facts import ACTIVE_PHASES, ProviderFacts
from ics_workbench.proposals.fields import field_available, field_since
from ics_workbench.proposals.legacy_chain_ids import duplicate_chain_id_problems
from ics_workbench.proposals.models import (
    ChangeRewardDenomsProposal,
    ConsumerAdditionProposal,
    ConsumerModificationProposal,
    ConsumerRemovalProposal,
    EquivocationProposal,
    IcsMessage,
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
)
from ics_workbench.proposals.problems import Problem, Severity, prefixed

E, W = Severity.ERROR, Severity.WARNING
MAX_TITLE_LENGTH = 255  # SDK v0.50 gov: title limited by MaxMetadataLen (255)
MAX_SUMMARY_LENGTH = 10200  # SDK v0.50 gov DefaultConfig MaxSummaryLen
MAX_GOV_METADATA_LENGTH = 255
MAX_LEGACY_TITLE = 140  # gov v1beta1 ValidateAbstract
MAX_LEGACY_DESCRIPTION = 10000


def validate(draft: ProposalDraft, facts: ProviderFacts) -> list[Problem]:
    problems = list(draft.import_notes)
    if draft.route == "gov":
        problems += _envelope(draft, facts)
    elif len(draft.messages) != 1:
        problems.append(Problem("messages", "one_message", "a direct transaction file holds exactly one message", len(draft.messages)))
    for i, msg in enumerate(draft.messages):
        found = validate_message(msg, facts, route=draft.route)
        if msg.is_legacy_content and draft.route == "gov":
            authority = draft.legacy_authorities.get(i, facts.gov_address)
            if authority != facts.gov_address:
                found.insert(
                    0,
                    Problem(
                        "authority",
                        "legacy_authority_not_gov",
                        f"MsgExecLegacyContent.authority must be the gov module {facts.gov_address}",
                        authority,
                    ),
                )
        problems += prefixed(found, f"messages[{i}]") if draft.route == "gov" else found
    problems += duplicate_chain_id_problems(draft, facts)
    return problems


def _envelope(draft: ProposalDraft, facts: ProviderFacts) -> list[Problem]:
    out: list[Problem] = []
    if not draft.messages:
        out.append(Problem("messages", "no_messages", "the proposal executes no message", 0))
    if not draft.title.strip():
        out.append(Problem("title", "title_blank", "proposal title cannot be empty", draft.title))
    elif len(draft.title) > MAX_TITLE_LENGTH:
        out.append(Problem("title", "title_too_long", f"title longer than {MAX_TITLE_LENGTH} characters", len(draft.title)))
    if not draft.summary.strip():
        out.append(Problem("summary", "summary_blank", "proposal summary cannot be empty", draft.summary))
    elif len(draft.summary) > MAX_SUMMARY_LENGTH:
        out.append(Problem("summary", "summary_too_long", f"summary longer than {MAX_SUMMARY_LENGTH} characters", len(draft.summary)))
    if len(draft.metadata) > MAX_GOV_METADATA_LENGTH:
        out.append(
            Problem("metadata", "metadata_too_long", f"proposal metadata longer than {MAX_GOV_METADATA_LENGTH} characters (use an ipfs:// link)", len(draft.metadata))
        )
    out += check_deposit(draft.deposit, facts.gov, expedited=draft.expedited)
    if draft.expedited:
        out.append(
            Problem(
                "expedited",
                "expedited_restricted",
                "Gaia v19 to v23 accept only software-upgrade proposals as expedited; from v24 any message may be",
                True,
                W,
            )
        )
    return out


# --- per message -------------------------------------------------------------------------------------------


def validate_message(msg: IcsMessage, facts: ProviderFacts, *, route: str = "gov") -> list[Problem]:
    check = _CHECKS.get(type(msg))
    out = _fields_not_in_version(msg, facts)
    if msg.signer_field and route == "gov":
        signer = msg.signer()
        if signer != facts.gov_address:
            out.append(
                Problem(
                    msg.signer_field,
                    "signer_not_gov",
                    f"inside a gov proposal the {msg.signer_field} must be the gov module {facts.gov_address}; "
                    "gov refuses the proposal otherwise",
                    signer,
                )
            )
    if route == "tx" and msg.signer_field in ("authority",):
        out.append(Problem(msg.signer_field, "needs_gov", f"{type(msg).__name__} can only be executed by a gov proposal", None))
    if check is not None:
        out += check(msg, facts, route)
    return out


def _fields_not_in_version(model: BaseModel, facts: ProviderFacts, path: str = "") -> list[Problem]:
    out = []
    cls = type(model)
    for name in cls.model_fields:
        value = getattr(model, name)
        sub = rc.join(path, name)
        if not field_available(cls.__name__, name, facts.version):
            if value not in (None, "", 0, False, [], {}):
                out.append(
                    Problem(
                        sub,
                        "field_not_in_version",
                        f"{name} exists from ICS {field_since(cls.__name__, name)}; this provider runs {facts.version.display()} "
                        "and rejects the unknown field",
                        _plain(value),
                    )
                )
            continue
        if isinstance(value, BaseModel):
            out += _fields_not_in_version(value, facts, sub)
    return out


def _plain(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def _not_available(name: str, facts: ProviderFacts, why: str) -> Problem:
    return Problem("@type", "kind_not_available", f"{name} {why}; this provider runs ICS {facts.version.display()}", name)


def _create_consumer(msg: MsgCreateConsumer, facts: ProviderFacts, route: str) -> list[Problem]:
    v = facts.version
    out: list[Problem] = []
    if not v.permissionless:
        out.append(_not_available("MsgCreateConsumer", facts, "exists from ICS v6.0.0 (use MsgConsumerAddition on v5, ConsumerAdditionProposal on v4)"))
    if facts.create_consumer_disabled:
        out.append(
            Problem(
                "@type",
                "create_consumer_disabled",
                "this provider's app rejects MsgCreateConsumer in its ante handler (Gaia v27+: no new consumer chains)",
                "MsgCreateConsumer",
            )
        )
    out += rc.chain_id("chain_id", msg.chain_id, v6_rules=True)
    out += rc.metadata("metadata", msg.metadata)
    ip = msg.initialization_parameters
    if ip is None:
        out.append(
            Problem(
                "initialization_parameters",
                "spawn_time_zero",
                "no initialization parameters: defaults apply and, with no spawn time, the consumer stays REGISTERED",
                None,
                W,
            )
        )
    else:
        out += _init_params_v6("initialization_parameters", ip, msg.chain_id, facts)
    ps = msg.power_shaping_parameters
    if ps is not None:
        if ps.top_N != 0:
            out.append(
                Problem(
                    "power_shaping_parameters.top_N",
                    "top_n_create",
                    "cannot create a Top N chain with MsgCreateConsumer: create it opt-in (top_N 0), hand ownership "
                    "to the gov module with MsgUpdateConsumer, then propose a MsgUpdateConsumer setting top_N",
                    ps.top_N,
                )
            )
        out += rc.power_shaping("power_shaping_parameters", ps, facts)
    if msg.infraction_parameters is not None:
        out += rc.infraction("infraction_parameters", msg.infraction_parameters)
    if msg.allowlisted_reward_denoms is not None:
        out += rc.reward_denoms("allowlisted_reward_denoms", msg.allowlisted_reward_denoms)
    return out


def _init_params_v6(path: str, ip: Any, chain: str, facts: ProviderFacts) -> list[Problem]:
    out = rc.init_params_core(path, ip, hashes_required=False)
    out += rc.initial_height_revision(
        rc.join(path, "initial_height"), ip.initial_height, chain, enforced=facts.version.validates_initial_height_revision
    )
    out += rc.spawn_time(rc.join(path, "spawn_time"), ip.spawn_time, facts, required=False)
    out += rc.unbonding_vs_provider(rc.join(path, "unbonding_period"), ip.unbonding_period, facts)
    return out


def _update_consumer(msg: MsgUpdateConsumer, facts: ProviderFacts, route: str) -> list[Problem]:
    v = facts.version
    gov = facts.gov_address
    out: list[Problem] = []
    if not v.permissionless:
        out.append(_not_available("MsgUpdateConsumer", facts, "exists from ICS v6.0.0 (use MsgConsumerModification on v5.1+, ConsumerModificationProposal on v4.3+)"))
    out += rc.consumer_id("consumer_id", msg.consumer_id)
    current = facts.consumer(msg.consumer_id.strip())
    if msg.new_owner_address and not is_account_address(msg.new_owner_address, facts.account_prefix):
        out.append(
            Problem(
                "new_owner_address",
                "new_owner_invalid",
                f"not a valid {facts.account_prefix}1... account address: the message passes submission but FAILS "
                "when the proposal executes (\"invalid new owner address\"; Hub props 1012/1013)",
                msg.new_owner_address,
            )
        )
    if msg.new_chain_id:
        out += rc.chain_id("new_chain_id", msg.new_chain_id, v6_rules=True)
        if current is not None and not current.prelaunched and msg.new_chain_id != current.chain_id:
            out.append(Problem("new_chain_id", "chain_id_after_launch", "the chain id of a launched consumer cannot change", msg.new_chain_id))
    if msg.metadata is not None:
        out += rc.metadata("metadata", msg.metadata)
    chain = msg.new_chain_id or (current.chain_id if current else "")
    if msg.initialization_parameters is not None:
        out += _init_params_v6("initialization_parameters", msg.initialization_parameters, chain, facts)
        if current is not None and not current.prelaunched:
            out.append(
                Problem(
                    "initialization_parameters",
                    "init_params_after_launch",
                    f"the consumer is {current.phase.removeprefix('CONSUMER_PHASE_')}: initialization parameters of "
                    "a launched chain cannot be updated and the whole message fails at execution; leave them out",
                    None,
                )
            )
    ps = msg.power_shaping_parameters
    if ps is not None:
        out += rc.power_shaping("power_shaping_parameters", ps, facts)
        if ps.top_N > 0:
            if route == "tx" and msg.owner != gov:
                out.append(
                    Problem(
                        "power_shaping_parameters.top_N",
                        "top_n_requires_gov_owner",
                        "only a gov-owned consumer can become Top N: hand ownership to the gov module "
                        f"(new_owner_address {gov}), then set top_N through a gov proposal",
                        ps.top_N,
                    )
                )
            elif current is not None and current.owner_address != gov:
                out.append(
                    Problem(
                        "power_shaping_parameters.top_N",
                        "top_n_requires_gov_owner",
                        f"the consumer's current owner is {current.owner_address}, not the gov module: the update "
                        f"fails at execution; first transfer ownership with new_owner_address {gov}",
                        ps.top_N,
                    )
                )
    if msg.infraction_parameters is not None:
        out += rc.infraction("infraction_parameters", msg.infraction_parameters)
    if msg.allowlisted_reward_denoms is not None:
        out += rc.reward_denoms("allowlisted_reward_denoms", msg.allowlisted_reward_denoms)
    # ErrInvalidTransformToOptIn: after the update, a non-gov owner requires top_N == 0
    final_owner = msg.new_owner_address or (current.owner_address if current else msg.owner)
    final_top_n = ps.top_N if ps is not None else (current.power_shaping_params.top_N if current and current.power_shaping_params else None)
    if final_owner and final_owner != gov and final_top_n:
        out.append(
            Problem(
                "new_owner_address" if msg.new_owner_address else "power_shaping_parameters.top_N",
                "top_n_owner_must_stay_gov",
                f"a Top N chain (top_N {final_top_n}) must stay owned by the gov module: moving to a non-gov owner "
                "requires top_N 0 in the same message, else execution fails",
                final_owner,
            )
        )
    current_top_n = current.power_shaping_params.top_N if current and current.power_shaping_params else 0
    if ps is not None and ps.top_N == 0 and current_top_n and not msg.new_owner_address:
        out.append(
            Problem(
                "new_owner_address",
                "opt_in_still_gov_owned",
                f"top_N goes from {current_top_n} to 0 but the gov module stays the owner: the chain becomes opt-in "
                "and every later change still needs a proposal; set new_owner_address to hand it over",
                "",
                W,
            )
        )
    if current is not None:
        if current.phase not in ACTIVE_PHASES:
            out.append(Problem("consumer_id", "consumer_not_active", f"the consumer is {current.phase}: it can no longer be updated", msg.consumer_id))
        if msg.owner and msg.owner != current.owner_address:
            out.append(
                Problem(
                    "owner",
                    "owner_mismatch",
                    f"the consumer's owner is {current.owner_address}: execution fails with \"expected owner address\"",
                    msg.owner,
                )
            )
    out += diff_problems(update_diff(msg, current), current_known=current is not None)
    return out


def _remove_consumer(msg: MsgRemoveConsumer, facts: ProviderFacts, route: str) -> list[Problem]:
    out: list[Problem] = []
    if not facts.version.permissionless:
        out.append(_not_available("MsgRemoveConsumer", facts, "exists from ICS v6.0.0 (use MsgConsumerRemoval on v5, ConsumerRemovalProposal on v4)"))
    out += rc.consumer_id("consumer_id", msg.consumer_id)
    current = facts.consumer(msg.consumer_id.strip())
    if current is not None:
        if not current.launched:
            out.append(
                Problem(
                    "consumer_id",
                    "remove_requires_launched",
                    f"only a LAUNCHED consumer can be removed; this one is {current.phase.removeprefix('CONSUMER_PHASE_')}",
                    msg.consumer_id,
                )
            )
        if msg.owner and msg.owner != current.owner_address:
            out.append(Problem("owner", "owner_mismatch", f"the consumer's owner is {current.owner_address}", msg.owner))
    return out


def _legacy_addition_fields(msg: MsgConsumerAddition | ConsumerAdditionProposal, facts: ProviderFacts, *, pss: bool) -> list[Problem]:
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


def _as_init_params(msg: Any) -> Any:
    from ics_workbench.proposals.models import ConsumerInitializationParameters

    return ConsumerInitializationParameters(
        initial_height=msg.initial_height,
        genesis_hash=msg.genesis_hash,
        binary_hash=msg.binary_hash,
        spawn_time=msg.spawn_time,
        unbonding_period=msg.unbonding_period,
        ccv_timeout_period=msg.ccv_timeout_period,
        transfer_timeout_period=msg.transfer_timeout_period,
        consumer_redistribution_fraction=msg.consumer_redistribution_fraction,
        blocks_per_distribution_transmission=msg.blocks_per_distribution_transmission,
        historical_entries=msg.historical_entries,
        distribution_transmission_channel=msg.distribution_transmission_channel,
    )


def _unroutable_v6(name: str, facts: ProviderFacts, instead: str) -> Problem:
    return Problem(
        "@type",
        "kind_not_routable",
        f"{name} has no route from ICS v6.0.0 (this provider runs {facts.version}): gov rejects the proposal at "
        f"submission; use {instead}",
        name,
    )


def _consumer_addition(msg: MsgConsumerAddition, facts: ProviderFacts, route: str) -> list[Problem]:
    v = facts.version
    out: list[Problem] = []
    if v.major >= 6:
        out.append(_unroutable_v6("MsgConsumerAddition", facts, "MsgCreateConsumer (+ MsgUpdateConsumer for Top N)"))
    elif not v.has_msg_consumer_addition:
        out.append(_not_available("MsgConsumerAddition", facts, "exists only in ICS v5 (use ConsumerAdditionProposal)"))
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


def _consumer_removal(msg: MsgConsumerRemoval, facts: ProviderFacts, route: str) -> list[Problem]:
    v = facts.version
    out: list[Problem] = []
    if v.major >= 6:
        out.append(_unroutable_v6("MsgConsumerRemoval", facts, "MsgRemoveConsumer"))
    elif v.major != 5:
        out.append(_not_available("MsgConsumerRemoval", facts, "exists only in ICS v5 (use ConsumerRemovalProposal)"))
    out += _removal_fields(msg.chain_id, msg.stop_time)
    return out


def _removal_fields(chain: str, stop_time: Any) -> list[Problem]:
    out = rc.chain_id("chain_id", chain, v6_rules=False)
    if stop_time is None:
        out.append(Problem("stop_time", "stop_time_zero", "stop time cannot be zero", None))
    return out


def _consumer_modification(msg: MsgConsumerModification, facts: ProviderFacts, route: str) -> list[Problem]:
    v = facts.version
    out: list[Problem] = []
    if v.major >= 6:
        out.append(_unroutable_v6("MsgConsumerModification", facts, "MsgUpdateConsumer"))
    elif not v.has_msg_consumer_modification:
        out.append(_not_available("MsgConsumerModification", facts, "exists from ICS v5.1.0"))
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
        return [_not_available(name, facts, f"is handled from ICS {since}")]
    return []


def _legacy_texts(msg: Any) -> list[Problem]:
    out = []
    if not msg.title.strip():
        out.append(Problem("title", "title_blank", "proposal title cannot be blank", msg.title))
    elif len(msg.title) > MAX_LEGACY_TITLE:
        out.append(Problem("title", "title_too_long", f"legacy proposal title longer than {MAX_LEGACY_TITLE} characters", len(msg.title)))
    if not msg.description.strip():
        out.append(Problem("description", "description_blank", "proposal description cannot be blank", msg.description))
    elif len(msg.description) > MAX_LEGACY_DESCRIPTION:
        out.append(Problem("description", "description_too_long", f"description longer than {MAX_LEGACY_DESCRIPTION} characters", len(msg.description)))
    return out


def _addition_proposal(msg: ConsumerAdditionProposal, facts: ProviderFacts, route: str) -> list[Problem]:
    out = _legacy_gate("ConsumerAdditionProposal", facts, True, "v4.0.0")
    out += _legacy_texts(msg)
    out += _legacy_addition_fields(msg, facts, pss=True)
    return out


def _removal_proposal(msg: ConsumerRemovalProposal, facts: ProviderFacts, route: str) -> list[Problem]:
    out = _legacy_gate("ConsumerRemovalProposal", facts, True, "v4.0.0")
    return out + _legacy_texts(msg) + _removal_fields(msg.chain_id, msg.stop_time)


def _modification_proposal(msg: ConsumerModificationProposal, facts: ProviderFacts, route: str) -> list[Problem]:
    out = _legacy_gate(
        "ConsumerModificationProposal", facts, facts.version.has_legacy_modification_proposal, "v4.3.0 / v5.1.0"
    )
    return out + _legacy_texts(msg) + _modification_fields(msg, facts)


def _reward_denom_lists(add: list[str], remove: list[str], add_name: str = "denoms_to_add", remove_name: str = "denoms_to_remove") -> list[Problem]:
    out = []
    if not add and not remove:
        out.append(Problem("", "denoms_empty", "both denoms_to_add and denoms_to_remove are empty", None))
    for name, values in ((add_name, add), (remove_name, remove)):
        for i, denom in enumerate(values):
            if not rc.sdk_denom_valid(denom):
                out.append(Problem(f"{name}[{i}]", "denom_invalid", "not a valid coin denom", denom))
    for i, denom in enumerate(remove):
        if denom in add:
            out.append(Problem(f"{remove_name}[{i}]", "denom_add_and_remove", "a denom cannot be both added and removed", denom))
    return out


def _change_reward_denoms(msg: MsgChangeRewardDenoms, facts: ProviderFacts, route: str) -> list[Problem]:
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


def _change_reward_denoms_proposal(msg: ChangeRewardDenomsProposal, facts: ProviderFacts, route: str) -> list[Problem]:
    out = _legacy_gate("ChangeRewardDenomsProposal", facts, True, "v4.0.0")
    return out + _legacy_texts(msg) + _reward_denom_lists(msg.denoms_to_add, msg.denoms_to_remove)


def _equivocation(msg: EquivocationProposal, facts: ProviderFacts, route: str) -> list[Problem]:
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


# provider Params keys per version (x/ccv/provider/types/params.go)
_PARAMS_V7 = (
    "template_client",
    "trusting_period_fraction",
    "ccv_timeout_period",
    "slash_meter_replenish_period",
    "slash_meter_replenish_fraction",
    "consumer_reward_denom_registration_fee",
    "blocks_per_epoch",
    "number_of_epochs_to_start_receiving_rewards",
    "max_provider_consensus_validators",
)
_PARAMS_V5_EXTRA = ("init_timeout_period", "vsc_timeout_period")


def required_param_keys(facts: ProviderFacts) -> tuple[str, ...]:
    if facts.version.major >= 6:
        return _PARAMS_V7
    keys = tuple(k for k in _PARAMS_V7 if k != "max_provider_consensus_validators") + _PARAMS_V5_EXTRA
    return keys


def _update_params(msg: MsgUpdateParams, facts: ProviderFacts, route: str) -> list[Problem]:
    from ics_workbench.proposals.codec import ProposalFormatError, parse_proto_duration

    out: list[Problem] = []
    if not facts.version.has_msg_update_params:
        out.append(_not_available("MsgUpdateParams", facts, "exists from ICS v5.0.0 (v4 uses a x/params ParameterChangeProposal)"))
    params = msg.params
    required = required_param_keys(facts)
    missing = [k for k in required if k not in params]
    if missing:
        out.append(
            Problem(
                "params",
                "params_incomplete",
                "MsgUpdateParams replaces ALL provider params; missing ones become zero or empty and can halt the "
                f"chain (ICS #2021). Missing: {', '.join(missing)} (fill from the chain's current params)",
                missing,
            )
        )
    for key in params:
        if key not in required:
            out.append(Problem(f"params.{key}", "unknown_field", f"provider Params of {facts.version} has no field {key!r}", key))
    if "template_client" in params and not params["template_client"]:
        out.append(Problem("params.template_client", "template_client_missing", "template client cannot be empty", None))
    for key in ("trusting_period_fraction", "slash_meter_replenish_fraction"):
        if key in params:
            out += rc.fraction(f"params.{key}", str(params[key]), "fraction_range", key, allow_zero=False)
    for key in ("ccv_timeout_period", "slash_meter_replenish_period", "init_timeout_period", "vsc_timeout_period"):
        if key in params:
            try:
                ns = parse_proto_duration(params[key], f"params.{key}")
            except ProposalFormatError as exc:
                out.append(Problem(f"params.{key}", "duration_invalid", str(exc), params[key]))
                continue
            out += rc.positive(f"params.{key}", ns, "duration_positive", key)
    for key in ("blocks_per_epoch", "number_of_epochs_to_start_receiving_rewards", "max_provider_consensus_validators"):
        if key in params:
            try:
                value = int(params[key])
            except (TypeError, ValueError):
                out.append(Problem(f"params.{key}", "int_invalid", "not an integer", params[key]))
                continue
            out += rc.positive(f"params.{key}", value, "positive", key)
    if facts.provider_params is not None and not missing:
        from ics_workbench.proposals.diff import params_diff

        if not [c for c in params_diff(params, facts.provider_params) if c.kind != "unchanged"]:
            out.append(Problem("params", "params_unchanged", "the proposal sets every param to its current value", None, W))
    fee = params.get("consumer_reward_denom_registration_fee")
    if fee is not None:
        ok = isinstance(fee, dict) and rc.sdk_denom_valid(str(fee.get("denom", ""))) and str(fee.get("amount", "")).isdigit()
        if not ok:
            out.append(Problem("params.consumer_reward_denom_registration_fee", "coin_invalid", "not a valid coin {denom, amount}", fee))
    return out


def _evidence_common(consumer_id: str, facts: ProviderFacts) -> list[Problem]:
    if facts.version.permissionless:
        return rc.consumer_id("consumer_id", consumer_id)
    return []


def _double_voting(msg: MsgSubmitConsumerDoubleVoting, facts: ProviderFacts, route: str) -> list[Problem]:
    out = _evidence_common(msg.consumer_id, facts)
    ev = msg.duplicate_vote_evidence
    if not ev:
        out.append(Problem("duplicate_vote_evidence", "evidence_missing", "double voting evidence cannot be empty", None))
    else:
        missing = [v for v in ("vote_a", "vote_b") if not ev.get(v)]
        for vote in missing:
            out.append(Problem(f"duplicate_vote_evidence.{vote}", "evidence_missing", f"{vote} is missing", None))
        if not missing:
            out += _duplicate_vote_validate_basic(ev)
    header = msg.infraction_block_header
    if not header:
        out.append(Problem("infraction_block_header", "header_missing", "infraction block header cannot be empty", None))
    else:
        signed = header.get("signed_header") or {}
        if not signed.get("header"):
            out.append(Problem("infraction_block_header.signed_header.header", "header_missing", "signed header is missing", None))
        if not header.get("validator_set"):
            out.append(Problem("infraction_block_header.validator_set", "header_missing", "validator set is missing (the provider takes the public key from it)", None))
    return out


def _duplicate_vote_validate_basic(ev: dict[str, Any]) -> list[Problem]:
    """CometBFT DuplicateVoteEvidence.ValidateBasic, via the evidence package's parser and vote checks."""
    from ics_workbench.evidence.checks import vote_problems
    from ics_workbench.evidence.model import ParseError
    from ics_workbench.evidence.parse import parse_duplicate_vote_evidence

    try:
        evidence = parse_duplicate_vote_evidence(ev, "duplicate_vote_evidence")
    except ParseError as exc:
        return [Problem(exc.field or "duplicate_vote_evidence", "evidence_invalid", exc.reason, None)]
    out = []
    for name, vote in (("vote_a", evidence.vote_a), ("vote_b", evidence.vote_b)):
        for text in vote_problems(vote):
            out.append(Problem(f"duplicate_vote_evidence.{name}", "vote_invalid", text, None))
    if evidence.vote_a.block_id.key() >= evidence.vote_b.block_id.key():
        out.append(
            Problem(
                "duplicate_vote_evidence",
                "votes_out_of_order",
                "vote_a's block id must sort before vote_b's (CometBFT: \"duplicate votes in invalid order\"); swap them",
                None,
            )
        )
    return out


def _misbehaviour(msg: MsgSubmitConsumerMisbehaviour, facts: ProviderFacts, route: str) -> list[Problem]:
    out = _evidence_common(msg.consumer_id, facts)
    mb = msg.misbehaviour
    if not mb:
        return out + [Problem("misbehaviour", "evidence_missing", "misbehaviour cannot be empty", None)]
    for header in ("header_1", "header_2"):
        if not mb.get(header):
            out.append(Problem(f"misbehaviour.{header}", "header_missing", f"{header} is missing", None))
    if not str(mb.get("client_id", "")).strip():
        out.append(Problem("misbehaviour.client_id", "client_id_missing", "client_id must be the consumer's client id (deprecated but still validated)", None))
    return out


_CHECKS: dict[type, Callable[[Any, ProviderFacts, str], list[Problem]]] = {
    MsgCreateConsumer: _create_consumer,
    MsgUpdateConsumer: _update_consumer,
    MsgRemoveConsumer: _remove_consumer,
    MsgConsumerAddition: _consumer_addition,
    MsgConsumerRemoval: _consumer_removal,
    MsgConsumerModification: _consumer_modification,
    ConsumerAdditionProposal: _addition_proposal,
    ConsumerRemovalProposal: _removal_proposal,
    ConsumerModificationProposal: _modification_proposal,
    ChangeRewardDenomsProposal: _change_reward_denoms_proposal,
    EquivocationProposal: _equivocation,
    MsgChangeRewardDenoms: _change_reward_denoms,
    MsgUpdateParams: _update_params,
    MsgSubmitConsumerDoubleVoting: _double_voting,
    MsgSubmitConsumerMisbehaviour: _misbehaviour,
}
