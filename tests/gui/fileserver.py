"""A real HTTP server on 127.0.0.1 that answers from JSON files, like a node would, and can misbehave.

``/cosmos/staking/v1beta1/validators`` is served from ``<root>/cosmos/staking/v1beta1/validators.json``;
query strings are ignored (every list fits one page). ``"__NOW__"`` in a file becomes the current time, so a
node looks live. Missing files answer 404 the way gRPC-gateway does (a node without the provider module).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DATA = Path(__file__).parent / "data"


class JsonFileServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits: Counter[str] = Counter()
        self.faults: dict[str, tuple[int, bytes]] = {}  # path prefix -> (status, raw body)
        self.hidden: set[str] = set()  # path prefixes answered with 404 (module absent)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def do_GET(self) -> None:
                server._serve(self)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def fail(self, prefix: str, status: int, body: bytes = b'{"code": 13, "message": "injected"}') -> None:
        self.faults[prefix] = (status, body)

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        path = urlsplit(request.path).path
        self.hits[path] += 1
        for prefix, (status, body) in self.faults.items():
            if path.startswith(prefix):
                self._send(request, status, body)
                return
        file = self.root / (path.strip("/") + ".json")
        if any(path.startswith(p) for p in self.hidden) or not file.resolve().is_relative_to(self.root.resolve()) \
                or not file.is_file():
            self._send(request, 404, b'{"code": 5, "message": "Not Found", "details": []}')
            return
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"
        body = file.read_text(encoding="utf-8").replace("__NOW__", now)
        json.loads(body)  # the data files must stay valid JSON
        self._send(request, 200, body.encode())

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, body: bytes) -> None:
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
