"""Drafts: atomic autosave, reload, duplicate, list with validation state."""

from __future__ import annotations

import os

import pytest

from ics_workbench.errors import WorkbenchError
from ics_workbench.proposals.drafts import DraftStore
from ics_workbench.proposals.templates import new_draft
from tests.proposals import helpers as h


def test_save_load_round_trip_under_data_dir(tmp_path) -> None:
    store = DraftStore()
    assert str(store.root).startswith(os.environ["ICS_WORKBENCH_HOME"])
    draft = h.update_top_n()
    draft.kind = "make-top-n"
    draft_id = store.save(draft, name="Top N for Stride", facts=h.facts())
    stored = store.load(draft_id)
    assert stored.name == "Top N for Stride" and stored.provider_version == "v7.0.0"
    assert stored.draft.kind == "make-top-n" and stored.draft.title == draft.title
    assert stored.draft.messages[0].model_dump() == draft.messages[0].model_dump()
    assert oct((store.root / f"{draft_id}.json").stat().st_mode & 0o777) == "0o600"


def test_autosave_overwrites_in_place_and_leaves_no_temp_files() -> None:
    store = DraftStore()
    draft = h.update_top_n()
    draft_id = store.save(draft, name="x", facts=h.facts())
    for title in ("one", "two", "three"):
        draft.title = title
        store.save(draft, name="x", facts=h.facts(), draft_id=draft_id)
    assert store.load(draft_id).draft.title == "three"
    assert sorted(p.name for p in store.root.iterdir()) == [f"{draft_id}.json"]


def test_failed_save_keeps_the_previous_version(monkeypatch) -> None:
    store = DraftStore()
    draft = h.update_top_n()
    draft_id = store.save(draft, name="kept", facts=h.facts())

    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    draft.title = "lost edit"
    with pytest.raises(OSError):
        store.save(draft, name="kept", facts=h.facts(), draft_id=draft_id)
    monkeypatch.undo()
    assert store.load(draft_id).draft.title == "A clear title"
    assert sorted(p.name for p in store.root.iterdir()) == [f"{draft_id}.json"]


def test_duplicate_and_list_with_state() -> None:
    store = DraftStore()
    good = store.save(h.update_params(), name="params", facts=h.facts())
    bad_draft = new_draft("make-top-n", h.facts())  # consumer id, title, summary still empty
    bad = store.save(bad_draft, name="unfinished", facts=h.facts())
    copy = store.duplicate(good)
    assert copy not in (good, bad) and store.load(copy).name == "params (copy)"
    (store.root / "deadbeef.json").write_text("{not json")
    states = {s.name: s for s in store.list()}
    assert states["params"].state == "valid" and states["params (copy)"].state == "valid"
    assert states["unfinished"].state == "invalid" and states["unfinished"].errors == 3
    assert states["deadbeef.json"].state == "unreadable"
    store.delete(copy)
    assert "params (copy)" not in {s.name for s in store.list()}


def test_bad_ids_are_refused() -> None:
    with pytest.raises(WorkbenchError, match="not a draft id"):
        DraftStore().load("../../etc/passwd")
    with pytest.raises(WorkbenchError, match="no draft"):
        DraftStore().load("0" * 32)
