"""Cosmos SDK REST (gRPC-gateway) client for node_info, staking, gov and slashing.

List queries are followed through every ``pagination.next_key``: a partial validator set would silently
give wrong power shares and overlaps, and a server that repeats a key would loop forever, so that is an error.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from ics_workbench.addresses import consensus_address, encode_address
from ics_workbench.chain import decode as d
from ics_workbench.chain.http import JsonHttp
from ics_workbench.chain.models import (
    BuildDep,
    Coin,
    Commission,
    GovParams,
    NodeInfo,
    SigningInfo,
    SlashingParams,
    StakingParams,
    Validator,
)
from ics_workbench.errors import EndpointError
from ics_workbench.netlimits import limits
from ics_workbench.tasks import NO_JOB, Job
from ics_workbench.untrusted_text import visible

PAGE_SIZE = 200
POWER_REDUCTION = 10**6
"""sdk.DefaultPowerReduction: consensus power = tokens / 10^6."""
BONDED = "BOND_STATUS_BONDED"


def paginate(
    http: JsonHttp,
    path: str,
    items_key: str,
    params: dict[str, Any] | None = None,
    *,
    page_size: int = PAGE_SIZE,
    height: int | None = None,
    job: Job = NO_JOB,
) -> tuple[str, list[Any]]:
    """(URL that answered, all items under ``items_key``) across every page; ``height`` pins every page to
    the state at that block (archive endpoints first)."""
    items: list[Any] = []
    key: str | None = None
    seen: set[str] = set()
    pages_seen: set[int] = set()
    url = http.endpoints[0].base + path
    max_pages = limits().max_pages
    for _ in range(max_pages):
        query = dict(params or {})
        query["pagination.limit"] = str(page_size)
        if key:
            query["pagination.key"] = key
        answer = http.fetch(path, query, height=height, job=job)
        url = answer.url
        page = d.lst(answer.data, items_key, url=url)
        items.extend(page)
        pagination = answer.data.get("pagination") if isinstance(answer.data, dict) else None
        key = pagination.get("next_key") if isinstance(pagination, dict) else None
        if not key:
            return url, items
        if not isinstance(key, str):
            raise EndpointError(url, "shape", f"field 'pagination.next_key' is not a string: {visible(repr(key))}")
        if key in seen:
            raise EndpointError(url, "shape", f"pagination repeats next_key {visible(repr(key))}; the list would never "
                                              "end")
        # A node can hand out a fresh next_key with the same page every time: repeated content is a loop too.
        fingerprint = hash(json.dumps(page, sort_keys=True, default=str))
        if fingerprint in pages_seen:
            raise EndpointError(url, "limit", "pagination returns the same page again with a new next_key; the list "
                                              "would never end")
        seen.add(key)
        pages_seen.add(fingerprint)
        job.check()
    raise EndpointError(url, "limit", f"more than the {max_pages}-page limit; giving up")


class RestClient:
    """The SDK modules every chain has (node_info, gov) and the provider's (staking, slashing)."""

    def __init__(self, http: JsonHttp, *, valcons_prefix: str = "cosmosvalcons") -> None:
        self.http = http
        self.valcons_prefix = valcons_prefix

    def node_info(self, *, job: Job = NO_JOB) -> NodeInfo:
        answer = self.http.fetch("/cosmos/base/tendermint/v1beta1/node_info", job=job)
        return decode_node_info(answer.data, answer.url)

    def latest_head(self, *, job: Job = NO_JOB) -> tuple[str, int, datetime]:
        """(chain id, height, time) of the newest block this REST node has: how stale its answers are."""
        answer = self.http.fetch("/cosmos/base/tendermint/v1beta1/blocks/latest", job=job)
        block = d.obj(answer.data, "block", url=answer.url)
        header = d.obj(block, "header", url=answer.url, where="block")
        where = "block.header"
        return (
            d.text(header, "chain_id", url=answer.url, where=where),
            d.integer(header, "height", url=answer.url, where=where),
            d.timestamp(header, "time", url=answer.url, where=where),
        )

    def block_time(self, height: int, *, job: Job = NO_JOB) -> datetime:
        """Header time of block ``height``; archive endpoints first, since other nodes prune old blocks."""
        answer = self.http.fetch(f"/cosmos/base/tendermint/v1beta1/blocks/{height}", archive=True, job=job)
        block = d.obj(answer.data, "block", url=answer.url)
        header = d.obj(block, "header", url=answer.url, where="block")
        return d.timestamp(header, "time", url=answer.url, where="block.header")

    def validators(
        self, *, bonded_only: bool = True, height: int | None = None, job: Job = NO_JOB
    ) -> list[Validator]:
        """Staking validators (bonded set by default), sorted by power; ``share`` is of their total power.
        ``height`` asks the state at that past block."""
        params = {"status": BONDED} if bonded_only else {}
        url, raw = paginate(
            self.http, "/cosmos/staking/v1beta1/validators", "validators", params, height=height, job=job
        )
        return decode_validators(raw, url, self.valcons_prefix)

    def gov_params(self, *, job: Job = NO_JOB) -> GovParams:
        """gov v1 params: the combined ``params`` (SDK 0.47+) or the three legacy parts merged."""
        answer = self.http.fetch("/cosmos/gov/v1/params/tallying", job=job)
        combined = answer.data.get("params") if isinstance(answer.data, dict) else None
        if isinstance(combined, dict) and combined:
            return decode_gov_params(combined, answer.url)
        merged: dict[str, Any] = {}
        for kind, key in (("deposit", "deposit_params"), ("voting", "voting_params"), ("tallying", "tally_params")):
            part = answer if kind == "tallying" else self.http.fetch(f"/cosmos/gov/v1/params/{kind}", job=job)
            merged.update(d.obj(part.data, key, url=part.url))
        return decode_gov_params(merged, answer.url)

    def staking_params(self, *, job: Job = NO_JOB) -> StakingParams:
        answer = self.http.fetch("/cosmos/staking/v1beta1/params", job=job)
        raw = d.obj(answer.data, "params", url=answer.url)
        return StakingParams(
            bond_denom=d.text(raw, "bond_denom", url=answer.url, where="params", default=""),
            unbonding_time_ns=d.duration_ns(raw, "unbonding_time", url=answer.url, where="params")
            if raw.get("unbonding_time")
            else None,
        )

    def slashing_params(self, *, job: Job = NO_JOB) -> SlashingParams:
        answer = self.http.fetch("/cosmos/slashing/v1beta1/params", job=job)
        raw = d.obj(answer.data, "params", url=answer.url)
        url = answer.url
        return SlashingParams(
            signed_blocks_window=d.integer(raw, "signed_blocks_window", url=url, where="params"),
            min_signed_per_window=_dec_or_b64(raw, "min_signed_per_window", url),
            downtime_jail_duration_seconds=d.duration_seconds(raw, "downtime_jail_duration", url=url, where="params"),
            slash_fraction_double_sign=_dec_or_b64(raw, "slash_fraction_double_sign", url),
            slash_fraction_downtime=_dec_or_b64(raw, "slash_fraction_downtime", url),
        )

    def signing_infos(self, *, job: Job = NO_JOB) -> list[SigningInfo]:
        url, raw = paginate(self.http, "/cosmos/slashing/v1beta1/signing_infos", "info", job=job)
        return [decode_signing_info(item, url, f"info[{i}]") for i, item in enumerate(raw)]

    def signing_info(self, valcons: str, *, height: int | None = None, job: Job = NO_JOB) -> SigningInfo:
        answer = self.http.fetch(f"/cosmos/slashing/v1beta1/signing_infos/{valcons}", height=height, job=job)
        return decode_signing_info(
            d.obj(answer.data, "val_signing_info", url=answer.url), answer.url, "val_signing_info"
        )


