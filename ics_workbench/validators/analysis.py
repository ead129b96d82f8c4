"""Who validates what: the overlap matrix, risk figures, the subset problem, set matching and key hygiene.

All functions are pure over :class:`SimulationResult` and the small frozen models, so the CLI, the GUI panel and
the benchmark share them and tests need no network.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from ics_workbench.validators.models import (
    ConsumerInput,
    KeyAssignment,
    ProviderSnapshot,
    ProviderValidator,
    SnapshotError,
)
from ics_workbench.validators.results import Exclusion, SimulationResult

# --- overlap matrix -----------------------------------------------------------------------------------------------

SHORT_REASON = {
    Exclusion.NOT_BONDED: "not bonded",
    Exclusion.JAILED: "jailed",
    Exclusion.INACTIVE: "inactive",
    Exclusion.NOT_OPTED_IN: "",
    Exclusion.DENYLISTED: "denied",
    Exclusion.NOT_ALLOWLISTED: "not allowlisted",
    Exclusion.BELOW_MIN_STAKE: "below min stake",
    Exclusion.CAPPED_OUT: "capped out",
}


@dataclass(frozen=True)
class Cell:
    """One validator on one consumer: its share of the consumer's power, or why it is not in the set."""

    consumer_power: int
    share: float  # of the consumer's total power; 0 when not in the set
    opted_in: bool
    reason: Exclusion | None  # None when in the set

    @property
    def in_set(self) -> bool:
        return self.reason is None

    @property
    def refused(self) -> bool:
        """Opted in (or forced in by Top N) yet kept out: the cases a user must look at."""
        return self.opted_in and self.reason is not None and self.reason is not Exclusion.NOT_OPTED_IN

    @property
    def label(self) -> str:
        """A share, the reason an opted-in validator is kept out, "denied" for a denylisted one, or blank."""
        if self.in_set:
            return f"{self.share * 100:.2f}%"
        return SHORT_REASON[self.reason] if self.reason is not None else ""


@dataclass(frozen=True)
class ColumnTotals:
    validators: int
    consumer_power: int
    provider_power_share: float  # share of the provider's bonded power securing the consumer
    min_power_in_top_n: int | None


@dataclass(frozen=True)
class OverlapMatrix:
    rows: tuple[ProviderValidator, ...]  # provider validators, highest power first
    columns: tuple[ConsumerInput, ...]
    cells: tuple[tuple[Cell, ...], ...]  # cells[row][column]
    totals: tuple[ColumnTotals, ...]

    def consumers_validated(self, row: int) -> int:
        return sum(1 for cell in self.cells[row] if cell.in_set)

    def to_rows(self) -> list[dict[str, str]]:
        """Flat table for CSV/JSON export: one line per validator, one column per consumer."""
        out = []
        for r, validator in enumerate(self.rows):
            line = {"moniker": validator.moniker, "operator": validator.operator, "valcons": validator.valcons,
                    "provider_power": str(validator.power), "consumers": str(self.consumers_validated(r))}
            for c, consumer in enumerate(self.columns):
                out_key = f"{consumer.label} [{consumer.consumer_id}]"
                line[out_key] = self.cells[r][c].label
            out.append(line)
        return out


def _primary_reason(reasons: tuple[Exclusion, ...], opted_in: bool) -> Exclusion:
    """What the cell shows: for an opted-in validator the first real obstacle; for the others only a denial
    (that they are inactive or not allowlisted somewhere they never opted in to is noise)."""
    if opted_in:
        for reason in reasons:
            if reason is not Exclusion.NOT_OPTED_IN:
                return reason
        return reasons[0]
    return Exclusion.DENYLISTED if Exclusion.DENYLISTED in reasons else Exclusion.NOT_OPTED_IN


