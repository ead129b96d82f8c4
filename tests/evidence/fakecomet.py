"""A loopback CometBFT RPC node for scan tests and benchmarks: /status, /block, /blockchain, /block_search.

Answers have the shape and size of a real node's (header fields, a last commit signed by ``validators``
keys, 20 metas per /blockchain, 100 per block_search page, JSON-RPC errors with HTTP 500 when block indexing
is off), ``latency`` seconds are added to every request (the RTT of a remote node), and the server counts
the requests and bytes it sent per path. Evidence sits at the heights given in ``evidence``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

EMPTY = hashlib.sha256(b"").hexdigest().upper()


@dataclass
class FakeComet:
    latest: int
    evidence: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    """height -> RPC-JSON evidence items committed in that block"""
    indexed: bool = False
    unpunished: frozenset[int] = frozenset()
    """evidence heights whose block has no slash event (the app ignored the evidence): block_search misses them"""
    blockchain: bool = True
    latency: float = 0.0
    validators: int = 50
    chain_id: str = "consumer-1"
    requests: Counter[str] = field(default_factory=Counter)
    bytes_sent: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def header(self, height: int) -> dict[str, Any]:
        def h(tag: str) -> str:  # 64 hex digits that differ per height and field (cheap: the bench serves 10^5)
            return f"{tag}{height:063X}"[-64:] if tag in "0123456789ABCDEF" else f"{ord(tag):02X}{height:062X}"

        return {
            "version": {"block": "11", "app": "0"}, "chain_id": self.chain_id, "height": str(height),
            "time": f"2026-01-01T00:00:{height % 60:02d}.{height % 10**9:09d}Z",
            "last_block_id": {"hash": h("b"), "parts": {"total": 1, "hash": h("p")}},
            "last_commit_hash": h("c"), "data_hash": EMPTY, "validators_hash": h("v"),
            "next_validators_hash": h("v"), "consensus_hash": h("k"), "app_hash": h("a"),
            "last_results_hash": EMPTY, "evidence_hash": h("e") if height in self.evidence else EMPTY,
            "proposer_address": h("x")[:40],
        }

    def block_id(self, height: int) -> dict[str, Any]:
        return {"hash": f"{height:064X}", "parts": {"total": 1, "hash": EMPTY}}

    def block(self, height: int) -> dict[str, Any]:
        signatures = [
            {
                "block_id_flag": 2,
                "validator_address": hashlib.sha256(bytes([i % 256, i // 256])).hexdigest()[:40].upper(),
                "timestamp": "2026-01-01T00:00:01.123456789Z",
                "signature": "A" * 86 + "==",
            }
            for i in range(self.validators)
        ]
        return {"block_id": self.block_id(height),
                "block": {"header": self.header(height), "data": {"txs": []},
                          "evidence": {"evidence": self.evidence.get(height, [])},
                          "last_commit": {"height": str(height - 1), "round": 0,
                                          "block_id": {"hash": EMPTY, "parts": {"total": 1, "hash": EMPTY}},
                                          "signatures": signatures}}}

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, Any]:
        if path == "/status":
            return 200, {"sync_info": {"latest_block_height": str(self.latest), "earliest_block_height": "1"}}
        if path == "/block":
            height = int(params.get("height", self.latest))
            if not 1 <= height <= self.latest:
                return 500, {
                    "code": -32603,
                    "message": "Internal error",
                    "data": f"height {height} must be less than or equal "
                            f"to the current blockchain height {self.latest}",
                }
            return 200, self.block(height)
        if path == "/blockchain" and self.blockchain:
            high = min(int(params["maxHeight"]), self.latest)
            low = max(int(params["minHeight"]), high - 19, 1)
            return 200, {"last_height": str(self.latest), "block_metas": [
                {"block_id": self.block_id(h), "block_size": "1234", "header": self.header(h), "num_txs": "0"}
                for h in range(high, low - 1, -1)]}
        if path == "/block_search":
            if not self.indexed:
                return 500, {"code": -32603, "message": "Internal error", "data": "block indexing is disabled"}
            query = params["query"].strip('"')
            if m := re.fullmatch(r"block\.height = (\d+)", query):
                heights = [int(m[1])] if 1 <= int(m[1]) <= self.latest else []
            else:
                low = int(re.search(r"block\.height >= (\d+)", query)[1])  # type: ignore[index]
                high = int(re.search(r"block\.height <= (\d+)", query)[1])  # type: ignore[index]
                heights = sorted(h for h in self.evidence if low <= h <= high and h not in self.unpunished
                                 and "slash.reason='double_sign'" in query)
            page, per_page = int(params.get("page", 1)), int(params.get("per_page", 30))
            chosen = heights[(page - 1) * per_page: page * per_page]
            return 200, {"blocks": [self.block(h) for h in chosen], "total_count": str(len(heights))}
        return 404, None

    @contextmanager
    def serve(self) -> Iterator[str]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall

            def do_GET(self) -> None:
                parsed = urlparse(self.path)
                params = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
                if parsed.path == "/_counters":  # for a benchmark that runs the node in another process
                    data = json.dumps({"requests": dict(fake.requests), "bytes": dict(fake.bytes_sent)}).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if fake.latency:
                    time.sleep(fake.latency)
                status, result = fake.answer(parsed.path, params)
                if status == 200:
                    body = {"jsonrpc": "2.0", "id": -1, "result": result}
                elif result is not None:
                    body = {"jsonrpc": "2.0", "id": -1, "error": result}
                else:
                    body = {"code": 5, "message": "not found"}
                data = json.dumps(body, separators=(",", ":")).encode()
                with fake.lock:
                    fake.requests[parsed.path] += 1
                    fake.bytes_sent[parsed.path] += len(data)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: object) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()


def serve_in_process(settings: dict[str, Any], url_queue: Any, stop: Any) -> None:
    """Entry point of a child process (multiprocessing): serve until ``stop`` is set, so the client's timing
    does not share a GIL with the node's JSON encoding."""
    node = FakeComet(**settings)
    with node.serve() as url:
        url_queue.put(url)
        stop.wait()
