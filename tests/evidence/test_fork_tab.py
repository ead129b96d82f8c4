"""The Fork tab against two loopback CometBFT nodes whose commits are signed by real keys: the first diverging
height of a range, both headers side by side, the verdict on the two commits, one-line refusals of bad input,
a detection replaced by a newer one dropped, and node text shown escaped.

The tab is driven by real widget events (typing, clicks)."""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ics_workbench.evidence.model import BlockId, PartSetHeader
from ics_workbench.evidence.signbytes import commit_sig_sign_bytes
from ics_workbench.foundation.times import Timestamp
from ics_workbench.gui.context import AppContext
from ics_workbench.gui.panels.evidence.panel import EvidencePanel

from .factory import Key
from .rpcserver import serve

CHAIN = "consumer-1"
SIGNERS = [Key(40), Key(41), Key(42)]
HEAD = 200


def _hex(data: bytes) -> str:
    return data.hex().upper()


class Node:
    """A chain of ``HEAD`` blocks; from ``fork_at`` on its blocks differ from the canonical ones (``branch``)."""

    def __init__(self, branch: int, fork_at: int | None, *, chain_id: str = CHAIN, delay: float = 0.0) -> None:
        self.branch, self.fork_at, self.chain_id, self.delay = branch, fork_at, chain_id, delay

    def _branch(self, height: int) -> int:
        return self.branch if self.fork_at is not None and height >= self.fork_at else 0

    def block_id(self, height: int) -> BlockId:
        digest = hashlib.sha256(f"{height}/{self._branch(height)}".encode()).digest()
        return BlockId(digest, PartSetHeader(1, hashlib.sha256(digest).digest()))

    def commit(self, height: int) -> dict[str, Any]:
        bid = self.block_id(height)
        signatures = []
        for index, key in enumerate(SIGNERS):
            stamp = Timestamp(1_700_000_000 + height, 1000 * index + self._branch(height))
            signature = key.signing.sign(commit_sig_sign_bytes(self.chain_id, height, 0, bid, stamp)).signature
            signatures.append({"block_id_flag": 2, "validator_address": _hex(key.address),
                               "timestamp": stamp.rfc3339(), "signature": base64.b64encode(signature).decode()})
        previous = self.block_id(height - 1).hash if height > 1 else b""
        header = {"chain_id": self.chain_id, "height": str(height), "time": Timestamp(1_700_000_000 + height).rfc3339(),
                  "last_block_id": {"hash": _hex(previous)}, "app_hash": _hex(bytes([self._branch(height)]) * 32),
                  "proposer_address": _hex(SIGNERS[0].address)}
        return {"signed_header": {"header": header, "commit": {
            "height": str(height), "round": 0, "signatures": signatures,
            "block_id": {"hash": _hex(bid.hash), "parts": {"total": 1, "hash": _hex(bid.part_set_header.hash)}}}},
            "canonical": True}

    def route(self, path: str, params: dict[str, str]) -> Any:
        time.sleep(self.delay)
        if path == "/status":
            return {"result": {"sync_info": {"latest_block_height": str(HEAD)}}}
        if path == "/commit":
            return {"result": self.commit(int(params["height"]))}
        if path == "/validators":
            validators = [{"address": _hex(k.address), "voting_power": "10", "proposer_priority": "0",
                           "pub_key": {"type": "tendermint/PubKeyEd25519", "value": k.public_b64}} for k in SIGNERS]
            return {"result": {"block_height": params["height"], "validators": validators, "count": "3", "total": "3"}}
        return None


@pytest.fixture
def tab(qtbot: QtBot, qapp: object) -> Iterator[Any]:
    context = AppContext()
    panel = EvidencePanel(context)
    qtbot.addWidget(panel)
    panel.resize(1280, 720)
    panel.show()
    bar = panel.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(panel.tabs.indexOf(panel.fork)).center())
    assert panel.tabs.currentWidget() is panel.fork
    yield panel.fork
    assert context.runtime.shutdown(10_000)


@contextmanager
def nodes(*made: Node) -> Iterator[list[str]]:
    with ExitStack() as stack:
        yield [stack.enter_context(serve(node.route)) for node in made]


def _type(qtbot: QtBot, widget: Any, text: str) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def _enter(qtbot: QtBot, tab: Any, first: str, second: str, start: int = 1) -> None:
    _type(qtbot, tab.rpc_a_combo.lineEdit(), first)
    _type(qtbot, tab.rpc_b_edit, second)
    _type(qtbot, tab.from_spin.lineEdit(), str(start))


def test_detects_the_first_diverging_height_and_verifies_both_commits(tab: Any, qtbot: QtBot) -> None:
    with nodes(Node(0, None), Node(7, 137)) as (first, second):
        _enter(qtbot, tab, first, second, start=5)
        with qtbot.waitSignal(tab.sig_detected, timeout=30_000) as detected:
            qtbot.mouseClick(tab.detect_button, Qt.MouseButton.LeftButton)
    finding = detected.args[0]
    assert finding.fork.height == 137 and not finding.fork.differs_at_start
    rows = {r.field: r for r in tab.header_model.rows}
    assert rows["height"].first == rows["height"].second == "137"
    assert rows["block hash"].first == _hex(Node(0, None).block_id(137).hash)
    assert rows["block hash"].second == _hex(Node(7, 137).block_id(137).hash)
    assert rows["block hash"].differs and not rows["previous block"].differs  # block 136 is shared
    checks = {c.name: c for c in tab.checks_model.rows}
    assert all(c.ok for c in checks.values()), [(c.name, c.detail) for c in checks.values()]
    assert all(_hex(k.address) in checks["validators that signed both"].detail for k in SIGNERS)
    assert tab.progress.value() == 1000 and "fork of consumer-1 at height 137" in tab.status_label.text()
    assert tab.prepare_button.isEnabled() and not tab.submit_button.isEnabled()


