"""Glue between the core's connection/overview objects and the overview views.

Runs in two places: :func:`load` on a worker thread (network), the ``fill_*`` functions on the GUI thread.
Everything that depends on the shape of the chain API is here, so the widgets do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ics_workbench.gui import formatting as fmt
from ics_workbench.gui.context import ConnectionState, LinkState
from ics_workbench.gui.panels.connections.overview_views import (
    ConsumerOverviewView,
    ConsumerValidatorRow,
    EndpointRow,
    Fact,
    NodeSection,
    ProviderOverviewView,
)

if TYPE_CHECKING:
    from ics_workbench.chain.connect import Connection
    from ics_workbench.chain.overview import ConsumerOverview, ProviderOverview
    from ics_workbench.chain.profiles import ConnectionProfile
    from ics_workbench.tasks import Job, Lease


@dataclass(frozen=True)
class LoadResult:
    profile: ConnectionProfile
    """the profile with the detected capabilities recorded"""
    connection: Connection
    overview: ProviderOverview | ConsumerOverview


def load(profile: ConnectionProfile, provider_lease: Lease[Connection] | None, job: Job) -> LoadResult:
    """Connect and load the overview; on a worker thread. Closes the connection if the load fails."""
    from ics_workbench.chain.connect import connect
    from ics_workbench.chain.overview import load_consumer_overview, load_provider_overview

    provider = provider_lease.acquire(job) if provider_lease is not None else None
    connection = connect(profile, job)
    try:
        overview: ProviderOverview | ConsumerOverview
        if profile.role == "consumer":
            overview = load_consumer_overview(connection, provider, job)
        else:
            overview = load_provider_overview(connection, job)
    except BaseException:
        connection.close()
        raise
    return LoadResult(connection.profile, connection, overview)


def block_age_seconds(time: datetime, now: datetime | None = None) -> float:
    now = now or datetime.now(UTC)
    if time.tzinfo is None:
        time = time.replace(tzinfo=UTC)
    return max(0.0, (now - time).total_seconds())


def connection_state(name: str, result: LoadResult) -> ConnectionState:
    import time

    from ics_workbench.tasks import Lease

    overview = result.overview
    warnings = list(overview.warnings)
    return ConnectionState(
        name=name,
        role=result.profile.role,
        state=LinkState.WARNING if warnings else LinkState.CONNECTED,
        chain_id=overview.chain_id,
        height=overview.height,
        lag_seconds=block_age_seconds(overview.time),
        message="\n".join(warnings),
        connection=result.connection,
        overview=overview,
        lease=Lease(result.connection, f"the connection to {name}", close=lambda c: c.close()),
        checked_at=time.time(),
    )


def gov_facts(gov: Any) -> list[Fact]:
    facts = [
        Fact("Min deposit", fmt.coins(gov.min_deposit)),
        Fact("Max deposit period", fmt.duration(gov.max_deposit_period_seconds)),
        Fact("Voting period", fmt.duration(gov.voting_period_seconds)),
        Fact("Quorum", fmt.percent(gov.quorum)),
        Fact("Threshold", fmt.percent(gov.threshold)),
        Fact("Veto threshold", fmt.percent(gov.veto_threshold)),
    ]
    if gov.expedited_voting_period_seconds is not None:
        facts.append(Fact("Expedited voting period", fmt.duration(gov.expedited_voting_period_seconds)))
    if gov.expedited_threshold is not None:
        facts.append(Fact("Expedited threshold", fmt.percent(gov.expedited_threshold)))
    if gov.expedited_min_deposit:
        facts.append(Fact("Expedited min deposit", fmt.coins(gov.expedited_min_deposit)))
    if gov.min_initial_deposit_ratio is not None:
        facts.append(Fact("Min initial deposit ratio", fmt.percent(gov.min_initial_deposit_ratio)))
    return facts


def provider_param_facts(params: Any) -> list[Fact]:
    if params is None:
        return []
    facts = []
    for key, value in params.model_dump().items():
        if value in (None, ""):
            continue
        label = "Provider: " + key.removesuffix("_seconds").replace("_", " ")
        text = (
            fmt.duration(value)
            if key.endswith("_seconds")
            else (f"{value:,}" if isinstance(value, int) else str(value))
        )
        facts.append(Fact(label, text))
    return facts


def _endpoint_rows(state: ConnectionState) -> list[EndpointRow]:
    overview = state.overview
    rows = [
        EndpointRow(lag.kind.upper(), lag.url, overview.chain_id if lag.height is not None else "", lag.height,
                    fmt.timestamp(lag.time), lag.lag_seconds, lag.lag_blocks, lag.error or "")
        for lag in overview.lag
    ]
    measured = {(lag.kind, lag.url.rstrip("/")) for lag in overview.lag}
    connection = state.connection
    info = getattr(connection, "node_info", None)
    for endpoint in connection.profile.rest if connection is not None else ():
        if ("rest", endpoint.url.rstrip("/")) in measured:
            continue
        rows.append(EndpointRow("REST", endpoint.url, info.chain_id if info else "", None, "", None, None,
                                "archive" if endpoint.archive else ""))
    return rows


def _pinned(overview: Any) -> bool:
    """All reads answered from ``overview.height`` (the core warns with UNPINNED_NOTE when the node cannot pin)."""
    from ics_workbench.chain.pinned import UNPINNED_NOTE

    return UNPINNED_NOTE not in overview.warnings


def _node_facts(state: ConnectionState) -> list[Fact]:
    connection = state.connection
    overview = state.overview
    caps = overview.capabilities
    facts = [
        Fact("Chain ID", overview.chain_id),
        # pinned reads say which block they describe; unpinned ones only that it was the newest one seen
        Fact("Data", f"as of height {overview.height:,}") if _pinned(overview)
        else Fact("Latest height", f"{overview.height:,} (reads not pinned)"),
        Fact("Block time" if _pinned(overview) else "Latest block time", fmt.timestamp(overview.time)),
        Fact("Block age", f"{state.lag_seconds:.0f} s" if state.lag_seconds is not None else ""),
        Fact("ICS provider",
             "no provider module" if not caps.has_provider else (caps.ics_version or f"v{caps.ics_major or '?'}")),
        Fact("Keyed by", caps.keyed_by or "—"),
        Fact("App", f"{caps.app_name} {caps.app_version}".strip()),
        Fact("Cosmos SDK", caps.sdk_version),
        Fact("CometBFT", caps.comet_version),
        Fact("ibc-go", caps.ibc_version),
        Fact("Detected from", caps.source),
        Fact("Requests for this load", str(overview.requests)),
    ]
    status = getattr(connection, "status", None)
    if status is not None:
        facts.insert(3, Fact("Node", f"{status.moniker} ({status.node_id})"))
    return facts


def _fill_node(section: NodeSection, state: ConnectionState) -> None:
    overview = state.overview
    section.show_node(overview.capabilities.summary(), overview.warnings, _endpoint_rows(state), _node_facts(state))


def fill_provider(view: ProviderOverviewView, state: ConnectionState) -> None:
    overview = state.overview
    view.show_overview(
        note=overview.note,
        consumers=overview.consumers,
        validators=overview.validators,
        gov=gov_facts(overview.gov) + provider_param_facts(overview.params),
    )
    _fill_node(view.node, state)


def consumer_entry_facts(consumer: Any) -> list[Fact]:
    if consumer is None:
        return []
    shaping = consumer.power_shaping
    facts = [
        Fact("Consumer ID", consumer.consumer_id if consumer.consumer_id is not None else "— (chain-id keyed)"),
        Fact("Chain ID", consumer.chain_id),
        Fact("Phase", consumer.phase.lower()),
        Fact("Name", consumer.metadata.name),
        Fact("Owner", consumer.owner),
        Fact("Spawn time", fmt.timestamp(consumer.spawn_time)),
        Fact("Client ID", consumer.client_id),
        Fact("Top N", "opt-in" if shaping.top_n == 0 else f"{shaping.top_n}%"),
        Fact("Min power in top N", f"{consumer.min_power_in_top_n:,}" if consumer.min_power_in_top_n >= 0 else "—"),
        Fact("Validators power cap", f"{shaping.validators_power_cap}%" if shaping.validators_power_cap else "none"),
        Fact("Validator set cap", str(shaping.validator_set_cap or "none")),
        Fact("Min stake", f"{shaping.min_stake:,}"),
        Fact("Allow inactive validators", "yes" if shaping.allow_inactive_vals else "no"),
        Fact("Allowlist", ", ".join(shaping.allowlist) or "none", "\n".join(shaping.allowlist)),
        Fact("Denylist", ", ".join(shaping.denylist) or "none", "\n".join(shaping.denylist)),
        Fact("Priority list", ", ".join(shaping.prioritylist) or "none", "\n".join(shaping.prioritylist)),
    ]
    if consumer.allowlisted_reward_denoms:
        facts.append(Fact("Reward denoms", ", ".join(consumer.allowlisted_reward_denoms)))
    if consumer.metadata.description:
        facts.append(Fact("Description", consumer.metadata.description))
    return facts


def fill_consumer(view: ConsumerOverviewView, state: ConnectionState) -> None:
    overview = state.overview
    provider_profile = state.connection.profile.provider_profile if state.connection is not None else None
    if overview.provider_chain_id is None and provider_profile is None:
        note = "This profile names no provider profile: set one (Edit) to see this chain's entry on the provider."
    elif overview.provider_chain_id is None:
        note = f"Connect the provider profile {provider_profile!r} first, then Refresh, to see this chain's entry."
    elif overview.consumer is None:
        note = f"The provider {overview.provider_chain_id} lists no consumer chain {overview.chain_id!r}."
    else:
        note = f"Entry on provider {overview.provider_chain_id}:"
    power = overview.total_power
    looked_up = overview.provider_set is not None
    rows = [ConsumerValidatorRow(v, overview.provider_validator(v.pub_key), looked_up) for v in overview.validators]
    unmatched = sum(1 for r in rows if r.unmatched)
    view.show_overview(
        height_text=f"{len(overview.validators)} validators at height {overview.height:,} "
                    f"(total voting power {power:,})"
                    + (f"; {unmatched} key(s) with no provider validator (shaded)" if unmatched else ""),
        validators=rows,
        provider_note=note,
        provider_entry=consumer_entry_facts(overview.consumer),
    )
    _fill_node(view.node, state)
