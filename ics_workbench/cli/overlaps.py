"""``ics-workbench overlaps``: who validates which consumer, and ``overlaps simulate``: what a power-shaping
change would do to one consumer's set before anyone votes for it.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ics_workbench.cli import InputError
from ics_workbench.untrusted_text import visible

if TYPE_CHECKING:
    from ics_workbench.validators.analysis import Risk
    from ics_workbench.validators.load import OverlapData
    from ics_workbench.validators.models import ConsumerInput, PowerShapingParams, ProviderSnapshot
    from ics_workbench.validators.results import SetDiff, SimulationResult


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "overlaps",
        help="provider validators x consumer chains: shares, exclusions, risk, key hygiene",
        description="Without a subcommand: the overlap report of every active consumer of a provider.",
    )
    parser.add_argument("--provider-rpc", action="append", default=[], metavar="URL", help="provider CometBFT RPC")
    parser.add_argument("--provider-rest", action="append", default=[], metavar="URL", help="provider REST")
    parser.add_argument("--consumer", action="append", default=[], metavar="NAME=RPC",
                        help="a consumer (id, chain id or name) and its own RPC, to match its /validators")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the whole report as JSON")
    fmt.add_argument("--csv", action="store_true", help="print the overlap matrix as CSV")
    parser.set_defaults(handler=run_overlaps)

    commands = parser.add_subparsers(dest="overlaps_command", metavar="SUBCOMMAND")
    sim = commands.add_parser(
        "simulate",
        help="recompute one consumer's set under changed power-shaping parameters",
        description="Unchanged parameters keep the consumer's current value. A list option replaces the whole "
        "list (give it once with an empty value to clear it). --params-file replaces every parameter first, as "
        "MsgUpdateConsumer does.",
    )
    sim.add_argument("--provider-rest", required=True, metavar="URL", help="provider REST")
    sim.add_argument("--consumer", required=True, metavar="ID", help="consumer id, chain id or name")
    sim.add_argument("--params-file", type=Path, metavar="FILE",
                     help="JSON power_shaping_parameters (or a MsgUpdateConsumer/proposal holding them)")
    sim.add_argument("--top-n", type=int, metavar="N")
    sim.add_argument("--cap", type=int, metavar="P", help="validators_power_cap in percent")
    sim.add_argument("--set-cap", type=int, metavar="K", help="validator_set_cap")
    sim.add_argument("--allow", action="append", metavar="VALCONS", help="allowlist (repeat)")
    sim.add_argument("--deny", action="append", metavar="VALCONS", help="denylist (repeat)")
    sim.add_argument("--priority", action="append", metavar="VALCONS", help="prioritylist (repeat)")
    sim.add_argument("--min-stake", type=int, metavar="S", help="min_stake in the bond denom's base unit")
    sim.add_argument("--allow-inactive", action=argparse.BooleanOptionalAction, default=None,
                     help="allow_inactive_vals")
    sim.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")
    sim.add_argument("--json", action="store_true", help="print JSON")
    sim.set_defaults(handler=run_simulate)

    one = commands.add_parser(
        "validator",
        help="one validator across every consumer: has to validate, opted in vs in the set and why, commission",
    )
    one.add_argument("address", metavar="VALCONS|VALOPER",
                     help="the validator's provider consensus or operator address")
    one.add_argument("--provider-rest", required=True, metavar="URL", help="provider REST")
    one.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")
    one.add_argument("--json", action="store_true", help="print JSON")
    one.set_defaults(handler=run_validator)


# --- overlaps report ---------------------------------------------------------------------------------------------


def _consumer_rpcs(values: list[str]) -> dict[str, str]:
    from ics_workbench.chain.profiles import EndpointConfig

    out: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or not name or not url:
            raise InputError(f"--consumer expects NAME=RPC_URL, got {value!r}")
        try:
            EndpointConfig(url=url)
        except ValueError:
            raise InputError(f"--consumer {name}: invalid URL {url!r}") from None
        out[name] = url
    return out


def run_overlaps(args: argparse.Namespace) -> int:
    from ics_workbench.chain.connect import HttpSettings, connect_urls
    from ics_workbench.errors import WorkbenchError
    from ics_workbench.validators.load import ProviderSource, load_overlaps

    if not args.provider_rpc or not args.provider_rest:
        raise InputError("overlaps needs --provider-rpc URL and --provider-rest URL")
    if args.timeout <= 0:
        raise InputError(f"--timeout must be positive (got {args.timeout})")
    rpcs = _consumer_rpcs(args.consumer)
    settings = HttpSettings(timeout=args.timeout)
    with connect_urls(args.provider_rpc, args.provider_rest, settings=settings) as conn:
        if conn.provider is None or conn.rest is None:
            raise WorkbenchError(
                f"chain {conn.chain_id!r} has no provider module ({conn.capabilities.source}); "
                "overlaps needs an ICS provider chain"
            )
        source = ProviderSource(conn.rest, conn.provider, settings.max_workers, conn.comet)
        data = load_overlaps(source, consumer_rpcs=rpcs)
        report = _report(data, conn.chain_id)
    if args.csv:
        _write_csv(report["matrix"])
    elif args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_report(report)
    return 0


def _report(data: OverlapData, chain_id: str) -> dict[str, Any]:
    from ics_workbench.validators.overlap_report import analyse_overlaps

    analysis = analyse_overlaps(data)
    consumers = []
    for item in analysis.consumers:
        result, risk = item.result, item.risk
        entry: dict[str, Any] = {
            "consumer_id": result.consumer.consumer_id,
            "chain_id": result.consumer.chain_id,
            "name": result.consumer.name,
            "phase": result.consumer.phase,
            "power_shaping": result.params.to_json(),
            "min_power_in_top_n": result.min_power_in_top_n,
            "validators": _members(data.snapshot, result),
            "provider_power_share": result.covered_provider_share,
            "risk": {
                "halt_validators": risk.halt_count,
                "halt_provider_stake_share": risk.halt_provider_stake_share,
                "control_validators": risk.control_count,
                "control_provider_stake_share": risk.control_provider_stake_share,
            },
            "power_shared_with_other_consumers": item.shared.shared_share,
            "simulation_agrees_with_provider": item.agrees,
            "simulation_mismatches": [m.__dict__ for m in item.mismatches or ()],
            "findings": [{"code": f.code, "message": f.message} for f in result.findings],
        }
        if item.chain_match is not None:
            entry["consumer_chain_match"] = [
                {"provider_valcons": r.provider_valcons, "consumer_pubkey": r.consumer_pubkey,
                 "provider_power": r.provider_power, "consumer_power": r.consumer_power, "status": r.status.value}
                for r in item.chain_match
            ]
        consumers.append(entry)
    return {
        "provider_chain_id": chain_id,
        "height": data.height,
        "blocks_until_next_epoch": data.snapshot.blocks_until_next_epoch,
        "max_provider_consensus_validators": data.snapshot.max_provider_consensus_validators,
        "warnings": list(data.warnings),
        "consumers": consumers,
        "matrix": analysis.matrix.to_rows(),
        "key_assignments": [
            {"consumer_id": k.consumer.consumer_id, "chain_id": k.consumer.chain_id, "moniker": k.validator.moniker,
             "provider_valcons": k.validator.valcons, "consumer_valcons": k.consumer_valcons,
             "consumer_pubkey": k.consumer_pubkey, "alerts": [a.value for a in k.alerts]}
            for k in analysis.keys
        ],
    }


def _members(snapshot: ProviderSnapshot, result: SimulationResult) -> list[dict[str, Any]]:
    total = result.total_consumer_power or 1
    return [
        {"moniker": m.validator.moniker, "operator": m.validator.operator, "provider_valcons": m.valcons,
         "provider_power": m.validator.power, "consumer_power": m.consumer_power,
         "share": m.consumer_power / total, "prioritized": m.prioritized}
        for m in result.members
    ]


def _write_csv(rows: list[dict[str, str]]) -> None:
    if not rows:
        print("no provider validators")
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    writer.writerows(rows)


def _epoch_text(blocks: int) -> str:
    if blocks == 0:
        return "the current block ends an epoch"
    return f"the next epoch boundary is in {blocks} block(s)"


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _print_report(report: dict[str, Any]) -> None:
    epoch = report["blocks_until_next_epoch"]
    at = f" at height {report['height']}" if report.get("height") else ""
    print(f"provider {visible(report['provider_chain_id'])}{at}: {len(report['consumers'])} active consumer(s)"
          + (f"; {_epoch_text(epoch)}" if epoch is not None else ""))
    for warning in report["warnings"]:
        print(f"  warning: {visible(warning)}")
    for c in report["consumers"]:
        ps = c["power_shaping"]
        print(
            f"\n{visible(c['name'] or c['chain_id'])} [id {visible(c['consumer_id'])}, "
            f"{visible(c['chain_id'])}, {c['phase']}]"
        )
        kind = f"Top {ps['top_N']}" if ps["top_N"] else "opt-in"
        print(f"  {kind}; power cap {ps['validators_power_cap']}%, set cap {ps['validator_set_cap']}, "
              f"min stake {ps['min_stake']}, allow inactive {ps['allow_inactive_vals']}, "
              f"{len(ps['allowlist'])} allowed / {len(ps['denylist'])} denied / {len(ps['prioritylist'])} prioritized")
        if c["min_power_in_top_n"] is not None:
            print(f"  min power in top N: {c['min_power_in_top_n']}")
        risk = c["risk"]
        print(f"  {len(c['validators'])} validator(s) holding {_pct(c['provider_power_share'])} of the provider's "
              f"bonded power")
        print(f"  {risk['halt_validators']} can halt it ({_pct(risk['halt_provider_stake_share'])} of provider stake), "
              f"{risk['control_validators']} can control it ({_pct(risk['control_provider_stake_share'])})")
        print(f"  {_pct(c['power_shared_with_other_consumers'])} of its power is held by validators of other consumers")
        for v in c["validators"]:
            print(
                f"    {visible(v['moniker'] or v['provider_valcons']):<30} "
                f"{v['consumer_power']:>12} {_pct(v['share']):>7}"
            )
        if c["simulation_agrees_with_provider"] is not None:
            agree = "agrees with" if c["simulation_agrees_with_provider"] else "DIFFERS from"
            print(f"  simulation {agree} the provider's consumer_validators")
        for m in c["simulation_mismatches"]:
            print(f"    {m['provider_valcons']}: simulated {m['simulated_power']}, provider {m['reported_power']}")
        for row in c.get("consumer_chain_match", []):
            if row["status"] != "match":
                print(f"    consumer chain: {row['provider_valcons'] or row['consumer_pubkey']}: {row['status']}")
        if "consumer_chain_match" in c:
            matched = sum(1 for r in c["consumer_chain_match"] if r["status"] == "match")
            print(f"  consumer chain /validators: {matched}/{len(c['consumer_chain_match'])} rows match")
        for f in c["findings"]:
            print(f"  ! {visible(f['message'])}")
    alerts = [k for k in report["key_assignments"] if any(a != "no assignment: signs with its provider key"
                                                          for a in k["alerts"])]
    if alerts:
        print("\nkey alerts:")
        for k in alerts:
            print(
                f"  {visible(k['chain_id'])} [{visible(k['consumer_id'])}] "
                f"{visible(k['moniker'] or k['provider_valcons'])}: "
                + "; ".join(visible(a) for a in k["alerts"])
            )


# --- simulate ----------------------------------------------------------------------------------------------------


def _params_from_file(path: Path) -> PowerShapingParams:
    from ics_workbench.fileio import read_json_input
    from ics_workbench.validators.models import PowerShapingError, PowerShapingParams

    data = read_json_input(path)
    found = _find_power_shaping(data)
    if found is None:
        raise InputError(f"{path}: no power_shaping_parameters object (or top_N field) found")
    try:
        return PowerShapingParams.from_json(found)
    except PowerShapingError as error:
        raise InputError(f"{path}: {error}") from None


def _find_power_shaping(data: Any) -> dict[str, Any] | None:
    """The parameters themselves, or the first ``power_shaping_parameters`` inside a message or proposal."""
    if isinstance(data, dict):
        if "top_N" in data or "validators_power_cap" in data:
            return data
        for key in ("power_shaping_parameters", "power_shaping_params"):
            if isinstance(data.get(key), dict):
                return dict(data[key])
        for value in data.values():
            found = _find_power_shaping(value)
            if found is not None:
                return found
    if isinstance(data, list):
        for value in data:
            found = _find_power_shaping(value)
            if found is not None:
                return found
    return None


def _candidate(args: argparse.Namespace, current: PowerShapingParams) -> PowerShapingParams:
    base = _params_from_file(args.params_file) if args.params_file else current
    changes: dict[str, Any] = {}
    for flag, name in (("top_n", "top_n"), ("cap", "validators_power_cap"), ("set_cap", "validator_set_cap"),
                       ("min_stake", "min_stake"), ("allow_inactive", "allow_inactive_vals")):
        value = getattr(args, flag)
        if value is not None:
            changes[name] = value
    for flag, name in (("allow", "allowlist"), ("deny", "denylist"), ("priority", "prioritylist")):
        values = getattr(args, flag)
        if values is not None:
            changes[name] = [v for v in values if v]
    return base.with_changes(**changes)


def run_simulate(args: argparse.Namespace) -> int:
    from ics_workbench.addresses import prefix_of
    from ics_workbench.validators.analysis import risk_figures
    from ics_workbench.validators.load import load_overlaps, open_rest_only
    from ics_workbench.validators.models import PowerShapingError
    from ics_workbench.validators.simulate import diff, simulate

    if args.timeout <= 0:
        raise InputError(f"--timeout must be positive (got {args.timeout})")
    if args.params_file is not None:
        _params_from_file(args.params_file)  # an unusable file is reported before any network access
    http, source = open_rest_only(args.provider_rest, timeout=args.timeout)
    with http:
        data = load_overlaps(source, only=args.consumer)
    consumer = data.consumer(args.consumer)
    candidate = _candidate(args, consumer.params)
    prefix = prefix_of(data.snapshot.validators[0].valcons) if data.snapshot.validators else None
    try:
        candidate.validate(prefix)
    except PowerShapingError as error:
        raise InputError(str(error)) from None
    before = simulate(data.snapshot, consumer)
    after = simulate(data.snapshot, consumer, candidate)
    change = diff(before, after)
    risks = risk_figures(data.snapshot, before), risk_figures(data.snapshot, after)
    out = _simulation_json(data, consumer, before, after, change, risks)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    _print_simulation(data, consumer, before, after, change, risks, out)
    return 0


def _simulation_json(
    data: OverlapData,
    consumer: ConsumerInput,
    before: SimulationResult,
    after: SimulationResult,
    change: SetDiff,
    risks: tuple[Risk, Risk],
) -> dict[str, Any]:
    """``overlaps simulate --json``: both sets, their risk figures, what changes and the findings."""
    risk_before, risk_after = risks
    return {
        "consumer_id": consumer.consumer_id,
        "chain_id": consumer.chain_id,
        "blocks_until_next_epoch": data.snapshot.blocks_until_next_epoch,
        "before": {"power_shaping": before.params.to_json(), "min_power_in_top_n": before.min_power_in_top_n,
                   "validators": _members(data.snapshot, before), "halt_validators": risk_before.halt_count,
                   "control_validators": risk_before.control_count,
                   "provider_power_share": before.covered_provider_share},
        "after": {"power_shaping": after.params.to_json(), "min_power_in_top_n": after.min_power_in_top_n,
                  "validators": _members(data.snapshot, after), "halt_validators": risk_after.halt_count,
                  "control_validators": risk_after.control_count,
                  "provider_power_share": after.covered_provider_share,
                  "power_cap_feasible": after.power_cap_feasible},
        "added": list(change.added),
        "removed": [{"provider_valcons": v, "why": [r.value for r in after.excluded.get(v, ())]}
                    for v in change.removed],
        "changed": [c.__dict__ for c in change.changed],
        "findings": [{"code": f.code, "message": f.message} for f in after.findings],
    }


def _print_simulation(
    data: OverlapData,
    consumer: ConsumerInput,
    before: SimulationResult,
    after: SimulationResult,
    change: SetDiff,
    risks: tuple[Risk, Risk],
    out: dict[str, Any],
) -> None:
    risk_before, risk_after = risks
    names = {v.valcons: visible(v.moniker or v.valcons) for v in data.snapshot.validators}
    print(f"{visible(consumer.label)} [id {visible(consumer.consumer_id)}]: "
          f"{len(before.members)} -> {len(after.members)} validator(s), provider power "
          f"{_pct(before.covered_provider_share)} -> {_pct(after.covered_provider_share)}")
    if after.min_power_in_top_n is not None:
        print(f"min power in top N: {after.min_power_in_top_n}")
    print(f"halt by {risk_before.halt_count} -> {risk_after.halt_count}, "
          f"control by {risk_before.control_count} -> {risk_after.control_count} validator(s)")
    for valcons in change.added:
        print(f"  + {names.get(valcons, valcons)}")
    for item in out["removed"]:
        print(f"  - {names.get(item['provider_valcons'], item['provider_valcons'])}: {', '.join(item['why'])}")
    for c in change.changed:
        print(f"  ~ {names.get(c.valcons, c.valcons)}: {c.before} -> {c.after} "
              f"({_pct(c.before_share)} -> {_pct(c.after_share)})")
    if change.unchanged:
        print("  the set does not change")
    for f in after.findings:
        print(f"  ! {visible(f.message)}")
    if data.snapshot.blocks_until_next_epoch is not None:
        epoch = _epoch_text(data.snapshot.blocks_until_next_epoch)
        print(f"once executed, a change takes effect at an epoch boundary; {epoch}")


# --- one validator ----------------------------------------------------------------------------------------------


def run_validator(args: argparse.Namespace) -> int:
    from ics_workbench.tasks import run_bounded
    from ics_workbench.validators.analysis import validator_view
    from ics_workbench.validators.load import load_overlaps, open_rest_only

    if args.timeout <= 0:
        raise InputError(f"--timeout must be positive (got {args.timeout})")
    http, source = open_rest_only(args.provider_rest, timeout=args.timeout)
    with http:
        data = load_overlaps(source)
        results = data.simulate_all()
        view = validator_view(data.snapshot, args.address, results)  # resolves the address before more queries
        valcons = view.validator.valcons
        provider = source.provider
        calls: list[Callable[[], Any]] = [partial(provider.has_to_validate, valcons)]
        calls += [partial(provider.commission_rate, c.consumer_id, valcons) for c in data.consumers]
        has_to, *rates = run_bounded(
            calls,
            max_workers=source.max_workers,
        )
    view = validator_view(
        data.snapshot, valcons, results, has_to_validate=has_to,
        commissions={c.consumer_id: rate for c, rate in zip(data.consumers, rates, strict=True)},
    )
    v = view.validator
    rows: list[dict[str, Any]] = [
        {"consumer_id": r.consumer.consumer_id, "chain_id": r.consumer.chain_id, "name": r.consumer.name,
         "has_to_validate": r.has_to_validate, "opted_in": r.opted_in, "in_set": r.in_set, "share": r.share,
         "why_not": [x.value for x in r.reasons if r.opted_in or x.value != "not opted in"],
         "commission_rate": r.commission_rate}
        for r in view.rows
    ]
    if args.json:
        print(json.dumps({"moniker": v.moniker, "operator": v.operator, "valcons": v.valcons, "power": v.power,
                          "blocks_until_next_epoch": view.blocks_until_next_epoch, "consumers": rows}, indent=2))
        return 0
    print(f"{visible(v.moniker or v.operator)} ({visible(v.valcons)}), provider power {v.power:,}")
    if view.blocks_until_next_epoch is not None:
        print(f"opt-ins, opt-outs and power-shaping changes take effect at epoch boundaries; "
              f"{_epoch_text(view.blocks_until_next_epoch)}")
    for row in rows:
        state = f"in the set, {_pct(row['share'])}" if row["in_set"] else (
            "opted in, NOT in the set: " + ", ".join(row["why_not"]) if row["opted_in"] else "not opted in")
        must = "has to validate" if row["has_to_validate"] else "need not validate"
        print(f"  {visible(row['name'] or row['chain_id'])} [{visible(row['consumer_id'])}]: {state}; {must}; "
              f"commission {row['commission_rate']}")
    return 0
