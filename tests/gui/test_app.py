"""Start-up: no chain stack imported before the window is shown; crashes are logged, not shown as tracebacks."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ics_workbench.gui import app as gui_app

ROOT = Path(__file__).resolve().parents[2]


def test_window_start_up_imports_no_chain_stack(app_home: Path) -> None:
    """Cold start stays fast because cosmpy, protobuf, httpx and the chain clients load only when used."""
    code = (
        "import sys\n"
        "from ics_workbench.gui.app import create_application, create_main_window\n"
        "app = create_application(); window = create_main_window(); window.show(); app.processEvents()\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('cosmpy', 'google', 'grpc', 'httpx')\n"
        "               or m in ('ics_workbench.chain.connect', 'ics_workbench.chain.overview'))\n"
        "print('HEAVY', heavy)\n"
        "window.context.runtime.shutdown()\n"
    )
    env = {"ICS_WORKBENCH_HOME": str(app_home), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout, result.stdout


def test_excepthook_logs_traceback_and_shows_short_message(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    try:
        raise ValueError("secret internals")
    except ValueError as error:
        with caplog.at_level(logging.ERROR):
            gui_app._excepthook(ValueError, error, error.__traceback__)
    assert any("secret internals" in r.getMessage() and "Traceback" in r.getMessage() for r in caplog.records)
    boxes = window.findChildren(QMessageBox)
    assert len(boxes) == 1 and boxes[0].isVisible() and boxes[0].text() == "An unexpected error occurred."
    assert "secret internals" not in boxes[-1].text() + boxes[-1].informativeText()
    for box in boxes:
        box.close()


def test_setup_logging_writes_to_the_log_dir(app_home: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        gui_app.setup_logging()
        logging.getLogger("ics_workbench.test").warning("hello log")
        for handler in root.handlers:
            handler.flush()
        assert "hello log" in (app_home / "log" / gui_app.LOG_FILE_NAME).read_text()
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
