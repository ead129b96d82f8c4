"""One shape for every finding, so the CLI, the GUI (error at the field) and tests all speak the same language.

A problem names the field by its JSON path inside the message (``power_shaping_parameters.top_N``), the rule
that fired (a stable id tests and scripts can match on), a sentence a governance participant understands, and
the offending value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"  # the chain rejects the proposal at submission or it fails at execution
    WARNING = "warning"  # accepted, but probably not what the author wants


@dataclass(frozen=True)
class Problem:
    path: str
    rule: str
    message: str
    value: Any = None
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def line(self) -> str:
        """``field path: rule: message (value)`` — the CLI's one line per problem."""
        shown = "" if self.value is None else f" ({_short(self.value)})"
        prefix = "" if self.is_error else "warning: "
        return f"{self.path or '(proposal)'}: {self.rule}: {prefix}{self.message}{shown}"

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rule": self.rule,
            "message": self.message,
            "value": _jsonable(self.value),
            "severity": self.severity.value,
        }


def prefixed(problems: list[Problem], prefix: str) -> list[Problem]:
    """Re-root problems found in a sub-message under ``prefix`` (e.g. ``messages[0]``)."""
    out = []
    for p in problems:
        path = f"{prefix}.{p.path}" if p.path else prefix
        out.append(Problem(path, p.rule, p.message, p.value, p.severity))
    return out


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except TypeError:
        return str(value)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) and value else json.dumps(_jsonable(value))
    return text if len(text) <= 120 else text[:117] + "..."
