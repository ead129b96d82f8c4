"""Devnet cost per ICS version of the matrix (v4.2.0, v5.2.0, v6.4.1, v7.0.0): build, chain, tests.

Per version: the cached-binary lookup, chain start (genesis + first block + REST), seeding (legacy proposals
on v4/v5, MsgCreateConsumer on v6/v7), whether a live consumer node starts, and optionally (`--suite`) the
wall time of that version's slice of the matrix tests. Cold build times are taken from a `devnet build` log
(`--build-log`: its "built <path> in Ns" lines), since a cold build cannot be repeated cheaply.

    .venv/bin/python bench/devnet_versions.py [--suite] [--build-log FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ics_workbench.devnet.build import CONSUMER_BINARY, GO_TOOLCHAIN, ICS_VERSIONS, ensure_binary
from ics_workbench.devnet.consumer import ConsumerNode
from ics_workbench.devnet.node import Devnet
from ics_workbench.fileio import write_json_atomic

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "devnet_versions.json"
_BUILT = re.compile(r"built \S*/ics-(v[\d.]+)-[^/]+/(interchain-security-[pc]d) in (\d+)s")


def cold_builds(log: Path) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for match in _BUILT.finditer(log.read_text()):
        out.setdefault(match[1], {})[match[2]] = int(match[3])
    return out


def one_version(version: str, suite: bool) -> dict[str, Any]:
    lookup = ensure_binary(version=version)
    consumer_binary = ensure_binary(name=CONSUMER_BINARY, version=version).binary
    result: dict[str, Any] = {"cached_binary_lookup_s": round(lookup.seconds, 4)}
    with Devnet(binary=lookup.binary, ics_version=version) as chain:
        chain.seed()
        result.update({k: round(v, 2) for k, v in chain.timings.items()})
        began = time.monotonic()
        try:
            with ConsumerNode(chain, chain.seeded.opt_in.consumer_id, binary=consumer_binary) as node:
                node.wait_blocks(2, timeout=30)
                result["consumer_node"] = f"ok ({time.monotonic() - began:.1f}s to start and make 2 blocks)"
        except Exception as exc:  # recorded, not fatal: the table says where a consumer node runs
            result["consumer_node"] = f"failed: {str(exc).splitlines()[0][:200]}"
    if suite:
        began = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/devnet/test_versions_devnet.py", "-q", "-p", "no:cacheprovider",
             "-k", version],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        result["matrix_tests_wall_s"] = round(time.monotonic() - began, 1)
        result["matrix_tests_result"] = (run.stdout.strip().splitlines() or ["?"])[-1]
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--suite", action="store_true", help="also time each version's slice of the matrix tests")
    parser.add_argument("--build-log", type=Path, help="a `devnet build --ics-version all` log with cold builds")
    parser.add_argument("--only", nargs="+", choices=ICS_VERSIONS, help="re-measure these versions, keep the rest")
    args = parser.parse_args()
    kept: dict[str, Any] = json.loads(RESULTS.read_text()) if args.only and RESULTS.is_file() else {}
    results: dict[str, Any] = kept | {
        "go_toolchain": GO_TOOLCHAIN,
        "machine": f"{platform.machine()} {os.cpu_count()} cores (shared with other sessions while measured)",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "versions": kept.get("versions", {}),
    }
    if args.build_log is not None:
        results["cold_build_s"] = cold_builds(args.build_log)
    for version in args.only or ICS_VERSIONS:
        results["versions"][version] = one_version(version, args.suite)
        print(version, results["versions"][version], flush=True)
    write_json_atomic(RESULTS, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
