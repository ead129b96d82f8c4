"""`ics-workbench proposal ...` through the real entry point: exit codes and one line per problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ics_workbench.cli import main
from ics_workbench.proposals.drafts import DraftStore
from ics_workbench.proposals.formats import dump_text, to_gov_json
from tests.proposals import helpers as h

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples" / "proposals"


def _write(tmp_path: Path, name: str, data: object) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_validate_valid_file_exits_0(tmp_path, capsys) -> None:
    path = _write(tmp_path, "p.json", dump_text(h.update_params(), "gov", gov_address=h.GOV))
    assert main(["proposal", "validate", path]) == 0
    assert capsys.readouterr().out == "valid (gov format, ICS v7.0.0; checked offline (no chain facts))\n"


def test_validate_invalid_file_exits_1_with_one_line_per_problem(tmp_path, capsys) -> None:
    draft = h.update_top_n()
    draft.messages[0].power_shaping_parameters.top_N = 30
    draft.messages[0].power_shaping_parameters.allowlist = [h.valcons("x", "cosmosvaloper")]
    path = _write(tmp_path, "p.json", to_gov_json(draft, gov_address=h.GOV))
    assert main(["proposal", "validate", path]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[0]
        == "messages[0].power_shaping_parameters.top_N: top_n_range: "
           "Top N can either be 0 (opt-in) or in the range [50, 100] (30)"
    )
    assert lines[1].startswith(
        "messages[0].power_shaping_parameters.allowlist[0]: consensus_address: this is a validator operator address"
    )
    assert len(lines) == 2


def test_validate_json_output(tmp_path, capsys) -> None:
    assert main(["proposal", "validate", str(EXAMPLES / "hub-1012-stride-opt-in-wrong-owner.gov.json"), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False and report["format"] == "gov"
    assert [p["rule"] for p in report["problems"] if p["severity"] == "error"] == ["new_owner_invalid"]


def test_validate_version_flag_changes_the_rules(tmp_path, capsys) -> None:
    path = str(EXAMPLES / "hub-799-stride-consumer-addition.legacy.json")
    assert main(["proposal", "validate", path, "--provider-version", "v4.1.0"]) == 0
    assert main(["proposal", "validate", path, "--provider-version", "v7"]) == 1
    assert "legacy_content_not_handled" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("{broken", "not valid JSON"), ('{"messages": [{"@type": 5}]}', "not an ICS provider message"),
     ('{"consumer_id": "1", "initialization_parameters": {"unbonding_period": "20s"}}', "integer nanoseconds")],
)
def test_unparsable_file_exits_2(tmp_path, capsys, content: str, fragment: str) -> None:
    assert main(["proposal", "validate", _write(tmp_path, "p.json", content)]) == 2
    assert fragment in capsys.readouterr().err


def test_missing_file_and_bad_version_exit_2(tmp_path, capsys) -> None:
    assert main(["proposal", "validate", str(tmp_path / "none.json")]) == 2
    path = _write(tmp_path, "p.json", dump_text(h.update_params(), "gov", gov_address=h.GOV))
    assert main(["proposal", "validate", path, "--provider-version", "v3"]) == 2


def test_consumer_state_file_enables_stateful_checks(tmp_path, capsys) -> None:
    state = {"consumer_id": "1", "chain_id": "stride-1", "owner_address": h.ALICE, "phase": "CONSUMER_PHASE_LAUNCHED",
             "power_shaping_params": {"top_N": 0, "validators_power_cap": 0}}
    path = _write(tmp_path, "p.json", to_gov_json(h.update_top_n(), gov_address=h.GOV))
    state_path = _write(tmp_path, "state.json", state)
    assert main(["proposal", "validate", path]) == 0
    assert main(["proposal", "validate", path, "--consumer-state", state_path]) == 1
    out = capsys.readouterr().out
    assert "top_n_requires_gov_owner" in out and "owner_mismatch" in out


def test_export_between_formats(tmp_path, capsys) -> None:
    src = str(EXAMPLES / "example-create-consumer.provider-cli.json")
    out = tmp_path / "gov.json"
    # as a gov proposal it needs a gov submitter, title and summary: refused without --force
    assert main(["proposal", "export", src, "--format", "gov", "-o", str(out)]) == 1
    assert not out.exists()
    assert main(["proposal", "export", src, "--format", "gov", "-o", str(out), "--force"]) == 0
    doc = json.loads(out.read_text())
    assert doc["messages"][0]["@type"] == "/interchain_security.ccv.provider.v1.MsgCreateConsumer"
    assert doc["messages"][0]["initialization_parameters"]["unbonding_period"] == "1728000s"
    capsys.readouterr()
    assert main(["proposal", "export", str(out), "--format", "provider-cli", "--force"]) == 0
    back = json.loads(capsys.readouterr().out)
    assert back == json.loads((EXAMPLES / "example-create-consumer.provider-cli.json").read_text())


def test_export_legacy(tmp_path, capsys) -> None:
    src = str(EXAMPLES / "hub-799-stride-consumer-addition.legacy.json")
    assert main(["proposal", "export", src, "--format", "gov", "--provider-version", "v4.1.0"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["messages"][0]["@type"] == "/cosmos.gov.v1.MsgExecLegacyContent"
    assert doc["messages"][0]["content"]["unbonding_period"] == "1728000s"


def test_diff_flags_the_top_n_reset(tmp_path, capsys) -> None:
    state = {"consumer_id": "21", "chain_id": "c-1", "owner_address": h.GOV, "phase": "CONSUMER_PHASE_LAUNCHED",
             "power_shaping_params": {"top_N": 95, "validators_power_cap": 0, "validator_set_cap": 0,
                                      "allowlist": [], "denylist": [], "min_stake": "0", "allow_inactive_vals": False,
                                      "prioritylist": []}}
    code = main(["proposal", "diff", str(EXAMPLES / "example-partial-power-shaping.gov.json"),
                 "--consumer-state", _write(tmp_path, "s.json", state)])
    out = capsys.readouterr().out
    assert code == 1
    assert "!! power_shaping_parameters.top_N: 95 -> 0   <-- RESET TO ZERO (not in the proposal)" in out
    assert "   power_shaping_parameters.validators_power_cap: 0 -> 10" in out


def test_new_template_and_kind_list(capsys) -> None:
    assert main(["proposal", "new"]) == 0
    assert "make-top-n" in capsys.readouterr().out
    assert main(["proposal", "new", "consumer-addition", "--provider-version", "v5.2.0"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["messages"][0]["@type"] == "/interchain_security.ccv.provider.v1.MsgConsumerAddition"
    assert main(["proposal", "new", "nonsense"]) == 2


def test_drafts_list(capsys) -> None:
    assert main(["proposal", "drafts", "list"]) == 0
    assert capsys.readouterr().out == "no drafts\n"
    DraftStore().save(h.update_params(), name="params", facts=h.facts())
    assert main(["proposal", "drafts", "list", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["name"] == "params" and row["state"] == "valid"


def test_new_slash_proposal_takes_evidence_from_files(tmp_path, capsys) -> None:
    ev = _write(tmp_path, "ev.json", {"vote_a": {"height": "5"}, "vote_b": {"height": "5"}})
    header = _write(
        tmp_path, "h.json", {"signed_header": {"header": {"height": "5"}}, "validator_set": {"validators": []}}
    )
    assert (
        main(["proposal", "new", "slash-double-vote", "--consumer-id", "0", "--evidence", ev, "--header", header]) == 0
    )
    msg = json.loads(capsys.readouterr().out)["messages"][0]
    assert msg["submitter"] == h.GOV and msg["consumer_id"] == "0"
    assert msg["duplicate_vote_evidence"]["vote_a"] == {"height": "5"}
    assert msg["infraction_block_header"]["validator_set"] == {"validators": []}
