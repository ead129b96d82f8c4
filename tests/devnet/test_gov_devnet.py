"""Governance for participants against the real node: proposals read (v1), the vote / weighted vote / deposit
messages judged by the chain itself (simulation accepts exactly what the builder accepts), and the CLI round
trip request -> sign -> broadcast changing the chain's state."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.cli import main
from ics_workbench.devnet.node import Devnet
from ics_workbench.errors import WorkbenchError
from ics_workbench.gov import messages as gm
from ics_workbench.gov.read import list_proposals, vote_of
from ics_workbench.signing import fees
from ics_workbench.signing.keystore import KeyStore
from ics_workbench.signing.tx import SignerSpec
from tests.devnet.gov_chain import submit_text_proposal


@pytest.fixture(scope="module")
def proposals(govnet: Devnet) -> tuple[int, int]:
    """(a proposal in its voting period, one still in its deposit period)."""
    a = govnet.validator_a.name
    voting = submit_text_proposal(govnet, "Raise the community tax", govnet.settings.min_deposit, a)
    waiting = submit_text_proposal(govnet, "Needs more deposit", 200_000, a)
    return voting, waiting


def test_proposals_are_listed_with_status_tally_and_the_voters_vote(govnet: Devnet, proposals: tuple[int, int]) -> None:
    voting, waiting = proposals
    a = govnet.validator_a
    govnet.tx("gov", "vote", str(voting), "no", sender=a.name)
    with JsonHttp([Endpoint(govnet.rest_url)]) as http:
        listed = list_proposals(http, voter=a.address)
    assert listed.api == "v1"
    by_id = {p.proposal_id: p for p in listed.proposals}
    node = {int(p["id"]): p for p in govnet.query("gov", "proposals")["proposals"]}
    assert set(by_id) == set(node)
    assert by_id[voting].status == "voting_period" and by_id[waiting].status == "deposit_period"
    assert by_id[voting].title == "Raise the community tax"
    tally = govnet.query("gov", "tally", str(voting))["tally"]
    assert by_id[voting].tally.no == int(tally["no_count"]) > 0
    assert by_id[voting].your_vote_text() == "no"
    assert by_id[voting].voting_end_time is not None and by_id[waiting].voting_end_time is None
    assert by_id[waiting].total_deposit == (("stake", 200_000),)


def _simulate_ok(chain: Devnet, message: object) -> bool | str:
    """The chain's verdict on one message: True if a simulation accepts it, else the node's reason."""
    user = chain.user
    from ics_workbench.signing.broadcast import Broadcaster

    with Broadcaster(chain.rest_url) as client:
        account = client.account(user.address)
    store = KeyStore()
    record = store.recover("sim-user", user.mnemonic) if "sim-user" not in {r.name for r in store.list()} \
        else store.get("sim-user")
    signer = SignerSpec(public_key=record.public_key_bytes, sequence=account.sequence)
    try:
        fees.simulate(chain.rest_url, fees.simulation_tx_bytes([message], [signer], fee_denom=chain.denom))
    except WorkbenchError as error:
        return str(error)
    return True


WEIGHTED_CASES = [
    "yes=1",
    "yes=0.5,no=0.5",
    "yes=0.333333333333333333,no=0.333333333333333333,abstain=0.333333333333333334",
    "yes=0.999999999999999999",  # sums to just under 1
    "yes=0.5,no=0.500000000000000001",  # just over 1
    "yes=0.5,yes=0.5",  # duplicate option
    "yes=1.000000000000000000",
    "yes=0.6,no=0.4,abstain=0",  # a zero weight
    "yes=0.1234567890123456789,no=0.8765432109876543211",  # 19 decimals
]


@pytest.mark.parametrize("spec", WEIGHTED_CASES)
def test_weighted_vote_rules_agree_with_the_chain(govnet: Devnet, proposals: tuple[int, int], spec: str) -> None:
    voting, _ = proposals
    voter = govnet.user.address
    try:
        ours = gm.weighted_vote_message(voting, voter, gm.parse_weighted(spec))
    except gm.GovMessageError:
        ours = None
    if ours is None:
        # Build what the user typed without our checks and let the chain judge it.
        from cosmpy.protos.cosmos.gov.v1 import gov_pb2, tx_pb2

        options = []
        for part in spec.split(","):
            option, weight = part.split("=")
            options.append(gov_pb2.WeightedVoteOption(option=gm.VoteOption.parse(option).value, weight=weight))
        raw = tx_pb2.MsgVoteWeighted(proposal_id=voting, voter=voter, options=options)
        verdict = _simulate_ok(govnet, raw)
        assert verdict is not True, f"the chain accepts {spec!r}, the builder refused it"
    else:
        assert _simulate_ok(govnet, ours) is True


def test_deposit_message_is_accepted_and_a_vote_on_a_deposit_period_proposal_is_refused(
        govnet: Devnet, proposals: tuple[int, int]) -> None:
    voting, waiting = proposals
    voter = govnet.user.address
    assert _simulate_ok(govnet, gm.deposit_message(waiting, voter, "100000stake")) is True
    # SDK 0.50: each deposit must be at least min_deposit_ratio (1%) of the minimum deposit.
    assert "minimum deposit is too small" in str(_simulate_ok(govnet, gm.deposit_message(waiting, voter, "99999stake")))
    refused = _simulate_ok(govnet, gm.vote_message(waiting, voter, gm.VoteOption.YES))
    assert refused is not True and "inactive proposal" in str(refused)
    with pytest.raises(gm.GovMessageError, match="amount"):
        gm.deposit_message(waiting, voter, "0stake")


def test_cli_vote_and_deposit_round_trip(govnet: Devnet, proposals: tuple[int, int], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    voting, waiting = proposals
    user = govnet.user
    KeyStore().recover("voter", user.mnemonic)
    request = tmp_path / "vote.json"
    assert main(["gov", "vote", str(voting), "--weighted", "yes=0.7,abstain=0.3", "--rest", govnet.rest_url,
                 "--key", "voter", "-o", str(request)]) == 0
    review = capsys.readouterr().out
    assert "MsgVoteWeighted" in review and "node minimum gas price" not in review  # the devnet sets none
    assert main(["tx", "sign", str(request), "--key", "voter", "--yes"]) == 0
    signed = request.with_name("vote.signed.json")
    assert main(["tx", "broadcast", str(signed), "--rest", govnet.rest_url]) == 0
    with JsonHttp([Endpoint(govnet.rest_url)]) as http:
        vote = vote_of(http, voting, user.address)
    assert vote == ((gm.VoteOption.YES, Decimal("0.7")), (gm.VoteOption.ABSTAIN, Decimal("0.3")))

    deposit_request = tmp_path / "deposit.json"
    before = sum(int(c["amount"]) for c in govnet.query("gov", "proposal", str(waiting))["proposal"]["total_deposit"])
    assert main(["gov", "deposit", str(waiting), "123456stake", "--rest", govnet.rest_url, "--key", "voter",
                 "-o", str(deposit_request)]) == 0
    assert main(["tx", "sign", str(deposit_request), "--key", "voter", "--yes"]) == 0
    assert main(["tx", "broadcast", str(deposit_request.with_name("deposit.signed.json")),
                 "--rest", govnet.rest_url]) == 0
    after = sum(int(c["amount"]) for c in govnet.query("gov", "proposal", str(waiting))["proposal"]["total_deposit"])
    assert after - before == 123456
    capsys.readouterr()
    assert main(["gov", "proposals", "--rest", govnet.rest_url, "--voter", user.address]) == 0
    listing = capsys.readouterr().out
    assert f"#{voting}" in listing and "your vote: yes 0.7, abstain 0.3" in listing


def test_a_fee_in_a_denom_the_payer_lacks_is_explained(govnet: Devnet, proposals: tuple[int, int],
                                                       tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    voting, _ = proposals
    KeyStore().recover("voter2", govnet.user.mnemonic)
    code = main(["gov", "vote", str(voting), "yes", "--rest", govnet.rest_url, "--key", "voter2",
                 "--fee-denom", "uatom", "--gas-price", "0.005", "-o", str(tmp_path / "x.json")])
    err = capsys.readouterr().err
    assert code == 1
    assert "cannot pay a fee in uatom" in err and "this chain stakes stake" in err and "Fee denom" in err
