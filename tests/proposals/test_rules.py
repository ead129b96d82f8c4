"""Every rule: the untouched builder passes (no problem at all), one mutation makes exactly that rule fire."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.models import (
    EquivocationProposal,
    Height,
    InfractionParameters,
    MsgConsumerAddition,
    MsgCreateConsumer,
    PowerShapingParameters,
    SlashJailParameters,
)
from ics_workbench.proposals.problems import Severity
from ics_workbench.proposals.rules import validate
from tests.proposals import helpers as h


@dataclass
class Case:
    name: str
    build: Callable[[], ProposalDraft]
    mutate: Callable[[ProposalDraft], Any]
    rule: str
    path: str
    version: str = "v7.0.0"
    consumer: Callable[[], Any] | None = None
    severity: Severity = Severity.ERROR


def m(d: ProposalDraft) -> Any:
    return d.messages[0]


def ip(d: ProposalDraft) -> Any:
    return m(d).initialization_parameters


def ps(d: ProposalDraft) -> Any:
    return m(d).power_shaping_parameters


CREATE = h.create_consumer_tx
VALOPER = h.valcons("v9", "cosmosvaloper")
ACCOUNT = h.valcons("v9", "cosmos")

CASES = [
    # --- MsgCreateConsumer ValidateBasic (v7) ---
    Case("chain id blank", CREATE, lambda d: setattr(m(d), "chain_id", "  "), "chain_id_blank", "chain_id"),
    Case("chain id > 50", CREATE, lambda d: setattr(m(d), "chain_id", "c" * 51), "chain_id_too_long", "chain_id"),
    Case("reserved neutron-1", CREATE, lambda d: setattr(m(d), "chain_id", "neutron-1"), "chain_id_reserved",
         "chain_id"),
    Case("reserved stride-1", CREATE, lambda d: setattr(m(d), "chain_id", "stride-1"), "chain_id_reserved", "chain_id"),
    Case("metadata name blank", CREATE, lambda d: setattr(m(d).metadata, "name", ""), "metadata_blank",
         "metadata.name"),
    Case("metadata name > 50", CREATE, lambda d: setattr(m(d).metadata, "name", "n" * 51), "metadata_too_long",
         "metadata.name"),
    Case("description > 10000", CREATE, lambda d: setattr(m(d).metadata, "description", "d" * 10001),
         "metadata_too_long", "metadata.description"),
    Case("metadata blank", CREATE, lambda d: setattr(m(d).metadata, "metadata", " "), "metadata_blank",
         "metadata.metadata"),
    Case("metadata > 255", CREATE, lambda d: setattr(m(d).metadata, "metadata", "m" * 256), "metadata_too_long",
         "metadata.metadata"),
    Case("initial height zero", CREATE, lambda d: setattr(ip(d), "initial_height", Height()), "initial_height_zero",
         "initialization_parameters.initial_height"),
    Case("revision vs chain id (v6.3+)", CREATE,
         lambda d: setattr(ip(d), "initial_height", Height(revision_number=0, revision_height=1)),
         "initial_height_revision", "initialization_parameters.initial_height.revision_number"),
    Case("revision vs chain id (v6.0 warns)", CREATE,
         lambda d: setattr(ip(d), "initial_height", Height(revision_number=3, revision_height=1)),
         "initial_height_revision", "initialization_parameters.initial_height.revision_number", version="v6.2.0",
         severity=Severity.WARNING),
    Case("genesis hash > 64", CREATE, lambda d: setattr(ip(d), "genesis_hash", b"x" * 65), "hash_length",
         "initialization_parameters.genesis_hash"),
    Case("binary hash > 64", CREATE, lambda d: setattr(ip(d), "binary_hash", b"x" * 65), "hash_length",
         "initialization_parameters.binary_hash"),
    Case("redistribution > 1", CREATE, lambda d: setattr(ip(d), "consumer_redistribution_fraction", "1.5"),
         "redistribution_fraction", "initialization_parameters.consumer_redistribution_fraction"),
    Case("redistribution not a number", CREATE, lambda d: setattr(ip(d), "consumer_redistribution_fraction", "75%"),
         "redistribution_fraction", "initialization_parameters.consumer_redistribution_fraction"),
    Case("blocks per transmission 0", CREATE, lambda d: setattr(ip(d), "blocks_per_distribution_transmission", 0),
         "blocks_per_distribution_transmission", "initialization_parameters.blocks_per_distribution_transmission"),
    Case("historical entries 0", CREATE, lambda d: setattr(ip(d), "historical_entries", 0), "historical_entries",
         "initialization_parameters.historical_entries"),
    Case("bad channel", CREATE, lambda d: setattr(ip(d), "distribution_transmission_channel", "ch 0"), "channel_id",
         "initialization_parameters.distribution_transmission_channel"),
    Case("bad connection", CREATE, lambda d: setattr(ip(d), "connection_id", "conn"), "connection_id",
         "initialization_parameters.connection_id"),
    Case("ccv timeout 0", CREATE, lambda d: setattr(ip(d), "ccv_timeout_period", 0), "duration_positive",
         "initialization_parameters.ccv_timeout_period"),
    Case("transfer timeout 0", CREATE, lambda d: setattr(ip(d), "transfer_timeout_period", 0), "duration_positive",
         "initialization_parameters.transfer_timeout_period"),
    Case("unbonding 0", CREATE, lambda d: setattr(ip(d), "unbonding_period", 0), "duration_positive",
         "initialization_parameters.unbonding_period"),
    Case("spawn time in the past", CREATE, lambda d: setattr(ip(d), "spawn_time", h.NOW - timedelta(hours=1)),
         "spawn_time_past", "initialization_parameters.spawn_time", severity=Severity.WARNING),
    Case("spawn time zero", CREATE, lambda d: setattr(ip(d), "spawn_time", None), "spawn_time_zero",
         "initialization_parameters.spawn_time", severity=Severity.WARNING),
    Case("unbonding longer than provider", CREATE, lambda d: setattr(ip(d), "unbonding_period", 22 * 86400 * 10**9),
         "unbonding_longer_than_provider", "initialization_parameters.unbonding_period", severity=Severity.WARNING),
    Case("top N at creation", CREATE, lambda d: setattr(ps(d), "top_N", 95), "top_n_create",
         "power_shaping_parameters.top_N"),
    Case("power cap > 100", CREATE, lambda d: setattr(ps(d), "validators_power_cap", 101), "power_cap_range",
         "power_shaping_parameters.validators_power_cap"),
    Case("allowlist: operator address", CREATE, lambda d: setattr(ps(d), "allowlist", [VALOPER]), "consensus_address",
         "power_shaping_parameters.allowlist[0]"),
    Case("denylist: account address", CREATE, lambda d: setattr(ps(d), "denylist", [ACCOUNT]), "consensus_address",
         "power_shaping_parameters.denylist[0]"),
    Case("prioritylist: garbage", CREATE, lambda d: setattr(ps(d), "prioritylist", ["not-an-address"]),
         "consensus_address", "power_shaping_parameters.prioritylist[0]"),
    Case("allowlist: consumer chain valcons", CREATE,
         lambda d: setattr(ps(d), "allowlist", [h.valcons("v", "strideconsvalcons")]), "consensus_address",
         "power_shaping_parameters.allowlist[0]"),
    Case("allowlist > 1000", CREATE, lambda d: setattr(ps(d), "allowlist", [h.valcons(str(i)) for i in range(1001)]),
         "list_too_long", "power_shaping_parameters.allowlist"),
    Case("more than 3 reward denoms", CREATE,
         lambda d: setattr(m(d).allowlisted_reward_denoms, "denoms", ["uaaa", "ubbb", "uccc", "uddd"]),
         "reward_denoms_count", "allowlisted_reward_denoms.denoms"),
    Case("reward denom with bad ibc hash", CREATE,
         lambda d: setattr(m(d).allowlisted_reward_denoms, "denoms", ["ibc/XYZ"]), "reward_denom_invalid",
         "allowlisted_reward_denoms.denoms[0]"),
    Case("reward denom ibc short hash", CREATE,
         lambda d: setattr(m(d).allowlisted_reward_denoms, "denoms", ["ibc/ABCD"]), "reward_denom_invalid",
         "allowlisted_reward_denoms.denoms[0]"),
    Case("slash fraction > 1", CREATE,
         lambda d: setattr(m(d).infraction_parameters.double_sign, "slash_fraction", "1.01"), "slash_fraction_range",
         "infraction_parameters.double_sign.slash_fraction"),
    Case("slash fraction negative", CREATE,
         lambda d: setattr(m(d).infraction_parameters.downtime, "slash_fraction", "-0.1"), "slash_fraction_range",
         "infraction_parameters.downtime.slash_fraction"),
    Case("jail duration negative", CREATE, lambda d: setattr(m(d).infraction_parameters.downtime, "jail_duration", -1),
         "jail_duration_negative", "infraction_parameters.downtime.jail_duration"),
    Case("prioritylist before v6.4", CREATE,
         lambda d: (setattr(ps(d), "prioritylist", [h.valcons("p")]), setattr(m(d), "infraction_parameters", None)),
         "field_not_in_version", "power_shaping_parameters.prioritylist", version="v6.3.0"),
    Case("infraction params before v6.4", CREATE, lambda d: None, "field_not_in_version", "infraction_parameters",
         version="v6.3.0"),
    Case("reward denoms before v6.2", CREATE, lambda d: setattr(m(d), "infraction_parameters", None),
         "field_not_in_version", "allowlisted_reward_denoms", version="v6.1.0"),
    Case("creation disabled by the app (Gaia v27+)", CREATE, lambda d: None, "create_consumer_disabled", "@type"),
    Case("create on v5", CREATE, lambda d: None, "kind_not_available", "@type", version="v5.2.0"),
    # --- MsgUpdateConsumer, gov path to Top N and back ---
    Case("consumer id not a number", h.update_top_n, lambda d: setattr(m(d), "consumer_id", "stride-1"),
         "consumer_id_invalid", "messages[0].consumer_id"),
    Case("owner not gov inside a proposal", h.update_top_n, lambda d: setattr(m(d), "owner", h.ALICE), "signer_not_gov",
         "messages[0].owner"),
    Case("top N range", h.update_top_n, lambda d: setattr(ps(d), "top_N", 40), "top_n_range",
         "messages[0].power_shaping_parameters.top_N"),
    Case("top N needs gov-owned chain", h.update_top_n, lambda d: None, "top_n_requires_gov_owner",
         "messages[0].power_shaping_parameters.top_N", consumer=lambda: h.launched_consumer(owner=h.ALICE, top_n=0)),
    Case("top N by direct tx", h.update_top_n, lambda d: (setattr(d, "route", "tx"), setattr(m(d), "owner", h.ALICE)),
         "top_n_requires_gov_owner", "power_shaping_parameters.top_N"),
    Case("top N -> opt-in needs non-gov owner AND top_N 0", h.update_top_n,
         lambda d: setattr(m(d), "new_owner_address", h.STRIDE_MULTISIG_ON_HUB), "top_n_owner_must_stay_gov",
         "messages[0].new_owner_address", consumer=h.launched_consumer),
    Case("new owner not a hub account (props 1012/1013 class)", h.update_top_n,
         lambda d: (setattr(ps(d), "top_N", 0), setattr(m(d), "new_owner_address", h.STRIDE_MULTISIG_ON_STRIDE)),
         "new_owner_invalid", "messages[0].new_owner_address", consumer=h.launched_consumer),
    Case("init params once launched", h.update_top_n,
         lambda d: setattr(m(d), "initialization_parameters", h.init_params()), "init_params_after_launch",
         "messages[0].initialization_parameters", consumer=h.launched_consumer),
    Case("new chain id once launched", h.update_top_n, lambda d: setattr(m(d), "new_chain_id", "other-2"),
         "chain_id_after_launch", "messages[0].new_chain_id", consumer=h.launched_consumer),
    Case("new chain id reserved", h.update_top_n, lambda d: setattr(m(d), "new_chain_id", "neutron-1"),
         "chain_id_reserved", "messages[0].new_chain_id"),
    Case("owner differs from stored owner", h.update_top_n, lambda d: None, "owner_mismatch", "messages[0].owner",
         consumer=lambda: h.launched_consumer(owner=h.ALICE, top_n=0)),
    Case("update a stopped consumer", h.update_top_n, lambda d: None, "consumer_not_active", "messages[0].consumer_id",
         consumer=lambda: h.launched_consumer(phase="CONSUMER_PHASE_STOPPED")),
    Case("top_N silently reset by partial power shaping", h.update_top_n,
         lambda d: setattr(m(d), "power_shaping_parameters", PowerShapingParameters(validators_power_cap=10)),
         "top_n_reset", "messages[0].power_shaping_parameters.top_N", consumer=h.launched_consumer,
         severity=Severity.WARNING),
    Case("other field reset by partial power shaping", h.update_top_n,
         lambda d: setattr(m(d), "power_shaping_parameters", PowerShapingParameters(top_N=95)), "reset_to_zero",
         "messages[0].power_shaping_parameters.validators_power_cap", consumer=h.launched_consumer,
         severity=Severity.WARNING),
    Case("Top N -> 0 while gov stays owner", h.update_top_n, lambda d: setattr(ps(d), "top_N", 0),
         "opt_in_still_gov_owned", "messages[0].new_owner_address", consumer=h.launched_consumer,
         severity=Severity.WARNING),
    Case("update on v5", h.update_top_n, lambda d: None, "kind_not_available", "messages[0].@type", version="v5.2.0"),
    # --- MsgRemoveConsumer ---
    Case("remove requires LAUNCHED", h.remove_consumer, lambda d: None, "remove_requires_launched",
         "messages[0].consumer_id", consumer=lambda: h.launched_consumer(phase="CONSUMER_PHASE_INITIALIZED")),
    Case("remove consumer id blank", h.remove_consumer, lambda d: setattr(m(d), "consumer_id", ""),
         "consumer_id_invalid", "messages[0].consumer_id"),
    # --- v5 messages ---
    Case("MsgConsumerAddition not routable on v6+", h.msg_consumer_addition, lambda d: None, "kind_not_routable",
         "messages[0].@type", version="v6.0.0"),
    Case("MsgConsumerAddition on v4", h.msg_consumer_addition, lambda d: None, "kind_not_available",
         "messages[0].@type", version="v4.5.0"),
    Case("v5.0.0 renumbering", h.msg_consumer_addition,
         lambda d: (setattr(m(d), "top_N", 0), setattr(m(d), "denylist", [])), "wire_renumbering", "messages[0].@type",
         version="v5.0.0", severity=Severity.WARNING),
    Case("top_N on v5.0.0", h.msg_consumer_addition, lambda d: None, "field_not_in_version", "messages[0].top_N",
         version="v5.0.0"),
    Case("v5 genesis hash empty", h.msg_consumer_addition, lambda d: setattr(m(d), "genesis_hash", b""), "hash_empty",
         "messages[0].genesis_hash", version="v5.2.0"),
    Case("v5 binary hash empty", h.msg_consumer_addition, lambda d: setattr(m(d), "binary_hash", b""), "hash_empty",
         "messages[0].binary_hash", version="v5.2.0"),
    Case("v5 spawn time zero", h.msg_consumer_addition, lambda d: setattr(m(d), "spawn_time", None), "spawn_time_zero",
         "messages[0].spawn_time", version="v5.2.0"),
    Case("v5 authority not gov", h.msg_consumer_addition, lambda d: setattr(m(d), "authority", h.ALICE),
         "signer_not_gov", "messages[0].authority", version="v5.2.0"),
    Case("v5 revision mismatch warns", h.msg_consumer_addition,
         lambda d: setattr(m(d), "initial_height", Height(revision_number=0, revision_height=5)),
         "initial_height_revision", "messages[0].initial_height.revision_number", version="v5.2.0",
         severity=Severity.WARNING),
    Case("v5 chain id > 50 warns", h.msg_consumer_addition,
         lambda d: (setattr(m(d), "chain_id", "c" * 51),
                    setattr(m(d), "initial_height", Height(revision_number=0, revision_height=1))),
         "chain_id_length", "messages[0].chain_id", version="v5.2.0", severity=Severity.WARNING),
    Case("v5 denylist with operator address", h.msg_consumer_addition, lambda d: setattr(m(d), "denylist", [VALOPER]),
         "consensus_address", "messages[0].denylist[0]", version="v5.2.0"),
    Case("v5 top N 30", h.msg_consumer_addition, lambda d: setattr(m(d), "top_N", 30), "top_n_range",
         "messages[0].top_N", version="v5.2.0"),
    Case("MsgConsumerRemoval stop time zero", h.msg_consumer_removal, lambda d: setattr(m(d), "stop_time", None),
         "stop_time_zero", "messages[0].stop_time", version="v5.2.0"),
    Case("MsgConsumerRemoval on v7", h.msg_consumer_removal, lambda d: None, "kind_not_routable", "messages[0].@type"),
    Case("MsgConsumerModification on v5.0", h.msg_consumer_modification, lambda d: None, "kind_not_available",
         "messages[0].@type", version="v5.0.0"),
    Case("MsgConsumerModification power cap", h.msg_consumer_modification,
         lambda d: setattr(m(d), "validators_power_cap", 200), "power_cap_range", "messages[0].validators_power_cap",
         version="v5.2.0"),
    # --- legacy contents ---
    Case("legacy addition on v6+", h.legacy_addition, lambda d: None, "legacy_content_not_handled", "messages[0].@type",
         version="v6.0.0"),
    Case("legacy addition title blank", h.legacy_addition, lambda d: setattr(m(d), "title", ""), "title_blank",
         "messages[0].title", version="v4.5.0"),
    Case("legacy addition description blank", h.legacy_addition, lambda d: setattr(m(d), "description", ""),
         "description_blank", "messages[0].description", version="v4.5.0"),
    Case("legacy addition hash empty", h.legacy_addition, lambda d: setattr(m(d), "genesis_hash", b""), "hash_empty",
         "messages[0].genesis_hash", version="v4.5.0"),
    Case("legacy addition PSS", h.legacy_addition, lambda d: setattr(m(d), "top_N", 101), "top_n_range",
         "messages[0].top_N", version="v4.5.0"),
    Case("legacy PSS fields before v4.2", h.legacy_addition, lambda d: None, "field_not_in_version",
         "messages[0].top_N", version="v4.1.0"),
    Case("legacy authority not gov", h.legacy_addition, lambda d: d.legacy_authorities.update({0: h.ALICE}),
         "legacy_authority_not_gov", "messages[0].authority", version="v4.5.0"),
    Case("legacy removal stop time zero", h.legacy_removal, lambda d: setattr(m(d), "stop_time", None),
         "stop_time_zero", "messages[0].stop_time", version="v4.5.0"),
    Case("legacy modification before v4.3", h.legacy_modification, lambda d: None, "kind_not_available",
         "messages[0].@type", version="v4.2.0"),
    Case("legacy modification omits top_N", h.legacy_modification,
         lambda d: setattr(d, "messages", [type(m(d))(title="t", description="d", chain_id="mychain-1")]),
         "top_n_reset", "messages[0].top_N", version="v4.5.0", severity=Severity.WARNING),
    Case("equivocation proposal", h.legacy_addition,
         lambda d: setattr(d, "messages", [EquivocationProposal(title="t", description="d")]),
         "equivocation_never_handled", "messages[0].@type", version="v4.5.0"),
    # --- reward denoms, params, evidence ---
    Case("MsgChangeRewardDenoms before v6", h.change_reward_denoms, lambda d: None, "kind_not_routable",
         "messages[0].@type", version="v5.2.0"),
    Case("reward denoms both empty", h.change_reward_denoms,
         lambda d: (setattr(m(d), "denoms_to_add", []), setattr(m(d), "denoms_to_remove", [])), "denoms_empty",
         "messages[0]"),
    Case("reward denom invalid", h.change_reward_denoms, lambda d: setattr(m(d), "denoms_to_add", ["1bad"]),
         "denom_invalid", "messages[0].denoms_to_add[0]"),
    Case("denom added and removed", h.change_reward_denoms,
         lambda d: setattr(m(d), "denoms_to_remove", ["ibc/" + "B" * 64]), "denom_add_and_remove",
         "messages[0].denoms_to_remove[0]"),
    Case("legacy change reward denoms on v6", h.legacy_change_reward_denoms, lambda d: None,
         "legacy_content_not_handled", "messages[0].@type", version="v6.0.0"),
    Case("update params partial (ICS #2021)", h.update_params,
         lambda d: setattr(m(d), "params", {"blocks_per_epoch": "5"}), "params_incomplete", "messages[0].params"),
    Case("update params v5 needs timeouts", h.update_params, lambda d: None, "params_incomplete", "messages[0].params",
         version="v5.2.0"),
    Case("update params fraction 0", h.update_params, lambda d: m(d).params.update({"trusting_period_fraction": "0"}),
         "fraction_range", "messages[0].params.trusting_period_fraction"),
    Case("update params epoch 0", h.update_params, lambda d: m(d).params.update({"blocks_per_epoch": "0"}), "positive",
         "messages[0].params.blocks_per_epoch"),
    Case("update params duration 0", h.update_params, lambda d: m(d).params.update({"ccv_timeout_period": "0s"}),
         "duration_positive", "messages[0].params.ccv_timeout_period"),
    Case("update params unknown key", h.update_params, lambda d: m(d).params.update({"vsc_timeout_period": "3024000s"}),
         "unknown_field", "messages[0].params.vsc_timeout_period"),
    Case("update params bad fee", h.update_params,
         lambda d: m(d).params.update({"consumer_reward_denom_registration_fee": {"denom": "uatom", "amount": "-1"}}),
         "coin_invalid", "messages[0].params.consumer_reward_denom_registration_fee"),
    Case("update params that change nothing", h.update_params, lambda d: None, "params_unchanged", "messages[0].params",
         severity=Severity.WARNING),
    Case("update params on v4", h.update_params, lambda d: None, "kind_not_available", "messages[0].@type",
         version="v4.5.0"),
    Case("double vote without vote_b", h.double_vote, lambda d: m(d).duplicate_vote_evidence.pop("vote_b"),
         "evidence_missing", "messages[0].duplicate_vote_evidence.vote_b"),
    Case("double vote with votes out of order", h.double_vote,
         lambda d: m(d).duplicate_vote_evidence.update(vote_a=m(d).duplicate_vote_evidence["vote_b"],
                                                       vote_b=m(d).duplicate_vote_evidence["vote_a"]),
         "votes_out_of_order", "messages[0].duplicate_vote_evidence"),
    Case("double vote with a short signature", h.double_vote,
         lambda d: m(d).duplicate_vote_evidence["vote_a"].update(signature="AAAA"), "vote_invalid",
         "messages[0].duplicate_vote_evidence.vote_a"),
    Case("double vote with unreadable votes", h.double_vote,
         lambda d: m(d).duplicate_vote_evidence["vote_b"].update(validator_address="%%"), "evidence_invalid",
         "messages[0].duplicate_vote_evidence.vote_b.validator_address"),
    Case("double vote header without validator set", h.double_vote,
         lambda d: m(d).infraction_block_header.pop("validator_set"), "header_missing",
         "messages[0].infraction_block_header.validator_set"),
    Case("double vote submitter not gov", h.double_vote, lambda d: setattr(m(d), "submitter", h.ALICE),
         "signer_not_gov", "messages[0].submitter"),
    Case("double vote consumer id on v4", h.double_vote, lambda d: None, "field_not_in_version",
         "messages[0].consumer_id", version="v4.5.0"),
    Case("misbehaviour without client id", h.misbehaviour, lambda d: m(d).misbehaviour.pop("client_id"),
         "client_id_missing", "messages[0].misbehaviour.client_id"),
    Case("misbehaviour without header_2", h.misbehaviour, lambda d: m(d).misbehaviour.pop("header_2"), "header_missing",
         "messages[0].misbehaviour.header_2"),
    # --- gov envelope and deposit ---
    Case("title blank", h.update_params, lambda d: setattr(d, "title", ""), "title_blank", "title"),
    Case("summary empty", h.update_params, lambda d: setattr(d, "summary", ""), "summary_blank", "summary"),
    Case("gov metadata > 255", h.update_params, lambda d: setattr(d, "metadata", "x" * 256), "metadata_too_long",
         "metadata"),
    Case("no messages nor metadata", h.update_params,
         lambda d: (setattr(d, "messages", []), setattr(d, "metadata", "")), "no_messages", "messages"),
    Case("deposit not coins", h.update_params, lambda d: setattr(d, "deposit", "250"), "deposit_invalid", "deposit"),
    Case("deposit below initial minimum", h.update_params, lambda d: setattr(d, "deposit", "1000uatom"),
         "deposit_below_initial_minimum", "deposit"),
    Case("deposit below minimum", h.update_params, lambda d: setattr(d, "deposit", "60000000uatom"),
         "deposit_below_minimum", "deposit", severity=Severity.WARNING),
    Case("expedited needs the expedited minimum", h.update_params, lambda d: setattr(d, "expedited", True),
         "deposit_below_minimum", "deposit", severity=Severity.WARNING),
    Case("expedited restricted to upgrades on Gaia v19-v23", h.update_params,
         lambda d: (setattr(d, "expedited", True), setattr(d, "deposit", "500000000uatom")), "expedited_restricted",
         "expedited", severity=Severity.WARNING),
    Case("expedited initial minimum is based on expedited_min_deposit", h.update_params,
         lambda d: (setattr(d, "expedited", True), setattr(d, "deposit", "60000000uatom")),
         "deposit_below_initial_minimum", "deposit"),
    Case("deposit in a foreign denom", h.update_params, lambda d: setattr(d, "deposit", "250000000uatom,5stake"),
         "deposit_denom", "deposit"),
    Case("direct tx for a gov-only message", h.update_params, lambda d: setattr(d, "route", "tx"), "needs_gov",
         "authority"),
]


FACT_TWEAKS = {
    "create_consumer_disabled": lambda f: setattr(f, "create_consumer_disabled", True),
    "params_unchanged": lambda f: setattr(f, "provider_params", h.provider_params_v7()),
}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_passes_then_fires(case: Case) -> None:
    consumers = {"c": case.consumer()} if case.consumer else {}
    extra = FACT_TWEAKS.get(case.rule)
    # the untouched builder is clean (version-gated kinds on the version they belong to)
    base = case.build()
    base_facts = h.facts(_home_version(base), **({"c": h.launched_consumer()} if _needs_consumer(base) else {}))
    assert [p.line() for p in validate(base, base_facts)] == []

    draft = case.build()
    case.mutate(draft)
    mutated_facts = h.facts(case.version, **consumers)
    if extra:
        extra(mutated_facts)
    problems = validate(draft, mutated_facts)
    hits = [p for p in problems if p.rule == case.rule]
    assert hits, f"{case.rule} not reported; got {[p.line() for p in problems]}"
    assert any(p.path == case.path and p.severity is case.severity for p in hits), [p.line() for p in hits]
    assert all(p.message for p in hits)


def _needs_consumer(draft: ProposalDraft) -> bool:
    return type(draft.messages[0]).__name__ in ("MsgUpdateConsumer", "MsgRemoveConsumer")


def _home_version(draft: ProposalDraft) -> str:
    name = type(draft.messages[0]).__name__
    if name.startswith("MsgConsumer") or name == "ChangeRewardDenomsProposal":
        return "v5.2.0"
    if name.endswith("Proposal"):
        return "v4.5.0"
    return "v7.0.0"


def test_operator_address_gets_a_specific_message() -> None:
    draft = h.create_consumer_tx()
    draft.messages[0].power_shaping_parameters.allowlist = [VALOPER]
    (problem,) = [p for p in validate(draft, h.facts()) if p.rule == "consensus_address"]
    assert "operator address" in problem.message and "cosmosvalcons" in problem.message
    assert problem.value == VALOPER


def test_all_problems_reported_at_once() -> None:
    draft = h.create_consumer_tx()
    msg: MsgCreateConsumer = draft.messages[0]  # type: ignore[assignment]
    msg.chain_id = "stride-1"
    msg.power_shaping_parameters.top_N = 95
    msg.infraction_parameters = InfractionParameters(double_sign=SlashJailParameters(slash_fraction="2"))
    rules = {p.rule for p in validate(draft, h.facts())}
    assert {"chain_id_reserved", "top_n_create", "slash_fraction_range"} <= rules


def test_problem_line_format() -> None:
    draft = h.create_consumer_tx()
    draft.messages[0].power_shaping_parameters.validators_power_cap = 150
    (p,) = validate(draft, h.facts())
    assert (
        p.line()
        == "power_shaping_parameters.validators_power_cap: power_cap_range: "
           "validators power cap has to be in the range [0, 100] (150)"
    )


def test_v500_addition_without_pss_fields_is_clean() -> None:
    draft = h.msg_consumer_addition()
    msg: MsgConsumerAddition = draft.messages[0]  # type: ignore[assignment]
    msg.top_N = 0
    msg.denylist = []
    problems = validate(draft, h.facts("v5.0.0"))
    assert [p.rule for p in problems] == ["wire_renumbering"]
