"""The recorded fuzz run of every file-reading command (issue 11: >= 2,000 structured mutations per command, 0
tracebacks). Same mutations and checks as ``tests/security/test_fuzz_files.py`` (which runs a few dozen per
command in CI); results are written after each command, so a partial run still records what it did.

    .venv/bin/python bench/fuzz_files.py [EXAMPLES] [COMMAND ...]   # records bench/results/fuzz_files.json
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import tempfile
import time
import traceback
import warnings
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ICS_WORKBENCH_HOME", tempfile.mkdtemp(prefix="icsw-fuzz-"))
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.fsync = lambda fd: None  # parsing is under test, not the disk
warnings.filterwarnings("ignore")

from hypothesis import HealthCheck, given, settings  # noqa: E402

from ics_workbench.cli import main  # noqa: E402
from tests.security.file_commands import COMMANDS, FileCommand  # noqa: E402
from tests.security.mutate import mutated_bytes, mutated_json  # noqa: E402

RESULTS = ROOT / "bench/results/fuzz_files.json"


def run(examples: int, only: list[str]) -> int:
    captured: list[BaseException] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.exc_info and record.exc_info[1] is not None:
                captured.append(record.exc_info[1])

    cli_log = logging.getLogger("ics_workbench.cli")
    cli_log.addHandler(Capture())
    cli_log.setLevel(logging.DEBUG)
    cli_log.propagate = False
    work = Path(tempfile.mkdtemp(prefix="icsw-fuzz-work-"))
    # Merged into earlier results: a run over some commands updates those commands only.
    report: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"commands": {}}
    report.pop("examples_asked", None)
    total_bad = 0
    for command in COMMANDS:
        if only and command.name not in only:
            continue
        started = time.monotonic()
        counts, crashes = _fuzz_command(command, examples, work, captured)
        counts["seconds"] = round(time.monotonic() - started, 1)
        total_bad += counts["tracebacks"] + counts["other_exit"]
        report["commands"][command.name] = counts | {"crashes": crashes, "examples_asked": examples}
        report["recorded"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        report["total_cases"] = sum(c["cases"] for c in report["commands"].values())
        report["total_tracebacks"] = sum(c["tracebacks"] + c["other_exit"] for c in report["commands"].values())
        RESULTS.write_text(json.dumps(report, indent=2) + "\n")
        print(f"{command.name:22} {counts}", flush=True)
    return 1 if total_bad else 0


def _fuzz_command(command: FileCommand, examples: int, work: Path,
                  captured: list[BaseException]) -> tuple[dict[str, Any], list[str]]:
    seed = command.seed()
    counts = {"cases": 0, "exit_0": 0, "exit_1": 0, "exit_2": 0, "tracebacks": 0, "other_exit": 0}
    crashes: list[str] = []

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=mutated_json(seed) if command.json else mutated_bytes(seed))
    def fuzz(data: bytes) -> None:
        path = work / ("input.json" if command.json else "input.png")
        path.write_bytes(data)
        (work / "out").mkdir(exist_ok=True)
        captured.clear()
        counts["cases"] += 1
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()) as err:
            try:
                code = main(["--deadline", "0.001", *command.argv(path, work / "out")])
            except BaseException as exc:
                captured.append(exc)
                code = -1
        if code in (0, 1, 2) and "internal error" not in err.getvalue():
            counts[f"exit_{code}"] += 1
            return
        counts["tracebacks" if captured else "other_exit"] += 1
        if len(crashes) < 5:
            where = "".join(traceback.format_exception(captured[-1])[-3:]) if captured else err.getvalue()
            crashes.append(where[-600:])
            slug = command.name.replace(" ", "-")
            (ROOT / "bench/results/fuzz_crashes").mkdir(parents=True, exist_ok=True)
            (ROOT / f"bench/results/fuzz_crashes/{slug}--{len(crashes)}.bin").write_bytes(data)

    fuzz()
    return counts, crashes


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    sys.exit(run(n, sys.argv[2:]))
