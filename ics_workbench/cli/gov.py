"""``ics-workbench gov ...``: governance for participants on any Cosmos SDK chain.

``gov proposals`` lists the newest proposals (status, tally, voting end, your vote); ``gov vote`` and
``gov deposit`` write an unsigned signing request (account data and a simulated fee from the node) that
``tx sign`` signs (also air-gapped) and ``tx broadcast`` sends: the same path the GUI's Governance panel takes.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from ics_workbench.cli import InputError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("gov", help="proposals, votes and deposits on any Cosmos SDK chain")
    sub = parser.add_subparsers(dest="gov_command", metavar="ACTION", required=True)

    def chain(p: argparse.ArgumentParser) -> None:
        p.add_argument("--profile", metavar="NAME", help="a saved connection profile (its REST endpoints and fees)")
        p.add_argument("--rest", metavar="URL", help="REST (gRPC-gateway) URL, instead of a profile")

    proposals = sub.add_parser("proposals", help="the newest proposals with status, tally, voting end, your vote")
    chain(proposals)
    proposals.add_argument("--voter", metavar="ADDRESS", help="show this address's vote on open proposals")
    proposals.add_argument("--key", metavar="NAME", help="show the vote of this keyring key's address")
    proposals.add_argument("--limit", type=int, default=50, help="how many of the newest proposals (default 50)")
    proposals.add_argument("--json", action="store_true", help="print JSON")
    proposals.set_defaults(handler=_proposals)

    def request(p: argparse.ArgumentParser) -> None:
        chain(p)
        p.add_argument("--key", required=True, help="key or watch-only account (with public key) that will sign")
        p.add_argument("--sign-mode", choices=("direct", "amino-json"), default="direct")
        p.add_argument("--fee-denom", help="override the fee denom (default: profile, else from the chain)")
        p.add_argument("--gas-price", type=Decimal, help="override the gas price per unit of gas")
        p.add_argument("--gas-adjustment", type=Decimal, default=Decimal("1.3"))
        p.add_argument("--memo", default="")
        p.add_argument("-o", "--output", type=Path, required=True, help="where to write the unsigned request")

    vote = sub.add_parser("vote", help="write a signing request for a vote or a weighted vote")
    vote.add_argument("proposal_id", type=int)
    vote.add_argument("option", nargs="?", help="yes, no, abstain or no_with_veto")
    vote.add_argument("--weighted", metavar="SPEC", help='a weighted vote, e.g. "yes=0.6,no=0.4" (sums to 1)')
    vote.add_argument("--metadata", default="", help="vote metadata (gov v1)")
    request(vote)
    vote.set_defaults(handler=_vote)

    deposit = sub.add_parser("deposit", help="write a signing request for a deposit on a proposal")
    deposit.add_argument("proposal_id", type=int)
    deposit.add_argument("amount", help="coins, e.g. 10000000stake")
    request(deposit)
    deposit.set_defaults(handler=_deposit)


def _target(args: argparse.Namespace) -> tuple[str, Any]:
    """(REST URL, profile or None) from --profile / --rest."""
    if bool(args.profile) == bool(args.rest):
        raise InputError("give either --profile NAME or --rest URL")
    if args.rest:
        return args.rest, None
    from ics_workbench.chain.profiles import ProfileStore

    profile = ProfileStore().get(args.profile)
    if not profile.rest:
        raise InputError(f"profile {profile.name!r} has no REST endpoint")
    return profile.rest[0].url, profile


def _proposals(args: argparse.Namespace) -> int:
    from ics_workbench.chain.http import Endpoint, JsonHttp
    from ics_workbench.gov.read import list_proposals

    rest_url, _profile = _target(args)
    voter = args.voter
    if args.key:
        from ics_workbench.signing.keystore import KeyStore

        voter = KeyStore().get(args.key).address
    with JsonHttp([Endpoint(rest_url)]) as http:
        listed = list_proposals(http, voter=voter, limit=args.limit)
    if args.json:
        json.dump([_proposal_json(p) for p in listed.proposals], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if not listed.proposals:
        print(f"no proposals on {rest_url} (gov {listed.api})")
    for p in listed.proposals:
        end = p.voting_end_time or p.deposit_end_time
        when = f"{'voting' if p.open_for_votes else 'deposit'} ends {end:%Y-%m-%d %H:%M} UTC" if (
            end and p.open_for_deposits) else ""
        vote = f"  your vote: {p.your_vote_text()}" if p.your_vote else ("  (not voted)" if voter and
                                                                         p.open_for_votes else "")
        print(f"#{p.proposal_id:<5} {p.status:<15} {p.title[:70]}")
        print(f"       tally {p.tally.describe()}; {when}{vote}")
    return 0


def _proposal_json(p: Any) -> dict[str, Any]:
    return {
        "id": p.proposal_id, "title": p.title, "status": p.status, "api": p.api,
        "tally": {"yes": str(p.tally.yes), "no": str(p.tally.no), "abstain": str(p.tally.abstain),
                  "no_with_veto": str(p.tally.no_with_veto)},
        "voting_end_time": p.voting_end_time.isoformat() if p.voting_end_time else None,
        "deposit_end_time": p.deposit_end_time.isoformat() if p.deposit_end_time else None,
        "total_deposit": [{"denom": d, "amount": str(a)} for d, a in p.total_deposit],
        "your_vote": [{"option": o.name.lower(), "weight": str(w)} for o, w in p.your_vote] if p.your_vote else None,
    }


def _write_request(args: argparse.Namespace, build_messages: Any) -> int:
    from ics_workbench.chain.http import Endpoint, JsonHttp
    from ics_workbench.gov.read import proposal
    from ics_workbench.signing.broadcast import Broadcaster
    from ics_workbench.signing.keystore import KeyStore
    from ics_workbench.signing.request_build import ChainTarget, from_messages
    from ics_workbench.signing.tx import SignMode
    from ics_workbench.tasks import Job

    rest_url, profile = _target(args)
    record = KeyStore().get(args.key)
    with JsonHttp([Endpoint(rest_url)]) as http:
        api = proposal(http, args.proposal_id).api  # also: the proposal exists
    with Broadcaster(rest_url) as client:
        chain_id = client.chain_id()
    if profile is not None and profile.chain_id != chain_id:
        raise InputError(f"the node at {rest_url} serves {chain_id!r}, but profile {profile.name!r} is for "
                         f"{profile.chain_id!r}")
    target = ChainTarget(chain_id=chain_id, rest_url=rest_url,
                         fee_denom=args.fee_denom or (profile.fee_denom if profile else None),
                         gas_price=args.gas_price if args.gas_price is not None else (
                             profile.gas_prices if profile else None),
                         profile=profile.name if profile else "")
    messages = build_messages(record.address, api)
    mode = SignMode.DIRECT if args.sign_mode == "direct" else SignMode.LEGACY_AMINO_JSON
    file = from_messages(messages, record, target, mode, adjustment=args.gas_adjustment, memo=args.memo,
                         ics_version=None, job=Job())
    file.save(args.output)
    print(file.review_text())
    print(f"\nunsigned request written to {args.output}; sign it with 'ics-workbench tx sign {args.output} "
          f"--key {args.key}', then 'ics-workbench tx broadcast'")
    return 0


def _vote(args: argparse.Namespace) -> int:
    from ics_workbench.gov import messages as gm

    if bool(args.option) == bool(args.weighted):
        raise InputError("give either an OPTION (yes, no, abstain, no_with_veto) or --weighted SPEC")

    def build(voter: str, api: str) -> list[Any]:
        if args.weighted:
            return [gm.weighted_vote_message(args.proposal_id, voter, gm.parse_weighted(args.weighted),
                                             metadata=args.metadata, api=api)]
        return [gm.vote_message(args.proposal_id, voter, gm.VoteOption.parse(args.option), metadata=args.metadata,
                                api=api)]

    return _write_request(args, build)


def _deposit(args: argparse.Namespace) -> int:
    from ics_workbench.gov import messages as gm

    gm.deposit_coins(args.amount)  # refuse a bad amount before any network call
    gov, expedited = _deposit_rules_inputs(args)
    return _write_request(args, lambda depositor, api: [gm.deposit_message(args.proposal_id, depositor, args.amount,
                                                                            api=api, gov=gov, expedited=expedited)])


def _deposit_rules_inputs(args: argparse.Namespace) -> tuple[Any, bool]:
    """The chain's gov params and whether the proposal is expedited: what the keeper's deposit rules depend on.
    A chain that does not serve its params leaves the judging to the chain (None)."""
    from ics_workbench.chain.http import Endpoint, JsonHttp
    from ics_workbench.chain.rest import RestClient
    from ics_workbench.errors import WorkbenchError
    from ics_workbench.gov.read import proposal

    rest_url, _profile = _target(args)
    with JsonHttp([Endpoint(rest_url)]) as http:
        expedited = proposal(http, args.proposal_id).expedited
        try:
            return RestClient(http).gov_params(), expedited
        except WorkbenchError:
            return None, expedited
