"""The permissionless messages (ICS v6+): MsgCreateConsumer, MsgUpdateConsumer, MsgRemoveConsumer.

Each check follows the provider's order of judgement: ValidateBasic, then the msg server (owner, phase, chain
id, initial height against the chain id the consumer will have), then what happens later without an error:
the launch at spawn time (which falls back to REGISTERED, or HALTS the provider when the stored initial height
no longer matches a changed chain id), queued infraction parameters, sub-structures replaced as a whole.
Where the chain accepts but the outcome is not what the file says, the problem names the consequence: an
error when the provider halts or the consumer is locked, a warning otherwise.
"""

from __future__ import annotations

from typing import Any

from ics_workbench.foundation.phases import INITIALIZED as PHASE_INITIALIZED
from ics_workbench.proposals import gosem, rules_common as rc
from ics_workbench.proposals.address_checks import is_upper_case_address
from ics_workbench.proposals.diff import diff_problems, update_diff
from ics_workbench.proposals.facts import ACTIVE_PHASES, ConsumerState, ProviderFacts
from ics_workbench.proposals.models import (
    ConsumerInitializationParameters,
    Height,
    InfractionParameters,
    MsgCreateConsumer,
    MsgRemoveConsumer,
    MsgUpdateConsumer,
    PowerShapingParameters,
)
from ics_workbench.proposals.problems import Problem, Severity

W = Severity.WARNING
DEFAULT_INITIAL_HEIGHT = Height(revision_number=1, revision_height=1)  # DefaultConsumerInitializationParameters
FALLBACK = "at spawn time the launch fails and the consumer falls back to REGISTERED with its spawn time cleared"


def not_available(name: str, facts: ProviderFacts, why: str) -> Problem:
    return Problem("@type", "kind_not_available", f"{name} {why}; this provider runs ICS {facts.version}", name)


def create_consumer(msg: MsgCreateConsumer, facts: ProviderFacts, route: str) -> list[Problem]:
    v = facts.version
    out: list[Problem] = []
    if not v.permissionless:
        out.append(
            not_available(
                "MsgCreateConsumer",
                facts,
                "exists from ICS v6.0.0 (use MsgConsumerAddition on v5, ConsumerAdditionProposal on v4)",
            )
        )
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
        # the msg server stores DefaultConsumerInitializationParameters: revision 1, checked against the chain id
        out += rc.initial_height_revision(
            "initialization_parameters.initial_height", DEFAULT_INITIAL_HEIGHT, msg.chain_id,
            enforced=v.validates_initial_height_revision, implied=True,
        )  # fmt: skip
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
        out += init_params("initialization_parameters", ip, msg.chain_id, facts)
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
    if ip is not None and ip.spawn_time is not None:
        out += launch_fallbacks("", ip, ps, facts, msg.chain_id)
    if msg.infraction_parameters is not None:
        out += rc.infraction("infraction_parameters", msg.infraction_parameters)
        out += partial_infraction("infraction_parameters", msg.infraction_parameters, "the provider's default")
    if msg.allowlisted_reward_denoms is not None:
        out += rc.reward_denoms("allowlisted_reward_denoms", msg.allowlisted_reward_denoms)
    return out


def init_params(path: str, ip: ConsumerInitializationParameters, chain: str, facts: ProviderFacts) -> list[Problem]:
    out = rc.init_params_core(path, ip, hashes_required=False)
    out += rc.initial_height_revision(
        rc.join(path, "initial_height"),
        ip.initial_height,
        chain,
        enforced=facts.version.validates_initial_height_revision,
    )
    out += rc.spawn_time(rc.join(path, "spawn_time"), ip.spawn_time, facts, required=False)
    out += rc.unbonding_vs_provider(rc.join(path, "unbonding_period"), ip.unbonding_period, facts)
    return out


