"""The one time and duration codec: RFC 3339 timestamps and protobuf ``Duration`` JSON, written the way Go does.

Parsing follows protobuf's ``Timestamp``/``Duration`` JSON mapping (what CometBFT, the SDK's REST gateway and
gov proposal files use). Formatting follows Go's ``time.RFC3339Nano`` (fraction with trailing zeros dropped,
always ``Z``) and ``time.Duration.String()``.

Python's ``datetime`` stops at microseconds, but a vote's sign bytes carry the full nanoseconds: dropping them
would make every real signature fail to verify. So :class:`Timestamp` keeps ``(seconds, nanos)`` pairs, exactly
the protobuf fields; :func:`parse_datetime` is for everything that only displays or compares times.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

ZERO_TIME_SECONDS = -62135596800
"""Go's zero ``time.Time`` (0001-01-01T00:00:00Z), what a vote with no timestamp is signed with."""
ZERO_TIME = "0001-01-01T00:00:00Z"
"""Go's zero ``time.Time`` as RFC 3339: how Go JSON spells "not set"."""
_NS = 1_000_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PROTO_DURATION = re.compile(r"^(-)?(\d+)(?:\.(\d{1,9}))?s$")

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


    @classmethod
    def of(cls, moment: datetime) -> Timestamp:
        """From an aware datetime (microsecond precision)."""
        delta = moment - _EPOCH
        return cls(delta.days * 86400 + delta.seconds, delta.microseconds * 1000)

    def to_datetime(self) -> datetime:
        """As an aware UTC datetime; nanoseconds below a microsecond are dropped."""
        return _EPOCH + timedelta(seconds=self.seconds, microseconds=self.nanos // 1000)


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


def parse_datetime(text: str) -> datetime | None:
    """An RFC 3339 time as an aware UTC datetime (microseconds), or None if it is not one."""
    try:
        return parse_rfc3339(text).to_datetime()
    except (ValueError, OverflowError):
        return None


def format_rfc3339(moment: datetime) -> str:
    """Go's ``time.RFC3339Nano`` of an aware datetime in UTC: ``2025-01-31T12:00:00.5Z``."""
    return Timestamp.of(moment).rfc3339()


def parse_duration(text: str) -> int:
    """A protobuf JSON ``Duration`` (``"1814400s"``, ``"-0.5s"``) in nanoseconds; ValueError otherwise."""
    match = _PROTO_DURATION.match(text.strip())
    if not match:
        raise ValueError(f"not a protobuf duration (e.g. \"1728000s\"): {text!r}")
    negative, seconds, fraction = match.groups()
    ns = int(seconds) * _NS + int((fraction or "0").ljust(9, "0"))
    return -ns if negative else ns


def format_duration(ns: int) -> str:
    """Nanoseconds as protobuf JSON ``Duration``: ``"1814400s"``, ``"0.5s"``."""
    sign = "-" if ns < 0 else ""
    seconds, fraction = divmod(abs(ns), _NS)
    return f"{sign}{seconds}.{fraction:09d}".rstrip("0") + "s" if fraction else f"{sign}{seconds}s"


def format_go_duration(ns: int) -> str:
    """Go's ``time.Duration.String()``: ``"504h0m0s"``, ``"1.5s"``, ``"250ms"``, ``"0s"``."""
    if ns == 0:
        return "0s"
    sign, ns = ("-", -ns) if ns < 0 else ("", ns)
    if ns < _NS:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if ns >= size:
                whole, rest = divmod(ns, size)
                digits = len(str(size)) - 1
                frac = f".{rest:0{digits}d}".rstrip("0").rstrip(".") if digits else ""
                return f"{sign}{whole}{frac}{unit}"
    seconds, rest = divmod(ns, _NS)
    frac = f".{rest:09d}".rstrip("0").rstrip(".")
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    text = f"{seconds}{frac}s"
    if hours or minutes:
        text = f"{minutes}m" + text
    if hours:
        text = f"{hours}h" + text
    return sign + text
