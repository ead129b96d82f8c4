"""The ``ics-workbench`` entry point: no arguments opens the GUI, anything else runs the headless CLI.

Kept apart from ``ics_workbench.cli`` so the CLI (and an air-gapped signer without Qt) never imports the GUI.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    gui_flags = {"--offline", "--gui"}
    if not args or set(args) <= gui_flags:
        try:
            from ics_workbench.gui.app import run_gui
        except ImportError as exc:  # PySide6 missing: the headless install
            sys.stderr.write(
                f"ics-workbench: the desktop app needs PySide6 ({exc.name or exc}); install the 'gui' extra, "
                "or run a command such as 'ics-workbench --help'.\n"
            )
            return 2
        return run_gui(offline="--offline" in args)
    from ics_workbench.cli import main as cli_main

    return cli_main(args)
