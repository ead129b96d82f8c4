"""``ics-workbench overlaps`` against real local HTTP servers answering like a provider and a consumer node.

The node data are the GUI tests' recorded provider (ICS v7, 3 active consumers) and consumer (pion-1); queries the
recording lacks answer 404, which the report must survive with a warning per missing answer.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest

from ics_workbench.cli import main
from tests.gui.fileserver import DATA, JsonFileServer


@pytest.fixture
def servers() -> Iterator[tuple[JsonFileServer, JsonFileServer]]:
    provider, consumer = JsonFileServer(DATA / "provider"), JsonFileServer(DATA / "consumer")
    yield provider, consumer
    provider.close()
    consumer.close()


def _bonded_count() -> int:
    raw = json.loads((DATA / "provider" / "cosmos" / "staking" / "v1beta1" / "validators.json").read_text())
    return len(raw["validators"])


def test_json_report(servers: tuple[JsonFileServer, JsonFileServer], capsys: pytest.CaptureFixture[str]) -> None:
    provider, consumer = servers
    code = main(["overlaps", "--provider-rpc", provider.url, "--provider-rest", provider.url,
                 "--consumer", f"pion-1={consumer.url}", "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["matrix"]) == _bonded_count()
    by_chain = {c["chain_id"]: c for c in report["consumers"]}
    pion = by_chain["pion-1"]
    top_n = pion["power_shaping"]["top_N"]
    assert top_n > 0 and pion["validators"] and pion["min_power_in_top_n"] is not None
    assert all(v["provider_power"] >= pion["min_power_in_top_n"] for v in pion["validators"])
    assert pion["simulation_agrees_with_provider"] is None  # the recording has no consumer_validators
    assert len(pion["consumer_chain_match"]) >= 4  # the consumer's 4 validators all appear in the match rows
    assert any("did not answer consumer_validators" in w for w in report["warnings"])
    for entry in report["consumers"]:
        if not entry["validators"]:
            assert "empty_set" in {f["code"] for f in entry["findings"]}


def test_csv_matrix(servers: tuple[JsonFileServer, JsonFileServer], capsys: pytest.CaptureFixture[str]) -> None:
    provider, _ = servers
    assert main(["overlaps", "--provider-rpc", provider.url, "--provider-rest", provider.url, "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == _bonded_count()
    assert list(rows[0])[:5] == ["moniker", "operator", "valcons", "provider_power", "consumers"]
    assert any(value.endswith("%") for row in rows for value in row.values())


def test_a_chain_without_provider_is_refused(servers: tuple[JsonFileServer, JsonFileServer],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _, consumer = servers
    assert main(["overlaps", "--provider-rpc", consumer.url, "--provider-rest", consumer.url]) == 1
    assert "has no provider module" in capsys.readouterr().err


def test_missing_arguments_are_input_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["overlaps"]) == 2
    assert "--provider-rpc URL and --provider-rest URL" in capsys.readouterr().err
