"""Bech32 addresses and the key hashes behind them: the one place that encodes, decodes and derives them.

The same 20 bytes show up as an account (``cosmos1…``), operator (``cosmosvaloper1…``) or consensus
(``cosmosvalcons1…``) address, as upper-case hex in blocks and evidence, and under every consumer chain's
prefix; the keeper compares raw bytes, so callers reduce addresses to bytes here and compare those.

Decoding is as strict as the chain's (``sdk.GetFromBech32``): no surrounding whitespace, no mixed case.
User-facing inputs strip their text before calling in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Collection

import bech32

from ics_workbench.errors import WorkbenchError

ADDRESS_LENGTHS = (20, 32)
"""20 bytes for keys and module accounts, 32 for ADR-028 derived accounts (ICA, wasm contracts)"""

ED25519_TYPES = ("/cosmos.crypto.ed25519.PubKey", "tendermint/PubKeyEd25519", "ed25519")
SECP256K1_TYPES = ("/cosmos.crypto.secp256k1.PubKey", "tendermint/PubKeySecp256k1", "secp256k1")

_PREFIX = re.compile(r"^[a-z][a-z0-9]{0,39}$")


class AddressError(WorkbenchError):
    """A string is not the bech32 address, hex address or base64 key it should be."""


class PrefixError(AddressError):
    """A bech32 human-readable prefix is malformed or is not the one expected."""


def validate_prefix(prefix: str) -> str:
    """Check a bech32 prefix (``cosmos``, ``neutronvalcons``...): lower-case letters then letters/digits."""
    if not isinstance(prefix, str) or not _PREFIX.match(prefix):
        raise PrefixError(
            f"invalid bech32 prefix {prefix!r}: use lower-case letters and digits, starting with a letter "
            "(e.g. cosmos, neutron), at most 40 characters"
        )
    return prefix


def encode_address(raw: bytes, prefix: str) -> str:
    """The bech32 form of address bytes under ``prefix`` (checked with :func:`validate_prefix`)."""
    validate_prefix(prefix)
    words = bech32.convertbits(list(raw), 8, 5)
    if words is None:  # pragma: no cover - only fails on values outside 0..255, which bytes cannot hold
        raise AddressError(f"cannot convert {len(raw)} address bytes to bech32")
    return bech32.bech32_encode(prefix, words)


def decode_address(
    address: str,
    expected_prefix: str | None = None,
    *,
    lengths: Collection[int] | None = ADDRESS_LENGTHS,
) -> tuple[str, bytes]:
    """``(prefix, bytes)`` of a bech32 address.

    Refuses (with the rule broken and the value) text that is not bech32, a prefix other than
    ``expected_prefix`` (:class:`PrefixError`), and a payload whose length is not in ``lengths``
    (``None``: any non-empty length).
    """
    if not isinstance(address, str) or not address:
        raise AddressError(f"empty address {address!r}")
    if address != address.strip():
        raise AddressError(f"address {address!r} has spaces around it; a bech32 address is one word")
    prefix, words = bech32.bech32_decode(address)
    if prefix is None or words is None:
        raise AddressError(f"{address!r} is not a valid bech32 address (bad characters, mixed case or checksum)")
    data = bech32.convertbits(words, 5, 8, False)
    if data is None:
        raise AddressError(f"{address!r} is not a valid bech32 address (invalid padding of its data)")
    if expected_prefix is not None and prefix != expected_prefix:
        raise PrefixError(f"address {address!r} has prefix {prefix!r}, but this chain uses {expected_prefix!r}")
    if not data or (lengths is not None and len(data) not in lengths):
        allowed = " or ".join(str(n) for n in sorted(lengths)) if lengths else "at least 1"
        raise AddressError(f"address {address!r} holds {len(data)} bytes; expected {allowed}")
    return prefix, bytes(data)


def address_bytes(address: str, expected_prefix: str | None = None) -> bytes:
    """The raw 20/32 bytes of a bech32 address: what the keeper compares (the prefix does not matter)."""
    return decode_address(address, expected_prefix)[1]


def prefix_of(address: str) -> str:
    """The human-readable part of a bech32 address (e.g. ``cosmosvalcons``)."""
    return decode_address(address, lengths=None)[0]


def convert_address(address: str, prefix: str) -> str:
    """The same account (or validator key) under another prefix."""
    return encode_address(address_bytes(address), prefix)


def hex_to_bech32(hex_address: str, prefix: str) -> str:
    """Hex as blocks and evidence carry it (any case) -> bech32 under ``prefix``."""
    try:
        raw = bytes.fromhex(hex_address)
    except ValueError:
        raise AddressError(f"address {hex_address!r} is not hexadecimal") from None
    if len(raw) not in ADDRESS_LENGTHS:
        raise AddressError(f"hex address {hex_address!r} holds {len(raw)} bytes; expected 20 or 32")
    return encode_address(raw, prefix)


def bech32_to_hex(address: str) -> str:
    """Upper-case hex, as CometBFT prints addresses in blocks and evidence."""
    return address_bytes(address).hex().upper()


def ed25519_public_key(b64: str) -> bytes:
    """Decode a base64 ed25519 public key (the form REST and CometBFT RPC give)."""
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise AddressError(f"ed25519 public key {b64!r} is not base64") from None
    if len(raw) != 32:
        raise AddressError(f"ed25519 public key {b64!r} holds {len(raw)} bytes; expected 32")
    return raw


def _ripemd160(data: bytes) -> bytes:
    try:
        return hashlib.new("ripemd160", data).digest()
    except ValueError:  # OpenSSL 3 builds without the legacy provider
        from Crypto.Hash import RIPEMD160

        return RIPEMD160.new(data).digest()


def address_bytes_from_public_key(public_key: bytes) -> bytes:
    """Account (and secp256k1 consensus) address bytes: RIPEMD160(SHA256(33-byte compressed pubkey))."""
    if len(public_key) != 33 or public_key[0] not in (2, 3):
        raise AddressError(f"expected a 33-byte compressed secp256k1 public key, got {len(public_key)} bytes")
    return _ripemd160(hashlib.sha256(public_key).digest())


def consensus_address(key_type: str, key: bytes) -> bytes | None:
    """CometBFT address of a consensus key (``crypto.PubKey.Address()``); None for a key type it cannot know.

    ed25519: the first 20 bytes of SHA-256 of the 32-byte key; secp256k1: RIPEMD160(SHA256(key)).
    """
    if key_type in ED25519_TYPES:
        return hashlib.sha256(key).digest()[:20]
    if key_type in SECP256K1_TYPES:
        return _ripemd160(hashlib.sha256(key).digest())
    return None


def module_address(module: str, prefix: str) -> str:
    """SDK ``authtypes.NewModuleAddress(name)``: the first 20 bytes of SHA-256 of the module name."""
    return encode_address(hashlib.sha256(module.encode()).digest()[:20], prefix)
