"""How chain values read in tables: durations, percentages, coins, timestamps, long addresses."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any


def duration(seconds: Decimal | float | int | None) -> str:
    """``1209600`` -> ``14d``; ``90061`` -> ``1d 1h 1m 1s``; keeps whatever fraction of a second there is."""
    if seconds is None:
        return ""
    total = Decimal(str(seconds))
    whole = int(total)
    fraction = total - whole
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        count, whole = divmod(whole, size)
        if count:
            parts.append(f"{count}{unit}")
    if whole or fraction or not parts:
        parts.append(f"{whole + fraction:f}".rstrip("0").rstrip(".") + "s" if fraction else f"{whole}s")
    return " ".join(parts)


def percent(value: Decimal | float | None, digits: int = 2) -> str:
    if value is None:
        return ""
    return f"{float(value) * 100:.{digits}f}%"


def timestamp(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S UTC")


def coins(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(c) for c in value) or "none"
    return str(value)


def bond_status(status: str) -> str:
    """``BOND_STATUS_BONDED`` -> ``bonded``."""
    return status.removeprefix("BOND_STATUS_").lower()


def seconds_ago(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds:.1f} s"
