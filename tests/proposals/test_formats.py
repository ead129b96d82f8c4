"""The three file formats: exact shapes, round trips, and decoding into the real protobuf classes."""

from __future__ import annotations

import json

import pytest

from ics_workbench.proposals.codec import ProposalFormatError
from ics_workbench.proposals.formats import (
    dump_text,
    from_gov_json,
    from_legacy_json,
    from_provider_cli_json,
    load_text,
    to_gov_json,
    to_legacy_json,
    to_provider_cli_json,
)
from ics_workbench.proposals.handoff import signing_request
from ics_workbench.proposals.models import (
    EXEC_LEGACY_CONTENT,
    ConsumerAdditionProposal,
    MsgCreateConsumer,
    MsgUpdateConsumer,
)
from ics_workbench.proposals.versions import ProviderVersion
from ics_workbench.proto import registry
from tests.proposals import helpers as h

GOV_BUILDERS = [
    h.update_top_n,
    h.remove_consumer,
    h.msg_consumer_addition,
    h.legacy_addition,
    h.msg_consumer_removal,
    h.legacy_removal,
    h.msg_consumer_modification,
    h.legacy_modification,
    h.change_reward_denoms,
    h.legacy_change_reward_denoms,
    h.update_params,
]


def _same(a: object, b: object) -> bool:
    return a.model_dump() == b.model_dump() and type(a) is type(b)  # type: ignore[attr-defined]


@pytest.mark.parametrize("build", GOV_BUILDERS, ids=lambda b: b.__name__)
def test_gov_json_round_trip(build) -> None:
    draft = build()
    text = dump_text(draft, "gov", gov_address=h.GOV)
    again, fmt = load_text(text)
    assert fmt == "gov"
    assert again.import_notes == []
    assert [_same(a, b) for a, b in zip(again.messages, draft.messages, strict=True)] == [True] * len(draft.messages)
    assert (again.title, again.summary, again.metadata, again.deposit, again.expedited) == (
        draft.title, draft.summary, draft.metadata, draft.deposit, draft.expedited,
    )


@pytest.mark.parametrize("build", GOV_BUILDERS, ids=lambda b: b.__name__)
def test_gov_json_messages_decode_into_protobuf_with_their_type_urls(build) -> None:
    draft = build()
    doc = to_gov_json(draft, gov_address=h.GOV)
    for raw, msg in zip(doc["messages"], draft.messages, strict=True):
        pb = registry.from_proto_json(raw, ics_version="v7.0.0")
        expected = EXEC_LEGACY_CONTENT if msg.is_legacy_content else msg.type_url
        assert registry.type_url_of(pb) == expected
        if msg.is_legacy_content:
            assert pb.content.type_url == msg.type_url
            assert pb.authority == h.GOV


def test_gov_json_spelling_of_scalars() -> None:
    draft = h.envelope(h.create_consumer_tx().messages[0])
    doc = to_gov_json(draft, gov_address=h.GOV)
    body = doc["messages"][0]
    ip = body["initialization_parameters"]
    assert body["@type"] == "/interchain_security.ccv.provider.v1.MsgCreateConsumer"
    assert ip["unbonding_period"] == "1728000s"
    assert ip["ccv_timeout_period"] == "2419200s"
    assert ip["historical_entries"] == "10000"  # int64 as a string
    assert ip["initial_height"] == {"revision_number": "1", "revision_height": "1"}
    assert ip["genesis_hash"] == "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="
    assert ip["spawn_time"] == "2026-11-15T12:00:00Z"
    assert body["power_shaping_parameters"]["top_N"] == 0  # uint32 stays a number
    assert body["power_shaping_parameters"]["min_stake"] == "0"
    assert body["infraction_parameters"]["double_sign"]["jail_duration"] == "9223372036.854775807s"
    assert isinstance(doc["deposit"], str) and doc["expedited"] is False


