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


def _marked(widget) -> bool:
    return "border" in widget.styleSheet() and bool(widget.toolTip())


def test_error_marks_the_field_as_you_type_without_moving_the_form(panel: ProposalsPanel, qtbot) -> None:
    panel.new("create-consumer")
    widgets = panel._form.field_widgets()
    below = widgets["initialization_parameters.unbonding_period"]
    before = below.mapTo(panel, below.rect().topLeft())
    with qtbot.waitSignal(panel.sig_validated, timeout=5000) as blocker:
        widgets["chain_id"].setText("neutron-1")  # typing triggers validation after a short pause
    rules = {p.rule for p in blocker.args[0]}
    assert "chain_id_reserved" in rules
    assert _marked(widgets["chain_id"]) and "reserved" in widgets["chain_id"].toolTip()
    assert any("chain_id_reserved" in panel.problem_list.item(i).text() for i in range(panel.problem_list.count()))
    assert below.mapTo(panel, below.rect().topLeft()) == before  # nothing under the cursor moved
    assert not panel.sign_button.isEnabled()
    with qtbot.waitSignal(panel.sig_validated, timeout=5000):
        widgets["chain_id"].setText("mychain-1")
    assert not _marked(widgets["chain_id"])
    assert '"chain_id": "mychain-1"' in panel.preview.toPlainText()


def test_unparsable_field_does_not_hide_the_other_problems(panel: ProposalsPanel, qtbot) -> None:
    panel.new("create-consumer")
    widgets = panel._form.field_widgets()
    widgets["chain_id"].setText("neutron-1")
    with qtbot.waitSignal(panel.sig_validated, timeout=5000) as blocker:
        widgets["initialization_parameters.unbonding_period"].setText("20 days")
    found = {(p.path, p.rule) for p in blocker.args[0]}
    assert ("initialization_parameters.unbonding_period", "unreadable") in found
    assert ("chain_id", "chain_id_reserved") in found
    assert _marked(widgets["initialization_parameters.unbonding_period"]) and _marked(widgets["chain_id"])


def test_double_clicking_a_problem_focuses_its_field(panel: ProposalsPanel, qtbot) -> None:
    panel.new("create-consumer")
    panel.show()
    widgets = panel._form.field_widgets()
    with qtbot.waitSignal(panel.sig_validated, timeout=5000):
        widgets["power_shaping_parameters.top_N"].setText("30")
    row = next(i for i in range(panel.problem_list.count()) if "top_n" in panel.problem_list.item(i).text())
    item = panel.problem_list.item(row)
    panel.problem_list.itemDoubleClicked.emit(item)
    # the last widget given the focus in the window (Xvfb has no window manager to activate it)
    assert panel.focusWidget() is widgets["power_shaping_parameters.top_N"]


def test_delete_a_draft(panel: ProposalsPanel, qtbot) -> None:
    panel.new("make-top-n")
    with qtbot.waitSignal(panel.sig_saved, timeout=5000) as saved:
        panel.title_edit.setText("To be deleted")
    assert panel.drafts_list.count() == 1
    panel.delete_draft()
    assert panel.drafts_list.count() == 0 and panel.draft is None
    assert saved.args[0] not in {s.id for s in DraftStore().list()}


def test_draft_list_state_follows_validation(panel: ProposalsPanel, qtbot) -> None:
    panel.new("create-consumer")
    widgets = panel._form.field_widgets()
    for name in ("name", "description", "metadata"):
        widgets[f"metadata.{name}"].setText("x")
    with qtbot.waitSignal(panel.sig_saved, timeout=5000):
        panel.name_edit.setText("state")
    with qtbot.waitSignal(panel.sig_validated, timeout=5000):
        widgets["chain_id"].setText("neutron-1")
    assert "invalid" in panel.drafts_list.item(0).text()
    with qtbot.waitSignal(panel.sig_validated, timeout=5000):
        panel._form.field_widgets()["chain_id"].setText("mychain-1")
    assert "invalid" not in panel.drafts_list.item(0).text()


def test_imported_partial_update_shows_the_reset_in_the_diff(panel: ProposalsPanel) -> None:
    consumer = h.launched_consumer(top_n=95)
    consumer.consumer_id = "21"
    panel.facts.consumers["21"] = consumer
    panel.import_file(EXAMPLES / "example-partial-power-shaping.gov.json")
    assert "!! power_shaping_parameters.top_N: 95 -> 0" in panel.diff_view.toPlainText()
    field = panel._form.field_widgets()["power_shaping_parameters.top_N"]
    assert _marked(field) and "OPT-IN" in field.toolTip()
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
        assert panel.freshness_label.text().startswith("checked against")
        # another consumer in the draft: stale until the facts for it are read (on a worker thread)
        with qtbot.waitSignal(panel.sig_facts_loaded, timeout=10_000):
            panel._form.field_widgets()["consumer_id"].setText("2")
            qtbot.waitUntil(lambda: "STALE" in panel.freshness_label.text(), timeout=5000)
        assert panel.facts.height is None or "STALE" not in panel.freshness_label.text()
        connection.close()
    finally:
        server.close()


