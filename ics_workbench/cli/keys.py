"""``ics-workbench keys ...``: keys kept in the OS keyring (secrets) and keys.json (public facts).

Secrets are read from the terminal without echo, or from stdin when it is not a terminal (scripts, pipes);
never from command-line arguments, which end up in shell history and ``ps``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from ics_workbench.cli import InputError
from ics_workbench.untrusted_text import visible


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("keys", help="manage signing keys (secrets live in the OS keyring)")
    sub = parser.add_subparsers(dest="keys_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="create a new 24-word key, or recover one with --recover")
    add.add_argument("name")
    add.add_argument("--recover", action="store_true", help="read an existing mnemonic (stdin when not a terminal)")
    add.add_argument("--hd-path", default=None, help="BIP44 path (default m/44'/118'/0'/0/0)")
    add.add_argument("--prefix", default="cosmos", help="bech32 account prefix to display (default cosmos)")
    add.add_argument(
        "--passphrase", action="store_true", help="also read a BIP39 passphrase (next stdin line / prompt)"
    )
    add.add_argument(
        "--unsafe-import-private-key",
        action="store_true",
        help="import a raw 64-hex-digit private key from stdin instead of a mnemonic (no backup phrase!)",
    )
    add.set_defaults(handler=_add)

    watch = sub.add_parser("add-watch", help="watch-only account (address, optional pubkey) for unsigned txs")
    watch.add_argument("name")
    watch.add_argument("address")
    watch.add_argument("--pubkey", default=None, help="base64 compressed secp256k1 public key")
    watch.set_defaults(handler=_add_watch)

    listing = sub.add_parser("list", help="list keys (no secrets)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)

    show = sub.add_parser("show", help="show a key's address under any bech32 prefix")
    show.add_argument("name")
    show.add_argument("--prefix", default=None)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)

    delete = sub.add_parser("delete", help="delete a key and its keyring entry")
    delete.add_argument("name")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(handler=_delete)

    export = sub.add_parser("export", help="print the raw private key (needs --unsafe-export-private-key)")
    export.add_argument("name")
    export.add_argument("--unsafe-export-private-key", action="store_true")
    export.set_defaults(handler=_export)


@contextmanager
def _input_errors() -> Iterator[None]:
    """Malformed user input (mnemonic, path, prefix, address) is exit code 2, like any unparsable input."""
    from ics_workbench.addresses import AddressError
    from ics_workbench.signing.hdpath import HDPathError
    from ics_workbench.signing.keys import MnemonicError, PrivateKeyError

    try:
        yield
    except (MnemonicError, HDPathError, AddressError, PrivateKeyError) as error:
        raise InputError(str(error)) from None


def _read_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt, stream=sys.stderr)
    line = sys.stdin.readline()
    if not line:
        raise InputError(f"expected {prompt.strip(': ').lower()} on stdin, got end of input")
    return line.rstrip("\n")


def _add(args: argparse.Namespace) -> int:
    from ics_workbench.signing.hdpath import DEFAULT_HD_PATH
    from ics_workbench.signing.keystore import KeyStore

    store = KeyStore()
    hd_path = args.hd_path or DEFAULT_HD_PATH
    with _input_errors():
        if args.unsafe_import_private_key:
            if args.recover or args.hd_path or args.passphrase:
                raise InputError("--unsafe-import-private-key takes a raw key; it cannot be combined with "
                                 "--recover, --hd-path or --passphrase")
            record = store.import_private_key(
                args.name, _read_secret("Private key (hex): "), confirmed=True, prefix=args.prefix
            )
            phrase = None
        elif args.recover:
            mnemonic = _read_secret("Mnemonic: ")
            passphrase = _read_secret("BIP39 passphrase: ") if args.passphrase else ""
            record = store.recover(args.name, mnemonic, hd_path=hd_path, passphrase=passphrase, prefix=args.prefix)
            phrase = None
        else:
            passphrase = _read_secret("BIP39 passphrase: ") if args.passphrase else ""
            record, phrase = store.create(args.name, hd_path=hd_path, passphrase=passphrase, prefix=args.prefix)
    print(f"name:    {visible(record.name)}")
    print(f"address: {record.address}")
    print(f"pubkey:  {record.pubkey}")
    if record.hd_path:
        print(f"hd path: {record.hd_path}")
    if phrase is not None:
        sys.stderr.write(
            "\nWrite down this mnemonic and keep it offline. It is shown only this once and is the only way to "
            "recover the key if the keyring is lost:\n\n"
        )
        print(phrase)
    return 0


def _add_watch(args: argparse.Namespace) -> int:
    from ics_workbench.signing.keystore import KeyStore

    with _input_errors():
        record = KeyStore().add_watch(args.name, args.address, args.pubkey)
    print(f"watch-only account {visible(record.name)}: {visible(record.address)}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from ics_workbench.signing.keystore import KeyStore, describe

    records = KeyStore().list()
    if args.json:
        print(json.dumps([describe(r) for r in records], indent=2))
        return 0
    if not records:
        print("no keys")
    for record in records:
        print("\t".join(visible(v) for v in (record.name, record.kind, record.address, record.hd_path or "-")))
    return 0


def _show(args: argparse.Namespace) -> int:
    from ics_workbench.signing.keystore import KeyStore, describe

    record = KeyStore().get(args.name)
    with _input_errors():
        address = record.address_for(args.prefix) if args.prefix else record.address
    if args.json:
        print(json.dumps(describe(record) | {"address": address}, indent=2))
    else:
        print(address)
    return 0


def _delete(args: argparse.Namespace) -> int:
    from ics_workbench.signing.keystore import KeyStore

    store = KeyStore()
    record = store.get(args.name)
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError(f"refusing to delete key {args.name!r} without confirmation: pass --yes")
        answer = input(f"Delete key {record.name} ({record.address}) and its keyring secret? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("not deleted")
            return 1
    store.delete(args.name)
    print(f"deleted {visible(record.name)}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from ics_workbench.signing.keystore import KeyStore

    print(KeyStore().export_private_key(args.name, confirmed=args.unsafe_export_private_key))
    return 0
