"""Local verification of double-vote evidence, one named step at a time.

The steps mirror what CometBFT's ``DuplicateVoteEvidence.ValidateBasic`` and the provider's
``VerifyDoubleVotingEvidence`` check, so a user sees *which* rule a forged or damaged file breaks before
spending a transaction on it. Every step always produces a result: a step that cannot run (no public key)
is ``skipped`` with the reason, and the evidence is only ``valid`` when every step passed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

import nacl.bindings
import nacl.exceptions

from ics_workbench.evidence.model import (
    ADDRESS_SIZE,
    ED25519_PUBKEY_SIZE,
    ED25519_SIGNATURE_SIZE,
    HASH_SIZE,
    DuplicateVoteEvidence,
    PubKey,
    Vote,
    VoteType,
)
from ics_workbench.evidence.signbytes import vote_sign_bytes

MAX_SIGNATURE_SIZE = 64


class Status(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str

    @property
    def ok(self) -> bool:
        return self.status is Status.PASSED


@dataclass(frozen=True)
class Verdict:
    checks: tuple[Check, ...]
    chain_id: str
    pubkey: PubKey | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.status is Status.FAILED]

    @property
    def summary(self) -> str:
        if self.valid:
            return "valid double vote"
        failed = self.failed
        if failed:
            return "invalid: " + "; ".join(f"{c.name}: {c.detail}" for c in failed)
        skipped = [c.name for c in self.checks if c.status is Status.SKIPPED]
        return "not verified: " + ", ".join(skipped) + " skipped"


def verify_ed25519(pubkey: bytes, message: bytes, signature: bytes) -> bool:
    """libsodium's ed25519 verify; False for any bad input rather than an exception.

    CometBFT verifies with ZIP-215 rules, which also accept some non-canonical encodings libsodium rejects;
    everything libsodium accepts ZIP-215 accepts too, so a "valid" here is never a false positive, while a
    deliberately non-canonical signature could be reported invalid although the chain would take it.
    """
    if len(pubkey) != ED25519_PUBKEY_SIZE or len(signature) != ED25519_SIGNATURE_SIZE:
        return False
    try:
        nacl.bindings.crypto_sign_open(signature + message, pubkey)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, ValueError):
        return False
    return True


def vote_problems(vote: Vote) -> list[str]:
    """CometBFT ``Vote.ValidateBasic`` rules, plus ed25519's exact signature size, as readable problems."""
    problems: list[str] = []
    if vote.type not in (VoteType.PREVOTE, VoteType.PRECOMMIT):
        problems.append(f"type {vote.type} is not a prevote (1) or precommit (2)")
    if vote.height <= 0:
        problems.append(f"height {vote.height} must be > 0")
    if vote.round < 0:
        problems.append(f"round {vote.round} must be >= 0")
    bid = vote.block_id
    for label, value in (("block_id.hash", bid.hash), ("block_id.part_set_header.hash", bid.part_set_header.hash)):
        if len(value) not in (0, HASH_SIZE):
            problems.append(f"{label} is {len(value)} bytes, must be 0 or {HASH_SIZE}")
    if not bid.is_zero and not bid.is_complete:
        problems.append(
            "block_id must be either empty (nil vote) or complete (32-byte hash, total > 0, 32-byte part hash)"
        )
    if len(vote.validator_address) != ADDRESS_SIZE:
        problems.append(f"validator_address is {len(vote.validator_address)} bytes, must be {ADDRESS_SIZE}")
    if vote.validator_index < 0:
        problems.append(f"validator_index {vote.validator_index} must be >= 0")
    if not vote.signature:
        problems.append("signature is missing")
    elif len(vote.signature) > MAX_SIGNATURE_SIZE:
        problems.append(f"signature is {len(vote.signature)} bytes, more than the maximum {MAX_SIGNATURE_SIZE}")
    elif len(vote.signature) != ED25519_SIGNATURE_SIZE:
        problems.append(f"signature is {len(vote.signature)} bytes; an ed25519 signature is {ED25519_SIGNATURE_SIZE}")
    if (vote.type != VoteType.PRECOMMIT or bid.is_zero) and (vote.extension or vote.extension_signature):
        problems.append("vote extension on a vote that is not a precommit for a block")
    if len(vote.extension_signature) > MAX_SIGNATURE_SIZE:
        problems.append(f"extension_signature is {len(vote.extension_signature)} bytes, more than {MAX_SIGNATURE_SIZE}")
    return problems


