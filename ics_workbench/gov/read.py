"""Proposals as a voter needs them: id, title, status, tally, voting end, the voter's own vote.

Read through gov v1 (SDK 0.46+); a node that does not serve it (HTTP 501/404 from the gateway of an older SDK)
is read through v1beta1. Only the newest ``limit`` proposals are read (one page, newest first): a chain with
thousands of past proposals must not make the list slow, and old ones cannot be voted on anyway. During the
voting period the tally is the live one (``/tally``); the stored ``final_tally_result`` is zero until the end.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from ics_workbench.chain import decode as d
from ics_workbench.chain.http import JsonHttp
from ics_workbench.errors import EndpointError, WorkbenchError
from ics_workbench.gov.messages import VoteOption
from ics_workbench.tasks import NO_JOB, Job, run_bounded
from ics_workbench.untrusted_text import visible

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_TITLE = 300  # characters kept of a chain-supplied title (the rest is ellipsised: it is untrusted text)
STATUS_PREFIX = "PROPOSAL_STATUS_"
VOTING = "voting_period"
DEPOSIT = "deposit_period"


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    abstain: int = 0
    no: int = 0
    no_with_veto: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.abstain + self.no + self.no_with_veto

    def share(self, part: int) -> Decimal:
        return Decimal(part) / Decimal(self.total) if self.total else Decimal(0)

    def describe(self, compact: bool = False) -> str:
        if not self.total:
            return "no votes yet"
        parts = (("yes", self.yes), ("no", self.no), ("veto", self.no_with_veto), ("abstain", self.abstain))
        if compact:  # for a table cell: whole percent, zero shares left out
            return " · ".join(f"{name} {self.share(value) * 100:.0f}%" for name, value in parts if value)
        return " · ".join(f"{name} {self.share(value) * 100:.1f}%" for name, value in parts)


@dataclass(frozen=True)
class Proposal:
    proposal_id: int
    title: str
    status: str
    """short form: deposit_period, voting_period, passed, rejected, failed"""
    tally: Tally
    submit_time: datetime | None
    deposit_end_time: datetime | None
    voting_end_time: datetime | None
    total_deposit: tuple[tuple[str, int], ...]
    message_types: tuple[str, ...]
    proposer: str = ""
    expedited: bool = False
    summary: str = ""
    your_vote: tuple[tuple[VoteOption, Decimal], ...] | None = None
    api: str = "v1"

    @property
    def open_for_votes(self) -> bool:
        return self.status == VOTING

    @property
    def open_for_deposits(self) -> bool:
        return self.status in (DEPOSIT, VOTING)

    def your_vote_text(self) -> str:
        if self.your_vote is None:
            return ""
        if len(self.your_vote) == 1:
            return self.your_vote[0][0].label
        return ", ".join(f"{o.label} {w.normalize():f}" for o, w in self.your_vote)


@dataclass(frozen=True)
class ProposalList:
    proposals: tuple[Proposal, ...]
    api: str
    url: str
    height: int | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _short_status(raw: str) -> str:
    return raw.removeprefix(STATUS_PREFIX).lower()


def _tally(raw: Any, url: str) -> Tally:
    if not isinstance(raw, dict):
        return Tally()

    def count(*keys: str) -> int:
        for key in keys:
            if key in raw:
                return d.integer(raw, key, url=url, where="tally")
        return 0

    return Tally(count("yes_count", "yes"), count("abstain_count", "abstain"), count("no_count", "no"),
                 count("no_with_veto_count", "no_with_veto"))


def _time(raw: dict[str, Any], key: str, url: str) -> datetime | None:
    value = raw.get(key)
    if not isinstance(value, str) or value.startswith("0001-01-01"):
        return None
    return d.timestamp(raw, key, url=url, where="proposal")


def _str(raw: Any, key: str) -> str:
    value = raw.get(key) if isinstance(raw, dict) else None
    return value if isinstance(value, str) else ""


def _coins(raw: Any, url: str) -> tuple[tuple[str, int], ...]:
    if not isinstance(raw, list):
        return ()
    return tuple((d.text(c, "denom", url=url, where="total_deposit"), d.integer(c, "amount", url=url,
                                                                                where="total_deposit"))
                 for c in raw)


def _clip(text: str) -> str:
    """Chain-supplied text made safe to show (control, bidi and zero-width characters made visible, through
    the one escaping helper) and capped in length."""
    shown = visible(text.replace("\n", " ").replace("\t", " "))
    return shown if len(shown) <= MAX_TITLE else shown[: MAX_TITLE - 1] + "…"


def decode_v1(raw: dict[str, Any], url: str) -> Proposal:
    messages = [m for m in raw.get("messages") or [] if isinstance(m, dict)]
    title = _str(raw, "title")
    if not title:  # SDK 0.46 has no title field; a legacy content proposal carries it inside
        for message in messages:
            content = message.get("content")
            if _str(content, "title"):
                title = _str(content, "title")
                break
    return Proposal(
        proposal_id=d.integer(raw, "id", url=url, where="proposal"),
        title=_clip(title),
        status=_short_status(d.text(raw, "status", url=url, where="proposal")),
        tally=_tally(raw.get("final_tally_result"), url),
        submit_time=_time(raw, "submit_time", url),
        deposit_end_time=_time(raw, "deposit_end_time", url),
        voting_end_time=_time(raw, "voting_end_time", url),
        total_deposit=_coins(raw.get("total_deposit"), url),
        message_types=tuple(str(m.get("@type", "?")).rsplit(".", 1)[-1] for m in messages),
        proposer=_str(raw, "proposer"),
        expedited=raw.get("expedited") is True,
        summary=_clip(_str(raw, "summary")),
        api="v1",
    )


def decode_v1beta1(raw: dict[str, Any], url: str) -> Proposal:
    found = raw.get("content")
    content: dict[str, Any] = found if isinstance(found, dict) else {}
    return Proposal(
        proposal_id=d.integer(raw, "proposal_id", url=url, where="proposal"),
        title=_clip(_str(content, "title")),
        status=_short_status(d.text(raw, "status", url=url, where="proposal")),
        tally=_tally(raw.get("final_tally_result"), url),
        submit_time=_time(raw, "submit_time", url),
        deposit_end_time=_time(raw, "deposit_end_time", url),
        voting_end_time=_time(raw, "voting_end_time", url),
        total_deposit=_coins(raw.get("total_deposit"), url),
        message_types=(str(content.get("@type", "?")).rsplit(".", 1)[-1],) if content else (),
        summary=_clip(_str(content, "description")),
        api="v1beta1",
    )


def _unsupported(error: EndpointError) -> bool:
    return error.kind == "http" and error.status in (404, 501)


def _vote_missing(error: EndpointError) -> bool:
    """The gateway's answer for "this address has not voted": gRPC NotFound/InvalidArgument as 404/400."""
    return error.kind == "http" and error.status in (400, 404)


