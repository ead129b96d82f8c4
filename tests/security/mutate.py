"""Structured mutation of valid inputs for the fuzzers: a valid document is decoded, and hypothesis picks nodes
to replace with values of the wrong type, hostile strings, huge or negative numbers, deep nesting, or deletes and
adds keys; the raw bytes may then be truncated or have bytes flipped. Shrinking keeps the path to a crash short.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

HOSTILE_TEXT = st.sampled_from([
    "", " ", "0", "-1", "1e400", "NaN", "null", "true", "\x1b[2K\x1b[1A", "\u202e", "\x00", "a" * 5000,
    "AA==", "***", "cosmos1", "0.5", "18446744073709551616", "-9223372036854775809", "2026-01-01T00:00:00Z",
    "/cosmos.gov.v1.MsgVote", "ICSW1:1/1:", "\ud7ff", "💥",
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False), HOSTILE_TEXT, st.text(max_size=40),
)


def _deep(depth: int) -> Any:
    value: Any = 1
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=4),
    st.dictionaries(st.text(max_size=8), SCALARS, max_size=4),
    st.integers(min_value=1, max_value=120).map(_deep),
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(doc, list):
        for i, value in enumerate(doc[:20]):
            out.extend(_paths(value, (*prefix, i)))
    return out


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return doc


def _delete(doc: Any, path: tuple[Any, ...]) -> Any:
    if not path:
        return doc
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return doc


@st.composite
def mutated_json(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` (valid JSON) with 1-4 structural mutations, then maybe a byte-level one."""
    doc = json.loads(seed)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
        if action == "replace":
            doc = _set(doc, path, draw(VALUES))
        elif action == "delete" and path:
            doc = _delete(doc, path)
        else:
            target = doc
            for key in path:
                target = target[key]
            if isinstance(target, dict):
                target[draw(st.text(max_size=12))] = draw(VALUES)
            elif isinstance(target, list):
                target.append(draw(VALUES))
    data = json.dumps(copy.deepcopy(doc), ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    return draw(mutated_bytes(data, light=True))


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes, *, light: bool = False) -> bytes:
    """Byte-level damage: truncation, flipped or inserted bytes (``light``: usually none)."""
    if light and draw(st.integers(min_value=0, max_value=4)):
        return data
    buf = bytearray(data)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if not buf:
            break
        action = draw(st.sampled_from(["truncate", "flip", "insert"]))
        at = draw(st.integers(min_value=0, max_value=len(buf) - 1))
        if action == "truncate":
            del buf[at:]
        elif action == "flip":
            buf[at] ^= draw(st.integers(min_value=1, max_value=255))
        else:
            buf[at:at] = draw(st.binary(min_size=1, max_size=8))
    return bytes(buf)
