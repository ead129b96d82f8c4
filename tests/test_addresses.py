"""The one address module: what every panel relies on when it shows, compares or checks an address."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cosmpy.crypto.address import Address
from cosmpy.crypto.keypairs import PrivateKey
from hypothesis import given, strategies as st

from ics_workbench.addresses import (
    AddressError,
    PrefixError,
    address_bytes,
    address_bytes_from_public_key,
    bech32_to_hex,
    consensus_address,
    convert_address,
    decode_address,
    ed25519_public_key,
    encode_address,
    hex_to_bech32,
    module_address,
    prefix_of,
    validate_prefix,
)
from ics_workbench.errors import WorkbenchError

RAW = bytes(range(20))
VALCONS = encode_address(RAW, "cosmosvalcons")


@given(raw=st.binary(min_size=20, max_size=20) | st.binary(min_size=32, max_size=32),
       prefix=st.sampled_from(["cosmos", "cosmosvalcons", "neutron", "stride1x"]))
def test_encode_decode_round_trip(raw: bytes, prefix: str) -> None:
    address = encode_address(raw, prefix)
    assert decode_address(address, prefix) == (prefix, raw)
    assert prefix_of(address) == prefix and address_bytes(address) == raw


def test_account_address_matches_an_independent_implementation() -> None:
    key = PrivateKey(bytes(range(1, 33)))
    public = key.public_key.public_key_bytes
    assert encode_address(address_bytes_from_public_key(public), "cosmos") == str(Address(key.public_key, "cosmos"))
    with pytest.raises(AddressError, match="33-byte compressed secp256k1 public key, got 32 bytes"):
        address_bytes_from_public_key(public[1:])


def test_consensus_address_follows_cometbft_per_key_type() -> None:
    ed_key = bytes(range(32))
    assert consensus_address("/cosmos.crypto.ed25519.PubKey", ed_key) == hashlib.sha256(ed_key).digest()[:20]
    secp = PrivateKey(bytes(range(2, 34))).public_key.public_key_bytes
    assert consensus_address("tendermint/PubKeySecp256k1", secp) == address_bytes_from_public_key(secp)
    assert consensus_address("/cosmos.crypto.bls12_381.PubKey", ed_key) is None


def test_hex_and_bech32_are_the_same_bytes() -> None:
    assert bech32_to_hex(VALCONS) == RAW.hex().upper()
    assert hex_to_bech32(RAW.hex().upper(), "cosmosvalcons") == VALCONS == hex_to_bech32(RAW.hex(), "cosmosvalcons")
    assert convert_address(VALCONS, "neutronvalcons") == encode_address(RAW, "neutronvalcons")
    with pytest.raises(AddressError, match="'zz' is not hexadecimal"):
        hex_to_bech32("zz", "cosmosvalcons")
    with pytest.raises(AddressError, match="holds 3 bytes; expected 20 or 32"):
        hex_to_bech32("0a0b0c", "cosmosvalcons")


def test_decode_errors_name_the_address_and_the_rule() -> None:
    broken = VALCONS[:-1] + ("q" if VALCONS[-1] != "q" else "p")
    with pytest.raises(AddressError, match=f"'{broken}' is not a valid bech32 address"):
        decode_address(broken)
    with pytest.raises(AddressError, match="empty address"):
        decode_address("")
    with pytest.raises(AddressError, match="has spaces around it"):
        decode_address(f" {VALCONS}")  # the chain refuses it too: a list entry with a space never matches
    with pytest.raises(PrefixError, match="has prefix 'cosmosvalcons', but this chain uses 'cosmos'"):
        decode_address(VALCONS, "cosmos")
    short = encode_address(b"\x01" * 5, "cosmos")
    with pytest.raises(AddressError, match=f"address '{short}' holds 5 bytes; expected 20 or 32"):
        decode_address(short)
    assert decode_address(short, lengths=None) == ("cosmos", b"\x01" * 5)
    assert issubclass(PrefixError, AddressError) and issubclass(AddressError, WorkbenchError)


@pytest.mark.parametrize("bad", ["Cosmos", "1cosmos", "", "cos mos", "a" * 41])
def test_prefix_rules(bad: str) -> None:
    with pytest.raises(PrefixError, match=f"invalid bech32 prefix {bad!r}"):
        validate_prefix(bad)
    with pytest.raises(PrefixError):
        encode_address(RAW, bad)


def test_ed25519_public_key_from_base64() -> None:
    key = bytes(range(32))
    assert ed25519_public_key(base64.b64encode(key).decode()) == key
    with pytest.raises(AddressError, match="'not base64!' is not base64"):
        ed25519_public_key("not base64!")
    with pytest.raises(AddressError, match="holds 31 bytes; expected 32"):
        ed25519_public_key(base64.b64encode(key[:31]).decode())


def test_module_address_is_the_sdk_one() -> None:
    # the gov module account every Cosmos SDK chain shows in `q auth module-account gov`
    assert module_address("gov", "cosmos") == "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn"
