"""What the GUI remembers between runs: window geometry and layout, the folder last used per kind of file, and
whether to start in offline mode.

Everything else the user configures (profiles, drafts) belongs to the core's stores, so the CLI sees the same
data. The file (``window.json`` in the app's config dir, ``ICS_WORKBENCH_HOME`` aware) is written like every
other file of the app: each change is a read-modify-write under the cross-process lock
(:func:`ics_workbench.fileio.locked`), written atomically (:func:`ics_workbench.fileio.write_json_atomic`,
owner-only), so two windows never lose each other's change and a crash mid-write leaves the previous file. A
``window.ini`` of an earlier version (QSettings) is read once when there is no ``window.json`` yet: the
"start offline" choice of an air-gapped signer must survive the upgrade.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray

from ics_workbench import paths
from ics_workbench.errors import WorkbenchError
from ics_workbench.fileio import locked, read_json_input, write_json_atomic

log = logging.getLogger(__name__)

FILE_NAME = "window.json"
LEGACY_INI = "window.ini"
MAX_BYTES = 1024 * 1024  # geometry blobs and a few folders; anything bigger is not ours


class WindowSettings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.config_dir() / FILE_NAME

    # --- reading and writing -------------------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        if not self.path.exists():
            return _legacy_ini(self.path.with_name(LEGACY_INI))
        try:
            data = read_json_input(self.path, max_bytes=MAX_BYTES)
        except WorkbenchError as exc:  # a damaged settings file costs the layout, never the start
            log.warning("ignoring unreadable window settings: %s", exc)
            return {}
        return data if isinstance(data, dict) else {}

    def _update(self, change: Callable[[dict[str, Any]], None]) -> None:
        with locked(self.path):
            data = self._read()
            change(data)
            write_json_atomic(self.path, data)

    def _section(self, name: str) -> dict[str, Any]:
        value = self._read().get(name)
        return value if isinstance(value, dict) else {}

    # --- window geometry -----------------------------------------------------------------------------------

    def geometry(self, key: str) -> QByteArray | None:
        return _blob(self._section("windows").get(key, {}), "geometry")

    def state(self, key: str) -> QByteArray | None:
        return _blob(self._section("windows").get(key, {}), "state")

    def save(self, key: str, geometry: QByteArray, state: QByteArray | None = None) -> None:
        def change(data: dict[str, Any]) -> None:
            windows = data.setdefault("windows", {})
            entry = windows.setdefault(key, {}) if isinstance(windows, dict) else {}
            entry["geometry"] = base64.b64encode(bytes(geometry.data())).decode("ascii")
            if state is not None:
                entry["state"] = base64.b64encode(bytes(state.data())).decode("ascii")

        self._update(change)

    # --- offline start -------------------------------------------------------------------------------------

    def start_offline(self) -> bool:
        """The user's choice to start the app in offline (air-gapped) mode, set from the File menu."""
        return self._read().get("start_offline") is True

    def set_start_offline(self, enabled: bool) -> None:
        self._update(lambda data: data.__setitem__("start_offline", bool(enabled)))

    # --- folders of file dialogs ---------------------------------------------------------------------------

    def folder(self, kind: str) -> str | None:
        value = self._section("folders").get(kind)
        return value if isinstance(value, str) else None

    def set_folder(self, kind: str, folder: Path) -> None:
        def change(data: dict[str, Any]) -> None:
            folders = data.get("folders")
            if not isinstance(folders, dict):
                folders = data["folders"] = {}
            folders[kind] = str(folder)

        self._update(change)


def _blob(entry: Any, name: str) -> QByteArray | None:
    value = entry.get(name) if isinstance(entry, dict) else None
    if not isinstance(value, str):
        return None
    try:
        return QByteArray(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        return None


def _legacy_ini(path: Path) -> dict[str, Any]:
    """The choices an earlier version kept in QSettings' ini file (read only; the next write makes the JSON)."""
    if not path.is_file():
        return {}
    from PySide6.QtCore import QSettings

    legacy = QSettings(str(path), QSettings.Format.IniFormat)
    value = legacy.value("app/start_offline", False)
    data: dict[str, Any] = {"start_offline": value is True or str(value).lower() == "true"}
    legacy.beginGroup("folders")
    data["folders"] = {kind: str(legacy.value(kind)) for kind in legacy.childKeys()}
    legacy.endGroup()
    return data
