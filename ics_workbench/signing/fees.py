"""Gas and fees: simulate against a node, apply an adjustable multiplier, price the gas, and keep the provenance.

Why keep provenance: the signer (possibly on an air-gapped machine, long after the estimate) should see where the
fee came from - simulated gas x adjustment = gas limit, x gas price = fee (rounded UP, as the SDK's min-gas-price
check compares ceil(price x gas)) - not just a number.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.errors import EndpointError, WorkbenchError
from ics_workbench.foundation.coins import CoinError, parse_dec_coin
from ics_workbench.signing.tx import Coin, Fee, SignerSpec, TxError, assemble, build_unsigned_tx

DEFAULT_ADJUSTMENT = Decimal("1.3")


@dataclass(frozen=True)
class GasPrice:
    amount: Decimal
    denom: str

    @classmethod
    def parse(cls, text: str) -> GasPrice:
        """"0.005uatom" -> GasPrice."""
        try:
            amount, denom = parse_dec_coin(text)
        except CoinError:
            raise WorkbenchError(
                f"gas price {text!r} is not a decimal amount followed by a denom, e.g. 0.005uatom"
            ) from None
        return cls(amount, denom)

    def __str__(self) -> str:
        return f"{self.amount.normalize():f}{self.denom}"


@dataclass(frozen=True)
class FeeEstimate:
    """How the fee was obtained; `simulated_gas` is None when the gas limit was given by hand."""

    simulated_gas: int | None
    adjustment: Decimal
    gas_limit: int
    gas_price: GasPrice
    fee: Fee

    def describe(self) -> str:
        source = (f"simulated {self.simulated_gas} gas x {self.adjustment} = {self.gas_limit} gas limit"
                  if self.simulated_gas is not None else f"gas limit {self.gas_limit} (set by hand)")
        return f"{source}; x {self.gas_price} = {', '.join(str(c) for c in self.fee.amount) or '0'}"

    def to_json(self) -> dict[str, Any]:
        return {"simulated_gas": self.simulated_gas, "adjustment": str(self.adjustment), "gas_limit": self.gas_limit,
                "gas_price": str(self.gas_price), "fee": [{"denom": c.denom, "amount": str(c.amount)}
                                                          for c in self.fee.amount]}


def estimate(gas_price: GasPrice, *, simulated_gas: int | None = None, gas_limit: int | None = None,
             adjustment: Decimal | str | float = DEFAULT_ADJUSTMENT, payer: str = "", granter: str = "") -> FeeEstimate:
    """Fee from simulated gas x adjustment (or an explicit gas limit) x price, rounded up to whole units."""
    try:
        adj = Decimal(str(adjustment))
    except InvalidOperation:
        raise WorkbenchError(f"gas adjustment {adjustment!r} is not a number") from None
    if adj < 1:
        raise WorkbenchError(f"gas adjustment must be >= 1 (got {adj}); a lower limit would run out of gas")
    if (simulated_gas is None) == (gas_limit is None):
        raise WorkbenchError("give either the simulated gas or an explicit gas limit")
    limit = gas_limit if gas_limit is not None else math.ceil(Decimal(simulated_gas or 0) * adj)
    if limit <= 0:
        raise WorkbenchError(f"gas limit must be positive, got {limit}")
    amount = math.ceil(gas_price.amount * limit)
    fee = Fee((Coin(gas_price.denom, amount),) if amount else (), limit, payer, granter)
    return FeeEstimate(simulated_gas, adj if simulated_gas is not None else Decimal(1), limit, gas_price, fee)


def simulation_tx_bytes(messages: Sequence[Any], signers: Sequence[SignerSpec], *, fee_denom: str | None,
                        memo: str = "", ics_version: str | None = None) -> bytes:
    """A TxRaw for /simulate: the real messages and signer infos, a placeholder fee and empty signatures
    (the node skips signature checks when simulating but charges gas for them).

    The placeholder fee is one unit of ``fee_denom``: with a zero fee the node skips deducting it, and the
    estimate then falls about 15k gas short of what the real, fee-paying transaction uses (seen on the devnet
    as "out of gas" with adjustment 1.3). Pass ``None`` only for a chain that takes no fees."""
    fee = Fee((Coin(fee_denom, 1),), 1) if fee_denom else Fee((), 1)
    unsigned = build_unsigned_tx(messages, signers=signers, fee=fee, memo=memo, ics_version=ics_version)
    return assemble(unsigned, [b""] * len(signers))


def simulate(rest_url: str, tx_bytes: bytes, *, timeout: float = 15.0) -> int:
    """Gas used according to `POST /cosmos/tx/v1beta1/simulate`; node errors (e.g. a failing message) are raised
    with the node's own message. A simulation changes nothing, so it is retried like a query."""
    with JsonHttp([Endpoint(rest_url)], timeout=timeout, retries=1) as http:
        try:
            answer = http.post("/cosmos/tx/v1beta1/simulate", {"tx_bytes": base64.b64encode(tx_bytes).decode()},
                               idempotent=True)
        except EndpointError as error:
            if error.kind != "http" or error.status is None or error.status < 400:
                raise
            reason = error.detail.removeprefix(f"HTTP {error.status}: ")
            raise TxError(f"simulation failed (HTTP {error.status}): {reason}") from None
    try:
        return int(answer.data["gas_info"]["gas_used"])
    except (KeyError, TypeError, ValueError):
        raise EndpointError(answer.url, "shape", "simulate answer has no gas_info.gas_used") from None


