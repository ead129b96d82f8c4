"""What the Connections panel and ``chain overview`` show for a provider or a consumer.

Independent queries run concurrently on a bounded pool (a provider with 30 consumers needs ~40 requests;
one after another at 50 ms each would take 2 s). Progress is reported and every request checks the job, so
cancelling stops the load promptly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict

from ics_workbench.chain.absent import unless_absent
from ics_workbench.chain.connect import Connection
from ics_workbench.chain.detect import Capabilities
from ics_workbench.chain.models import (
    CometValidator,
    ConsumerChain,
    ConsumerValidator,
    EndpointLag,
    GovParams,
    ProviderParams,
    Validator,
)
from ics_workbench.chain.pinned import UNPINNED_NOTE, pinned_provider, pinned_rest, settled_height
from ics_workbench.chain.provider import ProviderClient, UnsupportedQuery, merge_chain
from ics_workbench.chain.rest import RestClient
from ics_workbench.errors import WorkbenchError
from ics_workbench.tasks import NO_JOB, Job, run_bounded


class ProviderOverview(BaseModel):
    model_config = ConfigDict(frozen=True)

    chain_id: str
    height: int
    """the block height the provider and chain reads of this overview answered from (pinned; the newest known
    height when the node cannot pin, see ``warnings``)"""
    time: datetime
    capabilities: Capabilities
    consumers: tuple[ConsumerChain, ...]
    validators: tuple[Validator, ...]
    """the bonded set, highest power first"""
    total_power: int
    gov: GovParams
    params: ProviderParams | None
    lag: tuple[EndpointLag, ...]
    requests: int
    """HTTP requests this load made (benchmarks compare it with the latency floor)"""
    warnings: tuple[str, ...] = ()
    note: str = ""
    """a plain statement about the chain that is not a fault (no provider module: no consumer chains)"""


NO_PROVIDER_NOTE = "This chain has no ICS provider module: it cannot have consumer chains."


class ConsumerOverview(BaseModel):
    model_config = ConfigDict(frozen=True)

    chain_id: str
    height: int
    time: datetime
    capabilities: Capabilities
    validators: tuple[CometValidator, ...]
    """CometBFT ``/validators`` at ``height`` (all pages)"""
    total_power: int
    consumer: ConsumerChain | None
    """the provider's entry for this chain id (None when not found or no provider connection)"""
    provider_chain_id: str | None
    lag: tuple[EndpointLag, ...]
    requests: int
    warnings: tuple[str, ...] = ()
    provider_set: tuple[ConsumerValidator, ...] | None = None
    """the provider's ``consumer_validators`` for this chain, monikers filled in (None when not loaded): the
    consumer has no staking module, so the provider is where its validators' identities live"""

    def provider_validator(self, pub_key: str) -> ConsumerValidator | None:
        """The provider validator that signs on this chain with ``pub_key`` (base64), through key assignment:
        the provider reports each member's consumer key, assigned or (unassigned) its provider key."""
        for member in self.provider_set or ():
            if member.consumer_key == pub_key:
                return member
        return None


