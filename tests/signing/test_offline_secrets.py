"""Nothing secret in logs, stderr, stdout, exception text or files while signing succeeds or fails."""

from __future__ import annotations

import base64
import io
import logging
import traceback
from itertools import pairwise
from pathlib import Path

import keyring
import pytest
from mnemonic import Mnemonic

from ics_workbench.cli import main
from ics_workbench.signing.hdpath import DEFAULT_HD_PATH, parse_hd_path
from ics_workbench.signing.keys import derive_private_key, mnemonic_to_seed, public_key_from_private
from ics_workbench.signing.keystore import KeyringUnavailableError, KeyStore
from ics_workbench.signing.offline_file import OfflineFileError, sign
from tests.signing.offline_helpers import vote_request
from tests.signing.test_keystore import LockedKeyring

MNEMONIC = Mnemonic("english").to_mnemonic(bytes(range(200, 232)))
PRIVATE_KEY = derive_private_key(mnemonic_to_seed(MNEMONIC), parse_hd_path(DEFAULT_HD_PATH))


def assert_no_secret(text: str) -> None:
    words = MNEMONIC.split()
    for first, second in pairwise(words):
        assert f"{first} {second}" not in text, "mnemonic word pair leaked"
    for form in (PRIVATE_KEY.hex(), PRIVATE_KEY.hex().upper(), base64.b64encode(PRIVATE_KEY).decode(),
                 repr(PRIVATE_KEY)):
        assert form not in text, "private key leaked"


def all_files(root: Path) -> str:
    return "".join(p.read_bytes().decode("latin-1") for p in root.rglob("*") if p.is_file())


def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str, stdin: str = ""
) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["-vv", *args])
    out, err = capsys.readouterr()
    return code, out + err


def test_signing_success_and_failures_leak_nothing(monkeypatch, capsys, caplog, memory_keyring, tmp_path: Path,
                                                   app_home: Path) -> None:
    caplog.set_level(logging.DEBUG)
    seen = []
    code, text = cli(monkeypatch, capsys, "keys", "add", "cold", "--recover", stdin=MNEMONIC + "\n")
    assert code == 0
    seen.append(text)
    request = vote_request(public_key_from_private(PRIVATE_KEY))
    request.save(tmp_path / "req.json")

    # (no --offline here: it is irreversible for the process; test_offline_cli covers it in a subprocess)
    code, text = cli(monkeypatch, capsys, "tx", "sign", str(tmp_path / "req.json"), "--key", "cold",
                     "--yes", "-o", str(tmp_path / "signed.json"))
    assert code == 0
    seen.append(text)
    code, text = cli(monkeypatch, capsys, "tx", "sign", str(tmp_path / "signed.json"), "--key", "cold", "--yes")
    assert code == 1 and "already signed" in text
    seen.append(text)

    keyring.set_keyring(LockedKeyring())
    code, text = cli(monkeypatch, capsys, "tx", "sign", str(tmp_path / "req.json"), "--key", "cold", "--yes",
                     "-o", str(tmp_path / "other.json"))
    assert code == 1 and "locked" in text
    seen.append(text)
    with pytest.raises(KeyringUnavailableError) as info:
        sign(request, KeyStore().signer("cold"))
    seen.append("".join(traceback.format_exception(info.value)))
    keyring.set_keyring(memory_keyring)

    with pytest.raises(OfflineFileError) as wrong:
        sign(vote_request(public_key_from_private(bytes(range(1, 33)))), KeyStore().signer("cold"))
    seen.append("".join(traceback.format_exception(wrong.value)))
    seen.append(repr(KeyStore().signer("cold")))

    seen.append(caplog.text)
    seen.append(all_files(app_home) + all_files(tmp_path))
    assert_no_secret("\n".join(seen))
