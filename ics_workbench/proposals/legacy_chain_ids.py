"""The v4/v5 rule that a consumer chain id cannot be added twice, checked against the live provider.

On a chain-id keyed provider (ICS v4/v5) gov runs a ConsumerAdditionProposal's handler when the proposal is
submitted; the handler refuses a chain id that already has a consumer client ("consumer chain already
exists", provider error 17), so the submission fails and the deposit is not taken. A chain id that is only
pending (passed, spawn time ahead) or proposed (in its deposit or voting period) is accepted at submission —
checked on real v4.2.0 and v5.2.0 providers — but only one of the two additions can ever launch: the second
fails when its spawn time comes. So: running is an error, pending or proposed a warning.

Kept apart from ``rules.py`` so the rule can be called on its own: ``duplicate_chain_id_problems(draft, facts)``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from ics_workbench.chain.http import JsonHttp
from ics_workbench.errors import EndpointError
from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.models import ConsumerAdditionProposal, MsgConsumerAddition
from ics_workbench.proposals.problems import Problem, Severity
from ics_workbench.tasks import NO_JOB, Job

log = logging.getLogger(__name__)

PROVIDER = "/interchain_security/ccv/provider"
RUNNING, PENDING, PROPOSED = "running", "pending", "proposed"
_MAX_ENTRIES = 10_000


def _strings(items: Any, key: str) -> Iterable[str]:
    for item in items[:_MAX_ENTRIES] if isinstance(items, list) else []:
        value = item.get(key) if isinstance(item, dict) else None
        if isinstance(value, str) and value:
            yield value


def fetch_legacy_chains(rest: JsonHttp, job: Job = NO_JOB) -> dict[str, str] | None:
    """chain id -> running / pending / proposed on a v4/v5 provider; None if the provider did not answer."""
    chains: dict[str, str] = {}
    try:
        proposed = rest.get_json(f"{PROVIDER}/proposed_consumer_chains", job=job)
        pending = rest.get_json(f"{PROVIDER}/consumer_chain_start_proposals", job=job)
        running = rest.get_json(f"{PROVIDER}/consumer_chains", job=job)
    except EndpointError as error:
        log.info("v4/v5 consumer chain ids unavailable: %s", error)
        return None
    for chain_id in _strings(proposed.get("proposedChains") if isinstance(proposed, dict) else None, "chainID"):
        chains[chain_id] = PROPOSED
    props = pending.get("proposals") if isinstance(pending, dict) else None
    for chain_id in _strings(props.get("pending") if isinstance(props, dict) else None, "chain_id"):
        chains[chain_id] = PENDING
    for chain_id in _strings(running.get("chains") if isinstance(running, dict) else None, "chain_id"):
        chains[chain_id] = RUNNING
    return chains


def duplicate_chain_id(msg: Any, facts: ProviderFacts) -> list[Problem]:
    """The rule for one message (a legacy addition; anything else has no problem here)."""
    if not isinstance(msg, ConsumerAdditionProposal | MsgConsumerAddition) or facts.legacy_chains is None:
        return []
    chain_id = msg.chain_id.strip()
    state = facts.legacy_chains.get(chain_id)
    if state == RUNNING:
        return [
            Problem(
                "chain_id",
                "consumer_chain_exists",
                "consumer chain already exists: this chain id is running on the provider, which refuses the "
                "proposal at submission",
                chain_id,
            )
        ]
    if state in (PENDING, PROPOSED):
        stage = "has passed and waits for its spawn time" if state == PENDING else "is being decided"
        return [
            Problem(
                "chain_id",
                "consumer_chain_exists",
                f"another addition of this chain id {stage}; only one can launch, the other fails at its spawn "
                "time (consumer chain already exists)",
                chain_id,
                Severity.WARNING,
            )
        ]
    return []


def duplicate_chain_id_problems(draft: ProposalDraft, facts: ProviderFacts) -> list[Problem]:
    """The rule over a whole draft, with paths as ``rules.validate`` writes them."""
    out: list[Problem] = []
    for i, msg in enumerate(draft.messages):
        for problem in duplicate_chain_id(msg, facts):
            path = f"messages[{i}].{problem.path}" if draft.route == "gov" else problem.path
            out.append(Problem(path, problem.rule, problem.message, problem.value, problem.severity))
    return out
