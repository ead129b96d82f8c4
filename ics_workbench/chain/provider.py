"""Version-aware client for the ICS provider module's REST queries (v4 to v7).

Callers pass a *consumer key*: the consumer id on v6+ and the chain id on v4/v5 (``ConsumerChain.key`` gives
the right one). The client chooses paths and decoders from the detected :class:`Capabilities`, so no caller
branches on the ICS version.
"""

from __future__ import annotations

from typing import Any, get_args
from urllib.parse import quote

from ics_workbench.chain import decode as d
from ics_workbench.chain.absent import route_absent
from ics_workbench.chain.detect import PROVIDER_PREFIX, Capabilities
from ics_workbench.chain.http import JsonHttp
from ics_workbench.chain.models import (
    ConsumerChain,
    ConsumerMetadata,
    ConsumerPhase,
    ConsumerValidator,
    InfractionParams,
    InitParams,
    KeyAssignment,
    PowerShaping,
    ProviderParams,
    SlashJail,
)
from ics_workbench.chain.rest import paginate
from ics_workbench.errors import EndpointError, WorkbenchError
from ics_workbench.foundation.phases import normalize_phase, proto_phase
from ics_workbench.tasks import NO_JOB, Job

PHASES: tuple[ConsumerPhase, ...] = get_args(ConsumerPhase)


class UnsupportedQuery(WorkbenchError):
    """The connected provider's ICS version has no such query."""


def _seg(value: str) -> str:
    return quote(value, safe="")


