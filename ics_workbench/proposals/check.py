"""The one call both the CLI (``proposal validate``) and the Proposals panel make, so they cannot disagree.

``check`` takes the draft, who signs it (for a direct transaction the signer is the consumer owner the chain
compares against), and the facts read from the provider; it returns the problems plus where the stateful
facts came from ("checked against <chain> at height H"), which the panel shows and uses to mark a draft stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.problems import Problem


@dataclass(frozen=True)
class Verdict:
    problems: tuple[Problem, ...]
    chain_id: str = ""
    height: int | None = None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def checked_against(self) -> str:
        """``checked against <chain> at height H``, or that no chain was asked."""
        if self.height is None:
            return "checked offline (no chain facts)"
        return f"checked against {self.chain_id or 'the provider'} at height {self.height}"


def apply_signer(draft: ProposalDraft, signer: str) -> None:
    """A direct transaction is signed by ``--from``: that address is the message's owner/submitter."""
    if draft.route != "tx" or not signer:
        return
    for msg in draft.messages:
        if msg.signer_field:
            setattr(msg, msg.signer_field, signer)


def check(draft: ProposalDraft, facts: ProviderFacts, *, signer: str = "") -> Verdict:
    from ics_workbench.proposals.rules import validate

    apply_signer(draft, signer)
    return Verdict(tuple(validate(draft, facts)), facts.chain_id, facts.height)
