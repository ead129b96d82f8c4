"""Legacy amino JSON encoding rules, checked on messages whose SDK encoding is known."""

from __future__ import annotations

import importlib
import json

import pytest

from ics_workbench import addresses
from ics_workbench.proto import registry
from ics_workbench.signing import amino
from ics_workbench.signing.tx import SignMode
from tests.signing import _txfixtures as fx

upgrade = importlib.import_module("cosmos.upgrade.v1beta1.upgrade_pb2")
gov_beta = importlib.import_module("cosmos.gov.v1beta1.gov_pb2")


def test_vote_and_send_follow_the_sdk_amino_form() -> None:
    assert amino.encode_message(fx.vote("cosmos1voter", 12)) == {
        "type": "cosmos-sdk/v1/MsgVote",
        "value": {"option": 1, "proposal_id": "12", "voter": "cosmos1voter"}}  # empty metadata omitted
    assert amino.encode_message(fx.send("cosmos1a", "cosmos1b")) == {
        "type": "cosmos-sdk/MsgSend",
        "value": {"amount": [{"amount": "1000", "denom": "stake"}], "from_address": "cosmos1a",
                  "to_address": "cosmos1b"}}


def test_dont_omitempty_and_legacy_coins() -> None:
    # proposal_id has dont_omitempty: 0 is printed; initial_deposit is legacy_coins: empty prints [].
    vote0 = amino.encode_message(fx.gov.MsgVote(voter="v"))
    assert vote0["value"] == {"proposal_id": "0", "voter": "v"}
    proposal = amino.encode_message(fx.gov.MsgSubmitProposal(proposer="p", title="t", summary="s"))
    assert proposal == {"type": "cosmos-sdk/v1/MsgSubmitProposal",
                        "value": {"initial_deposit": [], "proposer": "p", "summary": "s", "title": "t"}}


def test_nested_any_content_uses_its_amino_name() -> None:
    text = gov_beta.TextProposal(title="T", description="D")
    exec_msg = fx.gov.MsgExecLegacyContent(content=registry.pack(text), authority="cosmos1gov")
    assert amino.encode_message(exec_msg) == {
        "type": "cosmos-sdk/v1/MsgExecLegacyContent",
        "value": {"authority": "cosmos1gov",
                  "content": {"type": "cosmos-sdk/TextProposal", "value": {"description": "D", "title": "T"}}}}


def test_timestamp_and_duration_forms() -> None:
    plan = upgrade.Plan(name="v2", height=5)
    plan.time.seconds = 1_700_000_000
    plan.time.nanos = 120_000_000
    enc = amino._Encoder(None)
    assert enc.message(plan)["time"] == "2023-11-14T22:13:20.12Z"
    plan.time.nanos = 0
    assert enc.message(plan)["time"] == "2023-11-14T22:13:20Z"
    plan.time.seconds = -62135596800  # Go's zero time
    assert enc.message(plan)["time"] == "0001-01-01T00:00:00Z"
    dur = importlib.import_module("google.protobuf.duration_pb2").Duration(seconds=1_728_000, nanos=5)
    assert enc.message(dur) == "1728000000000005"


def test_sign_doc_serialisation_sorts_escapes_and_is_compact() -> None:
    utx = fx.unsigned([fx.vote("cosmos1v")], SignMode.LEGACY_AMINO_JSON, memo="a<b>&c\u2028", gas=123)
    raw = utx.sign_bytes(SignMode.LEGACY_AMINO_JSON, fx.CHAIN)
    assert raw == (b'{"account_number":"12","chain_id":"provider","fee":{"amount":[{"amount":"2500","denom":"stake"}],'
                   b'"gas":"123"},"memo":"a\\u003cb\\u003e\\u0026c\\u2028","msgs":[{"type":"cosmos-sdk/v1/MsgVote",'
                   b'"value":{"option":1,"proposal_id":"3","voter":"cosmos1v"}}],"sequence":"7"}')
    assert json.loads(raw)["memo"] == "a<b>&c\u2028"


def test_ics_messages_without_an_amino_name_are_typed_by_their_url() -> None:
    assert amino.encode_message(fx.opt_in(fx.address(0))) == {
        "type": "/interchain_security.ccv.provider.v1.MsgOptIn",
        "value": {"consumer_id": "0", "consumer_key": fx.opt_in(fx.address(0)).consumer_key,  # type: ignore[attr-defined]
                  "provider_addr": addresses.convert_address(fx.address(0), "cosmosvaloper"),
                  "signer": fx.address(0)}}
    nested = fx.gov.MsgSubmitProposal(messages=[registry.pack(fx.opt_in(fx.address(0)))], proposer="p")
    inner = amino.encode_message(nested)["value"]["messages"][0]
    assert inner["type"] == "/interchain_security.ccv.provider.v1.MsgOptIn"


def test_legacy_dec_is_reprinted_only_for_the_legacy_dec_customtype() -> None:
    rate = registry.from_proto_json({"@type": "/interchain_security.ccv.provider.v1.MsgSetConsumerCommissionRate",
                                     "provider_addr": "v", "rate": "0.05", "signer": "s", "consumer_id": "1"})
    assert amino.encode_message(rate)["value"]["rate"] == "0.050000000000000000"
    rate.rate = ""  # type: ignore[attr-defined]
    assert "rate" not in amino.encode_message(rate)["value"]  # empty: omitted, as every zero value
    rate.rate = "0x10"  # type: ignore[attr-defined]  # big.Int text, Go literal syntax
    assert amino.encode_message(rate)["value"]["rate"] == "0.000000000000000016"
    rate.rate = "0.5"  # type: ignore[attr-defined]
    with pytest.raises(amino.AminoUnsupported, match="not a LegacyDec wire value"):
        amino.encode_message(rate)
    rate.rate = str(2**256 * 10**18)  # type: ignore[attr-defined]
    with pytest.raises(amino.AminoUnsupported, match="out of range"):
        amino.encode_message(rate)
    # gov v1 params carry decimals as written (cosmos.Dec scalar without the LegacyDec customtype)
    params = importlib.import_module("cosmos.gov.v1.gov_pb2").Params(quorum="0.334")
    assert amino._Encoder(None).message(params)["quorum"] == "0.334"


def test_a_duration_past_int64_nanoseconds_is_the_one_refusal() -> None:
    dur = importlib.import_module("google.protobuf.duration_pb2").Duration
    enc = amino._Encoder(None)
    assert enc.message(dur(seconds=amino.MAX_DURATION_SECONDS, nanos=999_999_999)) == "9223372035999999999"
    assert enc.message(dur(seconds=-1, nanos=-500_000_000)) == "-1500000000"
    with pytest.raises(amino.AminoUnsupported, match="overflows int64 nanoseconds"):
        enc.message(dur(seconds=amino.MAX_DURATION_SECONDS + 1))


def test_oneof_names_follow_strcase_to_camel() -> None:
    assert amino._oneof_field_name("sum") == "Sum"
    assert amino._oneof_field_name("my_field2x") == "MyField2X"
    assert amino._oneof_field_name("HTTPServer") == "Httpserver"  # runs of capitals fold, as in Go
