"""Fill :class:`ProviderFacts` from a live provider's REST API.

Raw proto-JSON is fetched here (not the chain package's decoded models) because two rules need the exact
on-chain values: MsgUpdateParams must carry ALL params (the template client included), and the update diff
compares the consumer's stored sub-structures field by field.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from ics_workbench.chain import decode as d
from ics_workbench.chain.absent import route_absent
from ics_workbench.chain.http import JsonHttp
from ics_workbench.chain.rest import RestClient
from ics_workbench.errors import EndpointError, WorkbenchError
from ics_workbench.proposals.codec import ProposalFormatError, decode, parse_proto_duration
from ics_workbench.proposals.facts import ConsumerState, GovParams, ProviderFacts
from ics_workbench.proposals.models import (
    ConsumerInitializationParameters,
    ConsumerMetadata,
    InfractionParameters,
    PowerShapingParameters,
)
from ics_workbench.proposals.versions import ProviderVersion
from ics_workbench.tasks import NO_JOB, Job

log = logging.getLogger(__name__)

PROVIDER = "/interchain_security/ccv/provider"


def fetch_gov_params(rest: JsonHttp, job: Job = NO_JOB) -> GovParams:
    return RestClient(rest).gov_params(job=job)


def _sub(cls: type, raw: Any, where: str) -> Any:
    if not raw:
        return None
    try:
        return decode(cls, raw, "proto", where, [])  # unknown keys (newer chain fields) are ignored here
    except ProposalFormatError as exc:
        raise WorkbenchError(f"consumer state from the chain does not decode: {exc}") from None


def consumer_state_from_rest(data: dict[str, Any]) -> ConsumerState:
    """``GET /consumer_chain/{id}`` (v6+) into a :class:`ConsumerState`."""
    return ConsumerState(
        consumer_id=str(data.get("consumer_id", "")),
        chain_id=str(data.get("chain_id", "")),
        owner_address=str(data.get("owner_address", "")),
        phase=str(data.get("phase", "")),
        metadata=_sub(ConsumerMetadata, data.get("metadata"), "metadata"),
        init_params=_sub(ConsumerInitializationParameters, data.get("init_params"), "init_params"),
        power_shaping_params=_sub(PowerShapingParameters, data.get("power_shaping_params"), "power_shaping_params"),
        infraction_parameters=_sub(InfractionParameters, data.get("infraction_parameters"), "infraction_parameters"),
    )


def fetch_provider_facts(
    rest: JsonHttp,
    *,
    version: str,
    account_prefix: str = "cosmos",
    consumer_ids: Iterable[str] = (),
    job: Job = NO_JOB,
) -> ProviderFacts:
    facts = ProviderFacts(version=ProviderVersion.parse(version), account_prefix=account_prefix)
    staking = rest.fetch("/cosmos/staking/v1beta1/params", job=job)
    sparams = d.obj(staking.data, "params", url=staking.url)  # a node's answer: type-checked, not trusted
    facts.bond_denom = str(sparams.get("bond_denom", ""))
    if sparams.get("unbonding_time"):
        facts.unbonding_period_ns = parse_proto_duration(sparams["unbonding_time"], "staking.params.unbonding_time")
    facts.gov = fetch_gov_params(rest, job)
    provider = rest.fetch(f"{PROVIDER}/params", job=job)
    facts.provider_params = d.obj(provider.data, "params", url=provider.url)
    if not facts.version.permissionless:
        from ics_workbench.proposals.legacy_chain_ids import fetch_legacy_chains

        facts.legacy_chains = fetch_legacy_chains(rest, job)
    for consumer_id in consumer_ids:
        job.check()
        try:
            data = rest.get_json(f"{PROVIDER}/consumer_chain/{consumer_id}", job=job)
        except EndpointError as exc:
            # v6+ answers an unknown consumer id with 400 (InvalidArgument); 500 is a node fault, not "absent".
            if exc.kind == "http" and (route_absent(exc) or exc.status == 400):
                log.info("consumer %s not found: %s", consumer_id, exc)
                continue
            raise
        facts.consumers[consumer_id] = consumer_state_from_rest(data)
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
    return facts


def consumer_ids_in(messages: Iterable[Any]) -> list[str]:
    """The consumer ids a draft refers to, so only those are fetched."""
    ids = []
    for msg in messages:
        cid = str(getattr(msg, "consumer_id", "") or "").strip()
        if cid.isdigit() and cid not in ids:
            ids.append(cid)
    return ids
