"""The headless ``ics-workbench <command>`` interface, on the same core as the GUI.

Each command group lives in its own module with a ``register(subparsers)`` function that only builds the
parser; heavy imports happen inside the handlers so ``--help`` and ``--version`` stay fast.

Exit codes: 0 success; 1 the command ran and found a problem (invalid proposal, failed check, chain error);
2 the input could not be read or the command line is wrong.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from ics_workbench import __version__
from ics_workbench.errors import WorkbenchError

COMMAND_MODULES = (
    "chain",
    "profiles",
    "proposal",
    "keys",
    "tx",
    "evidence",
    "downtime",
    "overlaps",
    "devnet",
    "gov",
)

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_INPUT = 2


class InputError(WorkbenchError):
    """The command's input (file, argument) cannot be read or parsed: exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ics-workbench",
        description="Interchain Security workbench. Run without a command to open the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"ics-workbench {__version__}")
    parser.add_argument("--offline", action="store_true", help="air-gapped mode: open no network sockets at all")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log to stderr (-vv for debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"ics_workbench.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"ics_workbench.cli.{name}":
                continue  # command group not built yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2) if args.verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.offline:
        from ics_workbench.offline import enable_offline_mode

        enable_offline_mode()
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_INPUT
    try:
        return int(handler(args))
    except InputError as error:
        sys.stderr.write(f"error: {error}\n")
        return EXIT_INPUT
    except WorkbenchError as error:
        sys.stderr.write(f"error: {error}\n")
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
