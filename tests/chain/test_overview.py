"""Provider and consumer overviews: complete lists, progress, cancellation; plus CometBFT block queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest

from ics_workbench.addresses import bech32_to_hex, hex_to_bech32
from ics_workbench.chain.connect import connect_urls
from ics_workbench.chain.overview import load_consumer_overview, load_provider_overview
from ics_workbench.errors import CancelledError
from ics_workbench.tasks import Job
from tests.chain.conftest import FAST
from tests.chain.fakechain import FakeChain, Fault

P = "/interchain_security/ccv/provider"


def test_overview_pins_below_a_block_whose_state_is_not_committed_yet(fake_chain: Callable[..., FakeChain]) -> None:
    """CometBFT stores block H before the app commits it: a read pinned to H would fail, so H - 1 is used."""
    chain = fake_chain(family="v7", validators=5, consumers=2)
    chain.committed = chain.height - 1
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        overview = load_provider_overview(conn)
    assert overview.height == chain.height - 1 and overview.warnings == ()
    assert len(overview.consumers) == 2 and len(overview.validators) == 5


def test_provider_overview_is_complete(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(family="v7", validators=450, consumers=30)
    seen: list[tuple[float, str]] = []
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        connected = len(chain.pinned)
        overview = load_provider_overview(conn, Job(lambda f, m: seen.append((f, m))))
    # pinned to the REST node's newest block, whose state the probe found committed
    assert overview.chain_id == "provider" and overview.height == 1000
    assert overview.time == chain.now + timedelta(seconds=1000 * 5)
    assert len(overview.consumers) == 30
    assert [c.consumer_id for c in overview.consumers] == [str(i) for i in range(30)]
    assert all(c.owner == f"cosmos1owner{int(c.consumer_id or 0):04d}" for c in overview.consumers)
    assert all(c.spawn_time is not None for c in overview.consumers)
    assert {c.phase for c in overview.consumers} == {"LAUNCHED", "INITIALIZED", "REGISTERED", "STOPPED"}
    assert len(overview.validators) == 450
    top = overview.validators[0]
    assert (top.moniker, top.power, top.jailed, top.status) == ("validator-0", 450_000, False, "BOND_STATUS_BONDED")
    assert overview.total_power == sum(v.power for v in overview.validators)
    assert top.share == pytest.approx(450_000 / overview.total_power)
    assert str(top.commission.rate) == "0.050000000000000000"
    # the consensus address is derived from the key, and agrees with the CometBFT address of the same key
    assert top.consensus_hex == chain.comet_validator(0)["address"]
    assert top.consensus_address == hex_to_bech32(top.consensus_hex, "cosmosvalcons")
    assert bech32_to_hex(top.consensus_address) == top.consensus_hex
    assert [str(c) for c in overview.gov.min_deposit] == ["250000000uatom"]
    assert overview.gov.voting_period_seconds == 1209600
    assert overview.params is not None and overview.params.blocks_per_epoch == 600
    assert [(lag.kind, lag.lag_blocks) for lag in overview.lag] == [("rpc", 0), ("rest", 0)]
    # the pinning head and probe, one list query, one detail per consumer, 3 validator pages, gov, params, the
    # pinned block's time, RPC status, REST latest block
    assert overview.requests == 2 + 1 + 30 + 3 + 1 + 1 + 1 + 1 + 1
    # every state read answered from the one height; only the heads (lag, pinning) ask for the newest block
    state_reads = [
        (path, h) for path, h in chain.pinned[connected:] if path.startswith(("/cosmos/staking", "/cosmos/gov", P))
    ]
    assert len(state_reads) == 1 + 1 + 30 + 3 + 1 + 1 and {h for _, h in state_reads} == {"1000"}
    assert chain.hits[f"{P}/consumer_chain/29"] == 1
    assert seen[-1] == (1.0, "provider overview loaded")
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and all(0.0 <= f <= 1.0 for f in fractions)  # the bar only moves on


def test_provider_overview_v5_has_no_detail_queries(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(family="v5", validators=5, consumers=3)
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        overview = load_provider_overview(conn)
    assert [c.chain_id for c in overview.consumers] == [f"consumer-{i}" for i in range(5)]
    assert not any(path.startswith(f"{P}/consumer_chain/") for path in chain.hits)


def test_provider_overview_can_be_cancelled(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(family="v7", validators=20, consumers=30, latency=0.02)
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        job = Job()
        job._on_progress = lambda fraction, _: job.cancel() if fraction > 0.0 else None  # cancel on first progress
        with pytest.raises(CancelledError):
            load_provider_overview(conn, job)
        assert sum(chain.hits[f"{P}/consumer_chain/{i}"] for i in range(30)) < 30


def test_consumer_overview_with_its_provider_entry(fake_chain: Callable[..., FakeChain]) -> None:
    provider = fake_chain(family="v7", consumers=3)
    consumer = fake_chain(chain_id="consumer-0", family="none", validators=130, height=77)
    with (
        connect_urls([provider.url], [provider.url], settings=FAST) as p,
        connect_urls([consumer.url], [consumer.url], settings=FAST) as c,
    ):
        assert c.profile.role == "consumer"
        overview = load_consumer_overview(c, p)
    assert (overview.chain_id, overview.height, overview.provider_chain_id) == ("consumer-0", 77, "provider")
    assert len(overview.validators) == 130 and consumer.hits["/validators"] == 2
    assert overview.total_power == sum(v.voting_power for v in overview.validators)
    assert overview.consumer is not None
    assert (overview.consumer.consumer_id, overview.consumer.phase, overview.consumer.owner) == (
        "0",
        "LAUNCHED",
        "cosmos1owner0000",
    )
    assert overview.warnings == ()
    # consumer validators mapped back to provider validators through the consumer keys the provider reports
    named = {v.address: overview.provider_validator(v.pub_key) for v in overview.validators}
    matched = {a: m.moniker for a, m in named.items() if m is not None}
    assert sorted(matched.values()) == ["validator-0", "validator-1", "validator-2"]
    assert matched[chain_address(consumer, 0)] == "validator-0"
    assert overview.provider_set is not None and len(overview.provider_set) == 3


def chain_address(chain: FakeChain, i: int) -> str:
    return str(chain.comet_validator(i)["address"])


def test_consumer_overview_warns_when_the_provider_lists_no_such_chain(fake_chain: Callable[..., FakeChain]) -> None:
    provider = fake_chain(family="v7", consumers=1)
    consumer = fake_chain(chain_id="stranger-1", family="none")
    with (
        connect_urls([provider.url], [provider.url], settings=FAST) as p,
        connect_urls([consumer.url], [consumer.url], settings=FAST) as c,
    ):
        overview = load_consumer_overview(c, p)
    assert overview.consumer is None
    assert overview.warnings == ("the provider provider lists no consumer chain 'stranger-1'",)


def test_block_commit_header(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(validators=3)
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        block = conn.comet.block(500)
        assert (block.header.height, block.header.chain_id, block.tx_count, block.evidence_count) == (
            500,
            "provider",
            1,
            0,
        )
        assert block.last_commit is not None and block.last_commit.height == 499
        assert [s.block_id_flag for s in block.last_commit.signatures] == [2, 2, 2, 1]
        assert block.last_commit.signatures[-1].timestamp is None  # absent vote has the zero time
        signed = conn.comet.commit(500)
        assert signed.header.height == 500 and signed.commit.block_id.hash == bytes.fromhex("55" * 32)
        assert signed.commit.signatures[0].validator_address == chain.comet_validator(0)["address"]
        assert conn.comet.header(1000).proposer_address == chain.comet_validator(0)["address"]
        height, validators = conn.comet.validators(height=400)
        assert height == 400 and validators[0].pub_key_type == "tendermint/PubKeyEd25519"


def test_slashing_params_and_all_signing_infos(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(validators=230)
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        assert conn.rest is not None
        params = conn.rest.slashing_params()
        assert (params.signed_blocks_window, str(params.min_signed_per_window)) == (10000, "0.050000000000000000")
        assert params.downtime_jail_duration_seconds == 600
        infos = conn.rest.signing_infos()
    assert len(infos) == 230 and chain.hits["/cosmos/slashing/v1beta1/signing_infos"] == 2
    assert infos[0].jailed_until is None and infos[1].jailed_until is not None and infos[2].tombstoned
    assert infos[5].missed_blocks_counter == 5 and infos[5].index_offset == 105


def test_slashing_decimals_sent_as_base64_are_understood(fake_chain: Callable[..., FakeChain]) -> None:
    import base64

    chain = fake_chain()
    encoded = base64.b64encode(b"50000000000000000").decode()  # LegacyDec 0.05 as 18-decimal integer bytes
    chain.fault(
        "/cosmos/slashing/v1beta1/params",
        Fault(mutate=lambda b: {**b, "params": {**b["params"], "min_signed_per_window": encoded}}),
    )
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        assert conn.rest is not None
        assert conn.rest.slashing_params().min_signed_per_window == Decimal("0.05")


def test_gov_params_from_the_three_legacy_parts(fake_chain: Callable[..., FakeChain]) -> None:

    chain = fake_chain()
    legacy = {
        "params": None,
        "deposit_params": {"min_deposit": [{"denom": "uatom", "amount": "64000000"}], "max_deposit_period": "1209600s"},
        "voting_params": {"voting_period": "1209600s"},
        "tally_params": {"quorum": "0.4", "threshold": "0.5", "veto_threshold": "0.334"},
    }
    chain.fault("/cosmos/gov/v1/params", Fault(mutate=lambda _: legacy))  # an SDK before 0.47
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        assert conn.rest is not None
        gov = conn.rest.gov_params()
    assert [str(c) for c in gov.min_deposit] == ["64000000uatom"] and gov.voting_period_seconds == 1209600
    assert str(gov.quorum) == "0.4" and gov.expedited_voting_period_seconds is None
    assert {p for p in chain.hits if p.startswith("/cosmos/gov")} == {
        "/cosmos/gov/v1/params/tallying",
        "/cosmos/gov/v1/params/deposit",
        "/cosmos/gov/v1/params/voting",
    }
