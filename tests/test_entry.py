"""The entry point: version, help, and exit codes for the headless interface."""

from __future__ import annotations

import subprocess
import sys

from ics_workbench import __version__


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ics_workbench", *args], capture_output=True, text=True, timeout=60)


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"ics-workbench {__version__}"


def test_unknown_command_is_a_usage_error() -> None:
    result = run("no-such-command")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_every_command_has_help() -> None:
    from ics_workbench.cli import build_parser

    parser = build_parser()
    sub_actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    for name in sub_actions[0].choices if sub_actions else []:
        result = run(name, "--help")
        assert result.returncode == 0, (name, result.stderr)
        assert "usage:" in result.stdout
