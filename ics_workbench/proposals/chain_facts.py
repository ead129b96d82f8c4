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
from ics_workbench.proposals.codec import (
    ProposalFormatError,
    decode,
    parse_proto_duration,
)
from ics_workbench.proposals.facts import ConsumerState, GovParams, ProviderFacts
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
    facts.height = _latest_height(rest, job)
    facts.connection_chains = _connection_chains(rest, job)
    facts.max_validator_tokens = _max_bonded_tokens(rest, job)
    if not facts.version.permissionless:
        from ics_workbench.proposals.legacy_chain_ids import fetch_legacy_chains

        facts.legacy_chains = fetch_legacy_chains(rest, job)
    for consumer_id in consumer_ids:
        job.check()
        if parse_uint(consumer_id) is None:
            continue  # not an id the chain could hold (and never put into a URL); consumer_id_invalid reports it
        try:
            data = rest.get_json(f"{PROVIDER}/consumer_chain/{consumer_id}", job=job)
        except EndpointError as exc:
            # v6+ answers an unknown consumer id with 400 (InvalidArgument); 500 is a node fault, not "absent".
            if exc.kind == "http" and (route_absent(exc) or exc.status == 400):
                log.info("consumer %s not found: %s", consumer_id, exc)
                facts.missing_consumers[consumer_id] = str(exc)
                continue
            raise
        facts.consumers[consumer_id] = consumer_state_from_rest(data)
        for key, cls in (("allowlisted_reward_denoms", AllowlistedRewardDenoms),):
            if isinstance(data.get(key), dict):
                facts.consumers[consumer_id].allowlisted_reward_denoms = _sub(cls, data[key], key)
    return facts


def _latest_height(rest: JsonHttp, job: Job) -> int | None:
    try:
        block = rest.get_json("/cosmos/base/tendermint/v1beta1/blocks/latest", job=job)
        return int(block["block"]["header"]["height"])
    except (EndpointError, KeyError, TypeError, ValueError):
        return None


def _connection_chains(rest: JsonHttp, job: Job) -> dict[str, str] | None:
    """Connection id -> chain id of its Tendermint client: a launch over an existing connection needs both."""
    try:
        data = rest.get_json("/ibc/core/connection/v1/connections", params={"pagination.limit": "200"}, job=job)
    except (EndpointError, TypeError):
        return None
    out: dict[str, str] = {}
    for conn in data.get("connections") or []:
        conn_id = str(conn.get("id", "")) if isinstance(conn, dict) else ""
        if parse_uint(conn_id.rpartition("-")[2]) is None:
            out[conn_id] = ""  # not a connection-N id: never put into a URL
            continue
        job.check()
        try:
            state = rest.get_json(f"/ibc/core/connection/v1/connections/{conn_id}/client_state", job=job)
            out[conn_id] = str(state["identified_client_state"]["client_state"].get("chain_id", ""))
        except (EndpointError, KeyError, TypeError, AttributeError):
            out[conn_id] = ""
    return out


def _max_bonded_tokens(rest: JsonHttp, job: Job) -> int | None:
    try:
        data = rest.get_json(
            "/cosmos/staking/v1beta1/validators",
            params={"status": "BOND_STATUS_BONDED", "pagination.limit": "1000"},
            job=job,
        )
        tokens = [int(v.get("tokens", "0")) for v in data.get("validators") or [] if isinstance(v, dict)]
    except (EndpointError, TypeError, ValueError):
        return None
    return max(tokens) if tokens else 0


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
