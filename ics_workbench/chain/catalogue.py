"""The chain catalogue shipped inside the package: every Cosmos SDK chain of the cosmos chain registry (mainnets
and testnets), with the ICS provider and consumer chains marked and first. Built at BUILD time from the pinned
`chain-registry` npm package (packaging/catalogue/build_catalogue.py); nothing is downloaded at run time.

A catalogue entry only pre-fills a connection profile (endpoints, prefixes, fee denom and gas price): the user can
edit every field, and `connect` later records what the node really is. The registry's texts are third-party data:
callers show them as plain text.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any, Literal

from ics_workbench.chain.profiles import ConnectionProfile, ProfileError
from ics_workbench.untrusted_text import visible

_RESOURCE = ("ics_workbench.chain", "data/chain_catalogue.json")


@dataclass(frozen=True)
class CatalogueEntry:
    name: str
    pretty_name: str
    chain_id: str
    network: str
    ics: str | None  # "provider", "consumer" or None
    provider: str | None  # consumers: the catalogue name of their provider
    data: dict[str, Any]

    def label(self) -> str:
        """"Cosmos Hub (cosmoshub-4, mainnet, ICS provider)" for pickers; registry text is third-party data, so
        control, bidi and zero-width characters are made visible (untrusted_text)."""
        role = f", ICS {self.ics}" if self.ics else ""
        return visible(f"{self.pretty_name} ({self.chain_id}, {self.network or 'unknown network'}{role})")



@functools.cache
def _load() -> tuple[str, tuple[CatalogueEntry, ...]]:
    text = resources.files(_RESOURCE[0]).joinpath(_RESOURCE[1]).read_text(encoding="utf-8")
    doc = json.loads(text)
    if doc.get("format") != "ics-workbench/chain-catalogue" or doc.get("version") != 1:
        raise ProfileError("the shipped chain catalogue has an unknown format; reinstall ics-workbench")
    entries = tuple(CatalogueEntry(c["name"], c["pretty_name"], c["chain_id"], c["network"], c["ics"], c["provider"], c)
                    for c in doc["chains"])
    return str(doc.get("source", "")), entries


def source() -> str:
    """Where the shipped catalogue came from ("chain-registry@2.0.251 (npm)")."""
    return _load()[0]


def entries(*, ics_only: bool = False) -> tuple[CatalogueEntry, ...]:
    """All entries, ICS chains first (mainnets, then testnets), then every other chain by name."""
    all_entries = _load()[1]
    return tuple(e for e in all_entries if e.ics) if ics_only else all_entries


def find(name: str) -> CatalogueEntry:
    """An entry by registry name ("cosmoshub") or chain id ("cosmoshub-4"), case-insensitive."""
    wanted = name.strip().lower()
    for entry in _load()[1]:
        if wanted in (entry.name.lower(), entry.chain_id.lower()):
            return entry
    close = [e.name for e in _load()[1] if wanted and wanted in e.name.lower()][:5]
    hint = f"; did you mean {', '.join(close)}?" if close else "; 'profiles catalogue' lists them"
    raise ProfileError(f"{name!r} is not in the chain catalogue{hint}")


def _fee(entry: CatalogueEntry) -> tuple[str, Decimal]:
    tokens = entry.data.get("fee_tokens") or []
    staking = set(entry.data.get("staking_denoms") or [])
    token = next((t for t in tokens if t["denom"] in staking), tokens[0] if tokens else None)
    if token is None:
        denoms = entry.data.get("staking_denoms") or []
        if not denoms:
            raise ProfileError(f"{entry.name}: the catalogue lists no fee or staking denom")
        return denoms[0], Decimal("0")
    for key in ("average_gas_price", "low_gas_price", "fixed_min_gas_price"):
        if key in token:
            try:
                return token["denom"], Decimal(token[key])
            except InvalidOperation:
                continue
    return token["denom"], Decimal("0")


def profile_fields(entry: CatalogueEntry) -> dict[str, Any]:
    """The profile fields an entry fills (for the GUI form, which the user then edits)."""
    denom, price = _fee(entry)
    data = entry.data
    return {
        "name": entry.pretty_name if entry.network == "mainnet" else f"{entry.pretty_name} {entry.chain_id}",
        "chain_id": entry.chain_id,
        "role": "consumer" if entry.ics == "consumer" else "provider",
        "rpc": [{"url": e["url"], "archive": e["archive"]} for e in data.get("rpc") or []],
        "rest": [{"url": e["url"], "archive": e["archive"]} for e in data.get("rest") or []],
        "account_prefix": data["bech32_prefix"],
        "valoper_prefix": data.get("valoper_prefix") or "",
        "valcons_prefix": data.get("valcons_prefix") or "",
        "fee_denom": denom,
        "gas_prices": price,
    }


def profile_from_catalogue(name: str, *, profile_name: str | None = None,
                           role: Literal["provider", "consumer"] | None = None,
                           overrides: dict[str, Any] | None = None) -> ConnectionProfile:
    """A connection profile from a catalogue entry, with the user's changes applied on top."""
    entry = find(name)
    fields = profile_fields(entry)
    if profile_name:
        fields["name"] = profile_name
    if role:
        fields["role"] = role
    fields.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return ConnectionProfile.parse(fields, what=f"profile from the catalogue entry {entry.name}")
