"""The few CometBFT RPC reads evidence work needs, on :class:`~ics_workbench.chain.http.JsonHttp`.

Narrow on purpose (the general RPC client belongs to ``ics_workbench.chain``): every answer is decoded
straight into the evidence models, and an answer of the wrong shape is an ``EndpointError('shape')`` naming
the field, not a KeyError.
"""

from __future__ import annotations

from functools import partial
import math
from typing import Any, cast

from ics_workbench.chain.http import JsonHttp, require
from ics_workbench.errors import EndpointError
from ics_workbench.evidence.model import DuplicateVoteEvidence, ParseError
from ics_workbench.evidence.parse import evidence_from_block
from ics_workbench.evidence.valset import ValidatorEntry, parse_validator
from ics_workbench.tasks import NO_JOB, Job, run_bounded

PER_PAGE = 100


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
        result = _result(http, "/validators", {"height": height, "page": page, "per_page": PER_PAGE}, job, True)
        items = require(result, "validators", url="/validators")
        try:
            entries.extend(
                parse_validator(v, f"validators[{len(entries) + i}]", f"validator set at height {height}")
                for i, v in enumerate(items)
            )
        except ParseError as exc:
            raise EndpointError("/validators", "shape", str(exc)) from None
        total = int(result.get("total", len(entries)))
        if len(entries) >= total or not items:
            return entries
        page += 1


def block_at(http: JsonHttp, height: int, *, job: Job = NO_JOB) -> dict[str, Any]:
    return cast(dict[str, Any], _result(http, "/block", {"height": height}, job, True))


def commit_at(http: JsonHttp, height: int, *, job: Job = NO_JOB) -> dict[str, Any]:
    return cast(dict[str, Any], _result(http, "/commit", {"height": height}, job, True))


def latest_height(http: JsonHttp, *, job: Job = NO_JOB) -> int:
    status = _result(http, "/status", {}, job)
    return int(require(status, "sync_info", "latest_block_height", url="/status"))


def scan_evidence(
    http: JsonHttp,
    start: int,
    end: int,
    *,
    job: Job = NO_JOB,
    max_workers: int = 8,
    chunk: int = 200,
) -> list[DuplicateVoteEvidence | dict[str, Any]]:
    """Evidence committed in blocks ``start..end``: concurrent, bounded, cancellable, in height order.

    Heights are fetched in chunks so cancelling a long scan stops within one chunk, and progress moves per
    chunk rather than jumping from 0 to 1.
    """
    if start < 1 or end < start:
        raise ValueError(f"bad height range {start}..{end}")
    found: list[DuplicateVoteEvidence | dict[str, Any]] = []
    heights = list(range(start, end + 1))
    chunks = math.ceil(len(heights) / chunk)
    for index in range(chunks):
        job.check()
        part = heights[index * chunk : (index + 1) * chunk]
        # The job goes to each request (which checks it) rather than to run_bounded, so progress is reported
        # per chunk over the whole range instead of restarting at 0 for every chunk.
        blocks = run_bounded([partial(block_at, http, h, job=job) for h in part], max_workers=max_workers)
        for height, block in zip(part, blocks, strict=True):
            try:
                found.extend(evidence_from_block(block, f"block {height}"))
            except ParseError as exc:
                raise EndpointError(f"/block?height={height}", "shape", str(exc)) from None
        job.progress((index + 1) / chunks, f"scanned to height {part[-1]}")
    return found
