"""Typed access to raw JSON fields, so a garbled answer fails with the endpoint and field named.

Chain nodes answer with proto-JSON where int64 is a string, uint32 a number and absent fields may be null.
Each accessor accepts exactly those encodings and raises ``EndpointError(kind="shape")`` otherwise, which is
what the user sees instead of a ``KeyError`` or a pydantic traceback.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ics_workbench.errors import EndpointError
from ics_workbench.foundation.times import parse_datetime, parse_duration

_MISSING = object()


def _bad(url: str, name: str, why: str) -> EndpointError:
    return EndpointError(url, "shape", f"field '{name}' {why}")


def get(data: Any, key: str, *, url: str, where: str = "", default: Any = _MISSING) -> Any:
    """``data[key]``; missing (or null without a default) is a shape error naming ``where.key``."""
    name = f"{where}.{key}" if where else key
    if not isinstance(data, dict):
        raise _bad(url, where or "answer", f"is not an object (got {type(data).__name__})")
    value = data.get(key, _MISSING)
    if value is _MISSING or value is None:
        if default is not _MISSING:
            return default
        raise EndpointError(url, "shape", f"answer has no field '{name}'")
    return value


def obj(data: Any, key: str, *, url: str, where: str = "", optional: bool = False) -> dict[str, Any]:
    value = get(data, key, url=url, where=where, default={} if optional else _MISSING)
    if not isinstance(value, dict):
        raise _bad(url, f"{where}.{key}" if where else key, f"is not an object: {str(value)[:60]!r}")
    return value


def lst(data: Any, key: str, *, url: str, where: str = "", optional: bool = True) -> list[Any]:
    value = get(data, key, url=url, where=where, default=[] if optional else _MISSING)
    if not isinstance(value, list):
        raise _bad(url, f"{where}.{key}" if where else key, f"is not a list: {str(value)[:60]!r}")
    return value


def text(data: Any, key: str, *, url: str, where: str = "", default: Any = _MISSING) -> str:
    value = get(data, key, url=url, where=where, default=default)
    if value is default and default is not _MISSING:
        return value  # type: ignore[no-any-return]
    if not isinstance(value, str):
        raise _bad(url, f"{where}.{key}" if where else key, f"is not a string: {str(value)[:60]!r}")
    return value


def integer(data: Any, key: str, *, url: str, where: str = "", default: Any = _MISSING) -> int:
    value = get(data, key, url=url, where=where, default=default)
    if value is default and default is not _MISSING:
        return value  # type: ignore[no-any-return]
    if isinstance(value, bool):
        raise _bad(url, f"{where}.{key}" if where else key, f"is not an integer: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise _bad(url, f"{where}.{key}" if where else key, f"is not an integer: {str(value)[:60]!r}")


def decimal(data: Any, key: str, *, url: str, where: str = "", default: Any = _MISSING) -> Decimal:
    value = get(data, key, url=url, where=where, default=default)
    if value is default and default is not _MISSING:
        return value  # type: ignore[no-any-return]
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        result = Decimal(str(value))
        if not result.is_finite():
            raise InvalidOperation
        return result
    except InvalidOperation:
        raise _bad(url, f"{where}.{key}" if where else key, f"is not a decimal: {str(value)[:60]!r}") from None


def boolean(data: Any, key: str, *, url: str, where: str = "", default: Any = _MISSING) -> bool:
    value = get(data, key, url=url, where=where, default=default)
    if isinstance(value, bool):
        return value
    raise _bad(url, f"{where}.{key}" if where else key, f"is not true/false: {str(value)[:60]!r}")


def timestamp(data: Any, key: str, *, url: str, where: str = "", default: Any = _MISSING) -> datetime:
    """RFC 3339 with CometBFT's nanoseconds (Python keeps microseconds)."""
    value = get(data, key, url=url, where=where, default=default)
    if value is default and default is not _MISSING:
        return value  # type: ignore[no-any-return]
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise _bad(url, f"{where}.{key}" if where else key, f"is not an RFC 3339 time: {str(value)[:60]!r}")
    return parsed


def b64(data: Any, key: str, *, url: str, where: str = "") -> bytes:
    value = text(data, key, url=url, where=where)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _bad(url, f"{where}.{key}" if where else key, f"is not base64: {value[:60]!r}") from None


def duration_seconds(data: Any, key: str, *, url: str, where: str = "", default: Any = _MISSING) -> Decimal:
    """proto-JSON Duration (``"1814400s"``, ``"0.5s"``) in seconds."""
    value = get(data, key, url=url, where=where, default=default)
    if value is default and default is not _MISSING:
        return value  # type: ignore[no-any-return]
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?s", value):
        return Decimal(value[:-1])
    raise _bad(url, f"{where}.{key}" if where else key, f"is not a duration like '60s': {str(value)[:60]!r}")


def hexbytes(data: Any, key: str, *, url: str, where: str = "", default: Any = _MISSING) -> bytes:
    """A hex string (CometBFT RPC hashes, either case) as bytes; ``""`` is empty bytes."""
    value = text(data, key, url=url, where=where, default=default)
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise _bad(url, f"{where}.{key}" if where else key, f"is not hex: {value[:60]!r}") from None


_INT64 = 2**63


def duration_ns(data: Any, key: str, *, url: str, where: str = "", default: Any = _MISSING) -> int:
    """proto-JSON Duration in integer nanoseconds (exact, unlike :func:`duration_seconds`), within int64."""
    value = get(data, key, url=url, where=where, default=default)
    if value is default and default is not _MISSING:
        return value  # type: ignore[no-any-return]
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d{1,9})?s", value):
        ns = parse_duration(value)
        if -_INT64 <= ns < _INT64:
            return ns
    raise _bad(url, f"{where}.{key}" if where else key, f"is not a duration like '60s': {str(value)[:60]!r}")
