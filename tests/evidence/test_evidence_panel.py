"""The Evidence panel with a real AppContext: list, per-check detail, report saving."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ics_workbench.gui.context import AppContext
from ics_workbench.gui.panels.evidence.panel import EvidencePanel

from .factory import Key, double_vote, evidence_to_proto_json, evidence_to_rpc_json

KEY = Key(70)


@pytest.fixture
def panel(qtbot, qapp) -> Iterator[EvidencePanel]:
    ctx = AppContext()
    widget = EvidencePanel(ctx)
    qtbot.addWidget(widget)
    yield widget
    assert ctx.runtime.shutdown(10_000)


def test_lists_items_and_shows_each_check(panel: EvidencePanel, qtbot, qtmodeltester, tmp_path: Path) -> None:
    good = evidence_to_rpc_json(double_vote(KEY, "consumer-1"))
    forged = evidence_to_rpc_json(double_vote(KEY, "other-chain"))
    panel.chain_id_edit.setText("consumer-1")
    panel.pubkey_edit.setText(KEY.public_b64)
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000) as loaded:
        panel.set_document(json.dumps([good, forged]).encode(), "two.json")
    assert loaded.args == [2]
    qtmodeltester.check(panel.evidence_model)
    assert [r.verdict for r in panel.evidence_model.rows] == ["valid", "invalid"]
    assert {c.status.value for c in panel.checks_model.rows} == {"passed"}

    panel.evidence_table.view.selectRow(1)
    failed = [c.name for c in panel.checks_model.rows if c.status.value == "failed"]
    assert failed == ["signature of vote_a", "signature of vote_b"]
    assert "NOT VALID" in panel.summary_label.text()

    panel.save_report(tmp_path / "report.json")
    saved = json.loads((tmp_path / "report.json").read_text())
    assert saved["valid"] is False and (tmp_path / "report.md").exists()


def test_unparsable_file_shows_the_reason(panel: EvidencePanel, qtbot) -> None:
    panel.chain_id_edit.setText("consumer-1")
    with qtbot.waitSignal(panel.sig_failed, timeout=10_000) as failed:
        panel.set_document(b'{"vote_a": {"height": "5"', "broken.json")
    assert "truncated" in failed.args[0]
    assert "truncated" in panel.error_label.text()


def test_verify_needs_a_chain_id(panel: EvidencePanel, qtbot) -> None:
    panel.set_document(json.dumps(evidence_to_proto_json(double_vote(KEY))).encode(), "ev.json")
    with qtbot.waitSignal(panel.sig_failed, timeout=2_000):
        panel.verify()
    assert "chain id" in panel.error_label.text()
