"""Opening a connection: check that every endpoint serves the profile's chain, detect capabilities.

Refusing a node of another chain here (rather than later) matters: a proposal or a key assignment prepared
against the wrong chain's state is worse than no answer. A node that is catching up is only a warning,
because its answers are merely old, and the user may still want to look.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar

from ics_workbench.chain.comet import CometRpc
from ics_workbench.chain.detect import Capabilities, detect_capabilities
from ics_workbench.chain.http import Endpoint, JsonHttp, RequestStats
from ics_workbench.chain.models import EndpointLag, NodeInfo, NodeStatus
from ics_workbench.chain.profiles import ConnectionProfile, EndpointConfig
from ics_workbench.chain.provider import ProviderClient
from ics_workbench.chain.rest import RestClient
from ics_workbench.errors import AllEndpointsFailed, ChainMismatchError, EndpointError, WorkbenchError
from ics_workbench.tasks import NO_JOB, Job, run_bounded

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class HttpSettings:
    """Network knobs shared by every client of a connection (tests shorten them, the bench widens them)."""

    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.25
    max_workers: int = 8
    verify: bool | str = True

    def client(self, endpoints: list[EndpointConfig], stats: RequestStats) -> JsonHttp:
        return JsonHttp(
            [Endpoint(e.url, e.archive) for e in endpoints],
            timeout=self.timeout,
            retries=self.retries,
            backoff=self.backoff,
            max_connections=max(self.max_workers, 4),
            verify=self.verify,
            stats=stats,
        )


@dataclass
class Connection:
    """A checked connection to one chain; ``provider`` is None when the node has no provider module."""

    profile: ConnectionProfile
    settings: HttpSettings
    stats: RequestStats
    rpc_http: JsonHttp
    rest_http: JsonHttp | None
    comet: CometRpc
    rest: RestClient | None
    provider: ProviderClient | None
    capabilities: Capabilities
    status: NodeStatus
    """status of the most advanced RPC endpoint"""
    node_info: NodeInfo | None
    lag: list[EndpointLag]
    warnings: list[str] = field(default_factory=list)
    _per_rpc: list[JsonHttp] = field(default_factory=list, repr=False)
    _per_rest: list[JsonHttp] = field(default_factory=list, repr=False)

    @property
    def chain_id(self) -> str:
        return self.profile.chain_id

    def endpoint_lag(self, job: Job = NO_JOB) -> list[EndpointLag]:
        """Ask every RPC and REST endpoint for its newest block again and return how far each is behind."""
        calls: list[Callable[[], Any]] = [
            lambda: _statuses(self._per_rpc, self.settings.max_workers, job),
            lambda: _rest_heads(self._per_rest, self.settings.max_workers, job),
        ]
        heads = run_bounded(calls, max_workers=2, job=Job())
        self.lag = compute_lag(heads[0], heads[1])
        return self.lag

    def close(self) -> None:
        for client in [self.rpc_http, *self._per_rpc, *self._per_rest, *([self.rest_http] if self.rest_http else [])]:
            client.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _each(
    clients: list[JsonHttp], call: Callable[[JsonHttp], T], max_workers: int, job: Job
) -> list[tuple[str, T | EndpointError]]:
    """Run ``call`` on every single-endpoint client; an endpoint's fault is kept, not raised."""

    def one(client: JsonHttp) -> Callable[[], tuple[str, T | EndpointError]]:
        def run() -> tuple[str, T | EndpointError]:
            try:
                return client.endpoints[0].base, call(client)
            except EndpointError as error:
                return client.endpoints[0].base, error
            except AllEndpointsFailed as error:
                return client.endpoints[0].base, error.errors[-1]

        return run

    # The pool gets a silent job: its own progress would jump the caller's bar around. Cancellation still
    # reaches every request, because each one is made with ``job``.
    return run_bounded([one(c) for c in clients], max_workers=max_workers, job=Job())


def _statuses(per_rpc: list[JsonHttp], max_workers: int, job: Job) -> list[tuple[str, NodeStatus | EndpointError]]:
    return _each(per_rpc, lambda c: CometRpc(c).status(job=job), max_workers, job)


def _rest_heads(
    per_rest: list[JsonHttp], max_workers: int, job: Job
) -> list[tuple[str, tuple[str, int, datetime] | EndpointError]]:
    return _each(per_rest, lambda c: RestClient(c).latest_head(job=job), max_workers, job)


