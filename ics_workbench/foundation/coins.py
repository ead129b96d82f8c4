"""Coins and denoms with the Cosmos SDK's rules (``types/coin.go``, ``types/dec_coin.go``).

The grammar is the SDK's: a denom is ``[a-zA-Z][a-zA-Z0-9/:._-]{2,127}``; a coin string is an amount
(``12``, ``1.5`` or ``.5``), optional spaces, then the denom; a coin list is comma separated. ``ParseCoinsNormalized``
trims the whole text and each coin, drops zero amounts, sorts by denom and refuses duplicate denoms. The SDK
silently truncates a fractional amount of a base denom; the workbench refuses it instead (a fee or deposit of
``0.5uatom`` is a typo for ``uatom`` or ``atom``, and signing a truncated amount would surprise the user).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from ics_workbench.errors import WorkbenchError

DENOM_PATTERN = r"[a-zA-Z][a-zA-Z0-9/:._-]{2,127}"
"""The SDK's default ``reDnmString`` (no anchors; used inside larger patterns)."""

_DENOM = re.compile(rf"^{DENOM_PATTERN}\Z")  # Go's `$` is end of text
# Go's regexp `[[:space:]]` is ASCII whitespace only, and `[[:digit:]]` ASCII digits only.
_DEC_COIN = re.compile(rf"^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)[ \t\n\v\f\r]*({DENOM_PATTERN})\Z")
_GO_SPACE = " \t\n\v\f\r"
_MAX_DEC_PLACES = 18  # LegacyDec precision: more decimals is "too much precision"


class CoinError(WorkbenchError, ValueError):
    """A coin or denom the SDK would refuse; the text names the coin and the rule."""


@dataclass(frozen=True, order=True)
class Coin:
    """An integer amount of one denom (the SDK's ``Int`` is arbitrary precision, like Python's ``int``).

    A dataclass, so pydantic models (chain answers) hold it as a field and plain code builds it positionally."""

    denom: str
    amount: int

    def __str__(self) -> str:
        return f"{self.amount}{self.denom}"


def valid_denom(denom: str) -> bool:
    """``sdk.ValidateDenom`` with the default regex."""
    return bool(_DENOM.match(denom))


def parse_dec_coin(text: str) -> tuple[Decimal, str]:
    """``sdk.ParseDecCoin``: (amount, denom); CoinError names the coin and what is wrong."""
    trimmed = text.strip(_GO_SPACE)
    match = _DEC_COIN.match(trimmed)
    if not match:
        raise CoinError(f"invalid coin expression {trimmed!r}: expected an amount then a denom, e.g. 2500uatom")
    amount_text, denom = match.groups()
    if "." in amount_text and len(amount_text.split(".")[1]) > _MAX_DEC_PLACES:
        raise CoinError(f"coin {trimmed!r}: too much precision (at most {_MAX_DEC_PLACES} decimal places)")
    try:
        amount = Decimal(amount_text)
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        raise CoinError(f"coin {trimmed!r}: invalid amount") from None
    return amount, denom


def parse_coin(text: str) -> Coin:
    """One coin, integer amount (``sdk.ParseCoinNormalized`` without silent truncation)."""
    amount, denom = parse_dec_coin(text)
    if amount != amount.to_integral_value():
        raise CoinError(f"fractional amount in {text.strip()!r}: give an integer amount of the base denom (e.g. uatom)")
    return Coin(denom, int(amount))


def parse_coins(text: str) -> tuple[Coin, ...]:
    """``sdk.ParseCoinsNormalized``: ``"10stake, 2500uatom"`` -> coins sorted by denom, zero amounts dropped,
    ``""`` -> (); a duplicate denom or an empty item between commas is refused as the SDK does."""
    trimmed = text.strip(_GO_SPACE)
    if not trimmed:
        return ()
    # ParseDecCoins: parse every item, drop zeros, sort, then refuse duplicates (so "0x,1x" is fine).
    coins = sorted((c for c in map(parse_coin, trimmed.split(",")) if c.amount > 0), key=lambda c: c.denom)
    for before, after in pairwise(coins):
        if before.denom == after.denom:
            raise CoinError(f"duplicate denomination {after.denom} in {trimmed!r}")
    return tuple(coins)


def format_coins(coins: tuple[Coin, ...] | list[Coin]) -> str:
    """The SDK's ``Coins.String()``: comma separated, no spaces."""
    return ",".join(str(c) for c in coins)
