"""Every check the provider (ValidateBasic, handler) and gov v1 would apply, per detected ICS version.

``validate(draft, facts)`` returns all problems at once (not the first, as the chain does), so an author
fixes everything in one pass. Stateful checks (owner, phase, current Top N) need ``facts.consumers``;
without them those rules stay silent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from ics_workbench.proposals import gosem, rules_common as rc, rules_params, rules_v5, rules_v6
from ics_workbench.proposals.deposit import check_deposit
from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.fields import field_available, field_since
from ics_workbench.proposals.legacy_chain_ids import duplicate_chain_id_problems
from ics_workbench.proposals.models import (
    ChangeRewardDenomsProposal,
    ConsumerAdditionProposal,
    ConsumerModificationProposal,
    ConsumerRemovalProposal,
    EquivocationProposal,
    IcsMessage,
    MsgChangeRewardDenoms,
    MsgConsumerAddition,
    MsgConsumerModification,
    MsgConsumerRemoval,
    MsgCreateConsumer,
    MsgRemoveConsumer,
    MsgSubmitConsumerDoubleVoting,
    MsgSubmitConsumerMisbehaviour,
    MsgUpdateConsumer,
    MsgUpdateParams,
)
from ics_workbench.proposals.problems import Problem, Severity, prefixed

W = Severity.WARNING
MAX_TITLE_LENGTH = 255  # SDK v0.50 gov: title limited by MaxMetadataLen (255 bytes)
MAX_SUMMARY_LENGTH = 10200  # SDK v0.50 gov: 40 × MaxMetadataLen bytes
MAX_GOV_METADATA_LENGTH = 255


def validate(draft: ProposalDraft, facts: ProviderFacts) -> list[Problem]:
    problems = list(draft.import_notes)
    if draft.route == "gov":
        problems += _envelope(draft, facts)
    elif len(draft.messages) != 1:
        problems.append(
            Problem(
                "messages", "one_message", "a direct transaction file holds exactly one message", len(draft.messages)
            )
        )
    for i, msg in enumerate(draft.messages):
        found = validate_message(msg, facts, route=draft.route)
        if msg.is_legacy_content and draft.route == "gov":
            authority = draft.legacy_authorities.get(i, facts.gov_address)
            if authority != facts.gov_address:
                found.insert(
                    0,
                    Problem(
                        "authority",
                        "legacy_authority_not_gov",
                        f"MsgExecLegacyContent.authority must be the gov module {facts.gov_address}",
                        authority,
                    ),
                )
        problems += prefixed(found, f"messages[{i}]") if draft.route == "gov" else found
    problems += duplicate_chain_id_problems(draft, facts)
    return problems


def _envelope(draft: ProposalDraft, facts: ProviderFacts) -> list[Problem]:
    """SDK v0.50 gov MsgSubmitProposal, in the msg server's order (lengths are Go byte lengths)."""
    out: list[Problem] = []
    if draft.title == "":
        out.append(Problem("title", "title_blank", "proposal title cannot be empty", draft.title))
    elif gosem.is_blank(draft.title):
        out.append(
            Problem(
                "title",
                "title_blank",
                "the title is only spaces: gov accepts it, but voters see no title",
                draft.title,
                W,
            )
        )
    elif gosem.byte_len(draft.title) > MAX_TITLE_LENGTH:
        out.append(
            Problem(
                "title", "title_too_long", f"title longer than {MAX_TITLE_LENGTH} bytes", gosem.byte_len(draft.title)
            )
        )
    if draft.summary == "":
        out.append(Problem("summary", "summary_blank", "proposal summary cannot be empty", draft.summary))
    elif gosem.byte_len(draft.summary) > MAX_SUMMARY_LENGTH:
        out.append(
            Problem(
                "summary",
                "summary_too_long",
                f"summary longer than {MAX_SUMMARY_LENGTH} bytes",
                gosem.byte_len(draft.summary),
            )
        )
    if not draft.messages:
        if draft.metadata == "":
            out.append(Problem("messages", "no_messages", "a proposal needs messages or metadata", 0))
        else:
            out.append(Problem("messages", "no_messages", "the proposal executes no message (a text proposal)", 0, W))
    if gosem.byte_len(draft.metadata) > MAX_GOV_METADATA_LENGTH:
        out.append(
            Problem(
                "metadata",
                "metadata_too_long",
                f"proposal metadata longer than {MAX_GOV_METADATA_LENGTH} bytes (use an ipfs:// link)",
                gosem.byte_len(draft.metadata),
            )
        )
    out += _metadata_json(draft)
    out += check_deposit(draft.deposit, facts.gov, expedited=draft.expedited)
    if draft.expedited:
        out.append(
            Problem(
                "expedited",
                "expedited_restricted",
                "Gaia v19 to v23 accept only software-upgrade proposals as expedited; from v24 any message may be",
                True,
                W,
            )
        )
    return out


