"""A hostile chain endpoint on loopback: every way a node can try to hang, exhaust or confuse the app.

Raw sockets (not http.server) so it can misbehave below HTTP: trickle the status line, send an endless chunked
body, declare 100 MB. Modes:

- ``endless``: 200, chunked, a JSON string that never ends (64 KB chunks, as fast as the client reads)
- ``trickle``: the response one byte per second, forever (the per-read timeout never fires)
- ``huge``: ``Content-Length`` 100 MB, then the bytes
- ``huge-undeclared``: 100 MB with no length (read until close)
- ``deep``: 200 KB of nested JSON arrays
- ``wrong-type``: valid JSON, every field of the wrong type
- ``loop``: every list answer paginates forever (REST: a fresh ``next_key`` with the same page; RPC
  ``/validators``: the same page with a total of a million), other answers are plausible
"""

from __future__ import annotations

import base64
import itertools
import json
import socket
import threading
import time
from urllib.parse import urlsplit

MODES = ("endless", "trickle", "huge", "huge-undeclared", "deep", "wrong-type", "loop")

_VALIDATOR_RPC = {"address": "A" * 40, "pub_key": {"type": "tendermint/PubKeyEd25519",
                                                 "value": base64.b64encode(bytes(32)).decode()},
                  "voting_power": "10", "proposer_priority": "0"}
_STATUS = {"jsonrpc": "2.0", "id": -1, "result": {
    "node_info": {"network": "hostile-1", "version": "0.38.17", "moniker": "m", "id": "a" * 40,
                  "protocol_version": {"p2p": "8", "block": "11", "app": "0"}, "other": {}},
    "sync_info": {"latest_block_height": "100", "latest_block_time": "2026-01-01T00:00:00Z",
                  "earliest_block_height": "1", "catching_up": False, "latest_block_hash": "AB" * 32},
    "validator_info": {"address": "A" * 40, "voting_power": "0"}}}


class HostileServer:
    def __init__(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.requests: list[str] = []
        self._closed = threading.Event()
        self._keys = itertools.count(1)
        threading.Thread(target=self._serve, daemon=True).start()

    def close(self) -> None:
        self._closed.set()
        try:
            self._sock.close()
        except OSError:
            pass

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _serve(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            with conn:
                while not self._closed.is_set():
                    head = b""
                    while b"\r\n\r\n" not in head:
                        chunk = conn.recv(65536)
                        if not chunk:
                            return
                        head += chunk
                    header_text, _, rest = head.partition(b"\r\n\r\n")
                    lines = header_text.decode("latin-1").split("\r\n")
                    length = 0
                    for line in lines[1:]:
                        name, _, value = line.partition(":")
                        if name.strip().lower() == "content-length":
                            length = int(value.strip())
                    while len(rest) < length:
                        rest += conn.recv(65536)
                    target = lines[0].split(" ")[1]
                    self.requests.append(target)
                    if not self._answer(conn, target):
                        return
        except OSError:
            return

    def _send_json(self, conn: socket.socket, value: object) -> bool:
        body = json.dumps(value).encode()
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\n\r\n" + body)
        return True

    def _answer(self, conn: socket.socket, target: str) -> bool:
        mode = self.mode
        if mode == "endless":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            conn.sendall(b"b\r\n{\"result\":\"\r\n")
            chunk = b"10000\r\n" + b"a" * 65536 + b"\r\n"
            while not self._closed.is_set():
                conn.sendall(chunk)
            return False
        if mode == "trickle":
            data = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{"
            for byte in itertools.chain(data, itertools.repeat(ord(" "))):
                if self._closed.is_set():
                    return False
                conn.sendall(bytes([byte]))
                time.sleep(1.0)
            return False
        if mode in ("huge", "huge-undeclared"):
            size = 100 * 1024 * 1024
            length = b"Content-Length: " + str(size).encode() + b"\r\n" if mode == "huge" else b""
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + length
                         + (b"Connection: close\r\n" if not length else b"") + b"\r\n")
            conn.sendall(b"{\"result\":\"")
            block = b"a" * (1024 * 1024)
            for _ in range(100):
                if self._closed.is_set():
                    return False
                conn.sendall(block)
            return False
        if mode == "deep":
            body = b"[" * 100_000 + b"]" * 100_000
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            return True
        if mode == "wrong-type":
            return self._send_json(conn, {
                "jsonrpc": "2.0", "id": -1, "result": [1, "x", None], "default_node_info": "x",
                "application_version": 7, "validators": {"a": 1}, "pagination": "x", "chains": 5, "info": "x",
                "evidence": 3, "account": [], "params": "x", "tx_response": [], "block": "x", "tx": 1,
            })
        return self._send_json(conn, self._loop_answer(target))

    def _loop_answer(self, target: str) -> object:
        path = urlsplit(target).path
        if path == "/status":
            return _STATUS
        if path == "/validators":
            return {"jsonrpc": "2.0", "id": -1, "result": {"block_height": "100", "validators": [_VALIDATOR_RPC],
                                                          "count": "1", "total": "1000000"}}
        page = [{"operator_address": "cosmosvaloper1x", "consensus_pubkey": {"@type": "/cosmos.crypto.ed25519.PubKey",
                 "key": base64.b64encode(bytes(32)).decode()}, "jailed": False, "status": "BOND_STATUS_BONDED",
                 "tokens": "1000000", "description": {"moniker": "loop"}}]
        key = base64.b64encode(str(next(self._keys)).encode()).decode()
        return {"validators": page, "chains": page, "info": page, "evidence": page, "proposals": page,
                "pagination": {"next_key": key, "total": "0"},
                "default_node_info": {"network": "hostile-1", "version": "0.38.17", "moniker": "m"},
                "application_version": {"name": "x", "app_name": "x", "version": "v7.0.0", "build_deps": []}}
