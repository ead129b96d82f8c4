"""BIP44 derivation paths, parsed strictly.

cosmpy silently truncates long path segments (``/1000`` derives ``/100``) and cuts 6-level paths to 5, so a
typo would derive a different, unrecoverable-looking account without a word of warning. We parse the path
ourselves with the rules the Cosmos SDK enforces (``hd.NewParamsFromPath``): exactly five levels, purpose
``44'``, coin type and account hardened, change (0 or 1) and address index not hardened, every index below
2^31.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ics_workbench.errors import WorkbenchError

HARDENED = 0x80000000
DEFAULT_HD_PATH = "m/44'/118'/0'/0/0"

_SEGMENT = re.compile(r"^(0|[1-9][0-9]*)('?)$")
_LEVEL_NAMES = ("purpose", "coin type", "account", "change", "address index")
_MUST_BE_HARDENED = (True, True, True, False, False)


class HDPathError(WorkbenchError):
    """The HD path text breaks one of the BIP44 rules; the message names the level and the rule."""


@dataclass(frozen=True)
class HDPath:
    """A validated BIP44 path; ``indices`` carry the hardened bit (``HARDENED | n``)."""

    indices: tuple[int, ...]

    def __str__(self) -> str:
        parts = [f"{i & ~HARDENED}'" if i & HARDENED else str(i) for i in self.indices]
        return "m/" + "/".join(parts)


def parse_hd_path(text: str) -> HDPath:
    """Parse ``m/44'/118'/0'/0/0``-style text, refusing anything the Cosmos SDK would refuse."""
    raw = text.strip()
    if not raw.startswith("m/"):
        raise HDPathError(f"invalid HD path {raw!r}: it must start with \"m/\" (e.g. {DEFAULT_HD_PATH})")
    segments = raw[2:].split("/")
    if len(segments) != len(_LEVEL_NAMES):
        raise HDPathError(
            f"invalid HD path {raw!r}: it has {len(segments)} levels, BIP44 needs exactly 5 "
            "(purpose'/coin_type'/account'/change/address_index)"
        )
    indices: list[int] = []
    for position, (segment, name, hardened) in enumerate(
        zip(segments, _LEVEL_NAMES, _MUST_BE_HARDENED, strict=True), 1
    ):
        match = _SEGMENT.match(segment)
        if not match:
            raise HDPathError(
                f"invalid HD path {raw!r}: level {position} ({name}) is {segment!r}, expected a decimal number "
                "without leading zeros, optionally followed by ' (hardened)"
            )
        value = int(match.group(1))
        is_hardened = bool(match.group(2))
        if value >= HARDENED:
            raise HDPathError(f"invalid HD path {raw!r}: level {position} ({name}) index {value} is not below 2^31")
        if is_hardened != hardened:
            rule = "must be hardened (add ')" if hardened else "must not be hardened (remove ')"
            raise HDPathError(f"invalid HD path {raw!r}: level {position} ({name}) {rule}")
        indices.append(value | HARDENED if is_hardened else value)
    if indices[0] != 44 | HARDENED:
        raise HDPathError(f"invalid HD path {raw!r}: purpose must be 44' (BIP44), got {segments[0]}")
    if indices[3] not in (0, 1):
        raise HDPathError(f"invalid HD path {raw!r}: change must be 0 or 1, got {segments[3]}")
    return HDPath(tuple(indices))
