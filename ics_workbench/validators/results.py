"""What a simulation produces: the consumer set, why others are out, and warnings about the candidate."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from ics_workbench.validators.models import ConsumerInput, PowerShapingParams, ProviderValidator


class Exclusion(Enum):
    """Why a provider validator is not in a consumer's set; values are what users read."""

    NOT_BONDED = "not bonded on the provider"
    JAILED = "jailed on the provider"
    INACTIVE = "inactive: outside the provider's max_provider_consensus_validators"
    NOT_OPTED_IN = "not opted in"
    DENYLISTED = "denylisted"
    NOT_ALLOWLISTED = "not on the allowlist"
    BELOW_MIN_STAKE = "below min_stake"
    CAPPED_OUT = "cut by validator_set_cap"


@dataclass(frozen=True)
class Finding:
    """A warning about a candidate: ``code`` for programs and tests, ``message`` for people."""

    code: str
    message: str


@dataclass(frozen=True)
class ConsumerMember:
    """One validator of the computed consumer set."""

    validator: ProviderValidator
    consumer_power: int
    prioritized: bool

    @property
    def valcons(self) -> str:
        return self.validator.valcons


@dataclass(frozen=True)
class SimulationResult:
    consumer: ConsumerInput
    params: PowerShapingParams
    members: tuple[ConsumerMember, ...]  # in the keeper's final order
    excluded: dict[str, tuple[Exclusion, ...]]  # valcons -> reasons, most decisive first
    min_power_in_top_n: int | None
    auto_opted_in: frozenset[str]  # validators a Top N chain opts in at this epoch
    power_cap_feasible: bool | None  # None when no power cap is set
    provider_active_power: int  # power of the provider's active (consensus) validators
    provider_bonded_power: int  # power of every bonded, unjailed validator (inactive ones included)
    active_member_power: int  # provider power of the set's members that are active on the provider
    findings: tuple[Finding, ...] = field(default=())

    @property
    def total_consumer_power(self) -> int:
        return sum(m.consumer_power for m in self.members)

    @property
    def member_valcons(self) -> frozenset[str]:
        return frozenset(m.valcons for m in self.members)

    @property
    def covered_provider_power(self) -> int:
        return sum(m.validator.power for m in self.members)

    @property
    def covered_provider_share(self) -> float:
        """Share of the provider's bonded power that secures this consumer (at most 100%)."""
        if self.provider_bonded_power == 0:
            return 0.0
        return self.covered_provider_power / self.provider_bonded_power

    @property
    def top_n_coverage(self) -> float:
        """Share of the provider's *active* power in the set: what top_N promises (N% of the active power)."""
        if self.provider_active_power == 0:
            return 0.0
        return self.active_member_power / self.provider_active_power

    def consumer_share(self, valcons: str) -> float:
        total = self.total_consumer_power
        for member in self.members:
            if member.valcons == valcons:
                return member.consumer_power / total if total else 0.0
        return 0.0


@dataclass(frozen=True)
class PowerChange:
    valcons: str
    before: int
    after: int
    before_share: float
    after_share: float


@dataclass(frozen=True)
class SetDiff:
    """What a parameter change does to a consumer set (shares are of the consumer's total power)."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[PowerChange, ...]

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed)
