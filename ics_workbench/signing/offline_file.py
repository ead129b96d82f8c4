"""The versioned offline-signing file that carries a transaction across the air gap and back.

One JSON document goes through every state - unsigned (exported on the online machine, a watch-only account
is enough), partially signed (multisig), signed (air-gapped machine), broadcast (online machine again) - so
both machines show the same decoded view and the same sign-bytes hash from the same file. The format is
documented for users in ``docs/offline-signing-format.md``; keep the two in step.

Trust rule: the body and auth-info BYTES are the truth. Everything else in the file (gaiad JSON, decoded
messages, hash) is a convenience copy that is recomputed from the bytes and compared on load; a mismatch
means the file was edited or damaged, and it is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from google.protobuf import any_pb2, json_format
from google.protobuf.message import DecodeError

from ics_workbench import __version__
from ics_workbench.errors import WorkbenchError
from ics_workbench.fileio import write_json_atomic
from ics_workbench.proto import registry
from ics_workbench.signing.keys import address_bytes_from_public_key, decode_address, encode_address

import cosmpy.protos  # noqa: F401,I001  (puts cosmpy's `cosmos` package on sys.path)
from cosmos.crypto.secp256k1 import keys_pb2 as secp256k1_keys  # noqa: E402
from cosmos.tx.signing.v1beta1 import signing_pb2  # noqa: E402
from cosmos.tx.v1beta1 import tx_pb2  # noqa: E402

FORMAT = "ics-workbench/offline-signing"
VERSION = 1
SECP256K1_PUBKEY = "/cosmos.crypto.secp256k1.PubKey"
SIGN_MODES = ("SIGN_MODE_DIRECT", "SIGN_MODE_LEGACY_AMINO_JSON")
STATES = ("unsigned", "partially_signed", "signed", "broadcast")


class OfflineFileError(WorkbenchError):
    """The signing file is malformed, from a newer version, tampered with, or for another chain/account."""


@dataclass(frozen=True)
class SignerData:
    """What the signature commits to besides the tx bytes (and what the air-gapped side cannot query)."""

    address: str
    pubkey: bytes  # 33-byte compressed secp256k1
    account_number: int
    sequence: int


@dataclass(frozen=True)
class SignatureEntry:
    pubkey: bytes
    signature: bytes
    signed_at: str


@dataclass(frozen=True)
class SigningFile:
    chain_id: str
    sign_mode: str
    signer: SignerData
    body_bytes: bytes
    auth_info_bytes: bytes
    fee_provenance: dict[str, Any] | None = None
    signatures: tuple[SignatureEntry, ...] = ()
    broadcast: dict[str, Any] | None = None
    created_at: str = field(default_factory=lambda: _now())

    @property
    def state(self) -> str:
        if self.broadcast is not None:
            return "broadcast"
        return "signed" if self.signatures else "unsigned"

    # ---- derived views (always recomputed from the bytes) --------------------------------------------

    def body(self) -> tx_pb2.TxBody:
        return _decode(tx_pb2.TxBody, self.body_bytes, "body_bytes")

    def auth_info(self) -> tx_pb2.AuthInfo:
        return _decode(tx_pb2.AuthInfo, self.auth_info_bytes, "auth_info_bytes")

    def sign_bytes(self) -> bytes:
        if self.sign_mode == "SIGN_MODE_DIRECT":
            doc = tx_pb2.SignDoc(body_bytes=self.body_bytes, auth_info_bytes=self.auth_info_bytes,
                                 chain_id=self.chain_id, account_number=self.signer.account_number)
            return doc.SerializeToString()
        raise OfflineFileError(
            f"sign mode {self.sign_mode} is not supported by this build for offline files yet; use SIGN_MODE_DIRECT"
        )

    def sign_bytes_sha256(self) -> str:
        return hashlib.sha256(self.sign_bytes()).hexdigest()

    def decoded_messages(self) -> list[dict[str, Any]]:
        return [registry.to_proto_json(registry.unpack(any_msg)) for any_msg in self.body().messages]

    def fee(self) -> dict[str, Any]:
        fee = self.auth_info().fee
        return {
            "amount": [{"denom": c.denom, "amount": c.amount} for c in fee.amount],
            "gas_limit": str(fee.gas_limit),
            "payer": fee.payer,
            "granter": fee.granter,
        }

    def tx(self, *, with_signatures: bool) -> tx_pb2.Tx:
        tx = tx_pb2.Tx(body=self.body(), auth_info=self.auth_info())
        if with_signatures:
            tx.signatures.extend(s.signature for s in self.signatures)
        return tx

    def gaiad_json(self, *, with_signatures: bool) -> dict[str, Any]:
        """The JSON ``gaiad tx ... --generate-only`` writes (and ``gaiad tx broadcast`` reads when signed).

        Messages go through the proto registry so LegacyDec fields get gaiad's decimal form; gaiad re-encodes
        this JSON, and any other form would change the bytes the signature covers."""
        registry.message_class(SECP256K1_PUBKEY)  # loads every known descriptor for the Any fields below
        tx = self.tx(with_signatures=with_signatures)
        messages = [registry.to_proto_json(registry.unpack(m)) for m in tx.body.messages]
        del tx.body.messages[:]
        doc = json_format.MessageToDict(tx, preserving_proto_field_name=True,
                                        always_print_fields_with_no_presence=True)
        doc["body"] = {"messages": messages, **{k: v for k, v in doc["body"].items() if k != "messages"}}
        return doc

    def tx_bytes(self) -> bytes:
        if not self.signatures:
            raise OfflineFileError("the transaction is not signed yet")
        raw = tx_pb2.TxRaw(body_bytes=self.body_bytes, auth_info_bytes=self.auth_info_bytes,
                           signatures=[s.signature for s in self.signatures])
        return raw.SerializeToString()

    def review(self) -> str:
        """The text a signer reads before the key is touched: decoded from the bytes that will be signed."""
        lines = [
            f"state:          {self.state}",
            f"chain id:       {self.chain_id}",
            f"signer:         {self.signer.address}",
            f"account number: {self.signer.account_number}",
            f"sequence:       {self.signer.sequence}",
            f"sign mode:      {self.sign_mode}",
            f"sign bytes SHA-256: {self.sign_bytes_sha256()}",
        ]
        fee = self.fee()
        coins = ", ".join(f"{c['amount']}{c['denom']}" for c in fee["amount"]) or "none"
        lines.append(f"fee:            {coins}, gas limit {fee['gas_limit']}")
        if self.fee_provenance:
            lines.append(f"fee from:       {json.dumps(self.fee_provenance, sort_keys=True)}")
        body = self.body()
        if body.memo:
            lines.append(f"memo:           {body.memo}")
        if body.timeout_height:
            lines.append(f"timeout height: {body.timeout_height}")
        for number, message in enumerate(self.decoded_messages(), 1):
            lines.append(f"message {number}: {message.get('@type')}")
            lines.extend("    " + line for line in json.dumps(message, indent=2, sort_keys=True).splitlines())
        return "\n".join(lines)

    # ---- serialisation ------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "state": self.state,
            "created_at": self.created_at,
            "created_by": f"ics-workbench {__version__}",
            "chain_id": self.chain_id,
            "sign_mode": self.sign_mode,
            "signer": {
                "address": self.signer.address,
                "pubkey": {"@type": SECP256K1_PUBKEY, "key": _b64(self.signer.pubkey)},
                "account_number": str(self.signer.account_number),
                "sequence": str(self.signer.sequence),
            },
            "body_bytes": _b64(self.body_bytes),
            "auth_info_bytes": _b64(self.auth_info_bytes),
            "sign_bytes_sha256": self.sign_bytes_sha256(),
            "unsigned_tx": self.gaiad_json(with_signatures=False),
            "messages": self.decoded_messages(),
            "fee": self.fee(),
            "fee_provenance": self.fee_provenance,
            "signatures": [
                {"pubkey": _b64(s.pubkey), "signature": _b64(s.signature), "signed_at": s.signed_at}
                for s in self.signatures
            ],
            "signed_tx": self.gaiad_json(with_signatures=True) if self.signatures else None,
            "tx_bytes": _b64(self.tx_bytes()) if self.signatures else None,
            "broadcast": self.broadcast,
        }
        return doc

    def save(self, path: Path) -> None:
        write_json_atomic(path, self.to_json())


# ---- construction ---------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(value: Any, where: str) -> bytes:
    if not isinstance(value, str):
        raise OfflineFileError(f"field {where} must be a base64 string, got {type(value).__name__}")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise OfflineFileError(f"field {where} is not valid base64") from None


def _decode(cls: Any, data: bytes, where: str) -> Any:
    message = cls()
    try:
        message.ParseFromString(data)
    except DecodeError as exc:
        raise OfflineFileError(f"{where} does not decode as {cls.DESCRIPTOR.full_name}: {exc}") from None
    return message


def _single_signer_info(auth_info: tx_pb2.AuthInfo) -> tx_pb2.SignerInfo:
    if len(auth_info.signer_infos) != 1:
        raise OfflineFileError(
            f"auth_info has {len(auth_info.signer_infos)} signer infos; offline files carry single-signer transactions"
        )
    return auth_info.signer_infos[0]


def _check_signer_info(request: SigningFile) -> None:
    """The signer data written in the file must be the one committed to inside auth_info."""
    info = _single_signer_info(request.auth_info())
    if info.public_key.type_url != SECP256K1_PUBKEY:
        raise OfflineFileError(f"signer public key type {info.public_key.type_url!r} is not {SECP256K1_PUBKEY}")
    key = secp256k1_keys.PubKey()
    key.ParseFromString(info.public_key.value)
    if key.key != request.signer.pubkey:
        raise OfflineFileError("signer.pubkey does not match the public key inside auth_info_bytes")
    if info.sequence != request.signer.sequence:
        raise OfflineFileError(
            f"signer.sequence is {request.signer.sequence} but auth_info_bytes commits to sequence {info.sequence}"
        )
    mode = signing_pb2.SignMode.Name(info.mode_info.single.mode)
    if mode != request.sign_mode:
        raise OfflineFileError(f"sign_mode is {request.sign_mode} but auth_info_bytes says {mode}")
    _, raw = decode_address(request.signer.address)
    if address_bytes_from_public_key(request.signer.pubkey) != raw:
        raise OfflineFileError(f"signer.pubkey does not belong to signer.address {request.signer.address}")


def create_request(
    *,
    body_bytes: bytes,
    auth_info_bytes: bytes,
    chain_id: str,
    address: str,
    account_number: int,
    sequence: int,
    fee_provenance: dict[str, Any] | None = None,
) -> SigningFile:
    """An unsigned signing request from the tx engine's exact bytes; the pubkey and mode come from auth_info."""
    auth_info = _decode(tx_pb2.AuthInfo, auth_info_bytes, "auth_info_bytes")
    info = _single_signer_info(auth_info)
    key = secp256k1_keys.PubKey()
    key.ParseFromString(info.public_key.value)
    request = SigningFile(
        chain_id=chain_id,
        sign_mode=signing_pb2.SignMode.Name(info.mode_info.single.mode),
        signer=SignerData(address=address, pubkey=bytes(key.key), account_number=account_number, sequence=sequence),
        body_bytes=body_bytes,
        auth_info_bytes=auth_info_bytes,
        fee_provenance=fee_provenance,
    )
    _check_signer_info(request)
    _decode(tx_pb2.TxBody, body_bytes, "body_bytes")
    request.sign_bytes()  # refuses unsupported modes before anything is exported
    return request


