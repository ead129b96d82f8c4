"""Cold start: process start to the first paint of the main window, median of N fresh processes.

Each run spawns a new interpreter that builds the window exactly as ``run_gui`` does and exits from the
main window's first paint event, printing ``time.monotonic()`` (CLOCK_MONOTONIC, shared by all processes on
Linux) so the parent subtracts its own timestamp taken just before spawning. Runs offscreen and, when
``xvfb-run`` exists, on a real X server (xcb), because the platform plugins differ in start-up cost.

    .venv/bin/python bench/cold_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ics_workbench.fileio import write_json_atomic

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "cold_start.json"
TARGET_SECONDS = 1.5
MARK = "FIRST_PAINT "

CHILD = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject
from ics_workbench.gui.app import create_application, create_main_window, setup_logging

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            sys.stdout.write("%s%r %d\n" % (sys.argv[1], time.monotonic(), len(sys.modules)))
            sys.stdout.flush()
            import os
            os._exit(0)
        return False

setup_logging()
app = create_application()
window = create_main_window()
spy = FirstPaint()
window.installEventFilter(spy)
window.show()
app.exec()
"""


def one_run(env: dict[str, str], wrapper: list[str]) -> tuple[float, int]:
    command = [*wrapper, sys.executable, "-c", CHILD, MARK]
    start = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    for line in result.stdout.splitlines():
        if line.startswith(MARK):
            painted, modules = line[len(MARK):].split()
            return float(painted) - start, int(modules)
    raise RuntimeError(f"child did not report a paint (exit {result.returncode}): {result.stderr[-2000:]}")


def measure(platform_name: str, runs: int, home: str) -> dict[str, object]:
    env = dict(os.environ, ICS_WORKBENCH_HOME=home, PYTHONDONTWRITEBYTECODE="1")
    wrapper: list[str] = []
    if platform_name == "offscreen":
        env["QT_QPA_PLATFORM"] = "offscreen"
    else:
        env["QT_QPA_PLATFORM"] = "xcb"
        if not os.environ.get("DISPLAY"):
            env.pop("DISPLAY", None)
            wrapper = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24"]
    one_run(env, wrapper)  # warm the OS file cache and .pyc files; not counted
    samples = [one_run(env, wrapper) for _ in range(runs)]
    seconds = [s for s, _ in samples]
    entry = {
        "platform": platform_name,
        "runs": runs,
        "median_s": round(statistics.median(seconds), 4),
        "min_s": round(min(seconds), 4),
        "max_s": round(max(seconds), 4),
        "modules_loaded": samples[-1][1],
        "under_target": statistics.median(seconds) < TARGET_SECONDS,
    }
    if platform_name == "xcb" and wrapper:
        entry["note"] = "includes starting Xvfb through xvfb-run (about 0.1-0.3 s of the figure)"
    return entry


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    platforms = ["offscreen"]
    if os.environ.get("DISPLAY") or shutil.which("xvfb-run"):
        platforms.append("xcb")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as home:
        results = [measure(name, args.runs, home) for name in platforms]
    load_after = os.getloadavg()[0]
    report = {
        "benchmark": "cold start: process start to first paint of the main window",
        "target_s": TARGET_SECONDS,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(),
                    # the machine is shared: a busy CPU stretches every figure, so say how busy it was
                    "load_average_1m": [round(load_before, 2), round(load_after, 2)]},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(RESULTS, report)
    for entry in results:
        print(f"{entry['platform']:>9}: median {entry['median_s']:.3f} s (min {entry['min_s']:.3f}, max "
              f"{entry['max_s']:.3f}, {entry['runs']} runs, {entry['modules_loaded']} modules)")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0 if all(e["under_target"] for e in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
