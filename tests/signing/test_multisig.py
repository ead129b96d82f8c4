"""Legacy amino multisig: address, partial signatures, threshold and combined verification."""

from __future__ import annotations

import pytest

from ics_workbench.signing import gaiad_json, multisig, verify
from ics_workbench.signing.tx import (
    Fee,
    MultisigSpec,
    SignerSpec,
    TxError,
    assemble,
    bit_array,
    bits_of,
    build_unsigned_tx,
    decode_tx_raw,
)
from tests.signing import _txfixtures as fx


def _spec() -> MultisigSpec:
    return MultisigSpec(2, tuple(fx.signer(i).public_key() for i in range(3)))


def _unsigned(spec: MultisigSpec) -> object:
    ms_address = multisig.multisig_address(spec, "cosmos")
    return build_unsigned_tx([fx.vote(ms_address)], signers=[SignerSpec(multisig=spec, sequence=fx.CHAIN.sequence)],
                             fee=Fee.of("1000stake", 150_000))


def test_compact_bit_array_round_trip() -> None:
    for bits in ([True], [False, True, True], [True] * 8, [True, False] * 5):
        assert bits_of(bit_array(bits)) == bits
    assert bit_array([True, False, True]).elems == bytes([0b10100000])


def test_multisig_address_matches_the_amino_pubkey_hash() -> None:
    spec = _spec()
    raw = multisig.amino_pubkey_bytes(spec)
    assert raw.startswith(bytes.fromhex("22c1f7e20802")) and raw.count(bytes.fromhex("eb5ae98721")) == 3
    assert multisig.multisig_address(spec, "cosmos").startswith("cosmos1")
    assert multisig.multisig_address(spec, "cosmos") != multisig.multisig_address(MultisigSpec(1, spec.public_keys),
                                                                                  "cosmos")


def test_two_of_three_combine_and_verify() -> None:
    spec = _spec()
    utx = _unsigned(spec)
    parts = dict(multisig.sign_part(utx, fx.signer(i), fx.CHAIN) for i in (0, 2))
    with pytest.raises(TxError, match="1 of 3 signatures present; the threshold is 2"):
        multisig.combine(utx, {0: parts[0]}, fx.CHAIN)
    final, signature = multisig.combine(utx, parts, fx.CHAIN)
    assert verify.differences(utx, final) == []  # only the bit array / mode infos changed
    signed, sigs = decode_tx_raw(assemble(final, [signature]))
    (check,) = verify.verify_signatures(signed, sigs, [fx.CHAIN], prefix="cosmos")
    assert check.ok and check.mode == "multisig 2-of-3" and check.address == multisig.multisig_address(spec, "cosmos")
    again, again_sigs = gaiad_json.tx_from_json(gaiad_json.tx_to_json(signed, sigs))
    assert again == signed and again_sigs == sigs


def test_a_forged_partial_signature_is_refused() -> None:
    utx = _unsigned(_spec())
    _, good = multisig.sign_part(utx, fx.signer(0), fx.CHAIN)
    with pytest.raises(TxError, match="key #1 does not verify"):
        multisig.combine(utx, {0: good, 1: good}, fx.CHAIN)
    with pytest.raises(TxError, match="not one of the multisig's public keys"):
        multisig.sign_part(utx, fx.PrivateKeySigner(bytes.fromhex("ab" * 32)), fx.CHAIN)


def test_threshold_must_fit_the_keys() -> None:
    with pytest.raises(TxError, match="between 1 and 3"):
        MultisigSpec(4, _spec().public_keys)
