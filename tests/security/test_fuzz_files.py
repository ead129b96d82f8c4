"""Fuzzing every file-reading command with structured mutations of a valid input: the CLI answers every input
with exit 0, 1 or 2 and a message, never a traceback or an "internal error", and no escape byte reaches stdout.

In the suite each command gets ``ICSW_FUZZ_EXAMPLES`` cases (default 25, for CI time); the recorded run
(``ICSW_FUZZ_EXAMPLES=2000``, counts in ``bench/results/fuzz_files.json``) uses the same test. Inputs that
once crashed a command are kept in ``corpus/`` and replayed on every run.
"""

from __future__ import annotations

import io
import json
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from ics_workbench.cli import main
from tests.security.file_commands import COMMANDS, FileCommand
from tests.security.mutate import mutated_bytes, mutated_json

EXAMPLES = int(os.environ.get("ICSW_FUZZ_EXAMPLES", "25"))
CORPUS = Path(__file__).parent / "corpus"
COUNTS = Path(os.environ["ICSW_FUZZ_COUNTS"]) if os.environ.get("ICSW_FUZZ_COUNTS") else None
GLOBAL = ["--deadline", "0.001"]  # any network access fails at once ("not sent"): the file is what is tested
_SEEDS: dict[str, bytes] = {}


def slug(name: str) -> str:
    return name.replace(" ", "-")


def seed_of(command: FileCommand) -> bytes:
    if command.name not in _SEEDS:
        _SEEDS[command.name] = command.seed()
    return _SEEDS[command.name]


def run_once(command: FileCommand, data: bytes, work: Path) -> tuple[int, str, str]:
    path = work / ("input.png" if not command.json else "input.json")
    path.write_bytes(data)
    out = work / "out"
    out.mkdir(exist_ok=True)
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        code = main([*GLOBAL, *command.argv(path, out)])
    return code, stdout.getvalue(), stderr.getvalue()


def check(command: FileCommand, data: bytes, work: Path) -> None:
    code, out, err = run_once(command, data, work)
    assert code in (0, 1, 2), (command.name, code, err)
    assert "internal error" not in err and "Traceback" not in err, (command.name, err, data[:300])
    assert "\x1b" not in out and "\x1b" not in err
    if code == 2:
        assert len(err.strip().splitlines()) == 1, err


def _record(command: FileCommand) -> None:
    if COUNTS is None:
        return
    counts = json.loads(COUNTS.read_text()) if COUNTS.exists() else {}
    counts[command.name] = counts.get(command.name, 0) + 1
    COUNTS.write_text(json.dumps(counts, indent=2, sort_keys=True))


@pytest.fixture(autouse=True)
def _home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICS_WORKBENCH_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    monkeypatch.setattr(os, "fsync", lambda fd: None)  # parsing is under test, not the disk


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_seed_input_is_accepted_or_refused_cleanly(command: FileCommand, tmp_path: Path) -> None:
    """The seed is a real input of its command (so mutations start from something that parses)."""
    check(command, seed_of(command), tmp_path)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_fuzz_file_command(command: FileCommand, tmp_path_factory: pytest.TempPathFactory) -> None:
    work = tmp_path_factory.mktemp(slug(command.name))
    seed = seed_of(command)
    strategy = mutated_json(seed) if command.json else mutated_bytes(seed)

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(data=strategy)
    def fuzz(data: bytes) -> None:
        _record(command)
        check(command, data, work)

    fuzz()


CORPUS_FILES = sorted(CORPUS.glob("*")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_crash_corpus_is_replayed(path: Path, tmp_path: Path) -> None:
    """``corpus/<command-slug>--<what>.<ext>``: an input that once crashed that command."""
    name = path.name.split("--", 1)[0].replace("-", " ")
    command = next(c for c in COMMANDS if c.name == name)
    check(command, path.read_bytes(), tmp_path)