def overlap_matrix(provider: ProviderSnapshot, results: Sequence[SimulationResult]) -> OverlapMatrix:
    rows = tuple(sorted(provider.validators, key=lambda v: (-v.power, v.operator)))
    cells: list[tuple[Cell, ...]] = []
    power_by_result = [{m.valcons: m.consumer_power for m in r.members} for r in results]
    totals_power = [r.total_consumer_power for r in results]
    opted = [provider.resolve(r.consumer.opted_in)[0] | r.auto_opted_in for r in results]
    for v in rows:
        line = []
        for i, result in enumerate(results):
            power = power_by_result[i].get(v.valcons)
            is_opted = v.valcons in opted[i]
            if power is not None:
                line.append(Cell(power, power / totals_power[i] if totals_power[i] else 0.0, is_opted, None))
            else:
                line.append(Cell(0, 0.0, is_opted, _primary_reason(result.excluded[v.valcons], is_opted)))
        cells.append(tuple(line))
    totals = tuple(
        ColumnTotals(len(r.members), r.total_consumer_power, r.covered_provider_share, r.min_power_in_top_n)
        for r in results
    )
    return OverlapMatrix(rows, tuple(r.consumer for r in results), tuple(cells), totals)


# --- risk: the subset problem made concrete ----------------------------------------------------------------------


@dataclass(frozen=True)
class Risk:
    """Smallest coalitions of a consumer's validators, largest consumer power first.

    CometBFT commits only with more than 2/3 of the power online, so validators holding at least 1/3 can halt the
    chain (3*S >= T) and validators holding more than 2/3 can commit anything alone (3*S > 2*T).
    """

    halt_count: int
    halt_provider_stake_share: float
    control_count: int
    control_provider_stake_share: float
    total_validators: int


def _smallest_coalition(powers: Sequence[int], meets: Callable[[int], bool]) -> int:
    running = 0
    for count, power in enumerate(powers, start=1):
        running += power
        if meets(running):
            return count
    return len(powers)


def risk_figures(provider: ProviderSnapshot, result: SimulationResult) -> Risk:
    members = sorted(result.members, key=lambda m: -m.consumer_power)
    total = result.total_consumer_power
    bonded_tokens = sum(v.tokens for v in provider.bonded_by_power) or 1
    powers = [m.consumer_power for m in members]
    halt = _smallest_coalition(powers, lambda s: 3 * s >= total) if total else 0
    control = _smallest_coalition(powers, lambda s: 3 * s > 2 * total) if total else 0

    def stake(count: int) -> float:
        return sum(m.validator.tokens for m in members[:count]) / bonded_tokens

    return Risk(halt, stake(halt), control, stake(control), len(members))


@dataclass(frozen=True)
class SharedPower:
    """How much of a consumer's power sits with validators that also validate other consumers."""

    consumer: ConsumerInput
    shared_share: float  # with validators in at least one other consumer's set
    with_each: dict[str, float]  # other consumer id -> share held by validators also in that consumer's set


def shared_power(results: Sequence[SimulationResult]) -> list[SharedPower]:
    sets = [r.member_valcons for r in results]
    out = []
    for i, result in enumerate(results):
        total = result.total_consumer_power or 1
        others = set().union(*(s for j, s in enumerate(sets) if j != i)) if len(sets) > 1 else set()
        shared = sum(m.consumer_power for m in result.members if m.valcons in others) / total
        with_each = {
            results[j].consumer.consumer_id: sum(
                m.consumer_power for m in result.members if m.valcons in sets[j]
            ) / total
            for j in range(len(results))
            if j != i
        }
        out.append(SharedPower(result.consumer, shared, with_each))
    return out


# --- provider-computed set vs the consumer chain's own validator set ---------------------------------------------


class MatchStatus(Enum):
    MATCH = "match"
    POWER_DIFFERS = "power differs"
    MISSING_ON_CONSUMER = "in the provider's set, absent on the consumer"
    UNKNOWN_TO_PROVIDER = "on the consumer, not in the provider's set"


@dataclass(frozen=True)
class ReportedMember:
    """A row of the provider's ``consumer_validators`` answer."""

    provider_valcons: str
    consumer_pubkey: str  # base64
    power: int


@dataclass(frozen=True)
class ChainValidator:
    """A row of the consumer chain's own CometBFT ``/validators``."""

    address_hex: str
    pubkey: str  # base64
    power: int


