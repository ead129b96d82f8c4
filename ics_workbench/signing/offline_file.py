"""The versioned offline-signing file that carries a transaction across the air gap and back.

One JSON document goes through every state - unsigned (exported on the online machine; a watch-only account
is enough), partially signed (multisig parts collected), signed (air-gapped machine), broadcast (online
machine again) - so both machines show the same decoded view and the same sign-bytes hash from the same file.
The user-facing description is ``docs/offline-signing-format.md``; keep the two in step.

Trust rule: the request's body and auth-info BYTES (an :class:`UnsignedTx` of the tx engine) are the truth.
Everything else in the file (gaiad JSON, decoded messages, fee, hash, state) is a convenience copy that is
recomputed from the bytes and compared on load; a mismatch means the file was edited or damaged and it is
refused. Signing, rendering, verification and multisig combination are the tx engine's (``tx``, ``render``,
``verify``, ``multisig``, ``gaiad_json``); this module only adds the file, its states and its checks.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from google.protobuf.json_format import Error as JsonFormatError
from google.protobuf.message import Error as ProtobufError

from ics_workbench import __version__, addresses
from ics_workbench.errors import WorkbenchError
from ics_workbench.fileio import InputFileError, read_json_input, write_json_atomic
from ics_workbench.signing import gaiad_json, multisig, render, tx as txlib, verify as verifylib
from ics_workbench.signing.secp256k1 import Signer, sign_bytes_digest, verify_secp256k1
from ics_workbench.signing.tx import MultisigSpec, SignerData, SignerSpec, SignMode, TxError, UnsignedTx
from ics_workbench.untrusted_text import visible, visible_repr

FORMAT = "ics-workbench/offline-signing"
VERSION = 1
SECP256K1_PUBKEY = "/cosmos.crypto.secp256k1.PubKey"
MULTISIG_PUBKEY = "/cosmos.crypto.multisig.LegacyAminoPubKey"


class OfflineFileError(WorkbenchError):
    """The signing file is malformed, from a newer version, tampered with, or for another chain/account/key."""


@dataclass(frozen=True)
class SigningFile:
    """One transaction on its way through the offline ceremony (single signer or one legacy multisig)."""

    unsigned: UnsignedTx
    chain_id: str
    address: str
    account_number: int
    sequence: int
    fee_provenance: dict[str, Any] | None = None
    partial_signatures: tuple[tuple[int, bytes], ...] = ()  # multisig: (key position, amino-JSON signature)
    tx_bytes: bytes | None = None  # TxRaw once signed (for multisig: after combining)
    broadcast: dict[str, Any] | None = None
    created_at: str = field(default_factory=lambda: _now())

    # ---- what the bytes say ----------------------------------------------------------------------------

    @property
    def signer_data(self) -> SignerData:
        return SignerData(chain_id=self.chain_id, account_number=self.account_number, sequence=self.sequence)

    @property
    def prefix(self) -> str:
        return addresses.decode_address(self.address)[0]

    @property
    def multisig(self) -> MultisigSpec | None:
        info = self.unsigned.auth_info.signer_infos[0]
        return multisig.spec_of(self.unsigned) if info.mode_info.HasField("multi") else None

    @property
    def pubkey(self) -> bytes | None:
        """The single signer's public key (None for a multisig)."""
        if self.multisig is not None:
            return None
        key = txlib.secp256k1_keys_pb2.PubKey()
        key.ParseFromString(self.unsigned.auth_info.signer_infos[0].public_key.value)
        return bytes(key.key)

    @property
    def sign_mode(self) -> SignMode:
        return SignMode.LEGACY_AMINO_JSON if self.multisig is not None else self.unsigned.signer_mode(0)

    @property
    def state(self) -> str:
        if self.broadcast is not None:
            return "broadcast"
        if self.tx_bytes is not None:
            return "signed"
        return "partially_signed" if self.partial_signatures else "unsigned"

    def sign_bytes(self) -> bytes:
        return self.unsigned.sign_bytes(self.sign_mode, self.signer_data)

    def sign_bytes_sha256(self) -> str:
        return sign_bytes_digest(self.sign_bytes())

    def signed_parts(self) -> tuple[UnsignedTx, list[bytes]]:
        """The signed tx split back into its unsigned part (multisig: with the final bit array) and signatures."""
        if self.tx_bytes is None:
            raise OfflineFileError(f"the transaction is {self.state.replace('_', ' ')}, not signed")
        return txlib.decode_tx_raw(self.tx_bytes, ics_version=self.unsigned.ics_version)

    def review(self) -> render.Review:
        return render.review(self.unsigned, prefix=self.prefix, signer_data=[self.signer_data])

    def review_text(self) -> str:
        """What a signer reads before the key is touched, decoded from the bytes that will be signed."""
        head = [
            f"State: {self.state}",
            f"Chain id: {visible_repr(self.chain_id)}",
            f"Signer: {visible(self.address)} (account number {self.account_number}, sequence {self.sequence})",
            f"Sign mode: {self.sign_mode.label}",
            f"Sign bytes SHA-256: {self.sign_bytes_sha256()}",
        ]
        spec = self.multisig
        if spec is not None:
            have = ", ".join(f"#{p}" for p, _ in self.partial_signatures) or "none"
            head.append(f"Multisig {spec.threshold}-of-{len(spec.public_keys)}; signatures collected: {have}")
        if self.fee_provenance:
            head.append("Fee note (from the file, NOT covered by the signature): "
                        + visible(json.dumps(self.fee_provenance, sort_keys=True, ensure_ascii=False)))
        return "\n".join(head) + "\n" + self.review().text()

    def gaiad_json(self) -> dict[str, Any]:
        """gaiad's JSON: the signed tx (what ``gaiad tx broadcast`` takes) once signed, else the unsigned one."""
        if self.tx_bytes is not None:
            return gaiad_json.tx_to_json(*self.signed_parts())
        return gaiad_json.tx_to_json(self.unsigned)

    # ---- serialisation ------------------------------------------------------------------------------

    def _pubkey_json(self) -> dict[str, Any]:
        spec = self.multisig
        if spec is None:
            assert self.pubkey is not None
            return {"@type": SECP256K1_PUBKEY, "key": _b64(self.pubkey)}
        return {"@type": MULTISIG_PUBKEY, "threshold": spec.threshold,
                "public_keys": [{"@type": SECP256K1_PUBKEY, "key": _b64(k)} for k in spec.public_keys]}

    def _messages_json(self) -> list[dict[str, Any]]:
        return [{"type_url": m.type_url, "summary": m.summary, "fields": dict(m.fields)}
                for m in self.review().messages]

    def to_json(self) -> dict[str, Any]:
        fee = self.unsigned.auth_info.fee
        return {
            "format": FORMAT,
            "version": VERSION,
            "state": self.state,
            "created_at": self.created_at,
            "created_by": f"ics-workbench {__version__}",
            "chain_id": self.chain_id,
            "sign_mode": self.sign_mode.label,
            "signer": {
                "address": self.address,
                "pubkey": self._pubkey_json(),
                "account_number": str(self.account_number),
                "sequence": str(self.sequence),
            },
            "ics_version": self.unsigned.ics_version,
            "body_bytes": _b64(self.unsigned.body_bytes),
            "auth_info_bytes": _b64(self.unsigned.auth_info_bytes),
            "sign_bytes_sha256": self.sign_bytes_sha256(),
            "unsigned_tx": gaiad_json.tx_to_json(self.unsigned),
            "messages": self._messages_json(),
            "fee": {
                "amount": [{"denom": c.denom, "amount": c.amount} for c in fee.amount],
                "gas_limit": str(fee.gas_limit),
                "payer": fee.payer,
                "granter": fee.granter,
            },
            "fee_provenance": self.fee_provenance,
            "partial_signatures": [
                {"key_index": position, "signature": _b64(signature)} for position, signature in self.partial_signatures
            ],
            "tx_bytes": _b64(self.tx_bytes) if self.tx_bytes is not None else None,
            "signed_tx": self.gaiad_json() if self.tx_bytes is not None else None,
            "broadcast": self.broadcast,
        }

    def save(self, path: Path) -> None:
        write_json_atomic(path, self.to_json())


