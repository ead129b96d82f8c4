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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ics_workbench.chain.http import JsonHttp
from ics_workbench.errors import WorkbenchError
from ics_workbench.evidence.messages import (
    choose_trusted_height,
    infraction_header,
    signed_header_from_rpc,
    to_proto_json,
)
from ics_workbench.evidence.protos import provider_tx_pb2, tendermint_pb2
from ics_workbench.evidence.rpc import commit_at, latest_height, validators_at
from ics_workbench.tasks import NO_JOB, Job


@dataclass(frozen=True)
class Fork:
    chain_id: str
    height: int
    """lowest height at which the two nodes committed different blocks"""
    block_hashes: tuple[str, str]


def _commit(http: JsonHttp, height: int, job: Job) -> tuple[str, str]:
    """(chain id, block hash) of the block committed at ``height``."""
    result = commit_at(http, height, job=job)
    signed: Any = result.get("signed_header")
    try:
        header, commit = signed["header"], signed["commit"]
        return str(header["chain_id"]), str(commit["block_id"]["hash"]).upper()
    except (KeyError, TypeError):
        raise WorkbenchError(f"/commit?height={height} has no signed_header.header.chain_id / commit.block_id.hash") from None


def find_fork(first: JsonHttp, second: JsonHttp, *, start: int = 1, job: Job = NO_JOB) -> Fork | None:
    """The lowest height >= ``start`` where the two nodes' committed blocks differ, or None if they agree
    up to the lower of their heads. Refuses two different chains: that is not a fork."""
    top = min(latest_height(first, job=job), latest_height(second, job=job))
    if top < start:
        return None
    chain_a, hash_a = _commit(first, top, job)
    chain_b, hash_b = _commit(second, top, job)
    if chain_a != chain_b:
        raise WorkbenchError(f"the two RPCs serve different chains ({chain_a!r}, {chain_b!r}): not a fork")
    if hash_a == hash_b:
        return None
    low, high = start, top  # they differ at ``high``; the first difference lies in (low, high]
    if _commit(first, low, job)[1] != _commit(second, low, job)[1]:
        high = low
    while high - low > 1:
        job.check()
        middle = (low + high) // 2
        if _commit(first, middle, job)[1] != _commit(second, middle, job)[1]:
            high = middle
        else:
            low = middle
        job.progress(0.5, f"fork between heights {low} and {high}")
    return Fork(chain_a, high, (_commit(first, high, job)[1], _commit(second, high, job)[1]))


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
