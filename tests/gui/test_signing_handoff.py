"""Proposals -> Keys & Signing: "Sign and submit" opens the signing panel with exactly the drafted messages."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ics_workbench.gui.context import AppContext
from ics_workbench.gui.main_window import MainWindow
from ics_workbench.proto import registry
from tests.proposals import helpers as h

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples" / "proposals"


def test_sign_and_submit_switches_to_the_signing_panel_with_the_messages(qtbot: QtBot, context: AppContext) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    proposals = window.show_panel("proposals")
    proposals.set_facts(h.facts("v7.0.0", c=h.launched_consumer(top_n=95)))
    proposals.import_file(EXAMPLES / "example-make-top-n.gov.json")
    proposals.facts.consumers.clear()
    proposals.refresh()
    proposals.signer_edit.setText(h.ALICE)
    assert window.page("signing") is None  # not built before the hand-off

    with qtbot.waitSignal(window.sig_panel_shown, timeout=10_000) as shown:
        proposals.sign_button.click()
    assert shown.args == ["signing"]
    signing = window.page("signing")
    assert window.stack.currentWidget() is signing
    assert signing.tabs.currentWidget() is signing.requests
    (submit,) = signing.requests.handoff.protobuf_messages()
    assert registry.type_url_of(submit) == "/cosmos.gov.v1.MsgSubmitProposal"
    assert submit.proposer == h.ALICE
    assert context.pending_signing_request is None
