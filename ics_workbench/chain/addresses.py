"""Consensus addresses: the same validator key appears as base64 (REST), hex (blocks, evidence) and valcons
bech32 (provider queries), so the overview and key-assignment views convert between them here.
"""

from __future__ import annotations

import hashlib

import bech32

ED25519_TYPES = ("/cosmos.crypto.ed25519.PubKey", "tendermint/PubKeyEd25519", "ed25519")
SECP256K1_TYPES = ("/cosmos.crypto.secp256k1.PubKey", "tendermint/PubKeySecp256k1", "secp256k1")


def consensus_address(key_type: str, key: bytes) -> bytes | None:
    """CometBFT address of a consensus key (first 20 bytes of SHA-256 for ed25519); None if unknown type."""
    if key_type in ED25519_TYPES:
        return hashlib.sha256(key).digest()[:20]
    if key_type in SECP256K1_TYPES:
        return hashlib.new("ripemd160", hashlib.sha256(key).digest()).digest()
    return None


def to_bech32(prefix: str, data: bytes) -> str:
    words = bech32.convertbits(data, 8, 5)
    if words is None:  # pragma: no cover - convertbits only fails on out-of-range input
        raise ValueError("cannot convert address bytes")
    return bech32.bech32_encode(prefix, words)


def from_bech32(address: str) -> tuple[str, bytes]:
    """(prefix, bytes); raises ValueError naming the address when it is not valid bech32."""
    hrp, words = bech32.bech32_decode(address)
    if hrp is None or words is None:
        raise ValueError(f"not a valid bech32 address: {address!r}")
    data = bech32.convertbits(words, 5, 8, False)
    if data is None:
        raise ValueError(f"not a valid bech32 address: {address!r}")
    return hrp, bytes(data)


def hex_to_valcons(hex_address: str, prefix: str) -> str:
    return to_bech32(prefix, bytes.fromhex(hex_address))


def valcons_to_hex(address: str) -> str:
    return from_bech32(address)[1].hex().upper()