def _metadata_json(draft: ProposalDraft) -> list[Problem]:
    """gov v0.50: metadata that decodes (Go encoding/json) as ProposalMetadata must repeat title and summary."""
    from ics_workbench.proposals.gov_metadata import decode_proposal_metadata

    decoded = decode_proposal_metadata(draft.metadata)
    if decoded is None:
        return []
    out = []
    for key in ("title", "summary"):
        own = getattr(draft, key)
        if decoded[key] != own:
            out.append(
                Problem(
                    "metadata",
                    f"metadata_{key}_mismatch",
                    f"the metadata is proposal-metadata JSON, so its {key} must equal the proposal's {key} "
                    f"({own!r}); gov refuses the submission",
                    decoded[key],
                )
            )
    return out


# --- per message -------------------------------------------------------------------------------------------


def validate_message(msg: IcsMessage, facts: ProviderFacts, *, route: str = "gov") -> list[Problem]:
    check = _CHECKS.get(msg.type_url)  # by type URL: any model built for the message gets its rules
    out = _fields_not_in_version(msg, facts)
    if msg.signer_field and route == "gov":
        signer = msg.signer()
        if signer != facts.gov_address:
            out.append(
                Problem(
                    msg.signer_field,
                    "signer_not_gov",
                    f"inside a gov proposal the {msg.signer_field} must be the gov module {facts.gov_address}; "
                    "gov refuses the proposal otherwise",
                    signer,
                )
            )
    if route == "tx" and msg.signer_field in ("authority",):
        out.append(
            Problem(msg.signer_field, "needs_gov", f"{type(msg).__name__} can only be executed by a gov proposal", None)
        )
    if check is not None:
        out += check(msg, facts, route)
    return out


def _fields_not_in_version(model: BaseModel, facts: ProviderFacts, path: str = "") -> list[Problem]:
    out = []
    cls = type(model)
    for name in cls.model_fields:
        value = getattr(model, name)
        sub = rc.join(path, name)
        if not field_available(cls.__name__, name, facts.version):
            if value not in (None, "", 0, False, [], {}):
                out.append(
                    Problem(
                        sub,
                        "field_not_in_version",
                        f"{name} exists from ICS {field_since(cls.__name__, name)}; this provider runs "
                        f"{facts.version.display()} "
                        "and rejects the unknown field",
                        _plain(value),
                    )
                )
            continue
        if isinstance(value, BaseModel):
            out += _fields_not_in_version(value, facts, sub)
    return out


def _plain(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


_CHECKS: dict[str, Callable[[Any, ProviderFacts, str], list[Problem]]] = {
    MsgCreateConsumer.type_url: rules_v6.create_consumer,
    MsgUpdateConsumer.type_url: rules_v6.update_consumer,
    MsgRemoveConsumer.type_url: rules_v6.remove_consumer,
    MsgConsumerAddition.type_url: rules_v5.consumer_addition,
    MsgConsumerRemoval.type_url: rules_v5.consumer_removal,
    MsgConsumerModification.type_url: rules_v5.consumer_modification,
    ConsumerAdditionProposal.type_url: rules_v5.addition_proposal,
    ConsumerRemovalProposal.type_url: rules_v5.removal_proposal,
    ConsumerModificationProposal.type_url: rules_v5.modification_proposal,
    ChangeRewardDenomsProposal.type_url: rules_v5.change_reward_denoms_proposal,
    EquivocationProposal.type_url: rules_v5.equivocation,
    MsgChangeRewardDenoms.type_url: rules_v5.change_reward_denoms,
    MsgUpdateParams.type_url: rules_params.update_params,
    MsgSubmitConsumerDoubleVoting.type_url: rules_params.double_voting,
    MsgSubmitConsumerMisbehaviour.type_url: rules_params.misbehaviour,
}
