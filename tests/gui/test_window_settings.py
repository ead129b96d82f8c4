"""The GUI's own settings file: JSON written atomically under the cross-process lock (owner-only), read with
limits, a damaged file costing only the layout, and an earlier version's QSettings ini migrated (the "start
offline" choice of an air-gapped signer must survive an upgrade)."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ics_workbench import paths
from ics_workbench.fileio import locked, write_json_atomic
from ics_workbench.gui.settings import WindowSettings


def test_round_trip_private_json(qapp: object) -> None:
    settings = WindowSettings()
    settings.save("main", QByteArray(b"\x01geometry\xff"), QByteArray(b"state"))
    settings.set_start_offline(True)
    settings.set_folder("signing", Path("/media/usb"))
    again = WindowSettings()
    assert bytes(again.geometry("main").data()) == b"\x01geometry\xff"  # type: ignore[union-attr]
    assert bytes(again.state("main").data()) == b"state"  # type: ignore[union-attr]
    assert again.start_offline() and again.folder("signing") == "/media/usb" and again.folder("other") is None
    assert json.loads(settings.path.read_text())["start_offline"] is True
    assert stat.S_IMODE(os.stat(settings.path).st_mode) == 0o600


def test_a_change_waits_for_the_lock_and_keeps_the_other_writers_change(qapp: object) -> None:
    settings = WindowSettings()
    settings.set_folder("signing", Path("/a"))
    done = threading.Event()

    def change() -> None:
        settings.set_start_offline(True)
        done.set()

    with locked(settings.path):
        writer = threading.Thread(target=change)
        writer.start()
        assert not done.wait(0.5)
        # the lock holder (another window) writes its change meanwhile; the waiting writer must re-read it
        write_json_atomic(settings.path, {"folders": {"signing": "/a", "overlaps": "/b"}})
    writer.join(10)
    assert done.is_set()
    final = WindowSettings()
    assert final.start_offline() and final.folder("signing") == "/a" and final.folder("overlaps") == "/b"


def test_damaged_file_means_defaults(qapp: object) -> None:
    settings = WindowSettings()
    settings.path.parent.mkdir(parents=True, exist_ok=True)
    settings.path.write_text("{not json")
    assert settings.geometry("main") is None and not settings.start_offline()
    settings.set_start_offline(True)  # and the next write repairs it
    assert WindowSettings().start_offline()


def test_an_earlier_versions_ini_is_migrated(qapp: object) -> None:
    ini = paths.config_dir() / "window.ini"
    legacy = QSettings(str(ini), QSettings.Format.IniFormat)
    legacy.setValue("app/start_offline", True)
    legacy.setValue("folders/signing", "/media/stick")
    legacy.sync()
    settings = WindowSettings()
    assert settings.start_offline() and settings.folder("signing") == "/media/stick"
    settings.set_folder("overlaps", Path("/tmp"))
    assert json.loads(settings.path.read_text())["start_offline"] is True