class ProviderClient:
    """Provider queries for one connection; build it only when ``capabilities.has_provider``."""

    def __init__(self, http: JsonHttp, capabilities: Capabilities) -> None:
        if not capabilities.has_provider or capabilities.keyed_by is None:
            raise ValueError("the node has no provider module")
        self.http = http
        self.capabilities = capabilities
        self.by_id = capabilities.keyed_by == "consumer_id"

    def _get(
        self, path: str, params: dict[str, Any] | None = None, *, height: int | None = None, job: Job
    ) -> tuple[str, Any]:
        answer = self.http.fetch(PROVIDER_PREFIX + path, params, height=height, job=job)
        return answer.url, answer.data

    def _need_v6(self, what: str) -> None:
        if not self.by_id:
            raise UnsupportedQuery(f"{what} needs ICS v6 or later (this provider is keyed by chain id)")

    # --- consumers -------------------------------------------------------------------------------------

    def consumer_chains(self, phase: ConsumerPhase | None = None, *, job: Job = NO_JOB) -> list[ConsumerChain]:
        """Every consumer (all pages); on v4/v5 also the passed-but-not-spawned and proposed chains."""
        if self.by_id:
            wanted = proto_phase(phase) if phase and phase != "UNSPECIFIED" else "0"
            url, raw = paginate(self.http, f"{PROVIDER_PREFIX}/consumer_chains/{wanted}", "chains", job=job)
            return [decode_chain(item, url, f"chains[{i}]") for i, item in enumerate(raw)]
        chains = self._legacy_chains(job)
        return [c for c in chains if phase in (None, "UNSPECIFIED") or c.phase == phase]

    def _legacy_chains(self, job: Job) -> list[ConsumerChain]:
        url, raw = paginate(self.http, f"{PROVIDER_PREFIX}/consumer_chains", "chains", job=job)
        chains = [decode_chain(item, url, f"chains[{i}]", legacy=True) for i, item in enumerate(raw)]
        known = {c.chain_id for c in chains}
        for fetch in (self._legacy_pending, self._legacy_proposed):
            for chain in fetch(job):
                if chain.chain_id not in known:
                    chains.append(chain)
                    known.add(chain.chain_id)
        return chains

    def _optional(self, path: str, job: Job) -> tuple[str, Any] | None:
        try:
            return self._get(path, job=job)
        except EndpointError as error:
            if route_absent(error):
                return None
            raise

    def _legacy_pending(self, job: Job) -> list[ConsumerChain]:
        got = self._optional("/consumer_chain_start_proposals", job)
        if got is None:
            return []
        url, data = got
        proposals = d.obj(data, "proposals", url=url, optional=True)
        result = []
        for i, prop in enumerate(d.lst(proposals, "pending", url=url, where="proposals")):
            where = f"proposals.pending[{i}]"
            init = decode_init_params(prop, url, where)
            result.append(
                ConsumerChain(
                    consumer_id=None,
                    chain_id=d.text(prop, "chain_id", url=url, where=where),
                    phase="INITIALIZED",
                    spawn_time=init.spawn_time,
                    init_params=init,
                    power_shaping=decode_power_shaping(prop, url, where),
                    metadata=ConsumerMetadata(
                        name=d.text(prop, "title", url=url, where=where, default=""),
                        description=d.text(prop, "description", url=url, where=where, default=""),
                    ),
                )
            )
        return result

    def _legacy_proposed(self, job: Job) -> list[ConsumerChain]:
        got = self._optional("/proposed_consumer_chains", job)
        if got is None:
            return []
        url, data = got
        result = []
        for i, item in enumerate(d.lst(data, "proposedChains", url=url)):
            where = f"proposedChains[{i}]"
            result.append(
                ConsumerChain(
                    consumer_id=None,
                    chain_id=d.text(item, "chainID", url=url, where=where),
                    phase="REGISTERED",
                    proposal_id=d.integer(item, "proposalID", url=url, where=where),
                )
            )
        return result

    def consumer_chain(self, key: str, *, job: Job = NO_JOB) -> ConsumerChain:
        """Full detail (owner, init params, infraction params); on v4/v5 the entry found by chain id."""
        if not self.by_id:
            for chain in self._legacy_chains(job):
                if chain.chain_id == key:
                    if chain.init_params is None and chain.phase == "LAUNCHED":
                        init = self._legacy_addition_init_params(key, job)
                        chain = chain.model_copy(update={"init_params": init}) if init else chain
                    return chain
            raise WorkbenchError(f"the provider knows no consumer chain {key!r}")
        url, data = self._get(f"/consumer_chain/{_seg(key)}", job=job)
        return decode_chain_detail(data, url)

    def _legacy_addition_init_params(self, chain_id: str, job: Job) -> InitParams | None:
        """v4/v5 list no parameters for a running chain; its initial height (the minimum evidence height) is in
        the latest passed addition proposal for it. None if gov has none (pages bounded)."""
        key: str | None = None
        for _ in range(_MAX_GOV_PAGES):
            params = {
                "proposal_status": "PROPOSAL_STATUS_PASSED",
                "pagination.limit": "100",
                "pagination.reverse": "true",
            }
            if key:
                params["pagination.key"] = key
            try:
                answer = self.http.fetch("/cosmos/gov/v1/proposals", params, job=job)
            except EndpointError as error:
                if route_absent(error):
                    return None
                raise
            data = answer.data if isinstance(answer.data, dict) else {}
            proposals = data.get("proposals")
            for i, proposal in enumerate(proposals if isinstance(proposals, list) else []):
                content = addition_content(proposal)
                if content is not None and content.get("chain_id") == chain_id:
                    return decode_init_params(content, answer.url, f"proposals[{i}].messages[].content")
            pagination = data.get("pagination")
            key = pagination.get("next_key") if isinstance(pagination, dict) else None
            if not key:
                return None
        return None

    def find_by_chain_id(self, chain_id: str, *, job: Job = NO_JOB) -> ConsumerChain | None:
        """The consumer entry for ``chain_id``, preferring a launched one (v6+ allows reused chain ids)."""
        matches = [c for c in self.consumer_chains(job=job) if c.chain_id == chain_id]
        if not matches:
            return None
        order = {"LAUNCHED": 0, "INITIALIZED": 1, "REGISTERED": 2, "STOPPED": 3, "DELETED": 4, "UNSPECIFIED": 5}
        best = min(matches, key=lambda c: (order[c.phase], -int(c.consumer_id or 0)))
        if self.by_id and best.consumer_id is not None:
            return merge_chain(best, self.consumer_chain(best.consumer_id, job=job))
        if not self.by_id and best.phase == "LAUNCHED":
            return self.consumer_chain(best.chain_id, job=job)  # with its addition's init params
        return best

    # --- validators and keys ----------------------------------------------------------------------------

    def consumer_validators(self, key: str, *, job: Job = NO_JOB) -> list[ConsumerValidator]:
        url, data = self._get(f"/consumer_validators/{_seg(key)}", job=job)
        return [
            decode_consumer_validator(v, url, f"validators[{i}]")
            for i, v in enumerate(d.lst(data, "validators", url=url))
        ]

    def opted_in(self, key: str, *, job: Job = NO_JOB) -> list[str]:
        """Provider valcons addresses of the validators opted in to the consumer."""
        url, data = self._get(f"/opted_in_validators/{_seg(key)}", job=job)
        return [str(a) for a in d.lst(data, "validators_provider_addresses", url=url)]

    def key_assignments(self, key: str, *, job: Job = NO_JOB) -> list[KeyAssignment]:
        if self.by_id:
            url, data = self._get(f"/address_pairs/{_seg(key)}", job=job)
        else:
            url, data = self._get("/consumer_chain_id", {"chain_id": key}, job=job)
        result = []
        for i, pair in enumerate(d.lst(data, "pair_val_con_addr", url=url)):
            where = f"pair_val_con_addr[{i}]"
            key_type, key_b64 = decode_tm_pubkey(
                pair.get("consumer_key") if isinstance(pair, dict) else None, url, where
            )
            result.append(
                KeyAssignment(
                    provider_address=d.text(pair, "provider_address", url=url, where=where),
                    consumer_address=d.text(pair, "consumer_address", url=url, where=where),
                    consumer_key_type=key_type,
                    consumer_key=key_b64,
                )
            )
        return result

    def validator_consumer_addr(self, key: str, provider_valcons: str, *, job: Job = NO_JOB) -> str | None:
        """The consumer valcons assigned to a provider validator, or None when it uses its provider key."""
        if self.by_id:
            url, data = self._get(f"/validator_consumer_addr/{_seg(key)}/{_seg(provider_valcons)}", job=job)
        else:
            url, data = self._get(
                "/validator_consumer_addr", {"chain_id": key, "provider_address": provider_valcons}, job=job
            )
        return d.text(data, "consumer_address", url=url, default="") or None

    def validator_provider_addr(
        self, key: str, consumer_valcons: str, *, height: int | None = None, job: Job = NO_JOB
    ) -> str:
        """The provider valcons behind a consumer key (itself when none is assigned); ``height`` asks the
        provider state at that past block, where a since replaced and pruned key still maps."""
        if self.by_id:
            path = f"/validator_provider_addr/{_seg(key)}/{_seg(consumer_valcons)}"
            url, data = self._get(path, height=height, job=job)
        else:
            params = {"chain_id": key, "consumer_address": consumer_valcons}
            url, data = self._get("/validator_provider_addr", params, height=height, job=job)
        # The provider answers an empty (or absent) address when no key is assigned: the validator then signs
        # with its provider key, so the consumer address IS the provider address (GetProviderAddrFromConsumerAddr).
        return d.text(data, "provider_address", url=url, default="") or consumer_valcons

    def has_to_validate(self, provider_valcons: str, *, job: Job = NO_JOB) -> list[str]:
        """Consumer keys (ids on v6+, chain ids on v4/v5) the validator must validate now."""
        url, data = self._get(f"/consumer_chains_per_validator/{_seg(provider_valcons)}", job=job)
        field = "consumer_ids" if self.by_id else "consumer_chain_ids"
        return [str(x) for x in d.lst(data, field, url=url)]

    def commission_rate(self, key: str, provider_valcons: str, *, job: Job = NO_JOB) -> str:
        url, data = self._get(f"/consumer_commission_rate/{_seg(key)}/{_seg(provider_valcons)}", job=job)
        return str(d.decimal(data, "rate", url=url))

    # --- module -------------------------------------------------------------------------------------

    def params(self, *, job: Job = NO_JOB) -> ProviderParams:
        url, data = self._get("/params", job=job)
        return decode_provider_params(d.obj(data, "params", url=url), url)

    def blocks_until_next_epoch(self, *, job: Job = NO_JOB) -> int:
        self._need_v6("blocks_until_next_epoch")
        url, data = self._get("/blocks_until_next_epoch", job=job)
        return d.integer(data, "blocks_until_next_epoch", url=url)


