"""Load a provider with 500 validators and 30 consumers from a local node that adds 50 ms per request.

Prints and records (``bench/results/provider_load.json``) the wall time of connect and of the provider
overview, the request count, and the floor ``requests x latency / concurrency`` for several pool sizes.
Run: ``.venv/bin/python bench/provider_load.py``
"""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ics_workbench.chain.connect import HttpSettings, connect_urls  # noqa: E402
from ics_workbench.chain.overview import load_provider_overview  # noqa: E402
from tests.chain.fakechain import FakeChain  # noqa: E402

LATENCY = 0.050
VALIDATORS = 500
CONSUMERS = 30
RUNS = 3


def measure(workers: int) -> dict[str, object]:
    runs = []
    with FakeChain(family="v7", validators=VALIDATORS, consumers=CONSUMERS, latency=LATENCY) as chain:
        for _ in range(RUNS):
            settings = HttpSettings(max_workers=workers)
            started = time.perf_counter()
            with connect_urls([chain.url], [chain.url], chain_id=chain.chain_id, settings=settings) as conn:
                connected = time.perf_counter()
                connect_requests = conn.stats.requests
                overview = load_provider_overview(conn)
                done = time.perf_counter()
            assert len(overview.validators) == VALIDATORS and len(overview.consumers) == CONSUMERS
            runs.append(
                {
                    "connect_seconds": round(connected - started, 4),
                    "connect_requests": connect_requests,
                    "overview_seconds": round(done - connected, 4),
                    "overview_requests": overview.requests,
                }
            )
    best = min(runs, key=lambda r: r["overview_seconds"])  # type: ignore[arg-type,return-value]
    requests = int(best["overview_requests"])  # type: ignore[arg-type]
    floor = requests * LATENCY / workers
    return {
        "max_workers": workers,
        "overview_requests": requests,
        "overview_wall_seconds_best": best["overview_seconds"],
        "overview_wall_seconds_all": [r["overview_seconds"] for r in runs],
        "floor_seconds": round(floor, 4),
        "ratio_to_floor": round(float(best["overview_seconds"]) / floor, 2),  # type: ignore[arg-type]
        "connect_requests": best["connect_requests"],
        "connect_wall_seconds_best": min(r["connect_seconds"] for r in runs),  # type: ignore[type-var]
    }


def main() -> None:
    results = [measure(workers) for workers in (1, 4, 8, 16)]
    report = {
        "benchmark": "provider overview load",
        "validators": VALIDATORS,
        "consumers": CONSUMERS,
        "latency_per_request_seconds": LATENCY,
        "runs_per_setting": RUNS,
        "default_max_workers": HttpSettings().max_workers,
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "note": "floor = requests x latency / max_workers; the critical path is also bounded below by the "
        "sequential chains: consumer list -> per-consumer details, and 3 validator pages (200 per page)",
        "results": results,
    }
    out = ROOT / "bench" / "results" / "provider_load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    for r in results:
        print(
            f"workers {r['max_workers']:>2}: overview {r['overview_wall_seconds_best']:.3f} s for "
            f"{r['overview_requests']} requests (floor {r['floor_seconds']:.3f} s, x{r['ratio_to_floor']}); "
            f"connect {r['connect_wall_seconds_best']:.3f} s / {r['connect_requests']} requests"
        )
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
