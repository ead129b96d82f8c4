"""Icons and the style sheet from the top-level ``resources/`` folder (``paths.resource_dir``: the checkout's own,
or the copy a wheel or the frozen app carries inside the package). Icons are cached because every table row and tool bar
asks for them again.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from PySide6.QtGui import QIcon

from ics_workbench import paths

log = logging.getLogger(__name__)

@functools.cache
def resource_dir() -> Path | None:
    candidate = paths.resource_dir()
    if (candidate / "icons").is_dir():
        return candidate
    log.warning("resources folder not found (looked in %s); icons will be blank", candidate)
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
