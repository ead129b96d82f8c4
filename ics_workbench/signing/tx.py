"""Cosmos SDK transactions: build TxBody/AuthInfo, produce sign bytes (direct or amino JSON), sign, assemble TxRaw.

Everything here works with no network. The central object is `UnsignedTx`: the exact `body_bytes` and
`auth_info_bytes` that will be signed and broadcast. Sign bytes, the review rendering (`render.py`) and the
verification (`verify.py`) are all derived from these bytes, never from the objects they were built from, so what
the signer reviews is what the signature covers.

Typical use::

    unsigned = build_unsigned_tx([msg], signers=[SignerSpec(pubkey, sequence=5)], fee=Fee.of("2500uatom", 100_000))
    data = SignerData(chain_id="provider", account_number=12, sequence=5)
    signature = sign(unsigned, signer, data, SignMode.DIRECT)
    tx_raw = assemble(unsigned, [signature])          # bytes for POST /cosmos/tx/v1beta1/txs

Multisig signers (LegacyAminoPubKey) are described with `SignerSpec(multisig=...)`; see `multisig.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import any_pb2
from google.protobuf.message import DecodeError, Message
from google.protobuf.unknown_fields import UnknownFieldSet

from ics_workbench.proto import registry  # first: it makes cosmpy's top-level `cosmos.*` packages importable

# isort: split
from cosmos.base.v1beta1 import coin_pb2
from cosmos.crypto.multisig import keys_pb2 as multisig_keys_pb2
from cosmos.crypto.multisig.v1beta1 import multisig_pb2
from cosmos.crypto.secp256k1 import keys_pb2 as secp256k1_keys_pb2
from cosmos.tx.v1beta1 import tx_pb2

from ics_workbench.errors import WorkbenchError
from ics_workbench.foundation.coins import Coin, CoinError, parse_coins
from ics_workbench.signing import amino
from ics_workbench.signing.secp256k1 import Signer, sign_bytes_digest
from ics_workbench.signing.sign_modes import require_mode
from ics_workbench.signing.signmode import SignMode

SECP256K1_PUBKEY_URL = "/cosmos.crypto.secp256k1.PubKey"
MULTISIG_PUBKEY_URL = "/cosmos.crypto.multisig.LegacyAminoPubKey"


class TxError(WorkbenchError):
    """A transaction cannot be built, signed or assembled as asked; the text says which part and why."""


@dataclass(frozen=True)
class Fee:
    """What the tx pays: amount, gas limit, and the optional payer/granter (fee grant) addresses."""

    amount: tuple[Coin, ...]
    gas_limit: int
    payer: str = ""
    granter: str = ""

    @classmethod
    def of(cls, amount: str, gas_limit: int, *, payer: str = "", granter: str = "") -> Fee:
        try:
            coins = parse_coins(amount)
        except CoinError as exc:
            raise TxError(f"fee: {exc}") from None
        return cls(coins, gas_limit, payer, granter)

    def to_proto(self) -> tx_pb2.Fee:
        if self.gas_limit <= 0:
            raise TxError(f"gas limit must be positive, got {self.gas_limit}")
        return tx_pb2.Fee(
            amount=[coin_pb2.Coin(denom=c.denom, amount=str(c.amount)) for c in self.amount],
            gas_limit=self.gas_limit,
            payer=self.payer,
            granter=self.granter,
        )


@dataclass(frozen=True)
class MultisigSpec:
    """A LegacyAminoPubKey signer: `threshold` of `public_keys`.

    Sub-signers sign in LEGACY_AMINO_JSON, as gaiad's `tx multisign` does: which keys signed (the bit array in
    AuthInfo) is only known when the signatures are combined, and amino JSON does not cover AuthInfo bytes, whereas
    SIGN_MODE_DIRECT would need that bit array fixed before anyone signs.
    """

    threshold: int
    public_keys: tuple[bytes, ...]

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= len(self.public_keys):
            raise TxError(f"multisig threshold {self.threshold} must be between 1 and {len(self.public_keys)}")
        for key in self.public_keys:
            _check_pubkey(key)

    @property
    def sub_modes(self) -> tuple[SignMode, ...]:
        return (SignMode.LEGACY_AMINO_JSON,) * len(self.public_keys)

    def to_proto(self) -> multisig_keys_pb2.LegacyAminoPubKey:
        return multisig_keys_pb2.LegacyAminoPubKey(
            threshold=self.threshold,
            public_keys=[_pubkey_any(k) for k in self.public_keys])


@dataclass(frozen=True)
class SignerSpec:
    """One signer of the tx: its public key (or multisig), its account sequence and the sign mode it will use."""

    public_key: bytes | None = None
    sequence: int = 0
    mode: SignMode = SignMode.DIRECT
    multisig: MultisigSpec | None = None

    def __post_init__(self) -> None:
        if (self.public_key is None) == (self.multisig is None):
            raise TxError("a signer has either a public key or a multisig description, not both or neither")
        if self.public_key is not None:
            _check_pubkey(self.public_key)
        if self.sequence < 0:
            raise TxError(f"sequence must be >= 0, got {self.sequence}")


@dataclass(frozen=True)
class SignerData:
    """What the chain knows about a signer and the signature commits to (besides body and auth info)."""

    chain_id: str
    account_number: int
    sequence: int

    def __post_init__(self) -> None:
        if not self.chain_id or len(self.chain_id) > 50 or self.chain_id.strip() != self.chain_id:
            raise TxError(f"chain id {self.chain_id!r} is not valid (1-50 characters, no surrounding spaces)")
        if self.account_number < 0 or self.sequence < 0:
            raise TxError("account number and sequence must be >= 0")


def _check_pubkey(key: bytes) -> None:
    if len(key) != 33 or key[0] not in (2, 3):
        raise TxError(f"expected a 33-byte compressed secp256k1 public key, got {len(key)} bytes")


def _pubkey_any(key: bytes) -> any_pb2.Any:
    return registry.pack(secp256k1_keys_pb2.PubKey(key=key))


def _signer_info(spec: SignerSpec) -> tx_pb2.SignerInfo:
    info = tx_pb2.SignerInfo(sequence=spec.sequence)
    if spec.multisig is not None:
        info.public_key.CopyFrom(registry.pack(spec.multisig.to_proto()))
        n = len(spec.multisig.public_keys)
        info.mode_info.multi.bitarray.CopyFrom(bit_array([True] * n))
        for mode in spec.multisig.sub_modes:
            info.mode_info.multi.mode_infos.add().single.mode = mode
    else:
        assert spec.public_key is not None
        info.public_key.CopyFrom(_pubkey_any(spec.public_key))
        info.mode_info.single.mode = spec.mode
    return info


def bit_array(bits: Sequence[bool]) -> multisig_pb2.CompactBitArray:
    """The SDK's CompactBitArray: bit i is the (7 - i % 8)-th bit of byte i // 8."""
    elems = bytearray((len(bits) + 7) // 8)
    for i, bit in enumerate(bits):
        if bit:
            elems[i // 8] |= 1 << (7 - i % 8)
    return multisig_pb2.CompactBitArray(extra_bits_stored=len(bits) % 8, elems=bytes(elems))


def bits_of(array: multisig_pb2.CompactBitArray) -> list[bool]:
    """Inverse of `bit_array`."""
    size = len(array.elems) * 8 - ((8 - array.extra_bits_stored) % 8 if array.extra_bits_stored else 0)
    return [bool(array.elems[i // 8] & (1 << (7 - i % 8))) for i in range(size)]


def _as_any(msg: Message | any_pb2.Any, ics_version: str | None) -> any_pb2.Any:
    if isinstance(msg, any_pb2.Any):
        registry.message_class(msg.type_url, ics_version=ics_version)  # refuses unknown types early
        return msg
    return registry.pack(msg, ics_version=ics_version)


def build_body(messages: Sequence[Message | any_pb2.Any], *, memo: str = "", timeout_height: int = 0,
               ics_version: str | None = None) -> tx_pb2.TxBody:
    """TxBody of `messages` (message objects or already packed Anys)."""
    if not messages:
        raise TxError("a transaction needs at least one message")
    if len(memo.encode()) > 256:
        raise TxError(f"memo is {len(memo.encode())} bytes; the SDK default limit is 256")
    if timeout_height < 0:
        raise TxError(f"timeout height must be >= 0, got {timeout_height}")
    return tx_pb2.TxBody(messages=[_as_any(m, ics_version) for m in messages], memo=memo,
                         timeout_height=timeout_height)


def build_auth_info(signers: Sequence[SignerSpec], fee: Fee) -> tx_pb2.AuthInfo:
    if not signers:
        raise TxError("a transaction needs at least one signer")
    return tx_pb2.AuthInfo(signer_infos=[_signer_info(s) for s in signers], fee=fee.to_proto())


@dataclass(frozen=True)
class UnsignedTx:
    """The exact bytes to be signed. Everything shown or verified is decoded back from these bytes."""

    body_bytes: bytes
    auth_info_bytes: bytes
    ics_version: str | None = field(default=None, compare=False)

    # Decoded afresh on every access: a caller mutating the returned message must never change what later
    # reviews or sign bytes show, which must always come from the bytes.
    @property
    def body(self) -> tx_pb2.TxBody:
        return _decode(tx_pb2.TxBody, self.body_bytes, "body_bytes")

    @property
    def auth_info(self) -> tx_pb2.AuthInfo:
        return _decode(tx_pb2.AuthInfo, self.auth_info_bytes, "auth_info_bytes")

    def messages(self) -> list[Message]:
        return [registry.unpack(m, ics_version=self.ics_version) for m in self.body.messages]

    def signer_mode(self, index: int) -> SignMode:
        infos = self.auth_info.signer_infos
        if not 0 <= index < len(infos):
            raise TxError(f"signer index {index} out of range: the tx has {len(infos)} signer(s)")
        mode_info = infos[index].mode_info
        if mode_info.HasField("multi"):
            raise TxError(f"signer {index} is a multisig: use multisig.sign_part / sub_sign_bytes")
        return SignMode(mode_info.single.mode)

    def sign_bytes(self, mode: SignMode, data: SignerData) -> bytes:
        """What a signer in `mode` signs for this tx, given its chain id, account number and sequence."""
        if mode is SignMode.DIRECT:
            return bytes(tx_pb2.SignDoc(body_bytes=self.body_bytes, auth_info_bytes=self.auth_info_bytes,
                                        chain_id=data.chain_id, account_number=data.account_number).SerializeToString())
        return amino.serialize_sign_doc(self.amino_sign_doc(data))

    def amino_sign_doc(self, data: SignerData) -> dict[str, object]:
        body, fee = self.body, self.auth_info.fee
        if body.extension_options or body.non_critical_extension_options:
            raise amino.AminoUnsupported("LEGACY_AMINO_JSON cannot sign a tx with extension options")
        if self.auth_info.HasField("tip"):
            raise amino.AminoUnsupported("tips are not supported in LEGACY_AMINO_JSON here")
        msgs = [amino.encode_message(m, ics_version=self.ics_version) for m in body.messages]
        fee_coins = [{"amount": c.amount or "0", "denom": c.denom} for c in fee.amount]
        return amino.std_sign_doc(chain_id=data.chain_id, account_number=data.account_number,
                                  sequence=data.sequence, msgs=msgs, memo=body.memo, fee_amount=fee_coins,
                                  gas=fee.gas_limit, payer=fee.payer, granter=fee.granter,
                                  timeout_height=body.timeout_height)

    def sign_bytes_sha256(self, mode: SignMode, data: SignerData) -> str:
        return sign_bytes_digest(self.sign_bytes(mode, data))


def _decode(cls: Any, raw: bytes, what: str) -> Any:
    msg = cls()
    try:
        msg.ParseFromString(raw)
    except DecodeError as exc:
        raise TxError(f"{what} do not decode as {cls.DESCRIPTOR.full_name}: {exc}") from None
    if len(UnknownFieldSet(msg)):
        raise TxError(f"{what} hold fields unknown to {cls.DESCRIPTOR.full_name} (the chain would reject them)")
    return msg


def build_unsigned_tx(messages: Sequence[Message | any_pb2.Any], *, signers: Sequence[SignerSpec], fee: Fee,
                      memo: str = "", timeout_height: int = 0, ics_version: str | None = None) -> UnsignedTx:
    """Encode body and auth info once; from here on only the bytes count."""
    body = build_body(messages, memo=memo, timeout_height=timeout_height, ics_version=ics_version)
    auth_info = build_auth_info(signers, fee)
    if any(s.mode is SignMode.LEGACY_AMINO_JSON for s in signers if s.multisig is None) or any(
            SignMode.LEGACY_AMINO_JSON in s.multisig.sub_modes for s in signers if s.multisig is not None):
        require_mode(body.messages, SignMode.LEGACY_AMINO_JSON, ics_version=ics_version)
    return UnsignedTx(body.SerializeToString(deterministic=True), auth_info.SerializeToString(deterministic=True),
                      ics_version)


def attach_signers(unsigned: UnsignedTx, signers: Sequence[SignerSpec]) -> UnsignedTx:
    """The same body and fee with these signer infos: `gaiad ... --generate-only` leaves `signer_infos` empty, and
    a signer must be declared (key, sequence, mode) before anything can be signed."""
    auth_info = tx_pb2.AuthInfo()
    auth_info.CopyFrom(unsigned.auth_info)
    del auth_info.signer_infos[:]
    auth_info.signer_infos.extend(_signer_info(s) for s in signers)
    if any(s.mode is SignMode.LEGACY_AMINO_JSON or s.multisig is not None for s in signers):
        require_mode(unsigned.body.messages, SignMode.LEGACY_AMINO_JSON, ics_version=unsigned.ics_version)
    return UnsignedTx(unsigned.body_bytes, auth_info.SerializeToString(deterministic=True), unsigned.ics_version)


def sign(unsigned: UnsignedTx, signer: Signer, data: SignerData, mode: SignMode | None = None, *,
         index: int = 0) -> bytes:
    """Signature of signer number `index` (its key must match the tx's signer info, and so must the sequence)."""
    info = unsigned.auth_info.signer_infos[index] if index < len(unsigned.auth_info.signer_infos) else None
    expected_mode = unsigned.signer_mode(index)
    if mode is not None and mode is not expected_mode:
        raise TxError(f"signer {index} is declared with {expected_mode.label} in the tx, not {SignMode(mode).label}")
    assert info is not None
    declared = secp256k1_keys_pb2.PubKey()
    declared.ParseFromString(info.public_key.value)
    if signer.public_key() != declared.key:
        raise TxError(f"the signing key's public key does not match signer {index} of the transaction")
    if info.sequence != data.sequence:
        raise TxError(f"signer {index} is declared with sequence {info.sequence}, but the signer data says "
                      f"{data.sequence}")
    return signer.sign(unsigned.sign_bytes(expected_mode, data))


def assemble(unsigned: UnsignedTx, signatures: Sequence[bytes]) -> bytes:
    """TxRaw bytes (what `/cosmos/tx/v1beta1/txs` takes as `tx_bytes`)."""
    count = len(unsigned.auth_info.signer_infos)
    if len(signatures) != count:
        raise TxError(f"the tx declares {count} signer(s) but {len(signatures)} signature(s) were given")
    return bytes(tx_pb2.TxRaw(body_bytes=unsigned.body_bytes, auth_info_bytes=unsigned.auth_info_bytes,
                              signatures=list(signatures)).SerializeToString())


def decode_tx_raw(raw: bytes, *, ics_version: str | None = None) -> tuple[UnsignedTx, list[bytes]]:
    """Split TxRaw bytes into the unsigned part and its signatures."""
    tx_raw = _decode(tx_pb2.TxRaw, raw, "TxRaw")
    return UnsignedTx(tx_raw.body_bytes, tx_raw.auth_info_bytes, ics_version), list(tx_raw.signatures)
