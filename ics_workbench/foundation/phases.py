"""Consumer chain phases, spelled one way: the provider's v6+ enum names without the ``CONSUMER_PHASE_`` prefix.

The provider's REST answers spell them ``CONSUMER_PHASE_LAUNCHED`` (proto-JSON enum names, or the enum number
on some gateways), the CLI filters want the long name; inside the workbench every phase is normalised once, at
the boundary, with :func:`normalize_phase`. On v4/v5 a registered chain is ``LAUNCHED`` and a passed, not yet
spawned addition proposal is ``INITIALIZED``.
"""

from __future__ import annotations

from typing import Literal

ConsumerPhase = Literal["UNSPECIFIED", "REGISTERED", "INITIALIZED", "LAUNCHED", "STOPPED", "DELETED"]

PREFIX = "CONSUMER_PHASE_"
REGISTERED: ConsumerPhase = "REGISTERED"
INITIALIZED: ConsumerPhase = "INITIALIZED"
LAUNCHED: ConsumerPhase = "LAUNCHED"
ACTIVE_PHASES: tuple[ConsumerPhase, ...] = (REGISTERED, INITIALIZED, LAUNCHED)
"""Phases in which a consumer still exists for the provider (it can be updated, opted into, launched)."""
PRELAUNCH_PHASES: tuple[ConsumerPhase, ...] = (REGISTERED, INITIALIZED)

_BY_NUMBER: tuple[ConsumerPhase, ...] = ("UNSPECIFIED", "REGISTERED", "INITIALIZED", "LAUNCHED", "STOPPED", "DELETED")


def normalize_phase(value: object) -> str:
    """``"CONSUMER_PHASE_LAUNCHED"``, ``"LAUNCHED"`` or the enum number 3 -> ``"LAUNCHED"``.

    An unknown name (a newer provider's phase) is kept, without its prefix, rather than guessed."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(_BY_NUMBER):
        return _BY_NUMBER[value]
    text = str(value).strip()
    if text.isdigit() and int(text) < len(_BY_NUMBER):
        return _BY_NUMBER[int(text)]
    return text.removeprefix(PREFIX)


def proto_phase(phase: str) -> str:
    """The provider's enum name, as its REST filters and CLI want it: ``"LAUNCHED"`` ->
    ``"CONSUMER_PHASE_LAUNCHED"``."""
    return PREFIX + normalize_phase(phase)
