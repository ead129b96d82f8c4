"""The deposit a proposal needs, from the chain's gov params, and the checks gov v1 makes on it.

SDK v0.50 gov: ``SubmitProposal`` rejects an initial deposit below ``min_deposit × min_initial_deposit_ratio``
and denoms that are not in ``min_deposit``; a deposit below ``min_deposit`` (``expedited_min_deposit`` for an
expedited proposal) leaves the proposal in its deposit period until someone tops it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from ics_workbench.chain.models import GovParams
from ics_workbench.foundation import coins
from ics_workbench.foundation.coins import Coin, CoinError
from ics_workbench.proposals.problems import Problem, Severity

CoinsError = CoinError


def parse_coins(text: str) -> dict[str, int]:
    """sdk.ParseCoinsNormalized for integer amounts: ``"1000uatom,5stake"`` -> {denom: amount}."""
    return {c.denom: c.amount for c in coins.parse_coins(text)}


def format_coins(coins: dict[str, int]) -> str:
    return ",".join(f"{amount}{denom}" for denom, amount in sorted(coins.items()) if amount > 0)


def _coins(values: tuple[Coin, ...]) -> dict[str, int]:
    return {c.denom: c.amount for c in values}


@dataclass(frozen=True)
class DepositAdvice:
    min_deposit: dict[str, int]
    min_initial_deposit: dict[str, int]
    expedited_min_deposit: dict[str, int]
    expedited_min_initial_deposit: dict[str, int]

    def suggested(self, *, expedited: bool) -> str:
        return format_coins(self.expedited_min_deposit if expedited and self.expedited_min_deposit else self.min_deposit)


def deposit_advice(gov: GovParams) -> DepositAdvice:
    """SDK v0.50 ``validateInitialDeposit``: each min deposit coin × ratio, ``RoundInt`` (half to even); an
    expedited proposal uses ``expedited_min_deposit`` as the base."""
    ratio = gov.min_initial_deposit_ratio or Decimal(0)

    def initial(coins: dict[str, int]) -> dict[str, int]:
        return {d: int((Decimal(a) * ratio).to_integral_value(rounding=ROUND_HALF_EVEN)) for d, a in coins.items()}

    minimum, expedited = _coins(gov.min_deposit), _coins(gov.expedited_min_deposit)
    return DepositAdvice(minimum, initial(minimum), expedited, initial(expedited))


def check_deposit(deposit: str, gov: GovParams | None, *, expedited: bool) -> list[Problem]:
    try:
        coins = parse_coins(deposit)
    except CoinsError as exc:
        return [Problem("deposit", "deposit_invalid", str(exc), deposit)]
    if gov is None:
        return []
    advice = deposit_advice(gov)
    out = []
    for denom in coins:
        if advice.min_deposit and denom not in advice.min_deposit:
            out.append(
                Problem(
                    "deposit",
                    "deposit_denom",
                    f"gov accepts deposits only in {', '.join(sorted(advice.min_deposit))}",
                    deposit,
                )
            )
    initial = advice.expedited_min_initial_deposit if expedited and advice.expedited_min_deposit else advice.min_initial_deposit
    for denom, needed in initial.items():
        if needed > 0 and coins.get(denom, 0) < needed:
            out.append(
                Problem(
                    "deposit",
                    "deposit_below_initial_minimum",
                    f"the initial deposit must be at least {needed}{denom} "
                    f"({'expedited_' if expedited else ''}min_deposit × min_initial_deposit_ratio); "
                    "gov refuses the submission",
                    deposit,
                )
            )
    target = advice.expedited_min_deposit if expedited and advice.expedited_min_deposit else advice.min_deposit
    label = "expedited_min_deposit" if expedited else "min_deposit"
    for denom, needed in target.items():
        if coins.get(denom, 0) < needed:
            out.append(
                Problem(
                    "deposit",
                    "deposit_below_minimum",
                    f"below {label} {needed}{denom}: the proposal waits in its deposit period (and its deposit can be "
                    "burned if it expires) until the rest is deposited",
                    deposit,
                    Severity.WARNING,
                )
            )
    return out