# --- decoders (the one place provider JSON becomes models) --------------------------------------------


def decode_provider_params(raw: dict[str, Any], url: str) -> ProviderParams:
    """The ``params`` object of ``/params`` (every ICS version: fields a release lacks stay empty)."""
    fee = raw.get("consumer_reward_denom_registration_fee") or {}

    def dur(key: str) -> Any:
        return d.duration_seconds(raw, key, url=url, where="params") if raw.get(key) else None

    def opt_int(key: str) -> int | None:
        return d.integer(raw, key, url=url, where="params") if raw.get(key) not in (None, "") else None

    return ProviderParams(
        trusting_period_fraction=str(raw.get("trusting_period_fraction") or ""),
        ccv_timeout_period_seconds=dur("ccv_timeout_period"),
        slash_meter_replenish_period_seconds=dur("slash_meter_replenish_period"),
        slash_meter_replenish_fraction=str(raw.get("slash_meter_replenish_fraction") or ""),
        consumer_reward_denom_registration_fee=(
            f"{fee.get('amount', '')}{fee.get('denom', '')}" if isinstance(fee, dict) else ""
        ),
        blocks_per_epoch=opt_int("blocks_per_epoch"),
        number_of_epochs_to_start_receiving_rewards=opt_int("number_of_epochs_to_start_receiving_rewards"),
        max_provider_consensus_validators=opt_int("max_provider_consensus_validators"),
    )


