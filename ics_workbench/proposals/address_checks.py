"""Which kind of address a string is, so a wrong one in a proposal gets a message that says what to use."""

from __future__ import annotations

from ics_workbench.addresses import ADDRESS_LENGTHS, AddressError, decode_address

MAX_ADDRESS_BYTES = 255
"""``sdk.VerifyAddressFormat``: longer address payloads are refused"""


def describe_wrong_consensus_address(address: str, account_prefix: str) -> str | None:
    """None when ``address`` is a valid consensus address of this provider, else what is wrong with it."""
    valcons = account_prefix + "valcons"
    try:
        hrp, payload = decode_address(address, lengths=None)
    except AddressError:
        return f"not a valid bech32 address; expected a consensus address {valcons}1..."
    if hrp == valcons:
        if len(payload) > MAX_ADDRESS_BYTES:
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
    try:
        decode_address(address, account_prefix, lengths=ADDRESS_LENGTHS)
    except AddressError:
        return False
    return True
