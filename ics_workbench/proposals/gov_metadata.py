"""The gov v1 (SDK v0.50) proposal-metadata rule: metadata that Go's ``encoding/json`` decodes into
``ProposalMetadata`` without error must carry the proposal's own title and summary; anything else (an
``ipfs://`` link, a JSON array, a field of the wrong type) is not checked at all.
"""

from __future__ import annotations

import json
from typing import Any

_STRING_FIELDS = ("title", "summary", "details", "proposal_forum_url", "vote_option_context")
_LIST_FIELDS = ("authors",)


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def decode_proposal_metadata(text: str) -> dict[str, str] | None:
    """``{"title", "summary"}`` as the chain reads them, or None when json.Unmarshal would return an error
    (then gov ignores the metadata). Keys match case-insensitively and the last duplicate wins, as in Go."""
    if text == "":
        return None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return None
    out = {"title": "", "summary": ""}
    if data is None:
        return out  # `null` decodes into the zero struct without error
    if not isinstance(data, dict):
        return None
    for key, value in data.items():
        name = key.lower()
        if name in _STRING_FIELDS:
            if value is None:
                continue
            if not isinstance(value, str):
                return None
            if name in out:
                out[name] = value
        elif name in _LIST_FIELDS:
            if value is not None and (
                not isinstance(value, list) or any(v is not None and not isinstance(v, str) for v in value)
            ):
                return None
    return out