def decode_phase(value: Any, url: str, where: str) -> ConsumerPhase:
    name = normalize_phase(value)
    if name in PHASES:
        return name  # type: ignore[return-value]
    raise EndpointError(url, "shape", f"field '{where}.phase' is not a consumer phase: {str(value)[:60]!r}")


def decode_tm_pubkey(raw: Any, url: str, where: str) -> tuple[str, str]:
    """``{"ed25519": b64}`` (tendermint.crypto.PublicKey) -> ("ed25519", b64); absent -> ("", "")."""
    if not raw:
        return "", ""
    if not isinstance(raw, dict):
        raise EndpointError(url, "shape", f"field '{where}.consumer_key' is not a public key object")
    for key_type, value in raw.items():
        if value:
            return key_type, str(value)
    return "", ""


def _strings(raw: Any, key: str, url: str, where: str) -> tuple[str, ...]:
    return tuple(str(x) for x in d.lst(raw, key, url=url, where=where))


ADDITION_PROPOSAL = "interchain_security.ccv.provider.v1.ConsumerAdditionProposal"
_MAX_GOV_PAGES = 20


def addition_content(proposal: Any) -> dict[str, Any] | None:
    """The ConsumerAdditionProposal inside a gov v1 proposal (legacy content wrapped in MsgExecLegacyContent;
    SDK 0.47 shows gov v1beta1 proposals the same way), or None."""
    messages = proposal.get("messages") if isinstance(proposal, dict) else None
    for message in messages if isinstance(messages, list) else []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, dict) and str(content.get("@type", "")).lstrip("/") == ADDITION_PROPOSAL:
            return content
    return None