@dataclass(frozen=True)
class MatchRow:
    provider_valcons: str | None
    consumer_pubkey: str
    provider_power: int | None
    consumer_power: int | None
    status: MatchStatus


def match_sets(reported: Sequence[ReportedMember], chain: Sequence[ChainValidator]) -> list[MatchRow]:
    """Pair the provider's view with the consumer's through the consumer public key (the key assignment)."""
    on_chain = {v.pubkey: v for v in chain}
    rows: list[MatchRow] = []
    for member in reported:
        found = on_chain.pop(member.consumer_pubkey, None)
        if found is None:
            status = MatchStatus.MISSING_ON_CONSUMER
        elif found.power != member.power:
            status = MatchStatus.POWER_DIFFERS
        else:
            status = MatchStatus.MATCH
        rows.append(MatchRow(member.provider_valcons, member.consumer_pubkey, member.power,
                             found.power if found else None, status))
    for leftover in on_chain.values():
        rows.append(MatchRow(None, leftover.pubkey, None, leftover.power, MatchStatus.UNKNOWN_TO_PROVIDER))
    return rows


def simulated_members(provider: ProviderSnapshot, result: SimulationResult) -> tuple[ReportedMember, ...]:
    """The simulated set in the provider's answer format: each validator with the key it signs with there."""
    assigned: dict[str, str] = {}
    for k in result.consumer.key_assignments:
        known, _ = provider.resolve([k.provider_valcons])
        if known and k.consumer_pubkey:
            assigned[known.pop()] = k.consumer_pubkey
    return tuple(
        ReportedMember(m.valcons, assigned.get(m.valcons, m.validator.consensus_pubkey), m.consumer_power)
        for m in result.members
    )


@dataclass(frozen=True)
class SimulationMismatch:
    provider_valcons: str
    simulated_power: int | None
    reported_power: int | None


def compare_with_reported(result: SimulationResult, reported: Sequence[ReportedMember]) -> list[SimulationMismatch]:
    """Where the simulation and the provider's ``consumer_validators`` disagree (empty = they agree)."""
    simulated = {m.valcons: m.consumer_power for m in result.members}
    actual = {r.provider_valcons: r.power for r in reported}
    return [
        SimulationMismatch(valcons, simulated.get(valcons), actual.get(valcons))
        for valcons in sorted(simulated.keys() | actual.keys())
        if simulated.get(valcons) != actual.get(valcons)
    ]


# --- key assignments and their hygiene ---------------------------------------------------------------------------


class KeyAlert(Enum):
    PROVIDER_KEY_REUSED = "a provider consensus key is assigned as a consumer key"
    SHARED_CHAIN_ID_KEY = "the same key signs on consumers that share a chain id (double-sign risk)"
    ASSIGNED_AFTER_SPAWN = "key assigned after the consumer launched: it is not in the consumer's genesis"
    DEFAULT_PROVIDER_KEY = "no assignment: signs with its provider key"


@dataclass(frozen=True)
class KeyRow:
    consumer: ConsumerInput
    validator: ProviderValidator
    consumer_valcons: str | None  # None: no assignment
    consumer_pubkey: str  # the key it signs with there (its provider key when unassigned)
    alerts: tuple[KeyAlert, ...]


def _assigned_after_launch(assignment: KeyAssignment, consumer: ConsumerInput) -> bool:
    """A transaction in the launch block runs after the launch (BeginBlock), hence ``>=`` against the launch
    time; without it, the spawn time bounds the launch from below (the first block at or after it launches)."""
    if assignment.assigned_at is None:
        return False
    if consumer.launched_at is not None:
        return assignment.assigned_at >= consumer.launched_at
    return consumer.spawn_time is not None and assignment.assigned_at > consumer.spawn_time


