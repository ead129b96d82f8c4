"""Every network command of the CLI against every hostile endpoint mode, with the DEFAULT limits (32 MB per
answer, 20 s per request, 120 s per command): one subprocess per command, wall time and peak RSS (``wait4``).
Issue 11's bar: every run ends with a one-line error in <= 30 s and <= 300 MB RSS.

    .venv/bin/python bench/hostile_endpoints.py      # records bench/results/hostile_endpoints.json
"""

from __future__ import annotations

import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.security.hostile_cli import network_commands, run_cli  # noqa: E402
from tests.security.hostile_server import MODES, HostileServer  # noqa: E402


def main() -> int:
    rows = []
    ok = True
    for mode in MODES:
        with HostileServer(mode) as server:
            for name, args in network_commands(server.url).items():
                run = run_cli(args, timeout=120)
                lines = run.stderr.strip().splitlines()
                good = (len(lines) <= 1 and "Traceback" not in run.stderr and run.seconds <= 30
                        and run.max_rss_mb <= 300 and (run.code == 0 or lines[0].startswith("error: ")))
                ok = ok and good
                rows.append({"mode": mode, "command": name, "exit": run.code, "seconds": round(run.seconds, 2),
                             "max_rss_mb": round(run.max_rss_mb, 1), "stderr": run.stderr.strip()[:300],
                             "ok": good})
                print(f"{mode:16} {name:20} exit {run.code} {run.seconds:6.2f} s {run.max_rss_mb:6.1f} MB "
                      f"{'ok' if good else 'FAIL'}", flush=True)
    per_mode = {mode: {"max_seconds": max(r["seconds"] for r in rows if r["mode"] == mode),
                       "max_rss_mb": max(r["max_rss_mb"] for r in rows if r["mode"] == mode)} for mode in MODES}
    result = {"recorded": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "python": platform.python_version(),
              "limits": "defaults: 32 MB/answer, 20 s/request, 120 s/command", "all_ok": ok,
              "per_mode": per_mode, "runs": rows}
    (ROOT / "bench/results/hostile_endpoints.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(per_mode, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
