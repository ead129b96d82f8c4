"""Validator sets as evidence needs them: who holds which consensus key, with what power.

A double vote names only an address; the key that signed it comes from the consumer's validator set at the
infraction height (RPC ``/validators?height=``, all pages) or from the validator set inside an infraction
header (what the provider itself uses). Both JSON dialects are read here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ics_workbench.evidence.model import ParseError, PubKey
from ics_workbench.evidence.parse import PROTO, RPC, _bytes, _int, _object, parse_pubkey


@dataclass(frozen=True)
class ValidatorEntry:
    address: bytes
    pubkey: PubKey
    voting_power: int
    proposer_priority: int = 0


def parse_validator(obj: Any, path: str, origin: str) -> ValidatorEntry:
    obj = _object(obj, path)
    address = obj.get("address")
    dialect = RPC if isinstance(address, str) and len(address) == 40 else PROTO
    return ValidatorEntry(
        address=_bytes(address, f"{path}.address", dialect),
        pubkey=parse_pubkey(obj.get("pub_key"), origin, f"{path}.pub_key"),
        voting_power=_int(obj.get("voting_power"), f"{path}.voting_power"),
        proposer_priority=_int(obj.get("proposer_priority"), f"{path}.proposer_priority"),
    )


def parse_validator_set(obj: Any, path: str = "validator_set", origin: str = "validator set") -> list[ValidatorEntry]:
    """RPC ``/validators`` (envelope, ``result`` or bare) or a proto-JSON ``ValidatorSet``."""
    obj = _object(obj, path)
    if "result" in obj:
        obj, path = _object(obj["result"], f"{path}.result"), f"{path}.result"
    validators = obj.get("validators")
    if not isinstance(validators, list):
        raise ParseError(f"{path}.validators", "must be a list of validators")
    return [parse_validator(v, f"{path}.validators[{i}]", origin) for i, v in enumerate(validators)]


def find_by_address(validators: Sequence[ValidatorEntry], address: bytes) -> ValidatorEntry | None:
    for entry in validators:
        if entry.address == address:
            return entry
    return None


def header_validator_set(header: Any, path: str = "infraction_block_header") -> list[ValidatorEntry]:
    """The validator set of an IBC tendermint ``Header`` (proto-JSON), the provider's pubkey source."""
    obj = _object(header, path)
    if "validator_set" not in obj:
        raise ParseError(f"{path}.validator_set", "is missing: the provider takes the public key from it")
    return parse_validator_set(obj["validator_set"], f"{path}.validator_set", origin="infraction header")


def pubkey_from_user(text: str) -> PubKey:
    """A key typed or pasted by the user (base64 or any JSON key form)."""
    return parse_pubkey(text, "given by the user", "--pubkey")


def header_chain_id(header: Mapping[str, Any]) -> str:
    signed = header.get("signed_header") or {}
    inner = signed.get("header") if isinstance(signed, Mapping) else None
    return str(inner.get("chain_id", "")) if isinstance(inner, Mapping) else ""

