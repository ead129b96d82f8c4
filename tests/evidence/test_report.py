"""The evidence report a validator attaches to a forum post: everything checked, read back intact."""

from __future__ import annotations

import json
from pathlib import Path

from ics_workbench.evidence.model import PubKey
from ics_workbench.evidence.report import EvidenceReport
from ics_workbench.evidence.verify import verify_item
from tests.evidence.factory import Key, double_vote

KEY = Key(7)
MAPPING = {"consumer_address": "cosmosvalcons1abc", "provider_address": "cosmosvalcons1xyz", "moniker": "Polar Node"}
AT_INFRACTION = {"when": "2023-11-14T22:13:20+00:00", "provider_height": 412, "provider_address": "cosmosvalcons1old",
                 "moniker": "Former Holder"}


def report(chain_id: str = "consumer-1") -> EvidenceReport:
    result = verify_item(double_vote(KEY), chain_id, user_key=PubKey(KEY.public, "test"))
    return EvidenceReport(
        result,
        chain_id,
        mapping=MAPPING,
        mapping_at_infraction=AT_INFRACTION,
        admissibility=[{"name": "consumer launched", "status": "passed", "detail": "LAUNCHED"}],
        consequence={"slash_fraction": "0.05", "tombstone": True},
        message={"@type": "/interchain_security.ccv.provider.v1.MsgSubmitConsumerDoubleVoting", "consumer_id": "0"},
    )


def test_json_round_trip_keeps_every_section(tmp_path: Path) -> None:
    original = report().with_submission("ABCDEF", 77)
    json_path, md_path = tmp_path / "report.json", tmp_path / "report.md"
    original.write(json_path, md_path)
    again = EvidenceReport.from_json(json.loads(json_path.read_text()))
    def content(r: EvidenceReport) -> dict[str, object]:
        return {k: v for k, v in r.to_json().items() if k != "source"}  # "source" becomes the file read back

    assert content(again) == content(original)
    assert again.result.verdict.valid and again.mapping_at_infraction == AT_INFRACTION
    assert again.submission == {"tx_hash": "ABCDEF", "height": 77}


def test_markdown_names_every_check_and_both_mappings() -> None:
    text = report().to_markdown()
    assert "**Verdict: VALID**" in text
    for check in report().result.verdict.checks:
        assert check.name in text
    assert "## Provider validator" in text and "Polar Node" in text
    assert "## Provider validator at the infraction time" in text and "Former Holder" in text


def test_invalid_evidence_says_so_and_which_check_failed() -> None:
    bad = report(chain_id="another-chain")  # signatures were made for consumer-1
    text = bad.to_markdown()
    assert "**Verdict: NOT VALID**" in text
    assert not bad.result.verdict.valid
    failed = [c.name for c in bad.result.verdict.checks if c.status.value == "failed"]
    assert failed == ["signature of vote_a", "signature of vote_b"]
