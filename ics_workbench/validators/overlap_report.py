"""Everything the overlaps view says about one provider, computed once for both the CLI report and the GUI panel.

The two used to assemble the same analyses each in their own way (and disagreed on what a consumer chain's own
set is compared with when the provider reported none); both now read this one result.
"""

from __future__ import annotations

from dataclasses import dataclass

from ics_workbench.tasks import NO_JOB, Job
from ics_workbench.validators.analysis import (
    KeyRow,
    MatchRow,
    OverlapMatrix,
    Risk,
    SharedPower,
    SimulationMismatch,
    compare_with_reported,
    key_table,
    match_sets,
    overlap_matrix,
    risk_figures,
    shared_power,
    simulated_members,
)
from ics_workbench.validators.load import OverlapData
from ics_workbench.validators.results import SimulationResult
from ics_workbench.validators.simulate import simulate


@dataclass(frozen=True)
class ConsumerAnalysis:
    result: SimulationResult
    risk: Risk
    shared: SharedPower
    mismatches: tuple[SimulationMismatch, ...] | None
    """simulation vs the provider's ``consumer_validators``; None when the provider's set was not loaded"""
    chain_match: tuple[MatchRow, ...] | None
    """the provider's view vs the consumer chain's own validator set; None when that chain was not read"""

    @property
    def agrees(self) -> bool | None:
        return None if self.mismatches is None else not self.mismatches


@dataclass(frozen=True)
class OverlapAnalysis:
    data: OverlapData
    consumers: tuple[ConsumerAnalysis, ...]
    matrix: OverlapMatrix
    keys: tuple[KeyRow, ...]

    @property
    def results(self) -> list[SimulationResult]:
        return [c.result for c in self.consumers]


def analyse_overlaps(data: OverlapData, job: Job = NO_JOB) -> OverlapAnalysis:
    """Simulate every consumer, then derive risk, shared power, agreement with the provider, the match with each
    consumer chain's own set (against the simulation when the provider reported none), the key table and the
    matrix."""
    results = []
    for index, consumer in enumerate(data.consumers):
        job.check()
        job.progress(index / max(len(data.consumers), 1), f"simulating {consumer.label}")
        results.append(simulate(data.snapshot, consumer))
    consumers = []
    for result, share in zip(results, shared_power(results), strict=True):
        cid = result.consumer.consumer_id
        reported = data.reported.get(cid)
        chain = data.chain_sets.get(cid)
        provider_view = reported if reported is not None else simulated_members(data.snapshot, result)
        consumers.append(
            ConsumerAnalysis(
                result,
                risk_figures(data.snapshot, result),
                share,
                tuple(compare_with_reported(result, reported)) if reported is not None else None,
                tuple(match_sets(provider_view, chain)) if chain is not None else None,
            )
        )
    keys = key_table(data.snapshot, list(data.consumers), {r.consumer.consumer_id: r for r in results})
    return OverlapAnalysis(data, tuple(consumers), overlap_matrix(data.snapshot, results), tuple(keys))
