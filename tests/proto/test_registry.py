"""Packing, type URLs, proto-JSON round trips and the v5.0.0 / v5.1.0 MsgConsumerAddition layouts."""

from __future__ import annotations

import importlib

import pytest
from google.protobuf import any_pb2, json_format

from ics_workbench.errors import WorkbenchError
from ics_workbench.proto import provider_pb2, provider_tx_pb2 as ics_tx, provider_v5_0_0_tx_pb2, registry

PROVIDER_MESSAGES = [
    "MsgCreateConsumer", "MsgUpdateConsumer", "MsgRemoveConsumer", "MsgAssignConsumerKey", "MsgOptIn", "MsgOptOut",
    "MsgSetConsumerCommissionRate", "MsgSubmitConsumerDoubleVoting", "MsgSubmitConsumerMisbehaviour",
    "MsgChangeRewardDenoms", "MsgUpdateParams", "MsgConsumerAddition", "MsgConsumerRemoval",
    "MsgConsumerModification",
]
CONTENTS = ["ConsumerAdditionProposal", "ConsumerRemovalProposal", "ConsumerModificationProposal",
            "EquivocationProposal", "ChangeRewardDenomsProposal"]


def _field_numbers(cls: type) -> dict[str, int]:
    return {f.name: f.number for f in cls.DESCRIPTOR.fields}


@pytest.mark.parametrize("name", PROVIDER_MESSAGES + CONTENTS)
def test_every_provider_type_url_resolves_to_our_class(name: str) -> None:
    url = f"/interchain_security.ccv.provider.v1.{name}"
    cls = registry.message_class(url)
    assert cls.DESCRIPTOR.full_name == url[1:]
    assert registry.type_url_of(cls()) == url


def test_field_numbers_follow_ics_v7() -> None:
    assert _field_numbers(ics_tx.MsgUpdateConsumer) == {
        "owner": 1, "consumer_id": 2, "new_owner_address": 3, "metadata": 4, "initialization_parameters": 5,
        "power_shaping_parameters": 6, "allowlisted_reward_denoms": 7, "new_chain_id": 8,
        "infraction_parameters": 9}
    assert _field_numbers(ics_tx.MsgSetConsumerCommissionRate) == {
        "provider_addr": 1, "chain_id": 2, "rate": 3, "signer": 4, "consumer_id": 5}
    assert _field_numbers(ics_tx.MsgOptOut) == {"chain_id": 1, "provider_addr": 2, "signer": 3, "consumer_id": 4}
    assert _field_numbers(provider_pb2.PowerShapingParameters)["prioritylist"] == 8
    assert _field_numbers(provider_pb2.Params)["max_provider_consensus_validators"] == 12
    assert {4, 5, 8}.isdisjoint(_field_numbers(provider_pb2.Params).values())
    assert provider_pb2.ConsumerPhase.Value("CONSUMER_PHASE_LAUNCHED") == 3


def test_signers_are_declared_for_every_provider_msg() -> None:
    expected = {"MsgCreateConsumer": "submitter", "MsgUpdateConsumer": "owner", "MsgRemoveConsumer": "owner",
                "MsgOptIn": "signer", "MsgSubmitConsumerDoubleVoting": "submitter", "MsgUpdateParams": "authority"}
    for name, signer in expected.items():
        assert registry.signer_fields(getattr(ics_tx, name).DESCRIPTOR) == [signer]


def test_pack_unpack_round_trip_keeps_every_field() -> None:
    msg = ics_tx.MsgCreateConsumer(submitter="cosmos1owner", chain_id="consu-1")
    msg.metadata.name = "Consu"
    msg.initialization_parameters.initial_height.revision_number = 1
    msg.initialization_parameters.spawn_time.seconds = 1_700_000_000
    msg.initialization_parameters.unbonding_period.seconds = 1_728_000
    msg.power_shaping_parameters.allowlist.append("cosmosvalcons1abc")
    msg.infraction_parameters.double_sign.slash_fraction = b"50000000000000000"
    packed = registry.pack(msg)
    assert packed.type_url == "/interchain_security.ccv.provider.v1.MsgCreateConsumer"
    assert registry.unpack(packed) == msg


def test_proto_json_round_trip_with_type_and_sdk_conventions() -> None:
    msg = ics_tx.MsgUpdateConsumer(owner="cosmos1o", consumer_id="7")
    msg.initialization_parameters.unbonding_period.seconds = 1_728_000
    msg.power_shaping_parameters.top_N = 95
    doc = registry.to_proto_json(msg)
    assert doc["@type"] == "/interchain_security.ccv.provider.v1.MsgUpdateConsumer"
    assert doc["initialization_parameters"]["unbonding_period"] == "1728000s"
    assert doc["power_shaping_parameters"]["top_N"] == 95  # proto field names, not lowerCamel
    assert doc["new_chain_id"] == ""  # defaults are printed, as gaiad does
    assert registry.from_proto_json(doc) == msg


def test_from_proto_json_names_the_bad_field() -> None:
    doc = {"@type": "/interchain_security.ccv.provider.v1.MsgOptIn", "signer": "x", "consumerr_id": "1"}
    with pytest.raises(WorkbenchError, match="consumerr_id"):
        registry.from_proto_json(doc)


def test_unknown_type_url_is_a_precise_error() -> None:
    with pytest.raises(registry.UnknownTypeError, match="/interchain_security.ccv.provider.v1.MsgNope"):
        registry.message_class("/interchain_security.ccv.provider.v1.MsgNope")


