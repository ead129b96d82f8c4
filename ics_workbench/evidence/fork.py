"""A light-client attack seen from two RPCs of one consumer chain, turned into ``MsgSubmitConsumerMisbehaviour``.

Two nodes that answer for the same chain id but commit different blocks at one height are a fork; the
validators that signed both commits are the attackers. :func:`find_fork` locates the lowest such height
(binary search: once two chains differ, every later block hashes the difference in through its parent);
:func:`build_misbehaviour` turns that height into the IBC ``Misbehaviour`` the provider checks against its
consumer client:

* each header carries its own validator set (``/validators`` at that height, canonical order) and the
  ``/commit`` of its node;
* the trusted height is one of the consensus states the PROVIDER's client of the consumer holds (at launch
  the provider stores one at the consumer's initial height, so no relayer is needed), below the fork height;
* the trusted validators are the consumer's validators at trusted height + 1: the provider's consensus state
  stores their hash as ``next_validators_hash``.

The provider then runs ibc-go's misbehaviour verification (trust level of the trusted set, 2/3 of each
header's own set, trusting period, clock drift) and slashes, jails and tombstones the double signers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ics_workbench.chain.http import JsonHttp
from ics_workbench.errors import WorkbenchError
from ics_workbench.evidence.checks import Verdict
from ics_workbench.evidence.light_client import check_two_headers, parse_light_header, verify_light_client_item
from ics_workbench.evidence.messages import (
    MISBEHAVIOUR_TYPE_URL,
    choose_trusted_height,
    infraction_header,
    signed_header_from_rpc,
    to_proto_json,
)
from ics_workbench.evidence.model import ParseError
from ics_workbench.evidence.protos import provider_tx_pb2, tendermint_pb2
from ics_workbench.evidence.provider_side import client_consensus_heights
from ics_workbench.evidence.rpc import commit_at, latest_height, validators_at
from ics_workbench.evidence.submission import EvidenceSigningRequest, checked_account
from ics_workbench.fileio import write_json_atomic
from ics_workbench.tasks import NO_JOB, Job

if TYPE_CHECKING:
    from ics_workbench.chain.connect import Connection
    from ics_workbench.chain.models import ConsumerChain


@dataclass(frozen=True)
class Fork:
    chain_id: str
    height: int
    """lowest height at which the two nodes committed different blocks"""
    block_hashes: tuple[str, str]
    differs_at_start: bool = False
    """the blocks already differed at the first height searched: the fork may lie below the range"""


def _commit(http: JsonHttp, height: int, job: Job) -> tuple[str, str]:
    """(chain id, block hash) of the block committed at ``height``."""
    result = commit_at(http, height, job=job)
    signed: Any = result.get("signed_header")
    try:
        header, commit = signed["header"], signed["commit"]
        return str(header["chain_id"]), str(commit["block_id"]["hash"]).upper()
    except (KeyError, TypeError):
        raise WorkbenchError(
            f"/commit?height={height} has no signed_header.header.chain_id / commit.block_id.hash"
        ) from None


def find_fork(
    first: JsonHttp, second: JsonHttp, *, start: int = 1, end: int | None = None, job: Job = NO_JOB
) -> Fork | None:
    """The lowest height in ``start..end`` (``end`` None: the lower of the two heads) where the two nodes'
    committed blocks differ, or None if they agree up to ``end``. Refuses two different chains: that is not
    a fork. About ``log2(end - start)`` pairs of ``/commit`` requests."""
    if start < 1 or (end is not None and end < start):
        raise WorkbenchError(f"bad height range {start}..{end}")
    top = min(latest_height(first, job=job), latest_height(second, job=job))
    if end is not None:
        top = min(top, end)
    if top < start:
        return None
    chain_a, hash_a = _commit(first, top, job)
    chain_b, hash_b = _commit(second, top, job)
    if chain_a != chain_b:
        raise WorkbenchError(f"the two RPCs serve different chains ({chain_a!r}, {chain_b!r}): not a fork")
    if hash_a == hash_b:
        return None
    low, high = start, top  # they differ at ``high``; the first difference lies in (low, high]
    at_start = _commit(first, low, job)[1] != _commit(second, low, job)[1]
    if at_start:
        high = low
    steps = max(1, math.ceil(math.log2(max(high - low, 1))))
    step = 0
    while high - low > 1:
        job.check()
        middle = (low + high) // 2
        if _commit(first, middle, job)[1] != _commit(second, middle, job)[1]:
            high = middle
        else:
            low = middle
        step += 1
        job.progress(min(step / steps, 1.0), f"the blocks agree at {low} and differ at {high}")
    return Fork(chain_a, high, (_commit(first, high, job)[1], _commit(second, high, job)[1]), at_start)


HEADER_FIELDS = (
    ("chain id", ("header", "chain_id")),
    ("height", ("header", "height")),
    ("time", ("header", "time")),
    ("block hash", ("commit", "block_id", "hash")),
    ("previous block", ("header", "last_block_id", "hash")),
    ("app hash", ("header", "app_hash")),
    ("data hash", ("header", "data_hash")),
    ("validators hash", ("header", "validators_hash")),
    ("next validators hash", ("header", "next_validators_hash")),
    ("proposer", ("header", "proposer_address")),
    ("commit round", ("commit", "round")),
)
"""What the GUI and CLI show of each conflicting header, in order (labels and paths in the /commit answer)."""


@dataclass(frozen=True)
class ForkFinding:
    """A fork with both nodes' signed headers at its height and the verdict on the two commits."""

    fork: Fork
    headers: tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]
    """(label, value) per :data:`HEADER_FIELDS` for each node; values are the nodes' untrusted text"""
    verdict: Verdict


