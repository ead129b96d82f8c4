"""Check a signed transaction like `gaiad tx validate-signatures`, and that it still is the tx that was exported.

Why both: an offline signing file travels through other hands and machines. The online machine must know that
every signature verifies for the declared keys under the right chain id, account number and sequence, AND that
what came back signs the same body and fee as what was exported (a swapped message would carry a valid
signature too, just over different bytes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ics_workbench import addresses
from ics_workbench.signing.multisig import multisig_address, spec_of
from ics_workbench.signing.secp256k1 import verify_secp256k1
from ics_workbench.signing.tx import (
    SECP256K1_PUBKEY_URL,
    SignerData,
    SignMode,
    TxError,
    UnsignedTx,
    bits_of,
    multisig_pb2,
    secp256k1_keys_pb2,
)


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on one signer's signature, worded for display."""

    index: int
    address: str
    mode: str
    ok: bool
    detail: str


def _single_check(unsigned: UnsignedTx, index: int, signature: bytes, data: SignerData, prefix: str) -> SignatureCheck:
    info = unsigned.auth_info.signer_infos[index]
    if info.public_key.type_url != SECP256K1_PUBKEY_URL:
        return SignatureCheck(index, "?", "?", False, f"public key type {info.public_key.type_url} is not supported")
    pk = secp256k1_keys_pb2.PubKey()
    pk.ParseFromString(info.public_key.value)
    address = addresses.encode_address(addresses.address_bytes_from_public_key(pk.key), prefix)
    mode = SignMode(info.mode_info.single.mode)
    if info.sequence != data.sequence:
        return SignatureCheck(index, address, mode.label, False,
                              f"signed with sequence {info.sequence}, but the account's sequence is {data.sequence}")
    if not signature:
        return SignatureCheck(index, address, mode.label, False, "not signed yet")
    ok = verify_secp256k1(pk.key, unsigned.sign_bytes(mode, data), signature)
    detail = (f"valid for chain {data.chain_id}, account {data.account_number}, sequence {data.sequence}" if ok else
              f"does NOT verify for chain {data.chain_id}, account {data.account_number}, sequence {data.sequence}")
    return SignatureCheck(index, address, mode.label, ok, detail)


def _multi_check(unsigned: UnsignedTx, index: int, signature: bytes, data: SignerData, prefix: str) -> SignatureCheck:
    spec = spec_of(unsigned, index)
    address = multisig_address(spec, prefix)
    info = unsigned.auth_info.signer_infos[index]
    label = f"multisig {spec.threshold}-of-{len(spec.public_keys)}"
    if info.sequence != data.sequence:
        return SignatureCheck(index, address, label, False,
                              f"signed with sequence {info.sequence}, but the account's sequence is {data.sequence}")
    if not signature:
        return SignatureCheck(index, address, label, False, "not signed yet")
    bits = bits_of(info.mode_info.multi.bitarray)
    multi = multisig_pb2.MultiSignature()
    multi.ParseFromString(signature)
    present = [i for i, bit in enumerate(bits) if bit]
    if len(present) != len(multi.signatures) or len(bits) != len(spec.public_keys):
        return SignatureCheck(index, address, label, False, "bit array and signatures do not correspond")
    sign_bytes = unsigned.sign_bytes(SignMode.LEGACY_AMINO_JSON, data)
    bad = [i for i, sig in zip(present, multi.signatures, strict=True)
           if not verify_secp256k1(spec.public_keys[i], sign_bytes, sig)]
    if bad:
        return SignatureCheck(index, address, label, False, f"signature(s) of key(s) {bad} do NOT verify")
    if len(present) < spec.threshold:
        return SignatureCheck(index, address, label, False,
                              f"only {len(present)} signature(s); the threshold is {spec.threshold}")
    return SignatureCheck(index, address, label, True, f"{len(present)} valid signature(s), threshold {spec.threshold}")


def verify_signatures(unsigned: UnsignedTx, signatures: Sequence[bytes], signer_data: Sequence[SignerData], *,
                      prefix: str) -> list[SignatureCheck]:
    """One check per declared signer (`signer_data[i]` is the chain's view of signer i)."""
    infos = unsigned.auth_info.signer_infos
    if len(signer_data) != len(infos):
        raise TxError(f"the tx declares {len(infos)} signer(s) but signer data for {len(signer_data)} was given")
    padded = list(signatures) + [b""] * (len(infos) - len(signatures))
    if len(signatures) > len(infos):
        raise TxError(f"the tx declares {len(infos)} signer(s) but carries {len(signatures)} signatures")
    checks = []
    for i, (signature, data) in enumerate(zip(padded, signer_data, strict=True)):
        check = _multi_check if infos[i].mode_info.HasField("multi") else _single_check
        checks.append(check(unsigned, i, signature, data, prefix))
    return checks


def differences(expected: UnsignedTx, actual: UnsignedTx) -> list[str]:
    """What differs between the exported unsigned tx and a signed one, ignoring signatures and multisig bit arrays."""
    problems: list[str] = []
    if expected.body_bytes != actual.body_bytes:
        eb, ab = expected.body, actual.body
        if [m.type_url for m in eb.messages] != [m.type_url for m in ab.messages]:
            problems.append("the messages differ in number or type")
        elif list(eb.messages) != list(ab.messages):
            changed = [i + 1 for i, (a, b) in enumerate(zip(eb.messages, ab.messages, strict=True)) if a != b]
            problems.append(f"message(s) {changed} differ")
        if eb.memo != ab.memo:
            problems.append(f"memo differs ({eb.memo!r} vs {ab.memo!r})")
        if eb.timeout_height != ab.timeout_height:
            problems.append(f"timeout height differs ({eb.timeout_height} vs {ab.timeout_height})")
        if not problems:
            problems.append("the body bytes differ (encoding or extension options)")
    ea, aa = expected.auth_info, actual.auth_info
    if ea.fee != aa.fee:
        problems.append("the fee differs (amount, gas limit, payer or granter)")
    if len(ea.signer_infos) != len(aa.signer_infos):
        problems.append(f"{len(ea.signer_infos)} signer(s) expected, {len(aa.signer_infos)} found")
    else:
        for i, (e, a) in enumerate(zip(ea.signer_infos, aa.signer_infos, strict=True)):
            if e.public_key != a.public_key:
                problems.append(f"signer {i}: public key differs")
            if e.sequence != a.sequence:
                problems.append(f"signer {i}: sequence differs ({e.sequence} vs {a.sequence})")
            if e.mode_info.HasField("single") != a.mode_info.HasField("single") or (
                    e.mode_info.HasField("single") and e.mode_info.single.mode != a.mode_info.single.mode):
                problems.append(f"signer {i}: sign mode differs")
    return problems