def decode_power_shaping(raw: Any, url: str, where: str) -> PowerShaping:
    return PowerShaping(
        top_n=d.integer(raw, "top_N", url=url, where=where, default=0),
        validators_power_cap=d.integer(raw, "validators_power_cap", url=url, where=where, default=0),
        validator_set_cap=d.integer(raw, "validator_set_cap", url=url, where=where, default=0),
        allowlist=_strings(raw, "allowlist", url, where),
        denylist=_strings(raw, "denylist", url, where),
        prioritylist=_strings(raw, "prioritylist", url, where),
        min_stake=d.integer(raw, "min_stake", url=url, where=where, default=0),
        allow_inactive_vals=d.boolean(raw, "allow_inactive_vals", url=url, where=where, default=False),
    )


def _spawn(raw: Any, url: str, where: str) -> Any:
    value = d.timestamp(raw, "spawn_time", url=url, where=where, default=None)
    return None if value is None or value.year <= 1 else value


def decode_init_params(raw: Any, url: str, where: str) -> InitParams:
    height = raw.get("initial_height") if isinstance(raw, dict) else None
    height = height if isinstance(height, dict) else {}

    def dur(key: str) -> Any:
        return d.duration_seconds(raw, key, url=url, where=where, default=None)

    return InitParams(
        initial_height_revision_number=d.integer(
            height, "revision_number", url=url, where=f"{where}.initial_height", default=0
        ),
        initial_height_revision_height=d.integer(
            height, "revision_height", url=url, where=f"{where}.initial_height", default=0
        ),
        genesis_hash=d.text(raw, "genesis_hash", url=url, where=where, default=""),
        binary_hash=d.text(raw, "binary_hash", url=url, where=where, default=""),
        spawn_time=_spawn(raw, url, where),
        unbonding_period_seconds=dur("unbonding_period"),
        ccv_timeout_period_seconds=dur("ccv_timeout_period"),
        transfer_timeout_period_seconds=dur("transfer_timeout_period"),
        consumer_redistribution_fraction=d.text(
            raw, "consumer_redistribution_fraction", url=url, where=where, default=""
        ),
        blocks_per_distribution_transmission=d.integer(
            raw, "blocks_per_distribution_transmission", url=url, where=where, default=0
        ),
        historical_entries=d.integer(raw, "historical_entries", url=url, where=where, default=0),
        distribution_transmission_channel=d.text(
            raw, "distribution_transmission_channel", url=url, where=where, default=""
        ),
        connection_id=d.text(raw, "connection_id", url=url, where=where, default=""),
    )


def decode_infraction(raw: Any, url: str, where: str) -> InfractionParams | None:
    if not isinstance(raw, dict) or not raw:
        return None

    def one(key: str) -> SlashJail | None:
        part = raw.get(key)
        if not isinstance(part, dict) or not part:
            return None
        at = f"{where}.{key}"
        return SlashJail(
            slash_fraction=d.decimal(part, "slash_fraction", url=url, where=at),
            jail_duration_seconds=d.duration_seconds(part, "jail_duration", url=url, where=at),
            tombstone=d.boolean(part, "tombstone", url=url, where=at, default=False),
        )

    return InfractionParams(double_sign=one("double_sign"), downtime=one("downtime"))


def decode_metadata(raw: Any, url: str, where: str) -> ConsumerMetadata:
    meta = d.obj(raw, "metadata", url=url, where=where, optional=True)
    return ConsumerMetadata(
        name=d.text(meta, "name", url=url, where=f"{where}.metadata", default=""),
        description=d.text(meta, "description", url=url, where=f"{where}.metadata", default=""),
        metadata=d.text(meta, "metadata", url=url, where=f"{where}.metadata", default=""),
    )


