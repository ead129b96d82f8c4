"""The consumer validator set exactly as the ICS v7 provider keeper computes it at an epoch boundary.

Order of operations (``QueueVSCPackets`` -> ``ComputeConsumerNextValSet`` -> ``ComputeNextValidators``):

1. bonded = staking's bonded validators in power-index order; active = its first
   ``max_provider_consensus_validators``.
2. Top N only: ``ComputeMinPowerInTopN(active, N)`` with LegacyDec arithmetic; active validators with at least
   that power are opted in (and stay opted in later, even if they fall out of the top N).
3. bonded is re-sorted by bonded tokens (Go's unstable ``sort.Slice``) and, unless ``allow_inactive_vals``, cut
   to ``max_provider_consensus_validators``.
4. Keep a validator if ``CanValidateChain`` (opted in, or power >= min power on a Top N chain; allowlist empty or
   contains it; denylist does not contain it) and ``FulfillsMinStake`` (tokens >= ``min_stake``).
5. Priority-listed validators first, each group sorted by power descending (again ``sort.Slice``).
6. ``CapValidatorSet``: on opt-in chains (``top_N == 0``) keep the first ``validator_set_cap``.
7. ``CapValidatorsPower`` / ``NoMoreThanPercentOfTheSum``: best-effort power cap, total power preserved.

Every integer step mirrors the Go code, including truncating division and LegacyDec banker's rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from ics_workbench.addresses import AddressError, address_bytes
from ics_workbench.errors import WorkbenchError
from ics_workbench.validators.findings import findings_for
from ics_workbench.validators.gosort import XORSHIFT_GO123, go_sort_slice
from ics_workbench.validators.models import ConsumerInput, PowerShapingParams, ProviderSnapshot, ProviderValidator
from ics_workbench.validators.results import (
    ConsumerMember,
    Exclusion,
    PowerChange,
    SetDiff,
    SimulationResult,
)

_PRECISION = 10**18  # LegacyDec has 18 decimal places


class SimulationError(WorkbenchError):
    """The keeper itself would fail on this input (it returns an error instead of a set)."""


def _chop_precision_and_round(value: int) -> int:
    """LegacyDec's ``chopPrecisionAndRound``: divide by 10^18, round half to even (value >= 0)."""
    quo, rem = divmod(value, _PRECISION)
    half = _PRECISION // 2
    if rem < half:
        return quo
    if rem > half:
        return quo + 1
    return quo if quo % 2 == 0 else quo + 1


