"""Field-by-field effect of a MsgUpdateConsumer on the consumer's current on-chain state.

The provider replaces a whole sub-structure when one is given (``SetConsumerPowerShapingParameters(*msg.X)``):
a field left out of ``power_shaping_parameters`` becomes zero. That is how Top N silently drops to 0 and a
chain turns opt-in (ICS docs, PR #1949), so such resets are reported loudly. Only ``infraction_parameters``
keeps a current value when ``double_sign`` or ``downtime`` is omitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from ics_workbench.proposals.codec import encode_value, wire_kind
from ics_workbench.proposals.facts import ConsumerState
from ics_workbench.proposals.models import MsgUpdateConsumer
from ics_workbench.proposals.problems import Problem, Severity

ChangeKind = Literal["set", "unchanged", "reset"]


@dataclass(frozen=True)
class FieldChange:
    path: str
    old: Any  # None: current value unknown
    new: Any
    kind: ChangeKind
    explicit: bool  # the author wrote this field (as opposed to an implied zero)

    @property
    def loud(self) -> bool:
        return self.kind == "reset"


def _leaves(model: BaseModel | None, prefix: str, explicit: bool = True) -> dict[str, tuple[Any, bool]]:
    """Flatten a model to ``path -> (display value, written by the author)``."""
    out: dict[str, tuple[Any, bool]] = {}
    if model is None:
        return out
    cls = type(model)
    for name in cls.model_fields:
        value = getattr(model, name)
        path = f"{prefix}.{name}"
        written = explicit and name in model.model_fields_set
        if isinstance(value, BaseModel):
            out.update(_leaves(value, path, written))
        else:
            out[path] = (encode_value(value, wire_kind(cls, name), "proto", None), written)
    return out


def _is_zero(value: Any) -> bool:
    return value in (0, "0", "", False, None, [], "0s", "0001-01-01T00:00:00Z") or value == {}


def update_diff(msg: MsgUpdateConsumer, current: ConsumerState | None) -> list[FieldChange]:
    changes: list[FieldChange] = []

    def add(path: str, old: Any, new: Any, explicit: bool) -> None:
        if old is not None and old == new:
            kind: ChangeKind = "unchanged"
        elif not explicit and _is_zero(new) and (old is None or not _is_zero(old)):
            kind = "reset"
        else:
            kind = "set"
        changes.append(FieldChange(path, old, new, kind, explicit))

    if msg.new_owner_address:
        add("owner", current.owner_address if current else None, msg.new_owner_address, True)
    if msg.new_chain_id:
        add("chain_id", current.chain_id if current else None, msg.new_chain_id, True)
    pairs = (
        ("metadata", msg.metadata, current.metadata if current else None),
        ("initialization_parameters", msg.initialization_parameters, current.init_params if current else None),
        ("power_shaping_parameters", msg.power_shaping_parameters, current.power_shaping_params if current else None),
        (
            "allowlisted_reward_denoms",
            msg.allowlisted_reward_denoms,
            current.allowlisted_reward_denoms if current else None,
        ),
    )
    for name, given, now in pairs:
        if given is None:
            continue
        old_leaves = _leaves(now, name) if now is not None else {}
        for path, (new, written) in _leaves(given, name).items():
            add(path, old_leaves.get(path, (None, False))[0] if now is not None else None, new, written)
    if msg.infraction_parameters is not None:
        for part in ("double_sign", "downtime"):
            given = getattr(msg.infraction_parameters, part)
            if given is None:
                continue  # nil keeps the current value
            now = getattr(current.infraction_parameters, part) if current and current.infraction_parameters else None
            old_leaves = _leaves(now, f"infraction_parameters.{part}") if now is not None else {}
            for path, (new, written) in _leaves(given, f"infraction_parameters.{part}").items():
                add(path, old_leaves.get(path, (None, False))[0] if now is not None else None, new, written)
    return changes


def diff_problems(changes: list[FieldChange], *, current_known: bool) -> list[Problem]:
    """Warnings for implied resets; with no current state, for every field a partial sub-structure zeroes."""
    out = []
    for change in changes:
        if change.kind != "reset":
            continue
        if change.path == "power_shaping_parameters.top_N":
            was = f"from {change.old} " if change.old is not None else ""
            out.append(
                Problem(
                    change.path,
                    "top_n_reset",
                    f"top_N is not in the proposal, so it drops {was}to 0 and the chain becomes OPT-IN; "
                    "write the current top_N explicitly if it should stay a Top N chain",
                    change.new,
                    Severity.WARNING,
                )
            )
            continue
        if current_known:
            message = (
                f"not in the proposal: reset from {change.old} to zero because its sub-structure was given partially"
            )
        else:
            message = "not in the proposal: the provider sets it to zero because its sub-structure was given partially"
        out.append(Problem(change.path, "reset_to_zero", message, change.new, Severity.WARNING))
    return out


def format_changes(changes: list[FieldChange]) -> list[str]:
    lines = []
    for c in changes:
        old = "?" if c.old is None else c.old
        marker = {"set": "  ", "unchanged": "= ", "reset": "!!"}[c.kind]
        note = "   <-- RESET TO ZERO (not in the proposal)" if c.kind == "reset" else ""
        lines.append(f"{marker} {c.path}: {old} -> {c.new}{note}")
    return lines


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> dict[str, Any]:
    if isinstance(value, dict) and value:
        for key, sub in value.items():
            _flatten(sub, f"{prefix}.{key}" if prefix else key, out)
    else:
        out[prefix] = value
    return out


def params_diff(new: dict[str, Any], current: dict[str, Any] | None) -> list[FieldChange]:
    """MsgUpdateParams against the chain's params (both proto-JSON), leaf by leaf, template client included."""
    new_leaves = _flatten(new, "params", {})
    old_leaves = _flatten(current, "params", {}) if current is not None else {}
    changes = []
    for path in sorted(set(new_leaves) | set(old_leaves)):
        old = old_leaves.get(path) if current is not None else None
        if path not in new_leaves:
            changes.append(FieldChange(path, old, None, "reset", False))
            continue
        value = new_leaves[path]
        kind: ChangeKind = "unchanged" if current is not None and old == value else "set"
        changes.append(FieldChange(path, old, value, kind, True))
    return changes
