"""A signing request as a Keystone `cosmos-sign-request` for air-gapped devices (Keystone, Keplr's QR flow):
animated UR QR parts on a timer (pure fragments first, then fountain mixtures, looping), the UR text to copy.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ics_workbench.signing.qr import qr_png
from ics_workbench.signing.ur import codec

FRAME_INTERVAL_MS = 300  # UR scanners expect a fast loop; the fountain code makes up for missed parts
MAX_FRAGMENT = 120  # bytes per part: small QR codes a phone-class camera reads from a screen


class URFramesDialog(QDialog):
    def __init__(self, ur: codec.UR, sha256: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign with Keystone / Keplr (UR)")
        self.encoder = codec.UREncoder(ur, max_fragment=MAX_FRAGMENT)
        self.seq = 1
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setStyleSheet("background: white;")
        self.counter = QLabel()
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note = QLabel(f"{ur.type}: {len(ur.cbor):,} bytes in {self.encoder.fountain.seq_len} fragment(s). Scan with "
                      f"the device; check that it shows sign bytes SHA-256 {sha256[:16]}… where it can.")
        note.setWordWrap(True)
        self.text = QPlainTextEdit("\n".join(self.encoder.parts()))
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(90)
        copy = QPushButton("Copy UR text")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(copy)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        for widget in (note, self.image, self.counter, self.text):
            layout.addWidget(widget)
        layout.addLayout(row)
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_INTERVAL_MS)
        self.timer.timeout.connect(self.next_part)
        self.show_part(1)
        if not self.encoder.single:
            self.timer.start()

    def show_part(self, seq: int) -> str:
        self.seq = seq
        text = self.encoder.part(seq)
        pixmap = QPixmap()
        pixmap.loadFromData(qr_png(text.upper(), scale=5), "PNG")
        self.image.setPixmap(pixmap)
        total = self.encoder.fountain.seq_len
        self.counter.setText("single part" if self.encoder.single else f"part {seq} ({total} fragments, looping)")
        return text

    def next_part(self) -> str:
        return self.show_part(self.seq + 1)

    def done(self, result: int) -> None:
        self.timer.stop()
        super().done(result)
