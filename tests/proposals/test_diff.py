"""Update diff: what a MsgUpdateConsumer does to the stored consumer, resets made loud."""

from __future__ import annotations

from ics_workbench.proposals.diff import diff_problems, format_changes, update_diff
from ics_workbench.proposals.formats import from_gov_json
from ics_workbench.proposals.models import (
    InfractionParameters,
    MsgUpdateConsumer,
    PowerShapingParameters,
    SlashJailParameters,
)
from tests.proposals import helpers as h


def _changes(msg: MsgUpdateConsumer):
    return {c.path: c for c in update_diff(msg, h.launched_consumer(top_n=95))}


def test_partial_power_shaping_from_a_file_resets_top_n_loudly() -> None:
    draft = from_gov_json(
        {"messages": [{"@type": MsgUpdateConsumer.type_url, "owner": h.GOV, "consumer_id": "1",
                       "power_shaping_parameters": {"validators_power_cap": 20}}]}
    )
    changes = _changes(draft.messages[0])
    top = changes["power_shaping_parameters.top_N"]
    assert (top.old, top.new, top.kind, top.explicit, top.loud) == (95, 0, "reset", False, True)
    cap = changes["power_shaping_parameters.validators_power_cap"]
    assert (cap.old, cap.new, cap.kind, cap.explicit) == (10, 20, "set", True)
    problems = diff_problems(list(changes.values()), current_known=True)
    (top_problem,) = [p for p in problems if p.rule == "top_n_reset"]
    assert "from 95 to 0" in top_problem.message and "OPT-IN" in top_problem.message
    lines = format_changes(list(changes.values()))
    assert "!! power_shaping_parameters.top_N: 95 -> 0   <-- RESET TO ZERO (not in the proposal)" in lines


def test_complete_power_shaping_changes_only_what_differs() -> None:
    ps = h.full_power_shaping(top_N=95, validators_power_cap=10, allowlist=[], validator_set_cap=30)
    changes = _changes(MsgUpdateConsumer(owner=h.GOV, consumer_id="1", power_shaping_parameters=ps))
    assert {p for p, c in changes.items() if c.kind == "set"} == {"power_shaping_parameters.validator_set_cap"}
    assert not [c for c in changes.values() if c.loud]


def test_explicit_zero_is_a_change_not_a_reset() -> None:
    ps = h.full_power_shaping(top_N=0, validators_power_cap=10, allowlist=[])
    changes = _changes(MsgUpdateConsumer(owner=h.GOV, consumer_id="1", power_shaping_parameters=ps))
    top = changes["power_shaping_parameters.top_N"]
    assert (top.kind, top.old, top.new) == ("set", 95, 0)
    assert diff_problems(list(changes.values()), current_known=True) == []


def test_omitted_infraction_half_keeps_its_current_value() -> None:
    msg = MsgUpdateConsumer(
        owner=h.GOV,
        consumer_id="1",
        infraction_parameters=InfractionParameters(
            downtime=SlashJailParameters(slash_fraction="0.01", jail_duration=60 * 10**9, tombstone=False)
        ),
    )
    paths = {c.path for c in update_diff(msg, h.launched_consumer())}
    assert "infraction_parameters.downtime.slash_fraction" in paths
    assert not any(p.startswith("infraction_parameters.double_sign") for p in paths)


def test_owner_and_chain_id_changes_are_listed() -> None:
    msg = MsgUpdateConsumer(owner=h.GOV, consumer_id="1", new_owner_address=h.ALICE, new_chain_id="stride-2")
    changes = _changes(msg)
    assert (changes["owner"].old, changes["owner"].new) == (h.GOV, h.ALICE)
    assert changes["chain_id"].old == "stride-1"


def test_without_current_state_partial_structures_still_warn() -> None:
    msg = MsgUpdateConsumer(
        owner=h.GOV, consumer_id="1", power_shaping_parameters=PowerShapingParameters(validators_power_cap=5)
    )
    changes = update_diff(msg, None)
    assert all(c.old is None for c in changes)
    rules = {(p.path, p.rule) for p in diff_problems(changes, current_known=False)}
    assert ("power_shaping_parameters.top_N", "top_n_reset") in rules
    assert ("power_shaping_parameters.allowlist", "reset_to_zero") in rules


def test_params_diff_against_the_chain() -> None:
    from ics_workbench.proposals.diff import params_diff

    current = h.provider_params_v7()
    new = {**current, "blocks_per_epoch": "1200"}
    new.pop("slash_meter_replenish_fraction")
    changes = {c.path: c for c in params_diff(new, current)}
    assert (changes["params.blocks_per_epoch"].old, changes["params.blocks_per_epoch"].new) == ("600", "1200")
    assert changes["params.slash_meter_replenish_fraction"].kind == "reset"
    assert changes["params.template_client.max_clock_drift"].kind == "unchanged"
