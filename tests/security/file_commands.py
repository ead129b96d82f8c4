"""Every CLI command that reads a file, with a valid seed input for each (the fuzzers mutate the seeds).

``argv(path, out_dir)`` builds the command line for an input at ``path``; ``seed(work_dir)`` writes a valid input
and returns its bytes. Network options point at a closed local port: an input error must come before any
network access (and with ``--offline`` no socket is opened at all)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ics_workbench.signing.qr import frame_png, split_payload
from tests.evidence.factory import Key, double_vote, evidence_to_proto_json
from tests.security.test_review_spoof import spoof_gaiad_json
from tests.signing.offline_helpers import vote_request
from tests.signing.test_offline_cli import ADDRESS, PUBKEY

ROOT = Path(__file__).resolve().parents[2]
CLOSED = "http://127.0.0.1:9"


@dataclass(frozen=True)
class FileCommand:
    name: str
    argv: Callable[[Path, Path], list[str]]
    seed: Callable[[], bytes]
    json: bool = True


def _signing_file() -> bytes:
    return json.dumps(vote_request(PUBKEY).to_json(), indent=2).encode()


def _gaiad() -> bytes:
    return json.dumps(spoof_gaiad_json(ADDRESS)).encode()


def _proposal() -> bytes:
    return (ROOT / "ics_workbench/resources/examples/proposals/example-make-top-n.gov.json").read_bytes()


def _evidence() -> bytes:
    return json.dumps(evidence_to_proto_json(double_vote(Key(60)))).encode()


def _chain_json() -> bytes:
    return (ROOT / "ics_workbench/resources/examples/chain-registry/stride.json").read_bytes()


def _params() -> bytes:
    return json.dumps({"power_shaping_parameters": {"top_N": 95, "validators_power_cap": 0,
                                                    "validator_set_cap": 0, "allowlist": [], "denylist": []}}).encode()


def _qr_png() -> bytes:
    return frame_png(split_payload(_signing_file())[0])


SIGN = ["tx", "sign"]  # in-process tests: --offline would last for the whole test process
COMMANDS: tuple[FileCommand, ...] = (
    FileCommand("tx show", lambda p, o: ["tx", "show", str(p)], _signing_file),
    FileCommand("tx sign", lambda p, o: [*SIGN, str(p), "--key", "nokey", "--yes", "-o", str(o / "s.json")],
                _signing_file),
    FileCommand("tx verify", lambda p, o: ["tx", "verify", str(p)], _signing_file),
    FileCommand("tx combine", lambda p, o: ["tx", "combine", str(p), "-o", str(o / "c.json")], _signing_file),
    FileCommand("tx broadcast", lambda p, o: ["tx", "broadcast", str(p), "--rest", CLOSED], _signing_file),
    FileCommand("tx export-gaiad", lambda p, o: ["tx", "export-gaiad", str(p), "-o", str(o / "g.json")],
                _signing_file),
    FileCommand("tx qr-export", lambda p, o: ["tx", "qr-export", str(p), str(o / "frames")], _signing_file),
    FileCommand("tx request", lambda p, o: ["tx", "request", str(p), "--multisig-threshold", "1",
                                            "--multisig-pubkey", "A" * 43 + "=", "--chain-id", "c",
                                            "--account-number", "1", "--sequence", "1", "-o", str(o / "r.json")],
                _gaiad),
    FileCommand("tx qr-import", lambda p, o: ["tx", "qr-import", str(p), "-o", str(o / "q.json")], _qr_png,
                json=False),
    FileCommand("proposal validate", lambda p, o: ["proposal", "validate", str(p)], _proposal),
    FileCommand("proposal export", lambda p, o: ["proposal", "export", str(p), "--format", "provider-cli",
                                                 "-o", str(o / "e.json"), "--force"], _proposal),
    FileCommand("proposal diff", lambda p, o: ["proposal", "diff", str(p)], _proposal),
    FileCommand("evidence verify", lambda p, o: ["evidence", "verify", str(p), "--chain-id", "consumer-1"],
                _evidence),
    FileCommand("evidence pair", lambda p, o: ["evidence", "pair", str(p), str(p), "--out", str(o / "p.json")],
                _evidence),
    FileCommand("evidence misbehaviour", lambda p, o: ["evidence", "misbehaviour", str(p), "--chain-id", "c",
                                                       "--consumer-id", "0", "--submitter", ADDRESS,
                                                       "--out-dir", str(o / "m")], _evidence),
    FileCommand("evidence record-tx", lambda p, o: ["evidence", "record-tx", str(p), "--tx-hash", "AB" * 32,
                                                    "--height", "5"], _evidence),
    FileCommand("profiles import", lambda p, o: ["profiles", "import", str(p), "--name", "fuzz"], _chain_json),
    FileCommand("overlaps simulate", lambda p, o: ["overlaps", "simulate", "--provider-rest", CLOSED,
                                                   "--consumer", "0", "--params-file", str(p)], _params),
)
