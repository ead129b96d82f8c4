"""The one place chain-client models become the simulator's inputs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ics_workbench.chain import models as chain
from ics_workbench.validators.models import (
    ConsumerInput,
    KeyAssignment,
    PowerShapingParams,
    ProviderSnapshot,
    ProviderValidator,
)

BONDED = "BOND_STATUS_BONDED"


def provider_validator(v: chain.Validator) -> ProviderValidator:
    return ProviderValidator(
        operator=v.operator_address,
        # a consensus key type without a known address derivation cannot be matched to lists or keys anyway;
        # its operator address still identifies it uniquely in the simulation
        valcons=v.consensus_address or v.operator_address,
        power=v.power,
        tokens=v.tokens,
        bonded=v.status == BONDED,
        jailed=v.jailed,
        moniker=v.moniker,
        consensus_pubkey=v.consensus_pubkey,
        commission_rate=str(v.commission.rate),
    )


def power_shaping(ps: chain.PowerShaping) -> PowerShapingParams:
    return PowerShapingParams(
        top_n=ps.top_n,
        validators_power_cap=ps.validators_power_cap,
        validator_set_cap=ps.validator_set_cap,
        allowlist=tuple(ps.allowlist),
        denylist=tuple(ps.denylist),
        min_stake=ps.min_stake,
        allow_inactive_vals=ps.allow_inactive_vals,
        prioritylist=tuple(ps.prioritylist),
    )


def snapshot(
    validators: Iterable[chain.Validator],
    params: chain.ProviderParams | None,
    blocks_until_next_epoch: int | None = None,
) -> ProviderSnapshot:
    """Provider validators (any status: only bonded, unjailed ones are simulated) plus the provider's
    ``max_provider_consensus_validators``."""
    vals = tuple(provider_validator(v) for v in validators)
    limit = params.max_provider_consensus_validators if params is not None else None
    if not limit:  # before ICS v6 there is no such cap: every bonded validator is active
        limit = max(len(vals), 1)
    return ProviderSnapshot(
        vals, max_provider_consensus_validators=limit, blocks_until_next_epoch=blocks_until_next_epoch
    )


def key_assignment(k: chain.KeyAssignment) -> KeyAssignment:
    return KeyAssignment(
        provider_valcons=k.provider_address, consumer_valcons=k.consumer_address, consumer_pubkey=k.consumer_key
    )


def consumer_input(
    c: chain.ConsumerChain, opted_in: Sequence[str], keys: Sequence[chain.KeyAssignment] = ()
) -> ConsumerInput:
    return ConsumerInput(
        consumer_id=c.key,
        chain_id=c.chain_id,
        params=power_shaping(c.power_shaping),
        opted_in=frozenset(opted_in),
        key_assignments=tuple(key_assignment(k) for k in keys),
        name=c.metadata.name,
        phase=c.phase,
        spawn_time=c.spawn_time,
    )
