"""Scanning animated QR codes with a camera: Qt Multimedia frames -> grey pixels -> zxing-cpp, off the GUI thread.

Qt Multimedia ships in PySide6-Addons, an optional install (`pip install 'ics-workbench[camera]'`): without it,
or without a camera, `camera_available()` says so and the app offers image files only. Frame handling is
`qimage_luminance` + `qr_decode.FrameScanner`, tested with recorded frames (tests/signing/data/camera_frames).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QCloseEvent, QImage
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

from ics_workbench.errors import WorkbenchError
from ics_workbench.gui.untrusted import plain_label, set_plain_text
from ics_workbench.signing.qr_decode import FrameScanner, Luminance, QrDecodeError, decode_luminance


def qimage_luminance(image: QImage) -> Luminance:
    """A camera frame (QVideoFrame.toImage()) or any QImage as 8-bit grey pixels for the decoder."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    stride = grey.bytesPerLine()
    data = bytes(grey.constBits())[: stride * grey.height()]
    return Luminance(data, grey.width(), grey.height(), stride)


def camera_available() -> tuple[bool, str]:
    """(usable, why not): Qt Multimedia installed and at least one camera present."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:
        return False, (f"camera scanning needs Qt Multimedia: pip install 'ics-workbench[camera]' (on Linux also "
                       f"the libpulse0 package) - {exc}")
    if not QMediaDevices.videoInputs():
        return False, "no camera found"
    return True, ""


class _Decoded(QObject):
    texts = Signal(int, list)  # generation, texts
    failed = Signal(int, str)


class _DecodeJob(QRunnable):
    def __init__(self, image: Luminance, generation: int, out: _Decoded) -> None:
        super().__init__()
        self.image, self.generation, self.out = image, generation, out

    def run(self) -> None:
        try:
            self.out.texts.emit(self.generation, decode_luminance(self.image))
        except QrDecodeError as exc:
            self.out.failed.emit(self.generation, str(exc))


class CameraScanDialog(QDialog):
    """Live camera view; every new QR text goes to `on_text`, which returns a progress line or raises to stop.

    One frame is decoded at a time on the thread pool; frames arriving meanwhile are dropped (the display loops,
    so nothing is lost), and results arriving after the dialog closed are ignored (generation counter)."""

    def __init__(self, on_text: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QVideoSink
        from PySide6.QtMultimediaWidgets import QVideoWidget

        self.setWindowTitle("Scan QR frames with the camera")
        self.on_text = on_text
        self.scanner = FrameScanner()
        self.generation = 0
        self.busy = False
        self.complete = False
        self.video = QVideoWidget(self)
        self.status = plain_label("Point the camera at the animated QR code.")
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.video, self.status, close):
            layout.addWidget(widget)
        self.camera = QCamera(self)
        self.session = QMediaCaptureSession(self)
        self.session.setCamera(self.camera)
        self.session.setVideoOutput(self.video)
        self.sink: QVideoSink = self.video.videoSink()
        self.sink.videoFrameChanged.connect(self._frame)
        self.decoded = _Decoded(self)
        self.decoded.texts.connect(self._texts)
        self.decoded.failed.connect(self._failed)
        self.camera.start()

    def _frame(self, frame: Any) -> None:
        if self.busy or self.complete:
            return
        image = frame.toImage()
        if image.isNull():
            return
        self.busy = True
        QThreadPool.globalInstance().start(_DecodeJob(qimage_luminance(image), self.generation, self.decoded))

    def _texts(self, generation: int, texts: list[str]) -> None:
        if generation != self.generation:
            return
        self.busy = False
        try:
            for text in self.scanner.accept(texts):
                set_plain_text(self.status, self.on_text(text))
        except WorkbenchError as exc:  # the assembler's one-line refusal, shown as data
            set_plain_text(self.status, str(exc))
        if self.complete:
            self.accept()

    def _failed(self, generation: int, message: str) -> None:
        if generation == self.generation:
            self.busy = False
            set_plain_text(self.status, message)

    def finish(self) -> None:
        """Called by `on_text`'s owner when the payload is complete."""
        self.complete = True

    def closeEvent(self, event: QCloseEvent) -> None:
        self.generation += 1
        self.camera.stop()
        super().closeEvent(event)