def verify_double_vote(evidence: DuplicateVoteEvidence, chain_id: str, pubkey: PubKey | None) -> Verdict:
    """Run every step; ``pubkey`` None means no key source was available (signature steps are skipped)."""
    a, b = evidence.vote_a, evidence.vote_b
    checks: list[Check] = []

    problems = [f"vote_a: {p}" for p in vote_problems(a)] + [f"vote_b: {p}" for p in vote_problems(b)]
    checks.append(
        _result("votes well formed", not problems, "; ".join(problems) or "both votes follow CometBFT's rules")
    )

    same = [
        (label, x, y)
        for label, x, y in (("height", a.height, b.height), ("round", a.round, b.round), ("type", a.type, b.type))
        if x != y
    ]
    checks.append(
        _result(
            "same height/round/type",
            not same,
            "; ".join(f"{label} {x} vs {y}" for label, x, y in same)
            or f"height {a.height}, round {a.round}, {a.type_name}",
        )
    )
    checks.append(
        _result(
            "same validator",
            a.validator_address == b.validator_address,
            f"{a.validator_address.hex().upper()}"
            if a.validator_address == b.validator_address
            else f"vote_a by {a.validator_address.hex().upper()}, vote_b by {b.validator_address.hex().upper()}",
        )
    )
    differ = a.block_id != b.block_id
    checks.append(
        _result(
            "different block ids",
            differ,
            f"{a.block_id.short()} vs {b.block_id.short()}"
            if differ
            else f"both votes are for the same block {a.block_id.short()}: not a double vote",
        )
    )
    if differ:
        ordered = a.block_id.key() < b.block_id.key()
        checks.append(
            _result(
                "block id order",
                ordered,
                "vote_a's BlockID.Key() sorts before vote_b's"
                if ordered
                else "vote_a's BlockID.Key() must sort before vote_b's (CometBFT: "
                     "'duplicate votes in invalid order'); swap the votes",
            )
        )
    else:
        checks.append(Check("block id order", Status.SKIPPED, "the block ids are equal"))

    checks.extend(_key_checks(evidence, chain_id, pubkey))
    return Verdict(tuple(checks), chain_id, pubkey)


def _key_checks(evidence: DuplicateVoteEvidence, chain_id: str, pubkey: PubKey | None) -> list[Check]:
    names = ("public key", "public key matches address", "signature of vote_a", "signature of vote_b")
    if pubkey is None:
        reason = "no public key: pass --pubkey, --rpc (validator set at the infraction height) or a header"
        return [Check(name, Status.SKIPPED if i else Status.FAILED, reason) for i, name in enumerate(names)]
    key_problem = ""
    if pubkey.type != "ed25519":
        key_problem = f"wrong key type {pubkey.type!r} (from {pubkey.origin}); consensus votes are ed25519"
    elif len(pubkey.key) != ED25519_PUBKEY_SIZE:
        key_problem = f"key is {len(pubkey.key)} bytes (from {pubkey.origin}); an ed25519 key is {ED25519_PUBKEY_SIZE}"
    if key_problem:
        return [Check(names[0], Status.FAILED, key_problem)] + [
            Check(name, Status.SKIPPED, "no usable public key") for name in names[1:]
        ]
    checks = [Check(names[0], Status.PASSED, f"ed25519 key from {pubkey.origin}")]
    address = pubkey.address()
    matches = address == evidence.vote_a.validator_address
    checks.append(
        _result(
            names[1],
            matches,
            f"sha256(key)[:20] = {address.hex().upper()}"
            + ("" if matches else f", vote address is {evidence.vote_a.validator_address.hex().upper()}"),
        )
    )
    for name, vote in ((names[2], evidence.vote_a), (names[3], evidence.vote_b)):
        good = verify_ed25519(pubkey.key, vote_sign_bytes(chain_id, vote), vote.signature)
        checks.append(
            _result(
                name,
                good,
                f"verifies over the sign bytes for chain id {chain_id!r}"
                if good
                else f"does not verify over the sign bytes for chain id {chain_id!r} "
                "(forged, altered after signing, wrong key, or another chain id)",
            )
        )
    return checks


def _result(name: str, ok: bool, detail: str) -> Check:
    return Check(name, Status.PASSED if ok else Status.FAILED, detail)


def verify_votes_batch(items: Sequence[tuple[bytes, str, Vote]]) -> list[bool]:
    """Signature validity of many ``(pubkey, chain_id, vote)`` triples (commit checks, the benchmark)."""
    return [verify_ed25519(key, vote_sign_bytes(chain_id, vote), vote.signature) for key, chain_id, vote in items]
