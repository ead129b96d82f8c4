"""How values read in the tables."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from ics_workbench.gui import formatting as fmt


def test_duration() -> None:
    assert fmt.duration(1209600) == "14d"
    assert fmt.duration(Decimal("90061")) == "1d 1h 1m 1s"
    assert fmt.duration(Decimal("600")) == "10m"
    assert fmt.duration(Decimal("1.5")) == "1.5s"
    assert fmt.duration(0) == "0s"
    assert fmt.duration(None) == ""


def test_percent_coins_status_and_time() -> None:
    assert fmt.percent(Decimal("0.334")) == "33.40%"
    assert fmt.percent(None) == ""
    assert fmt.bond_status("BOND_STATUS_UNBONDING") == "unbonding"
    assert fmt.coins(()) == "none"
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    assert fmt.timestamp(moment) == "2026-01-02 01:04:05 UTC"
