"""JSON from untrusted sources (files, QR payloads, chain endpoints) decoded with a nesting-depth limit.

Why: ``json.loads`` of 200 KB of ``[[[[...`` ends in RecursionError, and a document nested a few hundred levels
deep still breaks every recursive walker after it (validation, rendering, flattening). The depth is measured on
the raw text before decoding, at C speed (strings removed by a regex, brackets summed with ``accumulate``), so
a hostile document costs no more than reading it.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 64
"""Deepest nesting accepted: chain answers and our files stay far below (a signed tx in an offline file ~12)."""

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_KEEP_BRACKETS = bytes(range(256)).translate(None, b"[]{}")
_DELTA = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class JsonDepthError(ValueError):
    """The document nests deeper than the limit (or is not JSON text at all)."""


def depth(data: bytes | str) -> int:
    """Maximum nesting depth of JSON text (brackets inside strings do not count)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if b"[" not in raw and b"{" not in raw:
        return 0
    brackets = _STRING.sub(b"", raw).translate(None, _KEEP_BRACKETS)
    return max(accumulate(map(_DELTA.__getitem__, brackets)), default=0)


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that refuses documents nested deeper than ``max_depth``.

    Raises :class:`JsonDepthError` for the depth, ``ValueError`` (``json.JSONDecodeError`` or
    ``UnicodeDecodeError``) for text that is not JSON."""
    found = depth(data)
    if found > max_depth:
        raise JsonDepthError(f"JSON nested {found} levels deep (limit {max_depth})")
    try:
        return json.loads(data)
    except RecursionError:  # pragma: no cover - the depth check runs first; kept as a last guard
        raise JsonDepthError(f"JSON nested too deeply (limit {max_depth})") from None
