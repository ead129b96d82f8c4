"""Feature panels, found by convention so a new feature never edits ``main_window.py``.

How to add a panel
------------------
1. Create the package ``ics_workbench/gui/panels/<key>/`` with a module ``panel.py``. The keys the main window
   navigates to are listed in :data:`PANELS` (``connections``, ``proposals``, ``evidence``, ``validators``,
   ``signing``); a key without its ``panel`` module is an error the window shows as "could not be opened".
2. In ``panel.py`` define a ``QWidget`` subclass named ``<Key>Panel`` (``key.capitalize()`` + ``"Panel"``,
   e.g. ``ProposalsPanel``, ``SigningPanel``) with the constructor ``__init__(self, context: AppContext,
   parent: QWidget | None = None)``.
3. The panel is imported and built the first time the user opens it (cold start stays fast), so keep heavy
   imports (cosmpy, protobuf, the chain clients) inside functions that run on the worker thread.

Rules every panel follows
-------------------------
- Everything shared comes from the :class:`~ics_workbench.gui.context.AppContext` passed in: ``context.runtime``
  (background work), ``context.profiles`` (profile store), ``context.connection(name)`` /
  ``context.connections`` and ``context.sig_connection_changed`` (live chains), ``context.show_status(msg)``
  (status bar), ``context.offline``. No ``QSettings()``, no module-level state, no global signal bus.
- Live chains: ``context.connections`` maps profile name -> :class:`~ics_workbench.gui.context.ConnectionState`
  (``role``, ``state`` (a ``LinkState``), ``chain_id``, ``height``, ``connection`` = the core's
  ``chain.connect.Connection`` with ``.provider`` / ``.rest`` / ``.comet`` / ``.capabilities``, and ``overview``
  = ``ProviderOverview`` / ``ConsumerOverview``). ``connection`` is None until the first successful connect
  (a failed or running refresh keeps the previous connection and overview, with ``state`` FAILED/CONNECTING);
  a usable provider is a state with ``role == "provider"`` and a ``connection``. Do not close these
  connections; the Connections panel owns them. Re-read the state on ``sig_connection_changed(name)``.
- Network and CPU work goes through ``context.runtime.run(op, on_success=..., on_failure=...,
  progress_label=..., cancellable=True)``: ``op(job)`` runs off the GUI thread and receives a
  :class:`~ics_workbench.tasks.Job` (call ``job.check()`` / ``job.progress()``); callbacks run on the GUI
  thread. Errors arrive already turned into a user message; show it in the panel (an inline error label),
  never a stack trace.
- Tables: :class:`~ics_workbench.gui.models.RowTableModel` with
  :class:`~ics_workbench.gui.models.ColumnSpec` columns, shown in
  :class:`~ics_workbench.gui.widgets.table_view.TableView` (filter box, sorting, copy cell/row).
- Signals a panel defines are named ``sig_<event>``; emit a ``sig_loaded``-style signal when async content
  arrives, so tests wait on it (``qtbot.waitSignal(panel.sig_loaded)``) instead of sleeping.
- Icons: ``ics_workbench.gui.resources.icon("<name>")`` for ``resources/icons/<name>.svg``.
- Tests go in ``tests/gui/`` (or your own ``tests/gui/test_<key>_panel.py``), built with a real ``AppContext``.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ics_workbench.gui.context import AppContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PanelSpec:
    key: str
    title: str
    icon: str
    summary: str  # the navigation entry's tooltip

    @property
    def module_name(self) -> str:
        return f"{__name__}.{self.key}.panel"

    @property
    def class_name(self) -> str:
        return f"{self.key.capitalize()}Panel"


PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("connections", "Connections", "connections", "Provider and consumer chain connections."),
    PanelSpec("governance", "Governance", "proposals", "Proposals of any chain: tally, vote, weighted vote, deposit."),
    PanelSpec("proposals", "Proposals", "proposals", "Draft, check and export consumer chain proposals."),
    PanelSpec("evidence", "Evidence", "evidence", "Double-sign and light-client-attack evidence, downtime."),
    PanelSpec("validators", "Validators & Overlaps", "validators", "Validator sets, key assignment, overlaps."),
    PanelSpec("signing", "Keys & Signing", "signing", "Keys in the OS keyring, offline signing, broadcast."),
)


def load_panel_class(spec: PanelSpec) -> type[QWidget]:
    """Import ``<key>.panel`` and return ``<Key>Panel``; any import error propagates (the window logs it and
    shows the panel as failed)."""
    module = importlib.import_module(spec.module_name)
    panel_class = getattr(module, spec.class_name, None)
    if panel_class is None:
        raise AttributeError(f"{spec.module_name} defines no {spec.class_name}")
    return panel_class


def create_panel(spec: PanelSpec, context: AppContext, parent: QWidget | None = None) -> QWidget:
    panel: QWidget = load_panel_class(spec)(context, parent)  # type: ignore[arg-type]  # panels take (context, parent)
    return panel
