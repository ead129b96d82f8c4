"""Which connected chains a request can be built for or a signed file broadcast to (they need a REST endpoint)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox

from ics_workbench.signing.request_build import ChainTarget

if TYPE_CHECKING:
    from ics_workbench.gui.context import AppContext

OFFLINE_NOTE = ("Offline mode: network actions (account lookup, fee simulation, broadcast) are disabled. "
                "Opening, reviewing, signing and saving files works without a network.")
NO_CHAIN = "(connect a chain with a REST endpoint in Connections)"


def connected_targets(context: AppContext) -> dict[str, ChainTarget]:
    """Profile name -> target, for every live connection whose profile lists a REST endpoint."""
    targets = {}
    for name, state in context.connections.items():
        connection = state.connection
        if connection is None or not connection.profile.rest:
            continue
        profile = connection.profile
        targets[name] = ChainTarget(chain_id=profile.chain_id, rest_url=profile.rest[0].url,
                                    fee_denom=profile.fee_denom, gas_price=profile.gas_prices,
                                    ics_version=connection.capabilities.ics_version, profile=name)
    return targets


def fill_chain_combo(combo: QComboBox, context: AppContext) -> dict[str, ChainTarget]:
    current = combo.currentText()
    targets = {} if context.offline else connected_targets(context)
    combo.clear()
    if not targets:
        combo.addItem("offline mode" if context.offline else NO_CHAIN)
        combo.setEnabled(False)
        return targets
    combo.setEnabled(True)
    for name, target in targets.items():
        combo.addItem(f"{name} ({target.chain_id})", name)
    index = combo.findText(current)
    if index >= 0:
        combo.setCurrentIndex(index)
    return targets
