"""The Search tab against a loopback CometBFT node: the strategy the node allows, items streamed into the
list while the scan runs, the request count shown, cancel, stale results of an earlier search dropped, and
the hand-off that verifies the found double vote in the Evidence tab."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from types import SimpleNamespace
from typing import Any

import pytest

from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
from ics_workbench.gui.panels.evidence.panel import EvidencePanel

from .factory import Key, double_vote, evidence_to_rpc_json
from .fakecomet import FakeComet

KEY = Key(83)
CHAIN = "consumer-1"


@pytest.fixture
def open_panel(qtbot, qapp) -> Iterator[Any]:
    with ExitStack() as stack:
        ctx = AppContext()

        def make(node: FakeComet) -> EvidencePanel:
            url = stack.enter_context(node.serve())
            http = stack.enter_context(JsonHttp([Endpoint(url)], retries=0))
            conn = SimpleNamespace(chain_id=CHAIN, rpc_http=http)  # the tab reads only these
            ctx.set_connection(ConnectionState("consumer", "consumer", LinkState.CONNECTED, CHAIN, connection=conn))
            panel = EvidencePanel(ctx)
            qtbot.addWidget(panel)
            panel.tabs.setCurrentWidget(panel.search)
            return panel

        yield make
        assert ctx.runtime.shutdown(10_000)


def test_search_streams_what_it_finds_and_shows_strategy_and_requests(open_panel, qtbot) -> None:
    evidence = {h: [evidence_to_rpc_json(double_vote(KEY, CHAIN, height=h - 1))] for h in (30, 1700)}
    node = FakeComet(latest=2000, evidence=evidence, validators=1, latency=0.002)
    panel = open_panel(node)
    tab = panel.search
    tab.from_spin.setValue(1)
    first_at: list[int] = []
    tab.sig_found.connect(lambda row: first_at.append(tab.progress.value()))
    with qtbot.waitSignal(tab.sig_finished, timeout=60_000) as finished:
        tab.search_button.click()
    summary = finished.args[0]
    assert [r.block for r in tab.model.rows] == [30, 1700]
    assert [r.vote_height for r in tab.model.rows] == [29, 1699]
    assert first_at[0] < 1000  # the first item was listed while the scan still ran
    assert summary.strategy.value == "headers"
    assert summary.requests == sum(node.requests.values()) - node.requests["/status"]  # /status: the latest height
    assert "strategy headers" in tab.status_label.text() and f"{summary.requests} request(s)" in tab.status_label.text()

    tab.table.view.selectRow(0)
    with qtbot.waitSignal(panel.sig_loaded, timeout=20_000):
        panel.pubkey_edit.setText(KEY.public_b64)
        tab.verify_button.click()
    assert panel.tabs.currentIndex() == 0 and panel.chain_id_edit.text() == CHAIN
    assert [r.verdict for r in panel.evidence_model.rows] == ["valid"]


def test_cancel_stops_and_a_new_search_drops_the_old_ones_stragglers(open_panel, qtbot) -> None:
    node = FakeComet(latest=50_000, evidence={25_000: [evidence_to_rpc_json(double_vote(KEY, CHAIN))]},
                     validators=1, latency=0.01)
    panel = open_panel(node)
    tab = panel.search
    tab.strategy_combo.setCurrentIndex(3)  # every block: slow enough to cancel mid-way
    with qtbot.waitSignal(tab.sig_failed, timeout=30_000) as failed:
        tab.search_button.click()
        qtbot.waitUntil(lambda: tab.progress.value() > 0, timeout=20_000)
        tab.cancel_button.click()
    assert "cancel" in failed.args[0].lower()
    assert node.requests["/block"] < 50_000 and tab.search_button.isEnabled()

    # A late item from a search that is no longer current never reaches the list: the cancelled search's
    # ticket stays current until the next search starts, which makes it stale (the shared Latest).
    assert tab.task is None
    first = tab._latest.start()
    tab._relay.sig_found.emit(first, 7, double_vote(KEY, CHAIN))
    qtbot.waitUntil(lambda: len(tab.model.rows) == 1, timeout=5_000)  # while current, an item is shown
    with qtbot.waitSignal(tab.sig_failed, timeout=30_000):
        tab.search_button.click()  # the new search clears the list and makes ``first`` stale
        tab._relay.sig_found.emit(first, 7, double_vote(KEY, CHAIN))
        qtbot.wait(200)
        tab.cancel_button.click()
    assert tab.model.rows == ()


def test_items_that_arrive_together_reach_the_list_in_one_insert(open_panel, qtbot) -> None:
    """A burst of found items (a scan relays each as its block is read) is one model insert and one repaint, not
    one per item: each insert makes the view call into the Python model hundreds of times, which is what stalled
    the window while the scan's threads held the GIL (bench/gui_stall.py)."""
    panel = open_panel(FakeComet(latest=10, evidence={}, validators=1))
    tab = panel.search
    inserts: list[tuple[int, int]] = []
    tab.model.rowsInserted.connect(lambda _parent, first, last: inserts.append((first, last)))
    found: list[object] = []
    tab.sig_found.connect(found.append)
    ticket = tab._latest.start()
    for height in range(1, 51):
        tab._relay.sig_found.emit(ticket, height, double_vote(KEY, CHAIN, height=height))
    qtbot.waitUntil(lambda: len(tab.model.rows) == 50, timeout=5_000)
    assert inserts == [(0, 49)]
    assert [r.block for r in tab.model.rows] == list(range(1, 51)) and len(found) == 50
