"""secp256k1 signatures as the Cosmos SDK checks them: SHA-256, RFC 6979 deterministic nonce, low-S, 64-byte r||s.

Why deterministic: a random nonce from a weak RNG leaks the key, and deterministic signatures make our output
byte-comparable with cosmjs for the same key and document (tests/js). Why low-S: the SDK rejects a signature whose
s is above n/2 (malleability rule in `secp256k1.VerifySignature`).

`Signer` is the seam to the keys engineer's keyring-backed keys; `PrivateKeySigner` holds a key in memory (devnet
and tests) and never shows it in repr/str.
"""

from __future__ import annotations

import hashlib
from typing import NoReturn, Protocol, runtime_checkable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from ics_workbench.errors import WorkbenchError

CURVE_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_HALF_ORDER = CURVE_ORDER // 2


@runtime_checkable
class Signer(Protocol):
    """Anything that can sign Cosmos sign bytes with a secp256k1 key."""

    def public_key(self) -> bytes:
        """33-byte compressed public key."""
        ...

    def sign(self, sign_bytes: bytes) -> bytes:
        """64-byte r||s low-S signature over SHA-256(sign_bytes)."""
        ...


def _private_key_object(private_key: bytes) -> ec.EllipticCurvePrivateKey:
    if len(private_key) != 32:
        raise WorkbenchError(f"a secp256k1 private key is 32 bytes, got {len(private_key)}")
    value = int.from_bytes(private_key, "big")
    if not 0 < value < CURVE_ORDER:
        raise WorkbenchError("the private key is outside the secp256k1 range (0 < key < curve order)")
    return ec.derive_private_key(value, ec.SECP256K1())


def sign_secp256k1(private_key: bytes, message: bytes) -> bytes:
    """Deterministic (RFC 6979) low-S signature over SHA-256(message), as 64 bytes r||s."""
    key = _private_key_object(private_key)
    der = key.sign(message, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    if s > _HALF_ORDER:
        s = CURVE_ORDER - s
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def public_key_of(private_key: bytes) -> bytes:
    """33-byte compressed public key of a 32-byte private key."""
    return _private_key_object(private_key).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


def verify_secp256k1(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """True when `signature` (64-byte r||s, low-S as the SDK requires) signs SHA-256(message) for `public_key`."""
    if len(signature) != 64:
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (0 < r < CURVE_ORDER and 0 < s <= _HALF_ORDER):
        return False
    try:
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256K1(), public_key)
        key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True


class PrivateKeySigner:
    """In-memory key (devnet accounts, tests). The key bytes are never part of repr/str."""

    __slots__ = ("_key", "_public")

    def __init__(self, private_key: bytes) -> None:
        _private_key_object(private_key)
        self._key = bytes(private_key)
        self._public = public_key_of(private_key)

    def __repr__(self) -> str:
        return f"PrivateKeySigner(public_key={self._public.hex()})"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("PrivateKeySigner holds a secret and cannot be pickled")

    def public_key(self) -> bytes:
        return self._public

    def sign(self, sign_bytes: bytes) -> bytes:
        return sign_secp256k1(self._key, sign_bytes)


def sign_bytes_digest(sign_bytes: bytes) -> str:
    """Hex SHA-256 of sign bytes: the value both machines of an offline round trip display and compare."""
    return hashlib.sha256(sign_bytes).hexdigest()
