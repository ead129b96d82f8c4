"""File dialogs that start somewhere sensible: the folder the user last used for that kind of file, else the
Documents folder (else home), never the process's working directory; save dialogs suggest a file name.

The folder is remembered per ``kind`` ("signing", "overlaps", "chain-json"...) in the window settings file, so a
signer who keeps requests on a USB stick finds the stick again next time.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ics_workbench.gui.settings import WindowSettings


def start_folder(kind: str) -> Path:
    remembered = WindowSettings().folder(kind)
    if remembered is not None and Path(remembered).is_dir():
        return Path(remembered)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def remember(kind: str, path: Path) -> None:
    WindowSettings().set_folder(kind, path if path.is_dir() else path.parent)


def open_file(parent: QWidget, title: str, kind: str, file_filter: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder(kind)), file_filter)
    if not name:
        return None
    remember(kind, Path(name))
    return Path(name)


def open_files(parent: QWidget, title: str, kind: str, file_filter: str) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, title, str(start_folder(kind)), file_filter)
    if names:
        remember(kind, Path(names[0]))
    return [Path(n) for n in names]


def save_file(parent: QWidget, title: str, kind: str, suggested_name: str, file_filter: str,
              folder: Path | None = None) -> Path | None:
    start = (folder if folder is not None and folder.is_dir() else start_folder(kind)) / suggested_name
    name, _ = QFileDialog.getSaveFileName(parent, title, str(start), file_filter)
    if not name:
        return None
    remember(kind, Path(name))
    return Path(name)


def directory(parent: QWidget, title: str, kind: str) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, title, str(start_folder(kind)))
    if not name:
        return None
    remember(kind, Path(name))
    return Path(name)
