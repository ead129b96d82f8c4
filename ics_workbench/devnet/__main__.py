"""`python -m ics_workbench.devnet build [--force] [--provider-only] [--ics-version V|all]`: the Makefile's `devnet-bin`
step.

It builds the binaries directly (not through the CLI) so the devnet package stays below the CLI layer."""

from __future__ import annotations

import argparse
import sys

from ics_workbench.devnet.build import (
    CONSUMER_BINARY,
    ICS_VERSION,
    ICS_VERSIONS,
    PROVIDER_BINARY,
    DevnetBuildError,
    check_version,
    ensure_binary,
)


def _progress(message: str) -> None:
    sys.stderr.write(f"devnet: {message}\n")
    sys.stderr.flush()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m ics_workbench.devnet")
    sub = parser.add_subparsers(dest="action", required=True)
    build = sub.add_parser("build", help="build interchain-security-pd and -cd (cached by version)")
    build.add_argument("--force", action="store_true", help="rebuild even if a cached binary exists")
    build.add_argument("--provider-only", action="store_true", help="skip the consumer binary")
    build.add_argument(
        "--ics-version", default=ICS_VERSION, help=f"one of {', '.join(ICS_VERSIONS)}, or `all` (one after another)"
    )
    args = parser.parse_args(argv)
    try:
        versions = ICS_VERSIONS if args.ics_version == "all" else (check_version(args.ics_version),)
    except DevnetBuildError as exc:
        parser.error(str(exc))
    for version in versions:
        for name in [PROVIDER_BINARY] if args.provider_only else [PROVIDER_BINARY, CONSUMER_BINARY]:
            result = ensure_binary(progress=_progress, force=args.force, name=name, version=version)
            if result.cached:
                _progress(f"using the cached {name} {version}")
            print(result.binary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
