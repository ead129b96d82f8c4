"""Offline mode switched while the app runs, through the status bar's "Work offline" button: at once the banner
shows, the live connection closes, connecting / building / broadcasting are disabled and any request the core
would still make is refused before a socket opens; switched back, everything is enabled again and the chain
connects as before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.errors import OfflineError
from ics_workbench.gui.context import AppContext
from ics_workbench.gui.main_window import MainWindow
from ics_workbench.offline import set_working_offline, working_offline
from tests.gui.fileserver import JsonFileServer
from tests.gui.test_connections_panel import save_profile

WAIT = 20_000


@pytest.fixture(autouse=True)
def _online_afterwards() -> Iterator[None]:
    yield
    set_working_offline(False)  # process-wide: never leak into the next test


def _connect(qtbot: QtBot, window: MainWindow, name: str) -> None:
    panel = window.show_panel("connections")
    qtbot.waitUntil(lambda: name in panel.profiles, timeout=WAIT)
    panel.select(name)
    with qtbot.waitSignal(panel.sig_connected, timeout=WAIT):
        qtbot.mouseClick(panel.connect_button, Qt.MouseButton.LeftButton)


def test_work_offline_applies_at_once_and_back(qtbot: QtBot, context: AppContext,
                                               provider_server: JsonFileServer) -> None:
    save_profile(context, "hub", "provider-test-1", "provider", provider_server.url, provider_server.url)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    _connect(qtbot, window, "hub")
    connections = window.page("connections")
    signing = window.show_panel("signing")
    assert not window.offline_banner.isVisible() and window.offline_button.isEnabled()

    qtbot.mouseClick(window.offline_button, Qt.MouseButton.LeftButton)
    assert window.offline_banner.isVisible() and "offline" in window.windowTitle()
    assert context.connection("hub") is None and working_offline()  # the live connection is closed
    assert signing.files.offline_note.isVisibleTo(signing.files) and not signing.files.broadcast_button.isEnabled()
    assert not window.liveness.timer.isActive()
    fork = window.show_panel("evidence").fork
    assert not fork.detect_button.isEnabled()  # it reaches typed RPC URLs, not a connection
    window.show_panel("connections")
    connections.select("hub")
    assert not connections.connect_button.isEnabled()
    assert "offline" in connections.message_label.text()
    with JsonHttp([Endpoint(provider_server.url)], retries=0) as http, pytest.raises(OfflineError, match="offline"):
        http.get_json("/cosmos/base/tendermint/v1beta1/blocks/latest")

    qtbot.mouseClick(window.offline_button, Qt.MouseButton.LeftButton)
    assert not window.offline_banner.isVisible() and "offline" not in window.windowTitle()
    assert not working_offline() and window.liveness.timer.isActive()
    assert fork.detect_button.isEnabled()
    assert connections.connect_button.isEnabled() and not signing.files.offline_note.isVisibleTo(signing.files)
    _connect(qtbot, window, "hub")
    assert context.connection("hub") is not None
    window.close()
