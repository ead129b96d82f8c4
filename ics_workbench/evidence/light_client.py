"""Light-client attacks: CometBFT ``LightClientAttackEvidence`` and IBC ``Misbehaviour`` (two headers).

What can be checked with no chain at hand is checked: both headers for the same chain and height, that they
commit to different blocks, every commit signature against the validator set shipped with it (precommit
sign bytes with the commit's block id and each signature's own timestamp), the power behind each commit,
and which validators signed both. Whether the headers chain to the consumer client's trusted state (the
provider's IBC check) needs the provider's consensus states and is left to the chain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ics_workbench.evidence.checks import Check, Status, Verdict, verify_ed25519
from ics_workbench.evidence.model import BlockId, ParseError
from ics_workbench.evidence.parse import PROTO, RPC, _bytes, _int, _object, _str, _timestamp, parse_block_id
from ics_workbench.evidence.signbytes import commit_sig_sign_bytes
from ics_workbench.evidence.valset import ValidatorEntry, parse_validator_set
from ics_workbench.foundation.times import Timestamp

FLAG_ABSENT, FLAG_COMMIT = 1, 2  # CometBFT BlockIDFlag values the commit check tells apart (nil votes: neither)
_FLAG_NAMES = {"BLOCK_ID_FLAG_ABSENT": 1, "BLOCK_ID_FLAG_COMMIT": 2, "BLOCK_ID_FLAG_NIL": 3, "BLOCK_ID_FLAG_UNKNOWN": 0}


@dataclass(frozen=True)
class CommitSig:
    flag: int
    validator_address: bytes
    timestamp: Timestamp
    signature: bytes


@dataclass(frozen=True)
class LightHeader:
    """A signed header with the validator set that signed it (one side of an attack)."""

    chain_id: str
    height: int
    time: Timestamp
    commit_height: int
    commit_round: int
    commit_block_id: BlockId
    signatures: tuple[CommitSig, ...]
    validators: tuple[ValidatorEntry, ...]


@dataclass(frozen=True)
class CommitTally:
    signed_power: int
    total_power: int
    valid_signers: frozenset[bytes]
    bad_signatures: tuple[str, ...]


def _dialect(commit: Mapping[str, Any]) -> str:
    block_id = commit.get("block_id")
    if isinstance(block_id, Mapping) and "parts" in block_id:
        return RPC
    return PROTO


def parse_light_header(signed_header: Any, validator_set: Any, path: str) -> LightHeader:
    sh = _object(signed_header, f"{path}.signed_header")
    header = _object(sh.get("header"), f"{path}.signed_header.header")
    commit = _object(sh.get("commit"), f"{path}.signed_header.commit")
    dialect = _dialect(commit)
    sigs_raw = commit.get("signatures") or []
    if not isinstance(sigs_raw, list):
        raise ParseError(f"{path}.signed_header.commit.signatures", "must be a list")
    sigs = []
    for i, raw in enumerate(sigs_raw):
        sp = f"{path}.signed_header.commit.signatures[{i}]"
        raw = _object(raw, sp)
        flag = raw.get("block_id_flag")
        flag = _FLAG_NAMES[flag] if isinstance(flag, str) and flag in _FLAG_NAMES else _int(flag, f"{sp}.block_id_flag")
        sigs.append(
            CommitSig(
                flag=flag,
                validator_address=_bytes(raw.get("validator_address"), f"{sp}.validator_address", dialect),
                timestamp=_timestamp(raw.get("timestamp"), f"{sp}.timestamp"),
                signature=_bytes(raw.get("signature"), f"{sp}.signature", PROTO),
            )
        )
    return LightHeader(
        chain_id=_str(header.get("chain_id"), f"{path}.signed_header.header.chain_id"),
        height=_int(header.get("height"), f"{path}.signed_header.header.height"),
        time=_timestamp(header.get("time"), f"{path}.signed_header.header.time"),
        commit_height=_int(commit.get("height"), f"{path}.signed_header.commit.height"),
        commit_round=_int(commit.get("round"), f"{path}.signed_header.commit.round"),
        commit_block_id=parse_block_id(commit.get("block_id"), f"{path}.signed_header.commit.block_id", dialect),
        signatures=tuple(sigs),
        validators=tuple(parse_validator_set(validator_set, f"{path}.validator_set", origin=f"{path} validator set")),
    )


def tally_commit(header: LightHeader) -> CommitTally:
    """Verify every commit signature against the header's own validator set."""
    by_address = {v.address: v for v in header.validators}
    signed = 0
    signers: set[bytes] = set()
    bad: list[str] = []
    for index, sig in enumerate(header.signatures):
        if sig.flag == FLAG_ABSENT:
            continue
        validator = by_address.get(sig.validator_address)
        if validator is None:
            bad.append(f"signature {index}: {sig.validator_address.hex().upper()} is not in the validator set")
            continue
        block_id = header.commit_block_id if sig.flag == FLAG_COMMIT else BlockId()
        message = commit_sig_sign_bytes(
            header.chain_id, header.commit_height, header.commit_round, block_id, sig.timestamp
        )
        if not verify_ed25519(validator.pubkey.key, message, sig.signature):
            bad.append(f"signature {index} by {sig.validator_address.hex().upper()} does not verify")
            continue
        if sig.flag == FLAG_COMMIT:
            signed += validator.voting_power
            signers.add(sig.validator_address)
    total = sum(v.voting_power for v in header.validators)
    return CommitTally(signed, total, frozenset(signers), tuple(bad))


