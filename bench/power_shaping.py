"""Power-shaping simulator speed: 500 provider validators x 50 consumers.

Measures (best and median of repeated runs, milliseconds):
- one parameter change re-simulated for one consumer (what the simulator form does on every edit; target < 50 ms),
- the full overlap matrix: all 50 consumers simulated plus the matrix cells,
- a cold start (first simulation on a fresh snapshot, which decodes every address once),
- the GUI matrix with all of it loaded (offscreen Qt): filling the model, sorting by a consumer column, filtering,
  and painting the view scrolled to the bottom.

Run: .venv/bin/python bench/power_shaping.py  -> prints the figures and writes bench/results/power_shaping.json
"""

from __future__ import annotations

import hashlib
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ics_workbench.addresses import encode_address  # noqa: E402
from ics_workbench.fileio import write_json_atomic  # noqa: E402
from ics_workbench.validators.analysis import overlap_matrix  # noqa: E402
from ics_workbench.validators.models import (  # noqa: E402
    ConsumerInput,
    PowerShapingParams,
    ProviderSnapshot,
    ProviderValidator,
)
from ics_workbench.validators.simulate import simulate  # noqa: E402

N_VALIDATORS = 500
N_CONSUMERS = 50
REPEATS = 30


def provider(rng: random.Random) -> ProviderSnapshot:
    validators = []
    for i in range(N_VALIDATORS):
        tokens = int(rng.paretovariate(1.2) * 10**12)
        raw = hashlib.sha256(f"val-{i}".encode()).digest()[:20]
        validators.append(
            ProviderValidator(
                operator=encode_address(raw, "cosmosvaloper"),
                valcons=encode_address(hashlib.sha256(raw).digest()[:20], "cosmosvalcons"),
                power=tokens // 10**6,
                tokens=tokens,
                jailed=rng.random() < 0.01,
                moniker=f"validator-{i}",
            )
        )
    return ProviderSnapshot(tuple(validators), max_provider_consensus_validators=180)


def consumers(rng: random.Random, snapshot: ProviderSnapshot) -> list[ConsumerInput]:
    addresses = [v.valcons for v in snapshot.validators]
    out = []
    for i in range(N_CONSUMERS):
        top_n = rng.choice([0, 0, 0, 50, 67, 95])
        params = PowerShapingParams(
            top_n=top_n,
            validators_power_cap=rng.choice([0, 0, 5, 10, 20]),
            validator_set_cap=0 if top_n else rng.choice([0, 20, 60, 150]),
            allowlist=tuple(rng.sample(addresses, 100)) if rng.random() < 0.2 else (),
            denylist=tuple(rng.sample(addresses, 10)) if rng.random() < 0.5 else (),
            min_stake=rng.choice([0, 0, 10**12]),
            allow_inactive_vals=rng.random() < 0.3,
            prioritylist=tuple(rng.sample(addresses, 5)) if rng.random() < 0.3 else (),
        )
        opted = frozenset(rng.sample(addresses, rng.randint(10, 300)))
        out.append(ConsumerInput(str(i), f"consumer-{i}", params, opted))
    return out


def timed(fn, repeats: int = REPEATS) -> dict[str, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {"best_ms": round(min(samples), 3), "median_ms": round(statistics.median(samples), 3),
            "max_ms": round(max(samples), 3), "runs": repeats}


def gui_matrix(snapshot: ProviderSnapshot, inputs: list[ConsumerInput]) -> dict[str, object]:
    """Times the panel's table operations on the full 500 x 50 matrix (Qt offscreen, no window manager)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ics_workbench.gui.context import AppContext
    from ics_workbench.gui.panels.validators.panel import ValidatorsPanel, _compute
    from ics_workbench.tasks import NO_JOB
    from ics_workbench.validators.load import OverlapData

    app = QApplication.instance() or QApplication([])
    context = AppContext()
    panel = ValidatorsPanel(context)
    panel.resize(1400, 900)
    panel.show()
    computed = _compute(OverlapData(snapshot, tuple(inputs), {}, {}), NO_JOB)
    start = time.perf_counter()
    panel._show(computed)
    app.processEvents()
    fill_ms = (time.perf_counter() - start) * 1000
    view = panel.matrix_table.view
    columns = list(range(3, 3 + len(inputs)))
    sort = timed(lambda: (view.sortByColumn(columns.pop(0) if columns else 3, Qt.SortOrder.DescendingOrder),
                          app.processEvents()), repeats=10)
    words = iter(["denied", "capped", "inactive", "opted", "validator-1", ""] * 5)
    filt = timed(lambda: (panel.matrix_table.set_filter_text(next(words)), app.processEvents()), repeats=6)
    panel.matrix_table.set_filter_text("")
    rows = panel.matrix_table.proxy.rowCount()
    positions = iter([rows - 1, 0, rows // 2, rows - 1, 0] * 4)
    scroll = timed(lambda: (view.scrollTo(panel.matrix_table.proxy.index(next(positions), 40)),
                            view.viewport().repaint()), repeats=10)
    context.runtime.shutdown(10_000)
    panel.close()
    return {"fill_ms": round(fill_ms, 3), "sort_by_consumer_column": sort, "filter": filt, "scroll_and_paint": scroll}


def main() -> None:
    rng = random.Random(2026)
    snapshot = provider(rng)
    inputs = consumers(rng, snapshot)

    start = time.perf_counter()
    simulate(snapshot, inputs[0])
    cold_ms = (time.perf_counter() - start) * 1000

    # the largest consumer: Top N... pick the opt-in consumer with the most opted-in validators
    target = max(inputs, key=lambda c: len(c.opted_in))
    caps = iter([0, 5, 10, 15, 20, 25, 30, 35] * REPEATS)
    one_change = timed(lambda: simulate(snapshot, target, target.params.with_changes(validators_power_cap=next(caps))))
    deny = [v.valcons for v in snapshot.validators[:20]]
    one_deny_change = timed(lambda: simulate(snapshot, target, target.params.with_changes(denylist=deny)))
    top_n = timed(lambda: simulate(snapshot, target, target.params.with_changes(top_n=95, validator_set_cap=0)))
    priority = tuple(v.valcons for v in snapshot.validators[:5])
    every = ConsumerInput(
        "all", "all-1",
        PowerShapingParams(allow_inactive_vals=True, validators_power_cap=5, prioritylist=priority),
        frozenset(v.valcons for v in snapshot.validators),
    )
    worst_caps = iter([4, 5, 6, 7] * REPEATS)
    worst = timed(lambda: simulate(snapshot, every, every.params.with_changes(validators_power_cap=next(worst_caps))))
    full = timed(lambda: overlap_matrix(snapshot, [simulate(snapshot, c) for c in inputs]), repeats=5)

    gui = gui_matrix(snapshot, inputs)
    figures = {
        "validators": N_VALIDATORS,
        "consumers": N_CONSUMERS,
        "target_opted_in": len(target.opted_in),
        "cold_first_simulation_ms": round(cold_ms, 3),
        "one_parameter_change_power_cap": one_change,
        "one_parameter_change_denylist": one_deny_change,
        "one_parameter_change_top_n_95": top_n,
        "one_parameter_change_all_500_opted_in_allow_inactive_cap": worst,
        "full_matrix_50_consumers": full,
        "target_one_change_ms": 50,
        "gui_matrix_500x50": gui,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    for key, value in figures.items():
        print(f"{key}: {value}")
    write_json_atomic(ROOT / "bench" / "results" / "power_shaping.json", figures)


if __name__ == "__main__":
    main()