def test_cli_and_panel_give_the_same_verdict(panel: ProposalsPanel, qtbot, tmp_path, capsys) -> None:
    """Both go through proposals.check.check: same draft, same facts, same signer -> the same problems."""
    from ics_workbench.cli import main

    doc = {
        "consumer_id": "1",
        "new_owner_address": h.ALICE.upper(),
        "metadata": {"name": "n", "description": "", "metadata": "m"},
        "power_shaping_parameters": {"top_N": 40},
    }
    path = tmp_path / "update.json"
    path.write_text(json.dumps(doc))
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"consumer_id": "1", "chain_id": "c-1", "owner_address": h.ALICE,
                                 "phase": "CONSUMER_PHASE_LAUNCHED"}))
    signer = h.valcons("someone", "cosmos")
    assert main(["proposal", "validate", str(path), "--json", "--consumer-state", str(state), "--signer", signer]) == 1
    cli = {(p["path"], p["rule"], p["severity"]) for p in json.loads(capsys.readouterr().out)["problems"]}

    from ics_workbench.proposals.chain_facts import consumer_state_from_rest
    from ics_workbench.proposals.facts import ProviderFacts

    facts = ProviderFacts()
    facts.consumers["1"] = consumer_state_from_rest(json.loads(state.read_text()))
    panel.set_facts(facts)
    panel.signer_edit.setText(signer)
    panel.import_file(path)
    gui = {(p.path, p.rule, p.severity.value) for p in panel.problems}
    assert cli == gui
    assert {"owner_mismatch", "new_owner_upper_case", "top_n_range", "metadata_blank"} <= {r for _, r, _ in gui}


def test_owner_change_on_chain_is_picked_up_on_the_next_block(panel: ProposalsPanel, qtbot, tmp_path) -> None:
    """The issue's stale-draft case: the draft was valid, then the consumer's owner changed on chain; the next
    block re-reads the facts (on a worker thread) and the verdict follows, without pressing anything."""
    import shutil

    from ics_workbench.chain.connect import connect_urls
    from ics_workbench.gui.context import ConnectionState, LinkState
    from tests.gui.fileserver import JsonFileServer

    root = tmp_path / "provider"
    shutil.copytree(Path(__file__).parent / "data" / "provider", root)
    consumer = root / "interchain_security" / "ccv" / "provider" / "consumer_chain" / "1.json"
    latest = root / "cosmos" / "base" / "tendermint" / "v1beta1" / "blocks" / "latest.json"
    data = json.loads(consumer.read_text())
    data["owner_address"] = panel.facts.gov_address
    consumer.write_text(json.dumps(data))
    server = JsonFileServer(root)
    try:
        connection = connect_urls([server.url], [server.url])
        panel.import_file(EXAMPLES / "example-make-top-n.gov.json")
        panel._form.field_widgets()["consumer_id"].setText("1")
        panel._block_timer.setInterval(200)
        with qtbot.waitSignal(panel.sig_facts_loaded, timeout=10_000):
            panel.context.set_connection(ConnectionState("hub", "provider", LinkState.CONNECTED, connection=connection))
        panel.refresh()
        assert not any(p.rule == "top_n_requires_gov_owner" for p in panel.problems)
        data["owner_address"] = h.ALICE  # the owner changes on chain, a block later
        consumer.write_text(json.dumps(data))
        latest.write_text(latest.read_text().replace('"height": "120"', '"height": "121"'))
        qtbot.waitUntil(lambda: any(p.rule == "top_n_requires_gov_owner" for p in panel.problems), timeout=10_000)
        assert panel.freshness_label.text().endswith("at height 121")
        connection.close()
    finally:
        server.close()


def test_problem_text_from_a_file_is_shown_escaped(panel: ProposalsPanel, tmp_path) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps({"chain_id": "neutron-1", "metadata": {"name": "\u202eevil\u200b", "description": "d",
                                                                    "metadata": "x" * 300}}))
    panel.import_file(path)
    texts = [panel.problem_list.item(i).text() for i in range(panel.problem_list.count())]
    assert texts and not any(ch in t for t in texts for ch in "\u202e\u200b")
    assert all(ch not in panel._form.field_widgets()["metadata.metadata"].toolTip() for ch in "\u202e\u200b")
