"""Blockchain Commons UR in the app alone: bytewords, the fountain code under loss and reordering, Keystone
requests and signatures attached with every check, and hostile input refused with one line."""

from __future__ import annotations

import os
import random

import cbor2
import pytest
from hypothesis import given, settings, strategies as st

from ics_workbench.signing import offline_file
from ics_workbench.signing.secp256k1 import PrivateKeySigner
from ics_workbench.signing.tx import MultisigSpec, SignMode
from ics_workbench.signing.ur import bytewords, codec, keystone
from tests.signing.offline_helpers import multisig_vote_request, opt_in, vote_request

KEY = PrivateKeySigner(bytes.fromhex("1f" * 32))
OTHER = PrivateKeySigner(bytes.fromhex("2e" * 32))


def test_bytewords_known_vector_and_checksum() -> None:
    # BCR-2020-012 test vector: bytes 00 01 02 80 ff -> minimal bytewords with CRC-32
    assert bytewords.encode_minimal(bytes([0, 1, 2, 128, 255])) == "aeadaolazmjendeoti"
    assert bytewords.decode_minimal("AEADAOLAZMJENDEOTI") == bytes([0, 1, 2, 128, 255])
    with pytest.raises(bytewords.BytewordsError, match="checksum mismatch"):
        bytewords.decode_minimal("aeadaolazmjendeota")
    with pytest.raises(bytewords.BytewordsError, match="not a byteword"):
        bytewords.decode_minimal("qqadaolazmjendeoti")


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=1, max_size=3000), st.integers(10, 300), st.randoms(use_true_random=False))
def test_fountain_recovers_with_lost_and_shuffled_parts(message: bytes, max_fragment: int, rng: random.Random) -> None:
    encoder = codec.UREncoder(codec.UR("bytes", message), max_fragment=max_fragment)
    n = encoder.fountain.seq_len
    texts = encoder.parts(n * 4 + 10)
    lost = set(rng.sample(range(n), n // 3)) if n > 1 else set()
    kept = [t for i, t in enumerate(texts) if i not in lost]
    rng.shuffle(kept)
    kept += kept[:3]  # repeats of a looping display
    assert codec.decode(kept).cbor == message


def test_sign_request_carries_the_exact_sign_bytes_and_a_hash_derived_id() -> None:
    request = vote_request(KEY.public_key(), mode=SignMode.LEGACY_AMINO_JSON)
    ur = keystone.sign_request(request, xfp="f23f9fd2")
    value = cbor2.loads(ur.cbor)
    assert ur.type == "cosmos-sign-request"
    assert value[1].bytes == keystone.request_id(request.sign_bytes())  # tag 37, read back as a UUID
    assert value[2] == request.sign_bytes() and value[3] == 1
    assert value[4][0].tag == 304 and value[4][0].value == {1: (44, True, 118, True, 0, True, 0, False, 0, False),
                                                           2: 0xF23F9FD2}
    assert value[5] == [request.address] and value[6] == "ICS Workbench"
    assert cbor2.loads(keystone.sign_request(vote_request(KEY.public_key())).cbor)[3] == 2  # direct
    scanned = keystone.parse_sign_request(ur)  # what a device reads back
    assert scanned.paths == (((44, True), (118, True), (0, True), (0, False), (0, False)),)
    assert (scanned.sign_data, scanned.data_type, scanned.addresses) == (request.sign_bytes(), 1, (request.address,))


def test_a_device_signature_is_attached_only_after_every_check() -> None:
    request = vote_request(KEY.public_key(), mode=SignMode.LEGACY_AMINO_JSON)
    rid = keystone.request_id(request.sign_bytes())
    good = keystone.SignatureAnswer(rid, KEY.sign(request.sign_bytes()), KEY.public_key())
    signed = keystone.attach_signature(request, keystone.signature_ur(good))
    assert signed.state == "signed" and any("valid" in f or "verif" in f for f in offline_file.verify(signed, request))
    with pytest.raises(keystone.KeystoneError, match="answers another request"):
        other = vote_request(KEY.public_key(), mode=SignMode.LEGACY_AMINO_JSON, sequence=4)
        keystone.attach_signature(other, keystone.signature_ur(good))
    with pytest.raises(keystone.KeystoneError, match="another key"):
        keystone.attach_signature(request, keystone.signature_ur(
            keystone.SignatureAnswer(rid, OTHER.sign(request.sign_bytes()), OTHER.public_key())))
    with pytest.raises(keystone.KeystoneError, match="does NOT verify"):
        keystone.attach_signature(request, keystone.signature_ur(
            keystone.SignatureAnswer(rid, KEY.sign(b"something else"), None)))
    with pytest.raises(keystone.KeystoneError, match="already signed"):
        keystone.attach_signature(signed, keystone.signature_ur(good))


def test_multisig_members_answer_with_their_keys() -> None:
    third = PrivateKeySigner(bytes.fromhex("3d" * 32))
    spec = MultisigSpec(2, (KEY.public_key(), OTHER.public_key(), third.public_key()))
    request = multisig_vote_request(spec)
    rid = keystone.request_id(request.sign_bytes())
    assert 5 not in cbor2.loads(keystone.sign_request(request).cbor)
    file = request
    for signer in (third, KEY):
        answer = keystone.SignatureAnswer(rid, signer.sign(request.sign_bytes()), signer.public_key())
        file = keystone.attach_signature(file, keystone.signature_ur(answer))
    assert [p for p, _ in file.partial_signatures] == [0, 2]
    assert offline_file.combine(file).state == "signed"
    with pytest.raises(keystone.KeystoneError, match="public key of the multisig"):
        keystone.attach_signature(request, keystone.signature_ur(
            keystone.SignatureAnswer(rid, KEY.sign(request.sign_bytes()), None)))


def test_an_amino_ics_request_exports() -> None:
    from ics_workbench.signing.tx import Fee, SignerSpec, build_unsigned_tx
    from tests.signing.offline_helpers import address_of

    address = address_of(KEY.public_key())
    unsigned = build_unsigned_tx([opt_in(address)], fee=Fee.of("1stake", 1),
                                 signers=[SignerSpec(KEY.public_key(), 0, SignMode.LEGACY_AMINO_JSON)])
    request = offline_file.create_request(unsigned, chain_id="provider", address=address, account_number=1,
                                          sequence=0)
    value = cbor2.loads(keystone.sign_request(request).cbor)
    assert b'"type":"/interchain_security.ccv.provider.v1.MsgOptIn"' in value[2]


@pytest.mark.parametrize("text, match", [
    ("hello", "does not start with ur:"),
    ("ur:Bad_Type/aeadaolazmjendeoti", "characters other than"),
    ("ur:bytes/0-3/aeadaolazmjendeoti", "must look like"),
    ("ur:bytes/1-2/aeadaolazmjendeoti", "not \\[seqNum|not valid CBOR"),
    ("ur:bytes/" + "ae" * 5000, "longer than any QR code"),
])
def test_hostile_texts_are_refused_with_one_line(text: str, match: str) -> None:
    with pytest.raises(codec.URError, match=match):
        codec.URDecoder().receive(text)


def test_parts_of_another_message_or_type_are_refused() -> None:
    a = codec.UREncoder(codec.UR("bytes", os.urandom(500)), max_fragment=50).parts(3)
    b = codec.UREncoder(codec.UR("bytes", os.urandom(500)), max_fragment=50).parts(3)
    decoder = codec.URDecoder(expected_type="bytes")
    decoder.receive(a[0])
    with pytest.raises(codec.URError, match="another message"):
        decoder.receive(b[1])
    with pytest.raises(codec.URError, match="a cosmos-signature was expected"):
        codec.URDecoder(expected_type="cosmos-signature").receive(a[0])
    with pytest.raises(codec.URError, match="incomplete: 1 of 10"):
        codec.decode(a[:1])
    bad_cbor = codec.encode_single(codec.UR("cosmos-signature", b"\xff\xff"))
    with pytest.raises(keystone.KeystoneError, match="not valid CBOR"):
        keystone.parse_signature(codec.decode([bad_cbor]))
