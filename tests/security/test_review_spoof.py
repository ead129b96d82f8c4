"""What you see is what you sign: a crafted request cannot hide a message from the review (CLI and core), and
the review depends on the signed bytes alone (not on the file's unsigned ``ics_version`` label)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import cosmpy.protos  # noqa: F401
import pytest
from cosmos.gov.v1 import tx_pb2 as gov_tx

from ics_workbench.proto import provider_tx_pb2, registry
from ics_workbench.signing import render
from ics_workbench.signing.tx import SignerSpec, UnsignedTx, build_unsigned_tx
from tests.signing.offline_helpers import FEE, address_of
from tests.signing.test_offline_cli import ADDRESS, MNEMONIC, PUBKEY

ROOT = Path(__file__).resolve().parents[2]
OTHER = "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"
# Cursor up, erase line, carriage return, bidi override: what an attacker uses to rewrite the review on screen.
HOSTILE = "\x1b[3A\x1b[2K\r\x1b[1A\x1b[2K\x1b[J\u202e\x9b2J hidden"


def spoof_gaiad_json(voter: str) -> dict:
    vote = {"@type": "/cosmos.gov.v1.MsgVote", "proposal_id": "2", "voter": voter, "option": "VOTE_OPTION_YES",
            "metadata": ""}
    send = {"@type": "/cosmos.bank.v1beta1.MsgSend", "from_address": voter, "to_address": OTHER,
            "amount": [{"denom": "stake", "amount": "1000000000"}]}
    return {
        "body": {"messages": [vote, send, dict(vote, metadata=HOSTILE)], "memo": "\x1b[2K", "timeout_height": "0",
                 "extension_options": [], "non_critical_extension_options": []},
        "auth_info": {"signer_infos": [], "fee": {"amount": [{"denom": "stake", "amount": "5000"}],
                                                  "gas_limit": "200000", "payer": "", "granter": ""}, "tip": None},
        "signatures": [],
    }


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(ICS_WORKBENCH_HOME=str(tmp_path / "home"),
                       PYTHON_KEYRING_BACKEND="tests.signing.file_keyring.FileKeyring",
                       ICSW_TEST_KEYRING_FILE=str(tmp_path / "keyring.json"), PYTHONPATH=str(ROOT))
    return environment


def cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "ics_workbench", *args], input=stdin.encode(),
                          capture_output=True, env=env, timeout=120, cwd=ROOT)


def assert_all_three_shown(out: bytes) -> None:
    assert b"\x1b" not in out and b"\x9b" not in out and "\u202e".encode() not in out and b"\r" not in out
    text = out.decode()
    assert "Transaction with 3 message(s):" in text
    head = text[text.index("Transaction with 3 message(s):"):].splitlines()[1:4]
    assert head == ["  1. /cosmos.gov.v1.MsgVote", "  2. /cosmos.bank.v1beta1.MsgSend", "  3. /cosmos.gov.v1.MsgVote"]
    assert f"Send 1000000000stake from {ADDRESS} to {OTHER}" in text
    assert "metadata: \\x1b[3A\\x1b[2K\\r\\x1b[1A\\x1b[2K\\x1b[J<U+202E>\\x9b2J hidden" in text


def test_spoofed_request_shows_every_message_in_tx_request_show_and_sign(env: dict[str, str], tmp_path: Path) -> None:
    assert cli(env, "keys", "add-watch", "hot", ADDRESS, "--pubkey", base64.b64encode(PUBKEY).decode()).returncode == 0
    assert cli(env, "keys", "add", "cold", "--recover", stdin=MNEMONIC + "\n").returncode == 0
    (tmp_path / "gen.json").write_text(json.dumps(spoof_gaiad_json(ADDRESS)))
    made = cli(env, "tx", "request", str(tmp_path / "gen.json"), "--key", "hot", "--chain-id", "provider",
               "--account-number", "12", "--sequence", "3", "-o", str(tmp_path / "req.json"))
    assert made.returncode == 0, made.stderr
    assert_all_three_shown(made.stdout)
    shown = cli(env, "tx", "show", str(tmp_path / "req.json"))
    assert shown.returncode == 0, shown.stderr
    assert_all_three_shown(shown.stdout)
    signed = cli(env, "--offline", "tx", "sign", str(tmp_path / "req.json"), "--key", "cold", "--yes",
                 "-o", str(tmp_path / "signed.json"))
    assert signed.returncode == 0, signed.stderr
    assert_all_three_shown(signed.stdout)
    assert b"\x1b" not in signed.stderr


def _proposal_with_top_n() -> UnsignedTx:
    authority = "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn"
    addition = provider_tx_pb2.MsgConsumerAddition(chain_id="consumer-1", top_N=95, authority=authority)
    proposal = gov_tx.MsgSubmitProposal(messages=[registry.pack(addition)], proposer=address_of(PUBKEY),
                                        title="t", summary="s")
    return build_unsigned_tx([proposal], signers=[SignerSpec(PUBKEY, sequence=1)], fee=FEE)


def test_an_unsigned_version_label_cannot_change_the_review() -> None:
    unsigned = _proposal_with_top_n()
    honest = render.review(unsigned, prefix="cosmos").text()
    relabelled = UnsignedTx(unsigned.body_bytes, unsigned.auth_info_bytes, "v5.0.0")
    assert render.review(relabelled, prefix="cosmos").text() == honest
    assert "top_N: 95" in honest


def test_v5_0_0_bytes_are_detected_from_the_bytes_and_unknown_fields_are_listed() -> None:
    authority = "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn"
    addition = provider_tx_pb2.MsgConsumerAddition(chain_id="consumer-1", authority=authority)
    old = registry.pack(addition, ics_version="v5.0.0")
    msg, layout, unknown = render.decode_message(old)
    assert layout == "v5.0.0" and not unknown and msg.authority == authority
    vote = gov_tx.MsgVote(proposal_id=1, voter=ADDRESS)
    extra = registry.pack(vote)
    extra.value += b"\xa0\x06\x07"  # field 100, varint 7: not in MsgVote
    _, _, unknown = render.decode_message(extra)
    assert unknown == ["#100 (wire type 0)"]
