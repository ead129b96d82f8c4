"""Builds real unsigned transactions (gov vote, ICS opt-in) for the offline-signing tests."""

from __future__ import annotations

import cosmpy.protos  # noqa: F401
from cosmos.base.v1beta1 import coin_pb2
from cosmos.crypto.secp256k1 import keys_pb2
from cosmos.gov.v1 import gov_pb2
from cosmos.gov.v1 import tx_pb2 as gov_tx
from cosmos.tx.signing.v1beta1 import signing_pb2
from cosmos.tx.v1beta1 import tx_pb2
from google.protobuf import any_pb2

from ics_workbench.proto import provider_tx_pb2, registry
from ics_workbench.signing.keys import address_bytes_from_public_key, encode_address
from ics_workbench.signing.offline_file import SigningFile, create_request


def vote_body(voter: str, proposal_id: int = 7, memo: str = "offline vote") -> bytes:
    vote = gov_tx.MsgVote(proposal_id=proposal_id, voter=voter, option=gov_pb2.VOTE_OPTION_YES)
    return tx_pb2.TxBody(messages=[registry.pack(vote)], memo=memo).SerializeToString()


def opt_in_body(signer: str) -> bytes:
    msg = provider_tx_pb2.MsgOptIn(provider_addr="cosmosvaloper1r5v5srda7xfth3hn2s26txvrcrntldju7lnwmt",
                                   signer=signer, consumer_id="0")
    return tx_pb2.TxBody(messages=[registry.pack(msg)]).SerializeToString()


def auth_info(pubkey: bytes, sequence: int, *, gas: int = 200000, fee: str = "5000",
              mode: int = signing_pb2.SIGN_MODE_DIRECT) -> bytes:
    key = any_pb2.Any(type_url="/cosmos.crypto.secp256k1.PubKey",
                      value=keys_pb2.PubKey(key=pubkey).SerializeToString())
    info = tx_pb2.SignerInfo(public_key=key, sequence=sequence,
                             mode_info=tx_pb2.ModeInfo(single=tx_pb2.ModeInfo.Single(mode=mode)))
    return tx_pb2.AuthInfo(signer_infos=[info], fee=tx_pb2.Fee(amount=[coin_pb2.Coin(denom="stake", amount=fee)],
                                                               gas_limit=gas)).SerializeToString()


def vote_request(pubkey: bytes, *, chain_id: str = "provider", account_number: int = 12, sequence: int = 3,
                 prefix: str = "cosmos") -> SigningFile:
    address = encode_address(address_bytes_from_public_key(pubkey), prefix)
    return create_request(
        body_bytes=vote_body(address), auth_info_bytes=auth_info(pubkey, sequence), chain_id=chain_id,
        address=address, account_number=account_number, sequence=sequence,
        fee_provenance={"simulated_gas": "133000", "gas_adjustment": "1.5", "gas_price": "0.025stake"},
    )
