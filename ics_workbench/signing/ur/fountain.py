"""The UR fountain code (BCR-2020-005): a message cut into equal fragments, sent as parts that loop forever.

Parts 1..n carry one fragment each ("pure"); later parts XOR a pseudo-random set of fragments chosen from the part
number and the message checksum (Xoshiro256** seeded by SHA-256, a 1/k degree distribution drawn by the alias
method, a Fisher-Yates-like shuffle). A scanner that misses pure parts recovers them from mixed ones. The random
choices must equal the reference implementation's draw for draw, floating-point rounding included, or the
receiver XORs the wrong fragments - tests/js checks this against `@ngraveio/bc-ur`.
"""

from __future__ import annotations

import hashlib
import math
import zlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

import cbor2

from ics_workbench.errors import WorkbenchError

_MASK = (1 << 64) - 1
# bignumber.js is handed the JS number 2**64, which it reads through String(): "18446744073709552000"
_DIVISOR = Decimal("18446744073709552000")
_EXACT = Context(prec=80)
_TWENTY_PLACES = Decimal(1).scaleb(-20)
MAX_MESSAGE = 4 * 1024 * 1024  # a UR message larger than this is refused before any allocation
MAX_FRAGMENTS = 10_000


class FountainError(WorkbenchError):
    """A part that does not decode or belongs to another message."""


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (64 - k))) & _MASK


class Xoshiro256:
    """xoshiro256** seeded with SHA-256(seed) read as four big-endian 64-bit words."""

    def __init__(self, seed: bytes) -> None:
        digest = hashlib.sha256(seed).digest()
        self.s = [int.from_bytes(digest[i * 8:(i + 1) * 8], "big") for i in range(4)]

    def next(self) -> int:
        s = self.s
        result = (_rotl((s[1] * 5) & _MASK, 7) * 9) & _MASK
        t = (s[1] << 17) & _MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 45)
        return result

    def next_double(self) -> float:
        # the reference divides with bignumber.js (20 decimal places, half-up) and then reads a JS number
        exact = _EXACT.divide(Decimal(self.next()), _DIVISOR)
        return float(exact.quantize(_TWENTY_PLACES, rounding=ROUND_HALF_UP, context=_EXACT))

    def next_int(self, low: int, high: int) -> int:
        return math.floor(self.next_double() * (high - low + 1) + low)


def _choose_degree(seq_len: int, rng: Xoshiro256) -> int:
    probabilities = [1 / (i + 1) for i in range(seq_len)]
    total = 0.0
    for p in probabilities:
        total += p
    scaled = [(p * seq_len) / total for p in probabilities]
    prob: list[float] = [0.0] * seq_len
    alias: list[int] = [0] * seq_len
    small = [i for i in range(seq_len - 1, -1, -1) if scaled[i] < 1]
    large = [i for i in range(seq_len - 1, -1, -1) if scaled[i] >= 1]
    while small and large:
        less, more = small.pop(), large.pop()
        prob[less], alias[less] = scaled[less], more
        scaled[more] = (scaled[more] + scaled[less]) - 1
        (small if scaled[more] < 1 else large).append(more)
    while large:
        prob[large.pop()] = 1
    while small:
        prob[small.pop()] = 1
    column = math.floor(rng.next_double() * seq_len)
    return (column if rng.next_double() < prob[column] else alias[column]) + 1


def choose_fragments(seq_num: int, seq_len: int, checksum: int) -> list[int]:
    """Indexes of the fragments XORed into part `seq_num` (1-based)."""
    if seq_num <= seq_len:
        return [seq_num - 1]
    rng = Xoshiro256(seq_num.to_bytes(4, "big") + checksum.to_bytes(4, "big"))
    degree = _choose_degree(seq_len, rng)
    remaining = list(range(seq_len))
    shuffled = []
    while remaining:
        shuffled.append(remaining.pop(rng.next_int(0, len(remaining) - 1)))
    return shuffled[:degree]


def nominal_fragment_length(message_len: int, min_len: int, max_len: int) -> int:
    max_count = math.ceil(message_len / min_len)
    length = 0
    for count in range(1, max_count + 1):
        length = math.ceil(message_len / count)
        if length <= max_len:
            break
    return length


