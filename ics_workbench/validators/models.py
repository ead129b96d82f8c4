"""The simulator's own small, frozen inputs, independent of how the chain data was fetched.

Keeping these apart from the chain client's models means the power-shaping rules are testable with no network
and the GUI, CLI and proposal preview can all feed the same function (see ``adapters`` for the chain side).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import Any

from ics_workbench.addresses import AddressError, address_bytes
from ics_workbench.errors import WorkbenchError

log = logging.getLogger(__name__)

MAX_LIST_LENGTH = 1000  # types.MaxValidatorCount: cap on allowlist / denylist / prioritylist entries


class PowerShapingError(WorkbenchError):
    """A power-shaping parameter breaks a rule the provider enforces (field, rule and value in the message)."""


class SnapshotError(WorkbenchError):
    """The provider validator data cannot be simulated (e.g. an address that is not bech32)."""


@dataclass(frozen=True)
class ProviderValidator:
    """One provider validator as the keeper sees it at an epoch boundary.

    ``power`` is the staking module's last consensus power (what a consumer receives); ``tokens`` are the bonded
    tokens (what ``min_stake`` and the keeper's own ordering use). Only ``bonded`` and not ``jailed`` validators
    can be in any consumer set.
    """

    operator: str
    valcons: str
    power: int
    tokens: int
    bonded: bool = True
    jailed: bool = False
    moniker: str = ""
    consensus_pubkey: str = ""  # base64 ed25519 key, used to spot a provider key reused on a consumer
    commission_rate: str = ""


@dataclass(frozen=True)
class PowerShapingParams:
    """``PowerShapingParameters`` of ICS v6.4+ (``prioritylist`` is empty before that)."""

    top_n: int = 0
    validators_power_cap: int = 0
    validator_set_cap: int = 0
    allowlist: tuple[str, ...] = ()
    denylist: tuple[str, ...] = ()
    min_stake: int = 0
    allow_inactive_vals: bool = False
    prioritylist: tuple[str, ...] = ()

    def with_changes(self, **changes: Any) -> PowerShapingParams:
        """A candidate differing only in ``changes`` (lists given as any iterable)."""
        for name in ("allowlist", "denylist", "prioritylist"):
            if name in changes:
                changes[name] = tuple(changes[name])
        return replace(self, **changes)

    def problems(self, consensus_prefix: str | None = None) -> list[str]:
        """Every rule of ``ValidatePowerShapingParameters`` this candidate breaks, one sentence each."""
        found: list[str] = []
        if not (self.top_n == 0 or 50 <= self.top_n <= 100):
            found.append(f"top_N: must be 0 (opt-in) or in [50, 100], got {self.top_n}")
        if not 0 <= self.validators_power_cap <= 100:
            found.append(f"validators_power_cap: must be in [0, 100] percent, got {self.validators_power_cap}")
        if self.validator_set_cap < 0 or self.validator_set_cap >= 1 << 32:
            found.append(f"validator_set_cap: must be a uint32, got {self.validator_set_cap}")
        if self.min_stake < 0 or self.min_stake >= 1 << 64:
            found.append(f"min_stake: must be a uint64, got {self.min_stake}")
        for name in ("allowlist", "denylist", "prioritylist"):
            entries: tuple[str, ...] = getattr(self, name)
            if len(entries) > MAX_LIST_LENGTH:
                found.append(f"{name}: at most {MAX_LIST_LENGTH} entries, got {len(entries)}")
            for index, entry in enumerate(entries):
                try:
                    address_bytes(entry, consensus_prefix)
                except AddressError as error:
                    found.append(f"{name}[{index}]: {error}")
        return found

    def validate(self, consensus_prefix: str | None = None) -> None:
        problems = self.problems(consensus_prefix)
        if problems:
            raise PowerShapingError("invalid power-shaping parameters: " + "; ".join(problems))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PowerShapingParams:
        """From the REST/CLI JSON (``power_shaping_params`` of ``consumer_chain`` or a proposal message)."""

        def number(key: str) -> int:
            value = data.get(key, 0)
            try:
                return int(value or 0)
            except (TypeError, ValueError):
                raise PowerShapingError(f"{key}: expected an integer, got {value!r}") from None

        def strings(key: str) -> tuple[str, ...]:
            value = data.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise PowerShapingError(f"{key}: expected a list of consensus addresses, got {value!r}")
            return tuple(value)

        allow_inactive = data.get("allow_inactive_vals", False)
        if not isinstance(allow_inactive, bool):
            raise PowerShapingError(f"allow_inactive_vals: expected true or false, got {allow_inactive!r}")
        return cls(
            top_n=number("top_N") if "top_N" in data else number("top_n"),
            validators_power_cap=number("validators_power_cap"),
            validator_set_cap=number("validator_set_cap"),
            allowlist=strings("allowlist"),
            denylist=strings("denylist"),
            min_stake=number("min_stake"),
            allow_inactive_vals=allow_inactive,
            prioritylist=strings("prioritylist"),
        )

    def to_json(self) -> dict[str, Any]:
        """The proto-JSON shape of ``PowerShapingParameters`` (uint64 as string)."""
        return {
            "top_N": self.top_n,
            "validators_power_cap": self.validators_power_cap,
            "validator_set_cap": self.validator_set_cap,
            "allowlist": list(self.allowlist),
            "denylist": list(self.denylist),
            "min_stake": str(self.min_stake),
            "allow_inactive_vals": self.allow_inactive_vals,
            "prioritylist": list(self.prioritylist),
        }


@dataclass(frozen=True)
class KeyAssignment:
    """A provider validator's consumer key on one consumer (absent: it signs with its provider key)."""

    provider_valcons: str
    consumer_valcons: str
    consumer_pubkey: str = ""  # base64 ed25519
    assigned_at: datetime | None = None


@dataclass(frozen=True)
class ConsumerInput:
    """What the keeper reads for one consumer: its parameters, its opted-in validators and key assignments."""

    consumer_id: str
    chain_id: str
    params: PowerShapingParams
    opted_in: frozenset[str] = frozenset()
    key_assignments: tuple[KeyAssignment, ...] = ()
    name: str = ""
    phase: str = ""
    spawn_time: datetime | None = None
    launched_at: datetime | None = None  # block time of the launch (the consumer's genesis time), if known

    @property
    def label(self) -> str:
        return self.name or self.chain_id or self.consumer_id


@dataclass(frozen=True)
class ProviderSnapshot:
    """All provider validators plus the provider parameter that bounds the active set."""

    validators: tuple[ProviderValidator, ...]
    max_provider_consensus_validators: int = 180
    blocks_until_next_epoch: int | None = None

    def __post_init__(self) -> None:
        if self.max_provider_consensus_validators <= 0:
            raise SnapshotError(
                "max_provider_consensus_validators: must be > 0, got " f"{self.max_provider_consensus_validators}"
            )
        seen: set[str] = set()
        for validator in self.validators:
            if validator.valcons in seen:
                raise SnapshotError(f"validator {validator.valcons} is listed twice")
            seen.add(validator.valcons)
            if validator.power < 0 or validator.tokens < 0:
                raise SnapshotError(f"validator {validator.operator}: power and tokens must be >= 0")

    @cached_property
    def by_valcons(self) -> dict[str, ProviderValidator]:
        return {v.valcons: v for v in self.validators}

    @cached_property
    def by_address(self) -> dict[bytes, ProviderValidator]:
        """Consensus-address bytes -> validator: the keeper compares list entries by bytes, not by string."""
        index: dict[bytes, ProviderValidator] = {}
        for v in self.validators:
            try:
                index[address_bytes(v.valcons)] = v
            except AddressError as error:
                raise SnapshotError(f"validator {v.operator}: consensus address: {error}") from None
        return index

    @cached_property
    def bonded_by_power(self) -> tuple[ProviderValidator, ...]:
        """Bonded, unjailed validators in staking's power-index order (power desc, then operator bytes asc).

        That is the order of ``GetBondedValidatorsByPower`` which feeds every keeper computation.
        """

        def operator_key(v: ProviderValidator) -> tuple[int, bytes]:
            try:
                return (-v.power, address_bytes(v.operator))
            except AddressError as error:
                # only the order among equal powers depends on it; keep going, but say so
                log.warning("validator %s: operator address %s; ordering ties by its text", v.valcons, error)
                return (-v.power, v.operator.encode())

        return tuple(sorted((v for v in self.validators if v.bonded and not v.jailed), key=operator_key))

    @cached_property
    def active(self) -> tuple[ProviderValidator, ...]:
        """The provider's consensus validators: the first ``max_provider_consensus_validators`` bonded ones."""
        return self.bonded_by_power[: self.max_provider_consensus_validators]

    def resolve(self, addresses: Iterable[str]) -> tuple[set[str], list[str]]:
        """Map consensus addresses to known validators' valcons strings; return (found, unknown)."""
        found: set[str] = set()
        unknown: list[str] = []
        for address in addresses:
            if address in self.by_valcons:
                found.add(address)
                continue
            try:
                validator = self.by_address.get(address_bytes(address))
            except AddressError:
                validator = None
            if validator is None:
                unknown.append(address)
            else:
                found.add(validator.valcons)
        return found, unknown
