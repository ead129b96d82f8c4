"""The offline-signing file: round trip through every state, and each kind of bad file refused precisely."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from pathlib import Path

import pytest

from ics_workbench.signing import offline_file
from ics_workbench.signing.offline_file import (
    OfflineFileError,
    check_for_chain,
    check_for_key,
    combine,
    load,
    merge_partials,
    sign,
    verify,
)
from ics_workbench.signing.secp256k1 import PrivateKeySigner, verify_secp256k1
from ics_workbench.signing.tx import MultisigSpec, SignerData, SignMode, build_unsigned_tx, decode_tx_raw
from tests.signing.offline_helpers import FEE, address_of, opt_in, vote_request

SIGNER = PrivateKeySigner(bytes.fromhex("5f" * 32))
OTHER = PrivateKeySigner(bytes.fromhex("6a" * 32))
THIRD = PrivateKeySigner(bytes.fromhex("7b" * 32))


@pytest.mark.parametrize("mode", [SignMode.DIRECT, SignMode.LEGACY_AMINO_JSON])
def test_request_sign_verify_round_trip_through_files(tmp_path: Path, mode: SignMode) -> None:
    request = vote_request(SIGNER.public_key(), mode=mode)
    assert request.state == "unsigned"
    request.save(tmp_path / "req.json")
    doc = json.loads((tmp_path / "req.json").read_text())
    assert doc["format"] == "ics-workbench/offline-signing" and doc["version"] == 1 and doc["state"] == "unsigned"
    assert doc["sign_mode"] == mode.label
    assert doc["unsigned_tx"]["body"]["messages"][0]["@type"] == "/cosmos.gov.v1.MsgVote"
    assert doc["unsigned_tx"]["signatures"] == []
    assert doc["messages"][0]["type_url"] == "/cosmos.gov.v1.MsgVote"
    assert doc["fee_provenance"]["adjustment"] == "1.5"
    assert doc["fee"]["amount"] == [{"denom": "stake", "amount": "5000"}]

    loaded = load(tmp_path / "req.json")
    assert loaded.sign_bytes_sha256() == doc["sign_bytes_sha256"]
    signed = sign(loaded, SIGNER)
    signed.save(tmp_path / "signed.json")
    again = load(tmp_path / "signed.json")
    assert again.state == "signed"
    findings = verify(again, load(tmp_path / "req.json"))
    assert any("matches the exported request" in f for f in findings)

    unsigned, signatures = decode_tx_raw(again.tx_bytes)
    data = SignerData("provider", 12, 3)
    assert verify_secp256k1(SIGNER.public_key(), unsigned.sign_bytes(mode, data), signatures[0])
    signed_json = json.loads((tmp_path / "signed.json").read_text())
    assert signed_json["state"] == "signed"
    assert signed_json["signed_tx"]["signatures"] == [base64.b64encode(signatures[0]).decode()]
    text = again.review_text()
    assert doc["sign_bytes_sha256"] in text and "5000stake" in text and "State: signed" in text


def test_newer_version_and_foreign_format_are_refused(tmp_path: Path) -> None:
    doc = vote_request(SIGNER.public_key()).to_json()
    with pytest.raises(OfflineFileError, match="format version 2, newer than the 1"):
        offline_file.parse_document(doc | {"version": 2})
    with pytest.raises(OfflineFileError, match="not an ics-workbench signing file"):
        offline_file.parse_document(doc | {"format": "something-else"})
    with pytest.raises(OfflineFileError, match="field signer.account_number must be a non-negative integer"):
        offline_file.parse_document(doc | {"signer": doc["signer"] | {"account_number": "-1"}})
    with pytest.raises(OfflineFileError, match="field body_bytes is not valid base64"):
        offline_file.parse_document(doc | {"body_bytes": "***"})
    (tmp_path / "x.json").write_text("{not json")
    with pytest.raises(OfflineFileError, match="is not JSON"):
        load(tmp_path / "x.json")


def test_edited_copies_are_detected() -> None:
    doc = vote_request(SIGNER.public_key()).to_json()
    for key, change in (
        ("messages", lambda d: d["messages"][0]["fields"].update(option="VOTE_OPTION_NO")),
        ("unsigned_tx", lambda d: d["unsigned_tx"]["body"].update(memo="other")),
        ("sign_bytes_sha256", lambda d: d.update(sign_bytes_sha256="0" * 64)),
        ("fee", lambda d: d["fee"].update(gas_limit="1")),
    ):
        edited = json.loads(json.dumps(doc))
        change(edited)
        with pytest.raises(OfflineFileError, match=f"field {key} does not match what the file's bytes say"):
            offline_file.parse_document(edited)
    edited = json.loads(json.dumps(doc))
    edited["signer"]["sequence"] = "4"
    with pytest.raises(OfflineFileError, match="signer.sequence is 4 but auth_info_bytes commits to sequence 3"):
        offline_file.parse_document(edited)


def test_signed_file_that_no_longer_matches_the_request_is_refused() -> None:
    request = vote_request(SIGNER.public_key())
    signed_other = sign(vote_request(SIGNER.public_key(), account_number=13), SIGNER)
    with pytest.raises(OfflineFileError, match="no longer matches the unsigned one: its account number is 13"):
        verify(signed_other, request)
    changed_memo = sign(vote_request(SIGNER.public_key(), memo="changed"), SIGNER)
    with pytest.raises(OfflineFileError, match="no longer matches the unsigned one: memo differs"):
        verify(changed_memo, request)
    # a signed tx swapped under an untouched request part: the signature covers other bytes
    forged = replace(sign(request, SIGNER), unsigned=changed_memo.unsigned)
    with pytest.raises(OfflineFileError, match="signed transaction no longer matches the file's request"):
        verify(forged)


def test_wrong_key_chain_id_account_number() -> None:
    request = vote_request(SIGNER.public_key())
    with pytest.raises(
        OfflineFileError, match=f"this file is for account {request.address}, but key 'cold' is cosmos1"
    ):
        check_for_key(request, address_of(OTHER.public_key()), OTHER.public_key(), "cold")
    with pytest.raises(OfflineFileError, match="public key does not match signer 0"):
        sign(request, OTHER)
    with pytest.raises(
        OfflineFileError, match="wrong chain id: the file is for 'provider', the chain is 'cosmoshub-4'"
    ):
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


def test_amino_json_ics_request_exports_and_signs() -> None:
    from ics_workbench.signing.tx import SignerSpec

    unsigned = build_unsigned_tx([opt_in(address_of(SIGNER.public_key()))], fee=FEE,
                                 signers=[SignerSpec(SIGNER.public_key(), 0, SignMode.LEGACY_AMINO_JSON)])
    request = offline_file.create_request(unsigned, chain_id="provider", address=address_of(SIGNER.public_key()),
                                          account_number=1, sequence=0)
    signed = sign(request, SIGNER)
    assert signed.state == "signed"
    assert not any("does NOT verify" in line for line in verify(signed))


def test_multisig_partial_signatures_merge_and_combine_with_threshold(tmp_path: Path) -> None:
    from tests.signing.offline_helpers import multisig_vote_request

    spec = MultisigSpec(2, (SIGNER.public_key(), OTHER.public_key(), THIRD.public_key()))
    request = multisig_vote_request(spec)
    request.save(tmp_path / "req.json")
    first = sign(load(tmp_path / "req.json"), SIGNER)
    first.save(tmp_path / "a.json")
    assert load(tmp_path / "a.json").state == "partially_signed"
    with pytest.raises(OfflineFileError, match="the threshold is 2"):
        combine(first)
    with pytest.raises(OfflineFileError, match="key #0 has already signed"):
        sign(first, SIGNER)
    third = sign(load(tmp_path / "req.json"), THIRD)
    merged = merge_partials(load(tmp_path / "a.json"), third)
    assert any("2 of threshold 2 collected" in f for f in verify(merged))
    signed = combine(merged)
    signed.save(tmp_path / "signed.json")
    reloaded = load(tmp_path / "signed.json")
    findings = verify(reloaded, load(tmp_path / "req.json"))
    assert reloaded.state == "signed" and any("2 valid signature(s), threshold 2" in f for f in findings)
    with pytest.raises(OfflineFileError, match="not one of the keys of multisig"):
        check_for_key(request, "cosmos1r5v5srda7xfth3hn2s26txvrcrntldjumt8mhl",
                      PrivateKeySigner(bytes.fromhex("11" * 32)).public_key(), "stranger")
