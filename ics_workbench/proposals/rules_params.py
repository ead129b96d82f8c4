"""Rules of MsgUpdateParams (the provider's params per version) and of the two slashing messages
(MsgSubmitConsumerDoubleVoting, MsgSubmitConsumerMisbehaviour): ValidateBasic of the evidence they carry.
"""

from __future__ import annotations

from typing import Any

from ics_workbench.proposals import rules_common as rc
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.models import (
    MsgSubmitConsumerDoubleVoting,
    MsgSubmitConsumerMisbehaviour,
    MsgUpdateParams,
)
from ics_workbench.proposals.problems import Problem, Severity

W = Severity.WARNING


# provider Params keys per version (x/ccv/provider/types/params.go)
_PARAMS_V7 = (
    "template_client",
    "trusting_period_fraction",
    "ccv_timeout_period",
    "slash_meter_replenish_period",
    "slash_meter_replenish_fraction",
    "consumer_reward_denom_registration_fee",
    "blocks_per_epoch",
    "number_of_epochs_to_start_receiving_rewards",
    "max_provider_consensus_validators",
)
_PARAMS_V5_EXTRA = ("init_timeout_period", "vsc_timeout_period")


def required_param_keys(facts: ProviderFacts) -> tuple[str, ...]:
    if facts.version.major >= 6:
        return _PARAMS_V7
    keys = tuple(k for k in _PARAMS_V7 if k != "max_provider_consensus_validators") + _PARAMS_V5_EXTRA
    return keys


def update_params(msg: MsgUpdateParams, facts: ProviderFacts, route: str) -> list[Problem]:
    from ics_workbench.proposals.codec import ProposalFormatError, parse_proto_duration

    out: list[Problem] = []
    if not facts.version.has_msg_update_params:
        out.append(
            rc.kind_not_available(
                "MsgUpdateParams", facts, "exists from ICS v5.0.0 (v4 uses a x/params ParameterChangeProposal)"
            )
        )
    params = msg.params
    required = required_param_keys(facts)
    missing = [k for k in required if k not in params]
    if missing:
        out.append(
            Problem(
                "params",
                "params_incomplete",
                "MsgUpdateParams replaces ALL provider params; missing ones become zero or empty and can halt the "
                f"chain (ICS #2021). Missing: {', '.join(missing)} (fill from the chain's current params)",
                missing,
            )
        )
    for key in params:
        if key not in required:
            out.append(
                Problem(
                    f"params.{key}", "unknown_field", f"provider Params of {facts.version} has no field {key!r}", key
                )
            )
    if "template_client" in params and not params["template_client"]:
        out.append(
            Problem("params.template_client", "template_client_missing", "template client cannot be empty", None)
        )
    for key in ("trusting_period_fraction", "slash_meter_replenish_fraction"):
        if key in params:
            out += rc.fraction(f"params.{key}", str(params[key]), "fraction_range", key, allow_zero=False)
    for key in ("ccv_timeout_period", "slash_meter_replenish_period", "init_timeout_period", "vsc_timeout_period"):
        if key in params:
            try:
                ns = parse_proto_duration(params[key], f"params.{key}")
            except ProposalFormatError as exc:
                out.append(Problem(f"params.{key}", "duration_invalid", str(exc), params[key]))
                continue
            out += rc.positive(f"params.{key}", ns, "duration_positive", key)
    for key in ("blocks_per_epoch", "number_of_epochs_to_start_receiving_rewards", "max_provider_consensus_validators"):
        if key in params:
            try:
                value = int(params[key])
            except (TypeError, ValueError):
                out.append(Problem(f"params.{key}", "int_invalid", "not an integer", params[key]))
                continue
            out += rc.positive(f"params.{key}", value, "positive", key)
    if facts.provider_params is not None and not missing:
        from ics_workbench.proposals.diff import params_diff

        if not [c for c in params_diff(params, facts.provider_params) if c.kind != "unchanged"]:
            out.append(
                Problem("params", "params_unchanged", "the proposal sets every param to its current value", None, W)
            )
    fee = params.get("consumer_reward_denom_registration_fee")
    if fee is not None:
        ok = (
            isinstance(fee, dict)
            and rc.sdk_denom_valid(str(fee.get("denom", "")))
            and str(fee.get("amount", "")).isdigit()
        )
        if not ok:
            out.append(
                Problem(
                    "params.consumer_reward_denom_registration_fee",
                    "coin_invalid",
                    "not a valid coin {denom, amount}",
                    fee,
                )
            )
    return out


