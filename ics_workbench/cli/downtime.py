"""``ics-workbench downtime``: missed-block counters against the jailing threshold on the provider and,
optionally, one consumer (mapped back to provider validators), plus which recent blocks each one missed."""

from __future__ import annotations

import argparse
import json
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from ics_workbench.cli import EXIT_OK
from ics_workbench.untrusted_text import visible

if TYPE_CHECKING:
    from ics_workbench.evidence.downtime_view import ChainDowntime


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("downtime", help="who is close to being jailed for downtime, on which chain")
    parser.add_argument("--rpc", action="append", required=True, help="provider CometBFT RPC URL")
    parser.add_argument("--rest", action="append", required=True, help="provider REST (LCD) URL")
    parser.add_argument("--consumer", metavar="CHAIN_ID", help="also show this consumer chain")
    parser.add_argument("--consumer-rest", action="append", help="the consumer's REST URL (its x/slashing)")
    parser.add_argument("--consumer-rpc", action="append", help="the consumer's RPC URL (for --recent)")
    parser.add_argument("--recent", type=int, default=0, metavar="N", help="missed blocks in the last N heights")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=_downtime)


def _downtime(args: argparse.Namespace) -> int:
    from ics_workbench.chain.connect import connect_urls
    from ics_workbench.chain.http import Endpoint, JsonHttp
    from ics_workbench.chain.rest import RestClient
    from ics_workbench.cli import InputError
    from ics_workbench.errors import WorkbenchError
    from ics_workbench.evidence.downtime_view import MAX_RECENT, chain_downtime

    if args.consumer and not args.consumer_rest:
        raise InputError("--consumer needs --consumer-rest (the consumer's own x/slashing holds its counters)")
    if not 0 <= args.recent <= MAX_RECENT:
        raise InputError(f"--recent must be between 0 and {MAX_RECENT}, got {args.recent}")
    output: dict[str, Any] = {"chains": {}}
    with ExitStack() as stack:
        conn = stack.enter_context(connect_urls(args.rpc, args.rest))
        if conn.rest is None:
            raise WorkbenchError("the provider REST endpoint is required")
        validators = conn.rest.validators(bonded_only=False)
        chains: list[tuple[str, str, RestClient, list[Any], JsonHttp | None]] = [
            (conn.chain_id, "provider", conn.rest, [], conn.rpc_http)
        ]
        if args.consumer:
            if conn.provider is None:
                raise WorkbenchError(f"{conn.chain_id} has no provider module")
            consumer = conn.provider.find_by_chain_id(args.consumer)
            if consumer is None:
                raise WorkbenchError(f"the provider knows no consumer chain {args.consumer!r}")
            assignments = conn.provider.key_assignments(consumer.key)
            consumer_rest = RestClient(stack.enter_context(JsonHttp([Endpoint(u) for u in args.consumer_rest])))
            consumer_rpc = (
                stack.enter_context(JsonHttp([Endpoint(u) for u in args.consumer_rpc])) if args.consumer_rpc else None
            )
            chains.append((args.consumer, "consumer", consumer_rest, assignments, consumer_rpc))
        for chain_id, role, rest, assignments, rpc in chains:
            view = chain_downtime(
                chain_id, role, rest, validators, assignments=assignments, provider_rest=conn.rest, rpc=rpc,
                recent=args.recent,
            )
            output["chains"][chain_id] = _chain_entry(view)
    if args.json:
        print(json.dumps(output, indent=2))
        return EXIT_OK
    _print_text(output)
    return EXIT_OK


def _chain_entry(view: ChainDowntime) -> dict[str, Any]:
    """One chain's part of the JSON output: its slashing window, every validator's row, recent misses."""
    entry: dict[str, Any] = {
        "signed_blocks_window": view.params.signed_blocks_window,
        "min_signed_per_window": str(view.params.min_signed_per_window),
        "validators": [r.to_json() for r in view.rows],
    }
    if view.recent is not None and view.recent.heights:
        heights = view.recent.heights
        entry["recent"] = {"from": heights[0], "to": heights[-1],
                           "missed": {a: view.recent.missed_heights(a) for a in view.recent.signed}}
    return entry


def _print_text(output: dict[str, Any]) -> None:
    """The human-readable form of the JSON output (chain ids and monikers come from chains: escaped)."""
    for chain_id, entry in output["chains"].items():
        print(
            f"{visible(chain_id)}: window {entry['signed_blocks_window']}, min signed {entry['min_signed_per_window']}"
        )
        for row in entry["validators"]:
            flag = "" if row["state"] == "ok" else row["state"].upper()
            name = visible(row["moniker"] or row["provider_address"] or "?")
            print(f"  {row['missed']:>6}/{row['allowed']:<6} {name:<24} {row['address']} {flag}")
        for address, missed in (entry.get("recent") or {}).get("missed", {}).items():
            if missed:
                print(f"  {address} missed {len(missed)} of the recent blocks: {missed[:20]}")
