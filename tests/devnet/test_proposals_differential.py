"""The differential harness: generated drafts, the real ICS v7 provider as the judge (see differential.py).

One devnet_factory chain is dedicated to the harness (nothing shared is touched; the fixture consumers it needs
are created by the harness itself). The per-class tally and the confusion matrix are printed, and the run
fails on any missed case, false alarm or unwarned silent damage, naming each one.
"""

from __future__ import annotations

import json
import os
import time

from ics_workbench.devnet.genesis import ChainSettings
from tests.devnet.differential import CLASSES, Harness, confusion, tally

SEED = int(os.environ.get("ICS_WB_HARNESS_SEED", "12"))
# share of the per-field boundary cases run by dry-run (1.0: all ~800 cases); CI keeps about 400
SAMPLE = float(os.environ.get("ICS_WB_HARNESS_SAMPLE", "0.45"))


def test_app_and_provider_agree_on_generated_cases(devnet_factory, capsys) -> None:
    started = time.monotonic()
    # a longer voting period than the session devnet's: the votes follow a batch of submissions
    chain = devnet_factory(seed=False, settings=ChainSettings(voting_period="30s"))
    outcomes = Harness(chain, SEED).run(sample=SAMPLE)
    counts = tally(outcomes)
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(f"\nproposal harness (seed {SEED}, sample {SAMPLE}): {len(outcomes)} cases in {elapsed:.0f}s: "
              + ", ".join(f"{k} {counts[k]}" for k in CLASSES))
        print(json.dumps(confusion(outcomes), indent=1))
    record = os.environ.get("ICS_WB_HARNESS_RECORD")
    if record:
        with open(record, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "seed": SEED,
                    "sample": SAMPLE,
                    "cases": len(outcomes),
                    "seconds": round(elapsed),
                    "tally": dict(counts),
                    "confusion": confusion(outcomes),
                    "outcomes": [
                        {
                            "case": o.case.name,
                            "class": o.klass,
                            "chain_refused": o.chain_refused,
                            "chain": o.chain_log[:200],
                            "damaged": o.damaged,
                            "app": o.app_lines[:3],
                        }
                        for o in outcomes
                    ],
                },
                out,
                indent=1,
                ensure_ascii=False,
            )
    wrong = [o.report() for o in outcomes if o.klass in ("missed", "false alarm", "silent-unwarned")]
    assert len(outcomes) >= 300
    assert not wrong, "\n".join(wrong)