def _dec_or_b64(raw: dict[str, Any], key: str, url: str) -> Decimal:
    """A few SDK versions emit LegacyDec params as base64 of the 18-decimal integer string."""
    value = d.get(raw, key, url=url, where="params")
    try:
        return d.decimal(raw, key, url=url, where="params")
    except EndpointError:
        try:
            digits = base64.b64decode(value, validate=True).decode()
            return Decimal(int(digits)) / Decimal(10**18)
        except (ValueError, TypeError):
            raise EndpointError(url, "shape", f"field 'params.{key}' is not a decimal: {str(value)[:60]!r}") from None


def decode_node_info(data: Any, url: str) -> NodeInfo:
    node = d.obj(data, "default_node_info", url=url)
    app = d.obj(data, "application_version", url=url)
    deps = []
    for i, dep in enumerate(d.lst(app, "build_deps", url=url, where="application_version")):
        where = f"application_version.build_deps[{i}]"
        version = d.text(dep, "version", url=url, where=where, default="")
        if "=>" in version:  # "v1.2.3 => other/module v1.2.4": the replacement is what was built
            version = version.split("=>")[-1].split()[-1]
        deps.append(BuildDep(path=d.text(dep, "path", url=url, where=where), version=version))
    return NodeInfo(
        chain_id=d.text(node, "network", url=url, where="default_node_info"),
        moniker=d.text(node, "moniker", url=url, where="default_node_info", default=""),
        comet_version=d.text(node, "version", url=url, where="default_node_info", default=""),
        app_name=d.text(app, "name", url=url, where="application_version", default=""),
        binary_name=d.text(app, "app_name", url=url, where="application_version", default=""),
        app_version=d.text(app, "version", url=url, where="application_version", default=""),
        sdk_version=d.text(app, "cosmos_sdk_version", url=url, where="application_version", default=""),
        go_version=d.text(app, "go_version", url=url, where="application_version", default=""),
        git_commit=d.text(app, "git_commit", url=url, where="application_version", default=""),
        build_deps=tuple(deps),
    )


