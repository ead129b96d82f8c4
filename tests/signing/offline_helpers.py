"""Builds real unsigned transactions (gov vote, ICS opt-in, multisig) with the tx engine for the offline tests."""

from __future__ import annotations

import cosmpy.protos  # noqa: F401
from cosmos.gov.v1 import gov_pb2, tx_pb2 as gov_tx

from ics_workbench.addresses import address_bytes_from_public_key, encode_address
from ics_workbench.proto import provider_tx_pb2
from ics_workbench.signing.multisig import multisig_address
from ics_workbench.signing.offline_file import SigningFile, create_request
from ics_workbench.signing.tx import Fee, MultisigSpec, SignerSpec, SignMode, build_unsigned_tx

FEE = Fee.of("5000stake", 200000)
PROVENANCE = {"simulated_gas": 133000, "adjustment": "1.5", "gas_price": "0.025stake"}


def address_of(pubkey: bytes, prefix: str = "cosmos") -> str:
    return encode_address(address_bytes_from_public_key(pubkey), prefix)


def vote(voter: str, proposal_id: int = 7) -> gov_tx.MsgVote:
    return gov_tx.MsgVote(proposal_id=proposal_id, voter=voter, option=gov_pb2.VOTE_OPTION_YES)


def opt_in(signer: str) -> provider_tx_pb2.MsgOptIn:
    return provider_tx_pb2.MsgOptIn(provider_addr="cosmosvaloper1r5v5srda7xfth3hn2s26txvrcrntldju7lnwmt",
                                    signer=signer, consumer_id="0")


def vote_request(pubkey: bytes, *, chain_id: str = "provider", account_number: int = 12, sequence: int = 3,
                 mode: SignMode = SignMode.DIRECT, memo: str = "offline vote") -> SigningFile:
    address = address_of(pubkey)
    unsigned = build_unsigned_tx([vote(address)], signers=[SignerSpec(pubkey, sequence=sequence, mode=mode)],
                                 fee=FEE, memo=memo)
    return create_request(unsigned, chain_id=chain_id, address=address, account_number=account_number,
                          sequence=sequence, fee_provenance=PROVENANCE)


def multisig_vote_request(spec: MultisigSpec, *, account_number: int = 20, sequence: int = 0) -> SigningFile:
    address = multisig_address(spec, "cosmos")
    unsigned = build_unsigned_tx([vote(address)], signers=[SignerSpec(multisig=spec, sequence=sequence)], fee=FEE)
    return create_request(unsigned, chain_id="provider", address=address, account_number=account_number,
                          sequence=sequence)