def key_table(
    provider: ProviderSnapshot, consumers: Sequence[ConsumerInput], results: Mapping[str, SimulationResult]
) -> list[KeyRow]:
    """One row per (consumer, validator that is in its set, opted in or has a key there)."""
    provider_keys = {v.consensus_pubkey: v for v in provider.validators if v.consensus_pubkey}
    effective: dict[tuple[str, str], str] = {}  # (consumer id, valcons) -> pubkey
    staged: list[tuple[ConsumerInput, ProviderValidator, str | None, str, list[KeyAlert]]] = []
    for consumer in consumers:
        assigned = {}
        for k in consumer.key_assignments:
            known, _ = provider.resolve([k.provider_valcons])
            if known:
                assigned[known.pop()] = k
        involved = set(assigned) | provider.resolve(consumer.opted_in)[0]
        result = results.get(consumer.consumer_id)
        if result is not None:
            involved |= result.member_valcons
        for valcons in sorted(involved):
            validator = provider.by_valcons[valcons]
            alerts: list[KeyAlert] = []
            assignment = assigned.get(valcons)
            if assignment is not None:
                pubkey = assignment.consumer_pubkey
                if pubkey in provider_keys:
                    alerts.append(KeyAlert.PROVIDER_KEY_REUSED)
                if _assigned_after_launch(assignment, consumer):
                    alerts.append(KeyAlert.ASSIGNED_AFTER_SPAWN)
            else:
                pubkey = validator.consensus_pubkey
                alerts.append(KeyAlert.DEFAULT_PROVIDER_KEY)
            effective[(consumer.consumer_id, valcons)] = pubkey
            staged.append((consumer, validator, assignment.consumer_valcons if assignment else None, pubkey, alerts))
    by_chain_key: dict[tuple[str, str], set[str]] = defaultdict(set)
    chain_of = {c.consumer_id: c.chain_id for c in consumers}
    for (consumer_id, _), pubkey in effective.items():
        if pubkey:
            by_chain_key[(chain_of[consumer_id], pubkey)].add(consumer_id)
    rows = []
    for consumer, validator, consumer_valcons, pubkey, alerts in staged:
        if pubkey and len(by_chain_key[(consumer.chain_id, pubkey)]) > 1:
            alerts.append(KeyAlert.SHARED_CHAIN_ID_KEY)
        rows.append(KeyRow(consumer, validator, consumer_valcons, pubkey, tuple(alerts)))
    return rows


# --- one validator across all consumers -------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidatorConsumerRow:
    consumer: ConsumerInput
    opted_in: bool
    in_set: bool
    share: float
    reasons: tuple[Exclusion, ...]
    has_to_validate: bool | None  # from the provider's query, None when not loaded
    commission_rate: str | None


@dataclass(frozen=True)
class ValidatorView:
    validator: ProviderValidator
    rows: tuple[ValidatorConsumerRow, ...]
    blocks_until_next_epoch: int | None


def validator_view(
    provider: ProviderSnapshot,
    valcons: str,
    results: Sequence[SimulationResult],
    *,
    has_to_validate: Sequence[str] | None = None,
    commissions: Mapping[str, str] | None = None,
) -> ValidatorView:
    """Where a validator (consensus or operator address) is, should be, and why not; commissions by consumer id."""
    by_operator = {v.operator: v.valcons for v in provider.validators}
    found, unknown = provider.resolve([by_operator.get(valcons, valcons)])
    if unknown:
        raise SnapshotError(f"{valcons} is not a provider validator (give its valcons or valoper address)")
    valcons = found.pop()
    rows = []
    for result in results:
        opted = valcons in provider.resolve(result.consumer.opted_in)[0] or valcons in result.auto_opted_in
        cid = result.consumer.consumer_id
        rows.append(
            ValidatorConsumerRow(
                consumer=result.consumer,
                opted_in=opted,
                in_set=valcons in result.member_valcons,
                share=result.consumer_share(valcons),
                reasons=result.excluded.get(valcons, ()),
                has_to_validate=None if has_to_validate is None else cid in has_to_validate,
                commission_rate=(commissions or {}).get(cid),
            )
        )
    return ValidatorView(provider.by_valcons[valcons], tuple(rows), provider.blocks_until_next_epoch)
