"""Hand-checked consumer sets, one parameter at a time, computed the way the ICS v7 keeper does."""

from __future__ import annotations

import pytest

from ics_workbench.validators.models import ConsumerInput, PowerShapingParams, ProviderSnapshot
from ics_workbench.validators.results import Exclusion
from ics_workbench.validators.simulate import (
    SimulationError,
    compute_min_power_in_top_n,
    diff,
    no_more_than_percent_of_the_sum,
    simulate,
)
from tests.validators.factories import validator, validators


def consumer(params: PowerShapingParams, opted: tuple = (), cid: str = "0") -> ConsumerInput:
    return ConsumerInput(
        consumer_id=cid, chain_id=f"c-{cid}", params=params, opted_in=frozenset(v.valcons for v in opted)
    )


def powers_of(result) -> dict[str, int]:
    return {m.validator.moniker: m.consumer_power for m in result.members}


def codes(result) -> set[str]:
    return {f.code for f in result.findings}


# --- ComputeMinPowerInTopN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "powers,top_n,expected",
    [
        ([40, 30, 20, 10], 100, 10),
        ([40, 30, 20, 10], 70, 30),  # 70/100 reaches 0.70 exactly: GTE
        ([40, 30, 20, 10], 71, 20),
        ([40, 30, 20, 10], 40, 40),
        ([10, 40, 20, 30], 50, 30),  # input order does not matter
        ([1, 1, 1], 50, 1),
        ([5, 3, 3, 3], 66, 3),  # 8/14=0.571 < 0.66, 11/14=0.786
    ],
)
def test_min_power_in_top_n(powers: list[int], top_n: int, expected: int) -> None:
    assert compute_min_power_in_top_n(powers, top_n) == expected


def test_min_power_uses_legacy_dec_rounding_not_exact_fractions() -> None:
    # 1/3 as a LegacyDec is 0.333333333333333333 and 2/3 is 0.666666666666666667 (banker's rounding up):
    # the ratio after two of three equal validators is rounded, so top_N 66 is reached by the second one.
    assert compute_min_power_in_top_n([7, 7, 7], 66) == 7
    # (67k-1)/(100k) = 0.67 - 1e-19: exact arithmetic says "below 67%", LegacyDec rounds it to 0.67 and stops.
    k = 10**17
    assert compute_min_power_in_top_n([67 * k - 1, 33 * k + 1], 67) == 67 * k - 1


def test_min_power_rejects_what_the_keeper_rejects() -> None:
    with pytest.raises(SimulationError, match="top_N"):
        compute_min_power_in_top_n([1, 2], 0)
    with pytest.raises(SimulationError, match="no active validator power"):
        compute_min_power_in_top_n([], 50)


# --- NoMoreThanPercentOfTheSum -----------------------------------------------------------------------------------


def test_power_cap_example_from_the_keeper_comment() -> None:
    # powers [60, 138, 559] with 35%: sum 757, maxPower floor(264.95) = 264
    order, capped, feasible = no_more_than_percent_of_the_sum([60, 138, 559], 35)
    assert [([60, 138, 559][i]) for i in order] == [559, 138, 60]
    assert capped == [264, 264, 229]
    assert sum(capped) == 757 and feasible


def test_power_cap_infeasible_sets_everyone_to_the_cap() -> None:
    # 3 validators cannot each hold at most 20%: maxPower = floor(300*20/100) = 60
    order, capped, feasible = no_more_than_percent_of_the_sum([100, 100, 100], 20)
    assert capped == [60, 60, 60] and not feasible


def test_power_cap_zero_max_power_becomes_one() -> None:
    _, capped, feasible = no_more_than_percent_of_the_sum([1, 1], 1)  # floor(2*1/100)=0 -> 1
    assert capped == [1, 1] and feasible


# --- the whole computation, parameter by parameter --------------------------------------------------------------

VALS = validators(50, 30, 20, 10, 5)  # val0..val4, total 115
PROVIDER = ProviderSnapshot(VALS)


def test_opt_in_chain_takes_exactly_the_opted_in_validators() -> None:
    result = simulate(PROVIDER, consumer(PowerShapingParams(), (VALS[1], VALS[3])))
    assert powers_of(result) == {"val1": 30, "val3": 10}
    assert result.excluded[VALS[0].valcons] == (Exclusion.NOT_OPTED_IN,)
    assert result.min_power_in_top_n is None


