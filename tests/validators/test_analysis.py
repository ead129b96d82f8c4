"""Overlap matrix, risk figures, shared power, set matching and key hygiene on hand-built providers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ics_workbench.validators.analysis import (
    ChainValidator,
    KeyAlert,
    MatchStatus,
    ReportedMember,
    compare_with_reported,
    key_table,
    match_sets,
    overlap_matrix,
    risk_figures,
    shared_power,
    validator_view,
)
from ics_workbench.validators.models import (
    ConsumerInput,
    KeyAssignment,
    PowerShapingParams,
    ProviderSnapshot,
    SnapshotError,
)
from ics_workbench.validators.results import Exclusion
from ics_workbench.validators.simulate import simulate
from tests.validators.factories import pubkey, valcons_of, validators

VALS = validators(50, 30, 20, 10, 5)
PROVIDER = ProviderSnapshot(VALS)


def consumer(
    cid: str, params: PowerShapingParams, opted: tuple = (), chain_id: str | None = None, **kw
) -> ConsumerInput:
    return ConsumerInput(cid, chain_id or f"chain-{cid}", params, frozenset(v.valcons for v in opted), **kw)


A = consumer("0", PowerShapingParams(), (VALS[0], VALS[1]))
B = consumer("1", PowerShapingParams(denylist=(VALS[0].valcons,)), (VALS[0], VALS[1], VALS[2]))
C = consumer("2", PowerShapingParams(top_n=95))


def test_overlap_matrix_cells_and_totals() -> None:
    results = [simulate(PROVIDER, c) for c in (A, B, C)]
    matrix = overlap_matrix(PROVIDER, results)
    assert [v.moniker for v in matrix.rows] == ["val0", "val1", "val2", "val3", "val4"]
    labels = [[cell.label for cell in row] for row in matrix.cells]
    # A: 50/80 and 30/80; B: val0 denied, 30/50, 20/50; C top 95 of 115 -> min power 10: val0..val3 (110)
    assert labels[0] == ["62.50%", "denied", "45.45%"]
    assert matrix.cells[0][1].refused  # opted in to B, yet denied
    assert labels[1] == ["37.50%", "60.00%", "27.27%"]
    assert labels[2] == ["", "40.00%", "18.18%"]
    assert labels[4] == ["", "", ""]
    assert matrix.cells[4][2].reason is Exclusion.NOT_OPTED_IN
    assert [t.validators for t in matrix.totals] == [2, 2, 4]
    assert matrix.totals[2].min_power_in_top_n == 10
    assert matrix.totals[1].provider_power_share == pytest.approx(50 / 115)
    assert matrix.consumers_validated(1) == 3
    exported = matrix.to_rows()
    assert exported[0]["chain-1 [1]"] == "denied" and exported[0]["consumers"] == "2"


def test_matrix_shows_obstacles_only_where_a_validator_opted_in() -> None:
    provider = ProviderSnapshot(VALS, max_provider_consensus_validators=4)  # val4 is inactive
    quiet = consumer("5", PowerShapingParams(denylist=(VALS[3].valcons,), allowlist=(VALS[0].valcons,)), (VALS[0],))
    loud = consumer("6", PowerShapingParams(), (VALS[4],))
    matrix = overlap_matrix(provider, [simulate(provider, quiet), simulate(provider, loud)])
    by_name = {v.moniker: matrix.cells[r] for r, v in enumerate(matrix.rows)}
    assert by_name["val4"][0].label == "" and not by_name["val4"][0].refused  # inactive, never opted in
    assert by_name["val1"][0].label == ""  # not allowlisted, never opted in: noise, not shown
    assert by_name["val3"][0].label == "denied" and not by_name["val3"][0].refused
    assert by_name["val4"][1].label == "inactive" and by_name["val4"][1].refused


def test_risk_counts_one_third_and_two_thirds() -> None:
    result = simulate(PROVIDER, consumer("9", PowerShapingParams(), VALS))
    risk = risk_figures(PROVIDER, result)
    # total 115: 50 alone is >= 1/3 (150 >= 115); 50+30 = 80 > 2/3 (240 > 230)
    assert (risk.halt_count, risk.control_count, risk.total_validators) == (1, 2, 5)
    assert risk.halt_provider_stake_share == pytest.approx(50 / 115)
    assert risk.control_provider_stake_share == pytest.approx(80 / 115)


def test_risk_boundary_exactly_one_third_halts_but_two_thirds_does_not_control() -> None:
    vals = validators(10, 10, 10)
    result = simulate(ProviderSnapshot(vals), consumer("9", PowerShapingParams(), vals))
    risk = risk_figures(ProviderSnapshot(vals), result)
    assert risk.halt_count == 1  # 10 of 30 offline leaves exactly 2/3: no commit
    assert risk.control_count == 3  # 20 of 30 is not more than 2/3


def test_shared_power_between_consumers() -> None:
    results = [simulate(PROVIDER, c) for c in (A, B)]
    shared = {s.consumer.consumer_id: s for s in shared_power(results)}
    assert shared["0"].shared_share == pytest.approx(30 / 80)  # val1 also validates B
    assert shared["1"].shared_share == pytest.approx(30 / 50)
    assert shared["1"].with_each == {"0": pytest.approx(30 / 50)}


def test_match_sets_through_consumer_keys() -> None:
    reported = [
        ReportedMember("p1", "key1", 10),
        ReportedMember("p2", "key2", 20),
        ReportedMember("p3", "key3", 30),
    ]
    chain = [ChainValidator("AA", "key1", 10), ChainValidator("BB", "key2", 21), ChainValidator("CC", "key9", 5)]
    rows = {(r.provider_valcons, r.consumer_pubkey): r.status for r in match_sets(reported, chain)}
    assert rows == {
        ("p1", "key1"): MatchStatus.MATCH,
        ("p2", "key2"): MatchStatus.POWER_DIFFERS,
        ("p3", "key3"): MatchStatus.MISSING_ON_CONSUMER,
        (None, "key9"): MatchStatus.UNKNOWN_TO_PROVIDER,
    }


def test_compare_with_reported_lists_only_disagreements() -> None:
    result = simulate(PROVIDER, A)
    same = [ReportedMember(VALS[0].valcons, "", 50), ReportedMember(VALS[1].valcons, "", 30)]
    assert compare_with_reported(result, same) == []
    other = [ReportedMember(VALS[0].valcons, "", 49)]
    mismatches = {
        (m.provider_valcons, m.simulated_power, m.reported_power) for m in compare_with_reported(result, other)
    }
    assert mismatches == {(VALS[0].valcons, 50, 49), (VALS[1].valcons, 30, None)}


def test_key_hygiene_alerts() -> None:
    spawn = datetime(2026, 1, 1, tzinfo=UTC)
    fresh = pubkey(1, salt="consumer")
    x = consumer(
        "0",
        PowerShapingParams(),
        (VALS[0], VALS[1], VALS[2]),
        chain_id="same-1",
        spawn_time=spawn,
        key_assignments=(
            # val1 assigns val3's provider key; val2 assigns a fresh key, too late
            KeyAssignment(VALS[1].valcons, valcons_of(VALS[3].consensus_pubkey, "consumervalcons"),
                          VALS[3].consensus_pubkey),
            KeyAssignment(VALS[2].valcons, valcons_of(fresh, "consumervalcons"), fresh,
                          assigned_at=datetime(2026, 2, 1, tzinfo=UTC)),
        ),
    )
    y = consumer("1", PowerShapingParams(), (VALS[0],), chain_id="same-1")  # same chain id, val0 default key on both
    results = {c.consumer_id: simulate(PROVIDER, c) for c in (x, y)}
    rows = {(r.consumer.consumer_id, r.validator.moniker): r for r in key_table(PROVIDER, [x, y], results)}
    assert set(rows) == {("0", "val0"), ("0", "val1"), ("0", "val2"), ("1", "val0")}
    assert rows[("0", "val1")].alerts == (KeyAlert.PROVIDER_KEY_REUSED,)
    assert rows[("0", "val2")].alerts == (KeyAlert.ASSIGNED_AFTER_SPAWN,)
    assert rows[("0", "val2")].consumer_pubkey == fresh
    assert set(rows[("0", "val0")].alerts) == {KeyAlert.DEFAULT_PROVIDER_KEY, KeyAlert.SHARED_CHAIN_ID_KEY}
    assert KeyAlert.SHARED_CHAIN_ID_KEY in rows[("1", "val0")].alerts
    assert rows[("0", "val0")].consumer_valcons is None


def test_validator_view_explains_each_consumer() -> None:
    results = [simulate(PROVIDER, c) for c in (A, B, C)]
    view = validator_view(PROVIDER, VALS[0].valcons, results, has_to_validate=["0", "2"], commissions={"0": "0.05"})
    rows = {r.consumer.consumer_id: r for r in view.rows}
    assert rows["0"].in_set and rows["0"].share == pytest.approx(50 / 80) and rows["0"].commission_rate == "0.05"
    assert rows["1"].opted_in and not rows["1"].in_set and rows["1"].reasons == (Exclusion.DENYLISTED,)
    assert rows["2"].opted_in and rows["2"].in_set  # auto-opted in on the Top N chain
    assert [rows[k].has_to_validate for k in "012"] == [True, False, True]
    with pytest.raises(SnapshotError, match="not a provider validator"):
        validator_view(PROVIDER, valcons_of(pubkey(99)), results)


def test_a_key_sent_in_the_launch_block_is_after_the_launch() -> None:
    launch = datetime(2026, 3, 1, tzinfo=UTC)
    key = pubkey(7, salt="consumer")
    for assigned_at, flagged in ((launch, True), (datetime(2026, 2, 28, tzinfo=UTC), False)):
        c = consumer(
            "0",
            PowerShapingParams(),
            (VALS[1],),
            launched_at=launch,
            spawn_time=datetime(2026, 1, 1, tzinfo=UTC),
            key_assignments=(KeyAssignment(VALS[1].valcons, "cv", key, assigned_at=assigned_at),),
        )
        (row,) = key_table(PROVIDER, [c], {"0": simulate(PROVIDER, c)})
        assert (KeyAlert.ASSIGNED_AFTER_SPAWN in row.alerts) is flagged
