"""Fill :class:`ProviderFacts` from a live provider's REST API.

The chain package reads and decodes (:mod:`ics_workbench.chain.provider_state`), all at one block height
that the facts carry; here its snapshot becomes the rules' facts. The stored structures it keeps verbatim
(every provider param, the consumer's parameter objects) are decoded into the draft models, so an update is
diffed and MsgUpdateParams is filled field by field with the chain's exact values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ics_workbench.chain.http import JsonHttp
from ics_workbench.chain.provider_state import (
    StoredConsumer,
    decode_stored_consumer,
    pinned_http,
    read_provider_snapshot,
)
from ics_workbench.errors import WorkbenchError
from ics_workbench.proposals.codec import ProposalFormatError, decode
from ics_workbench.proposals.facts import ConsumerState, ProviderFacts
from ics_workbench.proposals.gosem import parse_uint
from ics_workbench.proposals.models import (
    AllowlistedRewardDenoms,
    ConsumerInitializationParameters,
    ConsumerMetadata,
    InfractionParameters,
    PowerShapingParameters,
)
from ics_workbench.proposals.versions import ProviderVersion
from ics_workbench.tasks import NO_JOB, Job


def _sub(cls: type, raw: Any, where: str) -> Any:
    if not raw:
        return None
    try:
        return decode(cls, raw, "proto", where, [])  # unknown keys (newer chain fields) are ignored here
    except ProposalFormatError as exc:
        raise WorkbenchError(f"consumer state from the chain does not decode: {exc}") from None


_STATE_FIELDS: tuple[tuple[str, type], ...] = (
    ("metadata", ConsumerMetadata),
    ("init_params", ConsumerInitializationParameters),
    ("power_shaping_params", PowerShapingParameters),
    ("infraction_parameters", InfractionParameters),
    ("allowlisted_reward_denoms", AllowlistedRewardDenoms),
)


def consumer_state(record: StoredConsumer) -> ConsumerState:
    """The chain's record of one consumer as the rules' :class:`ConsumerState`."""
    chain = record.chain
    state = ConsumerState(
        consumer_id=chain.consumer_id or "",
        chain_id=chain.chain_id,
        owner_address=chain.owner,
        phase=chain.phase,
    )
    for key, cls in _STATE_FIELDS:
        setattr(state, key, _sub(cls, record.stored.get(key), key))
    return state


def consumer_state_from_rest(data: dict[str, Any], source: str = "consumer state") -> ConsumerState:
    """A saved ``GET /consumer_chain/{id}`` (v6+) answer into a :class:`ConsumerState`; ``source`` names it in
    errors."""
    return consumer_state(decode_stored_consumer(data, source))


def fetch_provider_facts(
    rest: JsonHttp,
    *,
    version: str,
    account_prefix: str = "cosmos",
    consumer_ids: Iterable[str] = (),
    job: Job = NO_JOB,
) -> ProviderFacts:
    """The facts at the provider's settled height (``facts.height``); ids that are not decimal are not asked
    for (never put into a URL): ``consumer_id_invalid`` reports them."""
    facts = ProviderFacts(version=ProviderVersion.parse(version), account_prefix=account_prefix)
    ids = [cid for cid in consumer_ids if parse_uint(cid) is not None]
    snapshot = read_provider_snapshot(rest, consumer_ids=ids, job=job)
    facts.height = snapshot.height
    facts.bond_denom = snapshot.staking.bond_denom
    facts.unbonding_period_ns = snapshot.staking.unbonding_time_ns
    facts.gov = snapshot.gov
    facts.provider_params = dict(snapshot.params.proto_json)
    facts.connection_chains = snapshot.connection_chains
    facts.max_validator_tokens = snapshot.max_bonded_tokens
    if not facts.version.permissionless:
        from ics_workbench.proposals.legacy_chain_ids import fetch_legacy_chains

        facts.legacy_chains = fetch_legacy_chains(pinned_http(rest, snapshot.height), job)
    facts.missing_consumers = dict(snapshot.missing_consumers)
    facts.consumers = {cid: consumer_state(record) for cid, record in snapshot.consumers.items()}
    return facts


def facts_from_connection(connection: Any, *, consumer_ids: Iterable[str] = (), job: Job = NO_JOB) -> ProviderFacts:
    """From the chain package's ``Connection`` (its REST client and detected ICS version)."""
    caps = connection.capabilities
    if not caps.has_provider:
        raise WorkbenchError(f"{connection.chain_id} is not an ICS provider")
    if connection.rest_http is None:
        raise WorkbenchError("the connection has no REST endpoint; proposals need the provider's REST API")
    version = caps.provider_version()  # exact, or a guess within the routes' family (never a default v7)
    prefix = connection.profile.account_prefix
    facts = fetch_provider_facts(
        connection.rest_http, version=str(version), account_prefix=prefix, consumer_ids=consumer_ids, job=job
    )
    facts.version = version
    facts.create_consumer_disabled = bool(getattr(caps, "create_consumer_disabled", False))
    facts.chain_id = str(getattr(connection, "chain_id", "") or "")
    return facts


def consumer_ids_in(messages: Iterable[Any]) -> list[str]:
    """The consumer ids a draft refers to, so only those are fetched."""
    ids = []
    for msg in messages:
        cid = str(getattr(msg, "consumer_id", "") or "")
        if parse_uint(cid) is not None and cid not in ids:
            ids.append(cid)
    return ids