def test_gov_json_decodes_into_a_real_msg_submit_proposal() -> None:
    draft = h.update_top_n()
    request = signing_request(draft, h.facts(c=h.launched_consumer()), signer=h.ALICE)
    (submit,) = request.protobuf_messages()
    assert registry.type_url_of(submit) == "/cosmos.gov.v1.MsgSubmitProposal"
    assert submit.proposer == h.ALICE and submit.title == draft.title
    assert [(c.denom, c.amount) for c in submit.initial_deposit] == [("uatom", "250000000")]
    inner = registry.unpack(submit.messages[0])
    assert registry.type_url_of(inner) == MsgUpdateConsumer.type_url
    assert inner.owner == h.GOV and inner.power_shaping_parameters.top_N == 95


def test_direct_tx_request_sets_the_signer() -> None:
    draft = h.create_consumer_tx()
    (msg,) = signing_request(draft, h.facts(), signer=h.ALICE).protobuf_messages()
    assert registry.type_url_of(msg) == MsgCreateConsumer.type_url
    assert msg.submitter == h.ALICE and msg.chain_id == "mychain-1"
    assert msg.infraction_parameters.double_sign.tombstone is True


def test_invalid_draft_is_not_handed_to_signing() -> None:
    draft = h.update_top_n()
    draft.messages[0].owner = h.ALICE
    with pytest.raises(Exception, match="signer_not_gov"):
        signing_request(draft, h.facts(), signer=h.ALICE)


def test_provider_cli_file_shape_and_round_trip() -> None:
    draft = h.create_consumer_tx()
    doc = to_provider_cli_json(draft)
    assert "submitter" not in doc  # comes from --from
    ip = doc["initialization_parameters"]
    assert ip["unbonding_period"] == 1728000 * 10**9  # Go time.Duration: integer nanoseconds
    assert ip["historical_entries"] == 10000 and ip["initial_height"] == {"revision_number": 1, "revision_height": 1}
    assert ip["spawn_time"] == "2026-11-15T12:00:00Z"
    assert doc["infraction_parameters"]["double_sign"]["jail_duration"] == 9223372036854775807
    assert doc["infraction_parameters"]["double_sign"]["slash_fraction"] == "0.050000000000000000"
    again = from_provider_cli_json(json.loads(json.dumps(doc)), signer=h.ALICE)
    assert again.route == "tx" and again.import_notes == []
    assert _same(
        again.messages[0],
        draft.messages[0].model_copy(update={"infraction_parameters": again.messages[0].infraction_parameters}),
    )
    assert again.messages[0].infraction_parameters.double_sign.slash_fraction == "0.050000000000000000"


def test_provider_cli_example_from_the_ics_help_text_parses() -> None:
    text = """{
      "chain_id": "consumer-1",
      "metadata": {"name": "chain consumer", "description": "description",
                   "metadata": "{\\"forge_json_url\\": \\"...\\", \\"stage\\": \\"mainnet\\"}"},
      "initialization_parameters": {
        "initial_height": {"revision_number": 1, "revision_height": 1},
        "genesis_hash": "", "binary_hash": "", "spawn_time": "2024-08-29T12:26:16.529913Z",
        "unbonding_period": 1728000000000000, "ccv_timeout_period": 2419200000000000, "historical_entries": 10000
      }
    }"""
    draft, fmt = load_text(text)
    assert fmt == "provider-cli"
    ip = draft.messages[0].initialization_parameters
    assert ip.unbonding_period == 1728000 * 10**9 and ip.spawn_time.microsecond == 529913
    assert "initialization_parameters" in draft.messages[0].model_fields_set
    assert ip.model_fields_set >= {"unbonding_period", "historical_entries"}
    assert "transfer_timeout_period" not in ip.model_fields_set  # left out: the CLI sets it to zero


def test_provider_cli_keys_match_case_insensitively_and_unknown_keys_warn() -> None:
    draft = from_provider_cli_json({"consumer_id": "0", "Power_Shaping_Parameters": {"top_n": 95, "topN": 7}})
    assert draft.messages[0].power_shaping_parameters.top_N == 95  # Go matches "top_n" to top_N
    (note,) = draft.import_notes
    assert note.rule == "unknown_field" and note.path == "Power_Shaping_Parameters.topN" and not note.is_error


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        ({"consumer_id": "0", "initialization_parameters": {"unbonding_period": "1728000s"}}, "integer nanoseconds"),
        ({"consumer_id": "0", "initialization_parameters": {"historical_entries": "10000"}}, "JSON number"),
        ({"consumer_id": "0", "initialization_parameters": {"spawn_time": "tomorrow"}}, "RFC3339"),
        ({"consumer_id": "0", "initialization_parameters": {"genesis_hash": "%%%"}}, "base64"),
        ({"consumer_id": "0", "power_shaping_parameters": {"allowlist": "cosmosvalcons1x"}}, "list"),
        ({"consumer_id": "0", "power_shaping_parameters": {"top_N": -1}}, "negative"),
    ],
)
def test_provider_cli_shape_errors_are_precise(doc: dict, fragment: str) -> None:
    with pytest.raises(ProposalFormatError, match=fragment) as info:
        from_provider_cli_json(doc)
    assert info.value.path.startswith(("initialization_parameters.", "power_shaping_parameters."))