def test_top_n_auto_opts_in_the_top_validators_plus_opted_in_ones() -> None:
    # 50/115 = 0.43 < 0.5; 80/115 = 0.70 -> min power 30: val0, val1 forced; val4 opted in voluntarily
    result = simulate(PROVIDER, consumer(PowerShapingParams(top_n=50), (VALS[4],)))
    assert result.min_power_in_top_n == 30
    assert result.auto_opted_in == {VALS[0].valcons, VALS[1].valcons}
    assert powers_of(result) == {"val0": 50, "val1": 30, "val4": 5}
    assert [m.validator.moniker for m in result.members] == ["val0", "val1", "val4"]  # power descending


def test_validators_power_cap() -> None:
    # opted in: 50, 30, 20 (sum 100); cap 40% -> max 40: 50->40, remainder 10 spread: 30+5, 20+5
    result = simulate(PROVIDER, consumer(PowerShapingParams(validators_power_cap=40), VALS[:3]))
    assert powers_of(result) == {"val0": 40, "val1": 35, "val2": 25}
    assert result.total_consumer_power == 100 and result.power_cap_feasible


def test_power_cap_infeasible_is_reported() -> None:
    result = simulate(PROVIDER, consumer(PowerShapingParams(validators_power_cap=30), VALS[:3]))
    # 3 x 30% < 100%: everyone at floor(100*30/100) = 30
    assert powers_of(result) == {"val0": 30, "val1": 30, "val2": 30}
    assert result.power_cap_feasible is False
    assert "power_cap_infeasible" in codes(result)


def test_validator_set_cap_on_opt_in_chain_keeps_the_largest() -> None:
    result = simulate(PROVIDER, consumer(PowerShapingParams(validator_set_cap=2), VALS))
    assert powers_of(result) == {"val0": 50, "val1": 30}
    assert result.excluded[VALS[2].valcons] == (Exclusion.CAPPED_OUT,)


def test_validator_set_cap_does_nothing_on_top_n() -> None:
    result = simulate(PROVIDER, consumer(PowerShapingParams(top_n=100, validator_set_cap=2)))
    assert len(result.members) == 5
    assert "set_cap_on_top_n" in codes(result)


def test_allowlist_keeps_only_allowlisted() -> None:
    params = PowerShapingParams(allowlist=(VALS[1].valcons, VALS[2].valcons))
    result = simulate(PROVIDER, consumer(params, VALS))
    assert powers_of(result) == {"val1": 30, "val2": 20}
    assert result.excluded[VALS[0].valcons] == (Exclusion.NOT_ALLOWLISTED,)


def test_allowlist_of_unknown_validators_still_excludes_everyone() -> None:
    from ics_workbench.addresses import encode_address

    stranger = encode_address(b"\xee" * 20, "cosmosvalcons")
    result = simulate(PROVIDER, consumer(PowerShapingParams(allowlist=(stranger,)), VALS))
    assert result.members == ()
    assert {"unknown_allowlist_entry", "empty_set"} <= codes(result)


def test_denylist_wins_over_allowlist() -> None:
    params = PowerShapingParams(allowlist=(VALS[1].valcons, VALS[2].valcons), denylist=(VALS[2].valcons,))
    result = simulate(PROVIDER, consumer(params, VALS))
    assert powers_of(result) == {"val1": 30}
    assert result.excluded[VALS[2].valcons] == (Exclusion.DENYLISTED,)
    assert "allow_deny_overlap" in codes(result)


def test_denylist_on_top_n_leaves_the_chain_under_secured() -> None:
    # Top 50 needs val0 and val1 (80/115); denying val0 leaves 30/115 = 26.1% of the provider power
    params = PowerShapingParams(top_n=50, denylist=(VALS[0].valcons,))
    result = simulate(PROVIDER, consumer(params))
    assert powers_of(result) == {"val1": 30}
    finding = next(f for f in result.findings if f.code == "top_n_under_secured")
    assert "26.1%" in finding.message and "denylisted" in finding.message


def test_min_stake_compares_bonded_tokens() -> None:
    vals = (validator(0, 50), validator(1, 30, tokens=29_999_999), validator(2, 20, tokens=30_000_000))
    result = simulate(ProviderSnapshot(vals), consumer(PowerShapingParams(min_stake=30_000_000), vals))
    assert powers_of(result) == {"val0": 50, "val2": 20}
    assert result.excluded[vals[1].valcons] == (Exclusion.BELOW_MIN_STAKE,)


def test_inactive_validators_only_with_allow_inactive_vals() -> None:
    provider = ProviderSnapshot(VALS, max_provider_consensus_validators=3)
    no = simulate(provider, consumer(PowerShapingParams(), VALS))
    assert powers_of(no) == {"val0": 50, "val1": 30, "val2": 20}
    assert no.excluded[VALS[4].valcons] == (Exclusion.INACTIVE,)
    yes = simulate(provider, consumer(PowerShapingParams(allow_inactive_vals=True), VALS))
    assert powers_of(yes) == {"val0": 50, "val1": 30, "val2": 20, "val3": 10, "val4": 5}


