"""``ics-workbench evidence verify|scan|pair``: exit codes and output a user (or a script) relies on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ics_workbench.cli import main

from .factory import Key, double_vote, evidence_to_proto_json, evidence_to_rpc_json, vote_to_proto_json
from .rpcserver import serve

CHAIN = "consumer-1"
KEY = Key(3)


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def validators_route(key: Key, height: int):
    def route(path: str, params: dict[str, str]):
        if path == "/validators" and params.get("height") == str(height):
            return {
                "jsonrpc": "2.0",
                "id": -1,
                "result": {
                    "block_height": str(height),
                    "validators": [
                        {
                            "address": key.address.hex().upper(),
                            "pub_key": {"type": "tendermint/PubKeyEd25519", "value": key.public_b64},
                            "voting_power": "10",
                            "proposer_priority": "0",
                        }
                    ],
                    "count": "1",
                    "total": "1",
                },
            }
        return None

    return route


def test_verify_valid_file_with_pubkey_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "ev.json", evidence_to_proto_json(double_vote(KEY, CHAIN)))
    assert main(["evidence", "verify", str(path), "--chain-id", CHAIN, "--pubkey", KEY.public_b64]) == 0
    out = capsys.readouterr().out
    assert "VALID" in out and "passed  signature of vote_b" in out


def test_verify_with_rpc_validator_set_exits_0_and_writes_reports(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "ev.json", evidence_to_rpc_json(double_vote(KEY, CHAIN, height=42)))
    with serve(validators_route(KEY, 42)) as url:
        code = main(
            ["evidence", "verify", str(path), "--chain-id", CHAIN, "--rpc", url, "--json",
             "--report", str(tmp_path / "r.json"), "--markdown", str(tmp_path / "r.md")]
        )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is True
    assert report["public_key"]["origin"] == "validator set at height 42"
    assert json.loads((tmp_path / "r.json").read_text())["checks"] == report["checks"]
    assert "**Verdict: VALID**" in (tmp_path / "r.md").read_text()


def test_verify_wrong_chain_id_exits_1_and_names_failing_checks(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "ev.json", evidence_to_proto_json(double_vote(KEY, CHAIN)))
    assert main(["evidence", "verify", str(path), "--chain-id", "other-1", "--pubkey", KEY.public_b64]) == 1
    out = capsys.readouterr().out
    assert "failed  signature of vote_a" in out and "'other-1'" in out


def test_verify_validator_missing_from_rpc_set_exits_1(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "ev.json", evidence_to_proto_json(double_vote(KEY, CHAIN, height=42)))
    with serve(validators_route(Key(4), 42)) as url:
        assert main(["evidence", "verify", str(path), "--chain-id", CHAIN, "--rpc", url]) == 1
    assert "not in the validator set at height 42" in capsys.readouterr().out


@pytest.mark.parametrize("content", ['{"vote_a": {"height": "5"', "not json", '{"vote_a": {"signature": "!!"}}'])
def test_verify_unparsable_exits_2(tmp_path: Path, content: str, capsys) -> None:
    path = write(tmp_path, "ev.json", content)
    assert main(["evidence", "verify", str(path), "--chain-id", CHAIN, "--pubkey", KEY.public_b64]) == 2
    assert "cannot parse evidence" in capsys.readouterr().err


def test_verify_bad_pubkey_base64_exits_2(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "ev.json", evidence_to_proto_json(double_vote(KEY, CHAIN)))
    assert main(["evidence", "verify", str(path), "--chain-id", CHAIN, "--pubkey", "not*base64"]) == 2
    assert "--pubkey: is not valid base64" in capsys.readouterr().err


def test_verify_missing_file_exits_2(tmp_path: Path) -> None:
    assert main(["evidence", "verify", str(tmp_path / "nope.json"), "--chain-id", CHAIN]) == 2


def test_pair_then_verify_as_a_real_subprocess(tmp_path: Path) -> None:
    ev = double_vote(KEY, CHAIN)
    one = write(tmp_path, "one.json", vote_to_proto_json(ev.vote_b))
    two = write(tmp_path, "two.json", vote_to_proto_json(ev.vote_a))
    out = tmp_path / "paired.json"
    assert main(["evidence", "pair", str(one), str(two), "--out", str(out)]) == 0
    assert json.loads(out.read_text()) == evidence_to_proto_json(ev) | {
        "total_voting_power": "0",
        "validator_power": "0",
    }
    done = subprocess.run(
        [sys.executable, "-m", "ics_workbench", "evidence", "verify", str(out), "--chain-id", CHAIN,
         "--pubkey", KEY.public_b64, "--json"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"] == "valid double vote"


def test_scan_finds_evidence_in_a_height_range(tmp_path: Path, capsys) -> None:
    ev = double_vote(KEY, CHAIN, height=7)

    def route(path: str, params: dict[str, str]):
        if path == "/block":
            height = int(params["height"])
            evidence = [evidence_to_rpc_json(ev)] if height == 8 else []
            return {
                "jsonrpc": "2.0",
                "id": -1,
                "result": {"block": {"header": {"height": str(height)}, "evidence": {"evidence": evidence}}},
            }
        return None

    with serve(route) as url:
        assert (
            main(["evidence", "scan", "--rpc", url, "--from", "1", "--to", "20", "--out", str(tmp_path / "found.json")])
            == 0
        )
    assert "1 evidence item(s) in blocks 1..20" in capsys.readouterr().out
    [found] = json.loads((tmp_path / "found.json").read_text())
    assert found["vote_a"]["signature"] == evidence_to_proto_json(ev)["vote_a"]["signature"]


def test_stored_lists_every_page_of_the_evidence_store(capsys) -> None:
    def equivocation(height: int) -> dict:
        return {"@type": "/cosmos.evidence.v1beta1.Equivocation", "height": str(height),
                "time": "2024-01-01T00:00:00Z", "power": "100", "consensus_address": f"cosmosvalcons1x{height}"}

    def route(path: str, params: dict[str, str]):
        if path != "/cosmos/evidence/v1beta1/evidence":
            return None
        if params.get("pagination.key") == "page2":
            return {"evidence": [equivocation(3)], "pagination": {"next_key": None, "total": "0"}}
        return {"evidence": [equivocation(1), equivocation(2)], "pagination": {"next_key": "page2", "total": "0"}}

    with serve(route) as url:
        assert main(["evidence", "stored", "--rest", url, "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [i["height"] for i in items] == ["1", "2", "3"]
    assert items[2]["consensus_address"] == "cosmosvalcons1x3"


def test_stored_equivocation_verdict_explains_why_it_cannot_be_verified(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "eq.json", {"evidence": [{"@type": "/cosmos.evidence.v1beta1.Equivocation", "height": "9",
                                                      "time": "2024-01-01T00:00:00Z", "power": "1",
                                                      "consensus_address": "cosmosvalcons1abc"}]})
    assert main(["evidence", "verify", str(path), "--chain-id", "provider"]) == 1
    assert "keeps only who/when/power" in capsys.readouterr().out


def test_record_tx_adds_the_submission_to_json_and_markdown(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "ev.json", evidence_to_proto_json(double_vote(KEY, CHAIN)))
    report = tmp_path / "report.json"
    assert main(["evidence", "verify", str(path), "--chain-id", CHAIN, "--pubkey", KEY.public_b64,
                 "--report", str(report)]) == 0
    before = json.loads(report.read_text())
    assert main(["evidence", "record-tx", str(report), "--tx-hash", "ab" * 32, "--height", "123"]) == 0
    after = json.loads(report.read_text())
    assert after["submission"] == {"tx_hash": "AB" * 32, "height": 123}
    assert {k: v for k, v in after.items() if k != "submission"} == {
        k: v for k, v in before.items() if k != "submission"
    }
    assert "included at height 123" in report.with_suffix(".md").read_text()
    assert main(["evidence", "record-tx", str(report), "--tx-hash", "zz", "--height", "1"]) == 2
    assert main(["evidence", "record-tx", str(path), "--tx-hash", "ab" * 32, "--height", "1"]) == 2


def test_pruned_validator_set_is_reported_not_crashed(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "ev.json", evidence_to_proto_json(double_vote(KEY, CHAIN, height=5)))

    def route(path: str, params: dict[str, str]):
        return {"jsonrpc": "2.0", "id": -1, "error": {"code": -32603, "message": "Internal error",
                                                       "data": "height 5 is not available, lowest height is 100"}}

    with serve(route) as url:
        assert main(["evidence", "verify", str(path), "--chain-id", CHAIN, "--rpc", url]) == 1
    assert "lowest height is 100" in capsys.readouterr().err


def test_a_command_leaves_no_deadline_behind(capsys) -> None:
    """main() sets a whole-command deadline; a process that goes on (tests, scripts) must not inherit it."""
    from ics_workbench.netlimits import command_time_left

    def route(path: str, params: dict[str, str]):
        return {"evidence": [], "pagination": {"next_key": None, "total": "0"}} if "evidence" in path else None

    with serve(route) as url:
        assert main(["--deadline", "30", "evidence", "stored", "--rest", url]) == 0
    assert command_time_left() is None
