"""Runs every network command of the CLI against a hostile endpoint in a subprocess and measures it: wall time,
peak RSS (``os.wait4``), exit code and what reached stderr. Shared by the suite (short deadlines) and the
benchmark (``bench/hostile_endpoints.py``, default limits)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VALCONS = "cosmosvalcons1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqzy8k80"
PROPOSAL = ROOT / "resources/examples/proposals/example-make-top-n.gov.json"


def network_commands(url: str) -> dict[str, list[str]]:
    """Every CLI command that reads a chain, pointed at ``url`` for all its endpoints."""
    return {
        "chain status": ["chain", "status", "--rpc", url, "--rest", url],
        "chain overview": ["chain", "overview", "--rpc", url, "--rest", url, "--role", "provider"],
        "overlaps": ["overlaps", "--provider-rpc", url, "--provider-rest", url],
        "overlaps validator": ["overlaps", "validator", VALCONS, "--provider-rest", url],
        "evidence scan": ["evidence", "scan", "--rpc", url, "--from", "1", "--to", "3"],
        "evidence stored": ["evidence", "stored", "--rest", url],
        "downtime": ["downtime", "--rpc", url, "--rest", url],
        "proposal validate": ["proposal", "validate", str(PROPOSAL), "--rest", url],
    }


@dataclass(frozen=True)
class Run:
    code: int
    seconds: float
    # wait4 ru_maxrss: includes the parent's RSS at fork, so only meaningful from a small parent (bench/)
    max_rss_mb: float
    stdout: str
    stderr: str


def run_cli(args: list[str], *, global_args: tuple[str, ...] = (), timeout: float = 120.0, module: bool = False) -> Run:
    """``ics-workbench GLOBAL_ARGS ARGS`` (or with ``module``: ``python ARGS``) in a subprocess, measured."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env["ICS_WORKBENCH_HOME"] = env.get("ICS_WORKBENCH_HOME") or tempfile.mkdtemp(prefix="icsw-hostile-")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        command = [sys.executable, *args] if module else [sys.executable, "-m", "ics_workbench", *global_args, *args]
        proc = subprocess.Popen(command, stdout=out,
                                stderr=err, env=env, cwd=ROOT)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, seconds, usage.ru_maxrss / 1024, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"))
