"""Which kind of address a string is, so a wrong one in a proposal gets a message that says what to use.

Acceptance follows the SDK's own bech32 decoding (:mod:`ics_workbench.proposals.gosem`): any payload of 1..255
bytes (10-byte addresses included), up to 1023 characters, all-lower or all-upper case.
"""

from __future__ import annotations

from ics_workbench.proposals import gosem

MAX_ADDRESS_BYTES = 255
"""``sdk.VerifyAddressFormat``: longer address payloads are refused"""


def describe_wrong_consensus_address(address: str, account_prefix: str) -> str | None:
    """None when ``address`` is a valid consensus address of this provider, else what is wrong with it."""
    valcons = account_prefix + "valcons"
    if gosem.is_blank(address):
        return f"empty address; expected a consensus address {valcons}1..."
    try:
        hrp, payload = gosem.bech32_decode(address)
    except gosem.Bech32Error as exc:
        return f"not a valid bech32 address ({exc}); expected a consensus address {valcons}1..."
    if hrp == valcons:
        if not payload:
            return "addresses cannot be empty"
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
    return gosem.address_error(address, account_prefix) is None


def is_upper_case_address(address: str) -> bool:
    """An all-upper-case bech32 string decodes fine but is stored verbatim, so it never equals a signer."""
    return address != address.lower()
