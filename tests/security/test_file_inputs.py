"""Every file-reading command refuses what is not a usable regular file with exit 2 and one line
``PATH: FIELD: RULE``: directories, FIFOs, devices, a symlink to /dev/zero, oversize, binary and deep input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ics_workbench.cli import main
from ics_workbench.fileio import MAX_INPUT_BYTES, InputFileError, read_input
from tests.security.file_commands import COMMANDS, FileCommand


def special_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, what the one error line must say)"""
    directory = tmp / "a-directory"
    directory.mkdir()
    fifo = tmp / "a-fifo"
    os.mkfifo(fifo)
    zero = tmp / "zero-link"
    zero.symlink_to("/dev/zero")
    big = tmp / "big.json"
    with big.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(MAX_INPUT_BYTES + 1)
    binary = tmp / "binary.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x01" * 10)
    deep = tmp / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    return {
        "missing": (tmp / "nope.json", "file: no such file"),
        "directory": (directory, "file: is a directory"),
        "fifo": (fifo, "file: is a FIFO"),
        "dev-zero": (zero, "file: is a device (a link to /dev/zero)"),
        "dev-null": (Path("/dev/null"), "file: is a device"),
        "oversize": (big, "size: "),
        "binary": (binary, ""),
        "deep": (deep, "JSON nested 100000 levels deep (limit 64)"),
    }


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_unusable_files_exit_2_with_one_line(
    command: FileCommand, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICS_WORKBENCH_HOME", str(tmp_path / "home"))
    out = tmp_path / "out"
    out.mkdir()
    for name, (path, says) in special_inputs(tmp_path / "in").items() if (tmp_path / "in").mkdir() is None else ():
        if name == "binary" and not command.json:
            says = "image: not a readable image"
        if name == "deep" and not command.json:
            says = "image: not a readable image"
        code = main(command.argv(path, out))
        captured = capsys.readouterr()
        lines = captured.err.strip().splitlines()
        assert code == 2, (name, captured.err)
        assert len(lines) == 1 and lines[0].startswith("error: "), (name, captured.err)
        assert path.name in lines[0] or name == "binary" and not command.json, (name, lines[0])
        assert says in lines[0], (name, lines[0])
        assert "internal error" not in lines[0]


def test_read_input_never_reads_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(b"a" * 1000)
    assert read_input(path, max_bytes=1000) == b"a" * 1000
    with pytest.raises(InputFileError, match=r"x: size: 1,000 bytes, more than the 999-byte limit"):
        read_input(path, max_bytes=999)