def request_from_gaiad_json(
    unsigned: Any,
    *,
    pubkey: bytes,
    address: str,
    chain_id: str,
    account_number: int,
    sequence: int,
) -> SigningFile:
    """A request from ``gaiad tx ... --generate-only`` JSON (which has no signer info yet): keeps its body and
    fee, adds the signer's public key, sequence and SIGN_MODE_DIRECT."""
    if not isinstance(unsigned, dict) or not isinstance(unsigned.get("body"), dict):
        raise OfflineFileError("not a gaiad transaction JSON: no 'body' object")
    if unsigned.get("signatures"):
        raise OfflineFileError("this gaiad JSON is already signed; give the --generate-only output")
    body_doc = dict(unsigned["body"])
    messages = body_doc.pop("messages", None)
    if not isinstance(messages, list) or not messages:
        raise OfflineFileError("the gaiad JSON has no body.messages")
    registry.message_class(SECP256K1_PUBKEY)  # loads every known descriptor
    try:
        body = json_format.ParseDict(body_doc, tx_pb2.TxBody())
        body.messages.extend(registry.pack(registry.from_proto_json(m)) for m in messages)
        fee = json_format.ParseDict((unsigned.get("auth_info") or {}).get("fee") or {}, tx_pb2.Fee())
    except (json_format.ParseError, WorkbenchError, AttributeError) as exc:
        raise OfflineFileError(f"the gaiad JSON does not parse: {exc}") from None
    key = any_pb2.Any(type_url=SECP256K1_PUBKEY, value=secp256k1_keys.PubKey(key=pubkey).SerializeToString())
    info = tx_pb2.SignerInfo(
        public_key=key,
        sequence=sequence,
        mode_info=tx_pb2.ModeInfo(single=tx_pb2.ModeInfo.Single(mode=signing_pb2.SIGN_MODE_DIRECT)),
    )
    auth_info = tx_pb2.AuthInfo(signer_infos=[info], fee=fee)
    return create_request(
        body_bytes=body.SerializeToString(),
        auth_info_bytes=auth_info.SerializeToString(),
        chain_id=chain_id,
        address=address,
        account_number=account_number,
        sequence=sequence,
        fee_provenance={"source": "fee and gas limit as given in the gaiad --generate-only JSON"},
    )