def launch_fallbacks(
    prefix: str, ip: ConsumerInitializationParameters, ps: PowerShapingParameters | None, facts: ProviderFacts,
    chain_id: str,
) -> list[Problem]:
    """What makes LaunchConsumer fail at spawn time (no error at submission: the consumer just does not launch)."""
    path = rc.join(prefix, "initialization_parameters")
    out: list[Problem] = []
    fraction = gosem.legacy_dec(str((facts.provider_params or {}).get("trusting_period_fraction", "0.66")))
    if fraction is not None and ip.unbonding_period > 0:
        trusting = int(fraction * ip.unbonding_period)
        if trusting <= 0 or trusting >= ip.unbonding_period:
            out.append(
                Problem(
                    rc.join(path, "unbonding_period"),
                    "launch_trusting_period",
                    f"unbonding period {ip.unbonding_period} ns gives a client trusting period of {trusting} ns "
                    f"(× trusting_period_fraction {fraction.normalize()}), which IBC refuses: {FALLBACK}",
                    ip.unbonding_period,
                    W,
                )
            )
    if ip.connection_id != "" and facts.connection_chains is not None:
        client_chain = facts.connection_chains.get(ip.connection_id)
        if client_chain is None or client_chain != chain_id:
            why = (
                f"the provider has no IBC connection {ip.connection_id!r}" if client_chain is None
                else f"connection {ip.connection_id!r} does not lead to a Tendermint client of {chain_id!r}"
            )
            out.append(
                Problem(
                    rc.join(path, "connection_id"),
                    "launch_connection_missing",
                    f"{why}: {FALLBACK}",
                    ip.connection_id,
                    W,
                )
            )
    if (
        ps is not None
        and ps.min_stake
        and facts.max_validator_tokens is not None
        and ps.min_stake > facts.max_validator_tokens
    ):
        out.append(
            Problem(
                rc.join(prefix, "power_shaping_parameters.min_stake"),
                "launch_min_stake_excludes_all",
                f"min_stake {ps.min_stake} is above every bonded validator's stake (largest "
                f"{facts.max_validator_tokens}): "
                f"no validator can validate, so {FALLBACK}",
                ps.min_stake,
                W,
            )
        )
    return out


def partial_infraction(path: str, ip: InfractionParameters, kept: str) -> list[Problem]:
    """A double_sign/downtime block replaces the whole SlashJailParameters: what it leaves out becomes zero."""
    out = []
    for name in ("double_sign", "downtime"):
        block = getattr(ip, name)
        if block is None:
            continue
        missing = [f for f in ("slash_fraction", "jail_duration", "tombstone") if f not in block.model_fields_set]
        if missing:
            out.append(
                Problem(
                    rc.join(path, name),
                    "infraction_block_partial",
                    f"the {name} block replaces {kept} as a whole: {', '.join(missing)} not written become zero "
                    f"(jail 0 s, no tombstone, no slash); write every field",
                    missing,
                    W,
                )
            )
    return out


def _owner_checks(msg: Any, current: ConsumerState, facts: ProviderFacts, route: str) -> list[Problem]:
    if route == "tx" and not msg.owner:
        return [
            Problem(
                "owner",
                "signer_unknown",
                f"who signs is not known, so the owner ({current.owner_address}) was not compared: pass --signer",
                None,
                W,
            )
        ]
    if msg.owner != current.owner_address:
        return [
            Problem(
                "owner",
                "owner_mismatch",
                f"the consumer's owner is {current.owner_address}: "
                "the chain refuses the message (\"expected owner address\")",
                msg.owner,
            )
        ]
    return []


def _lookup(consumer_id: str, facts: ProviderFacts) -> tuple[ConsumerState | None, list[Problem]]:
    current = facts.consumer(consumer_id)
    if current is None and consumer_id in facts.missing_consumers:  # looked up, and the chain has none
        why = facts.missing_consumers[consumer_id]
        return None, [
            Problem(
                "consumer_id",
                "consumer_not_found",
                f"the provider has no consumer {consumer_id!r}" + (f" ({why[:160]})" if why else ""),
                consumer_id,
            )
        ]
    return current, []


