"""The draft models come from the protobuf descriptors: every field, its wire kind, the message facts; a field
added to the descriptors reaches the codecs and the rules with no other edit; models.pyi is current."""

from __future__ import annotations

from datetime import datetime

import pytest
from google.protobuf.descriptor import FieldDescriptor

from ics_workbench.foundation.ics_versions import FEATURE_BY_NAME, Feature
from ics_workbench.proposals import fields as fields_mod, models, schema
from ics_workbench.proposals.codec import decode, encode, wire_kind
from ics_workbench.proposals.problems import Problem
from ics_workbench.proposals.rules import validate_message
from tests.proposals.helpers import ALICE, facts
from tests.proposals.synthetic_schema import extended_models

_KIND_OF_TYPE = {
    FieldDescriptor.TYPE_INT64: "int64", FieldDescriptor.TYPE_UINT64: "uint64", FieldDescriptor.TYPE_UINT32: "uint32",
    FieldDescriptor.TYPE_BYTES: "bytes", FieldDescriptor.TYPE_STRING: None, FieldDescriptor.TYPE_BOOL: None,
}


def test_every_descriptor_field_is_a_model_field_with_its_wire_kind() -> None:
    checked = 0
    for desc in schema.provider_descriptors():
        cls = models.BUILT.messages[desc.name]
        assert cls.type_url == f"/{desc.full_name}"
        offered = [f for f in desc.fields if (desc.name, f.name) not in schema.OVERLAY.not_offered]
        assert list(cls.model_fields) == [f.name for f in offered]
        for fd in offered:
            kind = wire_kind(cls, fd.name)
            if fd.message_type is not None:
                expected = {"google.protobuf.Duration": "duration", "google.protobuf.Timestamp": "timestamp"}
                assert kind == expected.get(fd.message_type.full_name), fd.full_name
            elif fd.type in _KIND_OF_TYPE:
                assert kind == _KIND_OF_TYPE[fd.type], fd.full_name
            checked += 1
    assert checked > 90


def test_message_facts_come_from_the_options() -> None:
    assert models.MsgCreateConsumer.signer_field == "submitter"
    assert models.MsgUpdateConsumer.signer_field == "owner"
    assert models.MsgConsumerAddition.signer_field == "authority"
    assert models.ConsumerAdditionProposal.signer_field is None
    legacy = {name for name, cls in models.BUILT.messages.items() if cls.is_legacy_content}
    assert legacy == {"ConsumerAdditionProposal", "ConsumerRemovalProposal", "ConsumerModificationProposal",
                      "ChangeRewardDenomsProposal", "EquivocationProposal"}
    # LegacyDec from the gogoproto customtype, although the field is bytes on the wire
    assert wire_kind(models.SlashJailParameters, "slash_fraction") == "dec"
    assert models.SlashJailParameters().slash_fraction == "0"


def test_template_defaults_of_the_overlay() -> None:
    init = models.ConsumerInitializationParameters()
    assert (init.initial_height.revision_number, init.initial_height.revision_height) == (1, 1)
    assert init.unbonding_period == 20 * models.DAY_NS and init.consumer_redistribution_fraction == "0.75"
    assert models.MsgCreateConsumer().metadata is not None and models.MsgUpdateConsumer().metadata is None
    assert models.MsgUpdateParams().params == {} and models.MsgSubmitConsumerMisbehaviour().misbehaviour is None
    # defaults are per instance, never shared
    a, b = models.ConsumerInitializationParameters(), models.ConsumerInitializationParameters()
    assert a.initial_height is not b.initial_height


def test_models_stub_is_current() -> None:
    assert schema.render_stub(models.BUILT) == schema.STUB_PATH.read_text(), (
        "models.pyi is stale: run `.venv/bin/python -m ics_workbench.proposals.schema`"
    )


# --- a field added to the .proto ---------------------------------------------------------------------------


def test_new_fields_reach_both_codecs() -> None:
    built = extended_models()
    create = built.messages["MsgCreateConsumer"]
    pss = built.models["PowerShapingParameters"]
    assert {"launch_note", "grace_period"} <= set(create.model_fields)
    assert wire_kind(create, "grace_period") == "duration" and wire_kind(pss, "max_stake") == "uint64"
    msg = create(submitter=ALICE, chain_id="new-1", launch_note="hello", grace_period=5_000_000_000,
                 power_shaping_parameters=pss(top_N=0, max_stake=2**63))
    proto = encode(msg, "proto")
    go = encode(msg, "go")
    assert proto["grace_period"] == "5s" and go["grace_period"] == 5_000_000_000
    assert proto["power_shaping_parameters"]["max_stake"] == str(2**63)
    assert go["power_shaping_parameters"]["max_stake"] == 2**63
    assert proto["launch_note"] == go["launch_note"] == "hello"
    for style, doc in (("proto", proto), ("go", go)):
        notes: list[Problem] = []
        back = decode(create, doc, style, "", notes)
        assert notes == [] and back == msg
    # and the Go range is enforced on the new field as on any uint64
    notes = []
    with pytest.raises(Exception, match="uint64"):
        decode(create, {"power_shaping_parameters": {"max_stake": 2**64}}, "go", "", notes)


def test_new_fields_reach_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    built = extended_models()
    create = built.messages["MsgCreateConsumer"]
    pss = built.models["PowerShapingParameters"]
    msg = create(submitter=ALICE, chain_id="", power_shaping_parameters=pss(max_stake=7))
    found = {p.rule for p in validate_message(msg, facts("v7.0.0"), route="tx")}
    assert any(r.startswith("chain_id") for r in found), found  # the MsgCreateConsumer rules ran
    assert "field_not_in_version" not in found
    # a release fact for the new field (FIELD_FEATURE names the feature of the one version table) makes the
    # nested value a problem on a release without it
    monkeypatch.setitem(FEATURE_BY_NAME, "max_stake", Feature("max_stake", ((8, 0),), "test"))
    monkeypatch.setitem(fields_mod.FIELD_FEATURE, ("PowerShapingParameters", "max_stake"), "max_stake")
    problems = [p for p in validate_message(msg, facts("v7.0.0"), route="tx") if p.rule == "field_not_in_version"]
    assert [p.path for p in problems] == ["power_shaping_parameters.max_stake"]
    assert "exists from ICS v8.0.0" in problems[0].message


def test_timestamp_field_is_aware_datetime_or_none() -> None:
    assert models.MsgConsumerRemoval().stop_time is None
    cls = models.BUILT.models["ConsumerInitializationParameters"]
    assert cls.model_fields["spawn_time"].annotation == datetime | None
