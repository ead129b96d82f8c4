"""Window geometry and layout, and whether to start in offline mode: all the GUI keeps in QSettings.

Everything else the user configures (profiles) belongs to the core's stores, so the CLI sees the same data.
The file lives in the app's config dir (``ICS_WORKBENCH_HOME`` aware) instead of Qt's default location.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ics_workbench import paths
from ics_workbench.fileio import make_private


class WindowSettings:
    def __init__(self) -> None:
        path = paths.config_dir() / "window.ini"
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    def geometry(self, key: str) -> QByteArray | None:
        value = self._settings.value(f"{key}/geometry")
        return value if isinstance(value, QByteArray) else None

    def state(self, key: str) -> QByteArray | None:
        value = self._settings.value(f"{key}/state")
        return value if isinstance(value, QByteArray) else None

    def save(self, key: str, geometry: QByteArray, state: QByteArray | None = None) -> None:
        self._settings.setValue(f"{key}/geometry", geometry)
        if state is not None:
            self._settings.setValue(f"{key}/state", state)
        self._settings.sync()
        make_private(Path(self._settings.fileName()))  # window layout is nobody else's business

    def start_offline(self) -> bool:
        """The user's choice to start the app in offline (air-gapped) mode, set from the File menu."""
        value = self._settings.value("app/start_offline", False)
        return value is True or str(value).lower() == "true"

    def set_start_offline(self, enabled: bool) -> None:
        self._settings.setValue("app/start_offline", bool(enabled))
        self._settings.sync()
        make_private(Path(self._settings.fileName()))
