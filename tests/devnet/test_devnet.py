"""The local provider chain itself: it runs, the seed produced what it recorded, and it cleans up after itself."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from ics_workbench.devnet.node import Devnet, DevnetTxError
from ics_workbench.devnet.seed import PHASE_LAUNCHED, TOP_N


def test_chain_produces_blocks(devnet: Devnet) -> None:
    before = devnet.height()
    after = devnet.wait_blocks(2)
    assert after >= before + 2
    status = devnet.rpc("status")
    assert status["node_info"]["network"] == devnet.chain_id


def test_validators_are_bonded_with_the_planned_power(devnet: Devnet) -> None:
    bonded = {
        v["operator_address"]: int(v["tokens"])
        for v in devnet.query("staking", "validators")["validators"]
        if v["status"] == "BOND_STATUS_BONDED"
    }
    expected = {a.valoper: a.self_delegation for a in devnet.validators}
    assert bonded == expected
    a_power = devnet.validator_a.self_delegation
    assert a_power * 3 > 2 * sum(expected.values())  # A alone makes blocks


def test_seeded_consumers_exist_with_their_phases(devnet: Devnet) -> None:
    listed = {c["consumer_id"]: c for c in devnet.query("provider", "list-consumer-chains")["chains"]}
    assert devnet.seeded is not None
    for consumer in devnet.seeded.consumers:
        chain = listed[consumer.consumer_id]
        assert (chain["chain_id"], chain["phase"], chain["metadata"]["name"]) == (
            consumer.chain_id,
            consumer.expected_phase,
            consumer.name,
        )
        assert devnet.query("provider", "consumer-chain", consumer.consumer_id)["owner_address"] == consumer.owner
    assert {c.expected_phase for c in devnet.seeded.consumers} == {
        "CONSUMER_PHASE_LAUNCHED",
        "CONSUMER_PHASE_REGISTERED",
        "CONSUMER_PHASE_INITIALIZED",
    }


def test_top_n_consumer_got_top_n_from_the_passed_proposal(devnet: Devnet) -> None:
    top = devnet.seeded.top_n
    proposal = devnet.query("gov", "proposal", devnet.seeded.top_n_proposal_id)["proposal"]
    assert proposal["status"] == "PROPOSAL_STATUS_PASSED"
    # The CLI prints proposal messages in amino-JSON style ({"type", "value"}).
    message = proposal["messages"][0]
    assert message["type"] == "/interchain_security.ccv.provider.v1.MsgUpdateConsumer"
    assert message["value"]["consumer_id"] == top.consumer_id
    assert message["value"]["power_shaping_parameters"]["top_N"] == TOP_N
    chain = devnet.query("provider", "consumer-chain", top.consumer_id)
    assert chain["power_shaping_params"]["top_N"] == TOP_N
    assert chain["owner_address"] == devnet.gov_address


def test_launched_consumers_have_consumer_validators(devnet: Devnet) -> None:
    opt_in = devnet.seeded.opt_in
    validators = devnet.query("provider", "consumer-validators", opt_in.consumer_id)["validators"]
    assert {v["provider_address"] for v in validators} == {devnet.validator_a.valcons, devnet.validator_b.valcons}
    top = devnet.query("provider", "consumer-validators", devnet.seeded.top_n.consumer_id)["validators"]
    # A holds ~99% of the power, so Top 95% is A alone.
    assert [v["provider_address"] for v in top] == [devnet.validator_a.valcons]
    for consumer in devnet.seeded.launched:
        assert devnet.query("provider", "consumer-chain", consumer.consumer_id)["phase"] == PHASE_LAUNCHED


def test_assigned_consumer_key_is_what_the_chain_reports(devnet: Devnet) -> None:
    seeded = devnet.seeded
    b = devnet.accounts[seeded.assigned_validator]
    answer = devnet.query("provider", "validator-consumer-key", seeded.opt_in.consumer_id, b.valcons)
    assert answer["consumer_address"] == seeded.assigned_key.valcons
    validators = devnet.query("provider", "consumer-validators", seeded.opt_in.consumer_id)["validators"]
    b_entry = next(v for v in validators if v["provider_address"] == b.valcons)
    assert b_entry["consumer_key"]["ed25519"] == seeded.assigned_key.public_key_b64
    # A opted in without assigning a key: no assignment is recorded, and it validates with its provider key.
    a = devnet.validator_a
    a_key = devnet.query("provider", "validator-consumer-key", seeded.opt_in.consumer_id, a.valcons)
    assert a_key["consumer_address"] == ""
    a_entry = next(v for v in validators if v["provider_address"] == a.valcons)
    assert a.consensus_key is not None
    assert a_entry["consumer_key"]["ed25519"] == a.consensus_key.public_key_b64


def test_failed_tx_raises_with_the_chain_raw_log(devnet: Devnet) -> None:
    too_much = f"{10**30}{devnet.denom}"
    with pytest.raises(DevnetTxError) as caught:
        devnet.tx("bank", "send", devnet.user.address, devnet.validator_b.address, too_much, sender="user")
    assert caught.value.code != 0
    assert "insufficient funds" in caught.value.raw_log


def test_tx_sent_while_the_sender_has_a_tx_in_the_mempool_is_sent_again(devnet: Devnet) -> None:
    """The CLI signs with the committed sequence; CheckTx already counts the pending tx and refuses (code 32).
    Every devnet test that sends twice in a row from one account relies on the helper sending again."""
    sender, to = devnet.user.address, devnet.validator_b.address
    pending = devnet.cli(
        "tx", "bank", "send", sender, to, f"1{devnet.denom}", "--from", "user", "--chain-id", devnet.chain_id,
        *devnet._home_args(), "--node", devnet.node_address, "--fees", f"0{devnet.denom}",
        "--broadcast-mode", "sync", "--yes", "--output", "json",
    )  # fmt: skip
    assert '"code":0' in pending.stdout.replace(" ", "")
    result = devnet.tx("bank", "send", sender, to, f"2{devnet.denom}", sender="user")
    assert int(result.get("code", 0)) == 0


def test_rest_api_serves_the_provider_module(devnet: Devnet) -> None:
    response = devnet.http.get(f"{devnet.rest_url}/interchain_security/ccv/provider/consumer_chains/0")
    response.raise_for_status()
    chains = {c["consumer_id"]: c["chain_id"] for c in response.json()["chains"]}
    # Other tests may have added consumers to the shared chain; the seeded ones must all be there.
    assert {c.consumer_id: c.chain_id for c in devnet.seeded.consumers}.items() <= chains.items()


def test_isolated_chain_with_c_stops_and_removes_its_home(devnet_factory) -> None:  # type: ignore[no-untyped-def]
    chain = devnet_factory(seed=False, with_validator_c=True)
    pid, root = chain.pid, chain.root
    assert pid is not None and root is not None and root.exists()
    assert chain.height() >= 1
    bonded = {v["description"]["moniker"] for v in chain.query("staking", "validators")["validators"]
              if v["status"] == "BOND_STATUS_BONDED"}  # fmt: skip
    assert bonded == {"validator-a", "validator-b", "validator-c"}
    chain.stop()
    assert not root.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    chain.stop()  # idempotent


def test_context_manager_cleans_up_when_the_body_fails(devnet_binary) -> None:  # type: ignore[no-untyped-def]
    chain = Devnet(binary=devnet_binary)
    with pytest.raises(ZeroDivisionError), chain:
        root, pid = chain.root, chain.pid
        _ = 1 / 0
    assert root is not None and not root.exists()
    assert pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def _cli(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ics_workbench", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_devnet_up_prints_live_endpoints_and_cleans_up_on_ctrl_c(devnet_binary: Path, tmp_path: Path) -> None:
    env = dict(os.environ, ICS_WORKBENCH_DEVNET_BINARY=str(devnet_binary))
    proc = _cli("devnet", "up", "--no-seed", "--json", env=env)
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:  # the JSON document ends with a closing brace at column 0
            lines.append(line)
            if line.rstrip() == "}":
                break
        summary = json.loads("".join(lines))
        status = httpx.get(f"{summary['rpc']}/status", timeout=10).json()["result"]
        assert status["node_info"]["network"] == summary["chain_id"] == "provider"
        assert {a["name"] for a in summary["accounts"]} == {"val-a", "val-b", "user"}
        assert all("mnemonic" not in a for a in summary["accounts"])  # only with --show-mnemonics
        home = Path(summary["home"])
        assert home.is_dir()
    finally:
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert not home.exists()
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{summary['rpc']}/status", timeout=2)


def test_build_without_go_fails_with_a_clear_message(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ICS_WORKBENCH_DEVNET_BINARY"}
    env.update(PATH=str(tmp_path), ICS_WORKBENCH_DEVNET_CACHE=str(tmp_path / "cache"))
    proc = _cli("devnet", "build", env=env)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "Go is not installed" in stderr
    assert not (tmp_path / "cache").exists()


def test_consumer_node_runs_the_validator_set_the_provider_planned(devnet: Devnet, consumer_node) -> None:  # type: ignore[no-untyped-def]
    height = consumer_node.wait_blocks(2)
    assert consumer_node.rpc("status")["node_info"]["network"] == devnet.seeded.opt_in.chain_id
    planned = {
        v["consumer_key"]["ed25519"]: int(v["consumer_power"])
        for v in devnet.query("provider", "consumer-validators", consumer_node.consumer_id)["validators"]
    }
    running = {
        v["pub_key"]["value"]: int(v["voting_power"])
        for v in consumer_node.rpc("validators", height=height)["validators"]
    }
    assert running == planned
    # A (provider key, no assignment) signs the consumer's blocks; B's assigned key is in the set but never signs.
    a = devnet.validator_a.consensus_key
    signatures = consumer_node.rpc("commit", height=height)["signed_header"]["commit"]["signatures"]
    signers = {s["validator_address"] for s in signatures if s["signature"]}
    assert a is not None and signers == {a.address.hex().upper()}
