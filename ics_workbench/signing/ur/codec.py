"""UR text: `ur:<type>/<bytewords>` for one part, `ur:<type>/<n>-<total>/<bytewords>` for animated parts.

Scanned text is untrusted: it is bounded in length, the type must be `[a-z0-9-]+`, every part carries a CRC-32
(bytewords) and the whole message another (fountain), and parts of another type or message are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ics_workbench.errors import WorkbenchError
from ics_workbench.signing.ur import bytewords, fountain

MAX_PART_TEXT = 8_000  # far beyond any QR code's capacity (a version-40 QR holds 4,296 alphanumerics)
_TYPE = re.compile(r"[a-z0-9-]+")
_SEQ = re.compile(r"([1-9][0-9]{0,9})-([1-9][0-9]{0,9})")


class URError(WorkbenchError):
    """Text that is not a usable UR (part); the message says which and why."""


@dataclass(frozen=True)
class UR:
    type: str
    cbor: bytes


def encode_single(ur: UR) -> str:
    return f"ur:{ur.type}/{bytewords.encode_minimal(ur.cbor)}"


class UREncoder:
    """The animated form: parts 1..n are the pure fragments, then mixed parts for as long as the display loops."""

    def __init__(self, ur: UR, *, max_fragment: int = 200) -> None:
        if not _TYPE.fullmatch(ur.type):
            raise URError(f"{ur.type!r} is not a UR type")
        self.ur = ur
        self.fountain = fountain.FountainEncoder(ur.cbor, max_fragment=max_fragment)

    @property
    def single(self) -> bool:
        return self.fountain.seq_len == 1

    def part(self, seq_num: int) -> str:
        """Text of part `seq_num` (1-based, unbounded); a one-fragment message is always the single-part form."""
        if self.single:
            return encode_single(self.ur)
        part = self.fountain.part(seq_num)
        return f"ur:{self.ur.type}/{seq_num}-{part.seq_len}/{bytewords.encode_minimal(part.cbor())}"

    def parts(self, count: int | None = None) -> list[str]:
        """The first `count` parts (default: the pure ones plus a third as many mixed ones, for a looping display)."""
        n = self.fountain.seq_len
        total = count if count is not None else (1 if self.single else n + max(1, n // 3))
        return [self.part(i) for i in range(1, total + 1)]


class URDecoder:
    """Feed scanned texts in any order; `result` is the UR once complete. Texts of another UR are refused."""

    def __init__(self, *, expected_type: str | None = None) -> None:
        self.expected_type = expected_type
        self.type: str | None = None
        self.fountain = fountain.FountainDecoder()
        self.result: UR | None = None

    def receive(self, text: str) -> bool:
        """Add one scanned text; True when it was new."""
        if len(text) > MAX_PART_TEXT:
            raise URError(f"a UR text of {len(text)} characters is longer than any QR code holds")
        lowered = text.strip().lower()
        if not lowered.startswith("ur:"):
            raise URError("not a UR (it does not start with ur:)")
        pieces = lowered[3:].split("/")
        ur_type = pieces[0]
        if not _TYPE.fullmatch(ur_type):
            raise URError(f"the UR type {ur_type[:40]!r} has characters other than a-z, 0-9 and -")
        if self.expected_type is not None and ur_type != self.expected_type:
            raise URError(f"this is a {ur_type} UR; a {self.expected_type} was expected")
        if self.type is not None and ur_type != self.type:
            raise URError(f"this {ur_type} UR part belongs to another UR (collecting {self.type})")
        self.type = ur_type
        try:
            if len(pieces) == 2:
                if self.result is not None:
                    return False
                self.result = UR(ur_type, bytewords.decode_minimal(pieces[1]))
                return True
            if len(pieces) != 3 or not _SEQ.fullmatch(pieces[1]):
                raise URError("a UR part must look like ur:<type>/<n>-<total>/<bytewords>")
            part = fountain.Part.from_cbor(bytewords.decode_minimal(pieces[2]))
            seq_num, seq_len = (int(v) for v in pieces[1].split("-"))
            if (seq_num, seq_len) != (part.seq_num, part.seq_len):
                raise URError(f"UR part {pieces[1]} carries the data of part {part.seq_num}-{part.seq_len}")
            new = self.fountain.add(part)
            message = self.fountain.message()
        except (bytewords.BytewordsError, fountain.FountainError) as exc:
            raise URError(str(exc)) from None
        if message is not None and self.result is None:
            self.result = UR(ur_type, message)
        return new

    @property
    def progress(self) -> tuple[int, int]:
        """(fragments known, fragments in all); (1, 1) for a complete single-part UR."""
        if self.result is not None:
            return (1, 1) if self.fountain.header is None else self.fountain.progress
        return self.fountain.progress


def decode(texts: list[str], *, expected_type: str | None = None) -> UR:
    """The UR in these scanned texts (one single-part text, or enough animated parts in any order)."""
    decoder = URDecoder(expected_type=expected_type)
    for text in texts:
        decoder.receive(text)
    if decoder.result is None:
        known, total = decoder.progress
        raise URError(f"the UR is incomplete: {known} of {total} fragments recovered; scan more frames")
    return decoder.result