def _evidence_common(consumer_id: str, facts: ProviderFacts) -> list[Problem]:
    if facts.version.permissionless:
        return rc.consumer_id("consumer_id", consumer_id)
    return []


def double_voting(msg: MsgSubmitConsumerDoubleVoting, facts: ProviderFacts, route: str) -> list[Problem]:
    out = _evidence_common(msg.consumer_id, facts)
    ev = msg.duplicate_vote_evidence
    if not ev:
        out.append(
            Problem("duplicate_vote_evidence", "evidence_missing", "double voting evidence cannot be empty", None)
        )
    else:
        missing = [v for v in ("vote_a", "vote_b") if not ev.get(v)]
        for vote in missing:
            out.append(Problem(f"duplicate_vote_evidence.{vote}", "evidence_missing", f"{vote} is missing", None))
        if not missing:
            out += _duplicate_vote_validate_basic(ev)
    header = msg.infraction_block_header
    if not header:
        out.append(
            Problem("infraction_block_header", "header_missing", "infraction block header cannot be empty", None)
        )
    else:
        signed = header.get("signed_header") or {}
        if not signed.get("header"):
            out.append(
                Problem(
                    "infraction_block_header.signed_header.header", "header_missing", "signed header is missing", None
                )
            )
        if not header.get("validator_set"):
            out.append(
                Problem(
                    "infraction_block_header.validator_set",
                    "header_missing",
                    "validator set is missing (the provider takes the public key from it)",
                    None,
                )
            )
    return out


def _duplicate_vote_validate_basic(ev: dict[str, Any]) -> list[Problem]:
    """CometBFT DuplicateVoteEvidence.ValidateBasic, via the evidence package's parser and vote checks."""
    from ics_workbench.evidence.checks import vote_problems
    from ics_workbench.evidence.model import ParseError
    from ics_workbench.evidence.parse import parse_duplicate_vote_evidence

    try:
        evidence = parse_duplicate_vote_evidence(ev, "duplicate_vote_evidence")
    except ParseError as exc:
        return [Problem(exc.field or "duplicate_vote_evidence", "evidence_invalid", exc.reason, None)]
    out = []
    for name, vote in (("vote_a", evidence.vote_a), ("vote_b", evidence.vote_b)):
        for text in vote_problems(vote):
            out.append(Problem(f"duplicate_vote_evidence.{name}", "vote_invalid", text, None))
    if evidence.vote_a.block_id.key() >= evidence.vote_b.block_id.key():
        out.append(
            Problem(
                "duplicate_vote_evidence",
                "votes_out_of_order",
                "vote_a's block id must sort before vote_b's (CometBFT: "
                "\"duplicate votes in invalid order\"); swap them",
                None,
            )
        )
    return out


def misbehaviour(msg: MsgSubmitConsumerMisbehaviour, facts: ProviderFacts, route: str) -> list[Problem]:
    out = _evidence_common(msg.consumer_id, facts)
    mb = msg.misbehaviour
    if not mb:
        return out + [Problem("misbehaviour", "evidence_missing", "misbehaviour cannot be empty", None)]
    for header in ("header_1", "header_2"):
        if not mb.get(header):
            out.append(Problem(f"misbehaviour.{header}", "header_missing", f"{header} is missing", None))
    if not str(mb.get("client_id", "")).strip():
        out.append(
            Problem(
                "misbehaviour.client_id",
                "client_id_missing",
                "client_id must be the consumer's client id (deprecated but still validated)",
                None,
            )
        )
    return out
