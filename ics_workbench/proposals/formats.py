"""The three file formats: gov ``submit-proposal`` JSON, the provider CLI's create/update-consumer files, and
the v4/v5 ``submit-legacy-proposal`` files. Export and import are exact inverses (round-trip tested).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from ics_workbench.proposals.codec import ProposalFormatError, decode, encode
from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.models import (
    EXEC_LEGACY_CONTENT,
    MESSAGE_TYPES,
    ChangeRewardDenomsProposal,
    ConsumerAdditionProposal,
    ConsumerModificationProposal,
    ConsumerRemovalProposal,
    EquivocationProposal,
    IcsMessage,
    MsgCreateConsumer,
    MsgUpdateConsumer,
)
from ics_workbench.proposals.problems import Problem, Severity
from ics_workbench.proposals.versions import ProviderVersion

Format = Literal["gov", "provider-cli", "legacy"]

_GOV_KEYS = ("messages", "metadata", "deposit", "title", "summary", "expedited")


class ExportError(ProposalFormatError):
    """The draft cannot be written in the requested format (e.g. two messages for the provider CLI)."""


# --- gov v1 submit-proposal --------------------------------------------------------------------------------


def message_to_proto_json(
    msg: IcsMessage, *, gov_address: str, authority: str | None = None, version: ProviderVersion | None = None
) -> dict[str, Any]:
    """One message as ``{"@type": ..., fields}``; legacy content is wrapped in MsgExecLegacyContent."""
    body = {"@type": msg.type_url, **encode(msg, "proto", version=version)}
    if msg.is_legacy_content:
        return {"@type": EXEC_LEGACY_CONTENT, "content": body, "authority": authority or gov_address}
    return body


def to_gov_json(
    draft: ProposalDraft, *, gov_address: str, version: ProviderVersion | None = None
) -> dict[str, Any]:
    return {
        "messages": [
            message_to_proto_json(
                m, gov_address=gov_address, authority=draft.legacy_authorities.get(i), version=version
            )
            for i, m in enumerate(draft.messages)
        ],
        "metadata": draft.metadata,
        "deposit": draft.deposit,
        "title": draft.title,
        "summary": draft.summary,
        "expedited": draft.expedited,
    }


def message_from_proto_json(
    data: Any, path: str, notes: list[Problem], *, wrapped: bool = False
) -> tuple[IcsMessage, str | None]:
    """Returns the message and, for MsgExecLegacyContent, the authority it carried."""
    if not isinstance(data, dict) or "@type" not in data:
        raise ProposalFormatError(path, "each message needs an \"@type\" (protobuf JSON Any)")
    type_url = data["@type"]
    if not isinstance(type_url, str):
        raise ProposalFormatError(f"{path}.@type", f"not an ICS provider message the workbench knows: {type_url!r}")
    body = {k: v for k, v in data.items() if k != "@type"}
    if type_url == EXEC_LEGACY_CONTENT:
        unknown = set(body) - {"content", "authority"}
        for key in sorted(unknown):
            notes.append(Problem(f"{path}.{key}", "unknown_field", f"MsgExecLegacyContent has no field {key!r}", key))
        authority = body.get("authority", "")
        content, _ = message_from_proto_json(body.get("content"), f"{path}.content", notes, wrapped=True)
        if not content.is_legacy_content:
            raise ProposalFormatError(f"{path}.content", f"{content.type_url} is a Msg, not a gov v1beta1 Content")
        return content, authority if isinstance(authority, str) else ""
    cls = MESSAGE_TYPES.get(type_url)
    if cls is None:
        raise ProposalFormatError(f"{path}.@type", f"not an ICS provider message the workbench knows: {type_url!r}")
    if cls.is_legacy_content and not wrapped:
        notes.append(
            Problem(
                f"{path}.@type",
                "content_not_wrapped",
                "legacy Content must be wrapped in /cosmos.gov.v1.MsgExecLegacyContent inside a gov v1 proposal",
                type_url,
            )
        )
    return decode(cls, body, "proto", path, notes), None


def from_gov_json(data: Any) -> ProposalDraft:
    if not isinstance(data, dict):
        raise ProposalFormatError("", "a gov proposal file is a JSON object with \"messages\"")
    notes: list[Problem] = []
    for key in data:
        if key not in _GOV_KEYS:
            notes.append(
                Problem(
                    key, "unknown_field", f"gaiad ignores the key {key!r} in a proposal file", key, Severity.WARNING
                )
            )
    raw_messages = data.get("messages") or []
    if not isinstance(raw_messages, list):
        raise ProposalFormatError("messages", "expected a list of messages")
    messages: list[IcsMessage] = []
    authorities: dict[int, str] = {}
    for i, raw in enumerate(raw_messages):
        msg, authority = message_from_proto_json(raw, f"messages[{i}]", notes)
        messages.append(msg)
        if authority is not None:
            authorities[i] = authority
    draft = ProposalDraft(messages=messages, route="gov", legacy_authorities=authorities, import_notes=notes)
    for key in ("metadata", "deposit", "title", "summary"):
        value = data.get(key, "")
        if not isinstance(value, str):
            raise ProposalFormatError(key, f"expected a string, got {value!r}")
        setattr(draft, key, value)
    expedited = data.get("expedited", False)
    if not isinstance(expedited, bool):
        raise ProposalFormatError("expedited", f"expected true or false, got {expedited!r}")
    draft.expedited = expedited
    return draft


# --- provider CLI files (tx provider create-consumer / update-consumer) -------------------------------------


def to_provider_cli_json(draft: ProposalDraft, *, version: ProviderVersion | None = None) -> dict[str, Any]:
    """The file for ``tx provider create-consumer|update-consumer``: the signer comes from ``--from``."""
    if len(draft.messages) != 1 or not isinstance(draft.messages[0], (MsgCreateConsumer, MsgUpdateConsumer)):
        raise ExportError(
            "messages", "the provider CLI file holds exactly one MsgCreateConsumer or MsgUpdateConsumer"
        )
    msg = draft.messages[0]
    return encode(msg, "go", skip=(msg.signer_field or "",), version=version)


def from_provider_cli_json(data: Any, *, signer: str = "") -> ProposalDraft:
    if not isinstance(data, dict):
        raise ProposalFormatError("", "a provider CLI file is a JSON object")
    notes: list[Problem] = []
    cls: type[MsgCreateConsumer] | type[MsgUpdateConsumer]
    keys = {k.lower() for k in data}
    cls = MsgUpdateConsumer if "consumer_id" in keys else MsgCreateConsumer
    signer_field = cls.signer_field or ""
    body = {k: v for k, v in data.items() if k.lower() != signer_field}
    if len(body) != len(data):
        notes.append(
            Problem(
                signer_field,
                "signer_in_file_ignored",
                f"the provider CLI ignores {signer_field!r} in the file: the message is signed by --from "
                "(tell the check who signs with --signer)",
                next(v for k, v in data.items() if k.lower() == signer_field),
                Severity.WARNING,
            )
        )
    msg = decode(cls, body, "go", "", notes)
    if signer:
        setattr(msg, signer_field, signer)
    return ProposalDraft(messages=[msg], route="tx", import_notes=notes)


# --- v4/v5 submit-legacy-proposal files --------------------------------------------------------------------


def to_legacy_json(draft: ProposalDraft, *, version: ProviderVersion | None = None) -> dict[str, Any]:
    """``tx gov submit-legacy-proposal <command> FILE``: content fields, ``summary`` for the description."""
    if len(draft.messages) != 1 or not draft.messages[0].is_legacy_content:
        raise ExportError("messages", "a legacy proposal file holds exactly one legacy Content")
    content = draft.messages[0]
    body = encode(content, "go", version=version)
    if not isinstance(content, EquivocationProposal):
        body["summary"] = body.pop("description")
    body["deposit"] = draft.deposit
    return body


def _guess_legacy_type(data: dict[str, Any]) -> type[IcsMessage]:
    keys = {k.lower() for k in data}
    if "equivocations" in keys:
        return EquivocationProposal
    if "denoms_to_add" in keys or "denoms_to_remove" in keys:
        return ChangeRewardDenomsProposal
    if "stop_time" in keys:
        return ConsumerRemovalProposal
    if keys & {"spawn_time", "initial_height", "genesis_hash", "unbonding_period"}:
        return ConsumerAdditionProposal
    return ConsumerModificationProposal


def from_legacy_json(data: Any, *, content_type: type[IcsMessage] | None = None) -> ProposalDraft:
    if not isinstance(data, dict):
        raise ProposalFormatError("", "a legacy proposal file is a JSON object")
    cls = content_type or _guess_legacy_type(data)
    body = {k: v for k, v in data.items() if k.lower() not in ("deposit", "summary")}
    if cls is not EquivocationProposal and "description" not in {k.lower() for k in body}:
        body["description"] = next((v for k, v in data.items() if k.lower() == "summary"), "")
    notes: list[Problem] = []
    content = decode(cls, body, "go", "", notes)
    deposit = next((v for k, v in data.items() if k.lower() == "deposit"), "")
    if not isinstance(deposit, str):
        raise ProposalFormatError("deposit", f"expected a coins string like \"10000000uatom\", got {deposit!r}")
    title = getattr(content, "title", "")
    summary = getattr(content, "description", "")
    return ProposalDraft(
        messages=[content], title=title, summary=summary, deposit=deposit, route="gov", import_notes=notes
    )


# --- detection and text entry points -----------------------------------------------------------------------


def detect_format(data: Any) -> Format:
    if isinstance(data, dict):
        if "messages" in data:
            return "gov"
        keys = {k.lower() for k in data}
        if "deposit" in keys and "title" in keys:
            return "legacy"
        if "consumer_id" in keys or ("chain_id" in keys and "metadata" in keys):
            return "provider-cli"
    raise ProposalFormatError(
        "", "not a gov proposal (\"messages\"), a provider CLI file (\"chain_id\"+\"metadata\" or \"consumer_id\") "
        "or a legacy proposal file (\"title\"+\"deposit\")"
    )


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_text(text: str, fmt: Format | None = None, *, signer: str = "") -> tuple[ProposalDraft, Format]:
    """Parse a proposal file; ``signer`` is who will sign a provider-CLI file (its ``--from``)."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ProposalFormatError("", f"not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:
        raise ProposalFormatError("", f"not valid JSON: {exc}") from None
    fmt = fmt or detect_format(data)
    if fmt == "gov":
        return from_gov_json(data), fmt
    if fmt == "provider-cli":
        return from_provider_cli_json(data, signer=signer), fmt
    return from_legacy_json(data), fmt


def dump_text(
    draft: ProposalDraft, fmt: Format, *, gov_address: str, version: ProviderVersion | None = None
) -> str:
    if fmt == "gov":
        data = to_gov_json(draft, gov_address=gov_address, version=version)
    elif fmt == "provider-cli":
        data = to_provider_cli_json(draft, version=version)
    else:
        data = to_legacy_json(draft, version=version)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
