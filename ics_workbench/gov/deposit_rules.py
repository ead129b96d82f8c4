"""The gov module's rules on the size of a deposit (SDK v0.50 x/gov keeper), checked before anything is signed.

Why here: a deposit the chain refuses is only refused at broadcast, after the user went through the whole (maybe
air-gapped) signing round. The rules, as the keeper applies them (``deposit.go``, ``msg_server.go``):

- ``MsgSubmitProposal``: ``validateInitialDeposit`` — when ``min_initial_deposit_ratio`` is not zero, the initial
  deposit must reach, in EVERY denom of ``min_deposit`` (``expedited_min_deposit`` for an expedited proposal),
  that amount × the ratio rounded half to even (``LegacyDec.RoundInt``); then ``validateDepositDenom``; then the
  initial deposit goes through ``AddDeposit`` like any other deposit.
- ``AddDeposit`` (``MsgDeposit``, and the initial deposit): every denom must be one of ``min_deposit``'s; when
  ``min_deposit_ratio`` is not zero (SDK v0.50.5+; default 0.01), the deposit must reach, in AT LEAST ONE denom, the
  proposal's minimum deposit × the ratio, truncated (``TruncateInt``).

Amounts are exact integers and the ratios have at most 18 decimals, so the products are computed exactly (a wide
decimal context: ``Decimal``'s default 28 digits would round a large amount times an 18-decimal ratio).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Context, Decimal

from ics_workbench.chain.models import GovParams

_EXACT = Context(prec=200)


def _times(amounts: Mapping[str, int], ratio: Decimal, rounding: str) -> dict[str, int]:
    return {denom: int(_EXACT.multiply(Decimal(amount), ratio).to_integral_value(rounding=rounding))
            for denom, amount in amounts.items()}


def _text(amounts: Mapping[str, int]) -> str:
    return ",".join(f"{amount}{denom}" for denom, amount in sorted(amounts.items())) or "nothing"


def minimum_deposit(gov: GovParams, *, expedited: bool) -> dict[str, int]:
    """The proposal's minimum deposit (``GetMinDepositFromParams``): the expedited one for an expedited proposal."""
    return {c.denom: c.amount for c in (gov.expedited_min_deposit if expedited else gov.min_deposit)}


def initial_deposit_minimum(gov: GovParams, *, expedited: bool) -> dict[str, int]:
    """What ``validateInitialDeposit`` requires in each denom (empty when ``min_initial_deposit_ratio`` is zero)."""
    ratio = gov.min_initial_deposit_ratio or Decimal(0)
    return _times(minimum_deposit(gov, expedited=expedited), ratio, ROUND_HALF_EVEN) if ratio else {}


def deposit_thresholds(gov: GovParams, *, expedited: bool) -> dict[str, int]:
    """What ``AddDeposit`` requires in at least one denom (empty when ``min_deposit_ratio`` is zero or unknown)."""
    ratio = gov.min_deposit_ratio or Decimal(0)
    return _times(minimum_deposit(gov, expedited=expedited), ratio, ROUND_DOWN) if ratio else {}


def _label(expedited: bool) -> str:
    return "expedited_min_deposit" if expedited else "min_deposit"


def deposit_refusal(amounts: Mapping[str, int], gov: GovParams, *, expedited: bool) -> str | None:
    """Why ``AddDeposit`` would refuse this deposit to a proposal (``expedited``: the proposal's), or None."""
    accepted = {c.denom for c in gov.min_deposit}
    foreign = sorted(d for d in amounts if d not in accepted)
    if foreign:
        return (f"gov accepts deposits only in {', '.join(sorted(accepted)) or 'no denom'}; "
                f"{', '.join(foreign)} would be refused")
    ratio = gov.min_deposit_ratio or Decimal(0)
    if not ratio:
        return None
    thresholds = deposit_thresholds(gov, expedited=expedited)
    if any(d in amounts and amounts[d] >= needed for d, needed in thresholds.items()):
        return None
    return (f"a deposit of {_text(amounts)} is below the chain's smallest accepted deposit: {_label(expedited)} "
            f"{_text(minimum_deposit(gov, expedited=expedited))} × min_deposit_ratio {ratio.normalize():f} = "
            f"{_text(thresholds)} (gov refuses smaller deposits)")


def initial_deposit_refusal(amounts: Mapping[str, int], gov: GovParams, *, expedited: bool) -> str | None:
    """Why ``MsgSubmitProposal`` would be refused for its initial deposit, or None (the keeper's order)."""
    ratio = gov.min_initial_deposit_ratio or Decimal(0)
    if ratio:
        needed = initial_deposit_minimum(gov, expedited=expedited)
        # Coins.IsAllGTE: an empty deposit never passes a non-empty requirement, even one rounded to zero.
        if needed and (not amounts or any(amounts.get(d, 0) < n for d, n in needed.items())):
            return (f"the initial deposit {_text(amounts)} is below {_label(expedited)} "
                    f"{_text(minimum_deposit(gov, expedited=expedited))} × min_initial_deposit_ratio "
                    f"{ratio.normalize():f} = {_text(needed)} (gov refuses the submission)")
    return deposit_refusal(amounts, gov, expedited=expedited)
