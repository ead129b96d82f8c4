"""A mapping that arrives after the user selected another evidence item is dropped: the detail and "Save
report" always name the validator of the row on screen (two keys of two validators; the first answer is held
back by the node until the second row is shown)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from ics_workbench.addresses import encode_address
from ics_workbench.chain.connect import HttpSettings, connect_urls
from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
from ics_workbench.gui.panels.evidence.panel import EvidencePanel

from .factory import Key, double_vote, evidence_to_rpc_json
from .provider_node import CONSUMER_CHAIN_ID, CONSUMER_ID, provider_node, signing_info, valcons, validators

SLOW, FAST = Key(91), Key(92)
VALIDATORS = validators()
PATH = "/interchain_security/ccv/provider/validator_provider_addr"


@pytest.fixture
def setup(qtbot, qapp) -> Iterator[tuple[EvidencePanel, threading.Event, threading.Event]]:
    gate, asked = threading.Event(), threading.Event()
    owner = {encode_address(SLOW.address, "cosmosvalcons"): valcons(VALIDATORS[0]),
             encode_address(FAST.address, "cosmosvalcons"): valcons(VALIDATORS[1])}

    def dynamic(path: str, params: dict[str, str]) -> Any:
        if path.startswith(f"{PATH}/{CONSUMER_ID}/"):
            consumer = path.rsplit("/", 1)[1]
            if consumer == encode_address(SLOW.address, "cosmosvalcons"):
                asked.set()
                gate.wait(20)  # held until the test has moved the selection
            return {"provider_address": owner[consumer]}
        if path.startswith("/cosmos/slashing/v1beta1/signing_infos/"):
            return {"val_signing_info": signing_info(path.rsplit("/", 1)[1], 0)}
        return None

    with ExitStack() as stack:
        url = stack.enter_context(provider_node(dynamic=dynamic))
        conn = stack.enter_context(connect_urls([url], [url], settings=HttpSettings(timeout=30, retries=0)))
        ctx = AppContext()
        ctx.set_connection(ConnectionState("provider", "provider", LinkState.CONNECTED, conn.chain_id, connection=conn))
        panel = EvidencePanel(ctx)
        qtbot.addWidget(panel)
        panel.provider_combo.setCurrentText("provider")
        panel.chain_id_edit.setText(CONSUMER_CHAIN_ID)
        try:
            yield panel, gate, asked
        finally:
            gate.set()
            assert ctx.runtime.shutdown(10_000)


def test_a_late_mapping_is_dropped_and_the_report_names_the_row_on_screen(setup, qtbot, tmp_path: Path) -> None:
    panel, gate, asked = setup
    items = [evidence_to_rpc_json(double_vote(SLOW, CONSUMER_CHAIN_ID)),
             evidence_to_rpc_json(double_vote(FAST, CONSUMER_CHAIN_ID))]
    panel.set_document(json.dumps(items).encode(), "two.json")  # verifies, then selects row 0 (SLOW)
    qtbot.waitUntil(asked.is_set, timeout=15_000)

    with qtbot.waitSignal(panel.sig_mapped, timeout=15_000) as mapped:
        panel.evidence_table.view.selectRow(1)
    assert mapped.args[0].provider_address == valcons(VALIDATORS[1])
    fast_text = panel.mapping_label.text()

    gate.set()  # now SLOW's answer arrives, for a row no longer selected
    with qtbot.assertNotEmitted(panel.sig_mapped, wait=1500):
        pass
    assert panel.mapping_label.text() == fast_text
    assert panel.mapping is not None and panel.mapping.provider_address == valcons(VALIDATORS[1])
    panel.save_report(tmp_path / "fast.json")
    assert json.loads((tmp_path / "fast.json").read_text())["mapping"]["provider_address"] == valcons(VALIDATORS[1])

    # Back on row 0 before its new answer came: the report must not borrow row 1's validator.
    panel.evidence_table.view.selectRow(0)
    panel.save_report(tmp_path / "slow.json")
    saved = json.loads((tmp_path / "slow.json").read_text())
    assert (saved.get("mapping") or {}).get("provider_address") != valcons(VALIDATORS[1])
    with qtbot.waitSignal(panel.sig_mapped, timeout=15_000) as mapped:
        pass
    assert mapped.args[0].provider_address == valcons(VALIDATORS[0])
    panel.save_report(tmp_path / "slow.json")
    assert json.loads((tmp_path / "slow.json").read_text())["mapping"]["provider_address"] == valcons(VALIDATORS[0])
