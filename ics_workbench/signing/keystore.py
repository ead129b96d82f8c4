"""Named keys: secrets in the OS keyring, public facts in ``keys.json``.

The split is the whole point: ``data_dir()/keys.json`` (written atomically) holds only names, kinds,
addresses, public keys and HD paths, so it can be backed up, synced or shown in a bug report. The private
key goes to the ``keyring`` library (Secret Service, macOS Keychain, Windows Credential Locker) and nowhere
else; if the keyring cannot take it, the operation fails and nothing is written anywhere as a fallback.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import keyring
import keyring.errors

from ics_workbench import paths
from ics_workbench.addresses import address_bytes_from_public_key, decode_address, encode_address, validate_prefix
from ics_workbench.errors import WorkbenchError
from ics_workbench.fileio import locked, read_json_input, write_json_atomic
from ics_workbench.signing.hdpath import DEFAULT_HD_PATH, parse_hd_path
from ics_workbench.signing.keys import (
    derive_private_key,
    generate_mnemonic,
    mnemonic_to_seed,
    normalize_mnemonic,
    parse_private_key_hex,
    public_key_from_private,
)

log = logging.getLogger(__name__)

SERVICE = "ics-workbench"
KEYS_FILE_VERSION = 1
DEFAULT_PREFIX = "cosmos"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

KeyKind = Literal["local", "watch"]


class KeyringUnavailableError(WorkbenchError):
    """The OS keyring refused or is missing; the message names the backend and what to do about it."""


class KeyNotFoundError(WorkbenchError):
    pass


class KeyExistsError(WorkbenchError):
    pass


class ConfirmationRequired(WorkbenchError):
    """Raw private key import/export needs an explicit confirmation (``--unsafe-...`` flag / dialog)."""


@dataclass(frozen=True)
class KeyRecord:
    """What the app may know about a key without touching the keyring."""

    name: str
    kind: KeyKind
    address: str  # bech32 under the prefix it was created with; any other prefix is derived on demand
    pubkey: str | None  # base64 of the 33-byte compressed secp256k1 key (None: watch-only without pubkey)
    hd_path: str | None = None  # None for raw-key imports and watch-only accounts
    source: str | None = None  # "mnemonic" | "private_key" | None (watch-only)

    @property
    def address_bytes(self) -> bytes:
        return decode_address(self.address)[1]

    @property
    def public_key_bytes(self) -> bytes | None:
        return base64.b64decode(self.pubkey) if self.pubkey else None

    def address_for(self, prefix: str) -> str:
        return encode_address(self.address_bytes, validate_prefix(prefix))


def backend_name() -> str:
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _keyring_advice() -> str:
    return (
        "On Linux install and unlock a Secret Service provider (gnome-keyring or KWallet; e.g. log in to a "
        "desktop session or run `gnome-keyring-daemon --unlock`), on macOS unlock the login Keychain, on Windows "
        "use a normal user session (Credential Locker). PYTHON_KEYRING_BACKEND selects another backend. "
        "Nothing was written anywhere else."
    )


@contextmanager
def _keyring_call(action: str, name: str) -> Iterator[None]:
    """Turn any backend failure into one clear message. The backend's own exception text is dropped (only
    its type is named) and the chain is cut with ``from None``, so a secret can never ride along."""
    try:
        yield
    except keyring.errors.KeyringLocked:
        raise KeyringUnavailableError(
            f"the OS keyring is locked (backend {backend_name()}) while trying to {action} key {name!r}. "
            + _keyring_advice()
        ) from None
    except keyring.errors.NoKeyringError:
        raise KeyringUnavailableError(
            f"no usable OS keyring (backend {backend_name()}) to {action} key {name!r}. " + _keyring_advice()
        ) from None
    except Exception as exc:  # secretstorage/jeepney/D-Bus errors surface with their own types
        raise KeyringUnavailableError(
            f"the OS keyring (backend {backend_name()}) failed to {action} key {name!r}: "
            f"{type(exc).__name__}. " + _keyring_advice()
        ) from None


def _secret_username(name: str) -> str:
    return f"key:{name}"


def validate_key_name(name: str) -> str:
    if not _NAME.match(name):
        raise WorkbenchError(
            f"invalid key name {name!r}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return name


class KeyStore:
    """All key operations; the GUI and the CLI both go through this class."""

    def __init__(self, file: Path | None = None, service: str = SERVICE) -> None:
        self.file = file or paths.data_dir() / "keys.json"
        self.service = service

    # ---- public metadata file -------------------------------------------------------------------------

    def _load(self) -> list[KeyRecord]:
        if not self.file.exists():
            return []
        try:
            data = read_json_input(self.file)
            version = data["version"]
            if version > KEYS_FILE_VERSION:
                raise WorkbenchError(
                    f"{self.file} was written by a newer ics-workbench (format {version}, this one reads "
                    f"{KEYS_FILE_VERSION}); upgrade"
                )
            return [KeyRecord(**entry) for entry in data["keys"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise WorkbenchError(f"{self.file} is damaged ({type(exc).__name__}: {exc}); fix or move it away") from exc

    def _append(self, record: KeyRecord) -> None:
        """Add one record under the cross-process lock (re-checking the name: another process may have
        added it since the caller checked)."""
        with locked(self.file):
            records = self._load()
            if any(r.name == record.name for r in records):
                raise KeyExistsError(
                    f"a key named {record.name!r} already exists; delete it first or pick another name"
                )
            self._save(records + [record])

    def _save(self, records: list[KeyRecord]) -> None:
        write_json_atomic(self.file, {"version": KEYS_FILE_VERSION, "keys": [asdict(r) for r in records]})

    def list(self) -> list[KeyRecord]:
        return sorted(self._load(), key=lambda r: r.name)

    def get(self, name: str) -> KeyRecord:
        for record in self._load():
            if record.name == name:
                return record
        known = ", ".join(r.name for r in self.list()) or "none"
        raise KeyNotFoundError(f"no key named {name!r} (known keys: {known})")

    def _check_new_name(self, name: str) -> None:
        validate_key_name(name)
        if any(r.name == name for r in self._load()):
            raise KeyExistsError(f"a key named {name!r} already exists; delete it first or pick another name")

    # ---- adding keys ---------------------------------------------------------------------------------

    def _store_local(
        self, name: str, private_key: bytes, *, hd_path: str | None, source: str, prefix: str
    ) -> KeyRecord:
        public_key = public_key_from_private(private_key)
        record = KeyRecord(
            name=name,
            kind="local",
            address=encode_address(address_bytes_from_public_key(public_key), validate_prefix(prefix)),
            pubkey=base64.b64encode(public_key).decode(),
            hd_path=hd_path,
            source=source,
        )
        secret = json.dumps({"version": 1, "private_key": private_key.hex()})
        with _keyring_call("store", name):
            keyring.set_password(self.service, _secret_username(name), secret)
        del secret
        try:
            self._append(record)
        except BaseException:
            with _keyring_call("roll back", name):
                keyring.delete_password(self.service, _secret_username(name))
            raise
        log.info("stored key %s (%s) in keyring backend %s", name, record.address, backend_name())
        return record

    def create(
        self, name: str, *, hd_path: str = DEFAULT_HD_PATH, passphrase: str = "", prefix: str = DEFAULT_PREFIX
    ) -> tuple[KeyRecord, str]:
        """New 24-word key; returns the mnemonic once so the caller can show it once (it is not kept)."""
        self._check_new_name(name)
        phrase = generate_mnemonic()
        return self.recover(name, phrase, hd_path=hd_path, passphrase=passphrase, prefix=prefix), phrase

    def recover(
        self,
        name: str,
        mnemonic: str,
        *,
        hd_path: str = DEFAULT_HD_PATH,
        passphrase: str = "",
        prefix: str = DEFAULT_PREFIX,
    ) -> KeyRecord:
        self._check_new_name(name)
        validate_prefix(prefix)
        path = parse_hd_path(hd_path)
        phrase = normalize_mnemonic(mnemonic)
        private_key = derive_private_key(mnemonic_to_seed(phrase, passphrase), path)
        return self._store_local(name, private_key, hd_path=str(path), source="mnemonic", prefix=prefix)

    def import_private_key(
        self, name: str, key_hex: str, *, confirmed: bool, prefix: str = DEFAULT_PREFIX
    ) -> KeyRecord:
        if not confirmed:
            raise ConfirmationRequired(
                "importing a raw private key bypasses the mnemonic backup; confirm explicitly "
                "(CLI: --unsafe-import-private-key)"
            )
        self._check_new_name(name)
        validate_prefix(prefix)
        return self._store_local(
            name, parse_private_key_hex(key_hex), hd_path=None, source="private_key", prefix=prefix
        )

    def add_watch(self, name: str, address: str, pubkey_b64: str | None = None) -> KeyRecord:
        """Watch-only account: enough to build and export unsigned transactions on the online machine."""
        self._check_new_name(name)
        address = address.strip()  # pasted text; the stored address must be the bare bech32 string
        _, raw = decode_address(address)
        if pubkey_b64:
            try:
                public_key = base64.b64decode(pubkey_b64, validate=True)
            except ValueError:
                raise WorkbenchError(f"public key {pubkey_b64!r} is not valid base64") from None
            if address_bytes_from_public_key(public_key) != raw:
                raise WorkbenchError(f"public key {pubkey_b64!r} does not belong to address {address}")
        record = KeyRecord(name=name, kind="watch", address=address, pubkey=pubkey_b64 or None)
        self._append(record)
        return record

    # ---- using and removing keys -----------------------------------------------------------------------

    def load_private_key(self, name: str) -> bytes:
        """The secret, read from the keyring at the moment it is needed; callers must not keep it."""
        record = self.get(name)
        if record.kind != "local":
            raise WorkbenchError(f"key {name!r} is watch-only (address {record.address}); it cannot sign")
        with _keyring_call("read", name):
            stored = keyring.get_password(self.service, _secret_username(name))
        if stored is None:
            raise KeyringUnavailableError(
                f"the secret of key {name!r} is missing from the OS keyring (backend {backend_name()}); "
                "was it created in another keyring or deleted outside ics-workbench? Recover it again."
            )
        try:
            private_key = bytes.fromhex(json.loads(stored)["private_key"])
        except (ValueError, KeyError, TypeError):
            raise WorkbenchError(f"the keyring entry of key {name!r} is not in ics-workbench's format") from None
        if base64.b64encode(public_key_from_private(private_key)).decode() != record.pubkey:
            raise WorkbenchError(f"the keyring entry of key {name!r} does not match its recorded public key")
        return private_key

    def export_private_key(self, name: str, *, confirmed: bool) -> str:
        if not confirmed:
            raise ConfirmationRequired(
                "exporting a raw private key puts it outside the keyring; confirm explicitly "
                "(CLI: --unsafe-export-private-key)"
            )
        return self.load_private_key(name).hex()

    def delete(self, name: str) -> KeyRecord:
        record = self.get(name)
        if record.kind == "local":
            with _keyring_call("delete", name):
                try:
                    keyring.delete_password(self.service, _secret_username(name))
                except keyring.errors.PasswordDeleteError:
                    log.warning("key %s had no keyring entry; removing its metadata only", name)
        with locked(self.file):
            self._save([r for r in self._load() if r.name != name])
        return record

    def signer(self, name: str) -> KeyringSigner:
        record = self.get(name)
        if record.kind != "local":
            raise WorkbenchError(f"key {name!r} is watch-only (address {record.address}); it cannot sign")
        return KeyringSigner(self, record)


class KeyringSigner:
    """A ``Signer`` for the tx engine that reads the secret from the keyring only inside :meth:`sign`."""

    def __init__(self, store: KeyStore, record: KeyRecord) -> None:
        self._store = store
        self.record = record

    def __repr__(self) -> str:
        return f"KeyringSigner(name={self.record.name!r}, address={self.record.address!r})"

    @property
    def name(self) -> str:
        return self.record.name

    def public_key(self) -> bytes:
        key = self.record.public_key_bytes
        assert key is not None  # local keys always record their public key
        return key

    def sign(self, message: bytes) -> bytes:
        """64-byte r||s deterministic low-S signature over SHA-256(message)."""
        from ics_workbench.signing.secp256k1 import sign_secp256k1

        private_key = self._store.load_private_key(self.record.name)
        try:
            return sign_secp256k1(private_key, message)
        finally:
            del private_key


def describe(record: KeyRecord) -> dict[str, Any]:
    """Public view of a key for listings (CLI JSON, GUI table)."""
    return {k: v for k, v in asdict(record).items() if v is not None}
