"""Camera route: Qt frames (QImage, what QVideoFrame.toImage() hands over) to the zxing-cpp decoder."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QImage

from ics_workbench.gui.widgets.camera_scan import camera_available, qimage_luminance
from ics_workbench.signing.qr import QrAssembler
from ics_workbench.signing.qr_decode import FrameScanner

FRAMES = Path(__file__).parents[1] / "signing" / "data" / "camera_frames"


def test_recorded_frames_as_qimages_in_any_pixel_format_reassemble(qapp) -> None:
    index = json.loads((FRAMES / "frames.json").read_text())
    scanner, assembler = FrameScanner(), QrAssembler()
    formats = [QImage.Format.Format_RGB32, QImage.Format.Format_ARGB32, QImage.Format.Format_RGB888,
               QImage.Format.Format_Grayscale8]
    for number, name in enumerate(sorted(index["frames"])):
        image = QImage(str(FRAMES / name)).convertToFormat(formats[number % len(formats)])
        lum = qimage_luminance(image)
        assert (lum.width, lum.height) == (640, 480) and lum.stride >= 640
        for text in scanner.feed(lum):
            assembler.add(text)
    assert assembler.payload() == index["payload"].encode()


def test_camera_availability_is_reported_with_a_reason(qapp) -> None:
    usable, why = camera_available()
    assert usable or why  # headless CI: Qt Multimedia absent or no camera, and it says which
