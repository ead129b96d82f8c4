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


def test_deposit_rules_at_their_boundaries_agree_with_the_chain(devnet_factory) -> None:  # type: ignore[no-untyped-def]
    """SDK v0.50 gov on a chain whose min deposits make the rounding visible: min_initial_deposit_ratio 0.25 of
    10,000,002 is 2,500,000.5 (half to even: 2,500,000), min_deposit_ratio 0.01 of it 100,000.02 (truncated:
    100,000); expedited 50,000,002 gives 12,500,000 and 500,000. Just below each boundary the chain and the app
    refuse, exactly at it both accept."""
    from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as ProtoCoin
    from cosmpy.protos.cosmos.gov.v1 import tx_pb2

    from ics_workbench.chain.rest import RestClient
    from ics_workbench.devnet.genesis import ChainSettings
    from ics_workbench.gov.deposit_rules import initial_deposit_refusal
    from ics_workbench.proposals.deposit import check_deposit

    chain = devnet_factory(seed=False, settings=ChainSettings(
        chain_id="depositnet", voting_period="600s", expedited_voting_period="300s", min_deposit=10_000_002,
        expedited_min_deposit=50_000_002, min_initial_deposit_ratio="0.25"))
    with JsonHttp([Endpoint(chain.rest_url)]) as http:
        gov = RestClient(http).gov_params()
    assert gov.min_deposit_ratio == Decimal("0.01") and gov.min_initial_deposit_ratio == Decimal("0.25")
    user = chain.user.address

    for amount, expedited in ((2_499_999, False), (2_500_000, False), (12_499_999, True), (12_500_000, True)):
        submit = tx_pb2.MsgSubmitProposal(proposer=user, title="Deposit boundary", summary="boundary test",
                                          metadata="ipfs://workbench-test", expedited=expedited,
                                          initial_deposit=[ProtoCoin(denom=chain.denom, amount=str(amount))])
        chain_accepts = _simulate_ok(chain, submit) is True
        app_refusal = initial_deposit_refusal({chain.denom: amount}, gov, expedited=expedited)
        draft_errors = [p for p in check_deposit(f"{amount}{chain.denom}", gov, expedited=expedited) if p.is_error]
        assert chain_accepts is (app_refusal is None) is (not draft_errors), (amount, expedited, app_refusal)
        assert chain_accepts is (amount in (2_500_000, 12_500_000))

    a = chain.validator_a.name
    normal = submit_text_proposal(chain, "Needs more deposit", 2_500_000, a)
    body = {"messages": [], "metadata": "ipfs://workbench-test", "deposit": f"12500000{chain.denom}",
            "title": "Expedited, needs more", "summary": "expedited (test)", "expedited": True}
    tx = chain.tx("gov", "submit-proposal", str(chain.write_json("expedited.json", body)), sender=a)
    from tests.devnet.gov_chain import _attribute

    fast = int(_attribute(tx, "submit_proposal", "proposal_id"))
    for proposal_id, expedited, amount in ((normal, False, 99_999), (normal, False, 100_000),
                                           (fast, True, 499_999), (fast, True, 500_000)):
        unchecked = gm.deposit_message(proposal_id, user, f"{amount}{chain.denom}")  # the chain's verdict on it
        chain_accepts = _simulate_ok(chain, unchecked) is True
        try:
            gm.deposit_message(proposal_id, user, f"{amount}{chain.denom}", gov=gov, expedited=expedited)
            app_accepts = True
        except gm.GovMessageError as refused:
            app_accepts = False
            assert "min_deposit_ratio 0.01" in str(refused)
        assert chain_accepts is app_accepts is (amount in (100_000, 500_000)), (proposal_id, amount)