def update_consumer(msg: MsgUpdateConsumer, facts: ProviderFacts, route: str) -> list[Problem]:
    v = facts.version
    gov = facts.gov_address
    out: list[Problem] = []
    if not v.permissionless:
        out.append(
            not_available(
                "MsgUpdateConsumer",
                facts,
                "exists from ICS v6.0.0 (use MsgConsumerModification on v5.1+, ConsumerModificationProposal on v4.3+)",
            )
        )
    out += rc.consumer_id("consumer_id", msg.consumer_id)
    current, found = _lookup(msg.consumer_id, facts)
    out += found
    if current is not None:
        if current.phase not in ACTIVE_PHASES:
            out.append(
                Problem(
                    "consumer_id",
                    "consumer_not_active",
                    f"the consumer is {current.phase}: it can no longer be updated",
                    msg.consumer_id,
                )
            )
        out += _owner_checks(msg, current, facts, route)
    new_owner = msg.new_owner_address if not gosem.is_blank(msg.new_owner_address) else ""
    if new_owner:
        out += _new_owner_problems(new_owner, facts)
    chain = current.chain_id if current else ""
    changes_chain = not gosem.is_blank(msg.new_chain_id) and (current is None or msg.new_chain_id != current.chain_id)
    if changes_chain:
        out += _new_chain_problems(msg, current)
        chain = msg.new_chain_id
    if msg.metadata is not None:
        out += rc.metadata("metadata", msg.metadata)
    ip = msg.initialization_parameters
    if ip is not None:
        out += _init_params_update(ip, chain, facts, current)
    ps = msg.power_shaping_parameters
    if ps is not None:
        owner_now = current.owner_address if current else (msg.owner if route == "tx" else gov)
        out += _power_shaping_update(ps, owner_now, facts)
    if ip is not None and ip.spawn_time is not None and (current is None or current.prelaunched):
        effective_ps = ps if ps is not None else (current.power_shaping_params if current else None)
        out += launch_fallbacks("", ip, effective_ps, facts, chain)
    if msg.infraction_parameters is not None:
        out += _infraction_update(msg.infraction_parameters, current)
    if msg.allowlisted_reward_denoms is not None:
        out += rc.reward_denoms("allowlisted_reward_denoms", msg.allowlisted_reward_denoms)
    out += _top_n_ownership(msg, current, ps, new_owner, gov)
    out += diff_problems(update_diff(msg, current), current_known=current is not None)
    return out


def _new_owner_problems(new_owner: str, facts: ProviderFacts) -> list[Problem]:
    """A new owner that is not an account of this chain, or one no signer can ever match."""
    out: list[Problem] = []
    wrong = gosem.address_error(new_owner, facts.account_prefix)
    if wrong:
        out.append(
            Problem(
                "new_owner_address",
                "new_owner_invalid",
                f"not a valid {facts.account_prefix}1... account address ({wrong}): the message FAILS when it "
                "executes (\"invalid new owner address\"; Hub props 1012/1013)",
                new_owner,
            )
        )
    elif is_upper_case_address(new_owner):
        out.append(
            Problem(
                "new_owner_address",
                "new_owner_upper_case",
                "an upper-case address is accepted but stored verbatim, and no signer ever matches it: the "
                f"consumer is LOCKED for good; write it in lower case ({new_owner.lower()})",
                new_owner,
            )
        )
    return out


def _new_chain_problems(msg: MsgUpdateConsumer, current: ConsumerState | None) -> list[Problem]:
    """A chain id change: its syntax, and whether the consumer's state still allows it."""
    out: list[Problem] = []
    out += rc.chain_id("new_chain_id", msg.new_chain_id, v6_rules=True)
    if current is not None and not current.prelaunched:
        out.append(
            Problem(
                "new_chain_id",
                "chain_id_after_launch",
                "the chain id of a launched consumer cannot change",
                msg.new_chain_id,
            )
        )
    elif msg.initialization_parameters is None:
        out += _stored_height_vs_new_chain(msg.new_chain_id, current)
    return out


def _init_params_update(
    ip: ConsumerInitializationParameters, chain: str, facts: ProviderFacts, current: ConsumerState | None
) -> list[Problem]:
    out: list[Problem] = []
    out += init_params("initialization_parameters", ip, chain, facts)
    if current is not None and not current.prelaunched:
        out.append(
            Problem(
                "initialization_parameters",
                "init_params_after_launch",
                f"the consumer is {current.phase}: initialization parameters of "
                "a launched chain cannot be updated and the whole message fails at execution; leave them out",
                None,
            )
        )
    return out


def _power_shaping_update(ps: PowerShapingParameters, owner_now: str, facts: ProviderFacts) -> list[Problem]:
    """The power shaping rules, and Top N only for a gov-owned consumer."""
    gov = facts.gov_address
    out = rc.power_shaping("power_shaping_parameters", ps, facts)
    if ps.top_N > 0 and owner_now and owner_now != gov:
        out.append(
            Problem(
                "power_shaping_parameters.top_N",
                "top_n_requires_gov_owner",
                f"the consumer's owner is {owner_now}, not the gov module: a Top N update fails; first transfer "
                f"ownership with new_owner_address {gov}, then set top_N through a gov proposal",
                ps.top_N,
            )
        )
    return out