def test_top_n_min_power_comes_from_active_validators_only() -> None:
    provider = ProviderSnapshot(VALS, max_provider_consensus_validators=2)  # active: 50, 30 (total 80)
    result = simulate(provider, consumer(PowerShapingParams(top_n=100, allow_inactive_vals=True)))
    assert result.min_power_in_top_n == 30
    assert powers_of(result) == {"val0": 50, "val1": 30}


def test_prioritylist_goes_first_before_the_set_cap() -> None:
    params = PowerShapingParams(validator_set_cap=2, prioritylist=(VALS[4].valcons,))
    result = simulate(PROVIDER, consumer(params, VALS))
    assert [m.validator.moniker for m in result.members] == ["val4", "val0"]
    assert result.members[0].prioritized


def test_prioritylist_entry_not_opted_in_is_reported() -> None:
    params = PowerShapingParams(prioritylist=(VALS[4].valcons,))
    result = simulate(PROVIDER, consumer(params, VALS[:2]))
    assert "priority_not_opted_in" in codes(result)


def test_jailed_and_unbonded_are_never_in_any_set() -> None:
    vals = (validator(0, 50, jailed=True), validator(1, 30, bonded=False), validator(2, 20))
    result = simulate(ProviderSnapshot(vals), consumer(PowerShapingParams(top_n=100), vals))
    assert powers_of(result) == {"val2": 20}
    assert result.excluded[vals[0].valcons] == (Exclusion.JAILED,)
    assert result.excluded[vals[1].valcons] == (Exclusion.NOT_BONDED,)


def test_empty_set_is_flagged() -> None:
    result = simulate(PROVIDER, consumer(PowerShapingParams()))
    assert result.members == () and "empty_set" in codes(result)


def test_set_of_only_inactive_validators_cannot_launch() -> None:
    provider = ProviderSnapshot(VALS, max_provider_consensus_validators=2)
    result = simulate(provider, consumer(PowerShapingParams(allow_inactive_vals=True), (VALS[4],)))
    assert powers_of(result) == {"val4": 5}
    assert "no_active_validator" in codes(result)


def test_list_entries_match_by_address_bytes_and_unknown_ones_are_reported() -> None:
    from ics_workbench.addresses import address_bytes, encode_address

    other_prefix = encode_address(address_bytes(VALS[0].valcons), "othervalcons")
    stranger = encode_address(b"\xff" * 20, "cosmosvalcons")
    params = PowerShapingParams(denylist=(other_prefix, stranger))
    result = simulate(PROVIDER, consumer(params, VALS[:2]))
    assert powers_of(result) == {"val1": 30}
    assert "unknown_denylist_entry" in codes(result)


def test_ties_in_tokens_follow_go_sort_at_the_inactive_cut() -> None:
    # 14 validators with equal tokens: which 13 stay active is decided by Go's pdqsort, not by a stable sort
    vals = tuple(validator(i, 10) for i in range(14))
    provider = ProviderSnapshot(vals, max_provider_consensus_validators=13)
    result = simulate(provider, consumer(PowerShapingParams(), vals))
    assert len(result.members) == 13
    (out,) = [v for v in vals if v.valcons not in result.member_valcons]
    assert result.excluded[out.valcons] == (Exclusion.INACTIVE,)


def test_invalid_parameters_are_findings_with_field_rule_and_value() -> None:
    result = simulate(PROVIDER, consumer(PowerShapingParams(top_n=30, allowlist=("nonsense",)), VALS))
    messages = [f.message for f in result.findings if f.code == "invalid_parameter"]
    assert any("top_N: must be 0 (opt-in) or in [50, 100], got 30" in m for m in messages)
    assert any(m.startswith("allowlist[0]:") for m in messages)


def test_diff_before_after() -> None:
    c = consumer(PowerShapingParams(), VALS[:3])
    before = simulate(PROVIDER, c)
    after = simulate(PROVIDER, c, c.params.with_changes(denylist=[VALS[2].valcons], validators_power_cap=60))
    d = diff(before, after)
    assert d.removed == (VALS[2].valcons,) and d.added == ()
    changes = {ch.valcons: (ch.before, ch.after) for ch in d.changed}
    assert changes == {VALS[0].valcons: (50, 48), VALS[1].valcons: (30, 32)}  # cap floor(80*60/100)=48
    assert diff(before, before).unchanged
