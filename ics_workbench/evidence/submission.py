"""Everything needed to submit a verified consumer double vote, gathered before anything is signed.

:func:`prepare_double_vote_submission` is the one entry point the GUI, the CLI and the signing flow use:
it maps the key to the provider validator, runs the admissibility pre-check, previews the consequence,
builds the infraction header (from the consumer RPC when reachable, else a key-only header) and the
``MsgSubmitConsumerDoubleVoting``, and returns them with the report. Signing and broadcasting stay with the
signing engine: :func:`direct_signing_request` / :func:`slash_proposal_signing_request` wrap ``submission.msg``
(type URL ``DOUBLE_VOTING_TYPE_URL``) into the hand-off object ``AppContext.request_signing`` takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ics_workbench.addresses import AddressError, decode_address, module_address, prefix_of
from ics_workbench.chain.connect import Connection
from ics_workbench.chain.http import JsonHttp
from ics_workbench.chain.models import ConsumerChain
from ics_workbench.errors import EndpointError, WorkbenchError
from ics_workbench.evidence.checks import Check, Status
from ics_workbench.evidence.messages import (
    DOUBLE_VOTING_TYPE_URL,
    choose_trusted_height,
    cli_files,
    double_voting_msg,
    for_gov_proposal,
    infraction_header,
    key_source_header,
    signed_header_from_rpc,
    to_proto_json,
)
from ics_workbench.evidence.model import DuplicateVoteEvidence
from ics_workbench.evidence.provider_side import (
    ProviderMapping,
    admissibility,
    client_consensus_heights,
    consequence,
    map_consumer_address,
    map_consumer_address_at,
)
from ics_workbench.evidence.report import EvidenceReport
from ics_workbench.evidence.rpc import commit_at, validators_at
from ics_workbench.evidence.valset import ValidatorEntry
from ics_workbench.evidence.verify import ItemResult
from ics_workbench.fileio import write_json_atomic
from ics_workbench.foundation.coins import CoinError, parse_coins
from ics_workbench.foundation.times import Timestamp, parse_datetime
from ics_workbench.tasks import NO_JOB, Job


@dataclass(frozen=True)
class DoubleVoteSubmission:
    consumer: ConsumerChain
    mapping: ProviderMapping
    checks: tuple[Check, ...]
    msg: Any
    report: EvidenceReport
    header_source: str

    @property
    def ready(self) -> bool:
        """Valid evidence and nothing the provider would reject: safe to sign."""
        return self.report.result.verdict.valid and all(c.status is Status.PASSED for c in self.checks)

    def blockers(self) -> list[str]:
        failed = [c for c in self.report.result.verdict.checks if c.status is not Status.PASSED]
        failed += [c for c in self.checks if c.status is not Status.PASSED]
        return [f"{c.name}: {c.detail}" for c in failed]

    def write_files(self, directory: Path) -> dict[str, Path]:
        """evidence.json + infraction_header.json (for ``tx provider submit-consumer-double-voting``), the
        message as proto-JSON, and the report in JSON and Markdown."""
        evidence_json, header_json = cli_files(self.msg)
        paths = {
            "evidence": directory / "evidence.json",
            "header": directory / "infraction_header.json",
            "message": directory / "msg_submit_consumer_double_voting.json",
            "report": directory / "evidence_report.json",
            "markdown": directory / "evidence_report.md",
        }
        write_json_atomic(paths["evidence"], evidence_json)
        write_json_atomic(paths["header"], header_json)
        write_json_atomic(paths["message"], {"@type": DOUBLE_VOTING_TYPE_URL, **to_proto_json(self.msg)})
        self.report.write(paths["report"], paths["markdown"])
        return paths

    def gaiad_command(self, binary: str = "gaiad") -> str:
        return (
            f"{binary} tx provider submit-consumer-double-voting {self.consumer.key} evidence.json "
            "infraction_header.json --from <key> --chain-id <provider-chain-id>"
        )


def prepare_double_vote_submission(
    result: ItemResult,
    provider: Connection,
    consumer_chain_id: str,
    submitter: str,
    *,
    consumer_rpc: JsonHttp | None = None,
    job: Job = NO_JOB,
) -> DoubleVoteSubmission:
    evidence = result.item
    if not isinstance(evidence, DuplicateVoteEvidence):
        raise WorkbenchError("only a duplicate vote can be submitted with MsgSubmitConsumerDoubleVoting")
    if provider.provider is None or provider.rest is None:
        raise WorkbenchError(f"{provider.chain_id} is not an ICS provider (or has no REST endpoint)")
    consumer = provider.provider.find_by_chain_id(consumer_chain_id, job=job)
    if consumer is None:
        raise WorkbenchError(f"the provider knows no consumer chain {consumer_chain_id!r}")
    mapping = map_consumer_address(provider.provider, provider.rest, consumer, evidence.validator_address, job=job)
    historical = _mapping_at_infraction(provider, consumer, evidence, job)
    checks = tuple(admissibility(evidence, consumer, mapping))
    preview = consequence(consumer, mapping, provider.rest.slashing_params(job=job))
    if not consumer.client_id:
        raise WorkbenchError(
            f"consumer {consumer_chain_id} has no IBC client yet (phase {consumer.phase}): not launched"
        )
    trusted = choose_trusted_height(
        client_consensus_heights(provider.rest, consumer.client_id, job=job), evidence.height
    )
    header, source = _header(result, evidence, consumer_chain_id, trusted, consumer_rpc, job)
    # v4/v5 messages have no consumer_id (field 4 came with v6; an older provider refuses the unknown field):
    # they name the consumer by the infraction header's chain id
    consumer_id = consumer.consumer_id or ""
    msg = double_voting_msg(evidence, header, consumer_id, submitter)
    report = EvidenceReport(
        result,
        consumer_chain_id,
        mapping=mapping.to_json(),
        mapping_at_infraction=historical,
        admissibility=[{"name": c.name, "status": c.status.value, "detail": c.detail} for c in checks],
        consequence=preview,
        message={"@type": DOUBLE_VOTING_TYPE_URL, "consumer_id": consumer_id, "submitter": submitter,
                 "infraction_header": source, "trusted_height": f"{trusted[0]}-{trusted[1]}"},
    )
    return DoubleVoteSubmission(consumer, mapping, checks, msg, report, source)


def _mapping_at_infraction(
    provider: Connection, consumer: ConsumerChain, evidence: DuplicateVoteEvidence, job: Job
) -> dict[str, Any]:
    """Who held the consumer key when the votes were cast, from the provider's state at that time (an archive
    endpoint answers even for a key replaced and pruned since). Informative only: the provider judges the
    submission with its current state, so a node that no longer keeps that state is noted, not fatal."""
    stamp = evidence.timestamp if evidence.timestamp != Timestamp() else evidence.vote_a.timestamp
    when = parse_datetime(stamp.rfc3339())
    if when is None or provider.provider is None or provider.rest is None:
        return {"unavailable": "the evidence carries no usable time"}
    try:
        found = map_consumer_address_at(
            provider.provider, provider.rest, consumer, evidence.validator_address, when, job=job
        )
    except WorkbenchError as error:
        return {"unavailable": str(error)}
    return {"when": found.when.isoformat(), "provider_height": found.provider_height,
            "provider_time": found.provider_time.isoformat(), **found.mapping.to_json()}


def _header(
    result: ItemResult,
    evidence: DuplicateVoteEvidence,
    chain_id: str,
    trusted: tuple[int, int],
    consumer_rpc: JsonHttp | None,
    job: Job,
) -> tuple[Any, str]:
    height = evidence.height
    if consumer_rpc is not None:
        signed = signed_header_from_rpc(commit_at(consumer_rpc, height, job=job))
        validators = validators_at(consumer_rpc, height, job=job)
        try:
            trusted_validators = validators_at(consumer_rpc, trusted[1] + 1, job=job)
        except EndpointError:
            trusted_validators = validators  # pruned: the provider does not read them for double votes
        return infraction_header(signed, validators, trusted, trusted_validators), f"consumer RPC at height {height}"
    pubkey = result.verdict.pubkey
    if pubkey is None:
        raise WorkbenchError("no public key for the header: give the consumer RPC or the validator's key")
    entry = ValidatorEntry(evidence.validator_address, pubkey, max(evidence.validator_power, 1))
    return key_source_header(chain_id, height, [entry], trusted), "key-only header (consumer RPC not used)"


@dataclass(frozen=True)
class EvidenceSigningRequest:
    """The hand-off object for Keys & Signing (same shape as ``proposals.handoff.SigningRequest``): the
    messages of one tx and who signs it. Copies are handed out so the signing flow cannot alter the
    prepared submission."""

    signer: str
    ics_version: str | None
    messages: Sequence[Any] = field(repr=False)

    def protobuf_messages(self) -> list[Any]:
        copies = []
        for msg in self.messages:
            copy = type(msg)()
            copy.CopyFrom(msg)
            copies.append(copy)
        return copies


def checked_account(address: str, what: str, expected_prefix: str | None) -> str:
    """The signer's address, trimmed and checked (bech32, the provider's account prefix) before any hand-off."""
    address = address.strip()
    if not address:
        raise WorkbenchError(f"{what}: enter the account that signs (a bech32 address or a key from the keystore)")
    try:
        prefix, _raw = decode_address(address)
    except AddressError as exc:
        raise WorkbenchError(f"{what}: {exc}") from None
    if expected_prefix and prefix != expected_prefix:
        raise WorkbenchError(
            f"{what}: {address} has prefix {prefix!r}, the provider's accounts use {expected_prefix!r}"
        )
    return address


def direct_signing_request(
    submission: DoubleVoteSubmission, submitter: str, *, ics_version: str | None, account_prefix: str | None = None
) -> EvidenceSigningRequest:
    """``MsgSubmitConsumerDoubleVoting`` with ``submitter`` as its signer. Refused while the pre-check has
    blockers: the provider would reject the tx and the fee would be lost."""
    if not submission.ready:
        raise WorkbenchError("not submittable: " + "; ".join(submission.blockers()))
    signer = checked_account(submitter, "submitter", account_prefix)
    msg = type(submission.msg)()
    msg.CopyFrom(submission.msg)
    msg.submitter = signer
    return EvidenceSigningRequest(signer, ics_version, (msg,))


def slash_proposal_signing_request(
    submission: DoubleVoteSubmission,
    proposer: str,
    *,
    deposit: str,
    ics_version: str | None,
    title: str = "",
    summary: str = "",
    account_prefix: str | None = None,
) -> EvidenceSigningRequest:
    """A gov v1 ``MsgSubmitProposal`` whose one message is the double vote with the gov module as submitter,
    signed by ``proposer`` — for when governance, not one account, should decide (e.g. evidence the chain's
    validators censored)."""
    from cosmpy.protos.cosmos.gov.v1 import tx_pb2 as gov_tx_pb2

    from ics_workbench.proto import registry

    if not submission.ready:
        raise WorkbenchError("not submittable: " + "; ".join(submission.blockers()))
    signer = checked_account(proposer, "proposer", account_prefix)
    try:
        coins = {c.denom: c.amount for c in parse_coins(deposit)}
    except CoinError as exc:
        raise WorkbenchError(f"deposit: {exc}") from None
    gov = module_address("gov", prefix_of(signer))
    mapping = submission.mapping
    who = mapping.moniker or mapping.provider_address
    proposal = gov_tx_pb2.MsgSubmitProposal(
        proposer=signer,
        title=title or f"Slash {who} for double voting on {submission.consumer.chain_id}",
        summary=summary
        or (
            f"Consumer {submission.consumer.chain_id} (consumer id {submission.consumer.key}): validator {who} "
            f"({mapping.provider_address}) signed two conflicting votes at height "
            f"{getattr(submission.report.result.item, 'height', '?')} with consumer key {mapping.consumer_address}."
        ),
    )
    proposal.messages.append(registry.pack(for_gov_proposal(submission.msg, gov), ics_version=ics_version))
    for denom, amount in sorted(coins.items()):
        proposal.initial_deposit.add(denom=denom, amount=str(amount))
    return EvidenceSigningRequest(signer, ics_version, (proposal,))
