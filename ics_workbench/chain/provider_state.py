"""The provider state a governance draft is checked against, read from one block height.

A proposal check combines staking, gov and provider params, the IBC connections, the largest bonded stake and
each named consumer's stored record. Read at different heights, they can describe a chain that never existed
(an owner already changed, params already updated), so every read is pinned to one settled height and that
height travels with the result (:attr:`ProviderSnapshot.height`).

The reads work from a plain REST client, whatever the provider's version: a draft is checked against the
chain it names even when no RPC endpoint told the ICS version. Two kinds of rules need the chain's exact
stored values rather than decoded views, so those are kept verbatim beside the typed models: MsgUpdateParams
must carry every provider param (the template client included), and an update proposal is diffed against the
consumer's stored structures field by field.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict

from ics_workbench.chain import decode as d
from ics_workbench.chain.absent import route_absent
from ics_workbench.chain.detect import PROVIDER_PREFIX
from ics_workbench.chain.http import JsonHttp
from ics_workbench.chain.models import ConsumerChain, GovParams, ProviderParams, StakingParams
from ics_workbench.chain.pinned import PinnedHttp, settled_height
from ics_workbench.chain.provider import decode_chain_detail, decode_provider_params
from ics_workbench.chain.rest import RestClient, paginate
from ics_workbench.errors import EndpointError
from ics_workbench.tasks import NO_JOB, Job

log = logging.getLogger(__name__)

STORED_CONSUMER_FIELDS = (
    "metadata",
    "init_params",
    "power_shaping_params",
    "infraction_parameters",
    "allowlisted_reward_denoms",
)
"""The structures of ``/consumer_chain/{id}`` an update proposal replaces, kept as the chain answered them."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StoredProviderParams(_Frozen):
    typed: ProviderParams
    proto_json: dict[str, Any]
    """every field of ``params`` as the chain answered it (MsgUpdateParams replaces them all)"""


class StoredConsumer(_Frozen):
    """``/consumer_chain/{id}`` (ICS v6+): the typed entry plus the stored structures, verbatim."""

    chain: ConsumerChain
    stored: dict[str, dict[str, Any]]
    """:data:`STORED_CONSUMER_FIELDS` present in the answer -> their proto-JSON objects"""


class ProviderSnapshot(_Frozen):
    height: int | None
    """the block every read answered from; None when the node does not serve its latest block (then the reads
    were not pinned, see :data:`.pinned.UNPINNED_NOTE`)"""
    staking: StakingParams
    gov: GovParams
    params: StoredProviderParams
    connection_chains: dict[str, str] | None
    """IBC connection id -> the chain id of its Tendermint client ("" when unknown); None when not readable"""
    max_bonded_tokens: int | None
    """the largest stake of a bonded validator (0: none bonded); None when not readable"""
    consumers: dict[str, StoredConsumer]
    missing_consumers: dict[str, str]
    """consumer ids the provider has no record of -> its answer"""


def pinned_http(http: JsonHttp, height: int | None) -> JsonHttp:
    """``http`` with every GET answered from ``height`` (unchanged when None)."""
    return http if height is None else PinnedHttp(http, height)


def read_provider_snapshot(
    http: JsonHttp, *, consumer_ids: Iterable[str] = (), job: Job = NO_JOB
) -> ProviderSnapshot:
    """Every read a proposal check needs, at the REST node's settled height. ``consumer_ids`` must be decimal
    ids (they go into URLs); an id the provider does not know lands in ``missing_consumers``."""
    height = settled_height(RestClient(http), job=job)
    pinned = pinned_http(http, height)
    rest = RestClient(pinned)
    staking = rest.staking_params(job=job)
    gov = rest.gov_params(job=job)
    params = stored_provider_params(pinned, job=job)
    connections = connection_chains(pinned, job=job)
    max_tokens = max_bonded_tokens(rest, job=job)
    consumers: dict[str, StoredConsumer] = {}
    missing: dict[str, str] = {}
    for consumer_id in consumer_ids:
        job.check()
        try:
            consumers[consumer_id] = stored_consumer(pinned, consumer_id, job=job)
        except EndpointError as error:
            if not unknown_consumer(error):
                raise
            log.info("consumer %s not found: %s", consumer_id, error)
            missing[consumer_id] = str(error)
    return ProviderSnapshot(
        height=height,
        staking=staking,
        gov=gov,
        params=params,
        connection_chains=connections,
        max_bonded_tokens=max_tokens,
        consumers=consumers,
        missing_consumers=missing,
    )


def stored_provider_params(http: JsonHttp, *, job: Job = NO_JOB) -> StoredProviderParams:
    answer = http.fetch(f"{PROVIDER_PREFIX}/params", job=job)
    raw = d.obj(answer.data, "params", url=answer.url)
    return StoredProviderParams(typed=decode_provider_params(raw, answer.url), proto_json=raw)


def stored_consumer(http: JsonHttp, consumer_id: str, *, job: Job = NO_JOB) -> StoredConsumer:
    answer = http.fetch(f"{PROVIDER_PREFIX}/consumer_chain/{quote(consumer_id, safe='')}", job=job)
    return decode_stored_consumer(answer.data, answer.url)


def decode_stored_consumer(data: Any, url: str) -> StoredConsumer:
    """A ``/consumer_chain/{id}`` answer (or a saved copy of one: ``url`` then names the file)."""
    stored = {}
    for key in STORED_CONSUMER_FIELDS:
        value = d.obj(data, key, url=url, optional=True)
        if value:
            stored[key] = value
    return StoredConsumer(chain=decode_chain_detail(data, url), stored=stored)


def unknown_consumer(error: EndpointError) -> bool:
    """The provider has no such consumer: v6+ answers an unknown id with 400 (InvalidArgument), v4/v5 have no
    such route (404/501). A 500 is a node fault, not "absent"."""
    return error.kind == "http" and (route_absent(error) or error.status == 400)


_CONNECTION_NUMBER = re.compile(r"[0-9]{1,20}")


def connection_chains(http: JsonHttp, *, job: Job = NO_JOB) -> dict[str, str] | None:
    """Connection id -> chain id of its Tendermint client: a launch over an existing connection needs both.
    Only ``<prefix>-N`` ids are looked up (and quoted in the URL); others map to ""."""
    try:
        url, raw = paginate(http, "/ibc/core/connection/v1/connections", "connections", job=job)
    except EndpointError:
        return None
    out: dict[str, str] = {}
    for item in raw:
        conn_id = item.get("id") if isinstance(item, dict) else None
        conn_id = conn_id if isinstance(conn_id, str) else ""
        out[conn_id] = ""
        if _CONNECTION_NUMBER.fullmatch(conn_id.rpartition("-")[2]):
            job.check()
            out[conn_id] = _client_chain_id(http, conn_id, job)
    return out


def _client_chain_id(http: JsonHttp, conn_id: str, job: Job) -> str:
    path = f"/ibc/core/connection/v1/connections/{quote(conn_id, safe='')}/client_state"
    try:
        answer = http.fetch(path, job=job)
        identified = d.obj(answer.data, "identified_client_state", url=answer.url)
        client = d.obj(identified, "client_state", url=answer.url, where="identified_client_state")
        return d.text(client, "chain_id", url=answer.url, where="identified_client_state.client_state", default="")
    except EndpointError:
        return ""


def max_bonded_tokens(rest: RestClient, *, job: Job = NO_JOB) -> int | None:
    try:
        validators = rest.validators(bonded_only=True, job=job)
    except EndpointError:
        return None
    return max((v.tokens for v in validators), default=0)