class _Forward:
    """Progress of concurrent parts folded into one bar that only moves forward.

    Cancellation is seen through the outer job because every request is made with it."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.shown = 0.0
        self.lock = threading.Lock()

    def part(self, start: float, end: float) -> Job:
        def report(fraction: float, message: str) -> None:
            value = start + (end - start) * fraction
            with self.lock:
                if value <= self.shown:
                    return
                self.shown = value
            self.job.progress(value, message)

        return Job(report)


def load_provider_overview(conn: Connection, job: Job = NO_JOB) -> ProviderOverview:
    """Consumers (with owner and spawn time), bonded validators, gov and provider params, endpoint lag.

    A chain without a provider module (e.g. the Hub after ICS removal) still has validators and gov params worth
    showing: it gets the same overview with no consumers and :data:`NO_PROVIDER_NOTE`, so the GUI and the CLI
    show one answer."""
    if conn.rest is None:
        raise WorkbenchError(f"{conn.profile.name}: a REST endpoint is needed to load validators and gov params")
    if conn.provider is None:
        return _overview_without_provider(conn, conn.rest, job)
    before = conn.stats.requests
    workers = conn.settings.max_workers
    progress = _Forward(job)
    job.progress(0.0, "loading provider overview")
    height = settled_height(conn.rest, job=job)  # every read below answers from this one height
    provider, rest = pinned_provider(conn.provider, height), pinned_rest(conn.rest, height)

    def consumers_with_details() -> list[ConsumerChain]:
        # Details start as soon as the list arrives, while validator pages are still loading; the shared
        # connection pool (max_workers connections) keeps the total number of requests in flight bounded.
        listed = provider.consumer_chains(job=job)
        if not provider.by_id or not listed:
            return listed
        details = run_bounded(
            [partial(provider.consumer_chain, c.key, job=job) for c in listed],
            max_workers=workers,
            job=progress.part(0.3, 1.0),
            label="consumer chains",
        )
        return [merge_chain(one, detail) for one, detail in zip(listed, details, strict=True)]

    calls: list[Callable[[], Any]] = [
        consumers_with_details,
        lambda: rest.validators(job=job),
        lambda: rest.gov_params(job=job),
        lambda: unless_absent(lambda: provider.params(job=job)),
        lambda: conn.endpoint_lag(job=job),
        lambda: rest.block_time(height, job=job) if height else None,
    ]
    consumers, validators, gov, params, lag, time = run_bounded(
        calls, max_workers=workers, job=progress.part(0.0, 0.3), label="provider state"
    )
    job.progress(1.0, "provider overview loaded")
    consumers = sorted(consumers, key=lambda c: (int(c.consumer_id) if c.consumer_id else 0, c.chain_id))
    height, time, warnings = _pinned_or_newest(conn, height, time, lag)
    return ProviderOverview(
        chain_id=conn.chain_id,
        height=height,
        time=time,
        capabilities=conn.capabilities,
        consumers=tuple(consumers),
        validators=tuple(validators),
        total_power=sum(v.power for v in validators),
        gov=gov,
        params=params,
        lag=tuple(lag),
        requests=conn.stats.requests - before,
        warnings=warnings,
    )


def _pinned_or_newest(
    conn: Connection, height: int | None, time: datetime | None, lag: list[EndpointLag]
) -> tuple[int, datetime, tuple[str, ...]]:
    """The pinned height and its block time, or (a node that cannot pin) the newest height any endpoint reported."""
    if height is not None and time is not None:
        return height, time, tuple(conn.warnings)
    top = max((x for x in lag if x.height is not None), key=lambda x: x.height or 0, default=None)
    return (
        top.height if top and top.height else conn.status.latest_height,
        top.time if top and top.time else conn.status.latest_time,
        (*conn.warnings, UNPINNED_NOTE),
    )


def load_consumer_overview(
    conn: Connection, provider_conn: Connection | None = None, job: Job = NO_JOB
) -> ConsumerOverview:
    """The consumer's CometBFT validator set at its latest height and its entry on the provider."""
    before = conn.stats.requests + (provider_conn.stats.requests if provider_conn else 0)
    job.progress(0.0, "loading consumer overview")
    warnings = list(conn.warnings)
    calls: list[Callable[[], Any]] = [
        lambda: conn.comet.validators(job=job),
        lambda: conn.endpoint_lag(job=job),
    ]
    if provider_conn is not None:
        if provider_conn.provider is None:
            warnings.append(f"{provider_conn.profile.name} has no provider module; consumer entry not looked up")
        else:
            provider = provider_conn.provider
            calls.append(lambda: provider.find_by_chain_id(conn.chain_id, job=job))
    results = run_bounded(
        calls, max_workers=conn.settings.max_workers, job=_Forward(job).part(0.0, 1.0), label="consumer state"
    )
    (height, validators), lag = results[0], results[1]
    consumer = results[2] if len(results) > 2 else None
    provider_set = None
    if provider_conn is not None and provider_conn.provider is not None:
        if consumer is None:
            warnings.append(f"the provider {provider_conn.chain_id} lists no consumer chain {conn.chain_id!r}")
        else:
            provider_set = _provider_set(provider_conn.provider, consumer, job)
            if provider_set is None:
                warnings.append(f"the provider {provider_conn.chain_id} does not answer consumer_validators: "
                                "consumer validators cannot be matched to provider validators")
    job.progress(1.0, "consumer overview loaded")
    after = conn.stats.requests + (provider_conn.stats.requests if provider_conn else 0)
    top = max((x for x in lag if x.height is not None), key=lambda x: x.height or 0, default=None)
    return ConsumerOverview(
        chain_id=conn.chain_id,
        height=height,
        time=top.time if top and top.time else conn.status.latest_time,
        capabilities=conn.capabilities,
        validators=tuple(sorted(validators, key=lambda v: (-v.voting_power, v.address))),
        total_power=sum(v.voting_power for v in validators),
        consumer=consumer,
        provider_chain_id=provider_conn.chain_id if provider_conn else None,
        lag=tuple(lag),
        requests=after - before,
        warnings=tuple(warnings),
        provider_set=provider_set,
    )


def _provider_set(provider: ProviderClient, consumer: ConsumerChain, job: Job) -> tuple[ConsumerValidator, ...] | None:
    """The provider's view of the consumer's set (ICS v6+ answers carry monikers; v4/v5 keys and power only)."""
    try:
        members = unless_absent(lambda: provider.consumer_validators(consumer.key, job=job))
    except UnsupportedQuery:
        return None
    return None if members is None else tuple(members)


def _overview_without_provider(conn: Connection, rest: RestClient, job: Job) -> ProviderOverview:
    before = conn.stats.requests
    job.progress(0.0, "loading chain overview")
    height = settled_height(rest, job=job)
    rest = pinned_rest(rest, height)
    loads: list[Callable[[], Any]] = [
        lambda: rest.validators(job=job), lambda: rest.gov_params(job=job), lambda: conn.endpoint_lag(job=job),
        lambda: rest.block_time(height, job=job) if height else None,
    ]
    validators, gov, lag, time = run_bounded(
        loads,
        max_workers=conn.settings.max_workers,
        job=_Forward(job).part(0.0, 1.0),
        label="chain state",
    )
    job.progress(1.0, "chain overview loaded")
    height, time, warnings = _pinned_or_newest(conn, height, time, lag)
    return ProviderOverview(
        chain_id=conn.chain_id,
        height=height,
        time=time,
        capabilities=conn.capabilities,
        consumers=(),
        validators=tuple(validators),
        total_power=sum(v.power for v in validators),
        gov=gov,
        params=None,
        lag=tuple(lag),
        requests=conn.stats.requests - before,
        warnings=warnings,
        note=NO_PROVIDER_NOTE,
    )
