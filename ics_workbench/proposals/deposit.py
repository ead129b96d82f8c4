"""The deposit a proposal needs, from the chain's gov params, and the checks gov v1 makes on it.

SDK v0.50 gov: ``SubmitProposal`` rejects an initial deposit below ``min_deposit × min_initial_deposit_ratio``
and denoms that are not in ``min_deposit``; a deposit below ``min_deposit`` (``expedited_min_deposit`` for an
expedited proposal) leaves the proposal in its deposit period until someone tops it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ics_workbench.chain.models import GovParams
from ics_workbench.foundation import coins
from ics_workbench.foundation.coins import Coin, CoinError
from ics_workbench.gov.deposit_rules import deposit_thresholds, initial_deposit_minimum
from ics_workbench.proposals import gosem
from ics_workbench.proposals.problems import Problem, Severity

CoinsError = CoinError


def parse_coins(text: str) -> dict[str, int]:
    """sdk.ParseCoinsNormalized for integer amounts: ``"1000uatom,5stake"`` -> {denom: amount}."""
    return {c.denom: c.amount for c in coins.parse_coins(text)}


def parse_deposit(text: str) -> tuple[dict[str, int], list[Problem]]:
    """The deposit as gaiad reads it (``sdk.ParseCoinsNormalized``): Go-trimmed, zero coins dropped, and a
    fractional amount TRUNCATED (the foundation parser refuses it for fees; gov accepts the truncated coin, so
    here it is a warning naming the amount that will really be deposited)."""
    notes: list[Problem] = []
    kept: list[str] = []
    for part in gosem.trim_space(text).split(",") if gosem.trim_space(text) else []:
        amount, denom = coins.parse_dec_coin(gosem.trim_space(part))
        whole = int(amount)  # NormalizeCoins: TruncateDecimal
        if amount != whole:
            if whole == 0:
                raise CoinError(f"{part.strip()!r} truncates to zero: the chain refuses a zero coin")
            notes.append(Problem("deposit", "deposit_truncated", f"{part.strip()!r} is deposited as {whole}{denom}: "
                                 "gaiad drops the fraction", text, Severity.WARNING))
        kept.append(f"{whole}{denom}")
    return parse_coins(",".join(kept)), notes


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
        return format_coins(
            self.expedited_min_deposit if expedited and self.expedited_min_deposit else self.min_deposit
        )


def deposit_advice(gov: GovParams) -> DepositAdvice:
    """SDK v0.50 ``validateInitialDeposit`` (``gov.deposit_rules``): each min deposit coin × ratio, rounded half to
    even; an expedited proposal uses ``expedited_min_deposit`` as the base."""
    return DepositAdvice(_coins(gov.min_deposit), initial_deposit_minimum(gov, expedited=False),
                         _coins(gov.expedited_min_deposit), initial_deposit_minimum(gov, expedited=True))


def check_deposit(deposit: str, gov: GovParams | None, *, expedited: bool) -> list[Problem]:
    """SDK v0.50 MsgSubmitProposal: validateInitialDeposit (min_initial_deposit_ratio, every min coin, rounded
    half to even), validateDepositDenom, then AddDeposit's min_deposit_ratio (at least one denom, truncated)."""
    try:
        amounts, out = parse_deposit(deposit)
    except CoinsError as exc:
        return [Problem("deposit", "deposit_invalid", str(exc), deposit)]
    if gov is None:
        return out
    advice = deposit_advice(gov)
    target = advice.expedited_min_deposit if expedited and advice.expedited_min_deposit else advice.min_deposit
    label = "expedited_min_deposit" if expedited else "min_deposit"
    initial = (
        advice.expedited_min_initial_deposit
        if expedited and advice.expedited_min_deposit
        else advice.min_initial_deposit
    )
    ratio = gov.min_initial_deposit_ratio or Decimal(0)
    if ratio and initial and (not amounts or any(amounts.get(d, 0) < needed for d, needed in initial.items())):
        need = format_coins(initial) or "a deposit"
        out.append(
            Problem(
                "deposit",
                "deposit_below_initial_minimum",
                f"the initial deposit must be at least {need} ({label} × min_initial_deposit_ratio "
                f"{gov.min_initial_deposit_ratio}); gov refuses the submission",
                deposit,
            )
        )
    for denom in amounts:
        if denom not in advice.min_deposit:
            out.append(
                Problem(
                    "deposit",
                    "deposit_denom",
                    f"gov accepts deposits only in {', '.join(sorted(advice.min_deposit)) or 'no denom'}",
                    deposit,
                )
            )
            break
    min_ratio = gov.min_deposit_ratio or Decimal(0)
    if min_ratio and target:
        thresholds = deposit_thresholds(gov, expedited=expedited and bool(advice.expedited_min_deposit))
        if not any(d in amounts and amounts[d] >= t for d, t in thresholds.items()):
            out.append(
                Problem(
                    "deposit",
                    "deposit_below_min_deposit_ratio",
                    f"a deposit must reach {label} × min_deposit_ratio {gov.min_deposit_ratio} in at least one denom "
                    f"({format_coins(thresholds) or '0'}); gov refuses the submission",
                    deposit,
                )
            )
    for denom, needed in target.items():
        if amounts.get(denom, 0) < needed:
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
