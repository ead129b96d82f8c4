# mypy: disable-error-code="misc"
# (a mixin's methods are typed `self: ValidatorsPanel`; mypy flags a self type narrower than the mixin as [misc])
"""Exporting the Validators panel: the overlap matrix as CSV, and the matrix with both charts as one PNG.

Files are written atomically; ``ValidatorsPanel`` inherits these methods (tests and screenshots call them).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt
from PySide6.QtGui import QFontMetrics, QImage, QPainter

if TYPE_CHECKING:
    from ics_workbench.gui.panels.validators.panel import ValidatorsPanel


class OverlapExports:
    """CSV and PNG export for ``ValidatorsPanel`` (mixed in)."""

    def _set_exports_enabled(self: ValidatorsPanel, enabled: bool) -> None:
        self.export_csv_button.setEnabled(enabled)
        self.export_png_button.setEnabled(enabled)

    def matrix_csv(self: ValidatorsPanel) -> str:
        if self._computed is None:
            return ""
        rows: list[dict[str, Any]] = self._computed.analysis.matrix.to_rows()
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0].keys()))
            writer.writeheader()
            writer.writerows(rows)
        return buffer.getvalue()

    def export_csv(self: ValidatorsPanel, path: Path) -> None:
        from ics_workbench.fileio import write_text_atomic

        write_text_atomic(path, self.matrix_csv())
        self.context.show_status(f"Overlap matrix saved to {path}")

    def export_png(self: ValidatorsPanel, path: Path) -> None:
        from ics_workbench.fileio import write_bytes_atomic

        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.export_image().save(buffer, "PNG")  # type: ignore[call-overload]  # QBuffer is a QIODevice
        buffer.close()
        write_bytes_atomic(path, bytes(data.data()))
        self.context.show_status(f"Overlap matrix and charts saved to {path}")

    def _text_image(self: ValidatorsPanel, text: str, width: int) -> QImage:
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        area = QFontMetrics(self.font()).boundingRect(QRect(0, 0, width - 8, 10_000), flags, text)
        image = QImage(width, area.height() + 12, QImage.Format.Format_ARGB32)
        image.fill(self.palette().base().color())
        painter = QPainter(image)
        painter.setPen(self.palette().text().color())
        painter.drawText(QRect(4, 8, width - 8, area.height() + 4), flags, text)
        painter.end()
        return image

    def export_image(self: ValidatorsPanel) -> QImage:
        """The matrix as shown, then both charts at full height (whatever part of them is scrolled into view)."""
        matrix = self.matrix_table.grab().toImage()
        width = max(matrix.width(), 900)
        parts = [matrix]
        for title, chart in ((self.risk_title, self.risk_chart), (self.split_title, self.split_chart)):
            label = self._text_image(title.text().replace("<b>", "").replace("</b>", ""), width)
            parts += [label, chart.image(width)]
        image = QImage(width, sum(p.height() for p in parts), QImage.Format.Format_ARGB32)
        image.fill(self.palette().base().color())
        painter = QPainter(image)
        y = 0
        for part in parts:
            painter.drawImage(0, y, part)
            y += part.height()
        painter.end()
        return image

    def _export_csv_clicked(self: ValidatorsPanel) -> None:
        from ics_workbench.gui import file_dialogs

        path = file_dialogs.save_file(
            self, "Export overlap matrix", "overlaps", self._export_name("csv"), "CSV (*.csv)"
        )
        if path is not None:
            self.export_csv(path)

    def _export_png_clicked(self: ValidatorsPanel) -> None:
        from ics_workbench.gui import file_dialogs

        path = file_dialogs.save_file(self, "Export overlap matrix and charts", "overlaps", self._export_name("png"),
                                      "PNG (*.png)")
        if path is not None:
            self.export_png(path)

    def _export_name(self: ValidatorsPanel, extension: str) -> str:
        provider = self.provider_combo.currentText() or "provider"
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in provider)
        height = getattr(getattr(self._computed, "analysis", None), "data", None)
        snapshot = getattr(height, "snapshot", None)
        at = getattr(snapshot, "height", None)
        return f"overlaps-{safe}" + (f"-h{at}" if at else "") + f".{extension}"