def _fields(signed: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    rows = []
    for label, path in HEADER_FIELDS:
        value: Any = signed
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        rows.append((label, "" if value is None else str(value)[:200]))
    signatures = signed.get("commit", {}).get("signatures") if isinstance(signed.get("commit"), Mapping) else None
    rows.append(("commit signatures", str(len(signatures)) if isinstance(signatures, list) else ""))
    return tuple(rows)


def inspect_fork(first: JsonHttp, second: JsonHttp, fork: Fork, *, job: Job = NO_JOB) -> ForkFinding:
    """Both nodes' signed header and validator set at the fork height, verified against each other: the same
    chain and height, different blocks, each commit signed by more than 2/3 of its own set, and who signed
    both (the attackers). What the provider adds — that the headers chain to its client's trusted state — is
    checked when the submission is prepared against it."""
    sides = []
    for index, http in enumerate((first, second), start=1):
        job.check()
        signed = commit_at(http, fork.height, job=job).get("signed_header")
        if not isinstance(signed, Mapping):
            raise WorkbenchError(f"RPC {index}: /commit?height={fork.height} has no signed_header")
        validators = validators_at(http, fork.height, job=job)
        sides.append((signed, validators))
    try:
        headers = [parse_light_header(signed, {"validators": []}, f"RPC {i}") for i, (signed, _) in enumerate(sides, 1)]
    except ParseError as exc:
        raise WorkbenchError(f"cannot read the conflicting headers: {exc}") from None
    headers = [
        replace(header, validators=tuple(validators)) for header, (_, validators) in zip(headers, sides, strict=True)
    ]
    verdict = Verdict(tuple(check_two_headers(headers[0], headers[1], fork.chain_id)), fork.chain_id)
    return ForkFinding(fork, (_fields(sides[0][0]), _fields(sides[1][0])), verdict)


@dataclass(frozen=True)
class MisbehaviourSubmission:
    """``MsgSubmitConsumerMisbehaviour`` for one fork, checked before anything is signed."""

    consumer: ConsumerChain
    height: int
    """the height both headers are taken from (at or above the fork, above a trusted consensus state)"""
    client_id: str
    misbehaviour: Any
    document: dict[str, Any]
    verdict: Verdict
    msg: Any
    """submitter left empty: :meth:`signing_request` fills it in"""

    @property
    def ready(self) -> bool:
        return self.verdict.valid

    def message(self, submitter: str) -> Any:
        """A copy of the message with ``submitter`` filled in."""
        msg = type(self.msg)()
        msg.CopyFrom(self.msg)
        msg.submitter = submitter
        return msg

    def write_files(self, directory: Path, submitter: str = "") -> dict[str, Path]:
        """misbehaviour.json (what ``tx provider submit-consumer-misbehaviour CONSUMER FILE`` takes) and the
        whole message as proto-JSON, written atomically."""
        paths = {"misbehaviour": directory / "misbehaviour.json",
                 "message": directory / "msg_submit_consumer_misbehaviour.json"}
        write_json_atomic(paths["misbehaviour"], self.document)
        write_json_atomic(paths["message"], {"@type": MISBEHAVIOUR_TYPE_URL, **to_proto_json(self.message(submitter))})
        return paths

    def signing_request(
        self, submitter: str, *, ics_version: str | None, account_prefix: str | None = None
    ) -> EvidenceSigningRequest:
        """The hand-off for Keys & Signing; refused when the two headers did not verify (the provider would
        reject the tx and the fee would be lost)."""
        if not self.ready:
            failed = "; ".join(f"{c.name}: {c.detail}" for c in self.verdict.failed) or "not verified"
            raise WorkbenchError(f"not submittable: {failed}")
        signer = checked_account(submitter, "submitter", account_prefix)
        return EvidenceSigningRequest(signer, ics_version, (self.message(signer),))


def prepare_misbehaviour_submission(
    first: JsonHttp,
    second: JsonHttp,
    fork: Fork,
    provider: Connection,
    *,
    height: int | None = None,
    job: Job = NO_JOB,
) -> MisbehaviourSubmission:
    """Everything the provider needs for ``fork``: its launched consumer, the consensus state heights of its
    client of the consumer, the two headers at ``height`` (default: the fork height, or the first height
    above the provider's earliest consensus state), and the verdict on what will be signed."""
    if provider.provider is None or provider.rest is None:
        raise WorkbenchError(f"{provider.chain_id} is not an ICS provider (or has no REST endpoint)")
    consumer = provider.provider.find_by_chain_id(fork.chain_id, job=job)
    if consumer is None or not consumer.client_id:
        raise WorkbenchError(f"the provider has no launched consumer {fork.chain_id!r} (no IBC client)")
    heights = client_consensus_heights(provider.rest, consumer.client_id, job=job)
    trusted_floor = min((h[1] for h in heights), default=0)
    height = height or max(fork.height, trusted_floor + 1)
    misbehaviour = build_misbehaviour(first, second, height, consumer.client_id, heights, job=job)
    document = misbehaviour_json(misbehaviour)
    # v4/v5 messages have no consumer_id (field 3 came with v6; an older provider refuses the unknown field)
    msg = misbehaviour_message(misbehaviour, consumer.consumer_id or "", "")
    return MisbehaviourSubmission(consumer, height, consumer.client_id, misbehaviour, document,
                                  verify_light_client_item(document, fork.chain_id), msg)


def build_misbehaviour(
    first: JsonHttp,
    second: JsonHttp,
    height: int,
    client_id: str,
    provider_consensus_heights: Sequence[tuple[int, int]],
    *,
    job: Job = NO_JOB,
) -> Any:
    """``ibc.lightclients.tendermint.v1.Misbehaviour`` for the conflicting blocks at ``height``.

    The height must lie above a consensus state of the provider's client (ibc-go requires the trusted height
    below the header's); the headers are built from each node's own commit and validator set.
    """
    below = [h for h in provider_consensus_heights if h[1] < height]
    if not below:
        raise WorkbenchError(
            f"the provider's client {client_id} holds no consensus state below height {height}: pick a later height"
        )
    trusted = choose_trusted_height(below, height - 1)
    # The provider stored hash(validators at trusted + 1) as that consensus state's next_validators_hash.
    trusted_validators = validators_at(first, trusted[1] + 1, job=job)
    headers = []
    for http in (first, second):
        job.check()
        signed = signed_header_from_rpc(commit_at(http, height, job=job))
        headers.append(infraction_header(signed, validators_at(http, height, job=job), trusted, trusted_validators))
    if headers[0].signed_header.commit.block_id.hash == headers[1].signed_header.commit.block_id.hash:
        raise WorkbenchError(f"both nodes committed the same block at height {height}: no conflict to report")
    misbehaviour = tendermint_pb2.Misbehaviour(client_id=client_id)
    misbehaviour.header_1.CopyFrom(headers[0])
    misbehaviour.header_2.CopyFrom(headers[1])
    return misbehaviour


def misbehaviour_message(misbehaviour: Any, consumer_id: str, submitter: str) -> Any:
    """``MsgSubmitConsumerMisbehaviour`` wrapping ``misbehaviour`` (hand it to the signing flow)."""
    msg = provider_tx_pb2.MsgSubmitConsumerMisbehaviour(submitter=submitter, consumer_id=consumer_id)
    msg.misbehaviour.CopyFrom(misbehaviour)
    return msg


def misbehaviour_json(misbehaviour: Any) -> dict[str, Any]:
    """Proto-JSON of the misbehaviour: what ``verify`` reads and ``tx provider submit-consumer-misbehaviour``
    takes."""
    return to_proto_json(misbehaviour)
