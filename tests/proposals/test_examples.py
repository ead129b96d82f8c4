"""The example and re-typed historic proposals in resources/examples/proposals validate as described."""

from __future__ import annotations

from pathlib import Path

import pytest

from ics_workbench.proposals.formats import dump_text, load_text
from ics_workbench.proposals.rules import validate
from tests.proposals import helpers as h

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples" / "proposals"


def _load(name: str):
    return load_text((EXAMPLES / name).read_text(encoding="utf-8"))


def _stride_facts():
    return h.facts("v7.0.0", s=h.launched_consumer(owner=h.GOV, top_n=95))


def test_prop_1012_wrong_owner_is_flagged() -> None:
    draft, fmt = _load("hub-1012-stride-opt-in-wrong-owner.gov.json")
    assert fmt == "gov"
    errors = [p for p in validate(draft, _stride_facts()) if p.is_error]
    assert [(p.path, p.rule) for p in errors] == [("messages[0].new_owner_address", "new_owner_invalid")]
    assert "FAILS" in errors[0].message and errors[0].value.startswith("stride1")


def test_prop_1012_corrected_is_valid() -> None:
    draft, _ = _load("hub-1012-stride-opt-in-corrected.gov.json")
    problems = validate(draft, _stride_facts())
    assert [p.line() for p in problems if p.is_error] == []
    msg = draft.messages[0]
    assert msg.power_shaping_parameters.validator_set_cap == 7 and len(msg.power_shaping_parameters.allowlist) == 7


def test_prop_799_legacy_addition_valid_on_v4_and_rejected_on_v7() -> None:
    draft, fmt = _load("hub-799-stride-consumer-addition.legacy.json")
    assert fmt == "legacy"
    on_v4 = validate(draft, h.facts("v4.1.0"))
    assert [p.line() for p in on_v4 if p.is_error] == []
    assert {p.rule for p in on_v4} == {"spawn_time_past"}  # 2023 is in the past now
    on_v7 = [(p.path, p.rule) for p in validate(draft, h.facts("v7.0.0")) if p.is_error]
    assert on_v7 == [("messages[0].@type", "legacy_content_not_handled")]


def test_partial_power_shaping_example_warns_about_top_n() -> None:
    draft, _ = _load("example-partial-power-shaping.gov.json")
    consumer = h.launched_consumer(top_n=95)
    consumer.consumer_id = "21"
    facts = h.facts("v7.0.0", c=consumer)
    rules = {(p.path, p.rule) for p in validate(draft, facts)}
    assert ("messages[0].power_shaping_parameters.top_N", "top_n_reset") in rules


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_every_example_round_trips(name: str) -> None:
    draft, fmt = _load(name)
    again, fmt2 = load_text(dump_text(draft, fmt, gov_address=h.GOV))
    assert fmt2 == fmt
    assert [m.model_dump() for m in again.messages] == [m.model_dump() for m in draft.messages]


def test_example_templates_are_clean() -> None:
    draft, _ = _load("example-create-consumer.provider-cli.json")
    draft.route = "tx"
    assert [p.line() for p in validate(draft, h.facts())] == []
    draft, _ = _load("example-make-top-n.gov.json")
    assert [p.line() for p in validate(draft, h.facts())] == []
