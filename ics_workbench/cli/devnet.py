"""`ics-workbench devnet build|up`: a real local ICS provider chain for a person to point the app at."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from typing import Any

from ics_workbench.cli import InputError
from ics_workbench.errors import WorkbenchError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "devnet",
        help="build and run a local ICS provider chain (for trying the app and for tests)",
        description="A throwaway local Interchain Security provider chain on loopback ports.",
    )
    sub = parser.add_subparsers(dest="devnet_command", metavar="ACTION", required=True)
    build = sub.add_parser(
        "build", help="build interchain-security-pd and -cd (cached by version; the first build takes minutes)"
    )
    build.add_argument("--force", action="store_true", help="rebuild even if a cached binary exists")
    build.add_argument("--provider-only", action="store_true", help="skip the consumer binary")
    build.add_argument(
        "--ics-version",
        default="v7.0.0",
        help="ICS release to build: v4.2.0, v5.2.0, v6.4.1, v7.0.0 (default) or `all` (one after another)",
    )
    build.set_defaults(handler=_build)
    up = sub.add_parser("up", help="start a provider chain, print its endpoints and keep it running until Ctrl-C")
    up.add_argument(
        "--ics-version", default="v7.0.0", help="ICS release of the provider: v4.2.0, v5.2.0, v6.4.1, v7.0.0"
    )
    up.add_argument("--no-seed", action="store_true", help="do not create the sample consumer chains")
    up.add_argument("--json", action="store_true", help="print the endpoints and accounts as one JSON document")
    up.add_argument(
        "--show-mnemonics", action="store_true", help="also print the throwaway accounts' mnemonics (secrets)"
    )
    up.add_argument("--with-validator-c", action="store_true", help="add a third genesis-only validator")
    up.add_argument(
        "--consumer-node",
        action="store_true",
        help="also run a live consumer node (interchain-security-cd) for the launched opt-in consumer",
    )
    up.set_defaults(handler=_up)


def _progress(message: str) -> None:
    sys.stderr.write(f"devnet: {message}\n")
    sys.stderr.flush()


def _build(args: argparse.Namespace) -> int:
    from ics_workbench.devnet.build import CONSUMER_BINARY, ICS_VERSIONS, PROVIDER_BINARY, check_version, ensure_binary

    versions = ICS_VERSIONS if args.ics_version == "all" else (_version(args.ics_version, check_version),)
    names = [PROVIDER_BINARY] if args.provider_only else [PROVIDER_BINARY, CONSUMER_BINARY]
    for version in versions:
        for name in names:
            result = ensure_binary(progress=_progress, force=args.force, name=name, version=version)
            if result.cached:
                _progress(f"using the cached {name} {version}")
            print(result.binary)
    return 0


def _version(text: str, check: Any) -> str:
    try:
        return str(check(text))
    except WorkbenchError as exc:
        raise InputError(f"--ics-version: {exc}") from None


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
    node = summary.get("consumer_node")
    if node:
        print(f"consumer node: {node['chain_id']} RPC {node['rpc']} REST {node['rest']}")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _up(args: argparse.Namespace) -> int:
    from ics_workbench.devnet.build import CONSUMER_BINARY, check_version, ensure_binary
    from ics_workbench.devnet.consumer import ConsumerNode
    from ics_workbench.devnet.node import Devnet

    if args.consumer_node and args.no_seed:
        raise InputError("--consumer-node needs the seeded consumers (drop --no-seed)")
    version = _version(args.ics_version, check_version)
    binary = ensure_binary(progress=_progress, version=version).binary
    consumer_binary = (
        ensure_binary(progress=_progress, name=CONSUMER_BINARY, version=version).binary if args.consumer_node else None
    )
    consumer: ConsumerNode | None = None
    # Ctrl-C and SIGTERM both end in the cleanup below; SIGINT is set explicitly because a shell starts
    # background jobs with it ignored, and Python then never raises KeyboardInterrupt.
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    devnet = Devnet(binary=binary, with_validator_c=args.with_validator_c, ics_version=version)
    try:
        _progress("starting the provider node")
        devnet.start()
        if not args.no_seed:
            _progress("seeding consumer chains (about 15 seconds)")
            seeded = devnet.seed()
            if consumer_binary is not None:
                _progress(f"starting a consumer node for {seeded.opt_in.chain_id}")
                consumer = ConsumerNode(devnet, seeded.opt_in.consumer_id, binary=consumer_binary).start()
        summary = devnet.summary(show_mnemonics=args.show_mnemonics)
        if consumer is not None:
            summary["consumer_node"] = {
                "consumer_id": consumer.consumer_id,
                "chain_id": consumer.chain_id,
                "rpc": consumer.rpc_url,
                "rest": consumer.rest_url,
            }
        if args.json:
            print(json.dumps(summary, indent=2))
        else:
            _print_human(summary)
        sys.stdout.flush()
        _progress("running; press Ctrl-C to stop and delete it")
        while True:
            time.sleep(1.0)
            if not devnet.running:
                raise WorkbenchError(f"the provider node stopped unexpectedly; log tail:\n{devnet.log_tail()}")
            if consumer is not None and not consumer.running:
                raise WorkbenchError(f"the consumer node stopped unexpectedly; log tail:\n{consumer.log_tail()}")
    except KeyboardInterrupt:
        pass
    finally:
        for sig in previous:  # a second Ctrl-C must not cut the cleanup short
            signal.signal(sig, signal.SIG_IGN)
        _progress("stopping and removing the chain's files")
        if consumer is not None:
            consumer.stop()
        devnet.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
