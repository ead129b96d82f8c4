"""Bech32 consensus addresses and ed25519 keys, reduced to the bytes the keeper actually compares."""

from __future__ import annotations

import base64
import binascii
import hashlib

import bech32

from ics_workbench.errors import WorkbenchError


class AddressError(WorkbenchError):
    """A string is not the bech32 address or base64 key it should be."""


def address_bytes(address: str, *, expected_prefix: str | None = None) -> bytes:
    """The raw bytes of a bech32 address; ``expected_prefix`` (e.g. ``cosmosvalcons``) is enforced if given."""
    if not isinstance(address, str) or not address:
        raise AddressError(f"empty address {address!r}")
    prefix, words = bech32.bech32_decode(address)
    if prefix is None or words is None:
        raise AddressError(f"{address!r} is not a valid bech32 address (bad characters or checksum)")
    data = bech32.convertbits(words, 5, 8, False)
    if data is None:
        raise AddressError(f"{address!r} has invalid bech32 padding")
    if expected_prefix is not None and prefix != expected_prefix:
        raise AddressError(f"{address!r} has prefix {prefix!r}, expected {expected_prefix!r}")
    if len(data) not in (20, 32):
        raise AddressError(f"{address!r} holds {len(data)} bytes, expected 20 (or 32)")
    return bytes(data)


def encode_address(prefix: str, raw: bytes) -> str:
    words = bech32.convertbits(raw, 8, 5, True)
    assert words is not None
    return bech32.bech32_encode(prefix, words)


def prefix_of(address: str) -> str:
    prefix, _ = bech32.bech32_decode(address)
    if prefix is None:
        raise AddressError(f"{address!r} is not a valid bech32 address")
    return prefix


def ed25519_pubkey(b64: str) -> bytes:
    """Decode a base64 ed25519 public key (the form REST and CometBFT RPC give)."""
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise AddressError(f"{b64!r} is not base64") from None
    if len(raw) != 32:
        raise AddressError(f"ed25519 public key must be 32 bytes, got {len(raw)}")
    return raw


def consensus_address(pubkey_b64: str) -> bytes:
    """CometBFT address of an ed25519 key: the first 20 bytes of its SHA-256."""
    return hashlib.sha256(ed25519_pubkey(pubkey_b64)).digest()[:20]
