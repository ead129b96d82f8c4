"""Connection profiles: which chain, which endpoints (in failover order), prefixes and fees.

Profiles persist as one JSON file in the user's config dir, written atomically. A file that cannot be read is
reported and left alone: silently replacing it would lose every profile the user typed in.
"""

from __future__ import annotations

import re
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ics_workbench import paths
from ics_workbench.chain.detect import Capabilities
from ics_workbench.errors import WorkbenchError
from ics_workbench.fileio import InputFileError, locked, read_json_input, write_json_atomic
from ics_workbench.foundation.coins import valid_denom

PROFILES_FILE = "profiles.json"
FILE_VERSION = 1
_CHAIN_ID = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,48}$")
_PREFIX = re.compile(r"^[a-z][a-z0-9]{0,82}$")
_NAME = re.compile(r"^[^\x00-\x1f/\\]{1,64}$")


class ProfileError(WorkbenchError):
    """A profile, the profile file or an imported chain.json is invalid; the message says where and why."""


def validation_message(error: ValidationError, what: str) -> str:
    """One line per broken field, e.g. ``rpc.0.url: must start with http:// or https:// (got 'foo')``."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or what
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return f"invalid {what}: " + "; ".join(parts)


class EndpointConfig(BaseModel):
    """One RPC or REST base URL; ``archive`` marks a node that answers queries at old heights."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str
    archive: bool = False

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"must start with http:// or https:// (got {value!r})")
        if not parts.hostname:
            raise ValueError(f"has no host (got {value!r})")
        try:
            _ = parts.port  # urllib only checks the port range when it is read
        except ValueError:
            raise ValueError(f"has an invalid port (got {value!r})") from None
        if parts.query or parts.fragment:
            raise ValueError(f"must be a base URL without ?query or #fragment (got {value!r})")
        return value.rstrip("/")


