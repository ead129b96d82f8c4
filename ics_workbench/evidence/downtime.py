"""Downtime: how close each validator is to being jailed for missing blocks, on the provider and on a
consumer, and which recent blocks it missed.

Each chain's own x/slashing module counts missed blocks per *its* consensus address, so on a consumer the
rows are keyed by consumer keys and mapped back to provider validators through key assignment (no
assignment: the same key bytes, possibly under another bech32 prefix — hence matching on raw bytes). The
jailing rule is x/slashing's: jailed once ``missed > window - round(min_signed_per_window * window)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import partial
from typing import Any

from ics_workbench.addresses import AddressError, address_bytes
from ics_workbench.chain.http import JsonHttp
from ics_workbench.chain.models import KeyAssignment, SigningInfo, SlashingParams, Validator
from ics_workbench.evidence.rpc import commit_at, validators_at
from ics_workbench.tasks import NO_JOB, Job, run_bounded

CLOSE_FRACTION = Decimal("0.8")
"""A validator that has used this share of its allowed misses is flagged as close to jailing."""


def max_missed(params: SlashingParams) -> int:
    """Misses allowed in one window (LegacyDec ``RoundInt64`` rounds half to even)."""
    window = params.signed_blocks_window
    min_signed = (params.min_signed_per_window * window).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    return window - int(min_signed)


@dataclass(frozen=True)
class DowntimeRow:
    chain: str
    address: str
    """the signing address on that chain (valcons bech32)"""
    provider_address: str
    moniker: str
    missed: int
    allowed: int
    jailed_until: datetime | None
    tombstoned: bool
    jailed: bool
    """jailed in the PROVIDER's staking module (the validator that row maps to)"""
    provider_tombstoned: bool = False
    """tombstoned per the provider's x/slashing: a consumer row joins it, since a consumer's own signing info
    never learns of a tombstoning on the provider"""
    provider_jailed_until: datetime | None = None

    @property
    def remaining(self) -> int:
        return self.allowed - self.missed

    def is_tombstoned(self) -> bool:
        return self.tombstoned or self.provider_tombstoned

    def is_jailed(self, now: datetime | None = None) -> bool:
        """Jailed on the provider (staking, or x/slashing while ``jailed_until`` lies ahead: the staking answer
        can lag) or, on a consumer, by its own x/slashing."""
        now = now or datetime.now(UTC)
        return self.jailed or any(t is not None and t > now for t in (self.jailed_until, self.provider_jailed_until))

    def state(self, now: datetime | None = None) -> str:
        """"tombstoned", "jailed", "close to jail" or "ok": the worst of the chain's and the provider's view."""
        if self.is_tombstoned():
            return "tombstoned"
        if self.is_jailed(now):
            return "jailed"
        return "close to jail" if self.close_to_jail else "ok"

    @property
    def close_to_jail(self) -> bool:
        return self.allowed > 0 and Decimal(self.missed) >= CLOSE_FRACTION * self.allowed

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["jailed_until"] = self.jailed_until.isoformat() if self.jailed_until else None
        data["provider_jailed_until"] = self.provider_jailed_until.isoformat() if self.provider_jailed_until else None
        data["state"] = self.state()
        data["remaining"] = self.remaining
        data["close_to_jail"] = self.close_to_jail
        return data


def _raw(address: str) -> bytes | None:
    try:
        return address_bytes(address)
    except AddressError:
        return None


def downtime_rows(
    chain: str,
    infos: Iterable[SigningInfo],
    params: SlashingParams,
    provider_validators: Sequence[Validator],
    assignments: Sequence[KeyAssignment] = (),
    provider_infos: Iterable[SigningInfo] = (),
) -> list[DowntimeRow]:
    """Rows sorted most-at-risk first; ``assignments`` maps consumer keys to provider validators, whose
    provider signing infos (``provider_infos``) add the provider's tombstone and jail-until to each row."""
    allowed = max_missed(params)
    by_raw = {_raw(v.consensus_address): v for v in provider_validators if v.consensus_address}
    provider_info = {_raw(i.address): i for i in provider_infos}
    consumer_to_provider = {_raw(a.consumer_address): _raw(a.provider_address) for a in assignments}
    rows = []
    for info in infos:
        raw = _raw(info.address)
        provider_raw = consumer_to_provider.get(raw, raw)
        validator = by_raw.get(provider_raw)
        on_provider = provider_info.get(provider_raw)
        rows.append(
            DowntimeRow(
                chain=chain,
                address=info.address,
                provider_address=(validator.consensus_address or "") if validator else "",
                moniker=validator.moniker if validator else "",
                missed=info.missed_blocks_counter,
                allowed=allowed,
                jailed_until=info.jailed_until,
                tombstoned=info.tombstoned,
                jailed=validator.jailed if validator else False,
                provider_tombstoned=on_provider.tombstoned if on_provider else False,
                provider_jailed_until=on_provider.jailed_until if on_provider else None,
            )
        )
    return sorted(rows, key=lambda r: (r.remaining, r.address))


@dataclass(frozen=True)
class MissedBlocks:
    """Per recent height, which validator addresses (upper hex) signed its commit."""

    heights: tuple[int, ...]
    signed: Mapping[str, tuple[bool, ...]]

    def missed_heights(self, address_hex: str) -> list[int]:
        flags = self.signed.get(address_hex.upper(), (False,) * len(self.heights))
        return [h for h, ok in zip(self.heights, flags, strict=True) if not ok]


def missed_blocks(
    http: JsonHttp,
    heights: Sequence[int],
    *,
    expected: Iterable[str] | None = None,
    job: Job = NO_JOB,
    max_workers: int = 8,
) -> MissedBlocks:
    """Commit signatures for ``heights`` (concurrent, cancellable): flag 2 (COMMIT) counts as signed.

    A validator absent from a commit (flag 1) or voting nil (flag 3) is counted as missing that block, as
    x/slashing does. An absent signature carries no address, so a validator that is down for the whole
    range only shows up through ``expected`` (hex addresses; default: the validator set at the last height).
    """
    if expected is None:
        expected = [v.address.hex().upper() for v in validators_at(http, heights[-1], job=job)]
    commits = run_bounded([partial(commit_at, http, h, job=job) for h in heights], max_workers=max_workers, job=job)
    per_height: list[dict[str, bool]] = []
    addresses: set[str] = {a.upper() for a in expected}
    for commit in commits:
        signatures = ((commit.get("signed_header") or {}).get("commit") or {}).get("signatures") or []
        seen = {}
        for sig in signatures:
            if not isinstance(sig, dict):
                continue
            address = str(sig.get("validator_address") or "").upper()
            if address:
                seen[address] = int(sig.get("block_id_flag", 0)) == 2
                addresses.add(address)
        per_height.append(seen)
    signed = {a: tuple(h.get(a, False) for h in per_height) for a in sorted(addresses)}
    return MissedBlocks(tuple(heights), signed)
