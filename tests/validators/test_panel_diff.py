"""The simulator's before/after table lists what a candidate removes first, then additions, then power changes."""

from __future__ import annotations

from ics_workbench.gui.panels.validators.tables import diff_rows
from ics_workbench.validators.models import ConsumerInput, PowerShapingParams, ProviderSnapshot
from ics_workbench.validators.simulate import simulate
from tests.validators.factories import validators

VALS = validators(50, 30, 20, 10, 5)


def test_removed_first_then_added_then_changed_then_unchanged() -> None:
    snapshot = ProviderSnapshot(VALS)
    consumer = ConsumerInput("0", "alpha-1", PowerShapingParams(), frozenset(v.valcons for v in VALS))
    before = simulate(snapshot, consumer)
    after = simulate(snapshot, consumer, PowerShapingParams(denylist=(VALS[0].valcons,), validators_power_cap=40))
    rows = diff_rows(before, after)
    assert rows[0].validator == VALS[0] and rows[0].change.startswith("removed: ")
    kinds = ["removed" if r.after is None else "added" if r.before is None else r.change or "same" for r in rows]
    order = {"removed": 0, "added": 1, "power changed": 2, "same": 3}
    assert [order[k] for k in kinds] == sorted(order[k] for k in kinds)
    assert "power changed" in kinds  # with val0 gone, val1 (30 of 65) exceeds the 40% cap
