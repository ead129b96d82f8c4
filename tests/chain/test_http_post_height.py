"""JsonHttp POST and queries at a past height, against real local servers that misbehave on purpose.

What a user relies on: a broadcast is never sent twice (no retry, no failover once the request may have
reached a node; only "cannot connect" moves on), a simulation is retried like a query, and a query at a past
height carries the height header, asks archive nodes first and moves past a node that pruned that height.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from ics_workbench.chain.http import HEIGHT_HEADER, Endpoint, JsonHttp
from ics_workbench.errors import AllEndpointsFailed, EndpointError
from tests.chain.test_connect import closed_port_url

PRUNED = "failed to load state at height 5; version does not exist (latest height: 900)"


@dataclass
class Seen:
    method: str
    path: str
    height: str | None
    body: Any


@dataclass
class Node:
    """A node whose answers are scripted per path: (status, JSON) pairs served in turn (the last one repeats).

    ``sleep`` delays every answer (to provoke a client timeout after the request was sent); ``hang_up``
    closes the connection after reading the request, without answering; ``min_height`` makes queries below
    that height fail the way a pruning SDK node does.
    """

    script: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)
    sleep: float = 0.0
    hang_up: bool = False
    min_height: int = 0
    pruned_status: int = 400
    seen: list[Seen] = field(default_factory=list)
    url: str = ""

    def hits(self, path: str) -> int:
        return sum(1 for s in self.seen if s.path == path)

    def answer(self, path: str, height: str | None) -> tuple[int, Any]:
        if height is not None and int(height) < self.min_height:
            return self.pruned_status, {"code": 3, "message": PRUNED.replace("5", height, 1), "details": []}
        steps = self.script.get(path, [(404, {"code": 5, "message": "Not Implemented"})])
        return steps.pop(0) if len(steps) > 1 else steps[0]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, *_: Any) -> None:
        """A client that timed out leaves a broken pipe behind: expected here, not worth a traceback."""


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[_QuietServer] = []

    def start(node: Node) -> Node:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                height = self.headers.get(HEIGHT_HEADER)
                node.seen.append(Seen(self.command, self.path, height, json.loads(raw) if raw else None))
                if node.hang_up:
                    self.close_connection = True
                    return
                time.sleep(node.sleep)
                status, data = node.answer(self.path, height)
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = _handle
            do_POST = _handle

        server = _QuietServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        node.url = f"http://127.0.0.1:{server.server_address[1]}"
        return node

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def client(*endpoints: Endpoint | str, timeout: float = 2.0) -> JsonHttp:
    return JsonHttp([e if isinstance(e, Endpoint) else Endpoint(e) for e in endpoints], timeout=timeout,
                    retries=2, backoff=0.01)


TXS = "/cosmos/tx/v1beta1/txs"
BODY = {"tx_bytes": "AAEC", "mode": "BROADCAST_MODE_SYNC"}


def test_post_sends_the_json_body_and_returns_the_answer(serve: Any) -> None:
    node = serve(Node(script={TXS: [(200, {"tx_response": {"txhash": "AB"}})]}))
    with client(node.url) as http:
        answer = http.post(TXS, BODY)
    assert answer.data == {"tx_response": {"txhash": "AB"}} and answer.url == node.url + TXS
    assert [(s.method, s.body) for s in node.seen] == [("POST", BODY)]


def test_post_client_error_is_raised_with_the_nodes_message(serve: Any) -> None:
    node = serve(Node(script={TXS: [(400, {"code": 3, "message": "tx parse error"})]}))
    with client(node.url) as http, pytest.raises(EndpointError) as caught:
        http.post_json(TXS, BODY)
    assert caught.value.kind == "http" and caught.value.status == 400
    assert str(caught.value) == f"{node.url}{TXS}: HTTP 400: tx parse error"
    assert node.hits(TXS) == 1


def test_post_timeout_after_sending_is_neither_retried_nor_sent_elsewhere(serve: Any) -> None:
    slow = serve(Node(script={TXS: [(200, {"tx_response": {}})]}, sleep=1.0))
    spare = serve(Node(script={TXS: [(200, {"tx_response": {}})]}))
    with client(slow.url, spare.url, timeout=0.2) as http, pytest.raises(EndpointError) as caught:
        http.post_json(TXS, BODY)
    assert caught.value.kind == "timeout"
    assert "the node may have received it, so it was not sent again" in str(caught.value)
    assert slow.hits(TXS) == 1 and spare.hits(TXS) == 0


def test_post_server_error_is_neither_retried_nor_sent_elsewhere(serve: Any) -> None:
    failing = serve(Node(script={TXS: [(503, {"message": "mempool is full"})]}))
    spare = serve(Node(script={TXS: [(200, {"tx_response": {}})]}))
    with client(failing.url, spare.url) as http, pytest.raises(EndpointError) as caught:
        http.post_json(TXS, BODY)
    assert caught.value.status == 503 and "mempool is full" in str(caught.value)
    assert failing.hits(TXS) == 1 and spare.hits(TXS) == 0


def test_post_connection_dropped_after_sending_is_not_repeated(serve: Any) -> None:
    dropping = serve(Node(hang_up=True))
    spare = serve(Node(script={TXS: [(200, {"tx_response": {}})]}))
    with client(dropping.url, spare.url) as http, pytest.raises(EndpointError) as caught:
        http.post_json(TXS, BODY)
    assert caught.value.kind == "unreachable" and "may have received it" in str(caught.value)
    assert dropping.hits(TXS) == 1 and spare.hits(TXS) == 0


def test_post_fails_over_only_when_nothing_was_sent(serve: Any) -> None:
    dead = closed_port_url()
    node = serve(Node(script={TXS: [(200, {"tx_response": {"txhash": "CD"}})]}))
    with client(dead, node.url) as http:
        answer = http.post(TXS, BODY)
        assert answer.url == node.url + TXS and node.hits(TXS) == 1
        assert http.stats.requests == 2  # the dead port once (no retry), the node once
    with client(dead, closed_port_url()) as http, pytest.raises(AllEndpointsFailed) as caught:
        http.post_json(TXS, BODY)
    assert str(caught.value).count("cannot reach the node, nothing was sent (cannot connect") == 2


def test_idempotent_post_is_retried_like_a_query(serve: Any) -> None:
    simulate = "/cosmos/tx/v1beta1/simulate"
    node = serve(Node(script={simulate: [(503, {"message": "busy"}), (200, {"gas_info": {"gas_used": "7"}})]}))
    with client(node.url) as http:
        assert http.post_json(simulate, {"tx_bytes": "AA"}, idempotent=True) == {"gas_info": {"gas_used": "7"}}
    assert node.hits(simulate) == 2


INFO = "/cosmos/slashing/v1beta1/signing_infos/cosmosvalcons1x"


def test_query_at_a_height_sends_the_header_and_asks_archive_nodes_first(serve: Any) -> None:
    recent = serve(Node(script={INFO: [(200, {"from": "recent"})]}))
    archive = serve(Node(script={INFO: [(200, {"from": "archive"})]}))
    with client(recent.url, Endpoint(archive.url, archive=True)) as http:
        assert http.get_json(INFO, height=5) == {"from": "archive"}
        assert http.get_json(INFO) == {"from": "recent"}  # without a height the list order holds
    assert [s.height for s in archive.seen] == ["5"] and [s.height for s in recent.seen] == [None]


@pytest.mark.parametrize("status", [400, 404, 500])  # the SDK's status for it changed between versions
def test_node_that_pruned_the_height_hands_over_to_the_next(serve: Any, status: int) -> None:
    pruned = serve(Node(script={INFO: [(200, {"from": "pruned"})]}, min_height=100, pruned_status=status))
    full = serve(Node(script={INFO: [(200, {"from": "full"})]}))
    with client(pruned.url, full.url) as http:
        answer = http.fetch(INFO, height=5)
        assert answer.data == {"from": "full"} and answer.url == full.url + INFO
        assert http.get_json(INFO, height=150) == {"from": "pruned"}
    assert pruned.hits(INFO) == 2 and full.hits(INFO) == 1  # not retried on the node that lacks the height
    with client(pruned.url) as http, pytest.raises(EndpointError) as caught:
        http.get_json(INFO, height=5)
    assert caught.value.status == status and "failed to load state at height 5" in str(caught.value)


def test_other_client_errors_at_a_height_are_not_retried_elsewhere(serve: Any) -> None:
    first = serve(Node(script={INFO: [(400, {"message": "invalid consensus address"})]}))
    second = serve(Node(script={INFO: [(200, {})]}))
    with client(first.url, second.url) as http, pytest.raises(EndpointError, match="invalid consensus address"):
        http.get_json(INFO, height=5)
    assert second.hits(INFO) == 0


@pytest.mark.parametrize("height", [0, -3, True, "5"])
def test_query_height_must_be_a_positive_integer(height: Any) -> None:
    with client("http://127.0.0.1:9") as http, pytest.raises(ValueError, match="positive block height"):
        http.get_json(INFO, height=height)
