"""The proposal being drafted: its messages plus the gov v1 envelope (title, summary, metadata, deposit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ics_workbench.proposals.models import IcsMessage
from ics_workbench.proposals.problems import Problem

Route = Literal["gov", "tx"]


@dataclass
class ProposalDraft:
    """``route="gov"``: a gov v1 MsgSubmitProposal executing ``messages`` (signer = gov module).
    ``route="tx"``: one message sent directly by its signer (e.g. ``tx provider create-consumer``).

    ``import_notes`` holds what the importer noticed about the file itself (unknown keys, a
    MsgExecLegacyContent authority that is not the gov module...), so validation can report it.
    """

    messages: list[IcsMessage]
    title: str = ""
    summary: str = ""
    metadata: str = ""
    deposit: str = ""
    expedited: bool = False
    route: Route = "gov"
    kind: str = ""
    legacy_authorities: dict[int, str] = field(default_factory=dict)
    import_notes: list[Problem] = field(default_factory=list)
