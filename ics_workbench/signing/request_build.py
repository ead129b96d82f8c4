"""Building a signing request on the online machine from a chosen key and a connected chain (no Qt here).

This is the GUI's counterpart of ``ics-workbench tx request``: the same core calls in the same order
(account from the node, public key from the key record or else from the chain, ``request_from_gaiad_json`` or
``build_unsigned_tx`` + ``create_request``), plus the fee simulation the CLI leaves to gaiad. It runs on a
runtime worker and returns an unsigned :class:`~ics_workbench.signing.offline_file.SigningFile`.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ics_workbench.errors import WorkbenchError
from ics_workbench.signing import fees
from ics_workbench.signing.broadcast import AccountInfo, Broadcaster
from ics_workbench.signing.keystore import KeyRecord
from ics_workbench.signing.offline_file import SigningFile, create_request, request_from_gaiad_json
from ics_workbench.signing.tx import SignerSpec, SignMode, build_unsigned_tx
from ics_workbench.tasks import Job


@dataclass(frozen=True)
class ChainTarget:
    """Where the request is for: the connected chain's id, REST URL and fee settings (from its profile)."""

    chain_id: str
    rest_url: str
    fee_denom: str | None
    """None: read from the chain at build time (see ``fees.chain_gas_price``)"""
    gas_price: Decimal | None
    ics_version: str | None = None
    profile: str = ""


def _account(target: ChainTarget, address: str, job: Job) -> AccountInfo:
    with Broadcaster(target.rest_url) as client:
        node_chain = client.chain_id(job=job)
        if node_chain != target.chain_id:
            raise WorkbenchError(f"the node at {target.rest_url} serves chain {node_chain!r}, not {target.chain_id!r}")
        return client.account(address, job=job)


def _public_key(record: KeyRecord, account: AccountInfo) -> bytes:
    if record.public_key_bytes is not None:
        return record.public_key_bytes
    if account.pubkey:
        return base64.b64decode(account.pubkey)
    raise WorkbenchError(
        f"the public key of {record.address} is unknown (watch-only account without a public key, and the chain "
        "has none yet because it never signed): add the watch-only account again with its public key"
    )


def from_gaiad_json(
    unsigned_json: Any, record: KeyRecord, target: ChainTarget, mode: SignMode, job: Job
) -> SigningFile:
    account = _account(target, record.address, job)
    signer = SignerSpec(public_key=_public_key(record, account), sequence=account.sequence, mode=mode)
    return request_from_gaiad_json(unsigned_json, signer=signer, address=record.address, chain_id=target.chain_id,
                                   account_number=account.account_number, ics_version=target.ics_version)


def from_messages(messages: Sequence[Any], record: KeyRecord, target: ChainTarget, mode: SignMode, *,
                  adjustment: Decimal, memo: str, ics_version: str | None, job: Job) -> SigningFile:
    """Messages handed over by another panel: account data and simulated gas from the node, fee priced with the
    profile's gas price, and the provenance recorded in the file for the signer to see."""
    account = _account(target, record.address, job)
    signer = SignerSpec(public_key=_public_key(record, account), sequence=account.sequence, mode=mode)
    job.progress(0.3, "reading the chain's fee settings")
    price = fees.chain_gas_price(target.rest_url, fee_denom=target.fee_denom, gas_price=target.gas_price)
    job.progress(0.4, "simulating gas")
    try:
        gas = fees.simulate(target.rest_url,
                            fees.simulation_tx_bytes(messages, [signer], fee_denom=price.gas_price.denom, memo=memo,
                                                     ics_version=ics_version))
    except WorkbenchError as error:
        raise fees.explain_simulation_error(error, fee_denom=price.gas_price.denom, payer=record.address,
                                            profile=target.profile or target.chain_id,
                                            staking_denom=price.staking_denom) from None
    job.check()
    estimate = fees.estimate(price.gas_price, simulated_gas=gas, adjustment=adjustment)
    unsigned = build_unsigned_tx(messages, signers=[signer], fee=estimate.fee, memo=memo, ics_version=ics_version)
    provenance = estimate.to_json() | {"source": f"simulated on {target.rest_url}: {estimate.describe()}",
                                       "gas_price_source": price.source}
    return create_request(unsigned, chain_id=target.chain_id, address=record.address,
                          account_number=account.account_number, sequence=account.sequence,
                          fee_provenance=provenance)
