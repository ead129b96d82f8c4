"""``ics-workbench proposal``: validate, export, diff and start proposals; list drafts.

validate exits 0 when the proposal is valid (warnings are printed but do not fail), 1 with one line per problem
(``field path: rule: message (value)``), 2 when the file cannot be read or parsed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, cast

from ics_workbench.cli import EXIT_OK, EXIT_PROBLEM, InputError
from ics_workbench.untrusted_text import visible


def _facts_options(p: argparse.ArgumentParser) -> None:
    """Where the provider facts a command checks against come from: a version offline, or a chain."""
    p.add_argument("--provider-version", default="v7.0.0", help="ICS version of the provider (default v7.0.0)")
    p.add_argument("--account-prefix", default="cosmos", help="bech32 account prefix of the provider")
    p.add_argument(
        "--rest", metavar="URL", help="fetch gov/staking/provider params and consumer state from this REST endpoint"
    )
    p.add_argument(
        "--rpc", metavar="URL", help="with --rest: connect properly and detect the provider's ICS version"
    )
    p.add_argument("--consumer-state", metavar="FILE", action="append", default=[],
                   help="JSON of GET /interchain_security/ccv/provider/consumer_chain/{id} (offline update diff)")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("proposal", help="draft, check and export ICS governance proposals")
    sub = parser.add_subparsers(dest="proposal_command", metavar="SUBCOMMAND", required=True)

    p = sub.add_parser("validate", help="check a proposal file against the provider's rules")
    p.add_argument("file", help="proposal file (gov, provider-cli or legacy format; - for stdin)")
    p.add_argument("--format", choices=("gov", "provider-cli", "legacy"), help="input format (default: detect)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--signer",
        metavar="ADDRESS",
        default="",
        help="who signs a direct transaction (the provider CLI's --from): compared with the consumer's owner",
    )
    _facts_options(p)
    p.set_defaults(handler=_validate)

    p = sub.add_parser("export", help="write a proposal in the format gaiad or the provider CLI reads")
    p.add_argument("file", help="proposal file in any supported format (- for stdin)")
    p.add_argument(
        "--format", dest="to", choices=("gov", "provider-cli", "legacy"), required=True, help="output format"
    )
    p.add_argument("--from-format", choices=("gov", "provider-cli", "legacy"), help="input format (default: detect)")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("--force", action="store_true", help="export even when validation finds errors")
    _facts_options(p)
    p.set_defaults(handler=_export)

    p = sub.add_parser("diff", help="what a MsgUpdateConsumer changes on the consumer, field by field")
    p.add_argument("file")
    _facts_options(p)
    p.set_defaults(handler=_diff)

    p = sub.add_parser("new", help="print a template for a proposal kind")
    p.add_argument("kind", nargs="?", help="kind (omit to list them)")
    p.add_argument(
        "--format", dest="to", choices=("gov", "provider-cli", "legacy"), help="output format (default: the kind's own)"
    )
    p.add_argument("-o", "--output")
    p.add_argument("--consumer-id", default="", help="fill the consumer id")
    p.add_argument("--evidence", metavar="FILE", help="slash kinds: DuplicateVoteEvidence or Misbehaviour proto-JSON")
    p.add_argument("--header", metavar="FILE", help="slash-double-vote: infraction block header proto-JSON")
    _facts_options(p)
    p.set_defaults(handler=_new)

    p = sub.add_parser("drafts", help="saved drafts")
    dsub = p.add_subparsers(dest="drafts_command", metavar="ACTION", required=True)
    q = dsub.add_parser("list", help="list drafts with their validation state")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_drafts_list)


def _read(path: str) -> str:
    """The proposal text, bounded like every input file (stdin too: at most the same size)."""
    from ics_workbench.fileio import MAX_INPUT_BYTES, check_json_depth, decode_text, read_input_text

    if path == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(f"-: size: more than the {MAX_INPUT_BYTES:,}-byte limit")
        text = decode_text(data, "-")
    else:
        text = read_input_text(path)
    check_json_depth(text, path)  # every proposal format is JSON
    return text


def _load(path: str, fmt: str | None) -> tuple[Any, str]:
    from ics_workbench.proposals.codec import ProposalFormatError
    from ics_workbench.proposals.formats import load_text

    try:
        return load_text(_read(path), fmt)  # type: ignore[arg-type]
    except ProposalFormatError as exc:
        raise InputError(f"{path}: {exc}") from None


def _facts(args: argparse.Namespace, draft: Any | None = None) -> Any:
    from ics_workbench.errors import WorkbenchError
    from ics_workbench.proposals.chain_facts import consumer_ids_in, consumer_state_from_rest, fetch_provider_facts
    from ics_workbench.proposals.facts import ProviderFacts
    from ics_workbench.proposals.versions import ProviderVersion

    try:
        version = ProviderVersion.parse(args.provider_version)
    except WorkbenchError as exc:
        raise InputError(str(exc)) from None
    ids = consumer_ids_in(draft.messages) if draft is not None else []
    if args.rpc and args.rest:
        from ics_workbench.chain.connect import connect_urls
        from ics_workbench.proposals.chain_facts import facts_from_connection

        with connect_urls([args.rpc], [args.rest], account_prefix=args.account_prefix) as connection:
            facts = facts_from_connection(connection, consumer_ids=ids)
    elif args.rest:
        from ics_workbench.chain.http import Endpoint, JsonHttp

        with JsonHttp([Endpoint(args.rest)]) as http:
            facts = fetch_provider_facts(
                http, version=str(version), account_prefix=args.account_prefix, consumer_ids=ids
            )
            facts.chain_id = _chain_id(http)
    else:
        facts = ProviderFacts(version=version, account_prefix=args.account_prefix)
    for path in args.consumer_state:
        try:
            data = json.loads(_read(path))
            state = consumer_state_from_rest(data)
        except (json.JSONDecodeError, WorkbenchError, AttributeError) as exc:
            raise InputError(f"{path}: not a consumer_chain query result: {exc}") from None
        facts.consumers[state.consumer_id] = state
    return facts


def _chain_id(http: Any) -> str:
    """The REST node's chain id, for "checked against <chain>"; "" when it does not say."""
    from ics_workbench.chain.rest import RestClient
    from ics_workbench.errors import WorkbenchError

    try:
        return RestClient(http).node_info().chain_id
    except WorkbenchError:
        return ""


