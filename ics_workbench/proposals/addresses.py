"""bech32 helpers: which kind of address a string is, so a wrong one gets a message that says what to use."""

from __future__ import annotations

import hashlib

import bech32


def decode(address: str) -> tuple[str, bytes] | None:
    """``(hrp, payload)`` or None when the text is not valid bech32."""
    if not isinstance(address, str) or address != address.strip() or not address:
        return None
    hrp, data = bech32.bech32_decode(address)
    if hrp is None or data is None:
        return None
    payload = bech32.convertbits(data, 5, 8, False)
    if payload is None or not payload:
        return None
    return hrp, bytes(payload)


def encode(hrp: str, payload: bytes) -> str:
    words = bech32.convertbits(payload, 8, 5)
    assert words is not None
    return bech32.bech32_encode(hrp, words)


def module_address(module: str, account_prefix: str) -> str:
    """SDK ``authtypes.NewModuleAddress(name)``: the first 20 bytes of sha256(name)."""
    return encode(account_prefix, hashlib.sha256(module.encode()).digest()[:20])


def gov_module_address(account_prefix: str = "cosmos") -> str:
    return module_address("gov", account_prefix)


def describe_wrong_consensus_address(address: str, account_prefix: str) -> str | None:
    """None when ``address`` is a valid consensus address of this provider, else what is wrong with it."""
    valcons = account_prefix + "valcons"
    decoded = decode(address)
    if decoded is None:
        return f"not a valid bech32 address; expected a consensus address {valcons}1..."
    hrp, payload = decoded
    if hrp == valcons:
        if len(payload) > 255:
            return "address too long"
        return None
    if hrp == account_prefix + "valoper":
        return (
            f"this is a validator operator address ({hrp}1...); the lists take the validator's CONSENSUS address "
            f"({valcons}1..., e.g. from `gaiad tendermint show-address` on the validator or the validator's page)"
        )
    if hrp == account_prefix:
        return f"this is an account address ({hrp}1...); use the validator's consensus address ({valcons}1...)"
    if hrp.endswith("valcons"):
        return f"consensus address of another chain (prefix {hrp}); the provider expects {valcons}1... addresses"
    return f"wrong bech32 prefix {hrp!r}; expected a consensus address {valcons}1..."


def is_account_address(address: str, account_prefix: str) -> bool:
    decoded = decode(address)
    return decoded is not None and decoded[0] == account_prefix and len(decoded[1]) in (20, 32)
