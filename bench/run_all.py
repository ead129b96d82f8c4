"""Runs every benchmark in this folder one after another (they share two cores, so never in parallel).

    .venv/bin/python bench/run_all.py [NAME ...]

Each benchmark is a standalone script that prints its figures and records them in ``bench/results/<name>.json``;
this runner only sequences them and reports which failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_"))
    if argv:
        scripts = [p for p in scripts if p.stem in argv]
    failed = []
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        print(f"== {script.stem}: exit {result.returncode} in {time.perf_counter() - started:.1f} s\n", flush=True)
        if result.returncode:
            failed.append(script.stem)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
