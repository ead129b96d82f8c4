"""What an included transaction created or changed, read from its events: the new proposal id, the new
consumer id, the proposal voted on or deposited to. The user sees it right after the broadcast, with a way to
the view that shows it, instead of digging the id out of a block explorer.

Values come from the node: only ids of digits are accepted (anything else is ignored, never shown as a link).
"""

from __future__ import annotations

from dataclasses import dataclass

from ics_workbench.signing.broadcast import TxResult

# (event type, attribute, what it names, verb)
_RULES = (
    ("submit_proposal", "proposal_id", "proposal", "created"),
    ("create_consumer", "consumer_id", "consumer", "created"),
    ("proposal_vote", "proposal_id", "proposal", "voted on"),
    ("proposal_deposit", "proposal_id", "proposal", "deposited to"),
)


@dataclass(frozen=True)
class Created:
    kind: str
    """proposal or consumer"""
    ident: str
    verb: str

    def describe(self) -> str:
        return f"{self.kind} {self.ident} {self.verb}" if self.verb != "created" else f"new {self.kind} {self.ident}"


def created_objects(result: TxResult) -> list[Created]:
    found: list[Created] = []
    for event_type, attributes in result.events:
        for rule_type, key, kind, verb in _RULES:
            if event_type != rule_type:
                continue
            for attr_key, value in attributes:
                if attr_key == key and value.isdigit() and len(value) <= 20:
                    item = Created(kind, value, verb)
                    if item not in found and not any(f.kind == kind and f.ident == value and f.verb == "created"
                                                     for f in found):
                        found.append(item)
    return found