def _validate(args: argparse.Namespace) -> int:
    from ics_workbench.proposals.check import check

    draft, fmt = _load(args.file, args.format)
    if fmt == "provider-cli":
        draft.route = "tx"
    facts = _facts(args, draft)
    verdict = check(draft, facts, signer=args.signer)
    problems = verdict.problems
    if args.json:
        sys.stdout.write(
            json.dumps(
                {"valid": verdict.valid, "format": fmt, "provider_version": str(facts.version),
                 "checked_against": verdict.checked_against, "chain_id": verdict.chain_id, "height": verdict.height,
                 "problems": [p.to_json() for p in problems]},
                indent=2,
            )
            + "\n"
        )
    else:
        for p in problems:
            sys.stdout.write(visible(p.line()) + "\n")
        if verdict.valid:
            sys.stdout.write(visible(f"valid ({fmt} format, ICS {facts.version}; {verdict.checked_against})") + "\n")
    return EXIT_OK if verdict.valid else EXIT_PROBLEM


def _write_out(text: str, output: str | None) -> None:
    if output:
        from ics_workbench.fileio import write_text_atomic

        write_text_atomic(Path(output), text, mode=0o644)
    else:
        sys.stdout.write(text)


def _export(args: argparse.Namespace) -> int:
    from ics_workbench.proposals.codec import ProposalFormatError
    from ics_workbench.proposals.formats import dump_text
    from ics_workbench.proposals.rules import validate

    draft, _ = _load(args.file, args.from_format)
    facts = _facts(args, draft)
    draft.route = "tx" if args.to == "provider-cli" else "gov"  # checked as what it becomes
    problems = validate(draft, facts)
    errors = [p for p in problems if p.is_error]
    for p in problems:
        sys.stderr.write(visible(p.line()) + "\n")
    if errors and not args.force:
        sys.stderr.write(f"not exported: {len(errors)} error(s) (use --force to export anyway)\n")
        return EXIT_PROBLEM
    try:
        text = dump_text(draft, args.to, gov_address=facts.gov_address, version=facts.version)
    except ProposalFormatError as exc:
        sys.stderr.write(f"error: cannot write {args.to} format: {exc}\n")
        return EXIT_PROBLEM
    _write_out(text, args.output)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from ics_workbench.proposals.diff import diff_problems, format_changes, params_diff, update_diff
    from ics_workbench.proposals.models import MsgUpdateConsumer, MsgUpdateParams

    draft, _ = _load(args.file, None)
    facts = _facts(args, draft)
    updates = [m for m in draft.messages if isinstance(m, MsgUpdateConsumer)]
    param_updates = [m for m in draft.messages if isinstance(m, MsgUpdateParams)]
    if not updates and not param_updates:
        raise InputError(f"{args.file}: contains no MsgUpdateConsumer or MsgUpdateParams")
    loud = False
    for msg in param_updates:
        changes = params_diff(msg.params, facts.provider_params)
        sys.stdout.write(
            "provider params"
            + ("" if facts.provider_params is not None else " (current values unknown: use --rest)")
            + ":\n"
        )
        for line in format_changes([c for c in changes if c.kind != "unchanged"]):
            sys.stdout.write(visible(line) + "\n")
        loud = loud or any(c.kind == "reset" for c in changes)
    for update in updates:
        current = facts.consumer(update.consumer_id.strip())
        sys.stdout.write(
            f"consumer {visible(update.consumer_id)}" + ("" if current else " (current state unknown)") + ":\n"
        )
        changes = update_diff(update, current)
        for line in format_changes(changes):
            sys.stdout.write(visible(line) + "\n")
        for p in diff_problems(changes, current_known=current is not None):
            loud = True
            sys.stdout.write(visible(p.line()) + "\n")
    return EXIT_PROBLEM if loud else EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from ics_workbench.errors import WorkbenchError
    from ics_workbench.proposals.formats import Format, dump_text
    from ics_workbench.proposals.templates import KINDS, new_draft

    if not args.kind:
        for kind in KINDS.values():
            sys.stdout.write(f"{kind.name:30} {kind.versions:12} {kind.label}\n")
        return EXIT_OK
    facts = _facts(args)
    try:
        draft = new_draft(args.kind, facts)
    except WorkbenchError as exc:
        raise InputError(str(exc)) from None
    msg = draft.messages[0]
    if args.consumer_id and "consumer_id" in type(msg).model_fields:
        cast(Any, msg).consumer_id = args.consumer_id  # checked just above: this message has the field
    for option, field in ((args.evidence, "duplicate_vote_evidence"), (args.evidence, "misbehaviour"),
                          (args.header, "infraction_block_header")):
        if option and field in type(msg).model_fields:
            try:
                value = json.loads(_read(option))
            except json.JSONDecodeError as exc:
                raise InputError(f"{option}: not valid JSON: {exc}") from None
            if not isinstance(value, dict):
                raise InputError(f"{option}: expected a JSON object")
            setattr(msg, field, value)
    fmt: Format = args.to or ("provider-cli" if draft.route == "tx" else "gov")
    _write_out(dump_text(draft, fmt, gov_address=facts.gov_address, version=facts.version), args.output)
    return EXIT_OK


def _drafts_list(args: argparse.Namespace) -> int:
    from ics_workbench.proposals.drafts import DraftStore

    summaries = DraftStore().list()
    if args.json:
        sys.stdout.write(
            json.dumps(
                [
                    {"id": s.id, "name": s.name, "kind": s.kind, "provider_version": s.provider_version,
                     "updated": s.updated.isoformat(), "state": s.state, "errors": s.errors, "warnings": s.warnings}
                    for s in summaries
                ],
                indent=2,
            )
            + "\n"
        )
        return EXIT_OK
    if not summaries:
        sys.stdout.write("no drafts\n")
    for s in summaries:
        sys.stdout.write(
            f"{s.id}  {s.state:10} {s.errors}E {s.warnings}W  {s.kind or '-':22} {s.provider_version:8} "
            f"{s.updated:%Y-%m-%d %H:%M}  {visible(s.name)}\n"
        )
    return EXIT_OK
