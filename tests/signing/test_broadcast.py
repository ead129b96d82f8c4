"""Broadcast over a real local HTTP server: sync broadcast, inclusion tracking, failures keep the tx on disk."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from ics_workbench.errors import WorkbenchError
from ics_workbench.signing.broadcast import Broadcaster, BroadcastError, tx_hash
from tests.signing.node_server import NodeState, fake_node

TX = b"\x0a\x03abc\x12\x02de\x1a\x01f"
DOC = {"format": "ics-workbench-signing", "version": 1, "state": "signed", "tx_bytes": "CgNhYmMSAmRlGgFm"}


def kept_files(app_home: Path) -> list[Path]:
    return sorted((app_home / "data" / "signed").glob("*.json")) if (app_home / "data" / "signed").exists() else []


def test_successful_broadcast_is_tracked_until_included(app_home: Path) -> None:
    state = NodeState(polls_before_inclusion=2)
    with fake_node(state) as url, Broadcaster(url, poll_interval=0.01) as client:
        result = client.broadcast(TX, DOC)
    assert state.received == [TX]
    assert result.ok and result.height == 42 and result.gas_used == 81234 and result.txhash == tx_hash(TX)
    assert state.polls == 3
    assert kept_files(app_home) == []


def test_checktx_rejection_keeps_the_signed_tx(app_home: Path) -> None:
    state = NodeState(check_code=32, check_log="account sequence mismatch, expected 5, got 4")
    with fake_node(state) as url, Broadcaster(url, poll_interval=0.01) as client:
        with pytest.raises(BroadcastError) as info:
            client.broadcast(TX, DOC)
    [kept] = kept_files(app_home)
    assert info.value.saved_to == kept
    assert "code 32" in str(info.value) and "sequence mismatch" in str(info.value) and str(kept) in str(info.value)
    saved = json.loads(kept.read_text())
    assert saved["tx_bytes"] == DOC["tx_bytes"] and "code 32" in saved["kept_because"]


def test_not_included_before_timeout_keeps_the_signed_tx(app_home: Path) -> None:
    state = NodeState(never_include=True)
    with fake_node(state) as url, Broadcaster(url, poll_interval=0.01, inclusion_timeout=0.2) as client:
        with pytest.raises(BroadcastError, match="accepted by CheckTx but not included within 0.2 s"):
            client.broadcast(TX, DOC)
    assert len(kept_files(app_home)) == 1


def test_unreachable_node_keeps_the_signed_tx(app_home: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Broadcaster(f"http://127.0.0.1:{port}", timeout=2) as client:
        with pytest.raises(BroadcastError, match="cannot reach the node") as info:
            client.broadcast(TX, DOC)
    assert info.value.saved_to.exists()


def test_included_with_failure_code_is_reported_not_hidden(app_home: Path) -> None:
    state = NodeState(deliver_code=11, polls_before_inclusion=0)
    with fake_node(state) as url, Broadcaster(url, poll_interval=0.01) as client:
        result = client.broadcast(TX, DOC)
    assert not result.ok and result.code == 11 and "FAILED code 11 (sdk)" in result.summary()


def test_account_query_reads_plain_and_vesting_accounts() -> None:
    plain = {"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": "cosmos1a", "account_number": "7",
             "sequence": "3", "pub_key": {"@type": "/cosmos.crypto.secp256k1.PubKey", "key": "A" * 44}}
    vesting = {"@type": "/cosmos.vesting.v1beta1.ContinuousVestingAccount", "base_vesting_account": {
        "base_account": {"address": "cosmos1b", "account_number": "9", "sequence": "0", "pub_key": None}}}
    state = NodeState(accounts={"cosmos1a": plain, "cosmos1b": vesting})
    with fake_node(state) as url, Broadcaster(url) as client:
        a = client.account("cosmos1a")
        b = client.account("cosmos1b")
        with pytest.raises(WorkbenchError, match="does not exist on the chain"):
            client.account("cosmos1c")
    assert (a.account_number, a.sequence, a.pubkey) == (7, 3, "A" * 44)
    assert (b.account_number, b.sequence, b.pubkey) == (9, 0, None)
