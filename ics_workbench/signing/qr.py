"""Multi-frame QR codes for moving signing files across an air gap without a USB stick.

Real evidence transactions are tens of KB, far beyond one QR code, and a camera misses or misreads frames.
So a payload is zlib-compressed, base64-encoded and cut into frames; each frame is self-describing text::

    ICSW1:<index>/<count>:<sha256 of the whole compressed payload, hex>:<crc32 of this chunk, hex>:<chunk>

Frames may arrive in any order and repeat (an animated display loops); :class:`QrAssembler` keeps the
first good copy of each, rejects frames of another payload or with a bad chunk checksum, and returns the
payload only when every frame is present and the SHA-256 of the reassembled bytes matches. Nothing ever
trusts a single frame.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import zlib
from dataclasses import dataclass

import segno

from ics_workbench.errors import WorkbenchError
from ics_workbench.signing import qr_limits

MAGIC = "ICSW1"
DEFAULT_CHUNK = 700  # base64 characters per frame: QR version ~22 at level M, scannable from a screen


class QrError(WorkbenchError):
    """A frame or a reassembled QR payload is unusable; the message says which and why."""


@dataclass(frozen=True)
class Frame:
    index: int  # 1-based
    count: int
    digest: str
    chunk: str

    def text(self) -> str:
        crc = format(zlib.crc32(self.chunk.encode()), "08x")
        return f"{MAGIC}:{self.index}/{self.count}:{self.digest}:{crc}:{self.chunk}"


def split_payload(payload: bytes, *, chunk_chars: int = DEFAULT_CHUNK) -> list[Frame]:
    """Compress and cut ``payload`` into frames (at least one)."""
    if chunk_chars < 16:
        raise ValueError("chunk_chars must be at least 16")
    packed = zlib.compress(payload, 9)
    digest = hashlib.sha256(packed).hexdigest()
    text = base64.b64encode(packed).decode()
    chunks = [text[i : i + chunk_chars] for i in range(0, len(text), chunk_chars)] or [""]
    return [Frame(i, len(chunks), digest, chunk) for i, chunk in enumerate(chunks, 1)]


def parse_frame(text: str) -> Frame:
    parts = text.strip().split(":", 4)
    if len(parts) != 5 or parts[0] != MAGIC:
        raise QrError(f"not an ics-workbench signing QR frame (expected it to start with {MAGIC}:)")
    _, position, digest, crc, chunk = parts
    try:
        index_text, count_text = position.split("/")
        index, count = int(index_text), int(count_text)
    except ValueError:
        raise QrError(f"QR frame has a malformed position {position!r} (expected i/n)") from None
    if not 1 <= index <= count:
        raise QrError(f"QR frame position {index}/{count} is out of range")
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise QrError("QR frame has a malformed payload digest")
    if format(zlib.crc32(chunk.encode()), "08x") != crc:
        raise QrError(f"QR frame {index}/{count} failed its checksum (misread); scan it again")
    return Frame(index, count, digest, chunk)


class QrAssembler:
    """Collects scanned frames until the payload is complete and verified."""

    def __init__(self) -> None:
        self._digest: str | None = None
        self._count = 0
        self._chunks: dict[int, str] = {}

    def add(self, text: str) -> bool:
        """Add one scanned frame; True when it was new. Raises for frames of another payload."""
        frame = parse_frame(text)
        qr_limits.check_frame(frame.count, frame.chunk)
        if self._digest is None:
            self._digest, self._count = frame.digest, frame.count
        elif frame.digest != self._digest or frame.count != self._count:
            raise QrError(
                f"QR frame {frame.index}/{frame.count} belongs to another payload (digest {frame.digest[:12]}..., "
                f"collecting {self._digest[:12]}... with {self._count} frames)"
            )
        if frame.index in self._chunks:
            return False
        self._chunks[frame.index] = frame.chunk
        return True

    @property
    def missing(self) -> list[int]:
        return [i for i in range(1, self._count + 1) if i not in self._chunks]

    @property
    def progress(self) -> tuple[int, int]:
        return len(self._chunks), self._count

    def payload(self) -> bytes:
        if self._digest is None:
            raise QrError("no QR frame was read")
        if self.missing:
            shown = ", ".join(map(str, self.missing[:20])) + (" ..." if len(self.missing) > 20 else "")
            raise QrError(f"{len(self.missing)} of {self._count} QR frames are missing: {shown}")
        text = "".join(self._chunks[i] for i in range(1, self._count + 1))
        try:
            packed = base64.b64decode(text, validate=True)
        except binascii.Error:
            raise QrError("the reassembled QR payload is not valid base64") from None
        if hashlib.sha256(packed).hexdigest() != self._digest:
            raise QrError("the reassembled QR payload does not match its SHA-256 digest; rescan all frames")
        return qr_limits.inflate(packed)


def frame_qr(frame: Frame) -> segno.QRCode:
    """One frame as a QR code (byte mode, error level M, version chosen by size)."""
    return segno.make_qr(frame.text(), error="m", boost_error=False)


def frame_png(frame: Frame, *, scale: int = 4) -> bytes:
    out = io.BytesIO()
    frame_qr(frame).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_png(text: str, *, scale: int = 4) -> bytes:
    """Any text (an ICSW1 frame, a UR part) as a QR code PNG (error level M, smallest mode that fits)."""
    out = io.BytesIO()
    segno.make_qr(text, error="m", boost_error=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def decode_png_frames(images: list[bytes]) -> list[str]:
    """Decode QR frames from image files (PNG, JPEG, ...) through zxing-cpp (`qr_decode`)."""
    from ics_workbench.signing import qr_decode

    texts: list[str] = []
    for number, data in enumerate(images, 1):
        try:
            texts.extend(qr_decode.decode_image(data, name=f"image {number}"))
        except qr_decode.QrDecodeError as exc:
            raise QrError(str(exc)) from None
    return texts
