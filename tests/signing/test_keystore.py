"""KeyStore: secrets only in the keyring, public facts only in keys.json, clear failures, no fallback."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from ics_workbench.errors import WorkbenchError
from ics_workbench.signing.keystore import (
    SERVICE,
    ConfirmationRequired,
    KeyExistsError,
    KeyNotFoundError,
    KeyringUnavailableError,
    KeyStore,
)

ABANDON = " ".join(["abandon"] * 23 + ["art"])
ABANDON_ADDRESS = "cosmos1r5v5srda7xfth3hn2s26txvrcrntldjumt8mhl"


class LockedKeyring(keyring.backend.KeyringBackend):
    """Behaves like a Secret Service whose collection stays locked (the user dismissed the prompt)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


def all_file_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def test_recover_stores_secret_in_keyring_and_only_public_facts_on_disk(app_home: Path, memory_keyring) -> None:
    store = KeyStore()
    record = store.recover("val", ABANDON)
    assert record.address == ABANDON_ADDRESS
    assert record.hd_path == "m/44'/118'/0'/0/0"
    private_key = store.load_private_key("val")
    secret = json.loads(memory_keyring.store[(SERVICE, "key:val")])
    assert secret["private_key"] == private_key.hex()
    on_disk = json.loads((app_home / "data" / "keys.json").read_text())
    assert on_disk["keys"][0] == {
        "name": "val",
        "kind": "local",
        "address": ABANDON_ADDRESS,
        "pubkey": record.pubkey,
        "hd_path": "m/44'/118'/0'/0/0",
        "source": "mnemonic",
    }
    everything = all_file_bytes(app_home)
    assert private_key.hex().encode() not in everything
    assert base64.b64encode(private_key) not in everything
    assert b"abandon" not in everything


def test_create_returns_a_mnemonic_that_recovers_the_same_key(memory_keyring) -> None:
    store = KeyStore()
    record, phrase = store.create("new", hd_path="m/44'/118'/0'/0/3")
    assert len(phrase.split()) == 24
    again = KeyStore(service="other-service").recover("copy", phrase, hd_path="m/44'/118'/0'/0/3")
    assert again.address == record.address and again.pubkey == record.pubkey


def test_list_show_prefix_delete(memory_keyring) -> None:
    store = KeyStore()
    store.recover("b", ABANDON)
    store.add_watch("a", "cosmos1r5v5srda7xfth3hn2s26txvrcrntldjumt8mhl")
    assert [r.name for r in store.list()] == ["a", "b"]
    assert store.get("b").address_for("neutron").startswith("neutron1")
    with pytest.raises(KeyExistsError, match="a key named 'b' already exists"):
        store.recover("b", ABANDON)
    store.delete("b")
    assert (SERVICE, "key:b") not in memory_keyring.store
    with pytest.raises(KeyNotFoundError, match="no key named 'b' \\(known keys: a\\)"):
        store.get("b")


def test_watch_only_checks_pubkey_and_cannot_sign(memory_keyring) -> None:
    store = KeyStore()
    real = store.recover("real", ABANDON)
    other = KeyStore(service="x").create("other")[0]
    with pytest.raises(WorkbenchError, match="does not belong to address"):
        store.add_watch("w", real.address, other.pubkey)
    watch = store.add_watch("w", real.address, real.pubkey)
    assert watch.kind == "watch" and watch.public_key_bytes == real.public_key_bytes
    with pytest.raises(WorkbenchError, match="is watch-only"):
        store.signer("w")
    with pytest.raises(WorkbenchError, match="not a valid bech32 address"):
        store.add_watch("bad", "cosmos1notanaddress")


def test_raw_key_import_and_export_need_confirmation(memory_keyring) -> None:
    store = KeyStore()
    with pytest.raises(ConfirmationRequired, match="confirm explicitly"):
        store.import_private_key("raw", "11" * 32, confirmed=False)
    assert store.list() == []
    record = store.import_private_key("raw", "11" * 32, confirmed=True)
    assert record.source == "private_key" and record.hd_path is None
    with pytest.raises(ConfirmationRequired):
        store.export_private_key("raw", confirmed=False)
    assert store.export_private_key("raw", confirmed=True) == "11" * 32


def test_fail_backend_gives_clear_message_and_writes_nothing(app_home: Path) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    store = KeyStore()
    with pytest.raises(KeyringUnavailableError) as info:
        store.recover("val", ABANDON)
    message = str(info.value)
    assert "keyring.backends.fail.Keyring" in message
    assert "Secret Service" in message and "Nothing was written anywhere else" in message
    assert not app_home.exists() or all_file_bytes(app_home) == b""
    assert store.list() == []


def test_locked_keyring_names_backend_and_keeps_nothing(app_home: Path) -> None:
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(KeyringUnavailableError, match=r"locked \(backend .*LockedKeyring\)"):
        KeyStore().recover("val", ABANDON)
    assert KeyStore().list() == []


def test_keyring_entry_missing_or_locked_at_signing_time(memory_keyring) -> None:
    store = KeyStore()
    store.recover("val", ABANDON)
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(KeyringUnavailableError, match="locked"):
        store.load_private_key("val")
    keyring.set_keyring(memory_keyring)
    del memory_keyring.store[(SERVICE, "key:val")]
    with pytest.raises(KeyringUnavailableError, match="missing from the OS keyring"):
        store.load_private_key("val")


def test_signer_repr_has_no_secret_and_key_is_not_cached(memory_keyring) -> None:
    store = KeyStore()
    store.recover("val", ABANDON)
    private_key = store.load_private_key("val")
    signer = store.signer("val")
    text = repr(signer) + repr(vars(signer)) + str(signer.__dict__)
    assert private_key.hex() not in text and "abandon" not in text
    assert not any(isinstance(v, bytes) and v == private_key for v in vars(signer).values())


def test_invalid_key_names_are_refused(memory_keyring) -> None:
    for bad in ("", "-x", "a b", "x" * 65, "../etc"):
        with pytest.raises(WorkbenchError, match="invalid key name"):
            KeyStore().recover(bad, ABANDON)