@dataclass(frozen=True)
class ChainGasPrice:
    """The gas price a fee is priced with, and where it came from (shown in the request's provenance)."""

    gas_price: GasPrice
    source: str
    staking_denom: str | None = None


def parse_min_gas_prices(text: str) -> list[GasPrice]:
    """The node's ``minimum-gas-prices`` (``"0.0025stake,0.1uatom"``, DecCoins with 18 decimals) as prices."""
    prices = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            prices.append(GasPrice.parse(part))
    return prices


def chain_gas_price(rest_url: str, *, fee_denom: str | None, gas_price: Decimal | None,
                    timeout: float = 10.0) -> ChainGasPrice:
    """Fee denom and gas price for a request: the profile's when it sets both (chain-registry import or the
    user), else the node's minimum gas price (for the profile's denom, or the staking denom, or its first one),
    else the staking denom at the profile's price or 0. Never a default denom the chain may not know."""
    with JsonHttp([Endpoint(rest_url)], timeout=timeout, retries=1) as http:
        try:
            staking = http.get_json("/cosmos/staking/v1beta1/params")
            params = staking.get("params") if isinstance(staking, dict) else None
            bond = params.get("bond_denom") if isinstance(params, dict) else None
        except WorkbenchError:
            bond = None  # a chain without x/staking (or an old gateway): only the profile or node minimum help
        bond = bond if isinstance(bond, str) and bond else None
        if fee_denom and gas_price is not None:
            return ChainGasPrice(GasPrice(gas_price, fee_denom), "profile", bond)
        minimum: list[GasPrice] = []
        try:
            config = http.get_json("/cosmos/base/node/v1beta1/config")
            raw = config.get("minimum_gas_price", "") if isinstance(config, dict) else ""
            minimum = parse_min_gas_prices(raw if isinstance(raw, str) else "")
        except WorkbenchError:
            minimum = []  # older nodes do not serve the config query
    wanted = fee_denom or bond
    for price in minimum:
        if price.denom == wanted:
            chosen = GasPrice(gas_price if gas_price is not None else price.amount, price.denom)
            return ChainGasPrice(chosen, f"node minimum gas price {price}", bond)
    if minimum and not fee_denom:
        return ChainGasPrice(minimum[0], f"node minimum gas price {minimum[0]}", bond)
    denom = fee_denom or bond
    if denom is None:
        raise WorkbenchError(f"{rest_url} reports no staking denom and no minimum gas price: set the fee denom and "
                             "gas price in the connection profile (Connections → Edit)")
    source = "profile denom" if fee_denom else f"staking denom {bond} (the node sets no minimum gas price)"
    return ChainGasPrice(GasPrice(gas_price if gas_price is not None else Decimal(0), denom), source, bond)


def explain_simulation_error(error: WorkbenchError, *, fee_denom: str, payer: str, profile: str,
                             staking_denom: str | None) -> WorkbenchError:
    """A failed simulation said in terms of what to change: a fee in a denom the payer does not hold is the
    common case (a profile priced in ``uatom`` on a ``stake`` chain)."""
    text = str(error)
    if "insufficient funds" in text and fee_denom in text:
        hint = f" (this chain stakes {staking_denom})" if staking_denom and staking_denom != fee_denom else ""
        return WorkbenchError(
            f"{payer} cannot pay a fee in {fee_denom}{hint}: change the fee denom of profile {profile!r} "
            "(Connections → Edit → Fee denom), or fund the account. The node said: "
            + text.removeprefix("simulation failed ").strip())
    if "insufficient fee" in text:
        return WorkbenchError(f"the fee is below the node's minimum: raise the gas price of profile {profile!r} "
                              f"(Connections → Edit → Gas price). The node said: {text}")
    return error
