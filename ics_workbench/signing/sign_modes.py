"""Which sign modes can sign a given set of messages, decided BEFORE any key is touched, with a reason to show.

Why: LEGACY_AMINO_JSON (the mode of Ledger devices and of legacy multisig) cannot encode everything the chain
accepts in direct mode - a Duration past int64 nanoseconds, for one, which the chain's own encoder refuses too.
ICS v7 provider messages declare no `amino.name` but ARE encodable (typed by their URL, as the SDK does). Instead of
failing mid-ceremony, the UI asks `mode_support(...)` and greys out only what the chain would refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from google.protobuf import any_pb2
from google.protobuf.message import Message

from ics_workbench.errors import WorkbenchError
from ics_workbench.proto import registry
from ics_workbench.signing import amino
from ics_workbench.signing.signmode import SignMode

_DIRECT_REASON = ("SIGN_MODE_DIRECT signs the protobuf SignDoc and works for every message "
                  "(software keys; the Ledger Cosmos app only signs LEGACY_AMINO_JSON)")


@dataclass(frozen=True)
class ModeSupport:
    mode: SignMode
    ok: bool
    reason: str


class SignModeUnavailable(WorkbenchError):
    """The chosen sign mode cannot sign these messages; the text says which message and why."""


def _amino_problem(messages: Sequence[Message | any_pb2.Any], ics_version: str | None) -> str | None:
    for index, msg in enumerate(messages):
        try:
            amino.encode_message(msg, ics_version=ics_version)
        except amino.AminoUnsupported as exc:
            url = msg.type_url if isinstance(msg, any_pb2.Any) else registry.type_url_of(msg)
            return f"message {index + 1} ({url}): {exc}"
    return None


def mode_support(messages: Sequence[Message | any_pb2.Any], *,
                 ics_version: str | None = None) -> dict[SignMode, ModeSupport]:
    """Every sign mode with whether it can sign `messages` and the reason, in words for the signer."""
    problem = _amino_problem(messages, ics_version)
    amino_support = (ModeSupport(SignMode.LEGACY_AMINO_JSON, False, problem) if problem else
                     ModeSupport(SignMode.LEGACY_AMINO_JSON, True,
                                 "every message has a legacy amino JSON form (messages without an amino name are "
                                 "typed by their URL, as the chain does), so LEGACY_AMINO_JSON (Ledger, legacy "
                                 "multisig) can sign it"))
    return {SignMode.DIRECT: ModeSupport(SignMode.DIRECT, True, _DIRECT_REASON),
            SignMode.LEGACY_AMINO_JSON: amino_support}


def require_mode(messages: Sequence[Message | any_pb2.Any], mode: SignMode, *, ics_version: str | None = None) -> None:
    support = mode_support(messages, ics_version=ics_version)[mode]
    if not support.ok:
        raise SignModeUnavailable(f"{mode.label} cannot sign this transaction: {support.reason}")