@dataclass(frozen=True)
class Part:
    seq_num: int
    seq_len: int
    message_len: int
    checksum: int
    data: bytes

    def cbor(self) -> bytes:
        return cbor2.dumps([self.seq_num, self.seq_len, self.message_len, self.checksum, self.data])

    @staticmethod
    def from_cbor(raw: bytes) -> Part:
        try:
            value = cbor2.loads(raw)
        except (cbor2.CBORDecodeError, ValueError, TypeError) as exc:
            raise FountainError(f"a UR part is not valid CBOR ({exc.__class__.__name__})") from None
        if (not isinstance(value, list) or len(value) != 5 or not all(type(v) is int for v in value[:4])
                or not isinstance(value[4], bytes) or not value[4]):
            raise FountainError("a UR part is not [seqNum, seqLen, messageLen, checksum, fragment]")
        seq_num, seq_len, message_len, checksum, data = value
        if not (0 < seq_num < 2**32 and 0 < seq_len <= MAX_FRAGMENTS and 0 < message_len <= MAX_MESSAGE
                and 0 <= checksum < 2**32) or seq_len * len(data) < message_len:
            raise FountainError(f"UR part {seq_num}/{seq_len} declares impossible sizes")
        return Part(seq_num, seq_len, message_len, checksum, bytes(data))


class FountainEncoder:
    def __init__(self, message: bytes, *, max_fragment: int = 200, min_fragment: int = 10) -> None:
        if not message:
            raise FountainError("an empty message has no UR parts")
        self.length = nominal_fragment_length(len(message), min_fragment, max_fragment)
        padded = message + b"\x00" * (-len(message) % self.length)
        self.fragments = [padded[i:i + self.length] for i in range(0, len(padded), self.length)]
        self.message_len = len(message)
        self.checksum = zlib.crc32(message)

    @property
    def seq_len(self) -> int:
        return len(self.fragments)

    def part(self, seq_num: int) -> Part:
        mixed = bytearray(self.length)
        for index in choose_fragments(seq_num, self.seq_len, self.checksum):
            for i, b in enumerate(self.fragments[index]):
                mixed[i] ^= b
        return Part(seq_num, self.seq_len, self.message_len, self.checksum, bytes(mixed))


class FountainDecoder:
    """Collects parts in any order, repeats ignored, until the message is whole and its CRC-32 matches."""

    def __init__(self) -> None:
        self.header: tuple[int, int, int, int] | None = None  # seq_len, message_len, checksum, fragment length
        self.known: dict[int, bytes] = {}
        self.mixed: dict[frozenset[int], bytes] = {}
        self.seen: set[int] = set()

    def add(self, part: Part) -> bool:
        header = (part.seq_len, part.message_len, part.checksum, len(part.data))
        if self.header is None:
            self.header = header
        elif header != self.header:
            raise FountainError(f"UR part {part.seq_num} belongs to another message")
        if part.seq_num in self.seen:
            return False
        self.seen.add(part.seq_num)
        indexes = frozenset(choose_fragments(part.seq_num, part.seq_len, part.checksum))
        self._reduce(indexes, part.data)
        return True

    def _reduce(self, indexes: frozenset[int], data: bytes) -> None:
        pending = [(indexes, data)]
        while pending:
            indexes, data = pending.pop()
            for index in indexes & self.known.keys():
                data = bytes(a ^ b for a, b in zip(data, self.known[index], strict=True))
            indexes = frozenset(indexes - self.known.keys())
            if not indexes or indexes in self.mixed:
                continue
            if len(indexes) > 1:
                self.mixed[indexes] = data
                continue
            (index,) = indexes
            self.known[index] = data
            for other in [m for m in self.mixed if index in m]:
                pending.append((other, self.mixed.pop(other)))

    @property
    def progress(self) -> tuple[int, int]:
        return len(self.known), (self.header[0] if self.header else 0)

    def message(self) -> bytes | None:
        """The whole message once every fragment is known; raises when its checksum fails."""
        if self.header is None or len(self.known) < self.header[0]:
            return None
        seq_len, message_len, checksum, _ = self.header
        message = b"".join(self.known[i] for i in range(seq_len))[:message_len]
        if zlib.crc32(message) != checksum:
            raise FountainError("the reassembled UR message fails its CRC-32; scan again")
        return message
