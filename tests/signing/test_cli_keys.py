"""``ics-workbench keys ...`` end to end (in-process, in-memory keyring), including the no-secret-leak rule."""

from __future__ import annotations

import io
import json
import logging
from itertools import pairwise
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from mnemonic import Mnemonic

from ics_workbench.cli import main
from ics_workbench.signing.hdpath import DEFAULT_HD_PATH, parse_hd_path
from ics_workbench.signing.keys import derive_private_key, mnemonic_to_seed

SECRET_MNEMONIC = Mnemonic("english").to_mnemonic(bytes(range(100, 132)))
SECRET_KEY = derive_private_key(mnemonic_to_seed(SECRET_MNEMONIC), parse_hd_path(DEFAULT_HD_PATH))


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["-vv", *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_no_secret(text: str) -> None:
    import base64

    words = SECRET_MNEMONIC.split()
    for first, second in pairwise(words):
        assert f"{first} {second}" not in text
    assert SECRET_KEY.hex() not in text and SECRET_KEY.hex().upper() not in text
    assert base64.b64encode(SECRET_KEY).decode() not in text


def test_recover_list_show_delete(monkeypatch, capsys, memory_keyring) -> None:
    code, out, _ = run(monkeypatch, capsys, "keys", "add", "val", "--recover", "--prefix", "neutron",
                       stdin=SECRET_MNEMONIC + "\n")
    assert code == 0
    assert "address: neutron1" in out
    assert_no_secret(out)
    code, out, _ = run(monkeypatch, capsys, "keys", "show", "val", "--prefix", "cosmos")
    assert code == 0 and out.strip().startswith("cosmos1")
    code, out, _ = run(monkeypatch, capsys, "keys", "list", "--json")
    [entry] = json.loads(out)
    assert entry["name"] == "val" and entry["kind"] == "local" and entry["hd_path"] == DEFAULT_HD_PATH
    code, _, err = run(monkeypatch, capsys, "keys", "delete", "val")
    assert code == 2 and "pass --yes" in err
    code, out, _ = run(monkeypatch, capsys, "keys", "delete", "val", "--yes")
    assert code == 0 and memory_keyring.store == {}


def test_create_shows_24_words_once(monkeypatch, capsys, memory_keyring) -> None:
    code, out, err = run(monkeypatch, capsys, "keys", "add", "fresh")
    assert code == 0
    phrase = out.strip().splitlines()[-1]
    assert len(phrase.split()) == 24 and "shown only this once" in err
    code, out, _ = run(monkeypatch, capsys, "keys", "list")
    assert phrase.split()[0] + " " + phrase.split()[1] not in out


def test_recover_with_passphrase_and_path(monkeypatch, capsys, memory_keyring) -> None:
    code, out, _ = run(monkeypatch, capsys, "keys", "add", "p", "--recover", "--passphrase", "--hd-path",
                       "m/44'/118'/0'/0/1000", stdin=SECRET_MNEMONIC + "\nextra words\n")
    assert code == 0 and "hd path: m/44'/118'/0'/0/1000" in out
    code, plain, _ = run(monkeypatch, capsys, "keys", "add", "q", "--recover", stdin=SECRET_MNEMONIC + "\n")
    assert plain.splitlines()[1] != out.splitlines()[1]


def test_watch_only_account(monkeypatch, capsys, memory_keyring) -> None:
    code, _, _ = run(monkeypatch, capsys, "keys", "add-watch", "w", "cosmos1r5v5srda7xfth3hn2s26txvrcrntldjumt8mhl")
    assert code == 0
    code, out, _ = run(monkeypatch, capsys, "keys", "list")
    assert "w\twatch\tcosmos1r5v5srda7xfth3hn2s26txvrcrntldjumt8mhl" in out
    code, _, err = run(monkeypatch, capsys, "keys", "add-watch", "x", "cosmos1r5v5srda7xfth3hn2s26txvrcrntldjumt8mhm")
    assert code == 2 and "not a valid bech32 address" in err


def test_raw_key_import_export_require_flags(monkeypatch, capsys, memory_keyring) -> None:
    code, _, err = run(monkeypatch, capsys, "keys", "export", "nobody", "--unsafe-export-private-key")
    assert code == 1 and "no key named 'nobody'" in err
    code, _, _ = run(monkeypatch, capsys, "keys", "add", "raw", "--unsafe-import-private-key", stdin="22" * 32 + "\n")
    assert code == 0
    code, _, err = run(monkeypatch, capsys, "keys", "export", "raw")
    assert code == 1 and "confirm explicitly" in err
    code, out, _ = run(monkeypatch, capsys, "keys", "export", "raw", "--unsafe-export-private-key")
    assert code == 0 and out.strip() == "22" * 32


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("--recover",), " ".join(SECRET_MNEMONIC.split()[:-1] + ["zoo"]), "checksum does not match"),
        (("--recover",), " ".join(SECRET_MNEMONIC.split()[:5] + ["qwertyx"] + SECRET_MNEMONIC.split()[6:]),
         "word 6 of 24 is not in the BIP39 English word list"),
        (("--recover", "--hd-path", "m/44'/118'/0'/0/00"), SECRET_MNEMONIC, "level 5 (address index) is '00'"),
        (("--recover", "--prefix", "Cosmos"), SECRET_MNEMONIC, "invalid bech32 prefix 'Cosmos'"),
    ],
)
def test_bad_input_is_precise_and_leaks_nothing(
    monkeypatch, capsys, caplog, memory_keyring, args, stdin, message
) -> None:
    caplog.set_level(logging.DEBUG)
    code, out, err = run(monkeypatch, capsys, "keys", "add", "bad", *args, stdin=stdin + "\n")
    assert code == 2
    assert message in err
    assert memory_keyring.store == {}
    assert_no_secret(out + err + caplog.text)


def test_keyring_failure_is_clear_and_leaks_nothing(monkeypatch, capsys, caplog, app_home: Path) -> None:
    caplog.set_level(logging.DEBUG)
    keyring.set_keyring(keyring.backends.fail.Keyring())
    code, out, err = run(monkeypatch, capsys, "keys", "add", "val", "--recover", stdin=SECRET_MNEMONIC + "\n")
    assert code == 1
    assert "keyring.backends.fail.Keyring" in err and "Nothing was written anywhere else" in err
    assert_no_secret(out + err + caplog.text)
    assert not (app_home / "data" / "keys.json").exists()
