"""Each main panel at 1280x720 and 1024x640, connected to a seeded local devnet, into screenshots/sizes/.

    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb .venv/bin/python screenshots/main_panels.py

The Governance panel shows a proposal in its voting period (voted on), one in its deposit period and the seeded
one that passed; Keys & Signing shows a key's details; the offline window shows its banner.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent / "sizes"
SIZES = ((1280, 720), (1024, 640))
PANELS = (("connections", "Connections"), ("governance", "Governance"), ("proposals", "Proposals"),
          ("evidence", "Evidence"), ("validators", "Validators & Overlaps"), ("signing", "Keys & Signing"))


def main() -> int:
    os.environ.setdefault("ICS_WORKBENCH_HOME", tempfile.mkdtemp(prefix="ics-sizes-"))
    from PySide6.QtCore import QEventLoop, QTimer

    from ics_workbench.chain.profiles import ConnectionProfile
    from ics_workbench.devnet.build import ensure_binary
    from ics_workbench.devnet.node import Devnet
    from ics_workbench.gui.app import create_application
    from ics_workbench.gui.context import AppContext
    from ics_workbench.gui.main_window import MainWindow
    from ics_workbench.signing.keystore import KeyStore
    from tests.devnet.gov_chain import submit_text_proposal

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def until(condition, ms: int = 60_000) -> None:  # type: ignore[no-untyped-def]
        waited = 0
        while not condition() and waited < ms:
            settle(100)
            waited += 100

    import keyring

    from tests.conftest import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())  # throwaway keys for the pictures; no OS keyring under Xvfb
    OUT.mkdir(exist_ok=True)
    app = create_application()
    with Devnet(binary=ensure_binary().binary) as devnet:
        devnet.seed()
        store = KeyStore()
        store.recover("validator-b", devnet.validator_b.mnemonic)
        store.add_watch("treasury", devnet.user.address, None)
        context = AppContext()
        context.profiles.save(ConnectionProfile.parse({
            "name": "devnet provider", "chain_id": devnet.chain_id, "role": "provider",
            "rpc": [{"url": devnet.rpc_url}], "rest": [{"url": devnet.rest_url}]}))
        window = MainWindow(context)
        window.show()
        connections = window.page("connections")
        until(lambda: "devnet provider" in connections.profiles)
        connections.select("devnet provider")
        connections.connect_button.click()
        until(lambda: (s := context.connection("devnet provider")) is not None and s.overview is not None)
        overlaps = window.show_panel("validators")
        until(lambda: overlaps.load_button.isEnabled())
        overlaps.load_button.click()
        until(lambda: overlaps.matrix_model.rowCount() > 0)

        a = devnet.validator_a.name
        submit_text_proposal(devnet, "Needs more deposit: fund an IBC relayer", 200_000, a)
        voting = submit_text_proposal(devnet, "Raise the community tax to 3%", devnet.settings.min_deposit, a)
        devnet.tx("gov", "vote", str(voting), "yes", sender=devnet.validator_b.name)
        governance = window.show_panel("governance")
        until(lambda: governance.account_combo.findText("validator-b") >= 0)
        index = governance.account_combo.findText("validator-b")
        if index >= 0:
            governance.account_combo.setCurrentIndex(index)
        governance.refresh()
        until(lambda: governance.model.rowCount() >= 3)
        governance.select(voting)
        signing = window.show_panel("signing")
        until(lambda: signing.keys.model.rowCount() >= 2)
        signing.keys.select("validator-b")

        for width, height in SIZES:
            window.resize(width, height)
            for key, _title in PANELS:
                window.show_panel(key)
                settle(600)
                window.grab().save(str(OUT / f"{key}-{width}x{height}.png"))
        window.close()

        offline = MainWindow(AppContext(offline=True))
        offline.resize(1024, 640)
        offline.show()
        offline.show_panel("signing")
        settle(800)
        offline.grab().save(str(OUT / "offline-signing-1024x640.png"))
        offline.close()
    app.quit()
    print("written to", OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
