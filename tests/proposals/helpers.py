"""Valid starting points for the rule tests: each builder returns a draft with no problem at all, so a test
that mutates one field and sees exactly the expected rule proves both the passing and the failing case."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from ics_workbench.addresses import encode_address, module_address
from ics_workbench.foundation.coins import Coin
from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.facts import ConsumerState, GovParams, ProviderFacts
from ics_workbench.proposals.models import (
    DAY_NS,
    NS,
    AllowlistedRewardDenoms,
    ChangeRewardDenomsProposal,
    ConsumerAdditionProposal,
    ConsumerInitializationParameters,
    ConsumerMetadata,
    ConsumerModificationProposal,
    ConsumerRemovalProposal,
    Height,
    InfractionParameters,
    MsgChangeRewardDenoms,
    MsgConsumerAddition,
    MsgConsumerModification,
    MsgConsumerRemoval,
    MsgCreateConsumer,
    MsgRemoveConsumer,
    MsgSubmitConsumerDoubleVoting,
    MsgSubmitConsumerMisbehaviour,
    MsgUpdateConsumer,
    MsgUpdateParams,
    PowerShapingParameters,
    SlashJailParameters,
)
from ics_workbench.proposals.versions import ProviderVersion

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
GOV = module_address("gov", "cosmos")
ALICE = encode_address(hashlib.sha256(b"alice").digest()[:20], "cosmos")
STRIDE_MULTISIG_ON_STRIDE = encode_address(hashlib.sha256(b"multisig").digest()[:20], "stride")
STRIDE_MULTISIG_ON_HUB = encode_address(hashlib.sha256(b"multisig").digest()[:20], "cosmos")


def valcons(seed: str, prefix: str = "cosmosvalcons") -> str:
    return encode_address(hashlib.sha256(seed.encode()).digest()[:20], prefix)


def facts(version: str = "v7.0.0", **consumers: ConsumerState) -> ProviderFacts:
    f = ProviderFacts(
        version=ProviderVersion.parse(version),
        bond_denom="uatom",
        unbonding_period_ns=21 * DAY_NS,
        gov=GovParams(
            min_deposit=(Coin("uatom", 250000000),),
            expedited_min_deposit=(Coin("uatom", 500000000),),
            min_initial_deposit_ratio=Decimal("0.200000000000000000"),
            max_deposit_period_seconds=Decimal(172800),
            voting_period_seconds=Decimal(1209600),
            quorum=Decimal("0.4"),
            threshold=Decimal("0.5"),
            veto_threshold=Decimal("0.334"),
        ),
        now=NOW,
    )
    f.consumers.update({c.consumer_id: c for c in consumers.values()})
    return f


def init_params(chain_rev: int = 1) -> ConsumerInitializationParameters:
    return ConsumerInitializationParameters(
        initial_height=Height(revision_number=chain_rev, revision_height=1),
        genesis_hash=b"\x01" * 32,
        binary_hash=b"\x02" * 32,
        spawn_time=NOW + timedelta(days=14),
        unbonding_period=20 * DAY_NS,
        ccv_timeout_period=28 * DAY_NS,
        transfer_timeout_period=3600 * NS,
        consumer_redistribution_fraction="0.75",
        blocks_per_distribution_transmission=1000,
        historical_entries=10000,
        distribution_transmission_channel="",
        connection_id="",
    )


def full_power_shaping(**kw: object) -> PowerShapingParameters:
    base = dict(
        top_N=0, validators_power_cap=0, validator_set_cap=0, allowlist=[valcons("v1")], denylist=[],
        min_stake=0, allow_inactive_vals=False, prioritylist=[],
    )
    base.update(kw)
    return PowerShapingParameters(**base)


def envelope(*messages: object, **kw: object) -> ProposalDraft:
    draft = ProposalDraft(
        messages=list(messages),  # type: ignore[arg-type]
        title="A clear title",
        summary="What and why.",
        metadata="ipfs://bafy",
        deposit="250000000uatom",
        route="gov",
    )
    for key, value in kw.items():
        setattr(draft, key, value)
    return draft


def create_consumer_tx() -> ProposalDraft:
    msg = MsgCreateConsumer(
        submitter=ALICE,
        chain_id="mychain-1",
        metadata=ConsumerMetadata(name="My chain", description="A consumer", metadata='{"stage":"mainnet"}'),
        initialization_parameters=init_params(),
        power_shaping_parameters=full_power_shaping(),
        allowlisted_reward_denoms=AllowlistedRewardDenoms(denoms=["untrn", "ibc/" + "A" * 64]),
        infraction_parameters=InfractionParameters(
            double_sign=SlashJailParameters(slash_fraction="0.05", jail_duration=(1 << 63) - 1, tombstone=True),
            downtime=SlashJailParameters(slash_fraction="0", jail_duration=600 * NS, tombstone=False),
        ),
    )
    return ProposalDraft(messages=[msg], route="tx")


def launched_consumer(owner: str = GOV, top_n: int = 95, phase: str = "CONSUMER_PHASE_LAUNCHED") -> ConsumerState:
    return ConsumerState(
        consumer_id="1",
        chain_id="stride-1",
        owner_address=owner,
        phase=phase,
        metadata=ConsumerMetadata(name="Stride", description="liquid staking", metadata="{}"),
        init_params=init_params(),
        power_shaping_params=full_power_shaping(top_N=top_n, validators_power_cap=10, allowlist=[]),
    )


def update_top_n() -> ProposalDraft:
    msg = MsgUpdateConsumer(
        owner=GOV,
        consumer_id="1",
        power_shaping_parameters=full_power_shaping(top_N=95, allowlist=[], validators_power_cap=10),
    )
    return envelope(msg)


def remove_consumer() -> ProposalDraft:
    return envelope(MsgRemoveConsumer(owner=GOV, consumer_id="1"))


def addition_fields() -> dict[str, object]:
    ip = init_params()
    return dict(
        chain_id="mychain-1",
        initial_height=ip.initial_height,
        genesis_hash=ip.genesis_hash,
        binary_hash=ip.binary_hash,
        spawn_time=ip.spawn_time,
        unbonding_period=ip.unbonding_period,
        ccv_timeout_period=ip.ccv_timeout_period,
        transfer_timeout_period=ip.transfer_timeout_period,
        consumer_redistribution_fraction="0.75",
        blocks_per_distribution_transmission=1000,
        historical_entries=10000,
        distribution_transmission_channel="",
        top_N=95,
        validators_power_cap=0,
        validator_set_cap=0,
        allowlist=[],
        denylist=[valcons("bad")],
    )


def msg_consumer_addition() -> ProposalDraft:
    return envelope(MsgConsumerAddition(authority=GOV, **addition_fields()))


def legacy_addition() -> ProposalDraft:
    return envelope(ConsumerAdditionProposal(title="Add mychain", description="Adds it", **addition_fields()))


def msg_consumer_removal() -> ProposalDraft:
    return envelope(MsgConsumerRemoval(authority=GOV, chain_id="mychain-1", stop_time=NOW + timedelta(days=14)))


def legacy_removal() -> ProposalDraft:
    return envelope(
        ConsumerRemovalProposal(
            title="Remove", description="Removes it", chain_id="mychain-1", stop_time=NOW + timedelta(days=14)
        )
    )


def msg_consumer_modification() -> ProposalDraft:
    return envelope(
        MsgConsumerModification(
            authority=GOV,
            title="t",
            description="d",
            chain_id="mychain-1",
            top_N=90,
            validators_power_cap=0,
            validator_set_cap=0,
            allowlist=[],
            denylist=[],
        )
    )


def legacy_modification() -> ProposalDraft:
    return envelope(
        ConsumerModificationProposal(
            title="Modify",
            description="Changes",
            chain_id="mychain-1",
            top_N=90,
            validators_power_cap=0,
            validator_set_cap=0,
            allowlist=[],
            denylist=[],
        )
    )


def change_reward_denoms() -> ProposalDraft:
    return envelope(MsgChangeRewardDenoms(authority=GOV, denoms_to_add=["ibc/" + "B" * 64], denoms_to_remove=["uold"]))


def legacy_change_reward_denoms() -> ProposalDraft:
    return envelope(
        ChangeRewardDenomsProposal(
            title="Denoms", description="Changes denoms", denoms_to_add=["untrn"], denoms_to_remove=[]
        )
    )


def provider_params_v7() -> dict[str, object]:
    return {
        "template_client": {"chain_id": "", "trust_level": {"numerator": "1", "denominator": "3"},
                            "max_clock_drift": "10s"},
        "trusting_period_fraction": "0.66",
        "ccv_timeout_period": "2419200s",
        "slash_meter_replenish_period": "3600s",
        "slash_meter_replenish_fraction": "0.05",
        "consumer_reward_denom_registration_fee": {"denom": "uatom", "amount": "10000000"},
        "blocks_per_epoch": "600",
        "number_of_epochs_to_start_receiving_rewards": "24",
        "max_provider_consensus_validators": "180",
    }


def update_params() -> ProposalDraft:
    return envelope(MsgUpdateParams(authority=GOV, params=provider_params_v7()))


def _vote(block_hash: bytes) -> dict[str, object]:
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return {
        "type": 1, "height": "5", "round": 0,
        "block_id": {"hash": b64(block_hash), "part_set_header": {"total": 1, "hash": b64(b"\x07" * 32)}},
        "timestamp": "2026-11-01T11:00:00Z", "validator_address": b64(b"\x0a" * 20), "validator_index": 0,
        "signature": b64(b"\x01" * 64),
    }


def duplicate_vote_evidence() -> dict[str, object]:
    """Structurally valid (ValidateBasic) evidence; the signatures are not real, which ValidateBasic does not see."""
    return {"vote_a": _vote(b"\x11" * 32), "vote_b": _vote(b"\x22" * 32), "total_voting_power": "100",
            "validator_power": "10", "timestamp": "2026-11-01T11:00:00Z"}


def double_vote() -> ProposalDraft:
    return envelope(
        MsgSubmitConsumerDoubleVoting(
            submitter=GOV,
            consumer_id="1",
            duplicate_vote_evidence=duplicate_vote_evidence(),
            infraction_block_header={"signed_header": {"header": {"height": "5"}, "commit": {}},
                                     "validator_set": {"validators": []}},
        )
    )


def misbehaviour() -> ProposalDraft:
    return envelope(
        MsgSubmitConsumerMisbehaviour(
            submitter=GOV,
            consumer_id="1",
            misbehaviour={"client_id": "07-tendermint-0", "header_1": {"a": 1}, "header_2": {"a": 2}},
        )
    )
