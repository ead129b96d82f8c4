"""Devnet timings: how much the real local provider chain costs the test suite and a person running it.

Measures, over N fresh chains: finding the cached binary, creating genesis (init), process start to the first
committed block, total start (until the REST API answers), seeding the consumers (including the Top N
governance proposal's voting period), starting a consumer node, and stopping everything. Optionally also a rebuild of
the binary from the warm Go caches
(`--rebuild`) and the wall time of `pytest tests/devnet` (`--suite`).

    .venv/bin/python bench/devnet_timings.py [--runs 3] [--rebuild] [--suite]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ics_workbench.devnet.build import CONSUMER_BINARY, GO_TOOLCHAIN, ICS_VERSION, ensure_binary
from ics_workbench.devnet.consumer import ConsumerNode
from ics_workbench.devnet.node import Devnet
from ics_workbench.fileio import write_json_atomic

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "devnet.json"


def summarize(values: list[float]) -> dict[str, float]:
    return {
        "median_s": round(statistics.median(values), 3),
        "min_s": round(min(values), 3),
        "max_s": round(max(values), 3),
    }


def one_chain(binary: Path, consumer_binary: Path) -> dict[str, float]:
    with Devnet(binary=binary) as chain:
        seeded = chain.seed()
        timings = dict(chain.timings)
        with ConsumerNode(chain, seeded.opt_in.consumer_id, binary=consumer_binary) as consumer:
            timings["consumer_start_s"] = consumer.timings["start_seconds"]
        stopping = time.monotonic()
    timings["stop_s"] = time.monotonic() - stopping
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="also time a rebuild from the warm Go caches")
    parser.add_argument("--suite", action="store_true", help="also time `pytest tests/devnet`")
    args = parser.parse_args()

    results: dict[str, object] = {}
    if args.rebuild:
        results["rebuild_warm_go_cache_s"] = round(ensure_binary(force=True).seconds, 3)
    lookup = ensure_binary()
    if not lookup.cached:
        results["first_build_s"] = round(lookup.seconds, 3)
    results["cached_binary_lookup_s"] = round(ensure_binary().seconds, 4)

    consumer_binary = ensure_binary(name=CONSUMER_BINARY).binary
    runs = [one_chain(lookup.binary, consumer_binary) for _ in range(args.runs)]
    for key, label in [
        ("init_seconds", "genesis_init"),
        ("start_to_first_block_seconds", "process_start_to_first_block"),
        ("start_seconds", "start_total_until_rest_ready"),
        ("seed_seconds", "seed"),
        ("consumer_start_s", "consumer_node_start_to_first_block"),
        ("stop_s", "stop_and_cleanup"),
    ]:
        results[label] = summarize([r[key] for r in runs])

    if args.suite:
        began = time.monotonic()
        suite = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/devnet", "-q", "-p", "no:cacheprovider"],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        last = suite.stdout.strip().splitlines()[-1] if suite.stdout.strip() else suite.stderr[-500:]
        results["pytest_tests_devnet"] = {"wall_s": round(time.monotonic() - began, 1), "result": last}

    report = {
        "benchmark": "local ICS provider devnet: build lookup, start, first block, seed",
        "ics_version": ICS_VERSION,
        "go_toolchain": GO_TOOLCHAIN,
        "runs": args.runs,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(RESULTS, report)
    for key, value in results.items():
        print(f"{key:>32}: {value}")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
