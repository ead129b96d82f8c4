"""Draft writes take the store's cross-process lock: while another process (here: a held lock) writes, an
autosave waits instead of interleaving, then lands whole."""

from __future__ import annotations

import threading

from ics_workbench.fileio import locked
from ics_workbench.proposals.drafts import DraftStore
from tests.proposals import helpers as h


def test_a_save_waits_for_the_store_lock_then_lands() -> None:
    store = DraftStore()
    draft = h.update_top_n()
    draft_id = store.save(draft, name="x", facts=h.facts())
    draft.title = "written while another writer held the lock"
    done = threading.Event()

    def autosave() -> None:
        store.save(draft, name="x", facts=h.facts(), draft_id=draft_id)
        done.set()

    with locked(store.root):
        writer = threading.Thread(target=autosave)
        writer.start()
        assert not done.wait(0.5)  # blocked by the lock another writer holds
        assert store.load(draft_id).draft.title != draft.title
    writer.join(10)
    assert done.is_set() and store.load(draft_id).draft.title == draft.title
    assert sorted(p.name for p in store.root.iterdir()) == [f"{draft_id}.json"]  # the lock file lives outside
