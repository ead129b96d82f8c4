"""The offline-signing file: round trip through every state, and each kind of bad file refused precisely."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import cosmpy.protos  # noqa: F401,I001
from cosmos.tx.v1beta1 import tx_pb2  # noqa: E402

from ics_workbench.signing import offline_file
from ics_workbench.signing.offline_file import OfflineFileError, check_for_chain, check_for_key, load, sign, verify
from ics_workbench.signing.secp256k1 import PrivateKeySigner, verify_secp256k1
from tests.signing.offline_helpers import vote_body, vote_request

KEY = bytes.fromhex("5f" * 32)
SIGNER = PrivateKeySigner(KEY)
OTHER = PrivateKeySigner(bytes.fromhex("6a" * 32))


def test_request_sign_verify_round_trip_through_files(tmp_path: Path) -> None:
    request = vote_request(SIGNER.public_key())
    assert request.state == "unsigned"
    request.save(tmp_path / "req.json")
    doc = json.loads((tmp_path / "req.json").read_text())
    assert doc["format"] == "ics-workbench/offline-signing" and doc["version"] == 1 and doc["state"] == "unsigned"
    assert doc["unsigned_tx"]["body"]["messages"][0]["@type"] == "/cosmos.gov.v1.MsgVote"
    assert doc["unsigned_tx"]["signatures"] == []
    assert doc["messages"][0]["option"] == "VOTE_OPTION_YES"
    assert doc["fee_provenance"]["gas_adjustment"] == "1.5"

    loaded = load(tmp_path / "req.json")
    assert loaded.sign_bytes_sha256() == doc["sign_bytes_sha256"]
    signed = sign(loaded, SIGNER)
    signed.save(tmp_path / "signed.json")
    again = load(tmp_path / "signed.json")
    assert again.state == "signed"
    findings = verify(again, load(tmp_path / "req.json"))
    assert any("matches the exported request" in f for f in findings)

    raw = tx_pb2.TxRaw.FromString(again.tx_bytes())
    sign_doc = tx_pb2.SignDoc(body_bytes=raw.body_bytes, auth_info_bytes=raw.auth_info_bytes,
                              chain_id="provider", account_number=12).SerializeToString()
    assert verify_secp256k1(SIGNER.public_key(), sign_doc, raw.signatures[0])
    signed_json = json.loads((tmp_path / "signed.json").read_text())["signed_tx"]
    assert signed_json["signatures"] == [base64.b64encode(raw.signatures[0]).decode()]
    assert "review" not in signed_json
    text = again.review()
    assert "VOTE_OPTION_YES" in text and doc["sign_bytes_sha256"] in text and "5000stake" in text


def test_newer_version_and_foreign_format_are_refused(tmp_path: Path) -> None:
    doc = vote_request(SIGNER.public_key()).to_json()
    with pytest.raises(OfflineFileError, match="format version 2, newer than the 1"):
        offline_file.parse_document(doc | {"version": 2})
    with pytest.raises(OfflineFileError, match="not an ics-workbench signing file"):
        offline_file.parse_document(doc | {"format": "something-else"})
    with pytest.raises(OfflineFileError, match="field signer.account_number must be a non-negative integer"):
        offline_file.parse_document(doc | {"signer": doc["signer"] | {"account_number": "-1"}})
    (tmp_path / "x.json").write_text("{not json")
    with pytest.raises(OfflineFileError, match="is not JSON"):
        load(tmp_path / "x.json")


def test_edited_copies_are_detected() -> None:
    doc = vote_request(SIGNER.public_key()).to_json()
    edited = json.loads(json.dumps(doc))
    edited["messages"][0]["option"] = "VOTE_OPTION_NO"
    with pytest.raises(OfflineFileError, match="field messages does not match"):
        offline_file.parse_document(edited)
    edited = json.loads(json.dumps(doc))
    edited["signer"]["sequence"] = "4"
    with pytest.raises(OfflineFileError, match="signer.sequence is 4 but auth_info_bytes commits to sequence 3"):
        offline_file.parse_document(edited)
    edited = json.loads(json.dumps(doc))
    edited["sign_bytes_sha256"] = "0" * 64
    with pytest.raises(OfflineFileError, match="field sign_bytes_sha256 does not match"):
        offline_file.parse_document(edited)


def test_signed_file_that_no_longer_matches_the_request_is_refused() -> None:
    request = vote_request(SIGNER.public_key())
    other_request = vote_request(SIGNER.public_key(), account_number=13)
    signed_other = sign(other_request, SIGNER)
    with pytest.raises(OfflineFileError, match="no longer matches the unsigned one: its account number differs"):
        verify(signed_other, request)
    tampered = offline_file.SigningFile(**{**sign(request, SIGNER).__dict__,
                                           "body_bytes": vote_body(request.signer.address, memo="changed")})
    with pytest.raises(OfflineFileError, match=r"its messages/memo \(body_bytes\) differs"):
        verify(tampered, request)
    with pytest.raises(OfflineFileError, match="signature 1 does not verify"):
        verify(tampered)


def test_wrong_key_chain_id_account_number() -> None:
    request = vote_request(SIGNER.public_key())
    from ics_workbench.signing.keys import address_bytes_from_public_key, encode_address

    other_address = encode_address(address_bytes_from_public_key(OTHER.public_key()), "cosmos")
    with pytest.raises(OfflineFileError, match=f"this file is for account {request.signer.address}, but key 'cold'"):
        check_for_key(request, other_address, OTHER.public_key(), "cold")
    with pytest.raises(OfflineFileError, match="public key is not the file's signer"):
        sign(request, OTHER)
    with pytest.raises(OfflineFileError, match="wrong chain id: the file is for 'provider', the chain is 'cosmoshub-4'"):
        check_for_chain(request, chain_id="cosmoshub-4", account_number=12)
    with pytest.raises(OfflineFileError, match="wrong account number: the file says 12, the chain has 99"):
        check_for_chain(request, chain_id="provider", account_number=99)
    with pytest.raises(OfflineFileError, match="stale sequence"):
        check_for_chain(request, chain_id="provider", account_number=12, sequence=4)
    check_for_chain(request, chain_id="provider", account_number=12, sequence=3)


def test_signing_twice_is_refused() -> None:
    signed = sign(vote_request(SIGNER.public_key()), SIGNER)
    with pytest.raises(OfflineFileError, match="already signed"):
        sign(signed, SIGNER)