def list_proposals(http: JsonHttp, *, voter: str | None = None, limit: int = DEFAULT_LIMIT,
                   job: Job = NO_JOB) -> ProposalList:
    """The newest ``limit`` proposals, newest first, with live tallies and ``voter``'s votes in voting ones."""
    if not 0 < limit <= MAX_LIMIT:
        raise WorkbenchError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    params = {"pagination.limit": str(limit), "pagination.reverse": "true"}
    try:
        answer = http.fetch("/cosmos/gov/v1/proposals", params, job=job)
        api, decode = "v1", decode_v1
    except EndpointError as error:
        if not _unsupported(error):
            raise
        answer = http.fetch("/cosmos/gov/v1beta1/proposals", params, job=job)
        api, decode = "v1beta1", decode_v1beta1
    raw = d.lst(answer.data, "proposals", url=answer.url)
    proposals = [decode(p if isinstance(p, dict) else {}, answer.url) for p in raw]
    proposals.sort(key=lambda p: p.proposal_id, reverse=True)
    job.progress(0.5, "reading tallies")

    def enrich(proposal: Proposal) -> Proposal:
        if not proposal.open_for_votes:
            return proposal
        tally = live_tally(http, proposal.proposal_id, api, job=job)
        vote = vote_of(http, proposal.proposal_id, voter, api, job=job) if voter else None
        return _replace(proposal, tally=tally, your_vote=vote)

    calls: list[Callable[[], Proposal]] = [functools.partial(enrich, p) for p in proposals]
    enriched = run_bounded(calls, max_workers=4, job=job)
    return ProposalList(tuple(enriched), api, answer.url)


def _replace(proposal: Proposal, **changes: Any) -> Proposal:
    from dataclasses import replace

    return replace(proposal, **changes)


def live_tally(http: JsonHttp, proposal_id: int, api: str = "v1", *, job: Job = NO_JOB) -> Tally:
    answer = http.fetch(f"/cosmos/gov/{api}/proposals/{proposal_id}/tally", job=job)
    return _tally(answer.data.get("tally") if isinstance(answer.data, dict) else None, answer.url)


def vote_of(http: JsonHttp, proposal_id: int, voter: str, api: str = "v1", *,
            job: Job = NO_JOB) -> tuple[tuple[VoteOption, Decimal], ...] | None:
    """``voter``'s vote on a proposal in its voting period, None when there is none."""
    try:
        answer = http.fetch(f"/cosmos/gov/{api}/proposals/{proposal_id}/votes/{voter}", job=job)
    except EndpointError as error:
        if _vote_missing(error):
            return None
        raise
    except WorkbenchError as error:  # every endpoint failed; "not found" from all of them is still "no vote"
        inner = getattr(error, "errors", None)
        if inner and all(_vote_missing(e) for e in inner):
            return None
        raise
    vote = d.obj(answer.data, "vote", url=answer.url)
    options = []
    for item in d.lst(vote, "options", url=answer.url, where="vote"):
        option = item.get("option") if isinstance(item, dict) else None
        try:
            parsed = VoteOption.parse(str(option)) if not isinstance(option, int) else VoteOption(option)
        except (WorkbenchError, ValueError):
            raise EndpointError(answer.url, "shape", f"vote option {option!r} is unknown") from None
        weight = d.decimal(item, "weight", url=answer.url, where="vote.options")
        if api == "v1beta1" and weight > 1:  # a v1beta1 gateway may print the raw 18-decimal integer
            weight = weight.scaleb(-18)
        options.append((parsed, weight))
    return tuple(options) or None


def proposal(http: JsonHttp, proposal_id: int, *, job: Job = NO_JOB) -> Proposal:
    """One proposal by id (v1, else v1beta1)."""
    try:
        answer = http.fetch(f"/cosmos/gov/v1/proposals/{proposal_id}", job=job)
        return decode_v1(d.obj(answer.data, "proposal", url=answer.url), answer.url)
    except EndpointError as error:
        if not _unsupported(error):
            raise
    answer = http.fetch(f"/cosmos/gov/v1beta1/proposals/{proposal_id}", job=job)
    return decode_v1beta1(d.obj(answer.data, "proposal", url=answer.url), answer.url)
