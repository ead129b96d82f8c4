"""The keeper's deposit rules (SDK v0.50 x/gov deposit.go / msg_server.go) as the app pre-checks them: the
initial deposit needs min deposit × min_initial_deposit_ratio in EVERY denom, rounded half to even; any deposit
needs min deposit × min_deposit_ratio, truncated, in AT LEAST ONE denom, and only min_deposit's denoms. The
devnet test (tests/devnet/test_gov_devnet.py) has the chain judge the same boundaries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ics_workbench.chain.models import GovParams
from ics_workbench.foundation.coins import Coin
from ics_workbench.gov import messages as gm
from ics_workbench.gov.deposit_rules import (
    deposit_refusal,
    deposit_thresholds,
    initial_deposit_minimum,
    initial_deposit_refusal,
)

DEPOSITOR = "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"


def params(min_deposit: tuple[Coin, ...] = (Coin("stake", 10_000_002),), initial: str | None = "0.25",
           ratio: str | None = "0.01", expedited: tuple[Coin, ...] = (Coin("stake", 50_000_002),)) -> GovParams:
    return GovParams(min_deposit=min_deposit, expedited_min_deposit=expedited,
                     min_initial_deposit_ratio=Decimal(initial) if initial is not None else None,
                     min_deposit_ratio=Decimal(ratio) if ratio is not None else None,
                     max_deposit_period_seconds=Decimal(100), voting_period_seconds=Decimal(100),
                     quorum=Decimal("0.4"), threshold=Decimal("0.5"), veto_threshold=Decimal("0.334"))


def test_initial_minimum_rounds_half_to_even_and_thresholds_truncate() -> None:
    gov = params()
    assert initial_deposit_minimum(gov, expedited=False) == {"stake": 2_500_000}  # 2,500,000.5 -> even
    assert initial_deposit_minimum(params(min_deposit=(Coin("stake", 10_000_006),)), expedited=False) == {
        "stake": 2_500_002}  # 2,500,001.5 -> even, upwards
    assert initial_deposit_minimum(gov, expedited=True) == {"stake": 12_500_000}
    assert deposit_thresholds(gov, expedited=False) == {"stake": 100_000}  # 100,000.02 truncated
    assert deposit_thresholds(params(min_deposit=(Coin("stake", 10_099_999),)), expedited=False) == {"stake": 100_999}
    assert deposit_thresholds(gov, expedited=True) == {"stake": 500_000}
    huge = params(min_deposit=(Coin("stake", 10**40 + 7),), ratio="0.000000000000000001")
    assert deposit_thresholds(huge, expedited=False) == {"stake": 10**22}  # exact: no 28-digit rounding


@pytest.mark.parametrize(("amount", "expedited", "refused"), [
    (2_499_999, False, True), (2_500_000, False, False), (12_499_999, True, True), (12_500_000, True, False)])
def test_initial_deposit_boundaries(amount: int, expedited: bool, refused: bool) -> None:
    why = initial_deposit_refusal({"stake": amount}, params(), expedited=expedited)
    assert (why is not None) is refused
    if refused:
        assert "min_initial_deposit_ratio 0.25" in why and "gov refuses the submission" in why


def test_initial_deposit_rules_that_follow_go() -> None:
    gov = params()
    assert initial_deposit_refusal({}, gov, expedited=False) is not None  # IsAllGTE: empty never passes
    assert initial_deposit_refusal({}, params(initial="0", ratio="0"), expedited=False) is None
    assert initial_deposit_refusal({}, params(initial="0"), expedited=False) is not None  # AddDeposit's ratio
    two = params(min_deposit=(Coin("atom", 8), Coin("stake", 10_000_002)), initial="0.5")
    assert initial_deposit_refusal({"stake": 5_000_001}, two, expedited=False) is not None  # every denom
    assert initial_deposit_refusal({"stake": 5_000_001, "atom": 4}, two, expedited=False) is None
    assert "only in stake" in str(initial_deposit_refusal({"stake": 3_000_000, "uatom": 1}, gov, expedited=False))


@pytest.mark.parametrize(("amount", "expedited", "refused"), [
    (99_999, False, True), (100_000, False, False), (499_999, True, True), (500_000, True, False)])
def test_deposit_boundaries_in_the_message_builder(amount: int, expedited: bool, refused: bool) -> None:
    build = lambda: gm.deposit_message(7, DEPOSITOR, f"{amount}stake", gov=params(), expedited=expedited)  # noqa: E731
    if refused:
        with pytest.raises(gm.GovMessageError, match="min_deposit_ratio 0.01"):
            build()
    else:
        assert build().amount[0].amount == str(amount)


def test_deposit_rules_at_least_one_denom_and_off_when_the_ratio_is_zero_or_unknown() -> None:
    two = params(min_deposit=(Coin("atom", 1_000), Coin("stake", 10_000_002)))
    assert deposit_refusal({"atom": 10}, two, expedited=False) is None  # one denom is enough
    assert deposit_refusal({"atom": 9, "stake": 99_999}, two, expedited=False) is not None
    assert deposit_refusal({"stake": 1}, params(ratio="0"), expedited=False) is None
    assert deposit_refusal({"stake": 1}, params(ratio=None), expedited=False) is None  # SDK 0.47: no such rule
    assert gm.deposit_message(7, DEPOSITOR, "1stake").amount[0].amount == "1"  # no params: the chain judges
