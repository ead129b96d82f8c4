"""Reading QR codes from pixels through zxing-cpp (its native library ships inside the PyPI wheel; no system
package), for both routes a signer has: image files (PNG/JPEG, photos of a screen) and camera frames.

Why zxing-cpp rather than zbar: no system `libzbar0` to install on an air-gapped machine, a maintained reader,
and better results on damaged, rotated or inverted codes. Everything here works on 8-bit luminance, the one
format both routes can produce without numpy: Pillow converts a file, Qt converts a camera frame
(`QImage.Format_Grayscale8`), and `decode_luminance` reads whatever QR codes are in it.

The texts come back exactly as scanned - untrusted; callers parse them (`qr.parse_frame`, `ur.decode_part`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ics_workbench.errors import WorkbenchError
from ics_workbench.signing import qr_limits

MAX_PIXELS = 40_000_000  # a 40-megapixel photo is the largest image worth scanning; beyond is refused, not decoded


class QrDecodeError(WorkbenchError):
    """No usable QR code, or the image cannot be read; the message names the input."""


@dataclass(frozen=True)
class Luminance:
    """One 8-bit grey image: `stride` bytes per row (>= width), rows top to bottom."""

    data: bytes
    width: int
    height: int
    stride: int

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0 or self.stride < self.width:
            raise QrDecodeError(f"a {self.width}x{self.height} image (stride {self.stride}) has no pixels to scan")
        if self.width * self.height > MAX_PIXELS:
            raise QrDecodeError(f"a {self.width}x{self.height} image is larger than {MAX_PIXELS:,} pixels")
        if len(self.data) < self.stride * (self.height - 1) + self.width:
            raise QrDecodeError(f"{len(self.data)} bytes cannot hold a {self.width}x{self.height} grey image")


def _zxing() -> Any:
    try:
        import zxingcpp
    except ImportError as exc:  # pragma: no cover - a dependency of the package; absent only in a broken install
        raise QrDecodeError(f"reading QR codes needs the zxing-cpp package: {exc}") from None
    return zxingcpp


def decode_luminance(image: Luminance) -> list[str]:
    """Texts of every QR code found in the image (empty when none): the camera route calls this per frame."""
    zxingcpp = _zxing()
    if image.stride == image.width:
        pixels = image.data[: image.width * image.height]
    else:
        pixels = b"".join(image.data[row * image.stride: row * image.stride + image.width]
                          for row in range(image.height))
    view = zxingcpp.ImageView(pixels, image.width, image.height, zxingcpp.ImageFormat.Lum)
    found = zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True,
                                   try_invert=True, try_downscale=True)
    return [result.text for result in found if result.valid]


def image_luminance(data: bytes, *, name: str = "image") -> Luminance:
    """An image file's bytes (any format Pillow reads) as grey pixels, opened under the QR import limits
    (pixel count, decompression bombs; `qr_limits`); refuses what is not an image."""
    try:
        import PIL  # noqa: F401  (a clear message when the optional Pillow is missing)
    except ImportError as exc:
        raise QrDecodeError(f"reading QR images needs Pillow (pip install 'ics-workbench[qr]'): {exc}") from None
    try:
        grey = qr_limits.open_frame_image(data, name)
    except qr_limits.QrLimitError as exc:
        raise QrDecodeError(str(exc)) from None
    return Luminance(grey.tobytes(), grey.width, grey.height, grey.width)


def decode_image(data: bytes, *, name: str = "image") -> list[str]:
    """Texts of the QR codes in one image file; raises when there is none, naming the image."""
    texts = decode_luminance(image_luminance(data, name=name))
    if not texts:
        raise QrDecodeError(f"{name}: no QR code found")
    return texts


class FrameScanner:
    """What a camera feeds, frame after frame: decodes each frame and hands on each QR text only once.

    A camera delivers ~30 frames a second, most of them repeating the QR frame just read (an animated display
    holds each frame a few hundred ms). Only texts not seen before are returned, so the assembler sees each
    once; `frames`/`hits` say how the scan is going (shown as progress next to the assembler's own count)."""

    def __init__(self, *, max_texts: int = 10_000) -> None:
        self._seen: set[str] = set()
        self._max_texts = max_texts
        self.frames = 0
        self.hits = 0

    def feed(self, image: Luminance) -> list[str]:
        """Decode one frame; the texts not seen before."""
        return self.accept(decode_luminance(image))

    def accept(self, texts: list[str]) -> list[str]:
        """One decoded frame's texts (decoded elsewhere, e.g. on a worker thread); the texts not seen before."""
        self.frames += 1
        new: list[str] = []
        for text in texts:
            self.hits += 1
            if text in self._seen:
                continue
            if len(self._seen) >= self._max_texts:
                raise QrDecodeError(f"more than {self._max_texts} different QR codes scanned; start the scan again")
            self._seen.add(text)
            new.append(text)
        return new
