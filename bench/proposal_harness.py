"""Proposal differential harness: app verdict vs the real ICS v7 provider's, over generated cases.

Runs tests/devnet/test_proposals_differential.py (its own devnet chain) and records the seed, the sample, the
case count, the wall time, the per-class tally (agree / missed / false alarm / silent-warned / silent-unwarned),
the confusion matrix and every outcome in ``bench/results/proposal_harness.json``. ``--sample 1`` runs every
generated case (about 800); the test suite's default keeps about 450.

    .venv/bin/python bench/proposal_harness.py [--seed 12] [--sample 1.0]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "proposal_harness.json"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", default="12")
    parser.add_argument("--sample", default="1.0")
    args = parser.parse_args(argv)
    env = dict(os.environ, ICS_WB_HARNESS_SEED=args.seed, ICS_WB_HARNESS_SAMPLE=args.sample,
               ICS_WB_HARNESS_RECORD=str(RESULTS))
    result = subprocess.run([sys.executable, "-m", "pytest", "tests/devnet/test_proposals_differential.py", "-q", "-s",
                             "-p", "no:cacheprovider"], cwd=ROOT, env=env)
    if RESULTS.is_file():
        record = json.loads(RESULTS.read_text(encoding="utf-8"))
        print(f"{record['cases']} cases in {record['seconds']} s: {record['tally']}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
