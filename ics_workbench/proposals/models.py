"""The draft models of every ICS provider message and legacy content the workbench drafts, built at import from
the provider's protobuf descriptors (see :mod:`ics_workbench.proposals.schema`); static types in ``models.pyi``.

Field names are the proto names (``top_N`` included) because both JSON formats use them. Which fields a user
actually wrote is kept by pydantic in ``model_fields_set``: the update diff uses it to tell an explicit zero from a
field the chain will silently reset.
"""

from __future__ import annotations

from ics_workbench.proposals.model_base import (
    DAY_NS,
    EXEC_LEGACY_CONTENT,
    MSG_SUBMIT_PROPOSAL,
    NS,
    PERMANENT_JAIL_NS,
    PROVIDER_PKG,
    IcsMessage,
    IcsModel,
    Wire,
)
from ics_workbench.proposals.schema import build_models, provider_descriptors

BUILT = build_models(provider_descriptors())
globals().update(BUILT.models)

MESSAGE_TYPES: dict[str, type[IcsMessage]] = {cls.type_url: cls for cls in BUILT.messages.values()}

__all__ = [
    "BUILT", "DAY_NS", "EXEC_LEGACY_CONTENT", "MESSAGE_TYPES", "MSG_SUBMIT_PROPOSAL", "NS", "PERMANENT_JAIL_NS",
    "PROVIDER_PKG", "IcsMessage", "IcsModel", "Wire", *BUILT.models,
]
