"""The one coin parser follows the SDK's ParseCoinsNormalized grammar; hypothesis explores the boundaries."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from ics_workbench.foundation.coins import (
    Coin,
    CoinError,
    format_coins,
    parse_coin,
    parse_coins,
    parse_dec_coin,
    valid_denom,
)

# The SDK's default denom regex, anchored as Go's regexp.MatchString with ^...$ (end of text, not before "\n").
GO_DENOM = re.compile(r"[a-zA-Z][a-zA-Z0-9/:._-]{2,127}")
denoms = st.from_regex(GO_DENOM, fullmatch=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ()),
        ("   ", ()),
        ("10stake", (Coin("stake", 10),)),
        (" 10 stake , 2500uatom ", (Coin("stake", 10), Coin("uatom", 2500))),  # spaces trimmed, between allowed
        ("2500uatom,10stake", (Coin("stake", 10), Coin("uatom", 2500))),  # sorted by denom
        ("0stake,1uatom", (Coin("uatom", 1),)),  # zero amounts dropped
        ("0stake,1stake", (Coin("stake", 1),)),  # the zero is dropped before duplicates are checked
        ("1ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
         (Coin("ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", 1),)),
        ("1.0stake", (Coin("stake", 1),)),  # an integral decimal is an integer
        (".0stake", ()),
    ],
)
def test_parse_coins(text: str, expected: tuple[Coin, ...]) -> None:
    assert parse_coins(text) == expected


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("1stake,,2uatom", "invalid coin expression"),  # the SDK refuses the empty item
        ("1stake,2stake", "duplicate denomination stake"),
        ("1.5stake", "fractional amount"),  # the SDK would truncate silently; a signer must not
        ("1ab", "invalid coin expression"),  # denom shorter than 3
        ("1" + "a" * 129, "invalid coin expression"),  # longer than 128
        ("-1stake", "invalid coin expression"),
        ("1stake\n", None),  # trailing newline is whitespace, trimmed like strings.TrimSpace
        ("1e3stake", None),  # "e3stake" is a valid denom: 1 of e3stake
        ("0.1234567890123456789stake", "too much precision"),
        ("1 stake\n,2x", "invalid coin expression"),
    ],
)
def test_parse_coins_refuses_what_the_sdk_refuses(text: str, rule: str | None) -> None:
    if rule is None:
        assert parse_coins(text)
        return
    with pytest.raises(CoinError, match=rule):
        parse_coins(text)


def test_denom_anchors_are_go_anchors() -> None:
    assert valid_denom("uatom") and not valid_denom("uatom\n") and not valid_denom("ua") and not valid_denom("1atom")


@given(st.lists(st.tuples(denoms, st.integers(min_value=0, max_value=10**40)), max_size=6))
def test_format_then_parse_round_trips(items: list[tuple[str, int]]) -> None:
    unique = dict(items)
    coins = tuple(Coin(d, a) for d, a in sorted(unique.items()) if a > 0)
    assert parse_coins(format_coins(coins)) == coins
    assert parse_coins(", ".join(f" {a} {d} " for d, a in unique.items())) == coins


@given(st.text(max_size=40))
def test_any_text_is_coins_or_a_coin_error(text: str) -> None:
    try:
        coins = parse_coins(text)
    except CoinError as exc:
        assert str(exc)
        return
    assert all(valid_denom(c.denom) and c.amount > 0 for c in coins)
    assert [c.denom for c in coins] == sorted({c.denom for c in coins})


@given(denoms, st.decimals(min_value=0, max_value=10**12, places=6, allow_nan=False, allow_infinity=False))
def test_dec_coin(denom: str, amount: Decimal) -> None:
    assert parse_dec_coin(f"{amount}{denom}") == (amount, denom)
    if amount == amount.to_integral_value():
        assert parse_coin(f"{amount}{denom}") == Coin(denom, int(amount))
