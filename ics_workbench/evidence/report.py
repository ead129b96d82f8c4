"""The evidence report a validator attaches to a forum post: JSON for machines, Markdown for people.

It holds the evidence itself (proto-JSON form, so anyone can re-run the checks with gaiad or this app),
every check with its result, the provider validator it maps to, the built message, and, once submitted,
the tx hash and inclusion height.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ics_workbench import __version__
from ics_workbench.evidence.model import DuplicateVoteEvidence, StoredEquivocation, Vote
from ics_workbench.evidence.verify import ItemResult
from ics_workbench.fileio import write_json_atomic, write_text_atomic

SCHEMA = "ics-workbench/evidence-report/v1"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def vote_json(vote: Vote) -> dict[str, Any]:
    """Proto-JSON of a vote, as ``tx provider submit-consumer-double-voting`` reads it."""
    out: dict[str, Any] = {
        "type": {1: "SIGNED_MSG_TYPE_PREVOTE", 2: "SIGNED_MSG_TYPE_PRECOMMIT"}.get(vote.type, vote.type),
        "height": str(vote.height),
        "round": vote.round,
        "block_id": {
            "hash": _b64(vote.block_id.hash),
            "part_set_header": {
                "total": vote.block_id.part_set_header.total,
                "hash": _b64(vote.block_id.part_set_header.hash),
            },
        },
        "timestamp": vote.timestamp.rfc3339(),
        "validator_address": _b64(vote.validator_address),
        "validator_index": vote.validator_index,
        "signature": _b64(vote.signature),
    }
    if vote.extension:
        out["extension"] = _b64(vote.extension)
    if vote.extension_signature:
        out["extension_signature"] = _b64(vote.extension_signature)
    return out


def evidence_json(evidence: DuplicateVoteEvidence) -> dict[str, Any]:
    return {
        "vote_a": vote_json(evidence.vote_a),
        "vote_b": vote_json(evidence.vote_b),
        "total_voting_power": str(evidence.total_voting_power),
        "validator_power": str(evidence.validator_power),
        "timestamp": evidence.timestamp.rfc3339(),
    }


def item_json(item: Any) -> dict[str, Any]:
    if isinstance(item, DuplicateVoteEvidence):
        return evidence_json(item)
    if isinstance(item, StoredEquivocation):
        return {
            "height": str(item.height),
            "time": item.time.rfc3339(),
            "power": str(item.power),
            "consensus_address": item.consensus_address,
        }
    return dict(item)


@dataclass(frozen=True)
class EvidenceReport:
    result: ItemResult
    chain_id: str
    mapping: dict[str, Any] | None = None
    mapping_at_infraction: dict[str, Any] | None = None
    """who held the key when the votes were cast (provider state at that time), or why that is unknown"""
    admissibility: list[dict[str, Any]] = field(default_factory=list)
    consequence: dict[str, Any] | None = None
    message: dict[str, Any] | None = None
    submission: dict[str, Any] | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvidenceReport:
        """Read back a report this module wrote (to add the tx hash after submitting, or to re-render)."""
        from ics_workbench.evidence.checks import Check, Status, Verdict
        from ics_workbench.evidence.model import ParseError, PubKey
        from ics_workbench.evidence.parse import _b64, parse_evidence_items

        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ParseError("schema", f"not an evidence report (expected schema {SCHEMA!r})")
        try:
            [item] = parse_evidence_items(data["evidence"], "evidence")
            checks = tuple(Check(c["name"], Status(c["status"]), c["detail"]) for c in data["checks"])
            key = data.get("public_key")
            pubkey = PubKey(_b64(key["key"], "public_key.key"), key["origin"], key["type"]) if key else None
            verdict = Verdict(checks, data["chain_id"], pubkey, tuple(data.get("notes") or ()))
        except (KeyError, TypeError, ValueError) as exc:
            raise ParseError("report", f"incomplete or damaged report ({type(exc).__name__}: {exc})") from None
        return cls(
            ItemResult(item, verdict),
            data["chain_id"],
            mapping=data.get("mapping"),
            mapping_at_infraction=data.get("mapping_at_infraction"),
            admissibility=data.get("admissibility") or [],
            consequence=data.get("consequence"),
            message=data.get("message"),
            submission=data.get("submission"),
        )

    def with_submission(self, tx_hash: str, height: int) -> EvidenceReport:
        return replace(self, submission={"tx_hash": tx_hash, "height": height})

    def to_json(self) -> dict[str, Any]:
        verdict = self.result.verdict
        return {
            "schema": SCHEMA,
            "generated_by": f"ics-workbench {__version__}",
            "kind": self.result.kind,
            "chain_id": self.chain_id,
            "valid": verdict.valid,
            "summary": verdict.summary,
            "evidence": item_json(self.result.item),
            "source": getattr(self.result.item, "source", ""),
            "public_key": None
            if verdict.pubkey is None
            else {"type": verdict.pubkey.type, "key": _b64(verdict.pubkey.key), "origin": verdict.pubkey.origin},
            "checks": [{"name": c.name, "status": c.status.value, "detail": c.detail} for c in verdict.checks],
            "notes": list(verdict.notes),
            "mapping": self.mapping,
            "mapping_at_infraction": self.mapping_at_infraction,
            "admissibility": self.admissibility,
            "consequence": self.consequence,
            "message": self.message,
            "submission": self.submission,
        }

    def to_markdown(self) -> str:
        data = self.to_json()
        verdict = self.result.verdict
        lines = [
            f"# Evidence report: {data['kind']} on `{self.chain_id}`",
            "",
            f"**Verdict: {'VALID' if verdict.valid else 'NOT VALID'}** — {verdict.summary}",
            "",
        ]
        item = self.result.item
        if isinstance(item, DuplicateVoteEvidence):
            lines += [
                f"- Validator address: `{item.validator_address.hex().upper()}`",
                f"- Height {item.height}, round {item.vote_a.round}, {item.vote_a.type_name}",
                f"- Block ids: `{item.vote_a.block_id.hash.hex().upper() or 'nil'}` vs "
                f"`{item.vote_b.block_id.hash.hex().upper() or 'nil'}`",
                f"- Source: {item.source or 'file'}",
            ]
        if data["public_key"]:
            lines.append(f"- Public key ({data['public_key']['origin']}): `{data['public_key']['key']}`")
        lines += ["", "## Checks", "", "| Check | Result | Detail |", "|---|---|---|"]
        for check in verdict.checks:
            lines.append(f"| {check.name} | {check.status.value} | {check.detail.replace('|', '/')} |")
        for note in verdict.notes:
            lines.append(f"\n> {note}")
        if self.mapping:
            lines += ["", "## Provider validator", ""]
            lines += [f"- {k.replace('_', ' ')}: `{v}`" for k, v in self.mapping.items()]
        if self.mapping_at_infraction:
            lines += ["", "## Provider validator at the infraction time", ""]
            lines += [f"- {k.replace('_', ' ')}: `{v}`" for k, v in self.mapping_at_infraction.items()]
        if self.admissibility:
            lines += ["", "## Admissibility on the provider", "", "| Check | Result | Detail |", "|---|---|---|"]
            lines += [f"| {a['name']} | {a['status']} | {a['detail']} |" for a in self.admissibility]
        if self.consequence:
            lines += ["", "## Consequence if submitted", ""]
            lines += [f"- {k.replace('_', ' ')}: {v}" for k, v in self.consequence.items()]
        if self.message:
            lines += ["", "## Message", "", f"`{self.message.get('@type', '')}`"]
        if self.submission:
            lines += [
                "",
                "## Submission",
                "",
                f"- tx hash: `{self.submission['tx_hash']}`",
                f"- included at height {self.submission['height']}",
            ]
        lines += ["", "## Evidence (proto-JSON)", "", "```json"]
        lines += [json.dumps(data["evidence"], indent=2), "```", ""]
        return "\n".join(lines)

    def write(self, json_path: Path, markdown_path: Path | None = None) -> None:
        write_json_atomic(json_path, self.to_json())
        if markdown_path is not None:
            write_text_atomic(markdown_path, self.to_markdown())
