"""Atomic writes: the old file survives a failed write, and no temp files are left behind."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from ics_workbench.fileio import write_json_atomic, write_text_atomic


def test_writes_create_parents_and_private_mode(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "profile.json"
    write_json_atomic(target, {"chain_id": "provider"})
    assert json.loads(target.read_text()) == {"chain_id": "provider"}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_failed_write_keeps_previous_content_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "draft.json"
    write_text_atomic(target, "old")

    class Unserialisable:
        pass

    with pytest.raises(TypeError):
        write_json_atomic(target, {"bad": Unserialisable()})
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["draft.json"]


def test_replace_is_complete(tmp_path: Path) -> None:
    target = tmp_path / "signed.json"
    write_text_atomic(target, "x" * 100_000)
    write_text_atomic(target, "short")
    assert target.read_text() == "short"
