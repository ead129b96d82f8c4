"""Invariants of the simulated consumer set over generated providers and candidates (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from ics_workbench.validators.models import ConsumerInput, PowerShapingParams, ProviderSnapshot
from ics_workbench.validators.results import Exclusion
from ics_workbench.validators.simulate import no_more_than_percent_of_the_sum, simulate
from tests.validators.factories import validator


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[ProviderSnapshot, ConsumerInput]:
    n = draw(st.integers(1, 40))
    powers = draw(st.lists(st.integers(1, 60), min_size=n, max_size=n))  # small range: many ties
    vals = tuple(
        validator(i, p, tokens=p * 10**6 + draw(st.integers(0, 999_999)), jailed=draw(st.booleans()) and i % 5 == 4)
        for i, p in enumerate(powers)
    )
    addresses = [v.valcons for v in vals]
    subset = st.lists(st.sampled_from(addresses), unique=True, max_size=n)
    params = PowerShapingParams(
        top_n=draw(st.sampled_from([0, 0, 50, 67, 95, 100])),
        validators_power_cap=draw(st.sampled_from([0, 0, 1, 10, 25, 34, 50, 100])),
        validator_set_cap=draw(st.integers(0, n + 2)),
        allowlist=tuple(draw(st.one_of(st.just([]), subset))),
        denylist=tuple(draw(subset)) if draw(st.booleans()) else (),
        min_stake=draw(st.sampled_from([0, 0, 10 * 10**6, 30 * 10**6])),
        allow_inactive_vals=draw(st.booleans()),
        prioritylist=tuple(draw(subset)) if draw(st.booleans()) else (),
    )
    provider = ProviderSnapshot(vals, max_provider_consensus_validators=draw(st.integers(1, n + 1)))
    consumer = ConsumerInput("0", "c-0", params, frozenset(draw(subset)))
    return provider, consumer


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_set_respects_every_filter(scenario: tuple[ProviderSnapshot, ConsumerInput]) -> None:
    provider, consumer = scenario
    p = consumer.params
    result = simulate(provider, consumer)
    members = result.member_valcons
    for m in result.members:
        v = m.validator
        assert v.bonded and not v.jailed
        assert v.valcons not in p.denylist, "denylisted validator in the set"
        assert not p.allowlist or v.valcons in p.allowlist
        assert v.tokens >= p.min_stake
        assert v.valcons in consumer.opted_in or (
            result.min_power_in_top_n is not None and v.power >= result.min_power_in_top_n
        )
        if not p.allow_inactive_vals:
            # the keeper cuts the tokens-sorted list (not the power-ordered active set): fewer than
            # max_provider_consensus_validators bonded validators may hold strictly more tokens than a member
            richer = [w for w in provider.bonded_by_power if w.tokens > v.tokens]
            assert len(richer) < provider.max_provider_consensus_validators
    if p.top_n == 0 and p.validator_set_cap:
        assert len(members) <= p.validator_set_cap
    # every validator is either in the set or has a reason
    for v in provider.validators:
        assert (v.valcons in members) != (v.valcons in result.excluded)
        if v.valcons in result.excluded:
            assert result.excluded[v.valcons], "an exclusion without reason"
    # priority members come first (the power cap re-sorts by power afterwards, as the keeper does)
    if not p.validators_power_cap:
        flags = [m.prioritized for m in result.members]
        assert flags == sorted(flags, reverse=True)
    # Top N with no filter reaches N% of the active power
    if p.top_n and not p.denylist and not p.allowlist and not p.min_stake and p.allow_inactive_vals:
        assert result.top_n_coverage * 100 >= p.top_n - 1e-9
    assert 0.0 <= result.covered_provider_share <= 1.0


@settings(max_examples=500, deadline=None)
@given(st.lists(st.integers(1, 10**6), min_size=1, max_size=60), st.integers(1, 100))
def test_power_cap_conserves_power_and_holds_when_feasible(powers: list[int], percent: int) -> None:
    order, capped, feasible = no_more_than_percent_of_the_sum(powers, percent)
    max_power = max(sum(powers) * percent // 100, 1)
    assert sorted(order) == list(range(len(powers)))
    assert all(0 < c <= max_power for c in capped)
    if feasible:
        assert sum(capped) == sum(powers), "power not conserved"
    else:
        assert capped == [max_power] * len(powers)
    # capping never reorders validators: a larger original power never ends with less power
    original = [powers[i] for i in order]
    for a in range(len(original) - 1):
        assert capped[a] >= capped[a + 1] or original[a] == original[a + 1]


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_changing_nothing_changes_nothing(scenario: tuple[ProviderSnapshot, ConsumerInput]) -> None:
    provider, consumer = scenario
    first = simulate(provider, consumer)
    again = simulate(provider, consumer, consumer.params.with_changes())
    assert [(m.valcons, m.consumer_power) for m in first.members] == [
        (m.valcons, m.consumer_power) for m in again.members
    ]
    denied = simulate(
        provider, consumer, consumer.params.with_changes(denylist=[v.valcons for v in provider.validators])
    )
    assert denied.members == ()
    assert all(
        Exclusion.DENYLISTED in r or r[0] in (Exclusion.JAILED, Exclusion.INACTIVE) for r in denied.excluded.values()
    )