def decode_validators(raw: list[Any], url: str, valcons_prefix: str) -> list[Validator]:
    """Decode, compute power and share over the listed validators, sort by power (highest first)."""
    rows: list[dict[str, Any]] = []
    for i, item in enumerate(raw):
        where = f"validators[{i}]"
        key = d.obj(item, "consensus_pubkey", url=url, where=where)
        key_type = d.text(key, "@type", url=url, where=f"{where}.consensus_pubkey")
        key_b64 = d.text(key, "key", url=url, where=f"{where}.consensus_pubkey")
        key_bytes = d.b64(key, "key", url=url, where=f"{where}.consensus_pubkey")
        address = consensus_address(key_type, key_bytes)
        description = d.obj(item, "description", url=url, where=where, optional=True)
        commission = d.obj(item, "commission", url=url, where=where)
        rates = d.obj(commission, "commission_rates", url=url, where=f"{where}.commission")
        tokens = d.integer(item, "tokens", url=url, where=where)
        rows.append(
            {
                "moniker": d.text(description, "moniker", url=url, where=f"{where}.description", default=""),
                "identity": d.text(description, "identity", url=url, where=f"{where}.description", default=""),
                "website": d.text(description, "website", url=url, where=f"{where}.description", default=""),
                "details": d.text(description, "details", url=url, where=f"{where}.description", default=""),
                "operator_address": d.text(item, "operator_address", url=url, where=where),
                "consensus_pubkey_type": key_type,
                "consensus_pubkey": key_b64,
                "consensus_address": encode_address(address, valcons_prefix) if address else None,
                "consensus_hex": address.hex().upper() if address else None,
                "tokens": tokens,
                "power": tokens // POWER_REDUCTION,
                "jailed": d.boolean(item, "jailed", url=url, where=where, default=False),
                "status": d.text(item, "status", url=url, where=where),
                "commission": Commission(
                    rate=d.decimal(rates, "rate", url=url, where=f"{where}.commission.commission_rates"),
                    max_rate=d.decimal(rates, "max_rate", url=url, where=f"{where}.commission.commission_rates"),
                    max_change_rate=d.decimal(
                        rates, "max_change_rate", url=url, where=f"{where}.commission.commission_rates"
                    ),
                ),
            }
        )
    total = sum(r["power"] for r in rows)
    validators = [Validator(share=(r["power"] / total if total else 0.0), **r) for r in rows]
    return sorted(validators, key=lambda v: (-v.tokens, v.operator_address))


def decode_gov_params(raw: dict[str, Any], url: str) -> GovParams:
    def coins(key: str) -> tuple[Coin, ...]:
        return tuple(
            Coin(
                denom=d.text(c, "denom", url=url, where=f"params.{key}[{i}]"),
                amount=d.integer(c, "amount", url=url, where=f"params.{key}[{i}]"),
            )
            for i, c in enumerate(d.lst(raw, key, url=url, where="params"))
        )

    def optional_decimal(key: str) -> Decimal | None:
        return d.decimal(raw, key, url=url, where="params") if raw.get(key) not in (None, "") else None

    expedited = raw.get("expedited_voting_period")
    return GovParams(
        min_deposit=coins("min_deposit"),
        max_deposit_period_seconds=d.duration_seconds(raw, "max_deposit_period", url=url, where="params"),
        voting_period_seconds=d.duration_seconds(raw, "voting_period", url=url, where="params"),
        quorum=d.decimal(raw, "quorum", url=url, where="params"),
        threshold=d.decimal(raw, "threshold", url=url, where="params"),
        veto_threshold=d.decimal(raw, "veto_threshold", url=url, where="params"),
        expedited_voting_period_seconds=(
            d.duration_seconds(raw, "expedited_voting_period", url=url, where="params") if expedited else None
        ),
        expedited_threshold=optional_decimal("expedited_threshold"),
        expedited_min_deposit=coins("expedited_min_deposit"),
        min_initial_deposit_ratio=optional_decimal("min_initial_deposit_ratio"),
        min_deposit_ratio=optional_decimal("min_deposit_ratio"),
    )


def decode_signing_info(raw: Any, url: str, where: str) -> SigningInfo:
    jailed = raw.get("jailed_until") if isinstance(raw, dict) else None
    return SigningInfo(
        address=d.text(raw, "address", url=url, where=where),
        start_height=d.integer(raw, "start_height", url=url, where=where, default=0),
        index_offset=d.integer(raw, "index_offset", url=url, where=where, default=0),
        jailed_until=d.timestamp(raw, "jailed_until", url=url, where=where)
        if jailed and not str(jailed).startswith("1970-01-01")
        else None,
        tombstoned=d.boolean(raw, "tombstoned", url=url, where=where, default=False),
        missed_blocks_counter=d.integer(raw, "missed_blocks_counter", url=url, where=where, default=0),
    )
