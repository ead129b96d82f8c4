"""The submitter choice shared by the Evidence tab and the Fork tab."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QComboBox

log = logging.getLogger(__name__)


def fill_submitters(combo: QComboBox) -> None:
    """Keystore accounts as choices; typing any other address stays possible (e.g. a watch-only key), and
    what was typed survives the refill."""
    from ics_workbench.errors import WorkbenchError
    from ics_workbench.signing.keystore import KeyStore

    try:
        records = KeyStore().list()
    except (OSError, WorkbenchError) as exc:
        log.info("keystore not readable for submitter choices: %s", exc)
        records = []
    typed = combo.currentText()
    combo.clear()
    for record in records:
        combo.addItem(f"{record.name} — {record.address}", record.address)
    combo.setEditText(typed)
