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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from ics_workbench import safejson
from ics_workbench.errors import AllEndpointsFailed, EndpointError, OfflineError, WorkbenchError
from ics_workbench.netlimits import command_time_left, limits
from ics_workbench.offline import working_offline
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
        body = safejson.loads(response.content, max_depth=limits().max_json_depth)
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
        body = safejson.loads(response.content, max_depth=limits().max_json_depth)
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


HEIGHT_HEADER = "x-cosmos-block-height"
"""gRPC-gateway header that runs a REST query against the state at that block height"""

_STATE_MISSING = (
    "failed to load state at height",
    "version does not exist",
    "no commit info found",
    "is not available, lowest height is",
)
"""how the SDK's ``CreateQueryContext`` says this node does not keep the asked height; the HTTP status differs
between SDK versions (400 invalid request, 404 not found, 500 unknown), the wording does not"""

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""failures before a single byte of the request left: the only ones after which a POST may be sent again"""


def state_missing(error: EndpointError) -> bool:
    """The node answered that it no longer keeps the state (or block) of the asked height."""
    return error.kind == "http" and any(m in error.detail for m in _STATE_MISSING)


class JsonHttp:
    """GET (and POST) JSON from the first endpoint that answers.

    Transient faults (cannot connect, timeout, HTTP 5xx/429) are retried with exponential backoff, then the
    next endpoint is tried. HTTP 4xx is an answer about the request itself, so it is raised at once.
    Malformed JSON marks the endpoint broken and moves on to the next one.

    A POST that is not idempotent (a broadcast) is sent at most once in all: once the request may have reached
    a node, repeating it (here or on another endpoint) could broadcast twice, so only a failure to connect
    moves on to the next endpoint.
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
        height: int | None = None,
        job: Job = NO_JOB,
    ) -> Any:
        """GET ``path`` and return the decoded JSON; ``archive`` prefers endpoints marked archive.

        ``height`` runs the query against the state at that block height (REST only): archive endpoints are
        asked first, and a node that has pruned that height hands over to the next endpoint.
        """
        return self.fetch(path, params, archive=archive, height=height, job=job).data

    def fetch(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        archive: bool = False,
        height: int | None = None,
        job: Job = NO_JOB,
    ) -> Answer:
        """Like :meth:`get_json`, also saying which URL answered (decoders name it in shape errors)."""
        headers: dict[str, str] | None = None
        if height is not None:
            if isinstance(height, bool) or not isinstance(height, int) or height <= 0:
                raise ValueError(f"a query height must be a positive block height, got {height!r}")
            headers = {HEIGHT_HEADER: str(height)}
            archive = True
        ordered = self.endpoints
        if archive:
            ordered = [e for e in self.endpoints if e.archive] + [e for e in self.endpoints if not e.archive]
        errors: list[EndpointError] = []
        for endpoint in ordered:
            url = endpoint.base + path
            try:
                call = functools.partial(self._request, "GET", url, params=params, headers=headers)
                return Answer(url, self._retrying(url, call, job))
            except EndpointError as error:
                if error.kind == "http" and not error.transient and not state_missing(error):
                    raise
                errors.append(error)
                log.warning("endpoint failed, trying next: %s", error)
        raise _all_failed(errors)

    def post_json(self, path: str, body: Any, *, idempotent: bool = False, job: Job = NO_JOB) -> Any:
        """POST ``body`` as JSON to ``path`` and return the decoded JSON answer.

        ``idempotent`` (e.g. a simulation) gets the GET rules: retries and failover on transient faults.
        Otherwise the request is sent at most once: only "cannot connect" (nothing sent) tries the next
        endpoint; a timeout or broken connection after sending is raised at once, saying it may have arrived.
        """
        return self.post(path, body, idempotent=idempotent, job=job).data

    def post(self, path: str, body: Any, *, idempotent: bool = False, job: Job = NO_JOB) -> Answer:
        """Like :meth:`post_json`, also saying which URL answered."""
        errors: list[EndpointError] = []
        for endpoint in self.endpoints:
            url = endpoint.base + path
            try:
                if idempotent:
                    call = functools.partial(self._request, "POST", url, json=body)
                    return Answer(url, self._retrying(url, call, job))
                return Answer(url, self._post_once(url, body, job))
            except EndpointError as error:
                if not idempotent or (error.kind == "http" and not error.transient):
                    raise
                errors.append(error)
                log.warning("endpoint failed, trying next: %s", error)
            except _NotSentError as not_sent:
                errors.append(not_sent.error)
                log.warning("endpoint failed before sending, trying next: %s", not_sent.error)
        raise _all_failed(errors)

    def _retrying(self, url: str, call: Callable[[], Any], job: Job) -> Any:
        attempt = 0
        while True:
            job.check()
            try:
                return call()
            except EndpointError as error:
                if not error.transient or attempt >= self.retries or state_missing(error):
                    raise  # a node without that height will not grow it back: ask the next one
                delay = self.backoff * (2**attempt)
                log.info("retrying %s in %.2fs after %s", url, delay, error.detail)
                attempt += 1
                job.wait(delay)

    def _post_once(self, url: str, body: Any, job: Job) -> Any:
        job.check()
        try:
            response = self._send("POST", url, json=body)
        except _NOT_SENT as exc:
            error = _classify(url, exc)
            raise _NotSentError(
                EndpointError(url, error.kind, f"cannot reach the node, nothing was sent ({error.detail})")
            ) from exc
        except httpx.HTTPError as exc:
            error = _classify(url, exc)
            raise EndpointError(
                url,
                error.kind,
                f"{error.detail} after the request was sent; the node may have received it, so it was not sent "
                "again",
            ) from exc
        except EndpointError as error:
            if error.kind != "limit" or error.detail.endswith("not sent"):
                raise
            raise EndpointError(url, "limit", f"{error.detail} after the request was sent; the node may have "
                                              "received it, so it was not sent again") from None
        return _decode(url, response)

    def _request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        try:
            response = self._send(method, url, params=params, json=json, headers=headers)
        except httpx.HTTPError as exc:
            raise _classify(url, exc) from exc
        return _decode(url, response)

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request with its body read under the limits: at most ``max_response_bytes`` (streamed, the read
        stops as soon as it is exceeded) and within ``request_deadline`` in all (and the command's deadline).

        A watchdog shuts the socket down at the deadline, so a node trickling its headers or body one byte at a
        time cannot hold the request past it (httpx's timeout is per read)."""
        if working_offline():
            raise OfflineError(f"{url}: offline mode is on, no request is sent (switch it off to use the network)")
        self.stats.add()
        started = time.perf_counter()
        budget = limits().request_deadline
        left = command_time_left()
        if left is not None:
            if left <= 0:
                raise EndpointError(url, "limit", f"command deadline of {limits().command_deadline:g} s reached; "
                                                  "not sent")
            budget = min(budget, left)
        watchdog = _Watchdog(budget)
        kwargs["extensions"] = {"trace": watchdog.trace}
        try:
            with watchdog, self._client.stream(method, url, **kwargs) as response:
                watchdog.watch(response.extensions.get("network_stream"))
                body = bytearray()
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limits().max_response_bytes:
                    raise self._too_big(url)
                for chunk in response.iter_bytes():  # decoded: a gzip bomb counts at its inflated size
                    body += chunk
                    if len(body) > limits().max_response_bytes:
                        raise self._too_big(url)
                    if watchdog.expired():
                        raise self._too_slow(url, budget)
        except httpx.HTTPError:
            if watchdog.fired:
                raise self._too_slow(url, budget) from None
            raise
        if watchdog.fired:
            raise self._too_slow(url, budget)
        response._content = bytes(body)
        log.debug("%s %s %s %.0fms", method, url, response.status_code, (time.perf_counter() - started) * 1000)
        return response

    @staticmethod
    def _too_big(url: str) -> EndpointError:
        return EndpointError(url, "limit", f"answer larger than the {limits().max_response_bytes // 1024 // 1024} "
                                           "MB limit; stopped reading")

    @staticmethod
    def _too_slow(url: str, budget: float) -> EndpointError:
        return EndpointError(url, "limit", f"answer not complete within the {budget:g} s deadline; stopped reading")


class _Watchdog:
    """Shuts the request's socket down when its deadline passes (wakes a read blocked on a trickling node)."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds
        self.fired = False
        self._sockets: list[Any] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()

    def expired(self) -> bool:
        return self.fired or time.monotonic() >= self.ends

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpx trace hook: remember the socket of a new connection (TCP, then TLS) as soon as it exists."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self.watch(info.get("return_value"))

    def watch(self, stream: Any) -> None:
        get = getattr(stream, "get_extra_info", None)
        sock = get("socket") if get is not None else None
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            self._shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shutdown(sock)

    @staticmethod
    def _shutdown(sock: Any) -> None:
        import socket

        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _NotSentError(Exception):
    """Carries the error of a request that never left, so a one-shot POST may go to the next endpoint."""

    def __init__(self, error: EndpointError) -> None:
        super().__init__(str(error))
        self.error = error


def _all_failed(errors: list[EndpointError]) -> WorkbenchError:
    return errors[0] if len(errors) == 1 else AllEndpointsFailed(errors)


def _decode(url: str, response: httpx.Response) -> Any:
    """The JSON of a 2xx answer; anything else becomes the precise :class:`EndpointError`."""
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
        return safejson.loads(response.content, max_depth=limits().max_json_depth)
    except safejson.JsonDepthError as exc:
        raise EndpointError(url, "limit", f"answer refused: {exc}") from None
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
