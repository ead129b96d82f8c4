"""Animated multi-frame QR display of a signing file, for crossing the air gap with a camera.

Frames cycle on a timer (a scanner collects them in any order, repeats are harmless); pause and step buttons
let a slow scanner catch a missed frame, and "n/N" tells the user how far the loop is.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ics_workbench.fileio import write_bytes_atomic
from ics_workbench.signing.qr import Frame, frame_png, split_payload

FRAME_INTERVAL_MS = 700


QR_SCALE = 5


def render_frames(payload: bytes) -> tuple[list[Frame], list[bytes], list[QImage]]:
    """Split and draw every frame: seconds of CPU for a large file, so it runs on a worker (QImage, unlike
    QPixmap, may be made off the GUI thread); the dialog then only swaps ready images."""
    frames = split_payload(payload)
    pngs = [frame_png(frame, scale=QR_SCALE) for frame in frames]
    images = [QImage.fromData(png) for png in pngs]
    return frames, pngs, images


class QrFramesDialog(QDialog):
    sig_frame_shown = Signal(int, int)  # index (1-based), count

    def __init__(self, payload: bytes, title: str, parent: QWidget | None = None, *,
                 rendered: tuple[list[Frame], list[bytes], list[QImage]] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.frames, self._pngs, self._images = rendered if rendered is not None else render_frames(payload)
        self.position = 0
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setStyleSheet("background: white;")
        self.counter = QLabel()
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.counter.setStyleSheet("font-size: 16pt; font-weight: bold;")
        note = QLabel(f"{len(payload):,} bytes in {len(self.frames)} frame(s). Scan until the receiving side "
                      "says every frame is in; the order does not matter.")
        note.setWordWrap(True)
        self.previous_button = QPushButton("◀ Previous")
        self.previous_button.clicked.connect(lambda: self.show_frame(self.position - 1))
        self.pause_button = QPushButton("Pause")
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._pause)
        self.next_button = QPushButton("Next ▶")
        self.next_button.clicked.connect(lambda: self.show_frame(self.position + 1))
        self.save_button = QPushButton("Save frames as PNG…")
        self.save_button.clicked.connect(self._choose_directory)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        controls = QHBoxLayout()
        for widget in (self.previous_button, self.pause_button, self.next_button, self.save_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.counter)
        layout.addLayout(controls)
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_INTERVAL_MS)
        self.timer.timeout.connect(lambda: self.show_frame(self.position + 1))
        self.show_frame(0)
        if len(self.frames) > 1:
            self.timer.start()
        else:
            for button in (self.previous_button, self.pause_button, self.next_button):
                button.setEnabled(False)

    def show_frame(self, position: int) -> None:
        self.position = position % len(self.frames)
        self.image.setPixmap(QPixmap.fromImage(self._images[self.position]))
        frame = self.frames[self.position]
        self.counter.setText(f"frame {frame.index}/{frame.count}")
        self.sig_frame_shown.emit(frame.index, frame.count)

    def _pause(self, paused: bool) -> None:
        self.pause_button.setText("Resume" if paused else "Pause")
        if paused:
            self.timer.stop()
        elif len(self.frames) > 1:
            self.timer.start()

    def save_frames(self, directory: Path) -> list[Path]:
        written = []
        for frame, png in zip(self.frames, self._pngs, strict=True):
            path = directory / f"frame-{frame.index:03d}-of-{frame.count:03d}.png"
            write_bytes_atomic(path, png)
            written.append(path)
        return written

    def _choose_directory(self) -> None:
        from ics_workbench.gui import file_dialogs

        directory = file_dialogs.directory(self, "Save QR frames to", "qr")
        if directory is not None:
            self.save_frames(directory)

    def done(self, result: int) -> None:
        self.timer.stop()
        super().done(result)