def test_agreeing_nodes_a_fork_below_the_range_and_a_range_that_ends_before_it(tab: Any, qtbot: QtBot) -> None:
    with nodes(Node(0, None), Node(3, 40)) as (first, second):
        _enter(qtbot, tab, first, second, start=60)
        with qtbot.waitSignal(tab.sig_detected, timeout=30_000) as detected:
            qtbot.mouseClick(tab.detect_button, Qt.MouseButton.LeftButton)
        assert detected.args[0].fork.height == 60 and detected.args[0].fork.differs_at_start
        assert "may lie lower" in tab.status_label.text()

        _type(qtbot, tab.from_spin.lineEdit(), "1")
        _type(qtbot, tab.to_spin.lineEdit(), "39")
        with qtbot.waitSignal(tab.sig_detected, timeout=30_000) as detected:
            qtbot.mouseClick(tab.detect_button, Qt.MouseButton.LeftButton)
    assert detected.args[0] is None and "no fork" in tab.status_label.text()
    assert tab.header_model.rows == () and not tab.prepare_button.isEnabled()


@pytest.mark.parametrize(("first", "second", "says"), [
    ("ftp://127.0.0.1:1", "http://127.0.0.1:2", "RPC 1: must start with http:// or https://"),
    ("http://127.0.0.1:1", "http://", "RPC 2: has no host"),
    ("http://127.0.0.1:1", "http://127.0.0.1:1/", "the same URL"),
])
def test_bad_endpoints_are_refused_in_one_line(tab: Any, qtbot: QtBot, first: str, second: str, says: str) -> None:
    _enter(qtbot, tab, first, second)
    with qtbot.waitSignal(tab.sig_failed, timeout=5_000) as failed:
        qtbot.mouseClick(tab.detect_button, Qt.MouseButton.LeftButton)
    assert says in failed.args[0] and "\n" not in failed.args[0] and tab.task is None


def test_two_different_chains_are_not_a_fork(tab: Any, qtbot: QtBot) -> None:
    with nodes(Node(0, None), Node(0, None, chain_id="consumer-2")) as (first, second):
        _enter(qtbot, tab, first, second)
        with qtbot.waitSignal(tab.sig_failed, timeout=30_000) as failed:
            qtbot.mouseClick(tab.detect_button, Qt.MouseButton.LeftButton)
    assert "serve different chains ('consumer-1', 'consumer-2'): not a fork" in failed.args[0]
    assert tab.header_model.rows == ()


def test_node_text_is_shown_escaped(tab: Any, qtbot: QtBot) -> None:
    evil = "consumer-1\u202egnp.exe"
    with nodes(Node(0, None, chain_id=evil), Node(4, 90, chain_id=evil)) as (first, second):
        _enter(qtbot, tab, first, second)
        with qtbot.waitSignal(tab.sig_detected, timeout=30_000):
            qtbot.mouseClick(tab.detect_button, Qt.MouseButton.LeftButton)
    shown = [tab.status_label.text(), tab.header_model.index(0, 1).data(), tab.header_model.index(0, 2).data()]
    assert all("consumer-1" in text and "\u202e" not in text for text in shown), shown
    assert tab.status_label.textFormat() == Qt.TextFormat.PlainText


def test_a_newer_detection_drops_the_older_ones_result(tab: Any, qtbot: QtBot) -> None:
    found: list[Any] = []
    tab.sig_detected.connect(found.append)
    with nodes(Node(0, None, delay=0.05), Node(5, 150, delay=0.05), Node(0, None), Node(9, 20)) as urls:
        _enter(qtbot, tab, urls[0], urls[1])
        qtbot.mouseClick(tab.detect_button, Qt.MouseButton.LeftButton)  # slow: ~2 s of requests
        # the user corrects the endpoints and detects again while the first still runs
        qtbot.waitUntil(lambda: tab.progress.value() > 0, timeout=10_000)
        _enter(qtbot, tab, urls[2], urls[3])
        qtbot.mouseClick(tab.detect_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(found), timeout=30_000)
        qtbot.wait(1_500)  # the first detection (~1.3 s of requests) would have ended by now
    assert [f.fork.height for f in found] == [20]
    assert tab.header_model.rows[1].first == "20"


def test_cancel_stops_a_running_detection(tab: Any, qtbot: QtBot) -> None:
    with nodes(Node(0, None, delay=0.1), Node(5, 150, delay=0.1)) as (first, second):
        _enter(qtbot, tab, first, second)
        with qtbot.waitSignal(tab.sig_failed, timeout=10_000) as failed:
            qtbot.mouseClick(tab.detect_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: tab.progress.value() > 0, timeout=10_000)
            qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    assert "cancel" in failed.args[0].lower()
    assert tab.header_model.rows == () and not tab.cancel_button.isEnabled() and tab.task is None


def test_cli_fork_compares_only_the_range_and_asks_the_provider_only_for_a_fork(capsys: Any) -> None:
    """No provider runs here: an agreeing range ends before the provider would be asked."""
    from ics_workbench.cli import main

    with nodes(Node(0, None), Node(3, 40)) as (first, second):
        code = main(["evidence", "fork", "--rpc-a", first, "--rpc-b", second, "--rpc", "http://127.0.0.1:9",
                     "--rest", "http://127.0.0.1:9", "--chain-id", CHAIN, "--submitter",
                     "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", "--from", "2", "--to", "39",
                     "--out-dir", "/nonexistent/never-written"])
    assert (
        code == 1 and "no fork: the two nodes committed the same blocks from height 2 to 39" in capsys.readouterr().out
    )
