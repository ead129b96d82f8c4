"""Shared builders for the signing tests (deterministic keys and representative messages)."""

from __future__ import annotations

import importlib

from ics_workbench import addresses
from ics_workbench.proto import provider_tx_pb2 as ics
from ics_workbench.signing.secp256k1 import PrivateKeySigner
from ics_workbench.signing.tx import Fee, SignerData, SignerSpec, SignMode, UnsignedTx, build_unsigned_tx

gov = importlib.import_module("cosmos.gov.v1.tx_pb2")
gov_types = importlib.import_module("cosmos.gov.v1.gov_pb2")
bank = importlib.import_module("cosmos.bank.v1beta1.tx_pb2")

KEY_HEX = ["1f" * 32, "c0ffee" + "00" * 28 + "42", "0123456789abcdef" * 4]
CHAIN = SignerData(chain_id="provider", account_number=12, sequence=7)


def signer(i: int = 0) -> PrivateKeySigner:
    return PrivateKeySigner(bytes.fromhex(KEY_HEX[i]))


def address(i: int = 0, prefix: str = "cosmos") -> str:
    return addresses.encode_address(addresses.address_bytes_from_public_key(signer(i).public_key()), prefix)


def vote(voter: str, proposal_id: int = 3) -> object:
    return gov.MsgVote(proposal_id=proposal_id, voter=voter, option=gov_types.VOTE_OPTION_YES)


def opt_in(signer_address: str) -> object:
    return ics.MsgOptIn(provider_addr=addresses.convert_address(signer_address, "cosmosvaloper"), signer=signer_address,
                        consumer_id="0",
                        consumer_key='{"@type":"/cosmos.crypto.ed25519.PubKey","key":"Ui5Gf1+mtWUdH8u3xlmzdKID+F3PK0sfXZ73GZ6q6is="}')


def send(from_address: str, to_address: str) -> object:
    msg = bank.MsgSend(from_address=from_address, to_address=to_address)
    msg.amount.add(denom="stake", amount="1000")
    return msg


def unsigned(messages: list[object], mode: SignMode = SignMode.DIRECT, *, i: int = 0, memo: str = "",
             sequence: int = CHAIN.sequence, fee: str = "2500stake", gas: int = 200_000) -> UnsignedTx:
    return build_unsigned_tx(messages, signers=[SignerSpec(signer(i).public_key(), sequence, mode)],
                             fee=Fee.of(fee, gas), memo=memo)
