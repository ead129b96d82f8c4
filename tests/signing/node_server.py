"""A tiny real HTTP server on 127.0.0.1 that answers the REST calls a broadcast makes, like a Cosmos node.

Its behaviour (CheckTx code, blocks until inclusion, unknown accounts) is set per test, so the client's
handling of each outcome is exercised over real sockets rather than a mocked HTTP client.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class NodeState:
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    check_code: int = 0
    check_log: str = ""
    deliver_code: int = 0
    polls_before_inclusion: int = 1
    never_include: bool = False
    received: list[bytes] = field(default_factory=list)
    polls: int = 0
    height: int = 42
    chain_id: str = "provider"


def _handler(state: NodeState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:
            pass

        def _send(self, status: int, body: Any) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            if self.path == "/cosmos/base/tendermint/v1beta1/node_info":
                self._send(200, {"default_node_info": {"network": state.chain_id}, "application_version": {}})
                return
            if self.path.startswith("/cosmos/auth/v1beta1/accounts/"):
                address = self.path.rsplit("/", 1)[1]
                if address not in state.accounts:
                    self._send(404, {"code": 5, "message": f"account {address} not found", "details": []})
                else:
                    self._send(200, {"account": state.accounts[address]})
                return
            if self.path.startswith("/cosmos/tx/v1beta1/txs/"):
                txhash = self.path.rsplit("/", 1)[1]
                state.polls += 1
                known = {hashlib.sha256(t).hexdigest().upper() for t in state.received}
                if txhash not in known or state.never_include or state.polls <= state.polls_before_inclusion:
                    self._send(404, {"code": 5, "message": f"tx not found: {txhash}", "details": []})
                    return
                self._send(
                    200,
                    {
                        "tx": {},
                        "tx_response": {
                            "height": str(state.height),
                            "txhash": txhash,
                            "code": state.deliver_code,
                            "codespace": "sdk" if state.deliver_code else "",
                            "raw_log": "out of gas" if state.deliver_code else "",
                            "gas_wanted": "200000",
                            "gas_used": "81234",
                        },
                    },
                )
                return
            self._send(501, {"code": 12, "message": "not implemented"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            if self.path != "/cosmos/tx/v1beta1/txs" or body.get("mode") != "BROADCAST_MODE_SYNC":
                self._send(400, {"code": 3, "message": "bad request"})
                return
            tx = base64.b64decode(body["tx_bytes"])
            state.received.append(tx)
            self._send(200, {"tx_response": {
                "height": "0", "txhash": hashlib.sha256(tx).hexdigest().upper(), "code": state.check_code,
                "codespace": "sdk" if state.check_code else "", "raw_log": state.check_log,
                "gas_wanted": "0", "gas_used": "0"}})

    return Handler


@contextmanager
def fake_node(state: NodeState) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
