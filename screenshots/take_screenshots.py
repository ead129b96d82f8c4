"""Screenshots of the connected main window, for the docs and for looking at what the GUI really shows.

Serves the small provider/consumer from ``tests/gui/data`` on 127.0.0.1 (or uses ``--rpc/--rest`` of a real
node such as the devnet), connects through the real panel and saves PNGs here. Run under Xvfb for a real
window system:

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb .venv/bin/python screenshots/take_screenshots.py
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rpc", help="RPC URL of a real provider (default: the test data server)")
    parser.add_argument("--rest", help="REST URL of a real provider")
    parser.add_argument("--chain-id", help="chain id of the real provider")
    parser.add_argument("--prefix", default="")
    parser.add_argument("--devnet", action="store_true", help="start and seed the local devnet provider and use it")
    args = parser.parse_args()
    devnet = None
    if args.devnet:
        from ics_workbench.devnet.build import ensure_binary
        from ics_workbench.devnet.node import Devnet

        devnet = Devnet(binary=ensure_binary().binary)
        devnet.start()
        devnet.seed()
        args.rpc, args.rest, args.chain_id = devnet.rpc_url, devnet.rest_url, devnet.chain_id
    os.environ.setdefault("ICS_WORKBENCH_HOME", tempfile.mkdtemp(prefix="ics-shots-"))

    from PySide6.QtCore import QEventLoop, QTimer

    from ics_workbench.chain.profiles import ConnectionProfile
    from ics_workbench.gui.app import create_application, create_main_window
    from ics_workbench.gui.panels.connections.panel import ConnectionsPanel
    from tests.gui.fileserver import DATA, JsonFileServer

    _app = create_application()  # held: the QApplication must outlive the windows
    servers = []
    if args.rpc:
        provider = {"name": "devnet provider", "chain_id": args.chain_id, "role": "provider",
                    "rpc": [{"url": args.rpc}], "rest": [{"url": args.rest}]}
        if args.prefix:
            provider["account_prefix"] = args.prefix
        consumer = None
    else:
        provider_server, consumer_server = JsonFileServer(DATA / "provider"), JsonFileServer(DATA / "consumer")
        servers = [provider_server, consumer_server]
        provider = {"name": "testnet provider", "chain_id": "provider-test-1", "role": "provider",
                    "rpc": [{"url": provider_server.url}], "rest": [{"url": provider_server.url}]}
        consumer = {"name": "pion", "chain_id": "pion-1", "role": "consumer", "account_prefix": "neutron",
                    "provider_profile": "testnet provider",
                    "rpc": [{"url": consumer_server.url}], "rest": [{"url": consumer_server.url}]}
    window = create_main_window()
    context = window.context
    context.profiles.save(ConnectionProfile.parse(provider))
    if consumer:
        context.profiles.save(ConnectionProfile.parse(consumer))
    window.resize(1280, 780)
    window.show()
    panel = window.page("connections")
    assert isinstance(panel, ConnectionsPanel)

    def wait(signal, ms: int = 60_000) -> None:  # type: ignore[no-untyped-def]
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def settle() -> None:
        loop = QEventLoop()
        QTimer.singleShot(300, loop.quit)
        loop.exec()

    def shot(name: str) -> None:
        if devnet is not None:
            if name not in ("connections-provider.png", "connections-provider-validators.png"):
                return  # the test-data run already shows the other views
            name = name.replace("connections-", "devnet-")
        settle()
        window.grab().save(str(OUT / name))
        print("saved", OUT / name)

    panel.reload_profiles()
    wait(panel.sig_profiles_loaded)
    panel.select(provider["name"])
    panel.connect_selected()
    wait(panel.sig_connected)
    shot("connections-provider.png")
    assert panel.provider_view is not None
    panel.provider_view.setCurrentIndex(1)
    shot("connections-provider-validators.png")
    panel.provider_view.setCurrentIndex(2)
    shot("connections-provider-gov.png")
    panel.provider_view.setCurrentIndex(3)
    shot("connections-provider-node.png")
    panel.provider_view.setCurrentIndex(0)
    if consumer:
        panel.select(consumer["name"])
        panel.connect_selected()
        wait(panel.sig_connected)
        shot("connections-consumer.png")
    if consumer:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
        context.profiles.save(ConnectionProfile.parse({
            "name": "unreachable", "chain_id": "provider-test-1", "role": "provider",
            "rpc": [{"url": dead}], "rest": [{"url": dead}]}))
        panel.reload_profiles()
        wait(panel.sig_profiles_loaded)
        panel.select("unreachable")
        panel.connect_selected()
        wait(panel.sig_connection_failed)
        shot("connections-error.png")
    from ics_workbench.gui.panels import PANELS, PanelNotBuilt, load_panel_class

    for spec in PANELS:  # show one section whose panel has not landed yet, if any
        try:
            load_panel_class(spec)
        except PanelNotBuilt:
            window.show_panel(spec.key)
            shot("not-built-yet.png")
            break
    window.close()
    for server in servers:
        server.close()
    if devnet is not None:
        devnet.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
