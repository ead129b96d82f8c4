"""The simulator against the real ICS v7 provider: its sets must equal what the keeper itself computes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC
from typing import Any

import pytest

from ics_workbench.chain.connect import Connection, HttpSettings, connect_urls
from ics_workbench.cli import main as cli_main
from ics_workbench.devnet.node import Devnet
from ics_workbench.devnet.seed import create_consumer, power_shaping, update_consumer
from ics_workbench.validators.analysis import KeyAlert, compare_with_reported, key_table
from ics_workbench.validators.load import ProviderSource, load_overlaps
from ics_workbench.validators.simulate import simulate


def _source(conn: Connection) -> ProviderSource:
    assert conn.provider is not None and conn.rest is not None
    return ProviderSource(conn.rest, conn.provider, comet=conn.comet)


@pytest.fixture
def conn(devnet: Devnet) -> Iterator[Connection]:
    with connect_urls([devnet.rpc_url], [devnet.rest_url], settings=HttpSettings(timeout=10)) as connection:
        yield connection


def test_simulated_sets_equal_consumer_validators_after_an_epoch(devnet: Devnet, conn: Connection) -> None:
    devnet.wait_blocks(2)  # blocks_per_epoch = 1: the stored sets are recomputed every block
    data = load_overlaps(_source(conn))
    seeded = {c.consumer_id: c for c in devnet.seeded.consumers}
    # The session chain is shared: other tests may have added consumers after the seed, so the seeded ones
    # must all be there, and every consumer on the chain (seeded or not) must match the simulation.
    assert set(seeded) <= {c.consumer_id for c in data.consumers}
    launched = [c for c in data.consumers if c.phase == "LAUNCHED" and c.consumer_id in seeded]
    assert {c.chain_id for c in launched} == {"consumer-1", "topn-1"}
    for consumer in data.consumers:  # pre-launch consumers are answered by the same computation on the fly
        if consumer.phase in ("STOPPED", "DELETED"):
            continue  # a stopped chain reports an empty set by design
        result = simulate(data.snapshot, consumer)
        assert compare_with_reported(result, data.reported[consumer.consumer_id]) == [], consumer.chain_id
    top = data.consumer("topn-1")
    top_result = simulate(data.snapshot, top)
    listed = {c["consumer_id"]: c for c in devnet.query("provider", "list-consumer-chains")["chains"]}
    assert top_result.min_power_in_top_n == int(listed[top.consumer_id]["min_power_in_top_N"])
    opt = data.consumer("consumer-1")
    assert {m.valcons for m in simulate(data.snapshot, opt).members} == {
        devnet.validator_a.valcons,
        devnet.validator_b.valcons,
    }


def test_key_table_shows_the_assigned_consumer_key(devnet: Devnet, conn: Connection) -> None:
    data = load_overlaps(_source(conn))
    results = {c.consumer_id: simulate(data.snapshot, c) for c in data.consumers}
    rows = {
        (r.consumer.chain_id, r.validator.valcons): r for r in key_table(data.snapshot, list(data.consumers), results)
    }
    b_row = rows[("consumer-1", devnet.validator_b.valcons)]
    assert b_row.consumer_pubkey == devnet.seeded.assigned_key.public_key_b64
    assert b_row.alerts == ()
    opt = data.consumer("consumer-1")
    (b_key,) = [k for k in opt.key_assignments if k.provider_valcons == devnet.validator_b.valcons]
    assert b_key.assigned_at is not None and opt.launched_at is not None
    # dated from the opt-in tx, which the seed sends before the chain launches (the spawn time itself may lie a
    # fraction of a second earlier: a past spawn time launches at the next block)
    assert b_key.assigned_at <= opt.launched_at
    a_row = rows[("consumer-1", devnet.validator_a.valcons)]
    assert KeyAlert.DEFAULT_PROVIDER_KEY in a_row.alerts
    reported = {m.provider_valcons: m.consumer_pubkey for m in data.reported[data.consumer("consumer-1").consumer_id]}
    assert reported[devnet.validator_b.valcons] == devnet.seeded.assigned_key.public_key_b64


def test_overlaps_cli_report_agrees_with_the_provider(devnet: Devnet, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_main(["overlaps", "--provider-rpc", devnet.rpc_url, "--provider-rest", devnet.rest_url, "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert {c["chain_id"] for c in report["consumers"]} >= {"consumer-1", "topn-1"}
    assert all(c["simulation_agrees_with_provider"] for c in report["consumers"])
    assert len(report["matrix"]) == len(devnet.validators)


def test_consumer_set_matching_through_keys(devnet: Devnet, capsys: pytest.CaptureFixture[str]) -> None:
    # No consumer chain runs here, so the provider's own RPC stands in for consumer-1's: A signs both with its
    # provider key (match), B signs consumer-1 with its assigned key, which the provider chain does not know.
    code = cli_main(["overlaps", "--provider-rpc", devnet.rpc_url, "--provider-rest", devnet.rest_url,
                     "--consumer", f"consumer-1={devnet.rpc_url}", "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    (entry,) = [c for c in report["consumers"] if c["chain_id"] == "consumer-1"]
    statuses = {(r["provider_valcons"], r["status"]) for r in entry["consumer_chain_match"]}
    assert statuses == {
        (devnet.validator_a.valcons, "match"),
        (devnet.validator_b.valcons, "in the provider's set, absent on the consumer"),
        (None, "on the consumer, not in the provider's set"),
    }


def test_overlaps_cli_refuses_a_rest_url_without_provider(devnet: Devnet, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_main(["overlaps", "simulate", "--provider-rest", devnet.rpc_url, "--consumer", "0"])
    assert code == 1
    assert "error:" in capsys.readouterr().err


def _candidates(a: str, b: str, c: str) -> list[tuple[dict[str, Any], set[str], bool]]:
    """Power-shaping changes an opt-in owner can make: (change, expected members, powers capped?)."""
    return [
        ({}, {a, b, c}, False),
        ({"validators_power_cap": 40}, {a, b, c}, True),  # A (98.5%) capped, remainder spread to B and C
        ({"validators_power_cap": 34}, {a, b, c}, True),
        ({"validators_power_cap": 20}, {a, b, c}, True),  # 3 x 20% < 100%: infeasible, everyone at the cap
        ({"validators_power_cap": 1}, {a, b, c}, True),  # floor(101500 x 1%) = 1015: B (1000) lifted, A capped
        ({"validators_power_cap": 33}, {a, b, c}, True),  # 3 x 33% < 100% by a hair: infeasible
        ({"validators_power_cap": 67}, {a, b, c}, True),
        ({"validators_power_cap": 99}, {a, b, c}, False),  # A holds 98.5%: already under the cap
        ({"validator_set_cap": 2}, {a, b}, False),
        ({"denylist": [a]}, {b, c}, False),
        ({"allowlist": [b, c], "denylist": [c]}, {b}, False),
        ({"min_stake": 600_000_000}, {a, b}, False),  # C holds 500 x 10^6 stake
        ({"validator_set_cap": 1, "prioritylist": [c]}, {c}, False),
        ({"validator_set_cap": 2, "prioritylist": [c], "validators_power_cap": 50}, {a, c}, True),
    ]


def test_every_parameter_matches_the_real_keeper(devnet_factory: Any) -> None:
    chain: Devnet = devnet_factory(seed=False, with_validator_c=True)
    a, b, c = chain.validator_a, chain.validator_b, chain.validator_c
    assert c is not None
    consumer_id = create_consumer(chain, "shaping-1", "Power shaping", None, a.name)
    for account in (a, b, c):
        chain.tx("provider", "opt-in", consumer_id, sender=account.name)
    with connect_urls([chain.rpc_url], [chain.rest_url], settings=HttpSettings(timeout=10)) as connection:
        for change, expected, capped in _candidates(a.valcons, b.valcons, c.valcons):
            update_consumer(
                chain, {"consumer_id": consumer_id, "power_shaping_parameters": {**power_shaping(), **change}}, a.name
            )
            data = load_overlaps(_source(connection), only=consumer_id)
            consumer = data.consumer(consumer_id)
            assert consumer.params.to_json()["validator_set_cap"] == change.get("validator_set_cap", 0)
            result = simulate(data.snapshot, consumer)
            reported = data.reported[consumer_id]
            assert compare_with_reported(result, reported) == [], change
            assert result.member_valcons == expected, change
            assert any(m.consumer_power != m.validator.power for m in result.members) == capped, change


def test_overlaps_simulate_cli_previews_a_change(
    devnet: Devnet, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    b = devnet.validator_b.valcons
    base = ["overlaps", "simulate", "--provider-rest", devnet.rest_url, "--consumer", "consumer-1"]
    assert cli_main([*base, "--deny", b, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["provider_valcons"] for r in out["removed"]] == [b]
    assert out["removed"][0]["why"] == ["denylisted"]
    assert [v["provider_valcons"] for v in out["after"]["validators"]] == [devnet.validator_a.valcons]

    params = tmp_path / "prop.json"
    params.write_text(
        json.dumps({"messages": [{"power_shaping_parameters": {**power_shaping(), "validator_set_cap": 1}}]})
    )
    assert cli_main([*base, "--params-file", str(params)]) == 0
    text = capsys.readouterr().out
    assert "2 -> 1 validator(s)" in text and "cut by validator_set_cap" in text

    assert cli_main([*base, "--top-n", "30"]) == 2
    assert "top_N: must be 0 (opt-in) or in [50, 100], got 30" in capsys.readouterr().err
    assert cli_main(["overlaps", "--provider-rpc", devnet.rpc_url, "--provider-rest", devnet.rest_url,
                     "--consumer", "nonsense"]) == 2
    assert "NAME=RPC_URL" in capsys.readouterr().err


def test_overlaps_validator_cli(devnet: Devnet, capsys: pytest.CaptureFixture[str]) -> None:
    b = devnet.validator_b
    code = cli_main(["overlaps", "validator", b.valoper, "--provider-rest", devnet.rest_url, "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["valcons"] == b.valcons
    rows = {r["chain_id"]: r for r in out["consumers"]}
    opt = rows["consumer-1"]
    assert opt["opted_in"] and opt["in_set"] and opt["has_to_validate"]
    assert float(opt["commission_rate"]) == float(
        devnet.query("provider", "validator-consumer-commission-rate", opt["consumer_id"], b.valcons)["rate"]
    )
    # B holds ~1% of the power: outside the Top 95, not opted in, so not in the Top N consumer's set
    assert not rows["topn-1"]["in_set"] and not rows["topn-1"]["has_to_validate"]
    assert out["blocks_until_next_epoch"] is not None
    assert cli_main(["overlaps", "validator", "cosmosvalcons1nonsense", "--provider-rest", devnet.rest_url]) == 1
    assert "not a provider validator" in capsys.readouterr().err


def test_key_assigned_after_launch_is_flagged(devnet_factory: Any) -> None:
    from datetime import datetime

    from ics_workbench.devnet.keys import ConsensusKey
    from ics_workbench.devnet.seed import initialization_parameters

    chain: Devnet = devnet_factory(seed=False)
    a, b = chain.validator_a, chain.validator_b
    consumer_id = create_consumer(chain, "late-1", "Late key", None, a.name)
    chain.tx("provider", "opt-in", consumer_id, sender=a.name)
    chain.tx("provider", "opt-in", consumer_id, sender=b.name)
    update_consumer(chain, {"consumer_id": consumer_id,
                            "initialization_parameters": initialization_parameters(datetime.now(UTC))}, a.name)
    chain.wait_for(lambda: chain.query("provider", "consumer-chain", consumer_id)["phase"] == "CONSUMER_PHASE_LAUNCHED",
                   "consumer launched", timeout=60)
    late = ConsensusKey.generate()
    chain.tx("provider", "assign-consensus-key", consumer_id, late.pubkey_json(), sender=b.name)
    with connect_urls([chain.rpc_url], [chain.rest_url], settings=HttpSettings(timeout=10)) as connection:
        data = load_overlaps(_source(connection), only=consumer_id)
    consumer = data.consumer(consumer_id)
    results = {consumer.consumer_id: simulate(data.snapshot, consumer)}
    rows = {r.validator.valcons: r for r in key_table(data.snapshot, [consumer], results)}
    assert rows[b.valcons].consumer_pubkey == late.public_key_b64
    assert KeyAlert.ASSIGNED_AFTER_SPAWN in rows[b.valcons].alerts
    assert KeyAlert.ASSIGNED_AFTER_SPAWN not in rows[a.valcons].alerts
