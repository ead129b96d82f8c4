"""The chain clients against the REAL local ICS v7 provider: every answer equals what the node's own CLI says."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from ics_workbench.chain.connect import Connection, connect
from ics_workbench.chain.overview import load_provider_overview
from ics_workbench.chain.profiles import ConnectionProfile
from ics_workbench.devnet.node import Devnet

ROOT = Path(__file__).resolve().parents[2]


def go_duration_seconds(text: str) -> Decimal:
    """The CLI prints durations the Go way ("48h0m0s", "8s")."""
    total = Decimal(0)
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)(h|m|s)", text):
        total += Decimal(amount) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total


@pytest.fixture
def conn(devnet: Devnet) -> Iterator[Connection]:
    profile = ConnectionProfile.parse(
        {
            "name": "devnet",
            "chain_id": devnet.chain_id,
            "role": "provider",
            "rpc": [{"url": devnet.rpc_url}],
            "rest": [{"url": devnet.rest_url}],
            "fee_denom": devnet.denom,
            "gas_prices": "0",
        }
    )
    with connect(profile) as connection:
        yield connection


def test_connect_detects_ics_v7_keyed_by_consumer_id(devnet: Devnet, conn: Connection) -> None:
    status = devnet.rpc("status")
    assert conn.chain_id == devnet.chain_id == status["node_info"]["network"]
    assert conn.status.node_version == status["node_info"]["version"]
    assert conn.status.latest_height >= int(status["sync_info"]["latest_block_height"]) - 1
    caps = conn.capabilities
    assert caps.has_provider and caps.ics_major == 7 and caps.ics_version == "v7.0.0"
    assert caps.keyed_by == "consumer_id" and caps.msg_create_consumer and not caps.legacy_proposals
    assert caps.infraction_parameters and caps.prioritylist
    assert conn.profile.capabilities == caps
    assert conn.warnings == []


def test_validators_equal_the_cli(devnet: Devnet, conn: Connection) -> None:
    assert conn.rest is not None
    ours = {v.operator_address: v for v in conn.rest.validators()}
    cli = {
        v["operator_address"]: v
        for v in devnet.query("staking", "validators")["validators"]
        if v["status"] == "BOND_STATUS_BONDED"
    }
    assert set(ours) == set(cli)
    for operator, raw in cli.items():
        mine = ours[operator]
        assert mine.tokens == int(raw["tokens"])
        assert mine.moniker == raw["description"]["moniker"]
        assert mine.jailed == raw.get("jailed", False)
        cli_key = raw["consensus_pubkey"]  # the CLI prints it amino-style: {"type": ..., "value": b64}
        assert mine.consensus_pubkey == cli_key.get("key", cli_key.get("value"))
        assert mine.commission.rate == Decimal(raw["commission"]["commission_rates"]["rate"])
    by_valcons = {a.valcons: a for a in devnet.validators}
    assert {v.consensus_address for v in ours.values()} == set(by_valcons)
    # the provider's identity maps onto the CometBFT validator set by address
    comet = {v["address"]: int(v["voting_power"]) for v in devnet.rpc("validators")["validators"]}
    assert {v.consensus_hex: v.power for v in ours.values()} == comet
    height, validators = conn.comet.validators()
    assert {v.address: v.voting_power for v in validators} == comet and height > 0


def test_consumer_chains_equal_the_cli(devnet: Devnet, conn: Connection) -> None:
    assert conn.provider is not None and devnet.seeded is not None
    listed = devnet.query("provider", "list-consumer-chains")["chains"]
    ours = conn.provider.consumer_chains()
    # Other tests on the shared devnet may add consumers or move phases between the two queries, so the lists
    # are compared on every consumer the CLI listed except ones whose phase changed in between.
    mine = {c.consumer_id: (c.chain_id, f"CONSUMER_PHASE_{c.phase}", c.top_n) for c in ours}
    theirs = {c["consumer_id"]: (c["chain_id"], c["phase"], c["top_N"]) for c in listed}
    assert set(theirs) <= set(mine)
    seeded_ids = {c.consumer_id for c in devnet.seeded.consumers}
    assert seeded_ids <= set(theirs)
    for consumer_id in seeded_ids:
        assert mine[consumer_id] == theirs[consumer_id]
    for seeded in devnet.seeded.consumers:
        detail = conn.provider.consumer_chain(seeded.consumer_id)
        cli = devnet.query("provider", "consumer-chain", seeded.consumer_id)
        assert detail.owner == cli["owner_address"] == seeded.owner
        assert f"CONSUMER_PHASE_{detail.phase}" == cli["phase"] == seeded.expected_phase
        assert detail.metadata.name == cli["metadata"]["name"] == seeded.name
        assert detail.top_n == cli["power_shaping_params"]["top_N"]


def test_consumer_validators_and_opt_ins_equal_the_cli(devnet: Devnet, conn: Connection) -> None:
    assert conn.provider is not None and devnet.seeded is not None
    for consumer in devnet.seeded.launched:
        cli = devnet.query("provider", "consumer-validators", consumer.consumer_id)["validators"]
        ours = conn.provider.consumer_validators(consumer.consumer_id)
        assert [(v.provider_address, v.consumer_key, v.power, v.moniker) for v in ours] == [
            (v["provider_address"], v["consumer_key"]["ed25519"], int(v["consumer_power"]), v["description"]["moniker"])
            for v in cli
        ]
        opted = devnet.query("provider", "consumer-opted-in-validators", consumer.consumer_id)
        assert conn.provider.opted_in(consumer.consumer_id) == opted["validators_provider_addresses"]
    has = devnet.query("provider", "has-to-validate", devnet.validator_a.valcons)["consumer_ids"]
    assert conn.provider.has_to_validate(devnet.validator_a.valcons) == has


def test_key_assignments_equal_the_cli(devnet: Devnet, conn: Connection) -> None:
    assert conn.provider is not None and devnet.seeded is not None
    opt_in = devnet.seeded.opt_in.consumer_id
    cli = devnet.query("provider", "all-pairs-valconsensus-address", opt_in)["pair_val_con_addr"]
    ours = conn.provider.key_assignments(opt_in)
    assert [(k.provider_address, k.consumer_address, k.consumer_key) for k in ours] == [
        (p["provider_address"], p["consumer_address"], p["consumer_key"]["ed25519"]) for p in cli
    ]
    b = devnet.accounts[devnet.seeded.assigned_validator]
    assert conn.provider.validator_consumer_addr(opt_in, b.valcons) == devnet.seeded.assigned_key.valcons
    assert conn.provider.validator_provider_addr(opt_in, devnet.seeded.assigned_key.valcons) == b.valcons
    assert conn.provider.validator_consumer_addr(opt_in, devnet.validator_a.valcons) is None  # no assigned key


def test_gov_and_provider_params_equal_the_cli(devnet: Devnet, conn: Connection) -> None:
    assert conn.rest is not None and conn.provider is not None
    cli = devnet.query("gov", "params")["params"]
    gov = conn.rest.gov_params()
    assert [(c.denom, str(c.amount)) for c in gov.min_deposit] == [
        (c["denom"], c["amount"]) for c in cli["min_deposit"]
    ]
    assert gov.voting_period_seconds == go_duration_seconds(cli["voting_period"])
    assert gov.max_deposit_period_seconds == go_duration_seconds(cli["max_deposit_period"])
    assert gov.expedited_voting_period_seconds == go_duration_seconds(cli["expedited_voting_period"])
    assert (gov.quorum, gov.threshold, gov.veto_threshold) == (
        Decimal(cli["quorum"]),
        Decimal(cli["threshold"]),
        Decimal(cli["veto_threshold"]),
    )
    params = conn.provider.params()
    cli_params = devnet.query("provider", "params")
    cli_params = cli_params.get("params", cli_params)
    assert params.blocks_per_epoch == int(cli_params["blocks_per_epoch"])
    assert params.max_provider_consensus_validators == int(cli_params["max_provider_consensus_validators"])
    assert conn.provider.blocks_until_next_epoch() >= 0


def test_provider_overview_of_the_devnet(devnet: Devnet, conn: Connection) -> None:
    assert devnet.seeded is not None
    overview = load_provider_overview(conn)
    owners = {c.consumer_id: c.owner for c in overview.consumers}
    # the shared devnet may hold consumers other tests created; the seeded ones must all be there
    assert {c.consumer_id: owners.get(c.consumer_id) for c in devnet.seeded.consumers} == {
        c.consumer_id: c.owner for c in devnet.seeded.consumers
    }
    assert {c.phase for c in overview.consumers} >= {"LAUNCHED", "REGISTERED", "INITIALIZED"}
    initialized = devnet.seeded.by_kind("initialized")
    found = next(c for c in overview.consumers if c.consumer_id == initialized.consumer_id)
    assert found.spawn_time is not None
    assert {v.consensus_address for v in overview.validators} == {a.valcons for a in devnet.validators}
    assert abs(sum(v.share for v in overview.validators) - 1.0) < 1e-9
    assert overview.gov.voting_period_seconds == go_duration_seconds(
        devnet.query("gov", "params")["params"]["voting_period"]
    )


def test_cli_json_against_the_devnet(devnet: Devnet) -> None:
    def run(*args: str) -> dict:  # type: ignore[type-arg]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "ics_workbench",
                "chain",
                *args,
                "--rpc",
                devnet.rpc_url,
                "--rest",
                devnet.rest_url,
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)  # type: ignore[no-any-return]

    status = run("status")
    assert status["chain_id"] == devnet.chain_id and status["role"] == "provider"
    assert status["capabilities"]["ics_major"] == 7 and status["capabilities"]["keyed_by"] == "consumer_id"
    overview = run("overview")
    listed = devnet.query("provider", "list-consumer-chains")["chains"]
    shown = {(c["consumer_id"], c["chain_id"]) for c in overview["consumers"]}
    assert {(c.consumer_id, c.chain_id) for c in devnet.seeded.consumers} <= shown
    assert shown <= {(c["consumer_id"], c["chain_id"]) for c in listed}  # listed afterwards: may hold more
    assert len(overview["validators"]) == len(devnet.validators)
