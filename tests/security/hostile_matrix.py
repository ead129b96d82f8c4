"""``python -m tests.security.hostile_matrix URL [GLOBAL_ARGS...]``: runs every network command in this one
process (``cli.main``, stdout/stderr captured per command) and prints one JSON line per command with its exit
code, seconds and stderr, then the process's peak RSS since exec. One interpreter per hostile mode keeps the suite fast;
the peak RSS covers every command run."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time

from ics_workbench.cli import main
from tests.security.hostile_cli import network_commands


def run_all(url: str, global_args: list[str]) -> None:
    for name, args in network_commands(url).items():
        out, err = io.StringIO(), io.StringIO()
        started = time.monotonic()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([*global_args, *args])
            except BaseException as exc:
                import traceback

                err.write("Traceback (escaped main)\n" + "".join(traceback.format_exception(exc)))
                code = -1
        print(json.dumps({"command": name, "code": code, "seconds": time.monotonic() - started,
                          "stderr": err.getvalue()}), flush=True)
    print(json.dumps({"max_rss_mb": peak_rss_mb()}), flush=True)


def peak_rss_mb() -> float:
    """This process's own peak RSS since exec (``VmHWM``). ``ru_maxrss`` is not used: Linux carries into it the
    pre-exec peak of the forked parent, so under a large pytest process every child looked 400 MB big."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    run_all(sys.argv[1], sys.argv[2:])
