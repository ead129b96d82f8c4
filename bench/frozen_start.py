"""Start-up time of the frozen app: process spawn until it logs that its main window was shown.

    .venv/bin/python bench/frozen_start.py [--app dist/frozen/ics-workbench/ics-workbench] [--runs 7]

Builds the frozen app first when it is missing. The log line is written from the first event-loop turn after
``show()``, so the figure includes interpreter start, imports, window construction and the first paint.
Records the median (and every run) in ``bench/results/frozen_start.json``, with the artifact's size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ics_workbench.fileio import write_json_atomic  # noqa: E402


def one_start(app: Path, platform: str) -> float:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": platform, "ICS_WORKBENCH_HOME": home}
        started = time.perf_counter()
        process = subprocess.Popen([app], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            log = Path(home) / "log"
            while time.perf_counter() - started < 60:
                if any("main window shown" in p.read_text(errors="replace") for p in log.glob("*.log")):
                    return time.perf_counter() - started
                if process.poll() is not None:
                    raise SystemExit(f"the frozen app exited with {process.returncode} before showing its window")
                time.sleep(0.005)
            raise SystemExit("the frozen app did not show its window within 60 s")
        finally:
            process.terminate()
            process.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / "frozen" / "ics-workbench" / "ics-workbench")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.app.exists():
        subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "frozen"], check=True)
    platforms = ["offscreen"] + (["xcb"] if os.environ.get("DISPLAY") else [])
    results: dict[str, object] = {"runs": args.runs, "load_average": os.getloadavg()[0]}
    for platform in platforms:
        one_start(args.app, platform)  # warm the page cache: the figure is a warm start
        times = [one_start(args.app, platform) for _ in range(args.runs)]
        results[platform] = {"median_s": round(statistics.median(times), 3), "all_s": [round(t, 3) for t in times]}
        print(f"{platform}: median {statistics.median(times):.3f} s over {args.runs} runs")
    folder = args.app.parent
    size = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    results["app_folder_bytes"] = size
    print(f"frozen app folder: {size / 1e6:.1f} MB")
    write_json_atomic(ROOT / "bench" / "results" / "frozen_start.json", results, mode=0o644)
    return 0


if __name__ == "__main__":
    sys.exit(main())