def decode_chain(raw: Any, url: str, where: str, *, legacy: bool = False) -> ConsumerChain:
    """One entry of ``/consumer_chains`` (v6+ ``Chain``, or the v4/v5 chain-id entry)."""
    denoms = d.obj(raw, "allowlisted_reward_denoms", url=url, where=where, optional=True)
    return ConsumerChain(
        consumer_id=None if legacy else d.text(raw, "consumer_id", url=url, where=where),
        chain_id=d.text(raw, "chain_id", url=url, where=where),
        phase="LAUNCHED" if legacy else decode_phase(d.get(raw, "phase", url=url, where=where), url, where),
        client_id=d.text(raw, "client_id", url=url, where=where, default=""),
        min_power_in_top_n=d.integer(raw, "min_power_in_top_N", url=url, where=where, default=-1),
        power_shaping=decode_power_shaping(raw, url, where),
        metadata=ConsumerMetadata() if legacy else decode_metadata(raw, url, where),
        infraction_parameters=decode_infraction(
            raw.get("infraction_parameters"), url, f"{where}.infraction_parameters"
        ),
        allowlisted_reward_denoms=_strings(denoms, "denoms", url, f"{where}.allowlisted_reward_denoms"),
    )


def decode_chain_detail(raw: Any, url: str) -> ConsumerChain:
    """``/consumer_chain/{id}`` (v6+): owner, init params, power shaping, infraction params."""
    init_raw = d.obj(raw, "init_params", url=url, optional=True)
    init = decode_init_params(init_raw, url, "init_params") if init_raw else None
    shaping = d.obj(raw, "power_shaping_params", url=url, optional=True)
    return ConsumerChain(
        consumer_id=d.text(raw, "consumer_id", url=url),
        chain_id=d.text(raw, "chain_id", url=url),
        phase=decode_phase(d.get(raw, "phase", url=url), url, "consumer_chain"),
        client_id=d.text(raw, "client_id", url=url, default=""),
        owner=d.text(raw, "owner_address", url=url, default=""),
        spawn_time=init.spawn_time if init else None,
        metadata=decode_metadata(raw, url, "consumer_chain"),
        init_params=init,
        power_shaping=decode_power_shaping(shaping, url, "power_shaping_params"),
        infraction_parameters=decode_infraction(raw.get("infraction_parameters"), url, "infraction_parameters"),
    )


def merge_chain(listed: ConsumerChain, detail: ConsumerChain) -> ConsumerChain:
    """The list entry (min power in top N, reward denoms) completed by the detail query (owner, spawn time)."""
    return listed.model_copy(
        update={
            "owner": detail.owner,
            "spawn_time": detail.spawn_time,
            "init_params": detail.init_params,
            "metadata": detail.metadata,
            "power_shaping": detail.power_shaping,
            "infraction_parameters": detail.infraction_parameters or listed.infraction_parameters,
            "client_id": detail.client_id or listed.client_id,
            "phase": detail.phase,
        }
    )


def decode_consumer_validator(raw: Any, url: str, where: str) -> ConsumerValidator:
    key_type, key_b64 = decode_tm_pubkey(raw.get("consumer_key") if isinstance(raw, dict) else None, url, where)
    description = d.obj(raw, "description", url=url, where=where, optional=True)

    def opt_dec(key: str) -> Any:
        return d.decimal(raw, key, url=url, where=where) if raw.get(key) not in (None, "") else None

    def opt_int(key: str) -> int | None:
        return d.integer(raw, key, url=url, where=where) if raw.get(key) not in (None, "") else None

    consumer_power = opt_int("consumer_power")
    return ConsumerValidator(
        provider_address=d.text(raw, "provider_address", url=url, where=where),
        consumer_key_type=key_type,
        consumer_key=key_b64,
        power=consumer_power
        if consumer_power is not None
        else d.integer(raw, "power", url=url, where=where, default=0),
        consumer_commission_rate=opt_dec("consumer_commission_rate"),
        provider_commission_rate=opt_dec("provider_commission_rate"),
        moniker=d.text(description, "moniker", url=url, where=f"{where}.description", default=""),
        provider_operator_address=d.text(raw, "provider_operator_address", url=url, where=where, default=""),
        jailed=raw.get("jailed") if isinstance(raw.get("jailed"), bool) else None,
        status=d.text(raw, "status", url=url, where=where, default=""),
        provider_tokens=opt_int("provider_tokens"),
        provider_power=opt_int("provider_power"),
        validates_current_epoch=raw.get("validates_current_epoch")
        if isinstance(raw.get("validates_current_epoch"), bool)
        else None,
    )
