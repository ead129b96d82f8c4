"""Provider validators with real bech32 addresses, built from small integers for readable tests."""

from __future__ import annotations

import base64
import hashlib

from ics_workbench.addresses import encode_address
from ics_workbench.validators.models import ProviderValidator

POWER_REDUCTION = 10**6


def pubkey(index: int, salt: str = "provider") -> str:
    return base64.b64encode(hashlib.sha256(f"{salt}-{index}".encode()).digest()).decode()


def valcons_of(pubkey_b64: str, prefix: str = "cosmosvalcons") -> str:
    raw = hashlib.sha256(base64.b64decode(pubkey_b64)).digest()[:20]
    return encode_address(raw, prefix)


def validator(index: int, power: int, *, tokens: int | None = None, **extra: object) -> ProviderValidator:
    """Validator ``index``: its operator address bytes are all ``index``, so operator order = index order."""
    key = pubkey(index)
    return ProviderValidator(
        operator=encode_address(bytes([index]) * 20, "cosmosvaloper"),
        valcons=valcons_of(key),
        power=power,
        tokens=power * POWER_REDUCTION if tokens is None else tokens,
        moniker=f"val{index}",
        consensus_pubkey=key,
        **extra,  # type: ignore[arg-type]
    )


def validators(*powers: int) -> tuple[ProviderValidator, ...]:
    return tuple(validator(i, p) for i, p in enumerate(powers))
