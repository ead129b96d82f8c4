"""The provider client picks consumer-id (v6+) or chain-id (v4/v5) paths itself; callers pass ``chain.key``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from ics_workbench.chain.connect import connect_urls
from ics_workbench.chain.provider import UnsupportedQuery
from ics_workbench.errors import EndpointError
from tests.chain.conftest import FAST
from tests.chain.fakechain import FakeChain, key_bytes

P = "/interchain_security/ccv/provider"


def test_v7_queries_are_keyed_by_consumer_id(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(family="v7", consumers=3)
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        provider = conn.provider
        assert provider is not None
        chains = provider.consumer_chains()
        assert [(c.key, c.chain_id, c.phase) for c in chains] == [
            ("0", "consumer-0", "LAUNCHED"),
            ("1", "consumer-1", "INITIALIZED"),
            ("2", "consumer-2", "REGISTERED"),
        ]
        assert chains[0].top_n == 95 and chains[0].min_power_in_top_n == 1000
        assert chains[0].infraction_parameters is not None
        assert chains[0].infraction_parameters.downtime is not None
        assert chains[0].infraction_parameters.downtime.jail_duration_seconds == Decimal(600)
        assert [c.key for c in provider.consumer_chains("LAUNCHED")] == ["0"]
        assert chain.hits[f"{P}/consumer_chains/CONSUMER_PHASE_LAUNCHED"] == 1

        detail = provider.consumer_chain("1")
        assert (detail.owner, detail.phase, detail.client_id) == ("cosmos1owner0001", "INITIALIZED", "")
        assert detail.init_params is not None and detail.init_params.unbonding_period_seconds == Decimal(1728000)
        assert detail.spawn_time is not None and detail.spawn_time.isoformat() == "2026-11-21T13:00:00+00:00"

        validators = provider.consumer_validators("0")
        assert [v.provider_address for v in validators] == [f"cosmosvalcons1prov{i}" for i in range(3)]
        assert validators[0].consumer_key_type == "ed25519" and validators[0].power == 1000
        assert validators[0].moniker == "validator-0" and validators[0].validates_current_epoch is True
        assert provider.opted_in("0") == ["cosmosvalcons1opt0", "cosmosvalcons1opt1"]
        pairs = provider.key_assignments("0")
        assert [(p.provider_address, p.consumer_address) for p in pairs] == [
            ("cosmosvalcons1prov0", "cosmosvalcons1cons0"),
            ("cosmosvalcons1prov1", "cosmosvalcons1cons1"),
        ]
        assert chain.hits[f"{P}/address_pairs/0"] == 1
        assert provider.validator_consumer_addr("0", "cosmosvalcons1x0") == "cosmosvalcons1assigned"
        assert provider.validator_consumer_addr("0", "cosmosvalcons1x1") is None  # uses its provider key
        assert provider.has_to_validate("cosmosvalcons1prov0") == ["0", "2"]
        assert provider.commission_rate("0", "cosmosvalcons1prov0") == "0.100000000000000000"
        assert provider.blocks_until_next_epoch() == 17
        params = provider.params()
        assert (params.blocks_per_epoch, params.max_provider_consensus_validators) == (600, 180)
        assert params.consumer_reward_denom_registration_fee == "10000000uatom"


@pytest.mark.parametrize("family", ["v4", "v5"])
def test_v4_v5_queries_are_keyed_by_chain_id(fake_chain: Callable[..., FakeChain], family: str) -> None:
    chain = fake_chain(family=family, consumers=2)
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        provider = conn.provider
        assert provider is not None
        chains = provider.consumer_chains()
        assert [(c.key, c.consumer_id, c.phase) for c in chains] == [
            ("consumer-0", None, "LAUNCHED"),
            ("consumer-1", None, "LAUNCHED"),
            ("consumer-2", None, "INITIALIZED"),  # passed addition proposal waiting for spawn time
            ("consumer-3", None, "REGISTERED"),  # addition proposal in voting
        ]
        assert chains[2].spawn_time is not None and chains[3].proposal_id == 42
        assert provider.consumer_chain("consumer-0").client_id == "07-tendermint-0"
        pairs = provider.key_assignments("consumer-0")
        assert len(pairs) == 2
        assert chain.hits[f"{P}/consumer_chain_id"] == 1
        assert provider.validator_consumer_addr("consumer-0", "cosmosvalcons1x") is None
        assert chain.hits[f"{P}/validator_consumer_addr"] == 1
        assert provider.has_to_validate("cosmosvalcons1prov0") == ["consumer-0", "consumer-1"]
        validators = provider.consumer_validators("consumer-0")
        assert validators[0].power == 1000 and validators[0].moniker == ""
        with pytest.raises(UnsupportedQuery, match="needs ICS v6 or later"):
            provider.blocks_until_next_epoch()


def test_find_by_chain_id_prefers_launched_and_adds_detail(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(family="v7", consumers=5)  # consumer-3 is LAUNCHED too, with its own chain id
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        assert conn.provider is not None
        found = conn.provider.find_by_chain_id("consumer-3")
        assert found is not None and (found.key, found.owner) == ("3", "cosmos1owner0003")
        assert conn.provider.find_by_chain_id("nope-1") is None


def test_unknown_consumer_is_the_nodes_own_message(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(family="v7", consumers=1)
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        assert conn.provider is not None
        with pytest.raises(EndpointError, match="HTTP 404: no consumer chain with id: 9"):
            conn.provider.consumer_chain("9")


def test_unknown_phase_is_a_shape_error(fake_chain: Callable[..., FakeChain]) -> None:
    from tests.chain.fakechain import Fault

    chain = fake_chain(family="v7", consumers=2)

    def weird(body: dict) -> dict:  # type: ignore[type-arg]
        body["chains"][1]["phase"] = "CONSUMER_PHASE_EXPLODED"
        return body

    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        chain.fault(f"{P}/consumer_chains/0", Fault(mutate=weird))
        assert conn.provider is not None
        with pytest.raises(EndpointError, match=r"field 'chains\[1\].phase' is not a consumer phase"):
            conn.provider.consumer_chains()


def test_consumer_validator_keys_decode_to_the_served_bytes(fake_chain: Callable[..., FakeChain]) -> None:
    import base64

    chain = fake_chain(family="v7")
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        assert conn.provider is not None
        first = conn.provider.consumer_validators("0")[0]
        assert base64.b64decode(first.consumer_key) == key_bytes("val0")