# ---- loading ----------------------------------------------------------------------------------------


def _field(doc: dict[str, Any], name: str, kind: type, where: str = "") -> Any:
    value = doc.get(name)
    label = f"{where}{name}"
    if value is None:
        raise OfflineFileError(f"field {label} is missing")
    if not isinstance(value, kind):
        raise OfflineFileError(f"field {label} must be a {kind.__name__}, got {type(value).__name__}")
    return value


def _uint(doc: dict[str, Any], name: str, where: str) -> int:
    value = doc.get(name)
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).isdigit():
        raise OfflineFileError(f"field {where}{name} must be a non-negative integer (as a string), got {value!r}")
    return int(value)


def parse_document(doc: Any) -> SigningFile:
    """Validate a decoded JSON document and check every convenience copy against the bytes."""
    if not isinstance(doc, dict):
        raise OfflineFileError("a signing file must be a JSON object")
    if doc.get("format") != FORMAT:
        raise OfflineFileError(f"not an ics-workbench signing file (format is {doc.get('format')!r}, expected {FORMAT!r})")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise OfflineFileError(f"field version must be an integer, got {version!r}")
    if version > VERSION:
        raise OfflineFileError(
            f"this signing file uses format version {version}, newer than the {VERSION} this ics-workbench "
            f"{__version__} understands; upgrade ics-workbench on this machine"
        )
    if version < 1:
        raise OfflineFileError(f"field version must be 1 or more, got {version}")
    sign_mode = _field(doc, "sign_mode", str)
    if sign_mode not in SIGN_MODES:
        raise OfflineFileError(f"field sign_mode is {sign_mode!r}; expected one of {', '.join(SIGN_MODES)}")
    signer_doc = _field(doc, "signer", dict)
    pubkey_doc = _field(signer_doc, "pubkey", dict, "signer.")
    if pubkey_doc.get("@type") != SECP256K1_PUBKEY:
        raise OfflineFileError(f"field signer.pubkey.@type must be {SECP256K1_PUBKEY}, got {pubkey_doc.get('@type')!r}")
    signer = SignerData(
        address=_field(signer_doc, "address", str, "signer."),
        pubkey=_unb64(pubkey_doc.get("key"), "signer.pubkey.key"),
        account_number=_uint(signer_doc, "account_number", "signer."),
        sequence=_uint(signer_doc, "sequence", "signer."),
    )
    signatures = []
    for index, entry in enumerate(doc.get("signatures") or []):
        if not isinstance(entry, dict):
            raise OfflineFileError(f"field signatures[{index}] must be an object")
        signatures.append(SignatureEntry(
            pubkey=_unb64(entry.get("pubkey"), f"signatures[{index}].pubkey"),
            signature=_unb64(entry.get("signature"), f"signatures[{index}].signature"),
            signed_at=str(entry.get("signed_at", "")),
        ))
    broadcast = doc.get("broadcast")
    if broadcast is not None and not isinstance(broadcast, dict):
        raise OfflineFileError("field broadcast must be an object or null")
    provenance = doc.get("fee_provenance")
    if provenance is not None and not isinstance(provenance, dict):
        raise OfflineFileError("field fee_provenance must be an object or null")
    parsed = SigningFile(
        chain_id=_field(doc, "chain_id", str),
        sign_mode=sign_mode,
        signer=signer,
        body_bytes=_unb64(doc.get("body_bytes"), "body_bytes"),
        auth_info_bytes=_unb64(doc.get("auth_info_bytes"), "auth_info_bytes"),
        fee_provenance=provenance,
        signatures=tuple(signatures),
        broadcast=broadcast,
        created_at=str(doc.get("created_at", "")),
    )
    _check_signer_info(parsed)
    _check_copies(parsed, doc)
    return parsed


