"""The Keys & Signing panel: keys, building requests (online), and the signing file view (both sides).

Tabs share one :class:`~ics_workbench.signing.keystore.KeyStore`; the key list feeds the account and key
choosers of the other two tabs. A request built here, or messages handed over through
``AppContext.request_signing``, lands in the signing-file tab, where it is saved and exported.
"""

from __future__ import annotations

from typing import Any

import keyring
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ics_workbench.gui.context import AppContext
from ics_workbench.gui.panels.signing.file_tab import FileTab
from ics_workbench.gui.panels.signing.keys_tab import KeysTab
from ics_workbench.gui.panels.signing.request_tab import RequestTab
from ics_workbench.signing.keystore import KeyRecord, KeyStore
from ics_workbench.signing.offline_file import SigningFile


class SigningPanel(QWidget):
    sig_loaded = Signal(int)  # number of keys listed

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.store = KeyStore()
        # Pick the keyring backend here, on the GUI thread: choosing it imports the backend modules, and a first
        # import on a runtime worker while the GUI thread runs Python has crashed shiboken's import hook.
        keyring.get_keyring()
        self.keys = KeysTab(context, self.store)
        self.requests = RequestTab(context)
        self.files = FileTab(context, self.store)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.keys, "Keys")
        self.tabs.addTab(self.requests, "New request (online)")
        self.tabs.addTab(self.files, "Signing file")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

        self.keys.sig_keys_loaded.connect(self._keys_loaded)
        self.requests.sig_request_built.connect(self._request_built)
        context.sig_sign_requested.connect(self.accept_handoff)
        if context.pending_signing_request is not None:
            self.accept_handoff(context.pending_signing_request)
        self.keys.reload()

    def _keys_loaded(self, count: int) -> None:
        records: list[KeyRecord] = list(self.keys.model.rows)
        self.requests.set_keys(records)
        self.files.set_keys(records)
        self.sig_loaded.emit(count)

    def accept_handoff(self, request: Any) -> None:
        """A ready offline file opens in the signing-file tab; messages go to the request builder."""
        self.context.pending_signing_request = None
        if isinstance(request, SigningFile):
            self.files.set_file(request, None)
            self.tabs.setCurrentWidget(self.files)
        else:
            self.requests.set_handoff(request)
            self.tabs.setCurrentWidget(self.requests)

    def _request_built(self, file: SigningFile) -> None:
        self.files.set_file(file, None)
        self.files.result_label.setText("Unsigned request built: review it, then “Save as…” or “Show as QR…” to "
                                        "carry it to the signing machine.")
        self.tabs.setCurrentWidget(self.files)
