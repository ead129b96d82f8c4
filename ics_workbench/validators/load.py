"""Gather everything the overlap views need from a provider (and optionally the consumers' own RPCs).

Per consumer the provider is asked three things (opted-in validators, key assignments, its computed set); those
run concurrently on the connection's bounded pool, so 50 consumers cost about as long as the slowest few calls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from ics_workbench.chain.absent import route_absent
from ics_workbench.chain.comet import CometRpc
from ics_workbench.chain.detect import PROVIDER_PREFIX, detect_capabilities
from ics_workbench.chain.http import Endpoint, JsonHttp, RequestStats
from ics_workbench.chain.models import ConsumerChain, ConsumerValidator
from ics_workbench.chain.pinned import UNPINNED_NOTE, pinned_provider, pinned_rest, settled_height
from ics_workbench.chain.provider import ProviderClient, UnsupportedQuery, merge_chain
from ics_workbench.chain.rest import RestClient
from ics_workbench.errors import EndpointError, WorkbenchError
from ics_workbench.foundation.phases import ACTIVE_PHASES
from ics_workbench.foundation.times import parse_datetime
from ics_workbench.tasks import NO_JOB, Job, run_bounded
from ics_workbench.validators import adapters
from ics_workbench.validators.analysis import ChainValidator, ReportedMember
from ics_workbench.validators.key_history import assignment_times
from ics_workbench.validators.models import ConsumerInput, PowerShapingParams, ProviderSnapshot
from ics_workbench.validators.pending import not_started, with_proposal_parameters
from ics_workbench.validators.results import SimulationResult
from ics_workbench.validators.simulate import simulate_all

_NOT_STARTED = object()  # a v4/v5 consumer without a provider-computed set yet (see validators.pending)


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
    height: int | None = None
    """the provider height every provider read answered from (None: built by hand, e.g. in tests)"""

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
    job.progress(0.0, "loading provider validators and consumers")
    height = settled_height(source.rest, job=job)  # every provider read below answers from this one height
    provider, rest = pinned_provider(source.provider, height), pinned_rest(source.rest, height)
    workers = source.max_workers
    warnings: list[str] = [] if height is not None else [UNPINNED_NOTE]
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
    details = _active_consumers(provider, chains, only, workers, job)
    job.progress(0.4, "loading opt-ins, keys and consumer sets")
    consumers, reported, reported_detail = _consumer_inputs(provider, details, workers, warnings, job)
    snapshot = adapters.snapshot(validators, params, epoch)
    if source.comet is not None and any(c.key_assignments for c in consumers):
        job.progress(0.7, "dating key assignments")
        consumers = _dated_key_assignments(source.comet, provider, snapshot, consumers, workers, warnings, job)
    if params is None or params.max_provider_consensus_validators is None:
        warnings.append("provider has no max_provider_consensus_validators (ICS < v6): all bonded validators count")
    data = OverlapData(snapshot, tuple(consumers), reported, reported_detail)
    chain_sets: dict[str, tuple[ChainValidator, ...]] = {}
    if consumer_rpcs:
        job.progress(0.8, "loading the consumers' own validator sets")
        chain_sets = _consumer_chain_sets(data, consumer_rpcs, workers, job)
    job.progress(1.0, "overlaps loaded")
    return OverlapData(snapshot, tuple(consumers), reported, reported_detail, chain_sets, tuple(warnings), height)


def _active_consumers(
    provider: ProviderClient, chains: list[ConsumerChain], only: str | None, workers: int, job: Job
) -> list[ConsumerChain]:
    """The registered, initialized and launched consumers (``only``: the one named), with their details."""
    chains = [c for c in chains if c.phase in ACTIVE_PHASES]
    if only is not None:
        chains = [c for c in chains if only in (c.key, c.chain_id, c.metadata.name)]
        if not chains:
            raise WorkbenchError(f"no active consumer {only!r} on this provider")
    if not provider.by_id:  # v4/v5: a proposed chain gets the parameters its addition proposal asks for
        return [with_proposal_parameters(provider, c, job) for c in chains]
    if not chains:
        return chains
    fetched = run_bounded(
        [partial(provider.consumer_chain, c.key, job=job) for c in chains],
        max_workers=workers,
        job=job,
        label="consumer chains",
    )
    return [merge_chain(listed, detail) for listed, detail in zip(chains, fetched, strict=True)]


def _consumer_inputs(
    provider: ProviderClient, details: list[ConsumerChain], workers: int, warnings: list[str], job: Job
) -> tuple[list[ConsumerInput], dict[str, tuple[ReportedMember, ...]], dict[str, tuple[ConsumerValidator, ...]]]:
    """Each consumer's opt-ins, key assignments and the provider's view of its set; a missing answer is a
    warning, not a failure."""
    per_consumer = run_bounded(
        [
            call
            for c in details
            for call in (
                partial(_optional, partial(provider.opted_in, c.key, job=job)),
                partial(_optional, partial(provider.key_assignments, c.key, job=job)),
                partial(_reported_set, provider, c, job),
            )
        ],
        max_workers=workers,
        job=job,
        label="consumer details",
    )
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
        if members is _NOT_STARTED:
            warnings.append(f"{label}: not started yet ({chain.phase.lower()}); its set is simulated from its "
                            "addition proposal's parameters, the provider has none to compare with")  # fmt: skip
            continue
        if members is None:
            warnings.append(f"{label}: the provider did not answer consumer_validators; nothing to compare with")
            continue
        reported[consumer.consumer_id] = tuple(
            ReportedMember(m.provider_address, m.consumer_key, m.power) for m in members
        )
        reported_detail[consumer.consumer_id] = tuple(members)
    return consumers, reported, reported_detail


def _dated_key_assignments(
    comet: CometRpc,
    provider: ProviderClient,
    snapshot: ProviderSnapshot,
    consumers: list[ConsumerInput],
    workers: int,
    warnings: list[str],
    job: Job,
) -> list[ConsumerInput]:
    """Key assignments dated from the provider's tx events, and launched consumers' launch times."""
    try:
        consumers = assignment_times(comet, consumers, {v.operator: v.valcons for v in snapshot.validators}, job=job)
    except EndpointError as error:
        warnings.append(f"key assignment times unknown (the provider node's tx index answered: {error})")
    return run_bounded([partial(_with_launch_time, provider, c, job) for c in consumers], max_workers=workers, job=job)


def _consumer_chain_sets(
    data: OverlapData, consumer_rpcs: Mapping[str, str], workers: int, job: Job
) -> dict[str, tuple[ChainValidator, ...]]:
    """Each named consumer's own CometBFT validator set (its RPC, not the provider's view)."""
    targets = [(data.consumer(name), url) for name, url in consumer_rpcs.items()]
    fetched_sets = run_bounded(
        [partial(_consumer_chain_validators, url, job) for _, url in targets],
        max_workers=workers,
        job=job,
        label="consumer validator sets",
    )
    return {consumer.consumer_id: chain_set for (consumer, _), chain_set in zip(targets, fetched_sets, strict=True)}


def _reported_set(provider: ProviderClient, chain: ConsumerChain, job: Job) -> Any:
    """The provider's computed set, None when it does not answer, _NOT_STARTED for a v4/v5 chain not started."""
    if not_started(provider, chain):
        return _NOT_STARTED
    return _optional(lambda: provider.consumer_validators(chain.key, job=job))


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