def compute_min_power_in_top_n(active_powers: Sequence[int], top_n: int) -> int:
    """``ComputeMinPowerInTopN``: the smallest power a validator needs to be in the top N% of ``active_powers``."""
    if top_n == 0 or top_n > 100:
        raise SimulationError(f"top_N must be in (0, 100] to compute a minimum power, got {top_n}")
    total = sum(active_powers)
    if total == 0:
        raise SimulationError("the provider has no active validator power: no Top N minimum power exists")
    threshold = top_n * _PRECISION // 100  # LegacyNewDec(topN).QuoInt64(100)
    power_sum = 0
    for power in sorted(active_powers, reverse=True):  # a sort of bare ints: ties are indistinguishable
        power_sum += power
        # LegacyDec Quo: (a * 10^18 * 10^18) / (b * 10^18), truncated, then chopPrecisionAndRound
        ratio = _chop_precision_and_round(power_sum * _PRECISION * _PRECISION // total)
        if ratio >= threshold:
            return power
    raise SimulationError(f"no minimum power reaches top_N {top_n} (total power {total})")  # unreachable


def _go_quo(a: int, b: int) -> int:
    """Go's int64 division truncates toward zero."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def no_more_than_percent_of_the_sum(
    powers: Sequence[int], percent: int, *, xorshift: tuple[int, int, int] = XORSHIFT_GO123
) -> tuple[list[int], list[int], bool]:
    """``NoMoreThanPercentOfTheSum`` on a list of powers.

    Returns (order, capped powers in that order, feasible): ``order`` is the index permutation the keeper's
    descending sort produced, ``feasible`` is False when ``sum > n * maxPower`` (no assignment can respect the cap).
    """
    total = sum(powers)
    max_power = total * percent // 100  # LegacyNewDec(sum).Mul(percent).QuoInt64(100).TruncateInt64()
    if max_power == 0:
        max_power = 1
    order = list(range(len(powers)))
    go_sort_slice(order, lambda i, j: powers[i] > powers[j], xorshift=xorshift)
    remaining_power = 0
    below = 0
    for i in order:
        if powers[i] >= max_power:
            remaining_power += powers[i] - max_power
        else:
            below += 1
    remaining_validators = below
    per_validator = _go_quo(remaining_power, remaining_validators) if remaining_validators else 0
    capped: list[int] = []
    for i in order:
        power = powers[i]
        if power >= max_power:
            capped.append(max_power)
        elif power + per_validator >= max_power:
            capped.append(max_power)
            remaining_power -= max_power - power
            remaining_validators -= 1
        else:
            capped.append(power + per_validator)
            remaining_power -= per_validator
            remaining_validators -= 1
        if remaining_validators == 0:
            continue
        per_validator = _go_quo(remaining_power, remaining_validators)
    feasible = total <= len(powers) * max_power
    return order, capped, feasible


def simulate(
    provider: ProviderSnapshot,
    consumer: ConsumerInput,
    params: PowerShapingParams | None = None,
    *,
    xorshift: tuple[int, int, int] = XORSHIFT_GO123,
) -> SimulationResult:
    """The set the provider would send ``consumer`` at the next epoch under ``params`` (default: its own).

    The steps follow the provider keeper: the Top N threshold, who is considered at all (bonded, not jailed,
    active unless inactive validators are allowed), the opt-in and list rules, the prioritylist order and the
    set cap, then the power cap."""
    params = consumer.params if params is None else params
    bonded = provider.bonded_by_power
    active = provider.active
    active_valcons = {v.valcons for v in active}
    limit = provider.max_provider_consensus_validators

    min_power: int | None = None
    auto_opted: frozenset[str] = frozenset()
    if params.top_n > 0:
        min_power = compute_min_power_in_top_n([v.power for v in active], params.top_n)
        auto_opted = frozenset(v.valcons for v in active if v.power >= min_power)
    priority, _ = provider.resolve(params.prioritylist)

    by_tokens = list(bonded)
    go_sort_slice(by_tokens, lambda a, b: a.tokens > b.tokens, xorshift=xorshift)
    considered = by_tokens if params.allow_inactive_vals else by_tokens[:limit]
    excluded = _not_considered(provider, by_tokens, limit, params)
    kept = _passing_the_rules(provider, consumer, params, considered, min_power, excluded)
    ordered = _priority_ordered(kept, priority, params, excluded, xorshift)
    members, feasible = _capped_members(ordered, priority, params, xorshift)

    result = SimulationResult(
        consumer=consumer,
        params=params,
        members=members,
        excluded=excluded,
        min_power_in_top_n=min_power,
        auto_opted_in=auto_opted,
        power_cap_feasible=feasible,
        provider_active_power=sum(v.power for v in active),
        provider_bonded_power=sum(v.power for v in bonded),
        active_member_power=sum(m.validator.power for m in members if m.valcons in active_valcons),
    )
    return replace(result, findings=tuple(findings_for(provider, result)))


def _not_considered(
    provider: ProviderSnapshot, by_tokens: list[ProviderValidator], limit: int, params: PowerShapingParams
) -> dict[str, tuple[Exclusion, ...]]:
    """Validators no rule looks at: not bonded, jailed, or (unless allowed) outside the active set."""
    excluded: dict[str, tuple[Exclusion, ...]] = {}
    for v in provider.validators:
        if not v.bonded:
            excluded[v.valcons] = (Exclusion.NOT_BONDED,)
        elif v.jailed:
            excluded[v.valcons] = (Exclusion.JAILED,)
    if not params.allow_inactive_vals:
        for v in by_tokens[limit:]:
            excluded[v.valcons] = (Exclusion.INACTIVE,)
    return excluded


def _passing_the_rules(
    provider: ProviderSnapshot,
    consumer: ConsumerInput,
    params: PowerShapingParams,
    considered: list[ProviderValidator],
    min_power: int | None,
    excluded: dict[str, tuple[Exclusion, ...]],
) -> list[ProviderValidator]:
    """The considered validators that are opted in (or in the Top N) and pass the lists and the minimum
    stake; every reason a validator fails is recorded in ``excluded``."""
    opted_in, _ = provider.resolve(consumer.opted_in)
    allow, unknown_allowed = provider.resolve(params.allowlist)
    # the keeper stores every parseable entry, so an allowlist of unknown validators still excludes everyone
    allow_declared = bool(allow) or any(_parses(entry) for entry in unknown_allowed)
    deny, _ = provider.resolve(params.denylist)
    kept: list[ProviderValidator] = []
    for v in considered:
        reasons: list[Exclusion] = []
        is_opted = v.valcons in opted_in or (min_power is not None and v.power >= min_power)
        if not is_opted:
            reasons.append(Exclusion.NOT_OPTED_IN)
        if v.valcons in deny:
            reasons.append(Exclusion.DENYLISTED)
        if allow_declared and v.valcons not in allow:
            reasons.append(Exclusion.NOT_ALLOWLISTED)
        if params.min_stake and v.tokens < params.min_stake:
            reasons.append(Exclusion.BELOW_MIN_STAKE)
        if reasons:
            excluded[v.valcons] = tuple(reasons)
        else:
            kept.append(v)
    return kept


def _priority_ordered(
    kept: list[ProviderValidator],
    priority: set[str],
    params: PowerShapingParams,
    excluded: dict[str, tuple[Exclusion, ...]],
    xorshift: tuple[int, int, int],
) -> list[ProviderValidator]:
    """Prioritylist first, each part by power; an opt-in chain's set cap cuts the tail (recorded as capped out)."""
    first = [v for v in kept if v.valcons in priority]
    rest = [v for v in kept if v.valcons not in priority]
    go_sort_slice(first, lambda a, b: a.power > b.power, xorshift=xorshift)
    go_sort_slice(rest, lambda a, b: a.power > b.power, xorshift=xorshift)
    ordered = first + rest
    if params.top_n == 0 and params.validator_set_cap != 0 and params.validator_set_cap < len(ordered):
        for v in ordered[params.validator_set_cap :]:
            excluded[v.valcons] = (Exclusion.CAPPED_OUT,)
        ordered = ordered[: params.validator_set_cap]
    return ordered


def _capped_members(
    ordered: list[ProviderValidator], priority: set[str], params: PowerShapingParams, xorshift: tuple[int, int, int]
) -> tuple[tuple[ConsumerMember, ...], bool | None]:
    """The members with their consumer power after the power cap, and whether the cap can hold (None: no cap)."""
    if not (params.validators_power_cap > 0 and ordered):
        return tuple(ConsumerMember(v, v.power, v.valcons in priority) for v in ordered), None
    order, capped, feasible = no_more_than_percent_of_the_sum(
        [v.power for v in ordered], params.validators_power_cap, xorshift=xorshift
    )
    members = tuple(
        ConsumerMember(ordered[i], power, ordered[i].valcons in priority)
        for i, power in zip(order, capped, strict=True)
    )
    return members, feasible


def _parses(address: str) -> bool:
    try:
        address_bytes(address)
    except AddressError:
        return False
    return True


def diff(before: SimulationResult, after: SimulationResult) -> SetDiff:
    old = {m.valcons: m.consumer_power for m in before.members}
    new = {m.valcons: m.consumer_power for m in after.members}
    old_total, new_total = before.total_consumer_power or 1, after.total_consumer_power or 1
    changed = []
    for valcons in sorted(old.keys() | new.keys()):
        b, a = old.get(valcons, 0), new.get(valcons, 0)
        b_share, a_share = b / old_total, a / new_total
        if valcons in old and valcons in new and (b != a or abs(b_share - a_share) > 1e-12):
            changed.append(PowerChange(valcons, b, a, b_share, a_share))
    return SetDiff(
        added=tuple(sorted(new.keys() - old.keys())),
        removed=tuple(sorted(old.keys() - new.keys())),
        changed=tuple(changed),
    )


def simulate_all(
    provider: ProviderSnapshot, consumers: Iterable[ConsumerInput], *, xorshift: tuple[int, int, int] = XORSHIFT_GO123
) -> list[SimulationResult]:
    return [simulate(provider, c, xorshift=xorshift) for c in consumers]
