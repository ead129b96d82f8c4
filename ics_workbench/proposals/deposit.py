"""The deposit a proposal needs, from the chain's gov params, and the checks gov v1 makes on it.

SDK v0.50 gov: ``SubmitProposal`` rejects an initial deposit below ``min_deposit × min_initial_deposit_ratio``
and denoms that are not in ``min_deposit``; a deposit below ``min_deposit`` (``expedited_min_deposit`` for an
expedited proposal) leaves the proposal in its deposit period until someone tops it up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

from ics_workbench.proposals import gosem
from ics_workbench.proposals.facts import GovParams
from ics_workbench.proposals.models import Coin
from ics_workbench.proposals.problems import Problem, Severity
from ics_workbench.proposals.rules_common import legacy_dec

_COIN_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?|\.[0-9]+)[ \t\n\v\f\r]*([a-zA-Z][a-zA-Z0-9/:._-]{2,127})")


class CoinsError(ValueError):
    pass


def parse_coins(text: str) -> dict[str, int]:
    """sdk.ParseCoinsNormalized as gaiad reads ``deposit``: Go-trimmed, comma separated, decimal amounts
    truncated to integers, zero coins dropped, a denom given twice refused."""
    out: dict[str, int] = {}
    text = gosem.trim_space(text)
    if not text:
        return out
    for part in text.split(","):
        coin = gosem.trim_space(part)
        match = _COIN_RE.fullmatch(coin)
        if not match:
            raise CoinsError(f"not a coin (e.g. 250000000uatom): {coin!r}")
        amount_text, denom = match.groups()
        amount = gosem.legacy_dec(amount_text)
        if amount is None:
            raise CoinsError(f"not a decimal amount in {coin!r}")
        if amount == 0:
            continue
        if denom in out:
            raise CoinsError(f"denom {denom} given twice")
        whole = int(amount)  # NormalizeCoins truncates the fraction
        if whole <= 0:
            raise CoinsError(f"{coin!r} truncates to zero: the chain refuses a zero coin")
        out[denom] = whole
    return out


def format_coins(coins: dict[str, int]) -> str:
    return ",".join(f"{amount}{denom}" for denom, amount in sorted(coins.items()) if amount > 0)


def _coins(values: tuple[Coin, ...]) -> dict[str, int]:
    return {c.denom: int(c.amount) for c in values}


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
    ratio = legacy_dec(gov.min_initial_deposit_ratio) or Decimal(0)

    def initial(coins: dict[str, int]) -> dict[str, int]:
        return {d: int((Decimal(a) * ratio).to_integral_value(rounding=ROUND_HALF_EVEN)) for d, a in coins.items()}

    minimum, expedited = _coins(gov.min_deposit), _coins(gov.expedited_min_deposit)
    return DepositAdvice(minimum, initial(minimum), expedited, initial(expedited))


def check_deposit(deposit: str, gov: GovParams | None, *, expedited: bool) -> list[Problem]:
    """SDK v0.50 MsgSubmitProposal: validateInitialDeposit (min_initial_deposit_ratio, every min coin, rounded
    half to even), validateDepositDenom, then AddDeposit's min_deposit_ratio (at least one denom, truncated)."""
    try:
        coins = parse_coins(deposit)
    except CoinsError as exc:
        return [Problem("deposit", "deposit_invalid", str(exc), deposit)]
    if gov is None:
        return []
    advice = deposit_advice(gov)
    out = []
    target = advice.expedited_min_deposit if expedited and advice.expedited_min_deposit else advice.min_deposit
    label = "expedited_min_deposit" if expedited else "min_deposit"
    initial = advice.expedited_min_initial_deposit if expedited and advice.expedited_min_deposit else advice.min_initial_deposit
    ratio = legacy_dec(gov.min_initial_deposit_ratio) or Decimal(0)
    if ratio and initial and (not coins or any(coins.get(d, 0) < needed for d, needed in initial.items())):
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
    for denom in coins:
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
    min_ratio = legacy_dec(gov.min_deposit_ratio) or Decimal(0)
    if min_ratio and target:
        thresholds = {d: int((Decimal(a) * min_ratio).to_integral_value(rounding=ROUND_DOWN)) for d, a in target.items()}
        if not any(d in coins and coins[d] >= t for d, t in thresholds.items()):
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
