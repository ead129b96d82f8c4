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
from typing import Any

from ics_workbench import __version__
from ics_workbench.errors import WorkbenchError
from ics_workbench.fileio import InputFileError
from ics_workbench.untrusted_text import TerminalSafeWriter, visible

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
EXIT_INTERNAL = 70
"""an unexpected exception (a bug): reported in one line, never as a traceback"""


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
    parser.add_argument("--max-response-mb", type=float, default=32.0, metavar="MB",
                        help="largest answer read from a node (default 32 MB)")
    parser.add_argument("--request-deadline", type=float, default=20.0, metavar="SECONDS",
                        help="longest one network request may take in all, however slowly a node sends (default 20)")
    parser.add_argument("--deadline", type=float, default=120.0, metavar="SECONDS",
                        help="longest all network requests of the command may take together (default 120; 0: none)")
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
    if min(args.max_response_mb, args.request_deadline, args.deadline) < 0 or not args.max_response_mb \
            or not args.request_deadline:
        sys.stderr.write("error: --max-response-mb and --request-deadline must be positive, --deadline >= 0\n")
        return EXIT_INPUT
    from ics_workbench.netlimits import NetworkLimits, configure, limits

    previous_limits = limits()  # restored on return: an in-process caller (tests, the GUI) keeps its own limits
    configure(NetworkLimits(max_response_bytes=int(args.max_response_mb * 1024 * 1024),
                            request_deadline=args.request_deadline, command_deadline=args.deadline or None))
    from ics_workbench import paths
    from ics_workbench.fileio import remove_stale_temp_files

    remove_stale_temp_files([paths.config_dir(), paths.data_dir()])  # left by a writer that was killed
    if args.offline:
        from ics_workbench.offline import enable_offline_mode

        enable_offline_mode()
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_INPUT
    # Every byte a command prints passes the one rendering rule for untrusted text: whatever a printer forgot to
    # escape, no ESC, C1 or bidi character from a file or a chain reaches the terminal.
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafeWriter(sys.stdout), TerminalSafeWriter(sys.stderr)
    try:
        return _run(handler, args)
    finally:
        sys.stdout, sys.stderr = saved
        configure(previous_limits)


def _run(handler: Any, args: argparse.Namespace) -> int:
    try:
        return int(handler(args))
    except (InputError, InputFileError) as error:
        sys.stderr.write(f"error: {visible(error)}\n")
        return EXIT_INPUT
    except WorkbenchError as error:
        sys.stderr.write(f"error: {visible(error)}\n")
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except (RecursionError, MemoryError, UnicodeError, ValueError, TypeError, AttributeError, KeyError,
            IndexError, OSError) as error:
        # A bug (the fuzz tests fail on this line): still one line for the user, the traceback in the log.
        logging.getLogger("ics_workbench.cli").debug("internal error", exc_info=True)
        sys.stderr.write(f"error: internal error ({type(error).__name__}: {visible(str(error)[:200])}); "
                         "run with -vv for details and please report it\n")
        return EXIT_INTERNAL
