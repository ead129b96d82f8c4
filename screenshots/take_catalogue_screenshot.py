"""Screenshot of "Add connection -> choose a chain": the Cosmos Hub picked from the shipped chain catalogue, the
form filled and still editable. Run under Xvfb:

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb .venv/bin/python \\
        screenshots/take_catalogue_screenshot.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent


def main() -> int:
    os.environ.setdefault("ICS_WORKBENCH_HOME", tempfile.mkdtemp(prefix="ics-shots-"))
    from PySide6.QtCore import QEventLoop, QTimer

    from ics_workbench.gui.app import create_application, create_main_window
    from ics_workbench.gui.panels.connections.panel import ConnectionsPanel

    app = create_application()
    window = create_main_window()
    window.resize(1280, 800)
    window.show()
    window.show_panel("connections")
    panel = window.findChild(ConnectionsPanel)
    assert panel is not None
    dialog = panel.open_profile_dialog()
    dialog.choose_chain("cosmoshub")

    def settle(ms: int = 600) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    settle()
    # the whole screen: the window with the dialog on top, as the user sees it
    app.primaryScreen().grabWindow(0).save(str(OUT / "connections-add-from-catalogue.png"))
    dialog.reject()
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
