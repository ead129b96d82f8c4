"""What the signing flow receives: the exact protobuf messages of a draft, ready to go into a tx body.

``route="gov"``: one ``cosmos.gov.v1.MsgSubmitProposal`` signed by the proposer (the ICS messages inside are
signed by the gov module, i.e. executed by the proposal). ``route="tx"``: the ICS message itself with its
signer field set to the sender. The proto-JSON shown for review is the same document gaiad would accept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ics_workbench.errors import WorkbenchError
from ics_workbench.proposals.deposit import CoinsError, parse_coins
from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.formats import message_to_proto_json
from ics_workbench.proposals.models import MSG_SUBMIT_PROPOSAL
from ics_workbench.proposals.problems import Problem, has_errors
from ics_workbench.proposals.rules import validate


class DraftNotValid(WorkbenchError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "; ".join(p.line() for p in problems if p.is_error)
        super().__init__(f"the draft has errors and cannot be signed: {lines}")


@dataclass(frozen=True)
class SigningRequest:
    """The messages to put in one tx, as proto-JSON (with "@type") and as protobuf objects."""

    signer: str
    messages_json: list[dict[str, Any]]
    ics_version: str

    def protobuf_messages(self) -> list[Any]:
        from ics_workbench.proto import registry

        return [registry.from_proto_json(doc, ics_version=self.ics_version) for doc in self.messages_json]


def signing_request(draft: ProposalDraft, facts: ProviderFacts, *, signer: str) -> SigningRequest:
    """Build the tx messages for ``signer`` (the proposer, or the owner/submitter of a direct tx)."""
    problems = validate(draft, facts)
    if has_errors(problems):
        raise DraftNotValid(problems)
    version = str(facts.version)
    if draft.route == "tx":
        msg = draft.messages[0].model_copy()
        typed = (getattr(msg, msg.signer_field) if msg.signer_field else "") or ""
        if typed.strip():
            # What the user typed is never silently replaced: a bad address or another account is an error.
            from ics_workbench.addresses import address_bytes

            try:
                same = address_bytes(typed.strip()) == address_bytes(signer)
            except WorkbenchError as exc:
                raise WorkbenchError(f"{msg.signer_field}: {exc}; fix it or leave it empty to use the signing key's "
                                     "address") from None
            if not same:
                raise WorkbenchError(f"{msg.signer_field} {typed.strip()} is not the signing key's address {signer}: "
                                     "sign with that account's key, or clear the field")
        setattr(msg, msg.signer_field or "", signer)
        docs = [message_to_proto_json(msg, gov_address=facts.gov_address, version=facts.version)]
    else:
        try:
            coins = parse_coins(draft.deposit)
        except CoinsError as exc:
            raise WorkbenchError(f"deposit: {exc}") from None
        docs = [
            {
                "@type": MSG_SUBMIT_PROPOSAL,
                "messages": [
                    message_to_proto_json(
                        m, gov_address=facts.gov_address, authority=draft.legacy_authorities.get(i),
                        version=facts.version
                    )
                    for i, m in enumerate(draft.messages)
                ],
                "initial_deposit": [{"denom": d, "amount": str(a)} for d, a in sorted(coins.items())],
                "proposer": signer,
                "metadata": draft.metadata,
                "title": draft.title,
                "summary": draft.summary,
                "expedited": draft.expedited,
            }
        ]
    return SigningRequest(signer=signer, messages_json=docs, ics_version=version)


def unsigned_tx(request: SigningRequest, *, signers: Sequence[Any], fee: Any, memo: str = "") -> Any:
    """The signing engine's ``UnsignedTx`` (exact body and auth-info bytes) for this request's messages."""
    from ics_workbench.signing import tx as txlib

    return txlib.build_unsigned_tx(
        request.protobuf_messages(), signers=signers, fee=fee, memo=memo, ics_version=request.ics_version
    )


def offline_signing_file(
    request: SigningRequest,
    *,
    public_key: bytes,
    chain_id: str,
    account_number: int,
    sequence: int,
    fee: str,
    gas_limit: int,
    memo: str = "",
) -> Any:
    """An unsigned offline-signing file (``signing.offline_file``) for a single-key signer, ready to carry to
    the air-gapped machine; the signing flow refuses it if the key does not belong to ``request.signer``."""
    from ics_workbench.signing import offline_file, tx as txlib

    spec = txlib.SignerSpec(public_key=public_key, sequence=sequence)
    unsigned = unsigned_tx(request, signers=[spec], fee=txlib.Fee.of(fee, gas_limit), memo=memo)
    return offline_file.create_request(
        unsigned,
        chain_id=chain_id,
        address=request.signer,
        account_number=account_number,
        sequence=sequence,
        fee_provenance={"source": "entered with the proposal"},
    )
