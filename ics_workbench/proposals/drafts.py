"""Drafts on disk: one JSON file per draft under ``data_dir()/drafts``, each save an atomic replace.

A crash mid-save leaves the previous version intact (``fileio.write_json_atomic``, under the store's
cross-process lock ``fileio.locked``), so autosaving on every edit loses at most the keystroke being typed. The
proposal itself is stored in the gov JSON format the exporter writes, so a draft file is also a readable
proposal.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ics_workbench import paths
from ics_workbench.errors import WorkbenchError
from ics_workbench.fileio import locked, write_json_atomic
from ics_workbench.proposals.codec import ProposalFormatError
from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.formats import from_gov_json, to_gov_json
from ics_workbench.proposals.problems import Problem
from ics_workbench.proposals.rules import validate
from ics_workbench.proposals.versions import ProviderVersion

log = logging.getLogger(__name__)

DRAFT_FORMAT = 1
_ID_RE = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class StoredDraft:
    id: str
    name: str
    draft: ProposalDraft
    provider_version: str
    updated: datetime


@dataclass(frozen=True)
class DraftSummary:
    id: str
    name: str
    kind: str
    provider_version: str
    updated: datetime
    errors: int
    warnings: int
    unreadable: str = ""  # why the file could not be loaded, if it could not

    @property
    def state(self) -> str:
        if self.unreadable:
            return "unreadable"
        if self.errors:
            return "invalid"
        return "warnings" if self.warnings else "valid"


class DraftStore:
    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else paths.data_dir() / "drafts"

    def _path(self, draft_id: str) -> Path:
        if not _ID_RE.match(draft_id):
            raise WorkbenchError(f"not a draft id: {draft_id!r}")
        return self.root / f"{draft_id}.json"

    def save(self, draft: ProposalDraft, *, name: str, facts: ProviderFacts, draft_id: str | None = None) -> str:
        """Create (no id) or overwrite a draft; returns its id."""
        draft_id = draft_id or uuid.uuid4().hex
        record = {
            "workbench_draft": DRAFT_FORMAT,
            "id": draft_id,
            "name": name,
            "kind": draft.kind,
            "route": draft.route,
            "provider_version": str(facts.version),
            "gov_address": facts.gov_address,
            "updated": datetime.now(UTC).isoformat(),
            "proposal": to_gov_json(draft, gov_address=facts.gov_address),
        }
        path = self._path(draft_id)
        with locked(self.root):  # the GUI's autosave and a CLI (or a second window) never interleave writes
            write_json_atomic(path, record)
        return draft_id

    def load(self, draft_id: str) -> StoredDraft:
        path = self._path(draft_id)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise WorkbenchError(f"no draft {draft_id}") from None
        except (OSError, json.JSONDecodeError) as exc:
            raise WorkbenchError(f"draft {draft_id} cannot be read: {exc}") from None
        return _from_record(record)

    def duplicate(self, draft_id: str, *, name: str | None = None) -> str:
        stored = self.load(draft_id)
        facts = ProviderFacts(version=ProviderVersion.parse(stored.provider_version))
        return self.save(stored.draft, name=name or f"{stored.name} (copy)", facts=facts)

    def delete(self, draft_id: str) -> None:
        path = self._path(draft_id)
        with locked(self.root):
            path.unlink(missing_ok=True)

    def list(self, facts: ProviderFacts | None = None) -> list[DraftSummary]:
        """Every draft with its validation state (against ``facts``, else its own recorded version)."""
        out: list[DraftSummary] = []
        if not self.root.is_dir():
            return out
        for path in sorted(self.root.glob("*.json")):
            try:
                stored = _from_record(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, json.JSONDecodeError, WorkbenchError, KeyError, TypeError) as exc:
                log.warning("skipping unreadable draft %s: %s", path.name, exc)
                when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                out.append(DraftSummary(path.stem, path.name, "", "", when, 0, 0, unreadable=str(exc)))
                continue
            check_facts = facts or ProviderFacts(version=ProviderVersion.parse(stored.provider_version))
            problems: list[Problem] = validate(stored.draft, check_facts)
            errors = sum(p.is_error for p in problems)
            out.append(
                DraftSummary(
                    stored.id,
                    stored.name,
                    stored.draft.kind,
                    stored.provider_version,
                    stored.updated,
                    errors,
                    len(problems) - errors,
                )
            )
        out.sort(key=lambda s: s.updated, reverse=True)
        return out


def _from_record(record: dict[str, Any]) -> StoredDraft:
    if record.get("workbench_draft") != DRAFT_FORMAT:
        raise WorkbenchError("not a workbench draft file (or a newer format)")
    try:
        draft = from_gov_json(record["proposal"])
    except ProposalFormatError as exc:
        raise WorkbenchError(f"draft {record.get('id')}: {exc}") from None
    draft.kind = record.get("kind", "")
    draft.route = "tx" if record.get("route") == "tx" else "gov"
    return StoredDraft(
        id=record["id"],
        name=record.get("name", ""),
        draft=draft,
        provider_version=record.get("provider_version", "v7.0.0"),
        updated=datetime.fromisoformat(record["updated"]),
    )
