"""Legacy amino multisig (LegacyAminoPubKey): address, partial signatures, and combining them (threshold checked).

Flow, as with `gaiad tx sign --multisig` / `gaiad tx multisign`: every sub-signer signs the same amino-JSON
StdSignDoc (the multisig account's number and sequence); `combine` sets the AuthInfo bit array and mode infos of
the signers present, packs their signatures into a `MultiSignature`, and returns the new unsigned part (its
AuthInfo bytes changed) with the one combined signature.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from ics_workbench import addresses
from ics_workbench.foundation.protowire import uvarint
from ics_workbench.signing.secp256k1 import Signer, verify_secp256k1
from ics_workbench.signing.tx import (
    MULTISIG_PUBKEY_URL,
    MultisigSpec,
    SignerData,
    SignMode,
    TxError,
    UnsignedTx,
    bit_array,
    multisig_keys_pb2,
    multisig_pb2,
    secp256k1_keys_pb2,
    tx_pb2,
)

_AMINO_MULTISIG_PREFIX = bytes.fromhex("22c1f7e2")
_AMINO_SECP256K1_PREFIX = bytes.fromhex("eb5ae987")


def amino_pubkey_bytes(spec: MultisigSpec) -> bytes:
    """Amino binary encoding of the LegacyAminoPubKey (what the multisig address hashes)."""
    out = bytearray(_AMINO_MULTISIG_PREFIX)
    out += b"\x08" + uvarint(spec.threshold)
    for key in spec.public_keys:
        inner = _AMINO_SECP256K1_PREFIX + b"\x21" + key
        out += b"\x12" + uvarint(len(inner)) + inner
    return bytes(out)


def multisig_address(spec: MultisigSpec, prefix: str) -> str:
    """bech32 address of the multisig account: first 20 bytes of SHA-256 of its amino encoding."""
    return addresses.encode_address(hashlib.sha256(amino_pubkey_bytes(spec)).digest()[:20], prefix)


def spec_of(unsigned: UnsignedTx, index: int = 0) -> MultisigSpec:
    """The multisig description of signer `index` as declared in the tx."""
    infos = unsigned.auth_info.signer_infos
    if not 0 <= index < len(infos) or not infos[index].mode_info.HasField("multi"):
        raise TxError(f"signer {index} of this transaction is not a multisig")
    if infos[index].public_key.type_url != MULTISIG_PUBKEY_URL:
        raise TxError(f"signer {index} is a multisig with a {infos[index].public_key.type_url} key; only "
                      f"{MULTISIG_PUBKEY_URL} is supported")
    pk = multisig_keys_pb2.LegacyAminoPubKey()
    pk.ParseFromString(infos[index].public_key.value)
    sub_keys = []
    for any_key in pk.public_keys:
        sub = secp256k1_keys_pb2.PubKey()
        sub.ParseFromString(any_key.value)
        sub_keys.append(sub.key)
    return MultisigSpec(pk.threshold, tuple(sub_keys))


def sign_part(unsigned: UnsignedTx, signer: Signer, data: SignerData, *, index: int = 0) -> tuple[int, bytes]:
    """(position of the signer's key in the multisig, its amino-JSON signature)."""
    spec = spec_of(unsigned, index)
    if unsigned.auth_info.signer_infos[index].sequence != data.sequence:
        raise TxError(f"multisig signer {index} is declared with sequence "
                      f"{unsigned.auth_info.signer_infos[index].sequence}, not {data.sequence}")
    try:
        position = spec.public_keys.index(signer.public_key())
    except ValueError:
        raise TxError("this key is not one of the multisig's public keys") from None
    return position, signer.sign(unsigned.sign_bytes(SignMode.LEGACY_AMINO_JSON, data))


def combine(unsigned: UnsignedTx, parts: Mapping[int, bytes], data: SignerData, *,
            index: int = 0) -> tuple[UnsignedTx, bytes]:
    """Check each partial signature, require the threshold, and build the final AuthInfo and MultiSignature."""
    spec = spec_of(unsigned, index)
    sign_bytes = unsigned.sign_bytes(SignMode.LEGACY_AMINO_JSON, data)
    for position, signature in parts.items():
        if not 0 <= position < len(spec.public_keys):
            raise TxError(f"partial signature for key #{position}, but the multisig has {len(spec.public_keys)} keys")
        if not verify_secp256k1(spec.public_keys[position], sign_bytes, signature):
            raise TxError(f"the partial signature of key #{position} does not verify against this transaction")
    if len(parts) < spec.threshold:
        raise TxError(f"{len(parts)} of {len(spec.public_keys)} signatures present; the threshold is {spec.threshold}")
    present = sorted(parts)
    auth_info = tx_pb2.AuthInfo()
    auth_info.CopyFrom(unsigned.auth_info)
    multi = auth_info.signer_infos[index].mode_info.multi
    multi.bitarray.CopyFrom(bit_array([i in parts for i in range(len(spec.public_keys))]))
    del multi.mode_infos[:]
    for _ in present:
        multi.mode_infos.add().single.mode = SignMode.LEGACY_AMINO_JSON
    signature = multisig_pb2.MultiSignature(signatures=[parts[i] for i in present]).SerializeToString()
    return (UnsignedTx(unsigned.body_bytes, auth_info.SerializeToString(deterministic=True), unsigned.ics_version),
            signature)