def compute_lag(
    statuses: list[tuple[str, NodeStatus | EndpointError]],
    rest_heads: list[tuple[str, tuple[str, int, datetime] | EndpointError]] = (),  # type: ignore[assignment]
) -> list[EndpointLag]:
    """Lag of each endpoint behind the most advanced one, RPC and REST alike (a stale REST node gives old
    answers even when the RPC node is current)."""
    heads: list[tuple[str, Literal["rpc", "rest"], int | None, datetime | None, str | None]] = []
    for url, status in statuses:
        if isinstance(status, NodeStatus):
            heads.append((url, "rpc", status.latest_height, status.latest_time, None))
        else:
            heads.append((url, "rpc", None, None, str(status)))
    for url, head in rest_heads:
        if isinstance(head, tuple):
            heads.append((url, "rest", head[1], head[2], None))
        else:
            heads.append((url, "rest", None, None, str(head)))
    good = [(h[2], h[3]) for h in heads if h[2] is not None and h[3] is not None]
    top = max(good, key=lambda h: h[0], default=None)
    lags = []
    for url, kind, height, time, error in heads:
        if height is not None and time is not None and top is not None:
            lags.append(
                EndpointLag(
                    url=url,
                    kind=kind,
                    height=height,
                    time=time,
                    lag_blocks=top[0] - height,
                    lag_seconds=(top[1] - time).total_seconds(),
                )
            )
        else:
            lags.append(
                EndpointLag(url=url, kind=kind, height=None, time=None, lag_blocks=None, lag_seconds=None, error=error)
            )
    return lags


def connect(
    profile: ConnectionProfile,
    job: Job = NO_JOB,
    *,
    settings: HttpSettings | None = None,
    infer_role: bool = False,
) -> Connection:
    """Check every endpoint against the profile, detect capabilities, return a ready :class:`Connection`.

    Raises :class:`ChainMismatchError` when any node serves another chain, :class:`EndpointError` /
    :class:`AllEndpointsFailed` when no RPC (or no REST) endpoint answers. ``infer_role`` (ad-hoc
    connections from the CLI) sets the role from what the node turns out to be instead of warning.
    """
    settings = settings or HttpSettings()
    stats = RequestStats()
    per_rpc = [settings.client([e], stats) for e in profile.rpc]
    per_rest = [settings.client([e], stats) for e in profile.rest]
    clients = [*per_rpc, *per_rest]
    try:
        return _connect(profile, job, settings, stats, per_rpc, per_rest, infer_role)
    except BaseException:
        for client in clients:
            client.close()
        raise


def _connect(
    profile: ConnectionProfile,
    job: Job,
    settings: HttpSettings,
    stats: RequestStats,
    per_rpc: list[JsonHttp],
    per_rest: list[JsonHttp],
    infer_role: bool,
) -> Connection:
    warnings: list[str] = []
    job.progress(0.05, "querying node status")
    checks: list[Callable[[], list[tuple[str, Any]]]] = [
        lambda: _statuses(per_rpc, settings.max_workers, job),
        lambda: _each(per_rest, lambda c: RestClient(c).node_info(job=job), settings.max_workers, job),
        lambda: _rest_heads(per_rest, settings.max_workers, job),
    ]
    statuses, infos, rest_heads = run_bounded(checks, max_workers=3, job=Job())
    job.check()
    good_status = _usable_statuses(profile, statuses, warnings)
    node_info = _usable_node_info(profile, infos, bool(per_rest), warnings)

    top = max(good_status, key=lambda s: s.latest_height)
    lag = compute_lag(statuses, rest_heads)
    for item in lag:
        if item.lag_blocks and item.lag_blocks > 10:
            warnings.append(f"{item.url} is {item.lag_blocks} blocks behind the most advanced endpoint")

    rpc_http = settings.client(list(profile.rpc), stats)
    rest_http = settings.client(list(profile.rest), stats) if profile.rest else None
    job.progress(0.5, "detecting provider version")
    capabilities = _capabilities(node_info, rpc_http, rest_http, top, warnings, job)

    role = _role(profile, capabilities, infer_role, warnings)
    updated = profile.model_copy(update={"capabilities": capabilities, "role": role})
    for warning in warnings:
        log.warning("%s: %s", profile.name, warning)
    job.progress(1.0, "connected")
    return Connection(
        profile=updated,
        settings=settings,
        stats=stats,
        rpc_http=rpc_http,
        rest_http=rest_http,
        comet=CometRpc(rpc_http),
        rest=RestClient(rest_http, valcons_prefix=updated.valcons_prefix) if rest_http else None,
        provider=ProviderClient(rest_http, capabilities) if rest_http and capabilities.has_provider else None,
        capabilities=capabilities,
        status=top,
        node_info=node_info,
        lag=lag,
        warnings=warnings,
        _per_rpc=per_rpc,
        _per_rest=per_rest,
    )