def test_gov_json_rejects_nanosecond_durations_and_unknown_fields() -> None:
    doc = to_gov_json(h.envelope(h.create_consumer_tx().messages[0]), gov_address=h.GOV)
    doc["messages"][0]["initialization_parameters"]["unbonding_period"] = 1728000000000000
    with pytest.raises(ProposalFormatError, match="1728000s"):
        from_gov_json(doc)
    doc = to_gov_json(h.update_top_n(), gov_address=h.GOV)
    doc["messages"][0]["power_shaping_parameters"]["topn"] = 95
    doc["proposer"] = h.ALICE
    draft = from_gov_json(doc)
    rules = {(n.path, n.rule, n.is_error) for n in draft.import_notes}
    assert ("messages[0].power_shaping_parameters.topn", "unknown_field", True) in rules
    assert ("proposer", "unknown_field", False) in rules  # gaiad ignores it


def test_gov_json_accepts_lower_camel_case_like_jsonpb() -> None:
    doc = {"messages": [{"@type": MsgUpdateConsumer.type_url, "owner": h.GOV, "consumerId": "1",
                          "powerShapingParameters": {"topN": 95, "validatorsPowerCap": 10}}],
           "title": "t", "summary": "s", "deposit": "1uatom"}
    draft = from_gov_json(doc)
    assert draft.messages[0].power_shaping_parameters.validators_power_cap == 10


def test_gov_json_unknown_type_is_a_parse_error() -> None:
    with pytest.raises(ProposalFormatError, match="not an ICS provider message"):
        from_gov_json({"messages": [{"@type": "/cosmos.bank.v1beta1.MsgSend"}]})


def test_legacy_file_round_trip_and_shape() -> None:
    draft = h.legacy_addition()
    doc = to_legacy_json(draft)
    assert doc["summary"] == "Adds it" and "description" not in doc
    assert doc["deposit"] == "250000000uatom" and doc["unbonding_period"] == 1728000 * 10**9
    again = from_legacy_json(json.loads(json.dumps(doc)))
    assert isinstance(again.messages[0], ConsumerAdditionProposal)
    assert _same(again.messages[0], draft.messages[0]) and again.deposit == draft.deposit
    for build in (h.legacy_removal, h.legacy_modification, h.legacy_change_reward_denoms):
        d = build()
        back = from_legacy_json(to_legacy_json(d))
        assert _same(back.messages[0], d.messages[0])


def test_exporter_leaves_out_fields_the_provider_version_does_not_know() -> None:
    msg = h.create_consumer_tx().messages[0]
    msg.power_shaping_parameters.prioritylist = []
    draft = h.envelope(msg)
    # a set field the version lacks is never dropped silently: the export refuses, naming field and version
    with pytest.raises(ProposalFormatError, match="infraction_parameters is set but ICS v6.3.0 has no such field"):
        to_gov_json(draft, gov_address=h.GOV, version=ProviderVersion.parse("v6.3.0"))
    msg.infraction_parameters = None
    doc = to_gov_json(draft, gov_address=h.GOV, version=ProviderVersion.parse("v6.3.0"))
    body = doc["messages"][0]
    assert "prioritylist" not in body["power_shaping_parameters"]
    assert "connection_id" not in body["initialization_parameters"]
    assert "infraction_parameters" not in body and "allowlisted_reward_denoms" in body


