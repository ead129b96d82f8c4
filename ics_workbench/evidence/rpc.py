"""The few CometBFT RPC reads evidence work needs, on :class:`~ics_workbench.chain.http.JsonHttp`.

Narrow on purpose (the general RPC client belongs to ``ics_workbench.chain``): every answer is decoded
straight into the evidence models, and an answer of the wrong shape is an ``EndpointError('shape')`` naming
the field, not a KeyError.
"""

from __future__ import annotations

from typing import Any, cast

from ics_workbench.chain.http import JsonHttp, require
from ics_workbench.errors import EndpointError
from ics_workbench.evidence.model import ParseError
from ics_workbench.evidence.valset import ValidatorEntry, parse_validator
from ics_workbench.tasks import NO_JOB, Job

PER_PAGE = 100
MAX_VALIDATOR_PAGES = 100
"""10,000 validators: far above any CometBFT chain's set, so a node that keeps answering pages is refused
instead of being paged forever"""


def _result(http: JsonHttp, path: str, params: dict[str, Any], job: Job, archive: bool = False) -> Any:
    answer = http.get_json(path, params, archive=archive, job=job)
    if isinstance(answer, dict) and answer.get("error"):
        error = answer["error"]
        detail = error.get("data") or error.get("message") if isinstance(error, dict) else error
        raise EndpointError(path, "rpc", f"RPC error: {detail}")
    return require(answer, "result", url=path)


def validators_at(http: JsonHttp, height: int, *, job: Job = NO_JOB) -> list[ValidatorEntry]:
    """The full validator set at ``height`` (every page); heights the node pruned come from archive nodes."""
    entries: list[ValidatorEntry] = []
    page = 1
    while True:
        job.check()
        if page > MAX_VALIDATOR_PAGES:
            raise EndpointError("/validators", "shape", f"more than {MAX_VALIDATOR_PAGES} pages of validators at "
                                                        f"height {height}: refused")
        result = _result(http, "/validators", {"height": height, "page": page, "per_page": PER_PAGE}, job, True)
        items = require(result, "validators", url="/validators")
        try:
            entries.extend(
                parse_validator(v, f"validators[{len(entries) + i}]", f"validator set at height {height}")
                for i, v in enumerate(items)
            )
        except ParseError as exc:
            raise EndpointError("/validators", "shape", str(exc)) from None
        total = _integer(result.get("total", len(entries)), "/validators", "total")
        if len(entries) >= total or not items:
            return entries
        page += 1


def commit_at(http: JsonHttp, height: int, *, job: Job = NO_JOB) -> dict[str, Any]:
    return cast(dict[str, Any], _result(http, "/commit", {"height": height}, job, True))


def latest_height(http: JsonHttp, *, job: Job = NO_JOB) -> int:
    status = _result(http, "/status", {}, job)
    return _integer(require(status, "sync_info", "latest_block_height", url="/status"), "/status",
                    "sync_info.latest_block_height")


def _integer(value: Any, url: str, name: str) -> int:
    """A decimal integer field (CometBFT sends them as strings), else a 'shape' error naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise EndpointError(url, "shape", f"{name} is not an integer")
    try:
        return int(str(value).strip()[:40])
    except ValueError:
        raise EndpointError(url, "shape", f"{name} is not an integer: {str(value)[:40]!r}") from None