def _capabilities(
    node_info: NodeInfo | None,
    rpc_http: JsonHttp,
    rest_http: JsonHttp | None,
    top: NodeStatus,
    warnings: list[str],
    job: Job,
) -> Capabilities:
    """What the node runs (from REST); without REST only its CometBFT version is known. A failed detection
    closes the connection's clients before it propagates."""
    if rest_http is None or node_info is None:
        warnings.append("no REST endpoint: app version and provider module cannot be detected")
        return Capabilities(has_provider=False, comet_version=top.node_version, source="no REST endpoint")
    try:
        return detect_capabilities(node_info, rest_http, job=job, comet_version=top.node_version)
    except BaseException:
        rpc_http.close()
        rest_http.close()
        raise

def _usable_statuses(
    profile: ConnectionProfile, statuses: list[tuple[str, Any]], warnings: list[str]
) -> list[NodeStatus]:
    """The RPC endpoints that answered /status; one on another chain refuses the whole connection, and none
    answering raises its (or every) error."""
    good_status: list[NodeStatus] = []
    for url, status in statuses:
        if isinstance(status, NodeStatus):
            if status.chain_id != profile.chain_id:
                raise ChainMismatchError(
                    f"RPC endpoint {url} serves chain {status.chain_id!r}, not the expected {profile.chain_id!r} "
                    f"(profile {profile.name!r})"
                )
            good_status.append(status)
            if status.catching_up:
                warnings.append(f"{url} is still catching up (at height {status.latest_height}); its answers are old")
        else:
            warnings.append(f"RPC endpoint unusable: {status}")
    if not good_status:
        errors = [s for _, s in statuses if isinstance(s, EndpointError)]
        raise errors[0] if len(errors) == 1 else AllEndpointsFailed(errors)
    return good_status


def _usable_node_info(
    profile: ConnectionProfile, infos: list[tuple[str, Any]], has_rest: bool, warnings: list[str]
) -> NodeInfo | None:
    """The first REST node_info; REST on another chain than the RPC refuses the connection."""
    node_info: NodeInfo | None = None
    for url, info in infos:
        if isinstance(info, NodeInfo):
            if info.chain_id != profile.chain_id:
                raise ChainMismatchError(
                    f"REST endpoint {url} serves chain {info.chain_id!r} but the RPC endpoints serve "
                    f"{profile.chain_id!r}; the REST and RPC endpoints belong to different chains"
                )
            node_info = node_info or info
        else:
            warnings.append(f"REST endpoint unusable: {info}")
    if has_rest and node_info is None:
        errors = [i for _, i in infos if isinstance(i, EndpointError)]
        raise errors[0] if len(errors) == 1 else AllEndpointsFailed(errors)
    return node_info


def _role(
    profile: ConnectionProfile, capabilities: Capabilities, infer_role: bool, warnings: list[str]
) -> Literal["provider", "consumer"]:
    """The profile's role, or (``infer_role``) what the node runs; a mismatch is a warning."""
    role: Literal["provider", "consumer"] = profile.role
    if infer_role:
        role = "provider" if capabilities.has_provider else "consumer"
    elif profile.role == "provider" and not capabilities.has_provider:
        warnings.append(f"profile {profile.name!r} is a provider profile but the node has no provider module")
    elif profile.role == "consumer" and capabilities.has_provider:
        warnings.append(f"profile {profile.name!r} is a consumer profile but the node runs a provider module")
    return role


def connect_urls(
    rpc: list[str],
    rest: list[str],
    *,
    chain_id: str | None = None,
    account_prefix: str = "cosmos",
    job: Job = NO_JOB,
    settings: HttpSettings | None = None,
) -> Connection:
    """Connect without a saved profile (CLI ``--rpc/--rest``): the chain id comes from the node if not given."""
    settings = settings or HttpSettings()
    try:
        endpoints = [EndpointConfig(url=u) for u in rpc]
        rest_endpoints = [EndpointConfig(url=u) for u in rest]
    except ValueError as error:
        raise WorkbenchError(f"invalid endpoint URL: {error}") from None
    if chain_id is None:
        with settings.client(endpoints, RequestStats()) as http:
            chain_id = CometRpc(http).status(job=job).chain_id
    profile = ConnectionProfile.parse(
        {
            "name": "command line",
            "chain_id": chain_id,
            "role": "provider",
            "rpc": [e.model_dump() for e in endpoints],
            "rest": [e.model_dump() for e in rest_endpoints],
            "account_prefix": account_prefix,
        },
        what="connection",
    )
    return connect(profile, job, settings=settings, infer_role=True)
