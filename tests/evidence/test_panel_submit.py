"""Evidence panel -> Keys & Signing through the main window: a verified double vote with a connected provider
becomes exactly one MsgSubmitConsumerDoubleVoting (or a slash proposal wrapping it) in the signing panel;
pre-check blockers keep the buttons disabled with the reason shown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from ics_workbench.addresses import encode_address, module_address
from ics_workbench.chain.connect import HttpSettings, connect_urls
from ics_workbench.evidence.messages import DOUBLE_VOTING_TYPE_URL, evidence_to_proto
from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
from ics_workbench.gui.main_window import MainWindow
from ics_workbench.gui.panels.evidence.panel import EvidencePanel
from ics_workbench.proto import registry
from ics_workbench.signing.keystore import KeyStore
from ics_workbench.signing.tx import SignMode

from .factory import Key, double_vote, evidence_to_rpc_json
from .provider_node import CONSUMER_CHAIN_ID, CONSUMER_ID, provider_node, signing_info, valcons, validators

KEY = Key(71)
EVIDENCE = double_vote(KEY, CONSUMER_CHAIN_ID, height=10)
ALICE = encode_address(bytes(range(20)), "cosmos")
STAKECRAFT = validators()[0]


def _provider_answers(*, tombstoned: bool) -> dict[str, Any]:
    consumer_valcons = encode_address(EVIDENCE.vote_a.validator_address, "cosmosvalcons")
    provider_valcons = valcons(STAKECRAFT)
    return {
        f"/interchain_security/ccv/provider/validator_provider_addr/{CONSUMER_ID}/{consumer_valcons}":
            {"provider_address": provider_valcons},
        f"/cosmos/slashing/v1beta1/signing_infos/{provider_valcons}":
            {"val_signing_info": signing_info(provider_valcons, 0, tombstoned=tombstoned)},
    }


@pytest.fixture
def window_for(qtbot, qapp) -> Iterator[Any]:
    """``window_for(tombstoned=...)`` -> (main window, evidence panel) with a connected provider."""
    with ExitStack() as stack:
        contexts: list[AppContext] = []

        def make(*, tombstoned: bool = False) -> tuple[MainWindow, EvidencePanel]:
            url = stack.enter_context(provider_node(extra=_provider_answers(tombstoned=tombstoned)))
            conn = stack.enter_context(connect_urls([url], [url], settings=HttpSettings(timeout=5, retries=0)))
            ctx = AppContext()
            contexts.append(ctx)
            ctx.set_connection(
                ConnectionState("provider", "provider", LinkState.CONNECTED, conn.chain_id, connection=conn)
            )
            window = MainWindow(ctx)
            qtbot.addWidget(window)
            window.show()
            panel = window.show_panel("evidence")
            panel.provider_combo.setCurrentText("provider")
            panel.chain_id_edit.setText(CONSUMER_CHAIN_ID)
            panel.pubkey_edit.setText(KEY.public_b64)
            return window, panel

        yield make
        for ctx in contexts:
            assert ctx.runtime.shutdown(10_000)


def _load(qtbot, panel: EvidencePanel, evidence: Any = EVIDENCE) -> Any:
    with qtbot.waitSignal(panel.sig_prepared, timeout=15_000) as prepared:
        panel.set_document(json.dumps(evidence_to_rpc_json(evidence)).encode(), "evidence.json")
    return prepared.args[0]


def test_sign_and_submit_opens_signing_with_exactly_the_double_vote(window_for, qtbot) -> None:
    KeyStore().add_watch("alice", ALICE)  # the submitter is picked from the keystore
    window, panel = window_for()
    submission = _load(qtbot, panel)
    assert submission.ready and panel.submit_button.isEnabled() and panel.proposal_button.isEnabled()
    assert "every pre-check passed" in panel.precheck_label.text()
    assert "slash 5.00%" in panel.precheck_label.text() and "tombstone" in panel.precheck_label.text()
    panel.submitter_combo.setCurrentIndex(panel.submitter_combo.findData(ALICE))
    assert panel.submitter() == ALICE

    with qtbot.waitSignal(window.sig_panel_shown, timeout=10_000) as shown:
        panel.submit_button.click()
    assert shown.args == ["signing"]
    signing = window.page("signing")
    assert window.stack.currentWidget() is signing
    request = signing.requests.handoff
    assert request.signer == ALICE
    (msg,) = request.protobuf_messages()
    # Through the wire form the tx body carries: decode it and compare the evidence with what was verified.
    decoded = registry.unpack(registry.pack(msg, ics_version=request.ics_version), ics_version=request.ics_version)
    assert registry.type_url_of(decoded) == DOUBLE_VOTING_TYPE_URL
    assert decoded.submitter == ALICE and decoded.consumer_id == CONSUMER_ID
    assert decoded.duplicate_vote_evidence == evidence_to_proto(EVIDENCE)
    assert decoded.duplicate_vote_evidence.vote_b.signature == EVIDENCE.vote_b.signature
    header = decoded.infraction_block_header
    # trusted height: the provider's newest consensus state of client 07-tendermint-0 at or below height 10
    assert (header.trusted_height.revision_number, header.trusted_height.revision_height) == (1, 8)
    assert header.validator_set.validators[0].pub_key.ed25519 == KEY.public
    assert "MsgSubmitConsumerDoubleVoting" in signing.requests.handoff_label.text()
    assert signing.requests.mode_combo.currentData() is SignMode.DIRECT  # ICS messages have no amino names


def test_a_key_added_after_the_panel_was_built_becomes_a_choice(window_for, qtbot) -> None:
    window, panel = window_for()
    assert panel.submitter_combo.findData(ALICE) < 0
    KeyStore().add_watch("later", ALICE)
    window.show_panel("connections")
    window.show_panel("evidence")
    assert panel.submitter_combo.findData(ALICE) >= 0


def test_slash_proposal_wraps_the_double_vote_with_the_gov_module_as_submitter(window_for, qtbot) -> None:
    window, panel = window_for()
    _load(qtbot, panel)
    assert panel.deposit_edit.text() == "250000000uatom"  # the provider's gov min deposit, prefilled
    panel.submitter_combo.setEditText(ALICE)
    panel.deposit_edit.setText("10000000uatom")
    with qtbot.waitSignal(window.sig_panel_shown, timeout=10_000):
        panel.proposal_button.click()
    request = window.page("signing").requests.handoff
    (proposal,) = request.protobuf_messages()
    assert registry.type_url_of(proposal) == "/cosmos.gov.v1.MsgSubmitProposal"
    assert proposal.proposer == ALICE and request.signer == ALICE
    assert [(c.denom, c.amount) for c in proposal.initial_deposit] == [("uatom", "10000000")]
    assert "Stakecraft" in proposal.title and CONSUMER_CHAIN_ID in proposal.title
    (inner_any,) = proposal.messages
    inner = registry.unpack(inner_any, ics_version=request.ics_version)
    assert registry.type_url_of(inner) == DOUBLE_VOTING_TYPE_URL
    assert inner.submitter == module_address("gov", "cosmos")
    assert inner.duplicate_vote_evidence == evidence_to_proto(EVIDENCE)


def test_tombstoned_validator_disables_both_buttons_with_the_reason(window_for, qtbot) -> None:
    _window, panel = window_for(tombstoned=True)
    submission = _load(qtbot, panel)
    assert not submission.ready
    assert not panel.submit_button.isEnabled() and not panel.proposal_button.isEnabled()
    assert "already tombstoned" in panel.precheck_label.text()
    assert "already tombstoned" in panel.submit_button.toolTip()


def test_the_core_refuses_a_request_while_the_pre_check_has_blockers() -> None:
    from ics_workbench.errors import WorkbenchError
    from ics_workbench.evidence.model import PubKey
    from ics_workbench.evidence.submission import direct_signing_request, prepare_double_vote_submission
    from ics_workbench.evidence.verify import verify_item

    result = verify_item(EVIDENCE, CONSUMER_CHAIN_ID, user_key=PubKey(KEY.public, "test"))
    with provider_node(extra=_provider_answers(tombstoned=True)) as url, \
            connect_urls([url], [url], settings=HttpSettings(timeout=5, retries=0)) as conn:
        submission = prepare_double_vote_submission(result, conn, CONSUMER_CHAIN_ID, ALICE)
    with pytest.raises(WorkbenchError, match="not submittable: .*already tombstoned"):
        direct_signing_request(submission, ALICE, ics_version=None)


def test_forged_evidence_is_not_submittable(window_for, qtbot) -> None:
    window, panel = window_for()
    forged = double_vote(KEY, "other-chain", height=10)  # signed for another chain id
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        panel.set_document(json.dumps(evidence_to_rpc_json(forged)).encode(), "forged.json")
    assert panel.evidence_model.rows[0].verdict == "invalid"
    assert not panel.submit_button.isEnabled()
    assert "did not verify" in panel.precheck_label.text()
    assert window.page("signing") is None


def test_bad_submitter_address_is_refused_precisely(window_for, qtbot) -> None:
    window, panel = window_for()
    _load(qtbot, panel)
    panel.submitter_combo.setEditText("cosmos1notanaddress")
    with qtbot.waitSignal(panel.sig_failed, timeout=2_000) as failed:
        panel.submit_button.click()
    assert failed.args[0].startswith("submitter: ")
    panel.submitter_combo.setEditText(encode_address(bytes(20), "osmo"))
    with qtbot.waitSignal(panel.sig_failed, timeout=2_000) as failed:
        panel.submit_button.click()
    assert "prefix 'osmo'" in failed.args[0] and "'cosmos'" in failed.args[0]
    panel.submitter_combo.setEditText(ALICE)
    panel.deposit_edit.setText("ten atoms")
    with qtbot.waitSignal(panel.sig_failed, timeout=2_000) as failed:
        panel.proposal_button.click()
    assert failed.args[0].startswith("deposit: ")
    assert window.page("signing") is None
