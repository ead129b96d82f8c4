"""A broadcast interrupted at every stage after the POST may have reached the node keeps the signed tx on disk:
POST error, polling HTTP 500 "transaction indexing is disabled", cancel, Ctrl-C; with indexing disabled,
inclusion is detected from the account sequence."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest

from ics_workbench.signing.broadcast import Broadcaster, BroadcastError
from ics_workbench.tasks import Job
from tests.signing.node_server import NodeState, fake_node
from tests.signing.test_broadcast import DOC, TX, kept_files

ADDRESS = "cosmos1rvuvwfdfwlte5730tk99xjrr7h4nhv8d93emm3"
SIGNED = DOC | {"signer": {"address": ADDRESS, "sequence": "3", "account_number": "12"}}
INDEX_OFF = (500, {"code": 2, "message": "transaction indexing is disabled", "details": []})


def no_index_state(include_after: int | None) -> NodeState:
    state = NodeState()
    state.accounts[ADDRESS] = {"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": ADDRESS,
                               "account_number": "12", "sequence": "3"}
    state.tx_lookup_error = INDEX_OFF  # type: ignore[attr-defined]
    state.include_after = include_after  # type: ignore[attr-defined]
    return state


@pytest.fixture(autouse=True)
def _index_off_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake node answers tx lookups with the indexer-off 500 when the state asks for it, and bumps the
    account sequence after ``include_after`` account queries (as a block including the tx would)."""
    import tests.signing.node_server as node_server

    original = node_server._handler

    def handler(state: NodeState):  # type: ignore[no-untyped-def]
        base = original(state)

        class Handler(base):  # type: ignore[misc, valid-type]
            def do_GET(self) -> None:
                error = getattr(state, "tx_lookup_error", None)
                if error and self.path.startswith("/cosmos/tx/v1beta1/txs/"):
                    state.polls += 1
                    self._send(*error)
                    return
                after = getattr(state, "include_after", None)
                if self.path.startswith("/cosmos/auth/v1beta1/accounts/") and after is not None and state.received:
                    state.account_queries = getattr(state, "account_queries", 0) + 1  # type: ignore[attr-defined]
                    if state.account_queries > after:  # type: ignore[attr-defined]
                        state.accounts[ADDRESS]["sequence"] = "4"
                super().do_GET()

        return Handler

    monkeypatch.setattr(node_server, "_handler", handler)


def test_indexing_disabled_inclusion_is_detected_from_the_sequence(app_home: Path) -> None:
    state = no_index_state(include_after=2)
    with fake_node(state) as url, Broadcaster(url, poll_interval=0.01, inclusion_timeout=10) as client:
        result = client.broadcast(TX, SIGNED)
    assert not result.result_known and "included in a block" in result.summary()
    assert state.polls == 2  # one lookup (HTTP 500 is retried once), then the sequence is watched instead
    assert kept_files(app_home) == []


def test_indexing_disabled_and_never_included_keeps_the_tx(app_home: Path) -> None:
    state = no_index_state(include_after=None)
    with fake_node(state) as url, Broadcaster(url, poll_interval=0.01, inclusion_timeout=0.3) as client:
        with pytest.raises(BroadcastError, match="transaction indexing is disabled") as info:
            client.broadcast(TX, SIGNED)
    [kept] = kept_files(app_home)
    assert info.value.saved_to == kept and json.loads(kept.read_text())["tx_bytes"] == DOC["tx_bytes"]


def test_post_answer_broken_after_sending_keeps_the_tx(app_home: Path) -> None:
    """The node reads the POST, then drops the connection: it may have the tx."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def serve() -> None:
        conn, _ = server.accept()
        conn.recv(65536)
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    with Broadcaster(f"http://127.0.0.1:{server.getsockname()[1]}", timeout=5) as client:
        with pytest.raises(BroadcastError, match="may have received it") as info:
            client.broadcast(TX, SIGNED)
    server.close()
    assert info.value.saved_to.exists()


@pytest.mark.parametrize("how", ["cancel", "ctrl-c"])
def test_cancel_or_interrupt_while_polling_keeps_the_tx(app_home: Path, how: str) -> None:
    state = NodeState(never_include=True)

    class Interrupting(Job):
        def wait(self, seconds: float) -> None:
            raise KeyboardInterrupt

    job = Interrupting() if how == "ctrl-c" else _CancelAfterPost(state)
    with fake_node(state) as url, Broadcaster(url, poll_interval=0.01, inclusion_timeout=30) as client:
        with pytest.raises(BroadcastError, match="cancelled while waiting for inclusion") as info:
            client.broadcast(TX, SIGNED, job=job)
    assert state.received == [TX]
    [kept] = kept_files(app_home)
    assert info.value.saved_to == kept and "cancelled" in json.loads(kept.read_text())["kept_because"]


class _CancelAfterPost(Job):
    """The user presses Cancel once the tx is in the mempool (the first progress report)."""

    def __init__(self, state: NodeState) -> None:
        super().__init__()
        self._state = state

    def progress(self, fraction: float, message: str = "") -> None:
        super().progress(fraction, message)
        self.cancel()
