"""Keystone's Cosmos registry types: `cosmos-sign-request` (CBOR tag 4101) out, `cosmos-signature` (4102) back.

Request map: 1 request id (tag 37 UUID), 2 sign data (the exact bytes to sign: StdSignDoc JSON for amino, SignDoc
protobuf for direct), 3 data type (1 amino, 2 direct), 4 derivation paths (tag 304 crypto-keypath: components
[index, hardened, ...], 2 source fingerprint), 5 addresses, 6 origin. Signature map: 1 request id, 2 signature
(64-byte r||s), 3 public key (33-byte compressed).

The request id is derived from the SHA-256 of the sign bytes, so the app needs no state to match an answer: on
import it recomputes the bytes from the request file and the id must be theirs ("same hash both sides"), then the
signature must verify against those bytes and the request's key before it is attached. The signing file format
(ICSW1 / JSON) stays the app's own - it carries the review and provenance a UR request cannot.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import cbor2

from ics_workbench.errors import WorkbenchError
from ics_workbench.signing import tx as txlib
from ics_workbench.signing.hdpath import DEFAULT_HD_PATH, parse_hd_path
from ics_workbench.signing.offline_file import SigningFile
from ics_workbench.signing.secp256k1 import verify_secp256k1
from ics_workbench.signing.tx import SignMode
from ics_workbench.signing.ur.codec import UR

SIGN_REQUEST = "cosmos-sign-request"
SIGNATURE = "cosmos-signature"
TAG_SIGN_REQUEST, TAG_SIGNATURE, TAG_UUID, TAG_KEYPATH = 4101, 4102, 37, 304
DATA_TYPES = {SignMode.LEGACY_AMINO_JSON: 1, SignMode.DIRECT: 2}
ORIGIN = "ICS Workbench"
_HARDENED = 0x80000000


class KeystoneError(WorkbenchError):
    """A UR request/signature that is malformed or does not belong to this transaction."""


def request_id(sign_bytes: bytes) -> bytes:
    """A version-4-shaped UUID made of the first 16 bytes of SHA-256(sign bytes)."""
    raw = bytearray(hashlib.sha256(sign_bytes).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    return bytes(raw)


def _keypath(hd_path: str, xfp: bytes | None) -> cbor2.CBORTag:
    components: list[Any] = []
    for index in parse_hd_path(hd_path).indices:
        components += [index & ~_HARDENED, bool(index & _HARDENED)]
    keypath: dict[int, Any] = {1: components}
    if xfp is not None:
        keypath[2] = int.from_bytes(xfp, "big")
    return cbor2.CBORTag(TAG_KEYPATH, keypath)


def sign_request(file: SigningFile, *, hd_path: str = DEFAULT_HD_PATH, xfp: str | None = None,
                 origin: str = ORIGIN) -> UR:
    """The `cosmos-sign-request` for a signing file (single signer, or one multisig member's part).

    `xfp` is the device's master key fingerprint (8 hex digits, shown by Keystone when it exports its accounts);
    the device uses it with `hd_path` to find the key."""
    if file.state != "unsigned" and not (file.multisig is not None and file.tx_bytes is None):
        raise KeystoneError(f"this file is {file.state}; only a request still waiting for signatures is exported")
    fingerprint = None
    if xfp is not None:
        try:
            fingerprint = bytes.fromhex(xfp)
        except ValueError:
            fingerprint = b""
        if len(fingerprint) != 4:
            raise KeystoneError(f"master fingerprint {xfp!r} is not 8 hex digits")
    sign_bytes = file.sign_bytes()
    request: dict[int, Any] = {
        1: cbor2.CBORTag(TAG_UUID, request_id(sign_bytes)),
        2: sign_bytes,
        3: DATA_TYPES[file.sign_mode],
        4: [_keypath(hd_path, fingerprint)],
    }
    if file.multisig is None:
        request[5] = [file.address]
    request[6] = origin
    return UR(SIGN_REQUEST, cbor2.dumps(request))


@dataclass(frozen=True)
class SignatureAnswer:
    request_id: bytes
    signature: bytes
    public_key: bytes | None


def _loads(raw: bytes, what: str) -> Any:
    try:
        return cbor2.loads(raw)
    except (cbor2.CBORDecodeError, ValueError, TypeError, RecursionError, OverflowError) as exc:
        raise KeystoneError(f"the {what} is not valid CBOR ({exc.__class__.__name__})") from None


@dataclass(frozen=True)
class ScannedRequest:
    request_id: bytes
    sign_data: bytes
    data_type: int
    paths: tuple[tuple[tuple[int, bool], ...], ...]
    addresses: tuple[str, ...]
    origin: str | None


def parse_sign_request(ur: UR) -> ScannedRequest:
    """A `cosmos-sign-request` read back (what a device sees; the tests and the GUI preview use it)."""
    if ur.type != SIGN_REQUEST:
        raise KeystoneError(f"this is a {ur.type} UR, not a {SIGN_REQUEST}")
    value = _loads(ur.cbor, SIGN_REQUEST)
    if not isinstance(value, Mapping):
        raise KeystoneError(f"the {SIGN_REQUEST} is not a CBOR map")
    rid, sign_data, data_type = _uuid_bytes(value.get(1)), value.get(2), value.get(3)
    if rid is None or not isinstance(sign_data, bytes) or type(data_type) is not int \
            or data_type not in DATA_TYPES.values():
        raise KeystoneError(f"the {SIGN_REQUEST} lacks a request id, sign data or a known data type")
    paths = []
    for item in value.get(4) or ():
        components = (
            item.value.get(1, ()) if isinstance(item, cbor2.CBORTag) and isinstance(item.value, Mapping) else ()
        )
        pairs = list(components) if isinstance(components, list | tuple) else []
        if len(pairs) % 2 or not all(type(pairs[i]) is int and type(pairs[i + 1]) is bool
                                     for i in range(0, len(pairs), 2)):
            raise KeystoneError(f"a derivation path of the {SIGN_REQUEST} is not [index, hardened, ...]")
        paths.append(tuple((pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)))
    addresses = tuple(str(a) for a in value.get(5) or ())
    origin = value.get(6)
    return ScannedRequest(
        rid, sign_data, data_type, tuple(paths), addresses, origin if isinstance(origin, str) else None
    )


def _uuid_bytes(value: Any) -> bytes | None:
    """cbor2 reads tag 37 as a uuid.UUID; anything else is not a request id."""
    if isinstance(value, uuid.UUID):
        return value.bytes
    if isinstance(value, cbor2.CBORTag) and value.tag == TAG_UUID and isinstance(value.value, bytes) \
            and len(value.value) == 16:
        return value.value
    return None


def parse_signature(ur: UR) -> SignatureAnswer:
    if ur.type != SIGNATURE:
        raise KeystoneError(f"this is a {ur.type} UR; the signer's answer is a {SIGNATURE}")
    value = _loads(ur.cbor, SIGNATURE)
    if not isinstance(value, Mapping):
        raise KeystoneError(f"the {SIGNATURE} is not a CBOR map")
    rid = _uuid_bytes(value.get(1))
    if rid is None:
        raise KeystoneError(f"the {SIGNATURE} has no 16-byte request id (field 1, tag 37)")
    signature, public_key = value.get(2), value.get(3)
    if not isinstance(signature, bytes) or len(signature) != 64:
        raise KeystoneError(f"the {SIGNATURE} field 2 must be a 64-byte r||s signature")
    if public_key is not None and (not isinstance(public_key, bytes) or len(public_key) != 33):
        raise KeystoneError(f"the {SIGNATURE} field 3 must be a 33-byte compressed public key")
    return SignatureAnswer(rid, signature, public_key)


def signature_ur(answer: SignatureAnswer) -> UR:
    """Encode an answer (what a device sends; the tests use it to play the device)."""
    value: dict[int, Any] = {1: cbor2.CBORTag(TAG_UUID, answer.request_id), 2: answer.signature}
    if answer.public_key is not None:
        value[3] = answer.public_key
    return UR(SIGNATURE, cbor2.dumps(value))


def attach_signature(file: SigningFile, ur: UR) -> SigningFile:
    """The request with the device's signature in it, after every check: same request id as the bytes recomputed
    from this file, a key of this signer, and a signature that verifies over those bytes."""
    answer = parse_signature(ur)
    sign_bytes = file.sign_bytes()
    if answer.request_id != request_id(sign_bytes):
        raise KeystoneError("this signature answers another request: its request id is not the hash of this "
                            "file's sign bytes (was the request changed, or another one signed?)")
    spec = file.multisig
    if spec is None:
        key = file.pubkey
        if key is None:
            raise KeystoneError("the request declares no public key for its signer")
        if answer.public_key is not None and answer.public_key != key:
            raise KeystoneError("the signature comes from another key than the request's signer")
        if not verify_secp256k1(key, sign_bytes, answer.signature):
            raise KeystoneError("the signature does NOT verify over this request's sign bytes")
        if file.tx_bytes is not None:
            raise KeystoneError("this file is already signed")
        return replace(file, tx_bytes=txlib.assemble(file.unsigned, [answer.signature]))
    if answer.public_key is None or answer.public_key not in spec.public_keys:
        raise KeystoneError("a multisig part must name a public key of the multisig")
    position = spec.public_keys.index(answer.public_key)
    if not verify_secp256k1(answer.public_key, sign_bytes, answer.signature):
        raise KeystoneError(f"the signature of multisig key #{position} does NOT verify over this request")
    if any(p == position for p, _ in file.partial_signatures):
        raise KeystoneError(f"multisig key #{position} has already signed this file")
    parts = tuple(sorted(file.partial_signatures + ((position, answer.signature),)))
    return replace(file, partial_signatures=parts)
