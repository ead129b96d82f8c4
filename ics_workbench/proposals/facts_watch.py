"""When the chain facts behind a draft's verdict stop being true (Qt-free, so the rule is tested directly).

A verdict on stateful rules holds for the chain, the consumers, the signer and the block it was read at. The
panel re-reads the facts when any of the first three changes and on every new block while a draft is open;
until the answer arrives the draft is marked stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from ics_workbench.proposals.chain_facts import consumer_ids_in
from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.facts import ProviderFacts


@dataclass(frozen=True)
class FactsKey:
    chain_id: str
    consumer_ids: tuple[str, ...]
    signer: str


def facts_key(draft: ProposalDraft | None, signer: str, chain_id: str) -> FactsKey:
    ids = tuple(consumer_ids_in(draft.messages)) if draft is not None else ()
    return FactsKey(chain_id, ids, signer if draft is not None and draft.route == "tx" else "")


def stale_reason(facts: ProviderFacts, read_for: FactsKey | None, now: FactsKey, seen_height: int | None) -> str:
    """Why the facts no longer describe the chain for this draft ("" when they do)."""
    if facts.height is None or read_for is None:
        return ""
    if read_for.chain_id != now.chain_id:
        return f"the connected chain is now {now.chain_id or 'none'}"
    if read_for.consumer_ids != now.consumer_ids:
        return "the draft names another consumer"
    if read_for.signer != now.signer:
        return "the signer changed"
    if seen_height is not None and seen_height > facts.height:
        return f"the chain is at height {seen_height}"
    return ""


def freshness_text(
    facts: ProviderFacts, read_for: FactsKey | None, now: FactsKey, seen_height: int | None
) -> tuple[str, bool]:
    """The panel's line: ``checked against <chain> at height H`` and whether the draft is stale."""
    if facts.height is None:
        return "checked offline: stateful rules (owner, phase, current values) need the connected provider", False
    text = f"checked against {facts.chain_id or 'the provider'} at height {facts.height}"
    reason = stale_reason(facts, read_for, now, seen_height)
    if reason:
        return f"STALE: {text}; {reason}: re-checking…", True
    return text, False
