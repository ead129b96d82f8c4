"""``ics-workbench profiles list|add|import|remove|show``: the saved connection profiles."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ics_workbench.cli import InputError
from ics_workbench.untrusted_text import visible


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("profiles", help="manage saved connection profiles")
    commands = parser.add_subparsers(dest="profiles_command", metavar="SUBCOMMAND", required=True)

    listing = commands.add_parser("list", help="list saved profiles")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)

    show = commands.add_parser("show", help="show one profile")
    show.add_argument("name")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=run_show)

    add = commands.add_parser("add", help="add (or with --replace, overwrite) a profile by hand or from the "
                                          "shipped chain catalogue")
    add.add_argument("--from-catalogue", metavar="CHAIN", help="pre-fill everything from the chain catalogue "
                                                                "(name like cosmoshub or chain id); flags override")
    add.add_argument("--name")
    add.add_argument("--chain-id")
    add.add_argument("--role", choices=("provider", "consumer"))
    add.add_argument("--rpc", action="append", metavar="URL", help="repeat for failover order")
    add.add_argument("--archive-rpc", action="append", default=[], metavar="URL", help="an RPC node with old state")
    add.add_argument("--rest", action="append", metavar="URL", help="repeat for failover order")
    add.add_argument("--prefix", help="bech32 account prefix (default cosmos)")
    add.add_argument("--fee-denom", help="fee denom (default uatom)")
    add.add_argument("--gas-prices", help="gas price in fee denom units (default 0.005)")
    add.add_argument("--provider-profile", help="consumer: name of the provider's profile")
    add.add_argument("--consumer-id", help="consumer: the provider's consumer id (ICS v6+)")
    add.add_argument("--replace", action="store_true", help="overwrite a profile of the same name")
    add.set_defaults(handler=run_add)

    imp = commands.add_parser("import", help="create a profile from a cosmos chain-registry chain.json (local file)")
    imp.add_argument("path", type=Path)
    imp.add_argument("--name")
    imp.add_argument("--role", choices=("provider", "consumer"))
    imp.add_argument("--replace", action="store_true")
    imp.set_defaults(handler=run_import)

    catalogue = commands.add_parser("catalogue", help="list the chains of the shipped chain catalogue")
    catalogue.add_argument("--ics", action="store_true", help="only ICS providers and consumers (and testnets)")
    catalogue.add_argument("--search", default="", help="only chains whose name or chain id contains this")
    catalogue.set_defaults(handler=run_catalogue)

    remove = commands.add_parser("remove", help="delete a profile")
    remove.add_argument("name")
    remove.set_defaults(handler=run_remove)


def run_list(args: argparse.Namespace) -> int:
    from ics_workbench.chain.profiles import ProfileStore

    profiles = ProfileStore().list()
    if args.json:
        sys.stdout.write(json.dumps([p.model_dump(mode="json") for p in profiles], indent=2) + "\n")
        return 0
    if not profiles:
        sys.stdout.write("no profiles saved (add one with 'profiles add' or 'profiles import')\n")
    for p in profiles:
        detected = p.capabilities.summary() if p.capabilities else "not connected yet"
        sys.stdout.write("\t".join(visible(v) for v in (p.name, p.chain_id, p.role, p.rpc[0].url, detected)) + "\n")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from ics_workbench.chain.profiles import ProfileStore

    profile = ProfileStore().get(args.name)
    if args.json:
        sys.stdout.write(profile.model_dump_json(indent=2) + "\n")
        return 0
    lines = [
        f"name:        {profile.name}",
        f"chain id:    {profile.chain_id} ({profile.role})",
        *[f"rpc:         {e.url}{' (archive)' if e.archive else ''}" for e in profile.rpc],
        *[f"rest:        {e.url}{' (archive)' if e.archive else ''}" for e in profile.rest],
        f"prefixes:    {profile.account_prefix} / {profile.valoper_prefix} / {profile.valcons_prefix}",
        "fees:        " + (f"{profile.gas_prices if profile.gas_prices is not None else '(node minimum)'}"
                            f"{profile.fee_denom or ''} per gas" if profile.fee_denom else "from the chain "
                            "(node minimum gas prices, else the staking denom)"),
    ]
    if profile.provider_profile or profile.consumer_id:
        lines.append(f"provider:    {profile.provider_profile or '-'} (consumer id {profile.consumer_id or '-'})")
    lines.append(f"detected:    {profile.capabilities.summary() if profile.capabilities else 'not connected yet'}")
    sys.stdout.write("\n".join(visible(line) for line in lines) + "\n")
    return 0


def run_add(args: argparse.Namespace) -> int:
    from ics_workbench.chain.catalogue import profile_from_catalogue
    from ics_workbench.chain.profiles import ConnectionProfile, ProfileError, ProfileStore

    gas = None
    if args.gas_prices is not None:
        try:
            gas = Decimal(args.gas_prices)
        except InvalidOperation:
            raise InputError(f"--gas-prices must be a number (got {args.gas_prices!r})") from None
    rpc = None
    if args.rpc or args.archive_rpc:
        rpc = [{"url": u} for u in args.rpc or []] + [{"url": u, "archive": True} for u in args.archive_rpc]
    given = {
        "name": args.name, "chain_id": args.chain_id, "role": args.role, "rpc": rpc,
        "rest": [{"url": u} for u in args.rest] if args.rest else None,
        "account_prefix": args.prefix, "fee_denom": args.fee_denom, "gas_prices": gas,
        "provider_profile": args.provider_profile, "consumer_id": args.consumer_id,
    }
    try:
        if args.from_catalogue:
            profile = profile_from_catalogue(args.from_catalogue, overrides=given)
        else:
            missing = [flag for flag, key in (("--name", "name"), ("--chain-id", "chain_id"), ("--role", "role"),
                                              ("--rpc", "rpc")) if given[key] is None]
            if missing:
                raise InputError(f"{', '.join(missing)} required (or pre-fill with --from-catalogue CHAIN)")
            defaults = {"rest": [], "account_prefix": "cosmos", "fee_denom": "uatom", "gas_prices": Decimal("0.005")}
            profile = ConnectionProfile.parse({**defaults, **{k: v for k, v in given.items() if v is not None}})
    except ProfileError as error:
        raise InputError(str(error)) from None
    ProfileStore().save(profile, replace=args.replace)
    detail = (f": {profile.chain_id} ({profile.role}), {len(profile.rpc)} RPC, {len(profile.rest)} REST, prefix "
              f"{profile.account_prefix}, fees {profile.gas_prices}{profile.fee_denom} (edit any of it with "
              f"'profiles add --replace')" if args.from_catalogue else "")
    sys.stdout.write(f"saved profile {profile.name!r}{detail}\n")
    return 0


def run_catalogue(args: argparse.Namespace) -> int:
    from ics_workbench.chain import catalogue

    wanted = args.search.strip().lower()
    shown = [e for e in catalogue.entries(ics_only=args.ics)
             if not wanted or wanted in e.name.lower() or wanted in e.chain_id.lower()]
    for entry in shown:
        sys.stdout.write(f"{entry.name}\t{entry.chain_id}\t{entry.network}\t{entry.ics or '-'}\t"
                         f"{visible(entry.pretty_name)}\n")
    sys.stdout.write(f"{len(shown)} chain(s) from {catalogue.source()}\n")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from ics_workbench.chain.profiles import ProfileError, ProfileStore, import_chain_registry

    try:
        profile = import_chain_registry(args.path, name=args.name, role=args.role)
    except ProfileError as error:
        raise InputError(str(error)) from None
    ProfileStore().save(profile, replace=args.replace)
    sys.stdout.write(
        f"imported profile {profile.name!r}: {profile.chain_id} ({profile.role}), {len(profile.rpc)} RPC, "
        f"{len(profile.rest)} REST, fees {profile.gas_prices}{profile.fee_denom}\n"
    )
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from ics_workbench.chain.profiles import ProfileStore

    ProfileStore().delete(args.name)
    sys.stdout.write(f"removed profile {args.name!r}\n")
    return 0
