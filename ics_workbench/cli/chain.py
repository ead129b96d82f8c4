"""``ics-workbench chain status|overview``: the facts the Connections panel shows, headless.

With ``--profile NAME`` the detected capabilities are saved back onto the profile, as the GUI does.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from ics_workbench.cli import InputError
from ics_workbench.untrusted_text import visible

if TYPE_CHECKING:
    from ics_workbench.chain.connect import Connection, HttpSettings


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("chain", help="connect to a chain and show its status or overview")
    commands = parser.add_subparsers(dest="chain_command", metavar="SUBCOMMAND", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--profile", metavar="NAME", help="a saved connection profile (see 'profiles list')")
        sub.add_argument(
            "--rpc", action="append", default=[], metavar="URL", help="CometBFT RPC URL; repeat for failover order"
        )
        sub.add_argument(
            "--rest",
            action="append",
            default=[],
            metavar="URL",
            help="REST (gRPC-gateway) URL; repeat for failover order",
        )
        sub.add_argument("--chain-id", help="expected chain id (refuse a node of another chain)")
        sub.add_argument("--prefix", default="cosmos", help="bech32 account prefix for ad-hoc connections")
        sub.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")
        sub.add_argument("--json", action="store_true", help="print JSON instead of text")

    status = commands.add_parser("status", help="chain id, height, app version and detected ICS capabilities")
    common(status)
    status.set_defaults(handler=run_status)

    overview = commands.add_parser(
        "overview",
        help="provider: consumers, validators, gov params; consumer: validator set and its entry on the provider",
    )
    common(overview)
    overview.add_argument("--provider-profile", metavar="NAME", help="consumer overview: the provider profile")
    overview.add_argument("--provider-rpc", action="append", default=[], metavar="URL")
    overview.add_argument("--provider-rest", action="append", default=[], metavar="URL")
    overview.add_argument(
        "--role",
        choices=("provider", "consumer"),
        help="show the provider or the consumer overview (default: the profile's role; for --rpc/--rest, "
        "provider if the node has a provider module). A provider with no provider module lists its validators "
        "and gov params, as the GUI does",
    )
    overview.set_defaults(handler=run_overview)


def _settings(args: argparse.Namespace) -> HttpSettings:
    from ics_workbench.chain.connect import HttpSettings

    if args.timeout <= 0:
        raise InputError(f"--timeout must be positive (got {args.timeout})")
    return HttpSettings(timeout=args.timeout)


def _open(
    args: argparse.Namespace, profile: str | None, rpc: list[str], rest: list[str], chain_id: str | None
) -> Connection:
    from ics_workbench.chain.connect import connect, connect_urls
    from ics_workbench.chain.profiles import EndpointConfig, ProfileStore

    settings = _settings(args)
    if profile:
        if rpc or rest:
            raise InputError("give either --profile or --rpc/--rest, not both")
        store = ProfileStore()
        saved = store.get(profile)
        if chain_id and chain_id != saved.chain_id:
            raise InputError(f"--chain-id {chain_id!r} differs from profile {profile!r} ({saved.chain_id!r})")
        conn = connect(saved, settings=settings)
        store.save(saved.model_copy(update={"capabilities": conn.capabilities}))
        return conn
    if not rpc:
        raise InputError("give --profile NAME or at least one --rpc URL")
    for url in [*rpc, *rest]:
        try:
            EndpointConfig(url=url)
        except ValueError as error:
            raise InputError(f"invalid URL {url!r}: {error.errors()[0]['msg'].removeprefix('Value error, ')}") from None  # type: ignore[attr-defined]
    return connect_urls(rpc, rest, chain_id=chain_id, account_prefix=args.prefix, settings=settings)


def _emit(args: argparse.Namespace, payload: dict[str, Any], lines: list[str]) -> None:
    if args.json:
        sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")
    else:
        sys.stdout.write("\n".join(visible(line) for line in lines) + "\n")


def status_payload(conn: Connection) -> dict[str, Any]:
    status = conn.status
    return {
        "chain_id": conn.chain_id,
        "role": conn.profile.role,
        "latest_height": status.latest_height,
        "latest_time": status.latest_time.isoformat(),
        "catching_up": status.catching_up,
        "node_version": status.node_version,
        "moniker": status.moniker,
        "app_name": conn.capabilities.app_name,
        "app_version": conn.capabilities.app_version,
        "sdk_version": conn.capabilities.sdk_version,
        "capabilities": conn.capabilities.model_dump(mode="json"),
        "summary": conn.capabilities.summary(),
        "endpoints": [lag.model_dump(mode="json") for lag in conn.lag],
        "warnings": list(conn.warnings),
    }


def _lag_lines(lags: Any) -> list[str]:
    lines = []
    for lag in lags:
        if lag.error:
            lines.append(f"  {lag.kind:<4} {lag.url}: FAILED {lag.error}")
        else:
            lines.append(
                f"  {lag.kind:<4} {lag.url}: height {lag.height}, {lag.lag_blocks} blocks / "
                f"{lag.lag_seconds:.1f} s behind"
            )
    return lines


def run_status(args: argparse.Namespace) -> int:
    with _open(args, args.profile, args.rpc, args.rest, args.chain_id) as conn:
        payload = status_payload(conn)
        status = conn.status
        lines = [
            f"chain id:      {conn.chain_id} ({conn.profile.role})",
            f"height:        {status.latest_height} at {status.latest_time.isoformat()}"
            + (" (CATCHING UP)" if status.catching_up else ""),
            f"node:          {status.moniker} CometBFT {status.node_version}",
            f"app:           {conn.capabilities.app_name or '?'} {conn.capabilities.app_version or '(no version)'}"
            f", SDK {conn.capabilities.sdk_version or '?'}",
            f"capabilities:  {conn.capabilities.summary()}",
            "endpoints:",
            *_lag_lines(conn.lag),
            *[f"warning: {w}" for w in conn.warnings],
        ]
        _emit(args, payload, lines)
    return 0


def run_overview(args: argparse.Namespace) -> int:
    from ics_workbench.chain.overview import load_consumer_overview, load_provider_overview

    with _open(args, args.profile, args.rpc, args.rest, args.chain_id) as conn:
        role = args.role or ("provider" if conn.provider is not None else conn.profile.role)
        if role == "provider":
            overview = load_provider_overview(conn)
            _emit(args, overview.model_dump(mode="json"), provider_lines(overview))
            return 0
        provider_conn = None
        provider_name = args.provider_profile or conn.profile.provider_profile
        if provider_name or args.provider_rpc:
            provider_conn = _open(args, provider_name, args.provider_rpc, args.provider_rest, None)
        try:
            consumer = load_consumer_overview(conn, provider_conn)
        finally:
            if provider_conn is not None:
                provider_conn.close()
        _emit(args, consumer.model_dump(mode="json"), consumer_lines(consumer))
    return 0


def provider_lines(overview: Any) -> list[str]:
    gov = overview.gov
    lines = [
        f"{'provider' if overview.capabilities.has_provider else 'chain'} {overview.chain_id} at height "
        f"{overview.height} ({overview.time.isoformat()})",
        f"capabilities: {overview.capabilities.summary()}",
        *([f"note: {overview.note}"] if overview.note else []),
        f"gov: min deposit {', '.join(str(c) for c in gov.min_deposit) or '-'}, deposit period "
        f"{gov.max_deposit_period_seconds}s, voting period {gov.voting_period_seconds}s, quorum {gov.quorum}, "
        f"threshold {gov.threshold}, veto {gov.veto_threshold}",
    ]
    if not overview.note:  # the GUI too shows the note instead of an empty consumer table
        lines.append(f"consumer chains ({len(overview.consumers)}):")
        lines.append(f"  {'id':>4}  {'chain id':<24} {'phase':<12} {'top N':>5}  {'spawn time':<25} owner")
    for c in overview.consumers:
        spawn = c.spawn_time.isoformat() if c.spawn_time else "-"
        lines.append(
            f"  {c.consumer_id or '-':>4}  {c.chain_id:<24} {c.phase:<12} {c.top_n:>5}  {spawn:<25} {c.owner or '-'}"
        )
    lines.append(f"bonded validators ({len(overview.validators)}, total power {overview.total_power}):")
    lines.append(f"  {'moniker':<24} {'power':>12} {'share':>7} {'comm.':>6} {'status':<10} consensus address")
    for v in overview.validators:
        state = "JAILED" if v.jailed else v.status.removeprefix("BOND_STATUS_")
        lines.append(
            f"  {v.moniker[:24]:<24} {v.power:>12} {v.share * 100:>6.2f}% {float(v.commission.rate) * 100:>5.1f}% "
            f"{state:<10} {v.consensus_address or '-'}"
        )
    lines.append("endpoints:")
    lines.extend(_lag_lines(overview.lag))
    lines.extend(f"warning: {w}" for w in overview.warnings)
    return lines


def consumer_lines(overview: Any) -> list[str]:
    lines = [
        f"chain {overview.chain_id} at height {overview.height} ({overview.time.isoformat()})",
        f"capabilities: {overview.capabilities.summary()}",
    ]
    if overview.consumer is not None:
        c = overview.consumer
        lines.append(
            f"provider {overview.provider_chain_id}: consumer {c.consumer_id or c.chain_id}, phase {c.phase}, "
            f"top N {c.top_n}, owner {c.owner or '-'}"
        )
    lines.append(f"validators ({len(overview.validators)}, total power {overview.total_power}):")
    for v in overview.validators:
        who = ""
        if overview.provider_set is not None:  # the provider validator behind the key, as the GUI shows it
            member = overview.provider_validator(v.pub_key)
            who = f"  {(member.moniker or member.provider_address) if member else '(no provider match)'}"
        lines.append(f"  {v.address}  {v.voting_power:>12}  {v.pub_key_type} {v.pub_key}{who}")
    lines.append("endpoints:")
    lines.extend(_lag_lines(overview.lag))
    lines.extend(f"warning: {w}" for w in overview.warnings)
    return lines
