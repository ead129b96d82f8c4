"""A real HTTP node on 127.0.0.1 for the signing panel tests: the small provider from ``tests/gui/data`` (so a
real ``chain.connect`` succeeds) plus the REST calls of the signing flow - accounts, simulate, broadcast (sync)
and the tx lookup used to track inclusion - with per-test behaviour (CheckTx code, inclusion)."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.gui.fileserver import DATA

CHAIN_ID = "provider-test-1"


@dataclass
class SigningNode:
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    check_code: int = 0
    check_log: str = ""
    simulated_gas: int = 91_234
    height: int = 321
    minimum_gas_price: str = "0.005000000000000000uatom"  # what the node's app.toml sets (DecCoins)
    bond_denom: str = "uatom"
    received: list[bytes] = field(default_factory=list)
    simulated: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        node = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def do_GET(self) -> None:
                node._get(self)

            def do_POST(self) -> None:
                node._post(self)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def add_account(self, address: str, account_number: int, sequence: int) -> None:
        self.accounts[address] = {"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": address,
                                  "pub_key": None, "account_number": str(account_number), "sequence": str(sequence)}

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, body: Any) -> None:
        raw = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(raw)))
        request.end_headers()
        request.wfile.write(raw)

    def _get(self, request: BaseHTTPRequestHandler) -> None:
        path = urlsplit(request.path).path
        if path == "/cosmos/base/node/v1beta1/config":
            self._send(request, 200, {"minimum_gas_price": self.minimum_gas_price, "pruning_keep_recent": "0",
                                      "pruning_interval": "0", "halt_height": "0"})
            return
        if path == "/cosmos/staking/v1beta1/params":
            self._send(request, 200, {"params": {"bond_denom": self.bond_denom, "max_validators": 100}})
            return
        if path.startswith("/cosmos/auth/v1beta1/accounts/"):
            account = self.accounts.get(path.rsplit("/", 1)[1])
            if account is None:
                self._send(request, 404, {"code": 5, "message": "account not found", "details": []})
            else:
                self._send(request, 200, {"account": account})
            return
        if path.startswith("/cosmos/tx/v1beta1/txs/"):
            txhash = path.rsplit("/", 1)[1]
            if txhash not in {hashlib.sha256(t).hexdigest().upper() for t in self.received}:
                self._send(request, 404, {"code": 5, "message": f"tx not found: {txhash}", "details": []})
                return
            self._send(request, 200, {"tx": {}, "tx_response": {
                "height": str(self.height), "txhash": txhash, "code": 0, "codespace": "", "raw_log": "",
                "gas_wanted": "200000", "gas_used": "81234"}})
            return
        file = DATA / "provider" / (path.strip("/") + ".json")
        if not file.is_file():
            self._send(request, 404, {"code": 5, "message": "Not Found", "details": []})
            return
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"
        self._send(request, 200, json.loads(file.read_text(encoding="utf-8").replace("__NOW__", now)))

    def _post(self, request: BaseHTTPRequestHandler) -> None:
        path = urlsplit(request.path).path
        body = json.loads(request.rfile.read(int(request.headers.get("Content-Length", 0))))
        tx = base64.b64decode(body["tx_bytes"])
        if path == "/cosmos/tx/v1beta1/simulate":
            self.simulated.append(tx)
            self._send(request, 200, {"gas_info": {"gas_wanted": "0", "gas_used": str(self.simulated_gas)},
                                      "result": {}})
            return
        if path != "/cosmos/tx/v1beta1/txs" or body.get("mode") != "BROADCAST_MODE_SYNC":
            self._send(request, 400, {"code": 3, "message": "bad request"})
            return
        if self.check_code == 0:
            self.received.append(tx)
        self._send(request, 200, {"tx_response": {
            "height": "0", "txhash": hashlib.sha256(tx).hexdigest().upper(), "code": self.check_code,
            "codespace": "sdk" if self.check_code else "", "raw_log": self.check_log,
            "gas_wanted": "0", "gas_used": "0"}})