def test_cosmpy_classes_are_the_registry_classes() -> None:
    gov = importlib.import_module("cosmos.gov.v1.tx_pb2")
    assert registry.message_class("/cosmos.gov.v1.MsgVote") is gov.MsgVote
    assert registry.message_class("type.googleapis.com/cosmos.gov.v1.MsgDeposit") is gov.MsgDeposit


def _addition() -> ics_tx.MsgConsumerAddition:
    msg = ics_tx.MsgConsumerAddition(chain_id="old-1", authority="cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn",
                                     consumer_redistribution_fraction="0.75")
    msg.initial_height.revision_number = 1
    msg.initial_height.revision_height = 1
    return msg


def _authority_tag(raw: bytes) -> bytes:
    return raw[raw.index(b"cosmos10d07") - 2:raw.index(b"cosmos10d07")]


def test_consumer_addition_layout_depends_on_provider_version() -> None:
    msg = _addition()
    new = registry.pack(msg, ics_version="v5.1.0")
    old = registry.pack(msg, ics_version="v5.0.0")
    assert new.type_url == old.type_url == "/interchain_security.ccv.provider.v1.MsgConsumerAddition"
    assert _authority_tag(old.value)[0] == (13 << 3) | 2  # field 13, length-delimited
    assert new.value[new.value.index(b"cosmos10d07") - 3:new.value.index(b"cosmos10d07") - 1] == bytes([0x92, 0x01])
    assert registry.pack(msg).value == new.value  # no version: the current layout
    decoded_old = registry.unpack(old, ics_version="v5.0.0")
    assert isinstance(decoded_old, provider_v5_0_0_tx_pb2.MsgConsumerAddition)
    assert decoded_old.authority == msg.authority
    # Decoding v5.0.0 bytes with the current layout loses the authority: why the version must be known.
    assert registry.unpack(old).authority == ""


def test_v5_0_0_layout_refuses_fields_it_cannot_carry() -> None:
    msg = _addition()
    msg.top_N = 95
    with pytest.raises(WorkbenchError, match="top_N"):
        registry.pack(msg, ics_version="5.0.0")


def test_v5_0_0_json_of_a_gov_proposal_round_trips_in_the_old_layout() -> None:
    gov = importlib.import_module("cosmos.gov.v1.tx_pb2")
    proposal = gov.MsgSubmitProposal(messages=[registry.pack(_addition(), ics_version="v5.0.0")],
                                     proposer="cosmos1p", title="add old-1")
    doc = registry.to_proto_json(proposal, ics_version="v5.0.0")
    inner = doc["messages"][0]
    assert inner["authority"] == _addition().authority and "top_N" not in inner
    again = registry.from_proto_json(doc, ics_version="v5.0.0")
    assert again.SerializeToString(deterministic=True) == proposal.SerializeToString(deterministic=True)


def test_bad_version_string_is_refused() -> None:
    with pytest.raises(WorkbenchError, match="vMAJOR.MINOR.PATCH"):
        registry.pack(_addition(), ics_version="five")


def test_any_json_is_resolved_through_the_default_pool() -> None:
    packed = registry.pack(ics_tx.MsgOptOut(provider_addr="cosmosvaloper1x", signer="cosmos1x", consumer_id="3"))
    text = json_format.MessageToJson(packed)
    again = json_format.Parse(text, any_pb2.Any())
    assert again == packed


def test_legacy_dec_fields_use_gaiad_json_form_and_scaled_wire_form() -> None:
    msg = registry.from_proto_json({"@type": "/interchain_security.ccv.provider.v1.MsgSetConsumerCommissionRate",
                                    "provider_addr": "cosmosvaloper1x", "rate": "0.05", "signer": "cosmos1x",
                                    "consumer_id": "1"})
    assert msg.rate == "50000000000000000"  # what the chain's gogoproto LegacyDec.Marshal puts on the wire
    assert registry.to_proto_json(msg)["rate"] == "0.050000000000000000"
    create = ics_tx.MsgCreateConsumer(chain_id="c-1")
    create.infraction_parameters.double_sign.slash_fraction = b"50000000000000000"
    create.infraction_parameters.downtime.slash_fraction = b"0"
    doc = registry.to_proto_json(create)
    assert doc["infraction_parameters"]["double_sign"]["slash_fraction"] == "0.050000000000000000"
    assert doc["infraction_parameters"]["downtime"]["slash_fraction"] == "0.000000000000000000"
    assert registry.from_proto_json(doc).infraction_parameters.downtime.slash_fraction == b"0"
    assert registry.from_proto_json(doc) == create


def test_legacy_dec_inside_a_cosmpy_message_inside_a_proposal() -> None:
    gov = importlib.import_module("cosmos.gov.v1.tx_pb2")
    staking = importlib.import_module("cosmos.staking.v1beta1.tx_pb2")
    edit = staking.MsgEditValidator(validator_address="cosmosvaloper1x", commission_rate="100000000000000000")
    doc = registry.to_proto_json(gov.MsgSubmitProposal(messages=[registry.pack(edit)]))
    assert doc["messages"][0]["commission_rate"] == "0.100000000000000000"
    assert registry.from_proto_json(doc).messages[0].value == registry.pack(edit).value


def test_legacy_dec_with_too_many_decimals_names_the_field() -> None:
    doc = {
        "@type": "/interchain_security.ccv.provider.v1.MsgSetConsumerCommissionRate",
        "rate": "0.1234567890123456789",
    }
    with pytest.raises(WorkbenchError, match=r"MsgSetConsumerCommissionRate\.rate.*19 decimal places"):
        registry.from_proto_json(doc)
