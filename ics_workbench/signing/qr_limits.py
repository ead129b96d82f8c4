"""Limits on QR import: what an image file and a set of frames may cost before anything trusts them.

Kept apart from the decoder backend in ``qr`` (which library finds the codes is its business): a frame image is
opened here (size checked from the header before a pixel is decoded, Pillow's decompression-bomb check made an
error, every Pillow failure one ``QrError`` line), and the assembler asks here how many frames, how long a chunk
and how large the inflated payload may be (a 744 KB frame set must not inflate to 1 GB).
"""

from __future__ import annotations

import io
import warnings
import zlib
from typing import Any

from ics_workbench.errors import WorkbenchError

MAX_IMAGE_PIXELS = 40_000_000
"""a 12-megapixel phone photo fits; a 100,000 x 100,000 header is refused before decoding"""
MAX_FRAMES = 2_000
"""frames per payload (700 characters each: ~1 MB of compressed signing file)"""
MAX_CHUNK_CHARS = 3_000
"""a QR code holds at most 2,953 bytes"""
MAX_PAYLOAD_BYTES = 16 * 1024 * 1024
"""the inflated signing file (the same bound as any input file)"""


class QrLimitError(WorkbenchError):
    """A QR image or frame set is beyond what an honest signing file needs, or not an image at all."""


def open_frame_image(data: bytes, where: str) -> Any:
    """A decoded greyscale ``PIL.Image`` of one frame image, or :class:`QrLimitError` naming ``where``."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise QrLimitError(f"{where}: image: {width}x{height} pixels, more than the "
                                       f"{MAX_IMAGE_PIXELS:,}-pixel limit")
                image.seek(0)  # an animation: its first frame only
                return image.convert("L")
    except QrLimitError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise QrLimitError(f"{where}: image: decompression bomb refused ({exc})") from None
    except UnidentifiedImageError:
        raise QrLimitError(f"{where}: image: not a readable image (not a format Pillow knows)") from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError, TypeError, IndexError, KeyError,
            struct_error(), ZeroDivisionError) as exc:
        raise QrLimitError(f"{where}: image: not a readable image ({type(exc).__name__}: {str(exc)[:120]})") from None


def struct_error() -> type[Exception]:
    import struct

    return struct.error


def check_frame(count: int, chunk: str) -> None:
    if count > MAX_FRAMES:
        raise QrLimitError(f"QR frame set of {count:,} frames, more than the {MAX_FRAMES:,}-frame limit")
    if len(chunk) > MAX_CHUNK_CHARS:
        raise QrLimitError(f"QR frame chunk of {len(chunk):,} characters, more than a QR code holds")


def inflate(packed: bytes) -> bytes:
    """zlib-decompress at most :data:`MAX_PAYLOAD_BYTES`; a bomb stops at the limit, never allocating more."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(packed, MAX_PAYLOAD_BYTES + 1)
    except zlib.error as exc:
        raise QrLimitError(f"the reassembled QR payload does not decompress ({exc})") from None
    if len(out) > MAX_PAYLOAD_BYTES or inflater.unconsumed_tail:
        raise QrLimitError(f"the QR payload inflates to more than the {MAX_PAYLOAD_BYTES:,}-byte limit")
    if not inflater.eof:
        raise QrLimitError("the reassembled QR payload is truncated (zlib stream incomplete)")
    return out
