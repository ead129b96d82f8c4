"""``ics-workbench evidence ...``: verify double-vote / light-client evidence locally, scan blocks for it,
and export the files ``tx provider submit-consumer-double-voting`` takes.

``verify`` exits 0 when every evidence item in the file is valid, 1 when a check fails (the failing checks
are printed), 2 when the file (or a key/header given with it) cannot be parsed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ics_workbench.cli import EXIT_OK, EXIT_PROBLEM, InputError
from ics_workbench.untrusted_text import visible


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("evidence", help="verify, scan for and export double-vote evidence")
    sub = parser.add_subparsers(dest="evidence_command", metavar="ACTION", required=True)
    _add_verify(sub)
    _add_scan(sub)
    _add_prepare(sub)
    _add_misbehaviour(sub)
    _add_fork(sub)
    _add_records(sub)


def _add_verify(sub: Any) -> None:
    """``evidence verify``: check evidence offline (or with the consumer's keys from its RPC)."""
    verify = sub.add_parser("verify", help="check evidence cryptographically (exit 0 valid, 1 invalid, 2 unparsable)")
    verify.add_argument("file", type=Path, help="evidence file: proto-JSON, RPC /block answer, two raw votes, ...")
    verify.add_argument("--chain-id", required=True, help="chain id the votes were signed for (the consumer's)")
    key = verify.add_mutually_exclusive_group()
    key.add_argument("--pubkey", help="validator consensus key (base64 or key JSON)")
    key.add_argument("--rpc", action="append", help="consumer RPC URL for /validators at the infraction height")
    verify.add_argument("--header", type=Path, help="infraction block header JSON (its validator set has the key)")
    verify.add_argument("--json", action="store_true", help="print the full report as JSON")
    verify.add_argument("--report", type=Path, help="also write the report (JSON) to this file")
    verify.add_argument("--markdown", type=Path, help="also write the report (Markdown) to this file")
    verify.set_defaults(handler=_verify)


def _add_scan(sub: Any) -> None:
    """``evidence scan``: evidence committed in a range of blocks."""
    scan = sub.add_parser("scan", help="list evidence committed in a range of blocks")
    scan.add_argument("--rpc", action="append", required=True, help="CometBFT RPC URL (repeat for failover)")
    scan.add_argument("--from", dest="start", type=int, required=True, help="first height")
    scan.add_argument("--to", dest="end", type=int, help="last height (default: latest)")
    scan.add_argument("--out", type=Path, help="write the evidence found (proto-JSON list) to this file")
    scan.add_argument("--strategy", choices=["auto", "block_search", "headers", "blocks"], default="auto",
                      help="auto (default) probes the node: the /blockchain header scan, else one /block per "
                           "height (both exhaustive); block_search is fast but finds only evidence the chain "
                           "punished (slash events), so auto never uses it")
    scan.add_argument("--in-flight", type=int, help="requests in flight (1-32; default 16 for the header scan, "
                                                    "8 per block)")
    scan.add_argument("--json", action="store_true", help="print {summary, evidence} as JSON")
    scan.set_defaults(handler=_scan)


def _add_prepare(sub: Any) -> None:
    """``evidence prepare``: the double-vote submission files, after every pre-check."""
    prepare = sub.add_parser(
        "prepare",
        help="verify, map to the provider validator, pre-check admissibility and write the submission files",
    )
    prepare.add_argument("file", type=Path, help="double-vote evidence file")
    prepare.add_argument("--chain-id", required=True, help="the consumer chain id the votes were signed for")
    prepare.add_argument("--rpc", action="append", required=True, help="provider RPC URL")
    prepare.add_argument("--rest", action="append", required=True, help="provider REST URL")
    prepare.add_argument("--consumer-rpc", action="append", help="consumer RPC URL (key + infraction header)")
    prepare.add_argument("--pubkey", help="validator consensus key, when the consumer RPC is not reachable")
    prepare.add_argument("--submitter", required=True, help="account that will sign MsgSubmitConsumerDoubleVoting")
    prepare.add_argument("--out-dir", type=Path, required=True, help="directory for the files")
    prepare.set_defaults(handler=_prepare)


def _add_misbehaviour(sub: Any) -> None:
    """``evidence misbehaviour``: a light-client attack checked offline, and its submission files."""
    misbehaviour = sub.add_parser(
        "misbehaviour", help="check a light-client attack offline and write MsgSubmitConsumerMisbehaviour files"
    )
    misbehaviour.add_argument("file", type=Path, help="IBC Misbehaviour (proto-JSON, two headers)")
    misbehaviour.add_argument("--chain-id", required=True, help="the consumer chain id")
    misbehaviour.add_argument("--consumer-id", required=True, help="the provider's consumer id")
    misbehaviour.add_argument("--submitter", required=True, help="account that will sign the message")
    misbehaviour.add_argument("--out-dir", type=Path, required=True)
    misbehaviour.set_defaults(handler=_misbehaviour)


def _add_fork(sub: Any) -> None:
    """``evidence fork``: find a light-client attack between two RPCs of one consumer."""
    fork = sub.add_parser(
        "fork", help="find a light-client attack between two RPCs of one consumer and write the misbehaviour files"
    )
    fork.add_argument("--rpc-a", required=True, help="RPC URL of one node of the consumer")
    fork.add_argument("--rpc-b", required=True, help="RPC URL of a node that follows the other branch")
    fork.add_argument("--rpc", action="append", required=True, help="provider RPC URL")
    fork.add_argument("--rest", action="append", required=True, help="provider REST URL")
    fork.add_argument("--chain-id", required=True, help="the consumer chain id")
    fork.add_argument("--submitter", required=True, help="account that will sign MsgSubmitConsumerMisbehaviour")
    fork.add_argument("--from", dest="start", type=int, default=1, help="first height to compare (default 1)")
    fork.add_argument("--to", dest="end", type=int, help="last height to compare (default: the lower of the heads)")
    fork.add_argument("--height", type=int, help="report this height (default: the first above the fork and above a "
                                                  "consensus state of the provider's client)")
    fork.add_argument("--out-dir", type=Path, required=True)
    fork.set_defaults(handler=_fork)


def _add_records(sub: Any) -> None:
    """``evidence record-tx``, ``stored`` and ``pair``: the small report and file helpers."""
    record = sub.add_parser("record-tx", help="add the submitting tx hash and inclusion height to a report")
    record.add_argument("report", type=Path, help="evidence_report.json written by prepare/verify --report")
    record.add_argument("--tx-hash", required=True)
    record.add_argument("--height", type=int, required=True)
    record.set_defaults(handler=_record_tx)

    stored = sub.add_parser("stored", help="list the chain's x/evidence store (the provider's own double signs)")
    stored.add_argument("--rest", action="append", required=True, help="REST (LCD) URL")
    stored.add_argument("--json", action="store_true")
    stored.set_defaults(handler=_stored)

    pair = sub.add_parser("pair", help="pair two raw conflicting votes into ordered DuplicateVoteEvidence")
    pair.add_argument("vote_files", type=Path, nargs=2, metavar="VOTE", help="JSON file of one vote")
    pair.add_argument("--out", type=Path, required=True, help="evidence file to write (proto-JSON)")
    pair.set_defaults(handler=_pair)


def _read(path: Path, what: str) -> bytes:
    """The bytes of an input file, bounded (see ``fileio.read_input``); ``what`` names it in errors."""
    from ics_workbench.fileio import InputFileError, check_json_depth, decode_text, read_input

    try:
        data = read_input(path)
        check_json_depth(decode_text(data, path), path)  # evidence is JSON (or JSON lines) text
    except InputFileError as exc:
        raise InputError(f"{what} {exc}") from None
    return data


def _verify(args: argparse.Namespace) -> int:
    from ics_workbench.chain.http import Endpoint, JsonHttp
    from ics_workbench.evidence.model import ParseError
    from ics_workbench.evidence.parse import loads
    from ics_workbench.evidence.report import EvidenceReport
    from ics_workbench.evidence.rpc import validators_at
    from ics_workbench.evidence.valset import pubkey_from_user
    from ics_workbench.evidence.verify import verify_document

    text = _read(args.file, "evidence file")
    http = None
    try:
        user_key = pubkey_from_user(args.pubkey) if args.pubkey else None
        header = None
        if args.header:
            header = loads(_read(args.header, "header file"), "header file")
            if isinstance(header, dict) and "infraction_block_header" in header:
                header = header["infraction_block_header"]
        validators_for = None
        if args.rpc:
            http = JsonHttp([Endpoint(url) for url in args.rpc])
            validators_for = lambda height: validators_at(http, height)  # noqa: E731
        results = verify_document(text, args.chain_id, user_key=user_key, header=header, validators_for=validators_for)
    except ParseError as exc:
        raise InputError(f"cannot parse evidence: {exc}") from None
    finally:
        if http is not None:
            http.close()

    reports = [EvidenceReport(result, args.chain_id) for result in results]
    if args.report:
        data = [r.to_json() for r in reports]
        from ics_workbench.fileio import write_json_atomic

        write_json_atomic(args.report, data[0] if len(data) == 1 else data)
    if args.markdown:
        from ics_workbench.fileio import write_text_atomic

        write_text_atomic(args.markdown, "\n\n---\n\n".join(r.to_markdown() for r in reports))
    if args.json:
        data = [r.to_json() for r in reports]
        print(json.dumps(data[0] if len(data) == 1 else data, indent=2))
    else:
        for index, result in enumerate(results):
            verdict = result.verdict
            print(f"[{index}] {visible(result.kind)}: {'VALID' if verdict.valid else 'NOT VALID'}")
            for check in verdict.checks:
                print(f"    {check.status.value:<7} {visible(check.name)}: {visible(check.detail)}")
            for note in verdict.notes:
                print(f"    note: {visible(note)}")
    return EXIT_OK if all(r.verdict.valid for r in results) else EXIT_PROBLEM


def _scan(args: argparse.Namespace) -> int:
    from ics_workbench.chain.http import Endpoint, JsonHttp
    from ics_workbench.evidence.model import DuplicateVoteEvidence
    from ics_workbench.evidence.report import item_json
    from ics_workbench.evidence.rpc import latest_height
    from ics_workbench.evidence.scan import Strategy, scan
    from ics_workbench.fileio import write_json_atomic
    from ics_workbench.tasks import Job

    if args.in_flight is not None and not 1 <= args.in_flight <= 32:
        raise InputError(f"--in-flight must be 1..32, got {args.in_flight}")
    found: list[Any] = []

    def progress(fraction: float, message: str) -> None:
        sys.stderr.write(f"\r{fraction:6.1%} {visible(message)}   ")

    def on_found(height: int, item: Any) -> None:
        found.append(item)
        if args.json:
            return
        sys.stderr.write("\n")
        if isinstance(item, DuplicateVoteEvidence):
            print(f"  block {height}: duplicate vote by {item.validator_address.hex().upper()} at height {item.height}",
                  flush=True)
        else:
            print(f"  block {height}: {visible(str(item.get('type', 'light client attack')))}", flush=True)

    with JsonHttp([Endpoint(url) for url in args.rpc]) as http:
        end = args.end if args.end is not None else latest_height(http)
        if args.start < 1 or end < args.start:
            raise InputError(f"bad height range {args.start}..{end}")
        strategy = None if args.strategy == "auto" else Strategy(args.strategy)
        summary = scan(http, args.start, end, strategy=strategy, on_found=on_found, in_flight=args.in_flight,
                       job=Job(progress if not args.json else None))
    if not args.json:
        sys.stderr.write("\n")
    data = [item_json(item) for item in found]
    if args.out:
        write_json_atomic(args.out, data)
    if args.json:
        print(json.dumps({"summary": {"strategy": summary.strategy.value, "reason": summary.reason,
                                      "from": summary.start, "to": summary.end, "requests": summary.requests,
                                      "blocks_fetched": summary.blocks_fetched, "found": summary.found},
                          "evidence": data}, indent=2))
    else:
        print(visible(summary.line()))
    return EXIT_OK


def _pair(args: argparse.Namespace) -> int:
    from ics_workbench.evidence.model import ParseError
    from ics_workbench.evidence.parse import loads, pair_votes, parse_vote
    from ics_workbench.evidence.report import evidence_json
    from ics_workbench.fileio import write_json_atomic

    try:
        votes = [parse_vote(loads(_read(p, "vote file"), str(p)), str(p)) for p in args.vote_files]
    except ParseError as exc:
        raise InputError(f"cannot parse vote: {exc}") from None
    evidence = pair_votes(votes[0], votes[1])
    write_json_atomic(args.out, evidence_json(evidence))
    print(
        f"wrote {args.out} (vote_a = {evidence.vote_a.block_id.short()}, vote_b = {evidence.vote_b.block_id.short()})"
    )
    return EXIT_OK


def _prepare(args: argparse.Namespace) -> int:
    from ics_workbench.chain.connect import connect_urls
    from ics_workbench.chain.http import Endpoint, JsonHttp
    from ics_workbench.errors import WorkbenchError
    from ics_workbench.evidence.model import DuplicateVoteEvidence, ParseError
    from ics_workbench.evidence.rpc import validators_at
    from ics_workbench.evidence.submission import prepare_double_vote_submission
    from ics_workbench.evidence.valset import pubkey_from_user
    from ics_workbench.evidence.verify import verify_document

    text = _read(args.file, "evidence file")
    consumer_rpc = JsonHttp([Endpoint(u) for u in args.consumer_rpc]) if args.consumer_rpc else None
    try:
        user_key = pubkey_from_user(args.pubkey) if args.pubkey else None
        validators_for = (lambda h: validators_at(consumer_rpc, h)) if consumer_rpc and not user_key else None
        results = verify_document(text, args.chain_id, user_key=user_key, validators_for=validators_for)
        doubles = [r for r in results if isinstance(r.item, DuplicateVoteEvidence)]
        if len(doubles) != 1:
            raise InputError(f"the file must hold exactly one double vote, it holds {len(doubles)}")
        with connect_urls(args.rpc, args.rest) as conn:
            submission = prepare_double_vote_submission(
                doubles[0], conn, args.chain_id, args.submitter, consumer_rpc=consumer_rpc
            )
    except ParseError as exc:
        raise InputError(f"cannot parse: {exc}") from None
    finally:
        if consumer_rpc is not None:
            consumer_rpc.close()
    try:
        args.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(f"cannot create {args.out_dir}: {exc.strerror}") from None
    paths = submission.write_files(args.out_dir)
    mapping = submission.mapping
    state = "tombstoned" if mapping.tombstoned else "jailed" if mapping.jailed else (mapping.status or "not found")
    opted = {True: "; opted in", False: "; not opted in", None: ""}[mapping.opted_in]
    print(f"validator: {visible(mapping.moniker or '?')} {visible(mapping.provider_address)}"
          f"{' (assigned consumer key)' if mapping.key_assigned else ' (its provider key)'}; power {mapping.power}; "
          f"{visible(state)}{opted}")
    for name, path in paths.items():
        print(f"wrote {name}: {path}")
    if not submission.ready:
        print("NOT READY to submit:")
        for blocker in submission.blockers():
            print(f"  - {visible(blocker)}")
        return EXIT_PROBLEM
    print("ready: " + visible(submission.gaiad_command()))
    return EXIT_OK


def _stored(args: argparse.Namespace) -> int:
    from ics_workbench.chain.http import Endpoint, JsonHttp
    from ics_workbench.chain.rest import RestClient
    from ics_workbench.evidence.provider_side import stored_evidence
    from ics_workbench.evidence.report import item_json

    with JsonHttp([Endpoint(u) for u in args.rest]) as http:
        items = stored_evidence(RestClient(http))
    if args.json:
        print(json.dumps([item_json(i) for i in items], indent=2))
        return EXIT_OK
    print(f"{len(items)} item(s) in the evidence store")
    for item in items:
        data = item_json(item)
        print(
            "  " + ", ".join(f"{visible(k)}={visible(v)}" for k, v in data.items() if not isinstance(v, (dict, list)))
        )
    return EXIT_OK


def _misbehaviour(args: argparse.Namespace) -> int:
    from ics_workbench.evidence.messages import MISBEHAVIOUR_TYPE_URL, misbehaviour_msg, to_proto_json
    from ics_workbench.evidence.model import ParseError
    from ics_workbench.evidence.parse import loads
    from ics_workbench.evidence.report import EvidenceReport
    from ics_workbench.evidence.verify import verify_item
    from ics_workbench.fileio import write_json_atomic

    try:
        data = loads(_read(args.file, "misbehaviour file"), "misbehaviour file")
        if not isinstance(data, dict) or "header_1" not in data.get("misbehaviour", data):
            raise ParseError("misbehaviour", "needs header_1 and header_2 (an IBC tendermint Misbehaviour)")
        msg = misbehaviour_msg(data, args.consumer_id, args.submitter)
    except ParseError as exc:
        raise InputError(f"cannot parse misbehaviour: {exc}") from None
    result = verify_item(data, args.chain_id)
    try:
        args.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {args.out_dir}: {exc.strerror}") from None
    write_json_atomic(args.out_dir / "misbehaviour.json", to_proto_json(msg.misbehaviour))
    write_json_atomic(
        args.out_dir / "msg_submit_consumer_misbehaviour.json", {"@type": MISBEHAVIOUR_TYPE_URL, **to_proto_json(msg)}
    )
    EvidenceReport(result, args.chain_id).write(
        args.out_dir / "evidence_report.json", args.out_dir / "evidence_report.md"
    )
    for check in result.verdict.checks:
        print(f"{check.status.value:<7} {visible(check.name)}: {visible(check.detail)}")
    print(
        f"wrote {args.out_dir}/misbehaviour.json (tx provider "
        f"submit-consumer-misbehaviour {args.consumer_id} misbehaviour.json)"
    )
    return EXIT_OK if result.verdict.valid else EXIT_PROBLEM


def _record_tx(args: argparse.Namespace) -> int:
    import re

    from ics_workbench.evidence.model import ParseError
    from ics_workbench.evidence.parse import loads
    from ics_workbench.evidence.report import EvidenceReport

    if not re.fullmatch(r"[0-9A-Fa-f]{64}", args.tx_hash):
        raise InputError(f"--tx-hash must be 64 hex characters, got {args.tx_hash!r}")
    if args.height < 1:
        raise InputError(f"--height must be positive, got {args.height}")
    try:
        report = EvidenceReport.from_json(loads(_read(args.report, "report"), "report"))
    except ParseError as exc:
        raise InputError(f"cannot read the report: {exc}") from None
    report = report.with_submission(args.tx_hash.upper(), args.height)
    report.write(args.report, args.report.with_suffix(".md"))
    print(
        f"recorded tx {args.tx_hash.upper()} at height {args.height} in {args.report} and "
        f"{args.report.with_suffix('.md')}"
    )
    return EXIT_OK


def _fork(args: argparse.Namespace) -> int:
    from ics_workbench.chain.connect import connect_urls
    from ics_workbench.chain.http import Endpoint, JsonHttp
    from ics_workbench.evidence.fork import find_fork, prepare_misbehaviour_submission
    from ics_workbench.evidence.submission import checked_account

    submitter = checked_account(args.submitter, "--submitter", None)
    if args.start < 1 or (args.end is not None and args.end < args.start):
        raise InputError(f"--from/--to: the range {args.start}..{args.end} is empty")
    # The provider is asked only once there is a fork to report.
    with JsonHttp([Endpoint(args.rpc_a)]) as first, JsonHttp([Endpoint(args.rpc_b)]) as second:
        fork = find_fork(first, second, start=args.start, end=args.end)
        if fork is None:
            print(f"no fork: the two nodes committed the same blocks from height {args.start} to "
                  f"{args.end or 'the lower of their heads'}")
            return EXIT_PROBLEM
        if fork.chain_id != args.chain_id:
            raise InputError(f"the RPCs serve {visible(fork.chain_id)!r}, not {args.chain_id!r}")
        with connect_urls(args.rpc, args.rest) as conn:
            prepared = prepare_misbehaviour_submission(first, second, fork, conn, height=args.height)
    try:
        args.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {args.out_dir}: {exc.strerror}") from None
    prepared.write_files(args.out_dir, submitter)
    print(f"fork of {visible(fork.chain_id)} at height {fork.height}: {visible(fork.block_hashes[0][:12])} vs "
          f"{visible(fork.block_hashes[1][:12])}")
    print(f"reporting height {prepared.height} against the provider client {visible(prepared.client_id)}")
    for check in prepared.verdict.checks:
        print(f"{check.status.value:<7} {check.name}: {visible(check.detail)}")
    print(f"wrote {args.out_dir}/misbehaviour.json "
          f"(tx provider submit-consumer-misbehaviour {visible(prepared.consumer.key)} misbehaviour.json)")
    return EXIT_OK if prepared.verdict.valid else EXIT_PROBLEM