def _check_copies(parsed: SigningFile, doc: dict[str, Any]) -> None:
    """Every human-facing copy must equal what the bytes say; otherwise someone edited the file."""
    expected = parsed.to_json()
    for key in ("sign_bytes_sha256", "unsigned_tx", "messages", "fee", "state", "signed_tx", "tx_bytes"):
        if key in doc and doc[key] != expected[key]:
            raise OfflineFileError(
                f"field {key} does not match what body_bytes/auth_info_bytes/signatures say; the file was edited "
                "or damaged - export it again"
            )


def load(path: Path) -> SigningFile:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise OfflineFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise OfflineFileError(f"{path} is not JSON: {exc}") from None
    return parse_document(doc)


# ---- checks, signing, verification ------------------------------------------------------------------------


def check_for_key(request: SigningFile, key_address: str, key_pubkey: bytes, key_name: str) -> None:
    """The key chosen on the air-gapped machine must be the account the request was made for."""
    if decode_address(key_address)[1] != decode_address(request.signer.address)[1]:
        raise OfflineFileError(
            f"this file is for account {request.signer.address}, but key {key_name!r} is "
            f"{encode_address(decode_address(key_address)[1], decode_address(request.signer.address)[0])}"
        )
    if key_pubkey != request.signer.pubkey:
        raise OfflineFileError(f"key {key_name!r} has a different public key than the file's signer")