def _commit_check(name: str, header: LightHeader) -> tuple[Check, CommitTally]:
    tally = tally_commit(header)
    enough = tally.total_power > 0 and 3 * tally.signed_power > 2 * tally.total_power
    detail = (
        f"{len(tally.valid_signers)} valid signatures for the block, power {tally.signed_power}/{tally.total_power}"
    )
    if tally.bad_signatures:
        detail += "; " + "; ".join(tally.bad_signatures[:5])
    if not enough:
        detail += " (not more than 2/3 of the power)"
    return Check(name, Status.PASSED if enough and not tally.bad_signatures else Status.FAILED, detail), tally


def check_two_headers(first: LightHeader, second: LightHeader, chain_id: str) -> list[Check]:
    checks = [
        Check(
            "same chain id",
            Status.PASSED if first.chain_id == second.chain_id == chain_id else Status.FAILED,
            f"{first.chain_id!r} / {second.chain_id!r}, expected {chain_id!r}",
        ),
        Check(
            "same height",
            Status.PASSED if first.height == second.height else Status.FAILED,
            f"{first.height} / {second.height}",
        ),
        Check(
            "conflicting blocks",
            Status.PASSED if first.commit_block_id.hash != second.commit_block_id.hash else Status.FAILED,
            f"{first.commit_block_id.short()} vs {second.commit_block_id.short()}",
        ),
    ]
    check1, tally1 = _commit_check("commit 1 signatures", first)
    check2, tally2 = _commit_check("commit 2 signatures", second)
    checks += [check1, check2]
    both = sorted(tally1.valid_signers & tally2.valid_signers)
    same_round = first.commit_round == second.commit_round
    detail = ", ".join(a.hex().upper() for a in both) or "nobody"
    if not same_round:
        detail += " (different commit rounds: an amnesia attack, the provider slashes nobody)"
    checks.append(Check("validators that signed both", Status.PASSED if both and same_round else Status.FAILED, detail))
    return checks


def verify_light_client_item(item: Mapping[str, Any], chain_id: str) -> Verdict:
    """An IBC Misbehaviour / MsgSubmitConsumerMisbehaviour, or a LightClientAttackEvidence (one block)."""
    try:
        obj = _object(item["misbehaviour"], "misbehaviour") if "misbehaviour" in item else item
        if "header_1" in obj:
            h1 = _object(obj["header_1"], "header_1")
            h2 = _object(obj.get("header_2"), "header_2")
            first = parse_light_header(h1.get("signed_header"), h1.get("validator_set"), "header_1")
            second = parse_light_header(h2.get("signed_header"), h2.get("validator_set"), "header_2")
            return Verdict(tuple(check_two_headers(first, second, chain_id)), chain_id)
        value = obj
        if obj.get("type") == "tendermint/LightClientAttackEvidence":
            value = _object(obj.get("value"), "value")
        block = _object(value.get("conflicting_block", value.get("ConflictingBlock")), "conflicting_block")
        header = parse_light_header(block.get("signed_header"), block.get("validator_set"), "conflicting_block")
        common = _int(value.get("common_height", value.get("CommonHeight")), "common_height")
    except ParseError as exc:
        return Verdict((Check("parse", Status.FAILED, str(exc)),), chain_id)
    check, tally = _commit_check("conflicting commit signatures", header)
    return Verdict(
        (
            Check("chain id", Status.PASSED if header.chain_id == chain_id else Status.FAILED, repr(header.chain_id)),
            Check(
                "common height",
                Status.PASSED if 0 < common <= header.height else Status.FAILED,
                f"{common} (conflicting block at {header.height})",
            ),
            check,
            Check(
                "conflict with the trusted chain",
                Status.SKIPPED,
                "needs the trusted header at that height from the chain (not checked offline)",
            ),
        ),
        chain_id,
        notes=(f"signers of the conflicting block: {', '.join(a.hex().upper() for a in sorted(tally.valid_signers))}",),
    )


def signers_of_both(first: LightHeader, second: LightHeader) -> list[ValidatorEntry]:
    """Validators (of the first header's set) with valid commit signatures on both conflicting blocks."""
    both = tally_commit(first).valid_signers & tally_commit(second).valid_signers
    return [v for v in first.validators if v.address in both]


def parse_misbehaviour(obj: Any) -> tuple[LightHeader, LightHeader]:
    obj = _object(obj, "misbehaviour")
    obj = obj.get("misbehaviour", obj)
    h1 = _object(obj.get("header_1"), "header_1")
    h2 = _object(obj.get("header_2"), "header_2")
    return (
        parse_light_header(h1.get("signed_header"), h1.get("validator_set"), "header_1"),
        parse_light_header(h2.get("signed_header"), h2.get("validator_set"), "header_2"),
    )


__all__: Sequence[str] = [
    "CommitSig",
    "LightHeader",
    "check_two_headers",
    "parse_light_header",
    "parse_misbehaviour",
    "signers_of_both",
    "tally_commit",
    "verify_light_client_item",
]
