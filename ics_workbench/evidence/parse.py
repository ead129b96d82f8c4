"""Read double-vote evidence from every place it shows up, into :mod:`ics_workbench.evidence.model`.

Two JSON dialects carry the same votes: CometBFT's RPC JSON (``/block``: hex hashes and addresses, ``parts``,
``TotalVotingPower``) and protobuf JSON (what ``tx provider submit-consumer-double-voting`` reads: base64
bytes, ``part_set_header``, ``total_voting_power``). The dialect is decided per vote from the keys present, so
a hand-edited file mixing them still reads. Every failure is a :class:`ParseError` naming the JSON path.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ics_workbench.evidence.model import (
    BlockId,
    DuplicateVoteEvidence,
    ParseError,
    PartSetHeader,
    PubKey,
    StoredEquivocation,
    Vote,
)
from ics_workbench.foundation.times import Timestamp, parse_rfc3339

RPC = "rpc"
PROTO = "proto"

_TYPE_NAMES = {
    "SIGNED_MSG_TYPE_UNKNOWN": 0,
    "SIGNED_MSG_TYPE_PREVOTE": 1,
    "SIGNED_MSG_TYPE_PRECOMMIT": 2,
    "SIGNED_MSG_TYPE_PROPOSAL": 32,
    "PREVOTE": 1,
    "PRECOMMIT": 2,
    "PROPOSAL": 32,
}
_HEX = re.compile(r"^[0-9a-fA-F]*$")
_INT64 = (-(2**63), 2**63 - 1)
_LOG_VOTE = re.compile(r"Vote\{\d+:[0-9A-F]+ \d+/\d+/")


def loads(text: str | bytes, what: str = "file") -> Any:
    """JSON decode with an error that says where the text broke (truncated files end mid-value)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError("", f"{what} is not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise ParseError("", f"{what} is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if _LOG_VOTE.search(text):
            raise ParseError(
                "",
                "this is a CometBFT log line: its Vote{...} form shortens hashes and signatures to 6 bytes, "
                "so it cannot be verified; export the votes as JSON (e.g. from the node's consensus WAL or "
                "/dump_consensus_state)",
            ) from None
        hint = "truncated" if exc.pos >= len(text.rstrip()) else "malformed"
        raise ParseError(
            "", f"{what} is not valid JSON ({hint}: {exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None


# ---------------------------------------------------------------------------------------------------------
# scalars


def _get(obj: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if name in obj:
            return obj[name]
    return None


def _int(value: Any, path: str, *, default: int | None = 0, lo: int = _INT64[0], hi: int = _INT64[1]) -> int:
    if value is None:
        if default is None:
            raise ParseError(path, "is missing")
        return default
    if isinstance(value, bool):
        raise ParseError(path, f"must be an integer, got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"-?\d{1,20}", value.strip()):
        number = int(value.strip())
    else:
        raise ParseError(path, f"must be an integer (or a decimal string), got {value!r}"[:160])
    if not lo <= number <= hi:
        raise ParseError(path, f"{number} is out of range [{lo}, {hi}]")
    return number


def _str(value: Any, path: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ParseError(path, f"must be a string, got {type(value).__name__}")
    return value


def _b64(value: Any, path: str) -> bytes:
    text = _str(value, path).strip()
    if not text:
        return b""
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ParseError(path, f"is not valid base64: {text[:40]!r}") from None


def _hex(value: Any, path: str) -> bytes:
    text = _str(value, path).strip()
    if text[:2] in ("0x", "0X"):
        text = text[2:]
    if not _HEX.match(text) or len(text) % 2:
        raise ParseError(path, f"is not valid hex: {text[:40]!r}")
    return bytes.fromhex(text)


def _bytes(value: Any, path: str, dialect: str) -> bytes:
    return _hex(value, path) if dialect == RPC else _b64(value, path)


def _timestamp(value: Any, path: str) -> Timestamp:
    if value is None or value == "":
        return Timestamp()
    if isinstance(value, Mapping):  # protobuf message form {"seconds": .., "nanos": ..}
        return Timestamp(_int(value.get("seconds"), f"{path}.seconds"), _int(value.get("nanos"), f"{path}.nanos"))
    try:
        return parse_rfc3339(_str(value, path))
    except ValueError as exc:
        raise ParseError(path, str(exc)) from None


def _object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        kind = "missing" if value is None else f"a {type(value).__name__}, not an object"
        raise ParseError(path, f"is {kind}")
    return value


# ---------------------------------------------------------------------------------------------------------
# votes


def _vote_dialect(obj: Mapping[str, Any]) -> str:
    block_id = obj.get("block_id")
    if isinstance(block_id, Mapping):
        if "parts" in block_id:
            return RPC
        if "part_set_header" in block_id:
            return PROTO
    address = obj.get("validator_address")
    if isinstance(address, str) and len(address) == 40 and _HEX.match(address):
        return RPC
    return PROTO


def parse_vote_type(value: Any, path: str) -> int:
    if isinstance(value, str) and value.strip().upper() in _TYPE_NAMES:
        return _TYPE_NAMES[value.strip().upper()]
    return _int(value, path, lo=0, hi=2**31 - 1)


def parse_vote(obj: Any, path: str = "vote") -> Vote:
    """One vote, RPC JSON or proto-JSON."""
    obj = _object(obj, path)
    dialect = _vote_dialect(obj)
    return Vote(
        type=parse_vote_type(obj.get("type"), f"{path}.type"),
        height=_int(obj.get("height"), f"{path}.height"),
        round=_int(obj.get("round"), f"{path}.round", lo=-(2**31), hi=2**31 - 1),
        block_id=parse_block_id(obj.get("block_id"), f"{path}.block_id", dialect),
        timestamp=_timestamp(obj.get("timestamp"), f"{path}.timestamp"),
        validator_address=_bytes(obj.get("validator_address"), f"{path}.validator_address", dialect),
        validator_index=_int(obj.get("validator_index"), f"{path}.validator_index", lo=-(2**31), hi=2**31 - 1),
        signature=_b64(obj.get("signature"), f"{path}.signature"),
        extension=_b64(obj.get("extension"), f"{path}.extension"),
        extension_signature=_b64(obj.get("extension_signature"), f"{path}.extension_signature"),
    )


def parse_block_id(obj: Any, path: str, dialect: str) -> BlockId:
    if obj is None:
        return BlockId()
    obj = _object(obj, path)
    psh_key = "parts" if "parts" in obj else "part_set_header"
    psh_obj = obj.get(psh_key)
    psh = PartSetHeader()
    if psh_obj is not None:
        psh_obj = _object(psh_obj, f"{path}.{psh_key}")
        psh = PartSetHeader(
            total=_int(psh_obj.get("total"), f"{path}.{psh_key}.total", lo=0, hi=2**32 - 1),
            hash=_bytes(psh_obj.get("hash"), f"{path}.{psh_key}.hash", dialect),
        )
    return BlockId(hash=_bytes(obj.get("hash"), f"{path}.hash", dialect), part_set_header=psh)


# ---------------------------------------------------------------------------------------------------------
# duplicate vote evidence


def parse_duplicate_vote_evidence(obj: Any, path: str = "evidence", source: str = "") -> DuplicateVoteEvidence:
    """DuplicateVoteEvidence in any wrapper: RPC ``{type, value}``, proto-JSON, ``@type`` Any, Evidence oneof."""
    obj = _unwrap(_object(obj, path), path)
    if "vote_a" not in obj and "vote_b" not in obj:
        raise ParseError(path, "has no vote_a/vote_b: not a DuplicateVoteEvidence")
    return DuplicateVoteEvidence(
        vote_a=parse_vote(obj.get("vote_a"), f"{path}.vote_a"),
        vote_b=parse_vote(obj.get("vote_b"), f"{path}.vote_b"),
        total_voting_power=_int(_get(obj, "total_voting_power", "TotalVotingPower"), f"{path}.total_voting_power"),
        validator_power=_int(_get(obj, "validator_power", "ValidatorPower"), f"{path}.validator_power"),
        timestamp=_timestamp(_get(obj, "timestamp", "Timestamp"), f"{path}.timestamp"),
        source=source,
    )


def _unwrap(obj: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    if obj.get("type") == "tendermint/DuplicateVoteEvidence" and "value" in obj:
        return _object(obj["value"], f"{path}.value")
    if "duplicate_vote_evidence" in obj:
        return _object(obj["duplicate_vote_evidence"], f"{path}.duplicate_vote_evidence")
    return obj


def pair_votes(vote1: Vote, vote2: Vote, *, source: str = "raw votes") -> DuplicateVoteEvidence:
    """Two conflicting votes seen off-chain, ordered as CometBFT requires (smaller ``BlockID.Key()`` first).

    Powers and time are left at zero: they come from the chain (validator set, block time) and do not
    affect the cryptographic checks.
    """
    if vote1.block_id.key() <= vote2.block_id.key():
        vote_a, vote_b = vote1, vote2
    else:
        vote_a, vote_b = vote2, vote1
    return DuplicateVoteEvidence(vote_a=vote_a, vote_b=vote_b, timestamp=vote_a.timestamp, source=source)


def _looks_like_vote(obj: Any) -> bool:
    return isinstance(obj, Mapping) and "validator_address" in obj and "signature" in obj and "vote_a" not in obj


# ---------------------------------------------------------------------------------------------------------
# whole documents


def evidence_from_block(block_json: Any, path: str = "block") -> list[DuplicateVoteEvidence | dict[str, Any]]:
    """The evidence list of an RPC ``/block`` answer (the JSON-RPC envelope, ``result`` or the block itself).

    Duplicate votes are decoded; other kinds (light-client attacks) are returned as their raw JSON objects
    for :mod:`ics_workbench.evidence.light_client`.
    """
    obj = _object(block_json, path)
    if "result" in obj:
        obj, path = _object(obj["result"], f"{path}.result"), f"{path}.result"
    if "block" in obj:
        obj, path = _object(obj["block"], f"{path}.block"), f"{path}.block"
    header: Mapping[str, Any] = obj["header"] if isinstance(obj.get("header"), Mapping) else {}
    height = header.get("height", "?")
    evidence = obj.get("evidence")
    if evidence is None:
        return []
    items = evidence.get("evidence") if isinstance(evidence, Mapping) else evidence
    if items is None:
        return []
    if not isinstance(items, list):
        raise ParseError(f"{path}.evidence.evidence", "must be a list")
    found: list[DuplicateVoteEvidence | dict[str, Any]] = []
    for index, item in enumerate(items):
        item_path = f"{path}.evidence.evidence[{index}]"
        item = _object(item, item_path)
        if item.get("type") == "tendermint/DuplicateVoteEvidence" or "vote_a" in item:
            found.append(parse_duplicate_vote_evidence(item, item_path, source=f"block {height}"))
        else:
            found.append(dict(item))
    return found


def parse_stored_equivocation(obj: Any, path: str = "evidence") -> StoredEquivocation:
    """x/evidence ``/cosmos.evidence.v1beta1.Equivocation`` (REST JSON)."""
    obj = _object(obj, path)
    return StoredEquivocation(
        height=_int(obj.get("height"), f"{path}.height", default=None),
        time=_timestamp(obj.get("time"), f"{path}.time"),
        power=_int(obj.get("power"), f"{path}.power"),
        consensus_address=_str(obj.get("consensus_address"), f"{path}.consensus_address"),
    )


EvidenceItem = DuplicateVoteEvidence | StoredEquivocation | dict[str, Any]


def parse_evidence_document(text: str | bytes) -> list[EvidenceItem]:
    """Whatever a user hands the app: one of the evidence files, a ``/block`` answer, the x/evidence store
    listing, a MsgSubmitConsumerDoubleVoting, or two raw votes (paired here).

    Light-client evidence (LightClientAttackEvidence, IBC Misbehaviour) comes back as raw JSON objects.
    """
    data = loads(text) if not _is_json_lines(text) else _json_lines(text)
    return list(_items(data, "evidence"))


def parse_evidence_items(data: Any, path: str = "evidence") -> list[EvidenceItem]:
    """Like :func:`parse_evidence_document` for JSON already decoded (an answer's list of Any)."""
    return list(_items(data, path))


def _is_json_lines(text: str | bytes) -> bool:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or not all(line.lstrip().startswith("{") for line in lines):
        return False
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return all(_loads_ok(line) for line in lines)
    return False


def _loads_ok(line: str) -> bool:
    try:
        json.loads(line)
    except json.JSONDecodeError:
        return False
    return True


def _json_lines(text: str | bytes) -> list[Any]:
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _items(data: Any, path: str) -> Iterator[EvidenceItem]:
    if isinstance(data, list):
        if len(data) == 2 and all(_looks_like_vote(v) for v in data):
            yield pair_votes(parse_vote(data[0], f"{path}[0]"), parse_vote(data[1], f"{path}[1]"))
            return
        if not data:
            raise ParseError(path, "is an empty list: no evidence in it")
        for index, item in enumerate(data):
            yield from _items(item, f"{path}[{index}]")
        return
    obj = _object(data, path)
    if "votes" in obj and isinstance(obj["votes"], list):
        votes = obj["votes"]
        if len(votes) != 2:
            raise ParseError(f"{path}.votes", f"needs exactly two conflicting votes, got {len(votes)}")
        yield pair_votes(parse_vote(votes[0], f"{path}.votes[0]"), parse_vote(votes[1], f"{path}.votes[1]"))
        return
    if "result" in obj or "block" in obj:
        found = evidence_from_block(obj, path)
        if not found:
            raise ParseError(path, "this block carries no evidence")
        yield from found
        return
    type_url = obj.get("@type")
    if type_url == "/cosmos.evidence.v1beta1.Equivocation":
        yield parse_stored_equivocation(obj, path)
        return
    if "evidence" in obj and "vote_a" not in obj:  # x/evidence REST: {evidence: [Any]} or {evidence: Any}
        yield from _items(obj["evidence"], f"{path}.evidence")
        return
    if type_url and str(type_url).endswith("MsgSubmitConsumerMisbehaviour") or "misbehaviour" in obj:
        yield dict(obj)
        return
    kind = obj.get("type")
    if kind == "tendermint/LightClientAttackEvidence" or "conflicting_block" in obj or "header_1" in obj:
        yield dict(obj)
        return
    if "light_client_attack_evidence" in obj:
        yield dict(_object(obj["light_client_attack_evidence"], f"{path}.light_client_attack_evidence"))
        return
    yield parse_duplicate_vote_evidence(obj, path, source="file")


# ---------------------------------------------------------------------------------------------------------
# public keys


def parse_pubkey(value: Any, origin: str, path: str = "pub_key") -> PubKey:
    """A consensus public key in any of the JSON forms in use, or bare base64.

    Forms: ``{"type": "tendermint/PubKeyEd25519", "value": b64}`` (RPC), ``{"ed25519": b64}`` (proto-JSON),
    ``{"@type": "/cosmos.crypto.ed25519.PubKey", "key": b64}`` (SDK / ``comet show-validator``).
    The key type is kept so a secp256k1 or BLS key gets a "wrong key type" verdict rather than a bad length.
    """
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            return parse_pubkey(loads(text, "public key"), origin, path)
        return PubKey(_b64(text, path), origin)
    obj = _object(value, path)
    if "type" in obj and "value" in obj:
        kind = str(obj["type"])
        key_type = {"tendermint/PubKeyEd25519": "ed25519", "tendermint/PubKeySecp256k1": "secp256k1"}.get(kind, kind)
        return PubKey(_b64(obj["value"], f"{path}.value"), origin, key_type)
    if "@type" in obj:
        type_url = str(obj["@type"])
        key_type = "ed25519" if type_url == "/cosmos.crypto.ed25519.PubKey" else type_url.rsplit(".", 2)[-2]
        return PubKey(_b64(obj.get("key"), f"{path}.key"), origin, key_type)
    for key_type in ("ed25519", "secp256k1", "bls12381", "secp256k1eth"):
        if key_type in obj:
            return PubKey(_b64(obj[key_type], f"{path}.{key_type}"), origin, key_type)
    raise ParseError(path, f"unknown public key form with keys {sorted(obj)[:5]}")