def check_for_chain(request: SigningFile, *, chain_id: str, account_number: int, sequence: int | None = None) -> None:
    """Compare the file's signer data with what the chain (or the user's profile) says."""
    if request.chain_id != chain_id:
        raise OfflineFileError(f"wrong chain id: the file is for {request.chain_id!r}, the chain is {chain_id!r}")
    if request.signer.account_number != account_number:
        raise OfflineFileError(
            f"wrong account number: the file says {request.signer.account_number}, the chain has {account_number} "
            f"for {request.signer.address}"
        )
    if sequence is not None and request.signer.sequence != sequence:
        raise OfflineFileError(
            f"stale sequence: the file was made for sequence {request.signer.sequence}, the account is at "
            f"{sequence} now; export a new request"
        )


def sign(request: SigningFile, signer: Any) -> SigningFile:
    """Sign with anything following the tx engine's ``Signer`` protocol (keyring key, in-memory key)."""
    from ics_workbench.signing.secp256k1 import verify_secp256k1

    if request.state != "unsigned":
        raise OfflineFileError(f"this file is already {request.state.replace('_', ' ')}")
    if signer.public_key() != request.signer.pubkey:
        raise OfflineFileError("the signing key's public key is not the file's signer public key")
    message = request.sign_bytes()
    signature = signer.sign(message)
    if not verify_secp256k1(request.signer.pubkey, message, signature):
        raise OfflineFileError("the new signature does not verify; nothing was written")
    return replace(request, signatures=(SignatureEntry(request.signer.pubkey, signature, _now()),))


def verify(signed: SigningFile, unsigned: SigningFile | None = None) -> list[str]:
    """Check every signature (like ``gaiad tx validate-signatures``) and, given the exported request, that the
    signed file still carries exactly the same transaction. Returns human-readable findings; raises on failure."""
    from ics_workbench.signing.secp256k1 import verify_secp256k1

    findings: list[str] = []
    if unsigned is not None:
        for label, ours, theirs in (
            ("chain id", signed.chain_id, unsigned.chain_id),
            ("account number", signed.signer.account_number, unsigned.signer.account_number),
            ("sequence", signed.signer.sequence, unsigned.signer.sequence),
            ("signer", signed.signer.address, unsigned.signer.address),
            ("sign mode", signed.sign_mode, unsigned.sign_mode),
            ("messages/memo (body_bytes)", signed.body_bytes, unsigned.body_bytes),
            ("fee/signer info (auth_info_bytes)", signed.auth_info_bytes, unsigned.auth_info_bytes),
        ):
            if ours != theirs:
                raise OfflineFileError(f"the signed file no longer matches the unsigned one: its {label} differs")
        findings.append("matches the exported request (same body, auth info, chain id, account number)")
    if not signed.signatures:
        raise OfflineFileError("the file carries no signature")
    message = signed.sign_bytes()
    for index, entry in enumerate(signed.signatures):
        if entry.pubkey != signed.signer.pubkey:
            raise OfflineFileError(f"signature {index + 1} is by a key that is not the file's signer")
        if not verify_secp256k1(entry.pubkey, message, entry.signature):
            raise OfflineFileError(
                f"signature {index + 1} does not verify for {signed.signer.address} over these sign bytes "
                f"(SHA-256 {signed.sign_bytes_sha256()})"
            )
        findings.append(f"signature {index + 1} by {signed.signer.address}: valid ({signed.sign_mode})")
    return findings


def mark_broadcast(signed: SigningFile, *, txhash: str, height: int, code: int, rest_url: str) -> SigningFile:
    return replace(signed, broadcast={"txhash": txhash, "height": height, "code": code, "rest": rest_url,
                                      "at": _now()})
