"""Atomic file writes (a crash or full disk never leaves a half-written draft, profile or signed tx) and bounded
reads of untrusted input files.

Reading: a file named on the command line or chosen in a dialog is untrusted input. It may be a directory, a
FIFO that never ends, a device or a symlink to ``/dev/zero``, a multi-GB file, binary junk or JSON nested
100,000 deep. :func:`read_input` opens without blocking, accepts regular files only, checks the size before
reading and never reads more than the limit; every refusal is one :class:`InputFileError` line
``PATH: FIELD: RULE`` (the CLI exits 2 on it).
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ics_workbench import safejson
from ics_workbench.errors import WorkbenchError

MAX_INPUT_BYTES = 16 * 1024 * 1024
"""largest input file read (a signing file with a big proposal is < 1 MB; images have their own limits)"""


class InputFileError(WorkbenchError):
    """An input file cannot be used: ``PATH: FIELD: RULE`` in one line."""

    def __init__(self, path: Path | str, field: str, rule: str) -> None:
        self.path, self.field, self.rule = str(path), field, rule
        super().__init__(f"{self.path}: {field}: {rule}")  # shown through the one rendering rule by the caller


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_input(path: Path | str, *, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (symlinks followed, then checked like the file)."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputFileError(path, "file", "no such file") from None
    except IsADirectoryError:
        raise InputFileError(path, "file", "is a directory, not a regular file") from None
    except OSError as exc:
        raise InputFileError(path, "file", f"cannot open: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            target = f" (a link to {os.path.realpath(path)})" if path.is_symlink() else ""
            raise InputFileError(path, "file", f"is {_kind(info.st_mode)}{target}, not a regular file")
        if info.st_size > max_bytes:
            raise InputFileError(path, "size", f"{info.st_size:,} bytes, more than the {max_bytes:,}-byte limit")
        os.set_blocking(fd, True)
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, min(1024 * 1024, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # grew while being read
                raise InputFileError(path, "size", f"more than the {max_bytes:,}-byte limit")
        return b"".join(chunks)
    except OSError as exc:
        raise InputFileError(path, "file", f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def decode_text(data: bytes, path: Path | str) -> str:
    """UTF-8 text (a BOM is tolerated), or the one-line refusal naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(path, "encoding", f"not UTF-8 text (invalid byte at offset {exc.start})") from None


def read_input_text(path: Path | str, *, max_bytes: int = MAX_INPUT_BYTES) -> str:
    return decode_text(read_input(path, max_bytes=max_bytes), path)


def check_json_depth(text: str | bytes, path: Path | str, *, max_depth: int = safejson.MAX_DEPTH) -> None:
    """For parsers of JSON-based formats that decode on their own: refuse a document nested too deeply."""
    found = safejson.depth(text)
    if found > max_depth:
        raise InputFileError(path, "JSON", f"JSON nested {found} levels deep (limit {max_depth})")


def parse_json_input(text: str | bytes, path: Path | str, *, max_depth: int = safejson.MAX_DEPTH) -> Any:
    """JSON with a depth limit; errors as ``PATH: JSON: ...``."""
    try:
        return safejson.loads(text, max_depth=max_depth)
    except safejson.JsonDepthError as exc:
        raise InputFileError(path, "JSON", str(exc)) from None
    except json.JSONDecodeError as exc:
        raise InputFileError(
            path, "JSON", f"not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})"
        ) from None
    except ValueError as exc:
        raise InputFileError(path, "JSON", str(exc)) from None


def read_json_input(path: Path | str, *, max_bytes: int = MAX_INPUT_BYTES, max_depth: int = safejson.MAX_DEPTH) -> Any:
    """A JSON input file, read with every limit (size, regular file, UTF-8, depth)."""
    return parse_json_input(read_input_text(path, max_bytes=max_bytes), path, max_depth=max_depth)


def write_bytes_atomic(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory, fsync, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def write_text_atomic(path: Path, text: str, *, mode: int = 0o600) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), mode=mode)


def write_json_atomic(path: Path, value: Any, *, mode: int = 0o600) -> None:
    write_text_atomic(path, json.dumps(value, indent=2, sort_keys=False) + "\n", mode=mode)


# ---- cross-process locking and housekeeping -------------------------------------------------------------------

LOCK_TIMEOUT = 30.0
STALE_TEMP_AGE = 120.0
"""seconds after which a ``.NAME.xxxxxxxx.tmp`` left by a killed writer is removed (a write takes milliseconds)"""


@contextmanager
def locked(path: Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the cross-process lock of ``path`` (``.NAME.lock`` beside it) around a read-modify-write, so the
    GUI and the CLI (or two windows) never lose each other's change."""
    from filelock import FileLock, Timeout

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path.parent / f".{path.name}.lock"), timeout=timeout, mode=0o600)
    try:
        with lock:
            yield
    except Timeout:
        raise WorkbenchError(f"{path}: lock: another ics-workbench process has held it for {timeout:g} s; "
                             "close it or try again") from None


_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def remove_stale_temp_files(directories: Iterable[Path], *, older_than: float = STALE_TEMP_AGE) -> list[Path]:
    """Remove the temp files an atomic write leaves when its process is killed (``.NAME.xxxxxxxx.tmp``)."""
    removed: list[Path] = []
    now = time.time()
    for directory in directories:
        if not Path(directory).is_dir():
            continue
        for candidate in Path(directory).rglob(".*.tmp"):
            try:
                if (_TEMP_NAME.match(candidate.name) and candidate.is_file() and not candidate.is_symlink()
                        and now - candidate.stat().st_mtime > older_than):
                    candidate.unlink()
                    removed.append(candidate)
            except OSError:
                continue
    return removed


def make_private(path: Path) -> None:
    """Owner-only permissions (0600) for a file the app writes in place (logs, window settings)."""
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass
