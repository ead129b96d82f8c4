"""RFC 3339 timestamps with nanosecond precision, as CometBFT signs them.

Python's ``datetime`` stops at microseconds, but a vote's sign bytes carry the full nanoseconds: dropping them
would make every real signature fail to verify. So timestamps are kept as ``(seconds, nanos)`` pairs, exactly
the protobuf ``Timestamp`` fields.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

ZERO_TIME_SECONDS = -62135596800
"""Go's zero ``time.Time`` (0001-01-01T00:00:00Z), what a vote with no timestamp is signed with."""

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$"
)


@dataclass(frozen=True, order=True)
class Timestamp:
    """A protobuf Timestamp: seconds since the Unix epoch and 0..999,999,999 nanoseconds."""

    seconds: int = ZERO_TIME_SECONDS
    nanos: int = 0

    def rfc3339(self) -> str:
        """The form CometBFT prints: trailing zeros of the fraction dropped, always UTC ``Z``."""
        days, rest = divmod(self.seconds, 86400)
        year, month, day = _civil_from_days(days)
        hour, rest = divmod(rest, 3600)
        minute, second = divmod(rest, 60)
        base = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
        if self.nanos:
            base += "." + f"{self.nanos:09d}".rstrip("0")
        return base + "Z"


def parse_rfc3339(text: str) -> Timestamp:
    """Parse ``2024-01-02T03:04:05.123456789Z`` (or a ``+hh:mm`` offset); ValueError says what is wrong."""
    match = _RFC3339.match(text.strip())
    if not match:
        raise ValueError(f"not an RFC 3339 timestamp: {text!r}")
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(max(year, 1), month)[1]):
        raise ValueError(f"no such date: {text!r}")
    if hour > 23 or minute > 59 or second > 60:
        raise ValueError(f"no such time of day: {text!r}")
    fraction = match.group(7) or ""
    nanos = int(fraction.ljust(9, "0")) if fraction else 0
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
    zone = match.group(8)
    if zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        seconds -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return Timestamp(seconds, nanos)


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (valid for year 1, unlike ``timegm``)."""
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(days: int) -> tuple[int, int, int]:
    days += 719468
    era = (days if days >= 0 else days - 146096) // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    year = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + (3 if mp < 10 else -9)
    return year + (month <= 2), month, day
