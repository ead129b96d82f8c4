"""Gather everything the overlap views need from a provider (and optionally the consumers' own RPCs).

Per consumer the provider is asked three things (opted-in validators, key assignments, its computed set); those
run concurrently on the connection's bounded pool, so 50 consumers cost about as long as the slowest few calls.
"""

from __future__ import annotations

from functools import partial
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ics_workbench.chain.absent import route_absent
from ics_workbench.chain.comet import CometRpc
from ics_workbench.foundation.phases import ACTIVE_PHASES
from ics_workbench.foundation.times import parse_datetime
from ics_workbench.chain.detect import PROVIDER_PREFIX, detect_capabilities
from ics_workbench.chain.http import Endpoint, JsonHttp, RequestStats
from ics_workbench.chain.models import ConsumerChain, ConsumerValidator
from ics_workbench.chain.provider import ProviderClient, UnsupportedQuery, merge_chain
from ics_workbench.chain.rest import RestClient
from ics_workbench.errors import EndpointError, WorkbenchError
from ics_workbench.tasks import NO_JOB, Job, run_bounded
from ics_workbench.validators import adapters
from ics_workbench.validators.analysis import ChainValidator, ReportedMember
from ics_workbench.validators.key_history import assignment_times
from ics_workbench.validators.models import ConsumerInput, PowerShapingParams, ProviderSnapshot
from ics_workbench.validators.results import SimulationResult
from ics_workbench.validators.simulate import simulate_all

@dataclass(frozen=True)
class ProviderSource:
    """The two provider clients the loader needs; built from a full connection or from a REST URL alone."""

    rest: RestClient
    provider: ProviderClient
    max_workers: int = 8
    comet: CometRpc | None = None  # with an RPC, key assignments are dated from the provider's tx events


@dataclass(frozen=True)
class OverlapData:
    snapshot: ProviderSnapshot
    consumers: tuple[ConsumerInput, ...]
    reported: dict[str, tuple[ReportedMember, ...]]  # consumer id -> provider's consumer_validators
    reported_detail: dict[str, tuple[ConsumerValidator, ...]]
    chain_sets: dict[str, tuple[ChainValidator, ...]] = field(default_factory=dict)  # consumer id -> own /validators
    warnings: tuple[str, ...] = ()

    def simulate_all(self) -> list[SimulationResult]:
        return simulate_all(self.snapshot, self.consumers)

    def consumer(self, key: str) -> ConsumerInput:
        """By consumer id, chain id or name."""
        for c in self.consumers:
            if key in (c.consumer_id, c.chain_id, c.name):
                return c
        known = ", ".join(f"{c.consumer_id} ({c.chain_id})" for c in self.consumers) or "none"
        raise WorkbenchError(f"no consumer {key!r} on this provider; known: {known}")


def open_rest_only(rest_url: str, *, timeout: float = 10.0) -> tuple[JsonHttp, ProviderSource]:
    """A provider source from a REST endpoint only (the simulator needs no CometBFT RPC)."""
    http = JsonHttp([Endpoint(rest_url)], timeout=timeout, stats=RequestStats())
    try:
        rest = RestClient(http)
        capabilities = detect_capabilities(rest.node_info(), http)
        if not capabilities.has_provider:
            raise WorkbenchError(f"{rest_url}: this chain has no provider module ({capabilities.source})")
        return http, ProviderSource(rest, ProviderClient(http, capabilities))
    except BaseException:
        http.close()
        raise


