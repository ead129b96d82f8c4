"""The one time and duration codec: protobuf JSON parsing, Go's RFC3339Nano and Duration.String() formatting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from ics_workbench.foundation.times import (
    ZERO_TIME_SECONDS,
    Timestamp,
    format_duration,
    format_go_duration,
    format_rfc3339,
    parse_datetime,
    parse_duration,
    parse_rfc3339,
)


@pytest.mark.parametrize(
    ("ns", "go"),
    [  # values printed by Go's time.Duration(ns).String()
        (0, "0s"), (1, "1ns"), (999, "999ns"), (1_500, "1.5µs"), (2_000_000, "2ms"), (1_500_000_000, "1.5s"),
        (60 * 10**9, "1m0s"), (3_600 * 10**9 + 5, "1h0m0.000000005s"), (21 * 86_400 * 10**9, "504h0m0s"),
        (-1_500_000_000, "-1.5s"), (90 * 60 * 10**9, "1h30m0s"),
    ],
)
def test_go_duration_string(ns: int, go: str) -> None:
    assert format_go_duration(ns) == go


@pytest.mark.parametrize(
    ("text", "ns"), [("1814400s", 1_814_400 * 10**9), ("0.5s", 500_000_000), ("-0.000000001s", -1), ("0s", 0)]
)
def test_proto_duration(text: str, ns: int) -> None:
    assert parse_duration(text) == ns and parse_duration(format_duration(ns)) == ns


@pytest.mark.parametrize("bad", ["1814400", "1.s", "0.0000000001s", "s", "1m", " -s"])
def test_proto_duration_refuses(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_duration_round_trip(ns: int) -> None:
    assert parse_duration(format_duration(ns)) == ns


def test_rfc3339_nanoseconds_and_go_zero_time() -> None:
    stamp = parse_rfc3339("2024-01-02T03:04:05.123456789Z")
    assert stamp.nanos == 123_456_789 and stamp.rfc3339() == "2024-01-02T03:04:05.123456789Z"
    assert parse_rfc3339("0001-01-01T00:00:00Z") == Timestamp(ZERO_TIME_SECONDS, 0)
    assert parse_rfc3339("2024-01-02T05:04:05+02:00") == parse_rfc3339("2024-01-02T03:04:05Z")
    assert parse_datetime("2024-02-30T00:00:00Z") is None and parse_datetime("yesterday") is None


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)))
def test_datetime_round_trip(moment: datetime) -> None:
    text = format_rfc3339(moment)
    assert text.endswith("Z") and not text.endswith(".Z") and ".0Z" not in text  # Go drops trailing zeros
    assert parse_datetime(text) == moment
    assert Timestamp.of(moment).to_datetime() == moment


def test_format_converts_to_utc() -> None:
    moment = datetime(2025, 1, 31, 16, 0, tzinfo=timezone(timedelta(hours=2)))
    assert format_rfc3339(moment) == "2025-01-31T14:00:00Z"
