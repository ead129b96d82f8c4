"""Vote signature verification throughput: the app's path (CanonicalVote sign bytes + ed25519 verify) next
to raw libsodium verification of the same, precomputed messages (the floor).

10,000 distinct votes from 100 keys; each figure is the best of ``--repeats`` runs (least disturbed by the
other processes on a shared machine). Target: the app path reaches at least half of the raw speed.

    .venv/bin/python bench/vote_verify.py [--votes 10000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nacl
import nacl.bindings
import nacl.signing

from ics_workbench.evidence.checks import verify_votes_batch
from ics_workbench.evidence.model import BlockId, PartSetHeader, Vote
from ics_workbench.evidence.signbytes import vote_sign_bytes
from ics_workbench.evidence.timestamps import Timestamp
from ics_workbench.fileio import write_json_atomic

RESULTS = Path(__file__).resolve().parent / "results" / "vote_verify.json"
CHAIN_ID = "consumer-1"


def make_votes(count: int) -> list[tuple[bytes, str, Vote]]:
    keys = [nacl.signing.SigningKey(i.to_bytes(2, "big") * 16) for i in range(100)]
    items = []
    for i in range(count):
        key = keys[i % len(keys)]
        public = bytes(key.verify_key)
        vote = Vote(
            2, 1000 + i, i % 3, BlockId(i.to_bytes(4, "big") * 8, PartSetHeader(1, bytes(32))),
            Timestamp(1_700_000_000 + i, i * 7919 % 10**9), public[:20], i % 100, b"",
        )
        signature = key.sign(vote_sign_bytes(CHAIN_ID, vote)).signature
        items.append((public, CHAIN_ID, Vote(**{**vote.__dict__, "signature": signature})))
    return items


def best_rate(run, count: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return count / best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--votes", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    items = make_votes(args.votes)
    raw_inputs = [(vote.signature + vote_sign_bytes(chain, vote), key) for key, chain, vote in items]

    def raw() -> None:
        for signed, key in raw_inputs:
            nacl.bindings.crypto_sign_open(signed, key)

    def app() -> None:
        if not all(verify_votes_batch(items)):
            raise SystemExit("a genuine vote failed to verify")

    def sign_bytes_only() -> None:
        for _, chain, vote in items:
            vote_sign_bytes(chain, vote)

    raw_rate = best_rate(raw, len(items), args.repeats)
    app_rate = best_rate(app, len(items), args.repeats)
    sb_rate = best_rate(sign_bytes_only, len(items), args.repeats)
    result = {
        "votes": len(items),
        "repeats": args.repeats,
        "raw_libsodium_votes_per_s": round(raw_rate),
        "app_votes_per_s": round(app_rate),
        "sign_bytes_per_s": round(sb_rate),
        "app_to_raw_ratio": round(app_rate / raw_rate, 3),
        "target_ratio": 0.5,
        "meets_target": app_rate / raw_rate >= 0.5,
        "pynacl": nacl.__version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} cpu",
    }
    write_json_atomic(RESULTS, result)
    for key, value in result.items():
        print(f"{key:28} {value}")
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