def _optional(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except UnsupportedQuery:
        return None
    except EndpointError as error:
        if route_absent(error):
            return None
        raise


def load_overlaps(
    source: ProviderSource,
    *,
    consumer_rpcs: Mapping[str, str] | None = None,
    only: str | None = None,
    job: Job = NO_JOB,
) -> OverlapData:
    """Provider validators and params, every active consumer with its opt-ins, keys and computed set.

    ``consumer_rpcs`` maps a consumer (id, chain id or name) to its CometBFT RPC URL, whose ``/validators`` is
    matched against the provider's view. ``only`` restricts the per-consumer queries to one consumer.
    """
    provider, rest, workers = source.provider, source.rest, source.max_workers
    job.progress(0.0, "loading provider validators and consumers")
    validators, params, epoch, chains = run_bounded(
        [
            lambda: rest.validators(bonded_only=False, job=job),
            lambda: _optional(lambda: provider.params(job=job)),
            lambda: _optional(lambda: provider.blocks_until_next_epoch(job=job)),
            lambda: provider.consumer_chains(job=job),
        ],
        max_workers=workers,
        job=job,
        label="provider state",
    )
    chains = [c for c in chains if c.phase in ACTIVE_PHASES]
    if only is not None:
        chains = [c for c in chains if only in (c.key, c.chain_id, c.metadata.name)]
        if not chains:
            raise WorkbenchError(f"no active consumer {only!r} on this provider")
    details: list[ConsumerChain] = chains
    if provider.by_id and chains:
        fetched = run_bounded(
            [partial(provider.consumer_chain, c.key, job=job) for c in chains],
            max_workers=workers,
            job=job,
            label="consumer chains",
        )
        details = [merge_chain(listed, detail) for listed, detail in zip(chains, fetched, strict=True)]
    job.progress(0.4, "loading opt-ins, keys and consumer sets")
    per_consumer = run_bounded(
        [
            call
            for c in details
            for call in (
                (lambda key=c.key: _optional(lambda: provider.opted_in(key, job=job))),
                (lambda key=c.key: _optional(lambda: provider.key_assignments(key, job=job))),
                (lambda key=c.key: _optional(lambda: provider.consumer_validators(key, job=job))),
            )
        ],
        max_workers=workers,
        job=job,
        label="consumer details",
    )
    warnings: list[str] = []
    replicated = not provider.capabilities.power_shaping
    if replicated:
        warnings.append("the provider predates partial set security (ICS < v4.2): every active validator "
                        "validates every consumer, simulated as Top 100")
    consumers: list[ConsumerInput] = []
    reported: dict[str, tuple[ReportedMember, ...]] = {}
    reported_detail: dict[str, tuple[ConsumerValidator, ...]] = {}
    for index, chain in enumerate(details):
        opted, keys, members = per_consumer[3 * index : 3 * index + 3]
        consumer = adapters.consumer_input(chain, opted or [], keys or [])
        if replicated:
            consumer = replace(consumer, params=PowerShapingParams(top_n=100))
        consumers.append(consumer)
        label = f"consumer {consumer.consumer_id} ({consumer.chain_id})"
        if opted is None and not replicated:
            warnings.append(f"{label}: the provider did not answer opted_in_validators; taken as none")
        if keys is None:
            warnings.append(f"{label}: the provider did not answer the key assignments; taken as none")
        if members is None:
            warnings.append(f"{label}: the provider did not answer consumer_validators; nothing to compare with")
            continue
        reported[consumer.consumer_id] = tuple(
            ReportedMember(m.provider_address, m.consumer_key, m.power) for m in members
        )
        reported_detail[consumer.consumer_id] = tuple(members)
    snapshot = adapters.snapshot(validators, params, epoch)
    if source.comet is not None and any(c.key_assignments for c in consumers):
        job.progress(0.7, "dating key assignments")
        try:
            consumers = assignment_times(
                source.comet, consumers, {v.operator: v.valcons for v in snapshot.validators}, job=job
            )
        except EndpointError as error:
            warnings.append(f"key assignment times unknown (the provider node's tx index answered: {error})")
        consumers = run_bounded(
            [partial(_with_launch_time, provider, c, job) for c in consumers], max_workers=workers, job=job
        )
    data = OverlapData(snapshot, tuple(consumers), reported, reported_detail)
    if params is None or params.max_provider_consensus_validators is None:
        warnings.append("provider has no max_provider_consensus_validators (ICS < v6): all bonded validators count")
    chain_sets: dict[str, tuple[ChainValidator, ...]] = {}
    if consumer_rpcs:
        job.progress(0.8, "loading the consumers' own validator sets")
        targets = [(data.consumer(name), url) for name, url in consumer_rpcs.items()]
        fetched_sets = run_bounded(
            [partial(_consumer_chain_validators, url, job) for _, url in targets],
            max_workers=workers,
            job=job,
            label="consumer validator sets",
        )
        for (consumer, _), chain_set in zip(targets, fetched_sets, strict=True):
            chain_sets[consumer.consumer_id] = chain_set
    job.progress(1.0, "overlaps loaded")
    return OverlapData(snapshot, tuple(consumers), reported, reported_detail, chain_sets, tuple(warnings))


def _with_launch_time(provider: ProviderClient, consumer: ConsumerInput, job: Job) -> ConsumerInput:
    """Launched consumers get their genesis time (ICS v6.4+ ``consumer_genesis_time``): the launch moment."""
    if consumer.phase != "LAUNCHED" or not consumer.key_assignments or not provider.by_id:
        return consumer
    answer = _optional(
        lambda: provider.http.fetch(f"{PROVIDER_PREFIX}/consumer_genesis_time/{consumer.consumer_id}", job=job)
    )
    raw = answer.data.get("genesis_time") if answer is not None and isinstance(answer.data, dict) else None
    launched = parse_datetime(raw) if isinstance(raw, str) else None
    return replace(consumer, launched_at=launched) if launched else consumer


def _consumer_chain_validators(rpc_url: str, job: Job) -> tuple[ChainValidator, ...]:
    with JsonHttp([Endpoint(rpc_url)], stats=RequestStats()) as http:
        _, validators = CometRpc(http).validators(job=job)
    return tuple(ChainValidator(v.address, v.pub_key, v.voting_power) for v in validators)
