"""The air-gapped round trip against the real local provider, through the real CLI in subprocesses.

Two ICS_WORKBENCH_HOMEs stand for two machines: the online one holds only watch-only accounts (address +
pubkey) and talks to the node; the air-gapped one holds the keys (in its keyring) and runs with ``--offline``.
The binary (`interchain-security-pd`, the same code path as `gaiad`) writes the --generate-only JSON, and its
`tx broadcast` accepts our signed JSON. A gov proposal, a vote and an opt-in are offline-signed and included.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from ics_workbench.devnet.genesis import ChainSettings
from ics_workbench.devnet.seed import create_consumer
from ics_workbench.signing.hdpath import DEFAULT_HD_PATH, parse_hd_path
from ics_workbench.signing.keys import derive_private_key, mnemonic_to_seed, normalize_mnemonic, public_key_from_private

ROOT = Path(__file__).resolve().parents[2]


class Machine:
    """One ics-workbench installation (its own home and keyring file)."""

    def __init__(self, root: Path, name: str) -> None:
        self.env = dict(os.environ)
        self.env.update(
            ICS_WORKBENCH_HOME=str(root / name),
            PYTHON_KEYRING_BACKEND="tests.signing.file_keyring.FileKeyring",
            ICSW_TEST_KEYRING_FILE=str(root / f"{name}-keyring.json"),
            PYTHONPATH=str(ROOT),
        )

    def run(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "ics_workbench", *args], input=stdin, capture_output=True,
                                text=True, env=self.env, timeout=180, cwd=ROOT)
        assert result.returncode == 0, f"ics-workbench {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result


def pubkey_b64(mnemonic: str) -> str:
    key = derive_private_key(mnemonic_to_seed(normalize_mnemonic(mnemonic)), parse_hd_path(DEFAULT_HD_PATH))
    return base64.b64encode(public_key_from_private(key)).decode()


def generate_only(chain: Any, *args: str, sender: str) -> dict[str, Any]:
    out = chain.cli("tx", *args, "--from", sender, "--generate-only", "--chain-id", chain.chain_id,
                    "--node", chain.node_address, "--fees", "5000stake", "--gas", "400000")
    return json.loads(out.stdout)


def offline_round_trip(chain: Any, online: Machine, airgap: Machine, tmp: Path, name: str, unsigned: dict[str, Any],
                       account: str, *extra: str) -> Path:
    """request (online) -> sign (--offline) -> verify (online); returns the signed file."""
    (tmp / f"{name}.gaiad.json").write_text(json.dumps(unsigned))
    request = tmp / f"{name}.request.json"
    online.run("tx", "request", str(tmp / f"{name}.gaiad.json"), "--key", f"{account}-watch",
               "--chain-id", chain.chain_id, "--rest", chain.rest_url, "-o", str(request), *extra)
    signed = tmp / f"{name}.signed.json"
    shown = airgap.run("--offline", "tx", "sign", str(request), "--key", account, "--yes", "-o", str(signed))
    assert json.loads(request.read_text())["sign_bytes_sha256"] in shown.stdout
    checked = online.run("tx", "verify", str(signed), "--request", str(request))
    assert "matches the exported request" in checked.stdout
    return signed


def test_offline_signed_proposal_vote_and_opt_in_are_accepted(devnet_factory: Any, tmp_path: Path) -> None:
    # a voting period long enough for two offline round trips through subprocesses
    chain = devnet_factory(seed=False, settings=ChainSettings(voting_period="120s"))
    online, airgap = Machine(tmp_path, "online"), Machine(tmp_path, "airgap")
    for account, devnet_account in (("user", chain.user), ("val-a", chain.validator_a)):
        airgap.run("keys", "add", account, "--recover", stdin=devnet_account.mnemonic + "\n")
        online.run("keys", "add-watch", f"{account}-watch", devnet_account.address,
                   "--pubkey", pubkey_b64(devnet_account.mnemonic))

    # 1. gov v1 text proposal by the user, broadcast by the workbench over REST and tracked.
    proposal = {"messages": [], "metadata": "offline-test", "deposit": f"{chain.settings.min_deposit}stake",
                "title": "offline signed", "summary": "signed on an air-gapped ics-workbench"}
    proposal_path = chain.write_json("offline-proposal.json", proposal)
    unsigned = generate_only(chain, "gov", "submit-proposal", str(proposal_path), sender=chain.user.address)
    signed = offline_round_trip(chain, online, airgap, tmp_path, "proposal", unsigned, "user")
    result = online.run("tx", "broadcast", str(signed), "--rest", chain.rest_url, "--timeout", "30")
    assert "success" in result.stdout
    assert json.loads(signed.read_text())["state"] == "broadcast"
    proposals = chain.query("gov", "proposals")["proposals"]
    proposal_id = max(int(p["id"]) for p in proposals if p.get("metadata") == "offline-test")

    # 2. validator A votes; the signed JSON we export goes through the binary's own `tx broadcast`.
    unsigned = generate_only(chain, "gov", "vote", str(proposal_id), "yes", sender=chain.validator_a.address)
    signed = offline_round_trip(chain, online, airgap, tmp_path, "vote", unsigned, "val-a")
    online.run("tx", "export-gaiad", str(signed), "-o", str(tmp_path / "vote.broadcast.json"))
    checked = chain.cli("tx", "validate-signatures", str(tmp_path / "vote.broadcast.json"), "--chain-id",
                        chain.chain_id, "--node", chain.node_address)
    assert "[OK]" in checked.stdout + checked.stderr and "ERR" not in checked.stdout + checked.stderr
    sent = json.loads(chain.cli("tx", "broadcast", str(tmp_path / "vote.broadcast.json"), "--node",
                                chain.node_address, "--broadcast-mode", "sync", "--output", "json").stdout)
    assert int(sent.get("code", 0)) == 0, sent
    chain.wait_for(lambda: chain._tx_included(sent["txhash"]), "the offline-signed vote to be included", 30)
    assert int(chain.query("tx", sent["txhash"])["code"]) == 0
    votes = chain.query("gov", "votes", str(proposal_id))["votes"]
    assert chain.validator_a.address in {v["voter"] for v in votes}

    # 2b. the user votes in SIGN_MODE_LEGACY_AMINO_JSON (what a Ledger signs), broadcast over REST.
    unsigned = generate_only(chain, "gov", "vote", str(proposal_id), "no", sender=chain.user.address)
    signed = offline_round_trip(chain, online, airgap, tmp_path, "amino-vote", unsigned, "user",
                                "--sign-mode", "amino-json")
    assert json.loads(signed.read_text())["sign_mode"] == "SIGN_MODE_LEGACY_AMINO_JSON"
    assert "success" in online.run("tx", "broadcast", str(signed), "--rest", chain.rest_url).stdout
    votes = chain.query("gov", "votes", str(proposal_id))["votes"]
    assert {chain.user.address, chain.validator_a.address} <= {v["voter"] for v in votes}

    # 3. validator A opts in to a new consumer (ICS message: SIGN_MODE_DIRECT only).
    consumer_id = create_consumer(chain, "offline-1", "offline", None, sender="user")
    unsigned = generate_only(chain, "provider", "opt-in", consumer_id, sender=chain.validator_a.address)
    signed = offline_round_trip(chain, online, airgap, tmp_path, "opt-in", unsigned, "val-a")
    result = online.run("tx", "broadcast", str(signed), "--rest", chain.rest_url, "--timeout", "30")
    assert "success" in result.stdout
    answer = httpx.get(f"{chain.rest_url}/interchain_security/ccv/provider/opted_in_validators/{consumer_id}",
                       timeout=10).json()
    assert chain.validator_a.valcons in answer["validators_provider_addresses"]


def test_offline_multisig_collected_on_two_airgapped_machines_is_accepted(devnet_factory: Any, tmp_path: Path) -> None:
    from mnemonic import Mnemonic

    chain = devnet_factory(seed=False)
    online, first, second = Machine(tmp_path, "online"), Machine(tmp_path, "first"), Machine(tmp_path, "second")
    phrases = [Mnemonic("english").to_mnemonic(bytes([0x50 + i]) * 32) for i in range(3)]
    members = [pubkey_b64(p) for p in phrases]
    first.run("keys", "add", "m0", "--recover", stdin=phrases[0] + "\n")
    second.run("keys", "add", "m2", "--recover", stdin=phrases[2] + "\n")
    from ics_workbench.signing.multisig import multisig_address
    from ics_workbench.signing.tx import MultisigSpec

    address = multisig_address(MultisigSpec(2, tuple(base64.b64decode(k) for k in members)), "cosmos")
    chain.tx("bank", "send", chain.user.address, address, "100000stake", sender="user")

    send = chain.cli("tx", "bank", "send", address, chain.user.address, "1000stake", "--generate-only",
                     "--chain-id", chain.chain_id, "--node", chain.node_address, "--fees", "5000stake",
                     "--gas", "300000")
    (tmp_path / "send.json").write_text(send.stdout)
    multisig_args = ["--multisig-threshold", "2"] + [a for k in members for a in ("--multisig-pubkey", k)]
    online.run("tx", "request", str(tmp_path / "send.json"), *multisig_args, "--chain-id", chain.chain_id,
               "--rest", chain.rest_url, "-o", str(tmp_path / "req.json"))
    first.run("--offline", "tx", "sign", str(tmp_path / "req.json"), "--key", "m0", "--yes",
              "-o", str(tmp_path / "part0.json"))
    second.run("--offline", "tx", "sign", str(tmp_path / "req.json"), "--key", "m2", "--yes",
               "-o", str(tmp_path / "part2.json"))
    online.run("tx", "combine", str(tmp_path / "part0.json"), str(tmp_path / "part2.json"),
               "-o", str(tmp_path / "signed.json"))
    online.run("tx", "verify", str(tmp_path / "signed.json"), "--request", str(tmp_path / "req.json"))
    result = online.run("tx", "broadcast", str(tmp_path / "signed.json"), "--rest", chain.rest_url)
    assert "success" in result.stdout
