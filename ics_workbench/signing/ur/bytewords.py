"""Bytewords (BCR-2020-012), minimal style: each byte as the first and last letter of its word, CRC-32 appended."""

from __future__ import annotations

import zlib

from ics_workbench.errors import WorkbenchError

# The 256 four-letter words of the standard, in byte order.
_WORDS = (  # noqa: SIM905 - the standard's word table, kept readable as text
    "able acid also apex aqua arch atom aunt away axis back bald barn belt beta bias blue body brag brew bulb buzz "
    "calm cash cats chef city claw code cola cook cost crux curl cusp cyan dark data days deli dice diet door down "
    "draw drop drum dull duty each easy echo edge epic even exam exit eyes fact fair fern figs film fish fizz flap "
    "flew flux foxy free frog fuel fund gala game gear gems gift girl glow good gray grim guru gush gyro half hang "
    "hard hawk heat help high hill holy hope horn huts iced idea idle inch inky into iris iron item jade jazz join "
    "jolt jowl judo jugs jump junk jury keep keno kept keys kick kiln king kite kiwi knob lamb lava lazy leaf legs "
    "liar limp lion list logo loud love luau luck lung main many math maze memo menu meow mild mint miss monk nail "
    "navy need news next noon note numb obey oboe omit onyx open oval owls paid part peck play plus poem pool pose "
    "puff puma purr quad quiz race ramp real redo rich road rock roof ruby ruin runs rust safe saga scar sets silk "
    "skew slot soap solo song stub surf swan taco task taxi tent tied time tiny toil tomb toys trip tuna twin ugly "
    "undo unit urge user vast very veto vial vibe view visa void vows wall wand warm wasp wave waxy webs what when "
    "whiz wolf work yank yawn yell yoga yurt zaps zero zest zinc zone zoom"
).split()
assert len(_WORDS) == 256
_MINIMAL = [w[0] + w[3] for w in _WORDS]
_FROM_MINIMAL = {m: i for i, m in enumerate(_MINIMAL)}
assert len(_FROM_MINIMAL) == 256


class BytewordsError(WorkbenchError):
    """Text that is not valid minimal bytewords, or whose checksum fails."""


def encode_minimal(data: bytes) -> str:
    body = data + zlib.crc32(data).to_bytes(4, "big")
    return "".join(_MINIMAL[b] for b in body)


def decode_minimal(text: str) -> bytes:
    lowered = text.lower()
    if len(lowered) % 2 or len(lowered) < 10:
        raise BytewordsError("bytewords text has an odd length or is too short to hold a checksum")
    out = bytearray()
    for i in range(0, len(lowered), 2):
        value = _FROM_MINIMAL.get(lowered[i:i + 2])
        if value is None:
            raise BytewordsError(f"{lowered[i:i + 2]!r} at position {i} is not a byteword")
        out.append(value)
    body, checksum = bytes(out[:-4]), bytes(out[-4:])
    if zlib.crc32(body).to_bytes(4, "big") != checksum:
        raise BytewordsError("bytewords checksum mismatch (misread); scan again")
    return body
