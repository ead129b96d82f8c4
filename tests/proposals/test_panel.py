"""The proposals panel with a real AppContext: errors at the field as you type, JSON preview, diff, autosave."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from ics_workbench.gui.context import AppContext
from ics_workbench.gui.panels.proposals.panel import ProposalsPanel
from ics_workbench.proposals.drafts import DraftStore
from ics_workbench.proto import registry
from tests.proposals import helpers as h

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples" / "proposals"


@pytest.fixture
def panel(qapp: object, qtbot) -> Iterator[ProposalsPanel]:
    context = AppContext()
    widget = ProposalsPanel(context)
    qtbot.addWidget(widget)
    widget.set_facts(h.facts("v7.0.0", c=h.launched_consumer(top_n=95)))
    yield widget
    assert context.runtime.shutdown(10_000)


def test_error_appears_at_the_field_as_you_type(panel: ProposalsPanel, qtbot) -> None:
    panel.new("create-consumer")
    widgets = panel._form.field_widgets()
    labels = panel._form.error_labels()
    with qtbot.waitSignal(panel.sig_validated, timeout=5000) as blocker:
        widgets["chain_id"].setText("neutron-1")  # typing triggers validation after a short pause
    rules = {p.rule for p in blocker.args[0]}
    assert "chain_id_reserved" in rules
    assert not labels["chain_id"].isHidden() and "reserved" in labels["chain_id"].text()
    assert not panel.sign_button.isEnabled()
    with qtbot.waitSignal(panel.sig_validated, timeout=5000):
        widgets["chain_id"].setText("mychain-1")
    assert labels["chain_id"].isHidden()
    assert '"chain_id": "mychain-1"' in panel.preview.toPlainText()


def test_unparsable_field_text_is_reported_at_that_field(panel: ProposalsPanel, qtbot) -> None:
    panel.new("create-consumer")
    with qtbot.waitSignal(panel.sig_validated, timeout=5000) as blocker:
        panel._form.field_widgets()["initialization_parameters.unbonding_period"].setText("20 days")
    (problem,) = blocker.args[0]
    assert problem.path == "initialization_parameters.unbonding_period" and problem.rule == "unreadable"
    assert not panel._form.error_labels()["initialization_parameters.unbonding_period"].isHidden()


def test_imported_partial_update_shows_the_reset_in_the_diff(panel: ProposalsPanel) -> None:
    consumer = h.launched_consumer(top_n=95)
    consumer.consumer_id = "21"
    panel.facts.consumers["21"] = consumer
    panel.import_file(EXAMPLES / "example-partial-power-shaping.gov.json")
    assert "!! power_shaping_parameters.top_N: 95 -> 0" in panel.diff_view.toPlainText()
    label = panel._form.error_labels()["power_shaping_parameters.top_N"]
    assert not label.isHidden() and "OPT-IN" in label.text()
    # the reset survives a round through the form: the field stays "left out"
    panel.refresh()
    assert any(p.rule == "top_n_reset" for p in panel.problems)


def test_autosave_and_reopen(panel: ProposalsPanel, qtbot) -> None:
    panel.new("make-top-n")
    panel.name_edit.setText("Stride Top N")
    with qtbot.waitSignal(panel.sig_saved, timeout=5000) as saved:
        panel.title_edit.setText("Make Stride Top 95")
    draft_id = saved.args[0]
    stored = DraftStore().load(draft_id)
    assert stored.name == "Stride Top N" and stored.draft.title == "Make Stride Top 95"
    assert panel.drafts_list.count() == 1
    panel.open_draft(draft_id)
    assert panel.title_edit.text() == "Make Stride Top 95"


def test_sign_and_submit_hands_over_exact_messages(panel: ProposalsPanel, qtbot, tmp_path) -> None:
    panel.import_file(EXAMPLES / "example-make-top-n.gov.json")
    panel.facts.consumers.clear()
    panel.refresh()
    assert panel.sign_button.isEnabled()
    panel.signer_edit.setText(h.ALICE)
    with qtbot.waitSignal(panel.context.sig_sign_requested, timeout=5000) as request:
        panel.sign_button.click()
    (submit,) = request.args[0].protobuf_messages()
    assert registry.type_url_of(submit) == "/cosmos.gov.v1.MsgSubmitProposal" and submit.proposer == h.ALICE
    out = tmp_path / "to-sign.json"
    panel.export_for_signing(out)
    doc = json.loads(out.read_text())
    assert doc["messages"][0]["messages"][0]["power_shaping_parameters"]["top_N"] == 95


def test_use_connected_provider_loads_chain_facts(panel: ProposalsPanel, qtbot) -> None:
    from ics_workbench.chain.connect import connect_urls
    from ics_workbench.gui.context import ConnectionState, LinkState
    from tests.gui.fileserver import JsonFileServer

    server = JsonFileServer(Path(__file__).parent / "data" / "provider")
    try:
        connection = connect_urls([server.url], [server.url])
        panel.context.set_connection(ConnectionState("hub", "provider", LinkState.CONNECTED, connection=connection))
        panel.import_file(EXAMPLES / "example-make-top-n.gov.json")
        panel._form.field_widgets()["consumer_id"].setText("1")
        with qtbot.waitSignal(panel.sig_facts_loaded, timeout=10_000):
            panel.chain_button.click()
        assert panel.facts.gov is not None and panel.facts.unbonding_period_ns == 1814400 * 10**9
        assert panel.version_box.currentText() == str(panel.facts.version)
        assert "min deposit 250000000uatom" in panel.facts_label.text()
        # consumer 1 is owned by an account, not gov: the Top N proposal would fail at execution
        assert any(p.rule == "top_n_requires_gov_owner" for p in panel.problems)
        assert "consumer 1" in panel.diff_view.toPlainText() and "top_N: 0 -> 95" in panel.diff_view.toPlainText()
        connection.close()
    finally:
        server.close()
