"""`ics-workbench devnet build|up`: a real local ICS provider chain for a person to point the app at."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from typing import Any

from ics_workbench.errors import WorkbenchError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "devnet",
        help="build and run a local ICS provider chain (for trying the app and for tests)",
        description="A throwaway local Interchain Security provider chain on loopback ports.",
    )
    sub = parser.add_subparsers(dest="devnet_command", metavar="ACTION", required=True)
    build = sub.add_parser("build", help="build the interchain-security-pd binary (cached; first build takes minutes)")
    build.add_argument("--force", action="store_true", help="rebuild even if a cached binary exists")
    build.set_defaults(handler=_build)
    up = sub.add_parser("up", help="start a provider chain, print its endpoints and keep it running until Ctrl-C")
    up.add_argument("--no-seed", action="store_true", help="do not create the sample consumer chains")
    up.add_argument("--json", action="store_true", help="print the endpoints and accounts as one JSON document")
    up.add_argument(
        "--show-mnemonics", action="store_true", help="also print the throwaway accounts' mnemonics (secrets)"
    )
    up.add_argument("--with-validator-c", action="store_true", help="add a third genesis-only validator")
    up.set_defaults(handler=_up)


def _progress(message: str) -> None:
    sys.stderr.write(f"devnet: {message}\n")
    sys.stderr.flush()


def _build(args: argparse.Namespace) -> int:
    from ics_workbench.devnet.build import ensure_binary

    result = ensure_binary(progress=_progress, force=args.force)
    if result.cached:
        _progress("using the cached binary")
    print(result.binary)
    return 0


def _print_human(summary: dict[str, Any]) -> None:
    print(f"chain id : {summary['chain_id']}")
    print(f"RPC      : {summary['rpc']}")
    print(f"REST     : {summary['rest']}")
    print(f"gRPC     : {summary['grpc']}")
    print(f"home     : {summary['home']}")
    print(f"binary   : {summary['binary']}")
    print("accounts :")
    for account in summary["accounts"]:
        extra = f"  valoper {account['valoper']}  valcons {account['valcons']}" if "valoper" in account else ""
        print(f"  {account['name']:6} {account['address']}{extra}")
        if "mnemonic" in account:
            print(f"         mnemonic: {account['mnemonic']}")
    for consumer in summary.get("consumers", []):
        print(f"consumer : id {consumer['consumer_id']} {consumer['chain_id']} ({consumer['kind']}, "
              f"{consumer['expected_phase']})")  # fmt: skip


def _up(args: argparse.Namespace) -> int:
    from ics_workbench.devnet.build import ensure_binary
    from ics_workbench.devnet.node import Devnet

    binary = ensure_binary(progress=_progress).binary
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    devnet = Devnet(binary=binary, with_validator_c=args.with_validator_c)
    try:
        _progress("starting the provider node")
        devnet.start()
        if not args.no_seed:
            _progress("seeding consumer chains (about 15 seconds)")
            devnet.seed()
        summary = devnet.summary(show_mnemonics=args.show_mnemonics)
        if args.json:
            print(json.dumps(summary, indent=2))
        else:
            _print_human(summary)
        sys.stdout.flush()
        _progress("running; press Ctrl-C to stop and delete it")
        while not stop.wait(1.0):
            if not devnet.running:
                raise WorkbenchError(f"the provider node stopped unexpectedly; log tail:\n{devnet.log_tail()}")
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        _progress("stopping and removing the chain's files")
        devnet.stop()
    return 0
