"""The air-gapped round trip through the real CLI in subprocesses: request on the "online" side, sign with
``--offline`` (no socket even attempted), verify, broadcast to a real local HTTP node, QR transport."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from mnemonic import Mnemonic

from ics_workbench.addresses import address_bytes_from_public_key, encode_address
from ics_workbench.signing.hdpath import DEFAULT_HD_PATH, parse_hd_path
from ics_workbench.signing.keys import derive_private_key, mnemonic_to_seed, public_key_from_private
from tests.signing.node_server import NodeState, fake_node

ROOT = Path(__file__).resolve().parents[2]
MNEMONIC = Mnemonic("english").to_mnemonic(bytes(range(7, 39)))
PRIVATE_KEY = derive_private_key(mnemonic_to_seed(MNEMONIC), parse_hd_path(DEFAULT_HD_PATH))
PUBKEY = public_key_from_private(PRIVATE_KEY)
ADDRESS = encode_address(address_bytes_from_public_key(PUBKEY), "cosmos")

# The child signs through the CLI with an audit hook recording every socket event, then checks that an
# explicit IP socket attempt is refused afterwards (and that the hook saw that attempt, so it can see any).
SIGN_OFFLINE = textwrap.dedent(
    """
    import socket, sys
    events = []
    def hook(event, args):
        if event in ("socket.__new__", "socket.connect", "socket.getaddrinfo", "socket.bind", "socket.sendto"):
            events.append((event, repr(args)[:80]))
    sys.addaudithook(hook)
    from ics_workbench.cli import main
    code = main(sys.argv[1:])
    ip_events = [e for e in events if "AddressFamily.AF_UNIX" not in e[1] and "<AddressFamily.AF_UNIX" not in e[1]]
    before = len(events)
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        refused = False
    except Exception as exc:
        refused = type(exc).__name__ == "OfflineError"
    import _socket  # below the guard: proves the hook would have seen any socket that slipped past it
    try:
        _socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()  # refused by the offline audit hook too
    except Exception:
        pass
    hook_sees_attempts = len(events) > before
    print("RESULT", code, ip_events, refused and hook_sees_attempts)
    """
)


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        ICS_WORKBENCH_HOME=str(tmp_path / "home"),
        PYTHON_KEYRING_BACKEND="tests.signing.file_keyring.FileKeyring",
        ICSW_TEST_KEYRING_FILE=str(tmp_path / "keyring.json"),
        PYTHONPATH=str(ROOT),
    )
    return environment


def cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ics_workbench", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120, cwd=ROOT)


def gaiad_vote(voter: str) -> dict:
    """What `gaiad tx gov vote 7 yes --from X --generate-only --fees 5000stake` writes."""
    return {
        "body": {"messages": [{"@type": "/cosmos.gov.v1.MsgVote", "proposal_id": "7", "voter": voter,
                               "option": "VOTE_OPTION_YES", "metadata": ""}],
                 "memo": "", "timeout_height": "0", "extension_options": [], "non_critical_extension_options": []},
        "auth_info": {"signer_infos": [], "fee": {"amount": [{"denom": "stake", "amount": "5000"}],
                                                  "gas_limit": "200000", "payer": "", "granter": ""}, "tip": None},
        "signatures": [],
    }


def make_request(env: dict[str, str], tmp_path: Path) -> Path:
    assert (
        cli(
            env, "keys", "add-watch", "hot", ADDRESS, "--pubkey", __import__("base64").b64encode(PUBKEY).decode()
        ).returncode
        == 0
    )
    (tmp_path / "vote.json").write_text(json.dumps(gaiad_vote(ADDRESS)))
    made = cli(env, "tx", "request", str(tmp_path / "vote.json"), "--key", "hot", "--chain-id", "provider",
               "--account-number", "12", "--sequence", "3", "-o", str(tmp_path / "req.json"))
    assert made.returncode == 0, made.stderr
    assert "VOTE_OPTION_YES" in made.stdout
    return tmp_path / "req.json"


def test_offline_sign_opens_no_socket_and_produces_a_verifiable_tx(env: dict[str, str], tmp_path: Path) -> None:
    request = make_request(env, tmp_path)
    added = cli(env, "keys", "add", "cold", "--recover", stdin=MNEMONIC + "\n")
    assert added.returncode == 0, added.stderr
    result = subprocess.run(
        [sys.executable, "-c", SIGN_OFFLINE, "--offline", "tx", "sign", str(request), "--key", "cold", "--yes",
         "-o", str(tmp_path / "signed.json")],
        capture_output=True, text=True, env=env, timeout=120, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "RESULT 0 [] True" in result.stdout, result.stdout + result.stderr
    review_hash = json.loads(request.read_text())["sign_bytes_sha256"]
    assert review_hash in result.stdout  # same hash shown on both machines

    verified = cli(env, "tx", "verify", str(tmp_path / "signed.json"), "--request", str(request))
    assert verified.returncode == 0, verified.stderr
    assert (
        "matches the exported request" in verified.stdout
        and "(SIGN_MODE_DIRECT): valid for chain provider, account 12, sequence 3" in verified.stdout
    )

    exported = cli(env, "tx", "export-gaiad", str(tmp_path / "signed.json"), "-o", str(tmp_path / "gaiad.json"))
    assert exported.returncode == 0
    gaiad = json.loads((tmp_path / "gaiad.json").read_text())
    assert len(gaiad["signatures"]) == 1 and gaiad["auth_info"]["signer_infos"][0]["sequence"] == "3"


def test_sign_refuses_wrong_key_chain_and_account(env: dict[str, str], tmp_path: Path) -> None:
    request = make_request(env, tmp_path)
    other = Mnemonic("english").to_mnemonic(bytes(range(50, 82)))
    assert cli(env, "keys", "add", "other", "--recover", stdin=other + "\n").returncode == 0
    wrong_key = cli(env, "--offline", "tx", "sign", str(request), "--key", "other", "--yes")
    assert wrong_key.returncode == 1 and f"this file is for account {ADDRESS}, but key 'other'" in wrong_key.stderr
    assert cli(env, "keys", "add", "cold", "--recover", stdin=MNEMONIC + "\n").returncode == 0
    wrong_chain = cli(env, "--offline", "tx", "sign", str(request), "--key", "cold", "--yes", "--chain-id", "hub")
    assert (
        wrong_chain.returncode == 2
        and "wrong chain id: the file is for 'provider', you expect 'hub'" in wrong_chain.stderr
    )
    wrong_account = cli(env, "--offline", "tx", "sign", str(request), "--key", "cold", "--yes", "--account-number", "1")
    assert wrong_account.returncode == 2 and "the file says 12, you expect 1" in wrong_account.stderr
    unconfirmed = cli(env, "--offline", "tx", "sign", str(request), "--key", "cold")
    assert unconfirmed.returncode == 2 and "pass --yes" in unconfirmed.stderr
    assert not list(tmp_path.glob("*.signed.json"))


def test_broadcast_tracks_and_marks_file_and_refuses_other_chain(env: dict[str, str], tmp_path: Path) -> None:
    request = make_request(env, tmp_path)
    assert cli(env, "keys", "add", "cold", "--recover", stdin=MNEMONIC + "\n").returncode == 0
    signed = tmp_path / "signed.json"
    assert (
        cli(env, "--offline", "tx", "sign", str(request), "--key", "cold", "--yes", "-o", str(signed)).returncode == 0
    )
    account = {"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": ADDRESS, "account_number": "12",
               "sequence": "3", "pub_key": None}
    other_chain = NodeState(accounts={ADDRESS: account}, chain_id="cosmoshub-4")
    with fake_node(other_chain) as url:
        refused = cli(env, "tx", "broadcast", str(signed), "--rest", url)
    assert (
        refused.returncode == 1
        and "wrong chain id: the file is for 'provider', the chain is 'cosmoshub-4'" in refused.stderr
    )
    assert other_chain.received == []

    rejecting = NodeState(accounts={ADDRESS: account}, check_code=13, check_log="insufficient fee")
    with fake_node(rejecting) as url:
        failed = cli(env, "tx", "broadcast", str(signed), "--rest", url)
    assert failed.returncode == 1 and "code 13" in failed.stderr and "insufficient fee" in failed.stderr
    [kept] = (tmp_path / "home" / "data" / "signed").glob("*.json")
    assert str(kept) in failed.stderr
    assert cli(env, "tx", "verify", str(kept)).returncode == 0  # the kept copy is a complete signed file

    state = NodeState(accounts={ADDRESS: account}, polls_before_inclusion=0)
    with fake_node(state) as url:
        done = cli(env, "tx", "broadcast", str(signed), "--rest", url)
    assert done.returncode == 0, done.stderr
    assert "success, height 42" in done.stdout and "gas used 81234" in done.stdout
    assert len(state.received) == 1
    marked = json.loads(signed.read_text())
    assert marked["state"] == "broadcast" and marked["broadcast"]["height"] == 42
    again = cli(env, "tx", "broadcast", str(signed), "--rest", "http://127.0.0.1:9")
    assert again.returncode == 2 and "already broadcast" in again.stderr


def test_qr_transport_of_a_signing_file(env: dict[str, str], tmp_path: Path) -> None:
    request = make_request(env, tmp_path)
    out = cli(env, "tx", "qr-export", str(request), str(tmp_path / "frames"))
    assert out.returncode == 0, out.stderr
    frames = sorted((tmp_path / "frames").glob("*.png"), reverse=True)  # any order
    back = cli(env, "tx", "qr-import", *map(str, frames), "-o", str(tmp_path / "back.json"))
    assert back.returncode == 0, back.stderr
    assert (tmp_path / "back.json").read_bytes() == request.read_bytes()
    missing = (
        cli(env, "tx", "qr-import", *map(str, frames[1:]), "-o", str(tmp_path / "x.json")) if len(frames) > 1 else None
    )
    if missing is not None:
        assert missing.returncode == 2 and "QR frames are missing" in missing.stderr  # an incomplete input


def test_multisig_round_trip_through_the_cli(env: dict[str, str], tmp_path: Path) -> None:
    import base64

    phrases = [Mnemonic("english").to_mnemonic(bytes([i]) * 32) for i in (1, 2, 3)]
    pubkeys = []
    for number, phrase in enumerate(phrases):
        added = cli(env, "keys", "add", f"m{number}", "--recover", stdin=phrase + "\n")
        assert added.returncode == 0, added.stderr
        pubkeys.append(added.stdout.split("pubkey:")[1].split()[0])
    args = ["--multisig-threshold", "2", *sum((["--multisig-pubkey", k] for k in pubkeys), []),
            "--chain-id", "provider", "--account-number", "20", "--sequence", "0"]
    from ics_workbench.signing.multisig import multisig_address
    from ics_workbench.signing.tx import MultisigSpec

    address = multisig_address(MultisigSpec(2, tuple(base64.b64decode(k) for k in pubkeys)), "cosmos")
    (tmp_path / "vote.json").write_text(json.dumps(gaiad_vote(address)))
    made = cli(env, "tx", "request", str(tmp_path / "vote.json"), *args, "-o", str(tmp_path / "req.json"))
    assert made.returncode == 0, made.stderr
    assert "Multisig 2-of-3" in made.stdout
    for number in (0, 2):
        signed = cli(env, "--offline", "tx", "sign", str(tmp_path / "req.json"), "--key", f"m{number}", "--yes",
                     "-o", str(tmp_path / f"part{number}.json"))
        assert signed.returncode == 0, signed.stderr
        assert "partially signed" in signed.stdout
    short = cli(env, "tx", "combine", str(tmp_path / "part0.json"), "-o", str(tmp_path / "x.json"))
    assert short.returncode == 1 and "1 of 3 signatures present; the threshold is 2" in short.stderr
    combined = cli(env, "tx", "combine", str(tmp_path / "part0.json"), str(tmp_path / "part2.json"),
                   "-o", str(tmp_path / "signed.json"))
    assert combined.returncode == 0, combined.stderr
    verified = cli(env, "tx", "verify", str(tmp_path / "signed.json"), "--request", str(tmp_path / "req.json"))
    assert verified.returncode == 0, verified.stderr
    assert "2 valid signature(s), threshold 2" in verified.stdout


# --- UR route: `tx ur-export` / `tx ur-import` -------------------------------------------------------------
# The request goes out as Keystone UR QR frames and text, a device (played here from the scanned frames, with the
# real key) answers with a cosmos-signature QR image, and the import attaches it after checking request id, key
# and signature.

def test_ur_export_then_a_device_answer_imported_from_a_qr_image(env: dict[str, str], tmp_path: Path) -> None:
    from ics_workbench.signing.offline_file import load
    from ics_workbench.signing.qr import decode_png_frames, qr_png
    from ics_workbench.signing.secp256k1 import PrivateKeySigner
    from ics_workbench.signing.ur import codec, keystone

    request = make_request(env, tmp_path)
    out = cli(env, "tx", "ur-export", str(request), str(tmp_path / "ur"), "--xfp", "F23F9FD2")
    assert out.returncode == 0, out.stderr
    assert "cosmos-sign-request" in out.stdout and load(request).sign_bytes_sha256() in out.stdout
    frames = sorted((tmp_path / "ur").glob("ur-*.png"))
    texts = decode_png_frames([p.read_bytes() for p in frames[::-1]])
    assert all(t.startswith("UR:COSMOS-SIGN-REQUEST/") for t in texts)
    assert (tmp_path / "ur" / "request.ur.txt").read_text().split() == [t.lower() for t in texts[::-1]]

    # the device: reads the request, signs its sign data with the key at the path, answers
    scanned = keystone.parse_sign_request(codec.decode(texts))
    signer = PrivateKeySigner(PRIVATE_KEY)
    answer = keystone.SignatureAnswer(scanned.request_id, signer.sign(scanned.sign_data), signer.public_key())
    (tmp_path / "answer.png").write_bytes(qr_png(codec.encode_single(keystone.signature_ur(answer)).upper()))

    imported = cli(env, "tx", "ur-import", str(request), str(tmp_path / "answer.png"), "-o", str(tmp_path / "s.json"))
    assert imported.returncode == 0, imported.stderr
    assert load(tmp_path / "s.json").state == "signed"
    assert cli(env, "tx", "verify", str(tmp_path / "s.json"), "--request", str(request)).returncode == 0

    # an answer to another request is refused in one line, and nothing is written
    wrong = keystone.SignatureAnswer(bytes(16), answer.signature, answer.public_key)
    (tmp_path / "wrong.txt").write_text(codec.encode_single(keystone.signature_ur(wrong)) + "\n")
    refused = cli(env, "tx", "ur-import", str(request), str(tmp_path / "wrong.txt"), "-o", str(tmp_path / "w.json"))
    assert refused.returncode != 0 and "answers another request" in refused.stderr
    assert "Traceback" not in refused.stderr and not (tmp_path / "w.json").exists()
