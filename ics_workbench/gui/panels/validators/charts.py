"""What the two overlap charts show, built from the computed results (pure data; the widget paints it).

Risk: per consumer, the fewest validators that can halt it (>= 1/3 of its power) and control it (> 2/3), drawn
as their share of the provider's stake, because that is what an attacker would have to acquire. Power split:
per consumer, its power by validator, validators that also validate other consumers in warm colours, so the
subset problem (the same few validators everywhere) is visible at a glance.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from ics_workbench.gui.widgets.bar_chart import Bar, LegendItem, Marker, Segment
from ics_workbench.validators.overlap_report import ConsumerAnalysis

HALT = "#c0392b"
CONTROL = "#e6a23c"
SHARED = ("#d35400", "#f0a35e")  # alternating, so neighbouring validators stay apart
EXCLUSIVE = ("#2e86c1", "#8fbfe0")

RISK_LEGEND = (
    LegendItem("stake of the fewest validators that can halt it (≥ 1/3)", HALT),
    LegendItem("… more to control it (> 2/3)", CONTROL),
)
SPLIT_LEGEND = (
    LegendItem("validators that also validate other consumers", SHARED[0]),
    LegendItem("validators of this consumer only", EXCLUSIVE[0]),
)
SPLIT_MARKERS = (Marker(1 / 3, "1/3"), Marker(2 / 3, "2/3"))


def risk_bars(rows: Sequence[ConsumerAnalysis]) -> tuple[list[Bar], float]:
    """Bars and the scale's maximum: the largest control share rounded up to 20%, so small shares stay visible and
    the quarter ticks fall on round figures (5%, 10%, 15%...)."""
    bars = []
    for row in rows:
        risk, label = row.risk, row.result.consumer.label
        halt, control = risk.halt_provider_stake_share, risk.control_provider_stake_share
        if not risk.total_validators:
            bars.append(Bar(label, (), "no validator set", f"{label}: no validator would be in its set"))
            continue
        text = (f"{label}: {risk.halt_count} validator(s) holding {halt:.1%} of the provider's stake can halt it; "
                f"{risk.control_count} holding {control:.1%} can control it ({risk.total_validators} in its set)")
        bars.append(Bar(
            label=label,
            segments=(
                Segment(halt, HALT, f"halt: {risk.halt_count} validator(s), {halt:.1%} of provider stake"),
                Segment(max(control - halt, 0.0), CONTROL,
                        f"control: {risk.control_count} validator(s), {control:.1%} of provider stake"),
            ),
            annotation=f"halt {risk.halt_count} ({halt:.1%}) · control {risk.control_count} ({control:.1%})",
            tooltip=text,
        ))
    top = max((row.risk.control_provider_stake_share for row in rows), default=0.0)
    return bars, min(max(math.ceil(top * 5 - 1e-9) / 5, 0.2), 1.0)


def split_bars(rows: Sequence[ConsumerAnalysis]) -> list[Bar]:
    in_sets = Counter(valcons for row in rows for valcons in row.result.member_valcons)
    bars = []
    for row in rows:
        result, label = row.result, row.result.consumer.label
        total = result.total_consumer_power or 1
        segments = []
        for index, member in enumerate(sorted(result.members, key=lambda m: (-m.consumer_power, m.valcons))):
            others = in_sets[member.valcons] - 1
            share = member.consumer_power / total
            who = member.validator.moniker or member.valcons
            also = f"also validates {others} other consumer(s)" if others else "validates only this consumer"
            palette = SHARED if others else EXCLUSIVE
            segments.append(Segment(share, palette[index % 2], f"{who}: {share:.2%} of {label}'s power; {also}"))
        shared = row.shared.shared_share
        if not segments:
            bars.append(Bar(label, (), "no validator set", f"{label}: no validator would be in its set"))
            continue
        bars.append(Bar(
            label=label,
            segments=tuple(segments),
            annotation=f"{len(segments)} validator{'s' if len(segments) > 1 else ''} · {shared:.1%} shared",
            tooltip=f"{label}: {shared:.1%} of its power is held by validators that also validate other consumers",
        ))
    return bars
