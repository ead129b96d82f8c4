"""JSON over HTTP with failover across endpoints, retries for transient faults only, and precise errors.

Every network request the workbench makes goes through :class:`JsonHttp`, so the fault handling (which
endpoint, what went wrong, whether to retry) is written once and the offline guard has one choke point.
"""

from __future__ import annotations

import functools
import json
import logging
import ssl
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from ics_workbench.errors import AllEndpointsFailed, EndpointError
from ics_workbench.tasks import NO_JOB, Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Endpoint:
    """One base URL; ``archive`` marks a node that keeps old state (queries at past heights)."""

    url: str
    archive: bool = False

    @property
    def base(self) -> str:
        return self.url.rstrip("/")


@dataclass
class RequestStats:
    """Counts requests so benchmarks can compare against the latency floor."""

    requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self) -> None:
        with self._lock:
            self.requests += 1


@functools.cache
def _default_tls() -> ssl.SSLContext:
    """One verifying TLS context for every client: building it (loading the CA bundle) costs ~30 ms, and a
    connection makes one client per endpoint."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


@dataclass(frozen=True)
class Answer:
    """Decoded JSON plus the URL that produced it."""

    url: str
    data: Any


def _classify(url: str, exc: Exception) -> EndpointError:
    if isinstance(exc, httpx.TimeoutException):
        return EndpointError(url, "timeout", f"timed out ({type(exc).__name__})")
    if isinstance(exc, httpx.ConnectError):
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, ssl.SSLCertVerificationError):
                why = cause.verify_message or cause.reason or "verification failed"
                return EndpointError(url, "tls", f"TLS error: certificate not trusted ({why})")
            if isinstance(cause, ssl.SSLError):
                return EndpointError(url, "tls", f"TLS error: {cause.reason or cause}")
            cause = cause.__cause__ or cause.__context__
        text = str(exc)
        if "SSL" in text or "certificate" in text.lower():
            return EndpointError(url, "tls", f"TLS error: {text}")
        return EndpointError(url, "unreachable", f"cannot connect: {text or type(exc).__name__}")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return EndpointError(url, "unreachable", f"connection broken: {exc or type(exc).__name__}")
    if isinstance(exc, httpx.HTTPError):
        return EndpointError(url, "unreachable", f"{type(exc).__name__}: {exc}")
    raise exc


def _jsonrpc_error(response: httpx.Response) -> str | None:
    """The message of a JSON-RPC 2.0 error object in ``response``, or None if it holds none."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or "jsonrpc" not in body or not isinstance(body.get("error"), dict):
        return None
    return jsonrpc_error_text(body["error"])


def jsonrpc_error_text(error: dict[str, Any]) -> str:
    message = str(error.get("message") or "error")
    data = error.get("data")
    code = error.get("code")
    text = f"RPC error {code}: {message}" if code is not None else f"RPC error: {message}"
    return f"{text}: {data}"[:400] if data else text[:400]


def _error_detail(response: httpx.Response) -> str:
    """The chain's own error message when it sent one (gRPC-gateway ``message``, JSON-RPC ``error``)."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip().replace("\n", " ")
        return text[:200]
    if isinstance(body, dict):
        for key in ("message", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value[:300]
            if isinstance(value, dict):
                return str(value.get("data") or value.get("message") or value)[:300]
    return json.dumps(body)[:200]


class JsonHttp:
    """GET JSON from the first endpoint that answers.

    Transient faults (cannot connect, timeout, HTTP 5xx/429) are retried with exponential backoff, then the
    next endpoint is tried. HTTP 4xx is an answer about the request itself, so it is raised at once.
    Malformed JSON marks the endpoint broken and moves on to the next one.
    """

    def __init__(
        self,
        endpoints: Sequence[Endpoint],
        *,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.25,
        max_connections: int = 16,
        verify: bool | str = True,
        stats: RequestStats | None = None,
    ) -> None:
        if not endpoints:
            raise ValueError("at least one endpoint is required")
        self.endpoints = list(endpoints)
        self.retries = retries
        self.backoff = backoff
        self.stats = stats or RequestStats()
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            verify=_default_tls() if verify is True else verify,
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> JsonHttp:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get_json(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        archive: bool = False,
        job: Job = NO_JOB,
    ) -> Any:
        """GET ``path`` and return the decoded JSON; ``archive`` prefers endpoints marked archive."""
        return self.fetch(path, params, archive=archive, job=job).data

    def fetch(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        archive: bool = False,
        job: Job = NO_JOB,
    ) -> Answer:
        """Like :meth:`get_json`, also saying which URL answered (decoders name it in shape errors)."""
        ordered = self.endpoints
        if archive:
            ordered = [e for e in self.endpoints if e.archive] + [e for e in self.endpoints if not e.archive]
        errors: list[EndpointError] = []
        for endpoint in ordered:
            try:
                return Answer(endpoint.base + path, self._get_from(endpoint, path, params, job))
            except EndpointError as error:
                if error.kind == "http" and not error.transient:
                    raise
                errors.append(error)
                log.warning("endpoint failed, trying next: %s", error)
        if len(errors) == 1:
            raise errors[0]
        raise AllEndpointsFailed(errors)

    def _get_from(self, endpoint: Endpoint, path: str, params: Mapping[str, Any] | None, job: Job) -> Any:
        url = endpoint.base + path
        attempt = 0
        while True:
            job.check()
            try:
                return self._get_once(url, params)
            except EndpointError as error:
                if not error.transient or attempt >= self.retries:
                    raise
                delay = self.backoff * (2**attempt)
                log.info("retrying %s in %.2fs after %s", url, delay, error.detail)
                attempt += 1
                job.wait(delay)

    def _get_once(self, url: str, params: Mapping[str, Any] | None) -> Any:
        self.stats.add()
        started = time.perf_counter()
        try:
            response = self._client.get(url, params=params)
        except httpx.HTTPError as exc:
            raise _classify(url, exc) from exc
        log.debug("GET %s %s %.0fms", url, response.status_code, (time.perf_counter() - started) * 1000)
        if 300 <= response.status_code < 400:
            target = response.headers.get("location", "another URL")
            raise EndpointError(
                url,
                "http",
                f"HTTP {response.status_code}: redirected to {target}; put the final URL in the profile",
                status=response.status_code,
            )
        if response.status_code >= 400:
            rpc_error = _jsonrpc_error(response)
            if rpc_error is not None:
                # CometBFT answers a bad request (height out of range, pruned...) with HTTP 500 and a JSON-RPC
                # error: the node did answer, so it is not retried; the next endpoint (maybe an archive node
                # that still has that height) is tried.
                raise EndpointError(url, "rpc", rpc_error, status=response.status_code)
            raise EndpointError(
                url,
                "http",
                f"HTTP {response.status_code}: {_error_detail(response)}",
                status=response.status_code,
            )
        try:
            return response.json()
        except ValueError as exc:
            snippet = response.text[:80].replace("\n", " ")
            kind = response.headers.get("content-type", "unknown content type")
            raise EndpointError(url, "json", f"answer is not valid JSON ({kind}): {snippet!r}") from exc


def require(data: Any, *keys: str, url: str = "") -> Any:
    """Walk ``keys`` into nested JSON; a missing key becomes a 'shape' error naming the full path."""
    current = data
    walked: list[str] = []
    for key in keys:
        walked.append(key)
        if not isinstance(current, dict) or key not in current:
            raise EndpointError(url, "shape", f"answer has no field '{'.'.join(walked)}'")
        current = current[key]
    return current
