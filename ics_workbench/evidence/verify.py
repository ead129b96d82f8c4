"""From an evidence document to verdicts: pick the public key, run the checks, per evidence item.

The key source is chosen in the order a reviewer trusts most: a key the user supplies, the key in an
infraction header (what the provider will use), then the consumer's validator set at the infraction height.
Whichever is used is named in the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ics_workbench.evidence.checks import Check, Status, Verdict, verify_double_vote
from ics_workbench.evidence.model import DuplicateVoteEvidence, ParseError, PubKey, StoredEquivocation
from ics_workbench.evidence.parse import EvidenceItem, parse_evidence_document
from ics_workbench.evidence.valset import ValidatorEntry, find_by_address, header_chain_id, header_validator_set


@dataclass(frozen=True)
class ItemResult:
    item: EvidenceItem
    verdict: Verdict

    @property
    def kind(self) -> str:
        if isinstance(self.item, DuplicateVoteEvidence):
            return "duplicate vote"
        if isinstance(self.item, StoredEquivocation):
            return "stored equivocation"
        return "light client attack"


def pick_pubkey(
    evidence: DuplicateVoteEvidence,
    chain_id: str = "",
    *,
    user_key: PubKey | None = None,
    header: Mapping[str, Any] | None = None,
    validators: Sequence[ValidatorEntry] | None = None,
) -> tuple[PubKey | None, list[str]]:
    """The key to verify with, and notes on sources that did not have it."""
    notes: list[str] = []
    if user_key is not None:
        return user_key, notes
    address = evidence.validator_address
    if header is not None:
        named = header_chain_id(header)
        if named and named != chain_id:
            notes.append(
                f"the infraction header is for chain {named!r}, not {chain_id!r}: ICS v4.5/v5.x providers verify "
                "with the header's chain id, v6+ with the registered consumer chain id"
            )
        entry = find_by_address(header_validator_set(header), address)
        if entry is not None:
            return entry.pubkey, notes
        notes.append(
            f"validator {address.hex().upper()} is not in the infraction header's validator set "
            "(the provider would reject the message: 'misbehaving validator cannot be found')"
        )
    if validators is not None:
        entry = find_by_address(validators, address)
        if entry is not None:
            return entry.pubkey, notes
        notes.append(f"validator {address.hex().upper()} is not in the validator set at height {evidence.height}")
    return None, notes


def verify_item(
    item: EvidenceItem,
    chain_id: str,
    *,
    user_key: PubKey | None = None,
    header: Mapping[str, Any] | None = None,
    validators: Sequence[ValidatorEntry] | None = None,
) -> ItemResult:
    if isinstance(item, DuplicateVoteEvidence):
        pubkey, notes = pick_pubkey(item, chain_id, user_key=user_key, header=header, validators=validators)
        verdict = verify_double_vote(item, chain_id, pubkey)
        return ItemResult(item, Verdict(verdict.checks, chain_id, pubkey, tuple(notes)))
    if isinstance(item, StoredEquivocation):
        check = Check(
            "signatures",
            Status.SKIPPED,
            "the x/evidence store keeps only who/when/power of a provider double sign, not the votes; "
            "nothing to verify cryptographically",
        )
        return ItemResult(item, Verdict((check,), chain_id))
    from ics_workbench.evidence.light_client import verify_light_client_item

    return ItemResult(item, verify_light_client_item(item, chain_id))


def verify_document(
    text: str | bytes,
    chain_id: str,
    *,
    user_key: PubKey | None = None,
    header: Mapping[str, Any] | None = None,
    validators_for: Any = None,
) -> list[ItemResult]:
    """Parse (raising :class:`ParseError`) and verify every item.

    ``validators_for(height) -> list[ValidatorEntry]`` supplies the validator set when no key was given;
    it is called once per distinct height.
    """
    items = parse_evidence_document(text)
    cache: dict[int, list[ValidatorEntry]] = {}
    results = []
    for item in items:
        validators = None
        if isinstance(item, DuplicateVoteEvidence) and user_key is None and validators_for is not None:
            if item.height not in cache:
                cache[item.height] = validators_for(item.height)
            validators = cache[item.height]
        results.append(verify_item(item, chain_id, user_key=user_key, header=header, validators=validators))
    return results


__all__ = ["ItemResult", "ParseError", "pick_pubkey", "verify_document", "verify_item"]
