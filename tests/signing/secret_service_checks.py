"""Checks that need a real Secret Service; ``test_keyring_service.py`` runs this file inside
``scripts/with-secret-service.sh`` (a private D-Bus session with an unlocked gnome-keyring). The file name does
not start with ``test_``, so a normal run does not collect it outside that session.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from mnemonic import Mnemonic

pytestmark = pytest.mark.keyring_service

ROOT = Path(__file__).resolve().parents[2]
# A mnemonic used only by this test; its words and key must appear in the keyring and nowhere on disk.
MNEMONIC = Mnemonic("english").to_mnemonic(hashlib.sha256(b"ics-workbench keyring_service test").digest())


def cli(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env["ICS_WORKBENCH_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "ics_workbench", *args], input=stdin, capture_output=True, text=True, env=env,
        timeout=120, cwd=ROOT,
    )


def secret_tool_lookup(name: str) -> str:
    result = subprocess.run(
        ["secret-tool", "lookup", "service", "ics-workbench", "username", f"key:{name}"],
        capture_output=True, text=True, timeout=30,
    )
    return result.stdout


@pytest.fixture(autouse=True)
def inside_the_private_session() -> None:
    assert os.environ.get("ICS_WORKBENCH_SECRET_SERVICE") == "1", "run through scripts/with-secret-service.sh"


def test_cli_key_lives_in_secret_service_and_in_no_file(tmp_path: Path) -> None:
    import keyring

    from ics_workbench.signing.hdpath import DEFAULT_HD_PATH, parse_hd_path
    from ics_workbench.signing.keys import (
        derive_private_key,
        mnemonic_to_seed,
        normalize_mnemonic,
        public_key_from_private,
    )

    backend = keyring.get_keyring()
    in_use = [type(b).__module__ for b in getattr(backend, "backends", [backend])]
    assert in_use[0] == "keyring.backends.SecretService", in_use
    home = tmp_path / "home"
    added = cli(home, "keys", "add", "svc", "--recover", stdin=MNEMONIC + "\n")
    assert added.returncode == 0, added.stderr

    expected = derive_private_key(mnemonic_to_seed(normalize_mnemonic(MNEMONIC)), parse_hd_path(DEFAULT_HD_PATH))
    stored = secret_tool_lookup("svc")
    assert json.loads(stored)["private_key"] == expected.hex()
    assert json.loads(keyring.get_password("ics-workbench", "key:svc"))["private_key"] == expected.hex()

    files = [p for p in home.rglob("*") if p.is_file()]
    assert files, "keys.json should exist"
    for path in files:
        data = path.read_bytes()
        assert expected.hex().encode() not in data, path
        assert base64.b64encode(expected) not in data, path
        for first, second in pairwise(MNEMONIC.split()):
            assert f"{first} {second}".encode() not in data, path
    listed = cli(home, "keys", "show", "svc")
    assert listed.returncode == 0 and listed.stdout.strip().startswith("cosmos1")

    # The air-gapped signer talks to the Secret Service over D-Bus (a Unix socket), which --offline allows.
    from ics_workbench.signing.offline_file import load, verify
    from tests.signing.offline_helpers import vote_request

    request = vote_request(public_key_from_private(expected))
    request.save(tmp_path / "req.json")
    signed = cli(home, "--offline", "tx", "sign", str(tmp_path / "req.json"), "--key", "svc", "--yes",
                 "-o", str(tmp_path / "signed.json"))
    assert signed.returncode == 0, signed.stderr
    assert any("valid for chain provider" in f for f in verify(load(tmp_path / "signed.json"), request))

    deleted = cli(home, "keys", "delete", "svc", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert secret_tool_lookup("svc") == ""
