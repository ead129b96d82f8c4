"""Throwaway keys of one devnet run: account mnemonics and ed25519 consensus keys, generated per run.

Nothing here is ever committed or logged: the reprs hide the secrets, because a test failure report or a log
line is exactly where a habit of printing keys would leak a real one some day.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

from mnemonic import Mnemonic
from nacl.signing import SigningKey

from ics_workbench.addresses import consensus_address, encode_address

ACCOUNT_PREFIX = "cosmos"
VALOPER_PREFIX = "cosmosvaloper"
VALCONS_PREFIX = "cosmosvalcons"


def new_mnemonic() -> str:
    """A fresh 24-word BIP-39 mnemonic (256 bits of entropy from the OS)."""
    return Mnemonic("english").generate(strength=256)


@dataclass(frozen=True)
class ConsensusKey:
    """An ed25519 CometBFT consensus key (a validator's provider key or a key assigned on a consumer)."""

    seed: bytes = field(repr=False)

    @classmethod
    def generate(cls) -> ConsensusKey:
        return cls(bytes(SigningKey.generate()))

    @property
    def public_key(self) -> bytes:
        return bytes(SigningKey(self.seed).verify_key)

    @property
    def public_key_b64(self) -> str:
        return base64.b64encode(self.public_key).decode()

    @property
    def address(self) -> bytes:
        """CometBFT address: the first 20 bytes of sha256(pubkey)."""
        address = consensus_address("ed25519", self.public_key)
        assert address is not None  # ed25519 is a known key type
        return address

    @property
    def valcons(self) -> str:
        return encode_address(self.address, VALCONS_PREFIX)

    def pubkey_json(self) -> str:
        """The protobuf-JSON form the SDK CLI takes (`gentx --pubkey`, `opt-in`, `assign-consensus-key`)."""
        return json.dumps({"@type": "/cosmos.crypto.ed25519.PubKey", "key": self.public_key_b64})

    def sign(self, message: bytes) -> bytes:
        """Raw 64-byte ed25519 signature, e.g. over CometBFT vote sign bytes."""
        return SigningKey(self.seed).sign(message).signature

    def priv_validator_key_json(self) -> str:
        """CometBFT's `priv_validator_key.json` for this key (secret: written only into the devnet's home)."""
        return json.dumps(
            {
                "address": self.address.hex().upper(),
                "pub_key": {"type": "tendermint/PubKeyEd25519", "value": self.public_key_b64},
                "priv_key": {
                    "type": "tendermint/PrivKeyEd25519",
                    "value": base64.b64encode(self.seed + self.public_key).decode(),
                },
            },
            indent=2,
        )


@dataclass(frozen=True)
class DevnetAccount:
    """A funded account in the devnet's test keyring; validators also carry their operator and consensus ids."""

    name: str
    address: str
    mnemonic: str = field(repr=False)
    valoper: str | None = None
    consensus_key: ConsensusKey | None = None
    self_delegation: int = 0

    @property
    def valcons(self) -> str | None:
        return self.consensus_key.valcons if self.consensus_key else None

    @property
    def is_validator(self) -> bool:
        return self.valoper is not None