# ---- helpers ----------------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(value: Any, where: str) -> bytes:
    if not isinstance(value, str):
        raise OfflineFileError(f"field {where} must be a base64 string, got {type(value).__name__}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):  # ValueError: non-ASCII text
        raise OfflineFileError(f"field {where} is not valid base64") from None


def _declared_address(unsigned: UnsignedTx, prefix: str) -> str:
    info = unsigned.auth_info.signer_infos[0]
    if info.mode_info.HasField("multi"):
        return multisig.multisig_address(multisig.spec_of(unsigned), prefix)
    if info.public_key.type_url != SECP256K1_PUBKEY:
        raise OfflineFileError(f"signer public key type {info.public_key.type_url!r} is not supported")
    key = txlib.secp256k1_keys_pb2.PubKey()
    key.ParseFromString(info.public_key.value)
    return addresses.encode_address(addresses.address_bytes_from_public_key(key.key), prefix)


def _check_consistent(file: SigningFile) -> None:
    """The signer data written in the file must be what auth_info commits to."""
    try:
        infos = file.unsigned.auth_info.signer_infos
    except TxError as exc:
        raise OfflineFileError(str(exc)) from None
    if len(infos) != 1:
        raise OfflineFileError(
            f"the transaction declares {len(infos)} signers; offline files carry single-signer (or one multisig) "
            "transactions"
        )
    prefix, _ = addresses.decode_address(file.address)
    declared = _declared_address(file.unsigned, prefix)
    if declared != file.address:
        raise OfflineFileError(f"signer.address is {file.address}, but auth_info_bytes declares the key of {declared}")
    if infos[0].sequence != file.sequence:
        raise OfflineFileError(
            f"signer.sequence is {file.sequence} but auth_info_bytes commits to sequence {infos[0].sequence}"
        )
    SignerData(chain_id=file.chain_id, account_number=file.account_number, sequence=file.sequence)


# ---- construction -----------------------------------------------------------------------------------------


def create_request(
    unsigned: UnsignedTx,
    *,
    chain_id: str,
    address: str,
    account_number: int,
    sequence: int,
    fee_provenance: dict[str, Any] | None = None,
) -> SigningFile:
    """An unsigned signing request for the tx engine's exact bytes (checked and refused if inconsistent)."""
    request = SigningFile(unsigned=unsigned, chain_id=chain_id, address=address, account_number=account_number,
                          sequence=sequence, fee_provenance=fee_provenance)
    try:
        _check_consistent(request)
        request.sign_bytes()  # amino-JSON impossibility etc. is reported before anything is exported
    except TxError as exc:
        raise OfflineFileError(str(exc)) from None
    return request


def request_from_gaiad_json(
    unsigned_json: Any,
    *,
    signer: SignerSpec,
    address: str,
    chain_id: str,
    account_number: int,
    ics_version: str | None = None,
) -> SigningFile:
    """A request from ``gaiad tx ... --generate-only`` JSON, which has no signer info yet: its body and fee are
    kept, the signer (public key or multisig, sequence, mode) is added."""
    if isinstance(unsigned_json, dict) and unsigned_json.get("signatures"):
        raise OfflineFileError("this gaiad JSON is already signed; give the --generate-only output")
    try:
        parsed, _ = gaiad_json.tx_from_json(unsigned_json, ics_version=ics_version)
        unsigned = txlib.attach_signers(parsed, [signer])
    except WorkbenchError as exc:
        raise OfflineFileError(f"cannot use this gaiad JSON: {exc}") from None
    return create_request(unsigned, chain_id=chain_id, address=address, account_number=account_number,
                          sequence=signer.sequence,
                          fee_provenance={"source": "fee and gas limit as given in the gaiad --generate-only JSON"})


# ---- loading ----------------------------------------------------------------------------------------------


def _field(doc: dict[str, Any], name: str, kind: type, where: str = "") -> Any:
    value = doc.get(name)
    if value is None:
        raise OfflineFileError(f"field {where}{name} is missing")
    if not isinstance(value, kind):
        raise OfflineFileError(f"field {where}{name} must be a {kind.__name__}, got {type(value).__name__}")
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
        raise OfflineFileError(
            f"not an ics-workbench signing file (format is {doc.get('format')!r}, expected {FORMAT!r})"
        )
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise OfflineFileError(f"field version must be a positive integer, got {version!r}")
    if version > VERSION:
        raise OfflineFileError(
            f"this signing file uses format version {version}, newer than the {VERSION} this ics-workbench "
            f"{__version__} understands; upgrade ics-workbench on this machine"
        )
    signer_doc = _field(doc, "signer", dict)
    ics_version = doc.get("ics_version")
    if ics_version is not None and not isinstance(ics_version, str):
        raise OfflineFileError("field ics_version must be a string or null")
    parts = []
    partial = doc.get("partial_signatures") or []
    if not isinstance(partial, list):
        raise OfflineFileError("field partial_signatures must be a list")
    for index, entry in enumerate(partial):
        if not isinstance(entry, dict) or not isinstance(entry.get("key_index"), int):
            raise OfflineFileError(f"field partial_signatures[{index}] needs an integer key_index and a signature")
        parts.append((entry["key_index"], _unb64(entry.get("signature"), f"partial_signatures[{index}].signature")))
    for name in ("broadcast", "fee_provenance"):
        if doc.get(name) is not None and not isinstance(doc[name], dict):
            raise OfflineFileError(f"field {name} must be an object or null")
    tx_bytes = doc.get("tx_bytes")
    parsed = SigningFile(
        unsigned=UnsignedTx(_unb64(doc.get("body_bytes"), "body_bytes"),
                            _unb64(doc.get("auth_info_bytes"), "auth_info_bytes"), ics_version),
        chain_id=_field(doc, "chain_id", str),
        address=_field(signer_doc, "address", str, "signer."),
        account_number=_uint(signer_doc, "account_number", "signer."),
        sequence=_uint(signer_doc, "sequence", "signer."),
        fee_provenance=doc.get("fee_provenance"),
        partial_signatures=tuple(parts),
        tx_bytes=_unb64(tx_bytes, "tx_bytes") if tx_bytes is not None else None,
        broadcast=doc.get("broadcast"),
        created_at=str(doc.get("created_at", "")),
    )
    try:
        _check_consistent(parsed)
        expected = parsed.to_json()
    except (TxError, WorkbenchError, ProtobufError, JsonFormatError, ValueError, TypeError) as exc:
        # a message inside the bytes that does not decode or has an unknown type (found by fuzzing)
        if isinstance(exc, OfflineFileError):
            raise
        raise OfflineFileError(f"the file's bytes are not a usable transaction: {exc}") from None
    for key in ("sign_mode", "signer", "sign_bytes_sha256", "unsigned_tx", "messages", "fee", "state", "signed_tx"):
        if key in doc and doc[key] != expected[key]:
            raise OfflineFileError(
                f"field {key} does not match what the file's bytes say; the file was edited or damaged - export "
                "it again"
            )
    return parsed


def load(path: Path) -> SigningFile:
    """Read and check a signing file (bounded: regular file, size, UTF-8, JSON depth; see ``fileio``)."""
    try:
        doc = read_json_input(path)
    except InputFileError as exc:
        raise OfflineFileError(f"{exc.path} is not JSON: {exc.field}: {exc.rule}" if exc.field == "JSON"
                               else str(exc)) from None
    return parse_document(doc)


# ---- checks, signing, combining, verification -------------------------------------------------------------


def check_for_key(file: SigningFile, key_address: str, key_pubkey: bytes, key_name: str) -> None:
    """The key chosen on the air-gapped machine must be the file's signer (or one of its multisig keys)."""
    spec = file.multisig
    if spec is not None:
        if key_pubkey not in spec.public_keys:
            raise OfflineFileError(f"key {key_name!r} is not one of the keys of multisig {file.address}")
        return
    if addresses.decode_address(key_address)[1] != addresses.decode_address(file.address)[1]:
        shown = addresses.convert_address(key_address, file.prefix)
        raise OfflineFileError(f"this file is for account {file.address}, but key {key_name!r} is {shown}")
    if key_pubkey != file.pubkey:
        raise OfflineFileError(f"key {key_name!r} has a different public key than the file's signer")


def check_for_chain(file: SigningFile, *, chain_id: str, account_number: int, sequence: int | None = None) -> None:
    """Compare the file's signer data with what the chain says."""
    if file.chain_id != chain_id:
        raise OfflineFileError(f"wrong chain id: the file is for {file.chain_id!r}, the chain is {chain_id!r}")
    if file.account_number != account_number:
        raise OfflineFileError(
            f"wrong account number: the file says {file.account_number}, the chain has {account_number} "
            f"for {file.address}"
        )
    if sequence is not None and file.sequence != sequence:
        raise OfflineFileError(
            f"stale sequence: the file was made for sequence {file.sequence}, the account is at {sequence} now; "
            "export a new request"
        )


def sign(file: SigningFile, signer: Signer) -> SigningFile:
    """Add this key's signature: the final one for a single signer, a partial one for a multisig."""
    if file.state in ("signed", "broadcast"):
        raise OfflineFileError(f"this file is already {file.state}")
    try:
        if file.multisig is None:
            signature = txlib.sign(file.unsigned, signer, file.signer_data)
            return replace(file, tx_bytes=txlib.assemble(file.unsigned, [signature]))
        position, signature = multisig.sign_part(file.unsigned, signer, file.signer_data)
    except TxError as exc:
        raise OfflineFileError(str(exc)) from None
    if any(p == position for p, _ in file.partial_signatures):
        raise OfflineFileError(f"multisig key #{position} has already signed this file")
    return replace(file, partial_signatures=tuple(sorted(file.partial_signatures + ((position, signature),))))


def combine(file: SigningFile) -> SigningFile:
    """Combine multisig partial signatures into the signed tx; the threshold and every part are checked."""
    if file.multisig is None:
        raise OfflineFileError("only multisig files are combined; a single-signer file is signed directly")
    if file.tx_bytes is not None:
        raise OfflineFileError("this file is already combined and signed")
    try:
        final, signature = multisig.combine(file.unsigned, dict(file.partial_signatures), file.signer_data)
    except TxError as exc:
        raise OfflineFileError(str(exc)) from None
    return replace(file, tx_bytes=txlib.assemble(final, [signature]))


def merge_partials(file: SigningFile, other: SigningFile) -> SigningFile:
    """Collect the multisig parts of two copies of the same request (signed on different machines)."""
    if (file.unsigned, file.chain_id, file.account_number) != (other.unsigned, other.chain_id, other.account_number):
        raise OfflineFileError("these files are not copies of the same signing request")
    merged = dict(file.partial_signatures)
    merged.update(other.partial_signatures)
    return replace(file, partial_signatures=tuple(sorted(merged.items())))


def verify(file: SigningFile, request: SigningFile | None = None) -> list[str]:
    """Check every signature (like ``gaiad tx validate-signatures``) and, given the exported request, that the
    signed file still carries the same transaction. Returns findings to print; raises on any failure."""
    findings: list[str] = []
    if request is not None:
        for label, ours, theirs in (
            ("chain id", file.chain_id, request.chain_id),
            ("account number", file.account_number, request.account_number),
            ("sequence", file.sequence, request.sequence),
            ("signer", file.address, request.address),
        ):
            if ours != theirs:
                raise OfflineFileError(
                    f"the signed file no longer matches the unsigned one: its {label} is {ours!r}, "
                    f"the request's is {theirs!r}"
                )
        problems = verifylib.differences(request.unsigned, file.unsigned)
        if problems:
            raise OfflineFileError("the signed file no longer matches the unsigned one: " + "; ".join(problems))
        findings.append("matches the exported request (same messages, fee, signer, chain id, account number)")
    if file.tx_bytes is None:
        if not file.partial_signatures:
            raise OfflineFileError("the file carries no signature")
        spec = file.multisig
        assert spec is not None
        message = file.sign_bytes()
        for position, signature in file.partial_signatures:
            if not 0 <= position < len(spec.public_keys) or not verify_secp256k1(
                    spec.public_keys[position], message, signature):
                raise OfflineFileError(f"the partial signature of multisig key #{position} does not verify")
            findings.append(f"partial signature of multisig key #{position}: valid")
        findings.append(f"{len(file.partial_signatures)} of threshold {spec.threshold} collected; not combined yet")
        return findings
    signed_unsigned, signatures = file.signed_parts()
    problems = verifylib.differences(file.unsigned, signed_unsigned)
    if problems:
        raise OfflineFileError("the signed transaction no longer matches the file's request: " + "; ".join(problems))
    checks = verifylib.verify_signatures(signed_unsigned, signatures, [file.signer_data], prefix=file.prefix)
    for check in checks:
        if not check.ok:
            raise OfflineFileError(f"signature of signer {check.index} ({check.address}, {check.mode}): {check.detail}")
        findings.append(f"signature of {check.address} ({check.mode}): {check.detail}")
    return findings


def mark_broadcast(file: SigningFile, *, txhash: str, height: int, code: int, rest_url: str) -> SigningFile:
    return replace(file, broadcast={"txhash": txhash, "height": height, "code": code, "rest": rest_url, "at": _now()})
