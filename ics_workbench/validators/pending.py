"""Consumers a v4/v5 provider has not started yet: their validator set is simulated, never asked for.

A chain-id keyed provider (ICS v4/v5) answers ``consumer_validators/<chain>`` only for a started chain; for one
that is proposed (addition proposal not yet decided) or pending (passed, spawn time ahead) it answers
``HTTP 400: no started consumer chain``. Such a chain's set is what its addition proposal's parameters will
give at launch, so the overlap views simulate it from those parameters: a pending chain carries them in the
provider's ``consumer_chain_start_proposals``; a proposed one's are read from its gov proposal.
"""

from __future__ import annotations

import logging

from ics_workbench.chain.models import ConsumerChain
from ics_workbench.chain.provider import ProviderClient, addition_content, decode_power_shaping
from ics_workbench.errors import EndpointError
from ics_workbench.tasks import NO_JOB, Job

log = logging.getLogger(__name__)

def not_started(provider: ProviderClient, chain: ConsumerChain) -> bool:
    """True for a consumer a chain-id keyed provider holds no validator set for yet."""
    return not provider.by_id and chain.phase != "LAUNCHED"


def with_proposal_parameters(provider: ProviderClient, chain: ConsumerChain, job: Job = NO_JOB) -> ConsumerChain:
    """A proposed chain with the power shaping its addition proposal asks for (unchanged when unreadable)."""
    if provider.by_id or chain.phase != "REGISTERED" or chain.proposal_id is None:
        return chain
    path = f"/cosmos/gov/v1/proposals/{chain.proposal_id}"
    try:
        answer = provider.http.fetch(path, job=job)
    except EndpointError as error:
        log.info("proposal %s of %s unreadable: %s", chain.proposal_id, chain.chain_id, error)
        return chain
    data = answer.data if isinstance(answer.data, dict) else {}
    content = addition_content(data.get("proposal"))
    if content is None:
        return chain
    where = f"proposal.messages[].content ({chain.chain_id})"
    return chain.model_copy(update={"power_shaping": decode_power_shaping(content, answer.url, where)})
