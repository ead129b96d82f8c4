"""The review a signer sees before the key is touched, decoded from the exact bytes that will be signed.

Why from bytes: if the review were built from the objects the app assembled, a bug (or a tampered offline file)
between "what was shown" and "what was encoded" would go unnoticed. Here `UnsignedTx.body`/`auth_info` are parsed
back from `body_bytes`/`auth_info_bytes`, and the SHA-256 of each signer's sign bytes is shown so the online and the
air-gapped machine can be compared at a glance.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from google.protobuf import any_pb2
from google.protobuf.message import Message
from google.protobuf.unknown_fields import UnknownFieldSet

from ics_workbench import addresses
from ics_workbench.proto import legacy_dec, registry
from ics_workbench.signing.multisig import multisig_address, spec_of
from ics_workbench.signing.tx import SignerData, SignMode, UnsignedTx, secp256k1_keys_pb2
from ics_workbench.untrusted_text import visible, visible_repr


@dataclass(frozen=True)
class MessageView:
    index: int
    type_url: str
    summary: str
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SignerView:
    index: int
    address: str
    public_key: str
    sequence: int
    mode: str
    sign_bytes_sha256: str | None


@dataclass(frozen=True)
class Review:
    messages: tuple[MessageView, ...]
    fee: str
    gas_limit: int
    payer: str
    granter: str
    memo: str
    timeout_height: int
    signers: tuple[SignerView, ...]
    body_sha256: str
    auth_info_sha256: str

    def text(self) -> str:
        """Plain-text review (CLI and offline file): the message count and every message type come first, so a
        long or hostile field further down cannot push a message out of sight; every value from the bytes is
        escaped by the one rendering rule (``untrusted_text``), one line per value."""
        lines = [f"Transaction with {len(self.messages)} message(s):"]
        lines.extend(f"  {m.index}. {visible(m.type_url)}" for m in self.messages)
        for m in self.messages:
            lines.append(f"Message {m.index} of {len(self.messages)}: {visible(m.summary)}")
            lines.append(f"   type: {visible(m.type_url)}")
            lines.extend(f"   {visible(key)}: {visible(value)}" for key, value in m.fields)
        lines.append(f"Fee: {visible(self.fee) or 'none'}  gas limit: {self.gas_limit}")
        if self.payer:
            lines.append(f"Fee payer: {visible(self.payer)}")
        if self.granter:
            lines.append(f"Fee granter: {visible(self.granter)}")
        lines.append(f"Memo: {visible_repr(self.memo)}")
        if self.timeout_height:
            lines.append(f"Timeout height: {self.timeout_height}")
        for s in self.signers:
            lines.append(f"Signer {s.index}: {visible(s.address)} ({s.mode}, sequence {s.sequence})")
            if s.sign_bytes_sha256:
                lines.append(f"   sign bytes SHA-256: {s.sign_bytes_sha256}")
        lines.append(f"Body bytes SHA-256: {self.body_sha256}")
        lines.append(f"Auth info bytes SHA-256: {self.auth_info_sha256}")
        return "\n".join(lines)


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        out: list[tuple[str, str]] = []
        for key, inner in value.items():
            out.extend(_flatten(inner, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(value, list):
        if not value:
            return [(prefix, "[]")]
        out = []
        for i, inner in enumerate(value):
            out.extend(_flatten(inner, f"{prefix}[{i}]"))
        return out
    if value is None:
        return [(prefix, "null")]
    if isinstance(value, bool):
        return [(prefix, "true" if value else "false")]
    return [(prefix, str(value))]


def _coins(coins: Sequence[Any]) -> str:
    return ", ".join(f"{c.amount}{c.denom}" for c in coins) or "nothing"


def _vote_option(option: int) -> str:
    from cosmos.gov.v1 import gov_pb2

    return str(gov_pb2.VoteOption.Name(option)).removeprefix("VOTE_OPTION_")


def _summaries() -> dict[str, Callable[[Any], str]]:
    def dec(text: str) -> str:
        try:
            return legacy_dec.wire_to_decimal(text)
        except Exception:
            return repr(text)

    return {
        "cosmos.gov.v1.MsgVote": lambda m: f"Vote {_vote_option(m.option)} on proposal #{m.proposal_id} as {m.voter}",
        "cosmos.gov.v1beta1.MsgVote": lambda m: (
            f"Vote {_vote_option(m.option)} on proposal #{m.proposal_id} as {m.voter}"),
        "cosmos.gov.v1.MsgVoteWeighted": lambda m: (
            f"Weighted vote on proposal #{m.proposal_id} as {m.voter}: "
            + ", ".join(f"{_vote_option(o.option)} {o.weight}" for o in m.options)),
        "cosmos.gov.v1.MsgDeposit": lambda m: (
            f"Deposit {_coins(m.amount)} on proposal #{m.proposal_id} from {m.depositor}"),
        "cosmos.gov.v1.MsgSubmitProposal": lambda m: (
            f"Submit {'EXPEDITED ' if m.expedited else ''}proposal {m.title!r} with {len(m.messages)} message(s) "
            f"[{', '.join(x.type_url for x in m.messages)}], initial deposit {_coins(m.initial_deposit)}, "
            f"proposer {m.proposer}"),
        "cosmos.gov.v1.MsgExecLegacyContent": lambda m: f"Execute legacy content {m.content.type_url} as {m.authority}",
        "cosmos.bank.v1beta1.MsgSend": lambda m: f"Send {_coins(m.amount)} from {m.from_address} to {m.to_address}",
        "interchain_security.ccv.provider.v1.MsgOptIn": lambda m: (
            f"Opt validator {m.provider_addr} in to consumer {m.consumer_id or m.chain_id}"
            + (" and assign consumer key " + m.consumer_key if m.consumer_key else "")),
        "interchain_security.ccv.provider.v1.MsgOptOut": lambda m: (
            f"Opt validator {m.provider_addr} out of consumer {m.consumer_id or m.chain_id}"),
        "interchain_security.ccv.provider.v1.MsgAssignConsumerKey": lambda m: (
            f"Assign consumer key {m.consumer_key} to validator {m.provider_addr} on consumer "
            f"{m.consumer_id or m.chain_id}"),
        "interchain_security.ccv.provider.v1.MsgSetConsumerCommissionRate": lambda m: (
            f"Set commission rate {dec(m.rate)} for validator {m.provider_addr} on consumer "
            f"{m.consumer_id or m.chain_id}"),
        "interchain_security.ccv.provider.v1.MsgSubmitConsumerDoubleVoting": lambda m: (
            f"Report double voting by validator address "
            f"{m.duplicate_vote_evidence.vote_a.validator_address.hex().upper()} at height "
            f"{m.duplicate_vote_evidence.vote_a.height} on consumer {m.consumer_id}"),
        "interchain_security.ccv.provider.v1.MsgSubmitConsumerMisbehaviour": lambda m: (
            f"Report a light-client attack on consumer {m.consumer_id} at height "
            f"{m.misbehaviour.header_1.signed_header.header.height}"),
        "interchain_security.ccv.provider.v1.MsgCreateConsumer": lambda m: (
            f"Create consumer chain {m.chain_id!r} ({m.metadata.name!r}) owned by {m.submitter}"),
        "interchain_security.ccv.provider.v1.MsgUpdateConsumer": lambda m: (
            f"Update consumer {m.consumer_id} as owner {m.owner}"),
        "interchain_security.ccv.provider.v1.MsgRemoveConsumer": lambda m: (
            f"Remove consumer {m.consumer_id} as owner {m.owner}"),
    }


def _summary(msg: Message) -> str:
    describe = _summaries().get(msg.DESCRIPTOR.full_name)
    return describe(msg) if describe else msg.DESCRIPTOR.name


def _signer_view(unsigned: UnsignedTx, index: int, prefix: str, data: SignerData | None) -> SignerView:
    info = unsigned.auth_info.signer_infos[index]
    if info.mode_info.HasField("multi"):
        spec = spec_of(unsigned, index)
        digest = (hashlib.sha256(unsigned.sign_bytes(SignMode.LEGACY_AMINO_JSON, data)).hexdigest()
                  if data else None)
        return SignerView(index, multisig_address(spec, prefix), f"multisig {spec.threshold}-of-"
                          f"{len(spec.public_keys)}", info.sequence, SignMode.LEGACY_AMINO_JSON.label, digest)
    pk = secp256k1_keys_pb2.PubKey()
    pk.ParseFromString(info.public_key.value)
    mode = SignMode(info.mode_info.single.mode)
    digest = unsigned.sign_bytes_sha256(mode, data) if data else None
    return SignerView(index, addresses.encode_address(addresses.address_bytes_from_public_key(pk.key), prefix),
                      base64.b64encode(pk.key).decode(), info.sequence, mode.label, digest)


# Layouts a type URL has had on the wire, newest first; the review picks the one the BYTES decode under (never
# the file's unsigned ``ics_version`` label), so a label cannot hide a field the signature covers.
_LAYOUTS: tuple[str | None, ...] = (None, "v5.0.0")


def unknown_fields(msg: Message, ics_version: str | None = None, path: str = "") -> list[str]:
    """Every field in ``msg`` (and in the messages nested in it, Anys included) that its class does not know:
    ``path.field#N (wire type W)``. The review shows them: bytes the signature covers are never dropped."""
    found = [f"{path}#{item.field_number} (wire type {item.wire_type})" for item in UnknownFieldSet(msg)]
    for descriptor, value in msg.ListFields():
        if descriptor.type != descriptor.TYPE_MESSAGE:
            continue
        repeated = descriptor.label == descriptor.LABEL_REPEATED
        if descriptor.message_type.GetOptions().map_entry:
            continue
        for i, item in enumerate(value if repeated else [value]):
            where = f"{path}.{descriptor.name}" if path else descriptor.name
            where = f"{where}[{i}]" if repeated else where
            if isinstance(item, any_pb2.Any):
                try:
                    item = registry.unpack(item, ics_version=ics_version)
                except Exception:
                    found.append(f"{where} ({visible(item.type_url)}: bytes that do not decode)")
                    continue
            found.extend(unknown_fields(item, ics_version, where))
    return found


