"""Icons and the style sheet, found in one place whether the app runs from a checkout or frozen.

A source checkout keeps them in ``<repo>/resources``; the frozen app copies that folder to
``ics_workbench/resources``. Icons are cached because every table row and tool bar asks for them again.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from PySide6.QtGui import QIcon

log = logging.getLogger(__name__)

_PACKAGE = Path(__file__).resolve().parents[1]
_CANDIDATES = (_PACKAGE / "resources", _PACKAGE.parent / "resources")


@functools.cache
def resource_dir() -> Path | None:
    for candidate in _CANDIDATES:
        if (candidate / "icons").is_dir():
            return candidate
    log.warning("resources folder not found (looked in %s); icons will be blank", ", ".join(map(str, _CANDIDATES)))
    return None


@functools.cache
def icon(name: str) -> QIcon:
    """The SVG icon ``resources/icons/<name>.svg``; a blank icon (logged) when it is missing."""
    base = resource_dir()
    path = base / "icons" / f"{name}.svg" if base else None
    if path is None or not path.is_file():
        log.warning("icon %r not found", name)
        return QIcon()
    return QIcon(str(path))


def style_sheet() -> str:
    base = resource_dir()
    path = base / "style.qss" if base else None
    return path.read_text(encoding="utf-8") if path is not None and path.is_file() else ""
