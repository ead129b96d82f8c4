"""When each consumer key was assigned, read from the provider's own transaction events.

The provider's queries only give the current key, not when it was set. ``MsgAssignConsumerKey`` and
``MsgOptIn`` (with a key) emit ``assign_consumer_key`` / ``opt_in`` events carrying ``consumer_id``,
``provider_validator_address`` (valoper) and ``consumer_consensus_pub_key`` (the key JSON); CometBFT's
``tx_search`` finds them when the node indexes transactions. A key assigned after the consumer's spawn time is
not in its genesis, which a validator preparing a node from genesis must know.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ics_workbench.chain.comet import CometRpc
from ics_workbench.errors import EndpointError
from ics_workbench.tasks import NO_JOB, Job
from ics_workbench.validators.models import ConsumerInput

EVENT_TYPES = ("assign_consumer_key", "opt_in")
PER_PAGE = 100


@dataclass(frozen=True)
class KeyEvent:
    height: int
    operator: str
    pubkey: str  # base64 ed25519


def _attributes(event: Mapping[str, Any]) -> dict[str, str]:
    return {str(a.get("key")): str(a.get("value")) for a in event.get("attributes", []) if isinstance(a, dict)}


def _pubkey_of(raw: str) -> str:
    """The base64 key inside the event's key JSON (``{"@type": ..., "key": "..."}``); "" when none was given."""
    if not raw:
        return ""
    try:
        value = json.loads(raw)
    except ValueError:
        return ""
    key = value.get("key") if isinstance(value, dict) else None
    return key if isinstance(key, str) else ""


def key_events(comet: CometRpc, consumer_id: str, *, job: Job = NO_JOB) -> list[KeyEvent]:
    """Every key given for ``consumer_id`` in an assignment or opt-in transaction, oldest first."""
    events: list[KeyEvent] = []
    for event_type in EVENT_TYPES:
        page, seen, total = 1, 0, None
        while total is None or seen < total:
            job.check()
            answer = comet.http.fetch(
                "/tx_search",
                {"query": f"\"{event_type}.consumer_id='{consumer_id}'\"", "page": page, "per_page": PER_PAGE},
                job=job,
            )
            data = answer.data
            if isinstance(data, dict) and isinstance(data.get("error"), dict):
                error = data["error"]
                raise EndpointError(answer.url, "rpc", str(error.get("data") or error.get("message") or error))
            result = data.get("result") if isinstance(data, dict) else None
            if not isinstance(result, dict):
                raise EndpointError(answer.url, "shape", "tx_search answer has no result object")
            txs = result.get("txs") or []
            total = int(result.get("total_count") or 0)
            seen += len(txs)
            for tx in txs:
                for event in (tx.get("tx_result") or {}).get("events", []):
                    if event.get("type") != event_type:
                        continue
                    attrs = _attributes(event)
                    pubkey = _pubkey_of(attrs.get("consumer_consensus_pub_key", ""))
                    if attrs.get("consumer_id") == consumer_id and pubkey:
                        events.append(KeyEvent(int(tx["height"]), attrs.get("provider_validator_address", ""), pubkey))
            if not txs:
                break
            page += 1
    return sorted(events, key=lambda e: e.height)


def with_assignment_times(
    consumer: ConsumerInput,
    events: Iterable[KeyEvent],
    block_time: Mapping[int, datetime],
    valcons_of_operator: Mapping[str, str],
) -> ConsumerInput:
    """The consumer with ``assigned_at`` set on each current key assignment whose transaction was found."""
    latest: dict[tuple[str, str], int] = {}
    for event in events:
        valcons = valcons_of_operator.get(event.operator)
        if valcons is not None:
            latest[(valcons, event.pubkey)] = max(event.height, latest.get((valcons, event.pubkey), 0))
    updated = []
    for assignment in consumer.key_assignments:
        height = latest.get((assignment.provider_valcons, assignment.consumer_pubkey))
        moment = block_time.get(height) if height is not None else None
        updated.append(replace(assignment, assigned_at=moment) if moment else assignment)
    return replace(consumer, key_assignments=tuple(updated))


def assignment_times(
    comet: CometRpc, consumers: Iterable[ConsumerInput], valcons_of_operator: Mapping[str, str], *, job: Job = NO_JOB
) -> list[ConsumerInput]:
    """Every consumer with its key assignments dated (needs the provider node's transaction index)."""
    consumers = list(consumers)
    per_consumer = [key_events(comet, c.consumer_id, job=job) if c.key_assignments else [] for c in consumers]
    heights = sorted({e.height for events in per_consumer for e in events})
    times = {h: comet.header(h, job=job).time for h in heights}
    return [
        with_assignment_times(c, events, times, valcons_of_operator)
        for c, events in zip(consumers, per_consumer, strict=True)
    ]
