"""Chain-client models become simulator inputs without losing what the keeper reads."""

from __future__ import annotations

from decimal import Decimal

from ics_workbench.chain import models as chain
from ics_workbench.validators import adapters
from tests.validators.factories import validator

SOURCE = validator(3, 42)


def chain_validator(status: str = "BOND_STATUS_BONDED", jailed: bool = False) -> chain.Validator:
    return chain.Validator(
        moniker="val3", operator_address=SOURCE.operator, consensus_pubkey_type="/cosmos.crypto.ed25519.PubKey",
        consensus_pubkey=SOURCE.consensus_pubkey, consensus_address=SOURCE.valcons, consensus_hex=None,
        tokens=42_000_123, power=42, share=1.0, jailed=jailed, status=status,
        commission=chain.Commission(rate=Decimal("0.05"), max_rate=Decimal("1"), max_change_rate=Decimal("0.1")),
    )


def test_validator_fields_and_status() -> None:
    v = adapters.provider_validator(chain_validator())
    assert (v.operator, v.valcons, v.power, v.tokens, v.bonded, v.jailed) == (
        SOURCE.operator, SOURCE.valcons, 42, 42_000_123, True, False)
    assert v.commission_rate == "0.05" and v.consensus_pubkey == SOURCE.consensus_pubkey
    assert not adapters.provider_validator(chain_validator("BOND_STATUS_UNBONDING")).bonded


def test_snapshot_takes_the_consensus_cap_or_every_bonded_validator_before_v6() -> None:
    vals = [chain_validator()]
    with_cap = adapters.snapshot(vals, chain.ProviderParams(max_provider_consensus_validators=180), 7)
    assert with_cap.max_provider_consensus_validators == 180 and with_cap.blocks_until_next_epoch == 7
    assert adapters.snapshot(vals, chain.ProviderParams(), None).max_provider_consensus_validators == 1
    assert adapters.snapshot(vals, None).max_provider_consensus_validators == 1


def test_consumer_input_keeps_params_opt_ins_and_keys() -> None:
    c = chain.ConsumerChain(
        consumer_id="4", chain_id="pion-1", phase="LAUNCHED",
        power_shaping=chain.PowerShaping(top_n=95, validators_power_cap=10, validator_set_cap=3,
                                         allowlist=("a",), denylist=("b",), prioritylist=("c",), min_stake=5,
                                         allow_inactive_vals=True),
        metadata=chain.ConsumerMetadata(name="Pion"),
    )
    keys = [chain.KeyAssignment(provider_address=SOURCE.valcons, consumer_address="consumervalcons1x",
                                consumer_key_type="ed25519", consumer_key="KEY=")]
    ci = adapters.consumer_input(c, [SOURCE.valcons], keys)
    assert (ci.consumer_id, ci.chain_id, ci.name, ci.phase) == ("4", "pion-1", "Pion", "LAUNCHED")
    p = ci.params
    assert (p.top_n, p.validators_power_cap, p.validator_set_cap, p.min_stake, p.allow_inactive_vals) == (
        95, 10, 3, 5, True)
    assert (p.allowlist, p.denylist, p.prioritylist) == (("a",), ("b",), ("c",))
    assert ci.opted_in == {SOURCE.valcons}
    assert ci.key_assignments[0].consumer_pubkey == "KEY="