class ConnectionProfile(BaseModel):
    """Everything needed to talk to one chain; ``capabilities`` is filled in by :func:`connect`."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    name: str
    chain_id: str
    role: Literal["provider", "consumer"]
    rpc: list[EndpointConfig] = Field(min_length=1)
    rest: list[EndpointConfig] = Field(default_factory=list)
    account_prefix: str = "cosmos"
    valoper_prefix: str = ""
    valcons_prefix: str = ""
    fee_denom: str | None = None
    """None: read from the chain when a fee is priced (node minimum gas prices, else the staking denom)"""
    gas_prices: Decimal | None = None
    """None: the node's minimum gas price for the fee denom (0 when it sets none)"""
    provider_profile: str | None = None
    """consumer profiles: the name of the provider profile it is secured by"""
    consumer_id: str | None = None
    """consumer profiles: the provider's consumer id (v6+) when known"""
    capabilities: Capabilities | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not _NAME.match(value):
            raise ValueError(f"must be 1-64 characters without control characters or slashes (got {value!r})")
        return value

    @field_validator("chain_id")
    @classmethod
    def _chain_id(cls, value: str) -> str:
        if not _CHAIN_ID.match(value):
            raise ValueError(
                f"must be 1-49 letters, digits, '.', '_' or '-', starting with a letter or digit (got {value!r})"
            )
        return value

    @field_validator("account_prefix", "valoper_prefix", "valcons_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if value and not _PREFIX.match(value):
            raise ValueError(f"must be a lower-case bech32 prefix like 'cosmos' (got {value!r})")
        return value

    @field_validator("fee_denom")
    @classmethod
    def _denom(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not valid_denom(value):
            raise ValueError(f"must be a coin denom like 'uatom' or 'ibc/…' (got {value!r})")
        return value

    @field_validator("gas_prices")
    @classmethod
    def _gas(cls, value: Decimal | None) -> Decimal | None:
        if value is None:
            return None
        if not value.is_finite() or value < 0:
            raise ValueError(f"must be a non-negative number (got {value})")
        return value

    @field_validator("consumer_id")
    @classmethod
    def _consumer_id(cls, value: str | None) -> str | None:
        if value is not None and not value.isdigit():
            raise ValueError(f"must be a decimal number like '0' (got {value!r})")
        return value

    @model_validator(mode="after")
    def _derived_prefixes(self) -> ConnectionProfile:
        if not self.valoper_prefix:
            object.__setattr__(self, "valoper_prefix", self.account_prefix + "valoper")
        if not self.valcons_prefix:
            object.__setattr__(self, "valcons_prefix", self.account_prefix + "valcons")
        if self.role == "provider" and (self.provider_profile or self.consumer_id):
            raise ValueError("provider_profile and consumer_id only apply to consumer profiles")
        return self

    @classmethod
    def parse(cls, data: dict[str, Any], what: str = "profile") -> ConnectionProfile:
        """Validate user input, turning pydantic's report into a :class:`ProfileError`."""
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise ProfileError(validation_message(error, what)) from None


class ProfileStore:
    """The saved profiles. Every method re-reads the file so two windows (or the CLI) never clobber each other."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.config_dir() / PROFILES_FILE
        self._lock = threading.Lock()

    def _read(self) -> dict[str, ConnectionProfile]:
        if not self.path.exists() and not self.path.is_symlink():
            return {}
        try:
            data = read_json_input(self.path)
        except InputFileError as error:
            raise ProfileError(
                f"profiles file {error.path} is corrupt ({error.field}: {error.rule}); fix or move it away — it "
                "was not changed"
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
            raise ProfileError(
                f"profiles file {self.path} has no 'profiles' list; fix or move it away — it was not changed"
            )
        profiles: dict[str, ConnectionProfile] = {}
        for index, item in enumerate(data["profiles"]):
            try:
                profile = ConnectionProfile.model_validate(item)
            except ValidationError as error:
                raise ProfileError(
                    f"profiles file {self.path}: " + validation_message(error, f"profile #{index + 1}")
                ) from None
            profiles[profile.name] = profile
        return profiles

    def _write(self, profiles: dict[str, ConnectionProfile]) -> None:
        payload = {
            "version": FILE_VERSION,
            "profiles": [p.model_dump(mode="json") for p in sorted(profiles.values(), key=lambda p: p.name)],
        }
        write_json_atomic(self.path, payload)

    def list(self) -> list[ConnectionProfile]:
        return sorted(self._read().values(), key=lambda p: p.name)

    def get(self, name: str) -> ConnectionProfile:
        profiles = self._read()
        if name not in profiles:
            known = ", ".join(sorted(profiles)) or "none saved"
            raise ProfileError(f"no profile named {name!r} (known: {known})")
        return profiles[name]

    def save(self, profile: ConnectionProfile, *, replace: bool = True) -> None:
        with self._lock, locked(self.path):
            profiles = self._read()
            if not replace and profile.name in profiles:
                raise ProfileError(f"a profile named {profile.name!r} already exists")
            profiles[profile.name] = profile
            self._write(profiles)

    def delete(self, name: str) -> None:
        with self._lock, locked(self.path):
            profiles = self._read()
            if name not in profiles:
                raise ProfileError(f"no profile named {name!r}")
            del profiles[name]
            self._write(profiles)


def import_chain_registry(
    path: Path | str,
    *,
    name: str | None = None,
    role: Literal["provider", "consumer"] | None = None,
) -> ConnectionProfile:
    """Build a profile from a cosmos chain-registry ``chain.json`` (a local file; nothing is downloaded).

    Role defaults to ``consumer`` when the file names a provider (``"provider"`` key or ICS consumer type),
    else ``provider``; the user confirms it, and :func:`connect` records what the node really is.
    """
    path = Path(path)
    try:
        data = read_json_input(path)
    except InputFileError as error:
        raise ProfileError(str(error)) from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a chain.json must be a JSON object")

    def need(key: str) -> Any:
        if key not in data or data[key] in (None, ""):
            raise ProfileError(f"{path}: chain.json has no '{key}'")
        return data[key]

    chain_id = need("chain_id")
    prefix = need("bech32_prefix")
    apis = data.get("apis") or {}
    if not isinstance(apis, dict):
        raise ProfileError(f"{path}: 'apis' must be an object")
    rpc, rest = _registry_endpoints(path, apis, "rpc"), _registry_endpoints(path, apis, "rest")
    if not rpc:
        raise ProfileError(f"{path}: chain.json lists no RPC endpoint under 'apis.rpc'")
    fee_denom, gas_price = _registry_fee(path, data)
    if role is None:
        is_consumer = bool(data.get("provider")) or "consumer" in str(data.get("chain_type", "")).lower()
        role = "consumer" if is_consumer else "provider"
    return ConnectionProfile.parse(
        {
            "name": name or data.get("pretty_name") or data.get("chain_name") or chain_id,
            "chain_id": chain_id,
            "role": role,
            "rpc": rpc,
            "rest": rest,
            "account_prefix": prefix,
            "fee_denom": fee_denom,
            "gas_prices": gas_price,
        },
        what=f"profile from {path.name}",
    )


def _registry_endpoints(path: Path, apis: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """``apis.<kind>`` of a chain.json as profile endpoints; an entry without an address names itself."""
    items = apis.get(kind) or []
    if not isinstance(items, list):
        raise ProfileError(f"{path}: 'apis.{kind}' must be a list")
    result = []
    for index, item in enumerate(items):
        address = item.get("address") if isinstance(item, dict) else None
        if not isinstance(address, str) or not address:
            raise ProfileError(f"{path}: 'apis.{kind}[{index}]' has no 'address'")
        result.append({"url": address, "archive": bool(item.get("archive", False))})
    return result


def _registry_tokens(path: Path, data: dict[str, Any], section: str, key: str) -> list[Any]:
    block = data.get(section) or {}
    items = block.get(key) if isinstance(block, dict) else None
    if items is not None and not isinstance(items, list):
        raise ProfileError(f"{path}: '{section}.{key}' must be a list")
    return items or []


def _registry_fee(path: Path, data: dict[str, Any]) -> tuple[str, Decimal]:
    """(fee denom, gas price): the first fee token that is also a staking token, else the first fee token;
    with no fee tokens, the first staking token at price 0."""
    fee_tokens = _registry_tokens(path, data, "fees", "fee_tokens")
    staking_tokens = _registry_tokens(path, data, "staking", "staking_tokens")
    fee_denom, gas_price = None, Decimal("0")
    if fee_tokens:
        first = fee_tokens[0]
        if not isinstance(first, dict) or not isinstance(first.get("denom"), str) or not first["denom"]:
            raise ProfileError(f"{path}: 'fees.fee_tokens[0]' has no 'denom'")
        fee_denom = first["denom"]
        staking_denoms = {t.get("denom") for t in staking_tokens if isinstance(t, dict)
                          and isinstance(t.get("denom"), str)}
        for token in fee_tokens:
            if isinstance(token, dict) and isinstance(token.get("denom"), str) and token["denom"] in staking_denoms:
                first, fee_denom = token, token["denom"]
                break
        price = first.get("average_gas_price", first.get("low_gas_price", first.get("fixed_min_gas_price", 0)))
        try:
            gas_price = Decimal(str(price))
        except ArithmeticError:
            raise ProfileError(f"{path}: 'average_gas_price' of {fee_denom} is not a number: {price!r}") from None
    elif staking_tokens and isinstance(staking_tokens[0], dict) and isinstance(staking_tokens[0].get("denom"), str):
        fee_denom = staking_tokens[0]["denom"]
    if not fee_denom:
        raise ProfileError(f"{path}: chain.json has no 'fees.fee_tokens' or 'staking.staking_tokens' denom")
    return fee_denom, gas_price
