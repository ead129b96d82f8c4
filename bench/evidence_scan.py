"""Evidence scan: requests, bytes, wall time and peak memory per strategy, against a loopback CometBFT node.

The node (tests/evidence/fakecomet.py, in a child process so it does not share the client's GIL) answers like
a real one: headers with every field, blocks whose last
commit carries ``--validators`` signatures, 20 metas per /blockchain, and it adds ``--rtt`` seconds to every
request. Ranges hold no evidence (the common case: what a scan costs when there is nothing to find).

1. requests and bytes for 10,000 and 100,000 blocks per strategy, no added latency;
2. wall time for 100,000 blocks at 50 ms per request (header scan with 8 and 16 in flight, block_search);
3. peak Python memory (tracemalloc) of the header scan for 10,000, 50,000 and 100,000 blocks (the peak is
   the answers being decoded by the requests in flight, not the range).

Run: ``.venv/bin/python bench/evidence_scan.py`` (about 6 minutes); records bench/results/evidence_scan.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from ics_workbench.chain.http import Endpoint, JsonHttp  # noqa: E402
from ics_workbench.evidence.scan import DEFAULT_IN_FLIGHT, Strategy, scan  # noqa: E402
from tests.evidence.fakecomet import serve_in_process  # noqa: E402


def run(blocks: int, strategy: Strategy, *, rtt: float, validators: int, in_flight: int,
        measure_memory: bool = False) -> dict[str, object]:
    settings = {"latest": blocks, "indexed": strategy is Strategy.BLOCK_SEARCH, "latency": rtt,
                "validators": validators}
    urls, stop = multiprocessing.Queue(), multiprocessing.Event()
    node = multiprocessing.Process(target=serve_in_process, args=(settings, urls, stop), daemon=True)
    node.start()
    try:
        url = urls.get(timeout=30)
        with JsonHttp([Endpoint(url)], max_connections=max(16, in_flight)) as http:  # retries as the app does
            if measure_memory:
                tracemalloc.start()
            began = time.perf_counter()
            summary = scan(http, 1, blocks, strategy=strategy, in_flight=in_flight)
            wall = time.perf_counter() - began
            peak = tracemalloc.get_traced_memory()[1] if measure_memory else None
            if measure_memory:
                tracemalloc.stop()
        counters = httpx.get(url + "/_counters").json()
    finally:
        stop.set()
        node.join(10)
    result: dict[str, object] = {
        "blocks": blocks, "strategy": strategy.value, "rtt_seconds": rtt, "in_flight": in_flight,
        "requests": sum(counters["requests"].values()), "requests_by_path": counters["requests"],
        "bytes": sum(counters["bytes"].values()), "wall_seconds": round(wall, 2),
        "app_counted_requests": summary.requests,
    }
    if rtt:
        result["floor_seconds"] = round(summary.requests * rtt / in_flight, 2)
    if peak is not None:
        result["peak_python_memory_bytes"] = peak
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--validators", type=int, default=50, help="signatures in each block's last commit")
    parser.add_argument("--rtt", type=float, default=0.050)
    parser.add_argument("--in-flight", type=int, default=8, help="for the volume and memory runs; the wall-time "
                        "runs use 8 and the app's header-scan default (16)")
    parser.add_argument("--skip-per-block-100k", action="store_true",
                        help="per-block at 100,000 blocks takes minutes of CPU; measure it only at 10,000")
    args = parser.parse_args()
    v, k = args.validators, args.in_flight

    volume = []
    for blocks in (10_000, 100_000):
        for strategy in (Strategy.BLOCK_SEARCH, Strategy.HEADERS, Strategy.BLOCKS):
            if strategy is Strategy.BLOCKS and blocks == 100_000 and args.skip_per_block_100k:
                continue
            volume.append(run(blocks, strategy, rtt=0.0, validators=v, in_flight=k))
    ratios = {}
    for blocks in (10_000, 100_000):
        by = {r["strategy"]: r for r in volume if r["blocks"] == blocks}
        if "blocks" in by:
            ratios[str(blocks)] = {
                "per_block_over_headers_requests": round(by["blocks"]["requests"] / by["headers"]["requests"], 2),
                "per_block_over_headers_bytes": round(by["blocks"]["bytes"] / by["headers"]["bytes"], 2),
            }

    latency = [run(100_000, Strategy.HEADERS, rtt=args.rtt, validators=v, in_flight=k),
               run(100_000, Strategy.HEADERS, rtt=args.rtt, validators=v, in_flight=2 * k),
               run(100_000, Strategy.BLOCK_SEARCH, rtt=args.rtt, validators=v, in_flight=k)]
    memory = [run(n, Strategy.HEADERS, rtt=0.0, validators=v, in_flight=k, measure_memory=True)
              for n in (10_000, 50_000, 100_000)]

    record = {
        "benchmark": "evidence scan of a range without evidence, loopback CometBFT node",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "shared_with": "7 engineers"},
        "validators_per_commit": v,
        "volume_no_added_latency": volume,
        "per_block_over_header_scan": ratios,
        "wall_time_100k_at_rtt": latency,
        "memory_header_scan": memory,
        "peak_memory_ratio_100k_over_10k": round(memory[-1]["peak_python_memory_bytes"]
                                                 / memory[0]["peak_python_memory_bytes"], 2),
        "load_average_at_end": os.getloadavg(),
        "app_default_in_flight": {k.value: v for k, v in DEFAULT_IN_FLIGHT.items()},
        "note": "per-block baseline = one /block per height (the app's former scan); block_search costs one "
                "probe plus one query per 100 matches; header scan = ceil(N/20) /blockchain requests plus one "
                "/block per block whose evidence_hash is not the empty hash; the probe requests of the "
                "auto-detection are not included (strategies are chosen explicitly here)",
    }
    out = ROOT / "bench" / "results" / "evidence_scan.json"
    out.write_text(json.dumps(record, indent=2) + "\n")
    print(f"recorded {out}")


if __name__ == "__main__":
    main()
