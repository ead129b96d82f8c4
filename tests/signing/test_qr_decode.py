"""zxing-cpp decoding: image files of every kind a signer produces, recorded camera frames, and bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from ics_workbench.signing import qr_decode
from ics_workbench.signing.qr import QrAssembler, frame_png, split_payload

FRAMES = Path(__file__).parent / "data" / "camera_frames"


def _recorded() -> tuple[str, dict[str, str]]:
    index = json.loads((FRAMES / "frames.json").read_text())
    return index["payload"], index["frames"]


def test_recorded_camera_frames_reassemble_the_payload() -> None:
    payload, frames = _recorded()
    scanner, assembler = qr_decode.FrameScanner(), QrAssembler()
    for name, expected in sorted(frames.items()):
        image = qr_decode.image_luminance((FRAMES / name).read_bytes(), name=name)
        new = scanner.feed(image)
        assert new in ([expected], []), name  # rotated, skewed, blurred, noisy and inverted frames all read
        for text in new:
            assembler.add(text)
    assert scanner.frames == len(frames) and scanner.hits == len(frames)
    assert assembler.payload() == payload.encode()
    # the same frame again (a camera sees each frame many times) is not handed on twice
    again = qr_decode.image_luminance((FRAMES / sorted(frames)[0]).read_bytes())
    assert scanner.feed(again) == [] and scanner.hits == len(frames) + 1


def test_padded_rows_and_jpeg_photos_decode() -> None:
    (frame,) = split_payload(b"stride and jpeg")
    grey = Image.open(io.BytesIO(frame_png(frame))).convert("L")
    padded = b"".join(grey.tobytes()[r * grey.width:(r + 1) * grey.width] + b"\x7f" * 13 for r in range(grey.height))
    assert qr_decode.decode_luminance(qr_decode.Luminance(padded, grey.width, grey.height, grey.width + 13)) == [
        frame.text()]
    jpeg = io.BytesIO()
    grey.convert("RGB").save(jpeg, format="JPEG", quality=35)
    assert qr_decode.decode_image(jpeg.getvalue()) == [frame.text()]


def test_bad_inputs_get_one_line_naming_the_input() -> None:
    with pytest.raises(qr_decode.QrDecodeError, match="shot.png: image: not a readable image"):
        qr_decode.decode_image(b"\x89PNG\r\n\x1a\n garbage", name="shot.png")
    blank = io.BytesIO()
    Image.new("L", (200, 200), 255).save(blank, format="PNG")
    with pytest.raises(qr_decode.QrDecodeError, match="blank.png: no QR code found"):
        qr_decode.decode_image(blank.getvalue(), name="blank.png")
    with pytest.raises(qr_decode.QrDecodeError, match="larger than"):
        qr_decode.Luminance(b"", 10_000, 10_000, 10_000)
    with pytest.raises(qr_decode.QrDecodeError, match="cannot hold"):
        qr_decode.Luminance(b"\x00" * 10, 4, 4, 4)
    huge = io.BytesIO()
    Image.new("1", (8000, 6000), 1).save(huge, format="PNG")  # small file, 48 Mpx when decoded
    with pytest.raises(qr_decode.QrDecodeError, match="big.png: image: 8000x6000 pixels, more than the"):
        qr_decode.decode_image(huge.getvalue(), name="big.png")