def decode_message(any_msg: any_pb2.Any) -> tuple[Message, str | None, list[str]]:
    """Decode one body message from its bytes: the layout under which nothing is unknown (current first);
    returns the message, the layout used and the fields still unknown (shown in the review)."""
    best: tuple[Message, str | None, list[str]] | None = None
    for layout in _LAYOUTS:
        try:
            msg = registry.unpack(any_msg, ics_version=layout)
        except Exception:
            continue
        unknown = unknown_fields(msg, layout)
        if not unknown:
            return msg, layout, []
        if best is None:
            best = (msg, layout, unknown)
    if best is None:
        return registry.unpack(any_msg), None, []  # raises the decoder's own error
    return best


def review(unsigned: UnsignedTx, *, prefix: str, signer_data: Sequence[SignerData] | None = None) -> Review:
    """Decode the exact bytes into what the signer reads; with `signer_data` also the sign-bytes hashes.

    Nothing outside the signed bytes is consulted: the file's ``ics_version`` label is ignored, each message is
    decoded in the wire layout its own bytes fit, and fields no layout knows are listed, not dropped."""
    body, auth_info = unsigned.body, unsigned.auth_info
    messages = []
    for i, any_msg in enumerate(body.messages):
        msg, layout, unknown = decode_message(any_msg)
        doc = registry.to_proto_json(msg, ics_version=layout, with_type=False)
        fields = _flatten(doc)
        if layout is not None:
            fields.append(("wire layout", f"ICS {layout} (detected from the bytes)"))
        fields.extend(("UNKNOWN FIELD (signed, not decoded)", u) for u in unknown)
        messages.append(MessageView(i + 1, any_msg.type_url, _summary(msg), tuple(fields)))
    if signer_data is not None and len(signer_data) != len(auth_info.signer_infos):
        raise ValueError("signer_data must have one entry per signer")
    signers = tuple(_signer_view(unsigned, i, prefix, signer_data[i] if signer_data else None)
                    for i in range(len(auth_info.signer_infos)))
    fee = auth_info.fee
    return Review(tuple(messages), _coins(fee.amount) if fee.amount else "", fee.gas_limit, fee.payer, fee.granter,
                  body.memo, body.timeout_height, signers, hashlib.sha256(unsigned.body_bytes).hexdigest(),
                  hashlib.sha256(unsigned.auth_info_bytes).hexdigest())