def test_guessed_v4_export_refuses_to_drop_top_n() -> None:
    # defect 5: a guessed v4.0.0 made `--force` export write the addition without top_N (an opt-in chain)
    draft = h.legacy_addition()  # top_N 95
    guessed = ProviderVersion(4, 0, 0, guessed=True, basis="chain-id keyed routes")
    with pytest.raises(ProposalFormatError, match=r"top_N is set but ICS v4\.x \(exact version unknown.*guessed"):
        to_gov_json(draft, gov_address=h.GOV, version=guessed)
    body = to_gov_json(draft, gov_address=h.GOV, version=ProviderVersion.parse("v4.2.0"))["messages"][0]["content"]
    assert body["top_N"] == 95


def test_provider_cli_export_refuses_a_proposal_with_two_messages() -> None:
    draft = h.envelope(h.update_top_n().messages[0], h.update_top_n().messages[0])
    with pytest.raises(ProposalFormatError, match="exactly one"):
        to_provider_cli_json(draft)


def test_not_json_and_unknown_shape_are_parse_errors() -> None:
    with pytest.raises(ProposalFormatError, match="line 1"):
        load_text("{nope")
    with pytest.raises(ProposalFormatError, match="not a gov proposal"):
        load_text('{"hello": 1}')


def test_v500_consumer_addition_is_handed_over_in_the_v500_wire_layout() -> None:
    draft = h.msg_consumer_addition()
    msg = draft.messages[0]
    msg.top_N, msg.denylist = 0, []
    request = signing_request(draft, h.facts("v5.0.0"), signer=h.ALICE)
    (submit,) = request.protobuf_messages()
    raw = submit.messages[0].value
    # field 13 (tag 0x6a = 13<<3|2) carries the authority string in the v5.0.0 layout
    assert b"\x6a" + bytes([len(h.GOV)]) + h.GOV.encode() in raw
    assert registry.unpack(submit.messages[0], ics_version="v5.0.0").authority == h.GOV


def test_offline_signing_file_carries_the_exact_proposal() -> None:
    from ics_workbench import addresses
    from ics_workbench.proposals.handoff import offline_signing_file
    from ics_workbench.signing import offline_file
    from ics_workbench.signing.secp256k1 import public_key_of

    private_key = bytes(range(1, 33))
    public_key = public_key_of(private_key)
    proposer = addresses.encode_address(addresses.address_bytes_from_public_key(public_key), "cosmos")
    draft = h.update_top_n()
    request = signing_request(draft, h.facts(c=h.launched_consumer()), signer=proposer)
    file = offline_signing_file(request, public_key=public_key, chain_id="cosmoshub-4", account_number=7,
                                sequence=3, fee="5000uatom", gas_limit=300000)
    again = offline_file.parse_document(json.loads(json.dumps(file.to_json())))
    body_messages = again.unsigned.body.messages
    assert [m.type_url for m in body_messages] == ["/cosmos.gov.v1.MsgSubmitProposal"]
    submit = registry.unpack(body_messages[0])
    assert submit.proposer == proposer and registry.unpack(submit.messages[0]).power_shaping_parameters.top_N == 95
    with pytest.raises(Exception, match="(?i)address|key"):
        offline_signing_file(signing_request(draft, h.facts(c=h.launched_consumer()), signer=h.ALICE),
                             public_key=public_key, chain_id="cosmoshub-4", account_number=7, sequence=3,
                             fee="5000uatom", gas_limit=300000)


def test_a_typed_submitter_is_never_silently_replaced_by_the_signer() -> None:
    from ics_workbench.errors import WorkbenchError

    draft = h.create_consumer_tx()
    draft.messages[0].submitter = h.ALICE
    (msg,) = signing_request(draft, h.facts(), signer=h.ALICE).protobuf_messages()
    assert msg.submitter == h.ALICE
    broken = h.ALICE[:-1] + ("q" if h.ALICE[-1] != "q" else "p")  # one changed character: bad checksum
    draft.messages[0].submitter = broken
    with pytest.raises(WorkbenchError, match="submitter: .*checksum"):
        signing_request(draft, h.facts(), signer=h.ALICE)
    from ics_workbench.addresses import encode_address

    draft.messages[0].submitter = encode_address(b"\x01" * 20, "cosmos")
    with pytest.raises(WorkbenchError, match="is not the signing key's address"):
        signing_request(draft, h.facts(), signer=h.ALICE)
