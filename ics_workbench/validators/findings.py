"""Warnings about a power-shaping candidate, from the points the ICS docs and issues say people trip on.

Sources: ``docs/docs/features/power-shaping.md`` and ``validators/partial-set-security-for-validators.md`` (v7):
``validator_set_cap`` is a no-op on Top N chains, the denylist wins over the allowlist, a denylist can drop a Top
N chain below N%, the power cap is best effort, a launch needs at least one active validator (v6.4.0, #2399).
"""

from __future__ import annotations

from ics_workbench.validators.models import ProviderSnapshot
from ics_workbench.validators.results import Exclusion, Finding, SimulationResult


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def findings_for(provider: ProviderSnapshot, result: SimulationResult) -> list[Finding]:
    """Every finding, in a fixed order: invalid parameters, list mistakes, prioritylist misses, the power cap,
    then how well the set secures the chain."""
    found: list[Finding] = [Finding("invalid_parameter", problem) for problem in result.params.problems()]
    for check in (_list_findings, _priority_findings, _power_cap_findings, _coverage_findings):
        found.extend(check(provider, result))
    return found


def _list_findings(provider: ProviderSnapshot, result: SimulationResult) -> list[Finding]:
    """A set cap that does nothing, validators on both lists, list entries that match nobody."""
    params = result.params
    found: list[Finding] = []
    if params.top_n > 0 and params.validator_set_cap > 0:
        found.append(
            Finding(
                "set_cap_on_top_n",
                f"validator_set_cap ({params.validator_set_cap}) does nothing on a Top N chain "
                f"(top_N = {params.top_n})",
            )
        )

    allow, _ = provider.resolve(params.allowlist)
    deny, _ = provider.resolve(params.denylist)
    both = sorted(allow & deny)
    if both:
        found.append(
            Finding(
                "allow_deny_overlap",
                f"{len(both)} validator(s) are on both the allowlist and the denylist; the denylist wins: "
                + ", ".join(_name(provider, v) for v in both),
            )
        )

    for list_name in ("allowlist", "denylist", "prioritylist"):
        _, unknown = provider.resolve(getattr(params, list_name))
        if unknown:
            found.append(
                Finding(
                    f"unknown_{list_name}_entry",
                    f"{list_name} entries match no provider validator: " + ", ".join(unknown),
                )
            )
    return found


def _priority_findings(provider: ProviderSnapshot, result: SimulationResult) -> list[Finding]:
    """Prioritylist entries that did not make it into the set, and why."""
    params = result.params
    found: list[Finding] = []
    members = result.member_valcons
    priority, _ = provider.resolve(params.prioritylist)
    for valcons in sorted(priority - members):
        reasons = result.excluded.get(valcons, ())
        why = ", ".join(r.value for r in reasons) or "not in the set"
        code = "priority_not_opted_in" if Exclusion.NOT_OPTED_IN in reasons else "priority_not_in_set"
        found.append(Finding(code, f"prioritylist entry {_name(provider, valcons)} is not in the set: {why}"))
    return found


def _power_cap_findings(provider: ProviderSnapshot, result: SimulationResult) -> list[Finding]:
    """A power cap that cannot hold, or holds only approximately."""
    params = result.params
    found: list[Finding] = []
    if result.power_cap_feasible is False:
        n = len(result.members)
        found.append(
            Finding(
                "power_cap_infeasible",
                f"validators_power_cap {params.validators_power_cap}% cannot hold with {n} validator(s): "
                f"{n} x {params.validators_power_cap}% < 100%, so every validator is set to the cap and some "
                "still hold more than it",
            )
        )
    elif params.validators_power_cap > 0 and result.members:
        total = result.total_consumer_power
        over = [m for m in result.members if m.consumer_power * 100 > params.validators_power_cap * total]
        if over:
            found.append(
                Finding(
                    "power_cap_exceeded",
                    f"best effort only: {len(over)} validator(s) still hold more than "
                    f"{params.validators_power_cap}% after capping (integer rounding)",
                )
            )
    return found


def _coverage_findings(provider: ProviderSnapshot, result: SimulationResult) -> list[Finding]:
    """A Top N chain secured by less than N%, an empty set, a set without an active validator."""
    params = result.params
    found: list[Finding] = []
    if params.top_n > 0 and result.provider_active_power:
        share = result.top_n_coverage
        if share * 100 < params.top_n:
            causes = sorted(
                {
                    r.value
                    for valcons in result.auto_opted_in
                    for r in result.excluded.get(valcons, ())
                    if r is not Exclusion.NOT_OPTED_IN
                }
            )
            found.append(
                Finding(
                    "top_n_under_secured",
                    f"this Top {params.top_n} chain would be secured by only {_pct(share)} of the provider's active "
                    f"power" + (f" (top-N validators removed: {', '.join(causes)})" if causes else ""),
                )
            )

    if not result.members:
        found.append(
            Finding(
                "empty_set",
                "no validator would validate this consumer: a launch fails "
                "(\"cannot launch consumer with no consumer validator\") and a running chain halts",
            )
        )
    else:
        active = {v.valcons for v in provider.active}
        if not any(m.valcons in active for m in result.members):
            found.append(
                Finding(
                    "no_active_validator",
                    "no validator of the set is active on the provider: since ICS v6.4.0 a launch fails "
                    "(\"cannot launch consumer with no active consumer validator\")",
                )
            )
    return found


def _name(provider: ProviderSnapshot, valcons: str) -> str:
    validator = provider.by_valcons.get(valcons)
    if validator is None or not validator.moniker:
        return valcons
    return f"{validator.moniker} ({valcons})"
