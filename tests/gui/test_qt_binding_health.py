"""Guards against a Qt binding release that corrupts the interpreter.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every Qt method call that returns nothing;
``None`` is not immortal before Python 3.12, so a long session aborts with "Fatal Python error: none_dealloc".
It was seen here as a crash in the evidence panel and reproduced with PySide6 alone, hence the pin in
pyproject.toml; this test fails if a version with the leak is installed again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter


def test_void_qt_calls_keep_none_alive(qapp: object) -> None:
    rect = QRect(0, 0, 10, 10)
    image = QImage(20, 20, QImage.Format.Format_ARGB32)
    before = sys.getrefcount(None)
    for i in range(2000):
        rect.setWidth(i % 10)
    painter = QPainter(image)
    for _ in range(2000):
        painter.fillRect(rect, QColor("red"))
    painter.end()
    assert sys.getrefcount(None) - before > -50, "the Qt binding leaks references to None (see module docstring)"
