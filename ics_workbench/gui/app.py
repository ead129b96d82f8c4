"""Start-up of the desktop app: QApplication, logging, the crash handler and the main window.

Cold start matters (the target is a painted window in under 1.5 s on a 2-core machine), so nothing here
imports cosmpy, protobuf or the chain clients; panels import them lazily, on worker threads where possible.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ics_workbench import __version__, paths
from ics_workbench.fileio import make_private, remove_stale_temp_files
from ics_workbench.gui.collector import CollectorPolicy
from ics_workbench.gui.context import AppContext
from ics_workbench.gui.main_window import MainWindow
from ics_workbench.gui.resources import icon, style_sheet

log = logging.getLogger(__name__)

LOG_FILE_NAME = "gui.log"
GIL_SWITCH_SECONDS = 0.001


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files (current and rotated) readable by the owner only (0600): they name accounts and endpoints."""

    def _open(self):  # type: ignore[no-untyped-def]
        stream = super()._open()
        make_private(Path(self.baseFilename))
        return stream


def setup_logging() -> None:
    """A rotating log in the app's log dir; the core never logs secrets, so neither does this handler."""
    directory = paths.log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    handler = _PrivateRotatingFileHandler(
        directory / LOG_FILE_NAME, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)


def _excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """An exception escaping a Qt slot: log the traceback, tell the user briefly, keep running."""
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    log.error("unhandled exception:\n%s", "".join(traceback.format_exception(kind, error, tb)))
    app = QApplication.instance()
    if app is None:
        return
    from ics_workbench.errors import WorkbenchError

    text = str(error) if isinstance(error, WorkbenchError) else "An unexpected error occurred."
    # The box needs a parent to outlive this function (a parentless Python-owned dialog is collected at once).
    parent = QApplication.activeWindow() or next(
        (w for w in QApplication.topLevelWidgets() if w.isVisible() and not isinstance(w, QMessageBox)), None
    )
    if parent is None:
        sys.stderr.write(f"ics-workbench: {text} Details are in the log.\n")
        return
    box = QMessageBox(QMessageBox.Icon.Warning, "ICS Workbench", text, parent=parent)
    box.setInformativeText(f"Details are in the log: {paths.log_dir() / LOG_FILE_NAME}")
    box.setModal(False)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Workers run Python (overlap analysis, QR drawing) while the GUI thread waits for the GIL; a shorter switch
    # interval than the default 5 ms hands it back sooner, so painting and input keep up (see bench/gui_stall.py).
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("ICS Workbench")
    app.setOrganizationName("ICS Workbench")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("ics-workbench")
    app.setWindowIcon(icon("app"))
    sheet = style_sheet()
    if sheet:
        app.setStyleSheet(sheet)
    return app


def create_main_window(*, offline: bool = False) -> MainWindow:
    """The window with a fresh context; used by :func:`run_gui`, the tests and the cold-start benchmark."""
    context = AppContext(offline=offline)
    return MainWindow(context)


def run_gui(offline: bool = False) -> int:
    from ics_workbench.gui.settings import WindowSettings

    offline = offline or WindowSettings().start_offline()
    if offline:
        from ics_workbench.offline import enable_offline_mode

        enable_offline_mode()
    setup_logging()
    remove_stale_temp_files([paths.config_dir(), paths.data_dir()])  # left by a writer that was killed
    app = create_application()
    sys.excepthook = _excepthook
    window = create_main_window(offline=offline)
    CollectorPolicy(app, window.context.runtime)
    window.show()
    log.info("ICS Workbench %s started%s", __version__, " (offline)" if offline else "")
    # Runs once the event loop has painted the window: the line support requests (and the frozen-app smoke
    # test) look for to know the app really came up on this machine's display.
    QTimer.singleShot(0, lambda: log.info("main window shown on platform %s", app.platformName()))
    # Let Python's signal handlers (Ctrl-C in a terminal) run now and then while Qt owns the loop.
    heartbeat = QTimer()
    heartbeat.start(500)
    heartbeat.timeout.connect(lambda: None)
    code = app.exec()
    if window.context.runtime.busy:
        # A worker is stuck in a call nothing can interrupt (a network read with a long timeout). Everything the
        # user keeps is already written atomically, so leave now instead of letting Qt's pool destructor wait
        # for it without limit: quitting takes under a second whatever runs.
        log.warning("exiting with a background job still running")
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
