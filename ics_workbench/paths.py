"""Where the app keeps its files; one place so tests can redirect all of it with one variable.

``ICS_WORKBENCH_HOME`` overrides the platform directories (tests, portable installs). Secrets never live
under any of these directories: they belong in the OS keyring.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ics-workbench"


def _base() -> Path | None:
    override = os.environ.get("ICS_WORKBENCH_HOME")
    return Path(override) if override else None


def config_dir() -> Path:
    base = _base()
    return base / "config" if base else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    base = _base()
    return base / "data" if base else Path(platformdirs.user_data_dir(APP_NAME))


def resource_dir() -> Path:
    """Icons, style sheet and example data: the top-level `resources/` of the source tree, copied into the package
    as `ics_workbench/resources` when a wheel or the frozen app is built (setup.py, packaging/ics-workbench.spec).
    An installed package uses its copy; a checkout (editable install) uses `resources/` itself."""
    packaged = Path(__file__).resolve().parent / "resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def log_dir() -> Path:
    base = _base()
    return base / "log" if base else Path(platformdirs.user_log_dir(APP_NAME))
