"""The review is decoded from the exact bytes and shows every message, the fee and the sign-bytes hash."""

from __future__ import annotations

import hashlib

from ics_workbench.signing import render
from ics_workbench.signing.tx import SignMode, UnsignedTx
from tests.signing import _txfixtures as fx


def test_review_shows_messages_fee_signer_and_sign_bytes_hash() -> None:
    utx = fx.unsigned([fx.vote(fx.address(0), 42), fx.opt_in(fx.address(0))], memo="go", fee="777stake", gas=91_000)
    view = render.review(utx, prefix="cosmos", signer_data=[fx.CHAIN])
    assert view.messages[0].summary == f"Vote YES on proposal #42 as {fx.address(0)}"
    assert view.messages[1].summary.startswith("Opt validator cosmosvaloper1")
    assert ("consumer_id", "0") in view.messages[1].fields
    assert view.fee == "777stake" and view.gas_limit == 91_000 and view.memo == "go"
    (signer,) = view.signers
    assert signer.address == fx.address(0) and signer.sequence == fx.CHAIN.sequence
    assert signer.sign_bytes_sha256 == hashlib.sha256(utx.sign_bytes(SignMode.DIRECT, fx.CHAIN)).hexdigest()
    text = view.text()
    assert "Vote YES on proposal #42" in text and "777stake" in text and signer.sign_bytes_sha256 in text


def test_review_reflects_the_bytes_not_the_objects() -> None:
    utx = fx.unsigned([fx.vote(fx.address(0), 42)])
    body = utx.body  # a decoded copy: changing it does not change utx
    body.messages[0].value = fx.vote(fx.address(0), 43).SerializeToString()
    tampered = UnsignedTx(body.SerializeToString(), utx.auth_info_bytes)
    assert "proposal #42" in render.review(utx, prefix="cosmos").messages[0].summary
    assert "proposal #43" in render.review(tampered, prefix="cosmos").messages[0].summary
    assert render.review(tampered, prefix="cosmos").body_sha256 != render.review(utx, prefix="cosmos").body_sha256


def test_commission_rate_is_shown_as_a_decimal() -> None:
    from ics_workbench.proto import provider_tx_pb2 as ics

    msg = ics.MsgSetConsumerCommissionRate(provider_addr="cosmosvaloper1x", rate="50000000000000000",
                                           signer=fx.address(0), consumer_id="2")
    view = render.review(fx.unsigned([msg]), prefix="cosmos")
    assert view.messages[0].summary.startswith("Set commission rate 0.050000000000000000")
    assert ("rate", "0.050000000000000000") in view.messages[0].fields