def _infraction_update(params: InfractionParameters, current: ConsumerState | None) -> list[Problem]:
    out: list[Problem] = []
    out += rc.infraction("infraction_parameters", params)
    out += partial_infraction("infraction_parameters", params, "the current value")
    if current is not None and current.launched:
        out.append(
            Problem(
                "infraction_parameters",
                "infraction_params_queued",
                "the consumer has launched: new infraction parameters are queued and take effect only after one "
                "unbonding period of the provider; until then the current ones apply",
                None,
                W,
            )
        )
    return out


def _stored_height_vs_new_chain(new_chain: str, current: ConsumerState | None) -> list[Problem]:
    """The new chain id is stored without re-checking the stored initial height (only a message that carries
    initialization parameters is checked): the next write of those parameters fails, and the launch path
    writes them when a launch fails, inside BeginBlock, where an error halts the provider."""
    revision = gosem.parse_chain_revision(new_chain)
    if current is None or current.init_params is None:
        return [
            Problem(
                "new_chain_id",
                "new_chain_id_unchecked",
                f"new chain id {new_chain!r} means revision {revision}; the stored initial height is unknown here "
                "(connect to the provider) and must have that revision, else the provider halts at spawn time",
                new_chain,
                W,
            )
        ]
    stored = current.init_params.initial_height.revision_number
    if stored == revision:
        return []
    if current.phase == PHASE_INITIALIZED:
        return [
            Problem(
                "new_chain_id",
                "new_chain_id_halts_provider",
                f"new chain id {new_chain!r} means revision {revision} but the stored initial height has revision "
                f"{stored}: at spawn time the launch fails and resetting the consumer fails too, which HALTS THE "
                f"WHOLE PROVIDER CHAIN (\"chain ID ({new_chain}) doesn't match revision number ({stored})\"); send "
                f"initialization_parameters with initial_height.revision_number {revision} in the same message",
                new_chain,
            )
        ]
    return [
        Problem(
            "new_chain_id",
            "new_chain_id_revision_mismatch",
            f"new chain id {new_chain!r} means revision {revision} but the stored initial height has revision "
            f"{stored}: every later update that sets initialization parameters must use revision {revision}, and "
            "setting a spawn time without fixing it would halt the provider at launch",
            new_chain,
            W,
        )
    ]


def _top_n_ownership(
    msg: MsgUpdateConsumer, current: ConsumerState | None, ps: PowerShapingParameters | None, new_owner: str, gov: str
) -> list[Problem]:
    out: list[Problem] = []
    final_owner = new_owner or (current.owner_address if current else msg.owner)
    current_ps = current.power_shaping_params if current else None
    final_top_n = ps.top_N if ps is not None else (current_ps.top_N if current_ps else None)
    if final_owner and final_owner != gov and final_top_n:
        out.append(
            Problem(
                "new_owner_address" if new_owner else "power_shaping_parameters.top_N",
                "top_n_owner_must_stay_gov",
                f"a Top N chain (top_N {final_top_n}) must stay owned by the gov module: moving to a non-gov owner "
                "requires top_N 0 in the same message, else execution fails",
                final_owner,
            )
        )
    current_top_n = current_ps.top_N if current_ps else 0
    if ps is not None and ps.top_N == 0 and current_top_n and not new_owner:
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
    return out


def remove_consumer(msg: MsgRemoveConsumer, facts: ProviderFacts, route: str) -> list[Problem]:
    out: list[Problem] = []
    if not facts.version.permissionless:
        out.append(
            not_available(
                "MsgRemoveConsumer",
                facts,
                "exists from ICS v6.0.0 (use MsgConsumerRemoval on v5, ConsumerRemovalProposal on v4)",
            )
        )
    out += rc.consumer_id("consumer_id", msg.consumer_id)
    current, found = _lookup(msg.consumer_id, facts)
    out += found
    if current is not None:
        out += _owner_checks(msg, current, facts, route)
        if not current.launched:
            out.append(
                Problem(
                    "consumer_id",
                    "remove_requires_launched",
                    f"only a LAUNCHED consumer can be removed; this one is {current.phase}",
                    msg.consumer_id,
                )
            )
    return out
