"""The vote, weighted-vote and deposit messages, checked the way the chain checks them before they are signed.

Why check here: a weighted vote whose weights add up to 0.999… or a deposit in an unsorted coin list is refused
by the node only after the user went through the whole (maybe air-gapped) signing round; the rules below are
the gov module's (x/gov/types/v1 ``ValidWeightedVoteOption`` and the msg server's checks, ``LegacyDec``
parsing with 18 decimals, ``sdk.Coins.Validate``), so the error appears while the form is still open.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from ics_workbench.addresses import decode_address
from ics_workbench.chain.models import GovParams
from ics_workbench.errors import WorkbenchError
from ics_workbench.gov.deposit_rules import deposit_refusal
from ics_workbench.proposals.deposit import CoinsError, parse_coins

LEGACY_PRECISION = 18
# LegacyNewDecFromStr: optional sign, integer digits, and if there is a '.', at least one digit on each side.
_LEGACY_DEC = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]+))?")
MAX_METADATA = 255  # gov params max_metadata_len default; a longer vote metadata is refused by the node


class GovMessageError(WorkbenchError):
    """A vote or deposit the chain would refuse; the message names the field and the rule."""


class VoteOption(Enum):
    YES = 1
    ABSTAIN = 2
    NO = 3
    NO_WITH_VETO = 4

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").lower()

    @classmethod
    def parse(cls, text: str) -> VoteOption:
        """"yes", "no_with_veto", "no-with-veto", "VOTE_OPTION_NO", "veto" -> the option."""
        key = text.strip().upper().replace("-", "_").replace(" ", "_").removeprefix("VOTE_OPTION_")
        if key == "VETO":
            key = "NO_WITH_VETO"
        try:
            return cls[key]
        except KeyError:
            raise GovMessageError(f"vote option {text!r} is not one of yes, abstain, no, no_with_veto") from None


def parse_legacy_dec(text: str, *, field: str = "weight") -> Decimal:
    """``math.LegacyNewDecFromStr``: up to 18 decimals, no exponent, no bare '.5' or '5.'."""
    match = _LEGACY_DEC.fullmatch(text)
    if not match:
        raise GovMessageError(f"{field} {text!r} is not a decimal number like 0.25 (no exponent, no spaces)")
    if match[3] is not None and len(match[3]) > LEGACY_PRECISION:
        raise GovMessageError(f"{field} {text!r} has more than {LEGACY_PRECISION} decimal places")
    return Decimal(text)


@dataclass(frozen=True)
class WeightedOption:
    option: VoteOption
    weight: str
    """the weight exactly as it goes on chain (a LegacyDec string)"""


def parse_weighted(spec: str | Mapping[str, str]) -> list[WeightedOption]:
    """``"yes=0.6,no=0.4"`` (or a mapping) -> options, checked like the chain: each weight > 0 and <= 1, no
    option twice, and the weights summing to exactly 1."""
    pairs: list[tuple[str, str]]
    if isinstance(spec, str):
        pairs = []
        for part in (p for p in spec.split(",") if p.strip()):
            if "=" not in part:
                raise GovMessageError(f"weighted vote part {part.strip()!r} is not option=weight (e.g. yes=0.6)")
            option, weight = part.split("=", 1)
            pairs.append((option, weight.strip()))
    else:
        pairs = list(spec.items())
    options = [WeightedOption(VoteOption.parse(o), w) for o, w in pairs]
    check_weighted(options)
    return options


def check_weighted(options: Sequence[WeightedOption]) -> None:
    if not options:
        raise GovMessageError("a weighted vote needs at least one option")
    total = Decimal(0)
    seen: set[VoteOption] = set()
    for item in options:
        weight = parse_legacy_dec(item.weight, field=f"weight of {item.option.label}")
        if weight <= 0 or weight > 1:
            raise GovMessageError(f"weight of {item.option.label} is {item.weight}; each weight must be > 0 and <= 1")
        if item.option in seen:
            raise GovMessageError(f"option {item.option.label} is given twice")
        seen.add(item.option)
        total += weight
    if total != 1:
        raise GovMessageError(f"the weights add up to {total.normalize():f}; they must add up to exactly 1")


def _check_voter(address: str, field: str) -> None:
    try:
        decode_address(address)
    except WorkbenchError as exc:
        raise GovMessageError(f"{field}: {exc}") from None


def _check_metadata(metadata: str) -> None:
    if len(metadata) > MAX_METADATA:
        raise GovMessageError(f"metadata is {len(metadata)} characters; the gov module allows {MAX_METADATA}")


def _check_id(proposal_id: int) -> None:
    if isinstance(proposal_id, bool) or not isinstance(proposal_id, int) or not 0 < proposal_id < 2**64:
        raise GovMessageError(f"proposal id {proposal_id!r} is not a positive 64-bit number")


def vote_message(proposal_id: int, voter: str, option: VoteOption, *, metadata: str = "", api: str = "v1") -> Any:
    """``cosmos.gov.v1.MsgVote`` (or v1beta1 for a chain without gov v1)."""
    _check_id(proposal_id)
    _check_voter(voter, "voter")
    if api == "v1beta1":
        from cosmpy.protos.cosmos.gov.v1beta1 import tx_pb2 as legacy

        return legacy.MsgVote(proposal_id=proposal_id, voter=voter, option=option.value)
    from cosmpy.protos.cosmos.gov.v1 import tx_pb2

    _check_metadata(metadata)
    return tx_pb2.MsgVote(proposal_id=proposal_id, voter=voter, option=option.value, metadata=metadata)


def weighted_vote_message(proposal_id: int, voter: str, options: Sequence[WeightedOption], *, metadata: str = "",
                          api: str = "v1") -> Any:
    _check_id(proposal_id)
    _check_voter(voter, "voter")
    check_weighted(options)
    if api == "v1beta1":
        from cosmpy.protos.cosmos.gov.v1beta1 import gov_pb2 as legacy_gov, tx_pb2 as legacy

        # v1beta1 carries sdk.Dec in its 18-decimal integer form on the wire (gogoproto customtype).
        return legacy.MsgVoteWeighted(proposal_id=proposal_id, voter=voter, options=[
            legacy_gov.WeightedVoteOption(option=o.option.value, weight=_dec_wire(o.weight)) for o in options])
    from cosmpy.protos.cosmos.gov.v1 import gov_pb2, tx_pb2

    _check_metadata(metadata)
    return tx_pb2.MsgVoteWeighted(proposal_id=proposal_id, voter=voter, metadata=metadata, options=[
        gov_pb2.WeightedVoteOption(option=o.option.value, weight=_dec_string(o.weight)) for o in options])


def _dec_string(weight: str) -> str:
    """The weight as the node writes a LegacyDec (18 decimals), so the signed bytes match what it re-encodes."""
    value = parse_legacy_dec(weight)
    return f"{value:.{LEGACY_PRECISION}f}"


def _dec_wire(weight: str) -> str:
    return str(int(parse_legacy_dec(weight).scaleb(LEGACY_PRECISION)))


def deposit_coins(text: str) -> list[tuple[str, int]]:
    """``"10000000stake"`` -> sorted (denom, amount) pairs, refused like ``sdk.Coins.Validate`` would."""
    try:
        coins = parse_coins(text)
    except CoinsError as exc:
        raise GovMessageError(f"amount: {exc}") from None
    if not coins:
        raise GovMessageError("amount: give at least one coin, e.g. 10000000stake")
    for denom, amount in coins.items():
        if amount <= 0:
            raise GovMessageError(f"amount: {amount}{denom} is not positive")
    return sorted(coins.items())


def deposit_message(proposal_id: int, depositor: str, amount: str, *, api: str = "v1", gov: GovParams | None = None,
                    expedited: bool = False) -> Any:
    """``MsgDeposit``; with the chain's ``gov`` params (and whether the proposal is ``expedited``) a deposit the
    keeper would refuse (denom, ``min_deposit_ratio``) is refused here, before signing."""
    _check_id(proposal_id)
    _check_voter(depositor, "depositor")
    coins = deposit_coins(amount)
    refusal = deposit_refusal(dict(coins), gov, expedited=expedited) if gov is not None else None
    if refusal:
        raise GovMessageError(f"amount: {refusal}")
    from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

    proto_coins = [Coin(denom=d, amount=str(a)) for d, a in coins]
    if api == "v1beta1":
        from cosmpy.protos.cosmos.gov.v1beta1 import tx_pb2 as legacy

        return legacy.MsgDeposit(proposal_id=proposal_id, depositor=depositor, amount=proto_coins)
    from cosmpy.protos.cosmos.gov.v1 import tx_pb2

    return tx_pb2.MsgDeposit(proposal_id=proposal_id, depositor=depositor, amount=proto_coins)


@dataclass(frozen=True)
class GovSigningRequest:
    """Gov messages handed to the signing flow (same shape as ``proposals.handoff.SigningRequest``)."""

    signer: str
    messages: tuple[Any, ...]
    ics_version: str | None = None
    description: str = ""
    profile: str | None = None
    """the connection profile the messages are for (the request builder preselects that chain)"""
    key: str | None = None
    """the key or watch-only account chosen (several may share the signer's address)"""

    def protobuf_messages(self) -> list[Any]:
        return list(self.messages)
