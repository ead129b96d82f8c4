"""The main window: navigation, a stack of lazily built panels, and the status bar. Nothing else.

Panels are discovered by the convention in :mod:`ics_workbench.gui.panels`; this module never imports a
panel directly, so adding a feature does not touch it and start-up does not pay for panels nobody opened.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ics_workbench import __version__
from ics_workbench.gui.context import AppContext
from ics_workbench.gui.panels import PANELS, PanelSpec, create_panel
from ics_workbench.gui.resources import icon
from ics_workbench.gui.runtime import Task
from ics_workbench.gui.widgets.pages import MessagePage
from ics_workbench.gui.widgets.status import ConnectionIndicators, TaskProgress

log = logging.getLogger(__name__)

STATUS_MESSAGE_MS = 15_000
OFFLINE_BANNER = ("OFFLINE MODE — this app opens no network connections: connecting, fee simulation and broadcast "
                  "are off. Opening, reviewing, signing and saving files work.")
OFFLINE_STYLE = "background: #7d6608; color: white; font-weight: bold; padding: 6px 10px;"


MIN_WINDOW = QSize(720, 480)


def _scrolled(page: QWidget) -> QScrollArea:
    """A panel whose content needs more room than the window has scrolls inside the window instead of making
    the window wider than a laptop screen (a stack takes the largest minimum size of all its pages)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    return area


class PageStack(QStackedWidget):
    """The panel stack; each panel sits in its own scroll area (see :func:`_scrolled`), and ``currentWidget``
    / ``widget`` answer with the panel itself, so callers never see the wrapper."""

    def currentWidget(self) -> QWidget:
        return _unwrap(super().currentWidget())

    def widget(self, index: int) -> QWidget:
        return _unwrap(super().widget(index))


def _unwrap(widget: QWidget | None) -> QWidget:
    inner = widget.widget() if isinstance(widget, QScrollArea) else None
    return inner or widget  # type: ignore[return-value]  # Qt answers None past the last page, as it does here


class MainWindow(QMainWindow):
    sig_panel_shown = Signal(str)  # panel key, after its page is in the stack

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._started_offline = context.offline  # the process then refuses sockets for good (gui.app.run_gui)
        self._set_title()
        self.setWindowIcon(icon("app"))

        self._build_central()
        self._build_menu()

        self._build_status_bar()
        context.sig_offline_changed.connect(self._offline_changed)
        context.sig_status_message.connect(self._show_status)
        context.runtime.sig_task_failed.connect(self._on_task_failed)
        # Messages handed over for signing (proposals, evidence) open the Keys & Signing panel, which picks
        # the request up from the context even when this is the first time it is built.
        context.sig_sign_requested.connect(lambda _request: self.show_panel("signing"))
        context.sig_navigate.connect(self._navigate)

        from ics_workbench.gui.liveness import LivenessMonitor

        self.liveness = LivenessMonitor(context, parent=self)
        self.navigation.currentRowChanged.connect(self._show_row)
        self.setMinimumSize(MIN_WINDOW)
        self.resize(1180, 740)
        geometry = context.window_settings.geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.navigation.setCurrentRow(0)

    def _build_central(self) -> None:
        """The offline banner above the navigation list and the page stack (a placeholder page per panel)."""
        self.navigation = QListWidget()
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setSpacing(2)
        self.navigation.setFixedWidth(190)
        self.navigation.setObjectName("navigation")
        self.stack = PageStack()
        self._pages: dict[str, QWidget] = {}
        for spec in PANELS:
            item = QListWidgetItem(icon(spec.icon), spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(spec.summary)
            self.navigation.addItem(item)
            self.stack.addWidget(QWidget())  # replaced by the panel when first shown

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.offline_banner = QLabel(OFFLINE_BANNER)
        self.offline_banner.setObjectName("offline_banner")
        self.offline_banner.setWordWrap(True)
        self.offline_banner.setStyleSheet(OFFLINE_STYLE)
        self.offline_banner.setVisible(self.context.offline)
        outer.addWidget(self.offline_banner)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        outer.addLayout(layout, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        """Task progress, the Work offline switch and the connection indicators."""
        self.task_progress = TaskProgress(self.context.runtime)
        self.indicators = ConnectionIndicators(self.context)
        self.offline_button = QToolButton()
        self.offline_button.setDefaultAction(self.work_offline_action)
        self.offline_button.setObjectName("work_offline")
        self.statusBar().addPermanentWidget(self.task_progress)
        self.statusBar().addPermanentWidget(self.offline_button)
        self.statusBar().addPermanentWidget(self.indicators)

    def _set_title(self) -> None:
        self.setWindowTitle(f"ICS Workbench {__version__}" + (" — offline" if self.context.offline else ""))

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self.work_offline_action = QAction("&Work offline", self)
        self.work_offline_action.setCheckable(True)
        self.work_offline_action.setChecked(self.context.offline)
        self.work_offline_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.work_offline_action.setEnabled(not self._started_offline)
        self.work_offline_action.setToolTip(
            "This window was started offline: the network stays off until the app is restarted online"
            if self._started_offline else
            "Switch the network off now (on again when unchecked): connections close, connecting, fee simulation "
            "and broadcast are disabled; opening, reviewing, signing and saving files keep working")
        self.work_offline_action.toggled.connect(self.context.set_offline)
        menu.addAction(self.work_offline_action)
        self.addAction(self.work_offline_action)
        self.offline_action = QAction("Start in &offline mode", self)
        self.offline_action.setCheckable(True)
        self.offline_action.setChecked(self.context.window_settings.start_offline())
        self.offline_action.setToolTip("From the next start on, open no network connections (air-gapped signer)")
        self.offline_action.setStatusTip("Takes effect at the next start" + (
            "; this window is offline now" if self.context.offline else ""))
        self.offline_action.toggled.connect(self._offline_toggled)
        menu.addAction(self.offline_action)
        menu.addSeparator()
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setToolTip("Close ICS Workbench: running work is cancelled and drafts are already saved")
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        if self.quit_action.shortcut().isEmpty():  # some platforms define no standard Quit key
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.triggered.connect(self.close)
        menu.addAction(self.quit_action)
        self.addAction(self.quit_action)

    def _offline_changed(self, enabled: bool) -> None:
        """Offline mode switched while the app runs: the banner, the title, the liveness looks follow at once."""
        self.work_offline_action.setChecked(enabled)
        self.offline_banner.setVisible(enabled)
        self._set_title()
        if enabled:
            self.liveness.timer.stop()
        else:
            self.liveness.timer.start()
        self.context.show_status("offline: connections closed, network actions off" if enabled
                                 else "online again: connect the chains you need in Connections")

    def _offline_toggled(self, enabled: bool) -> None:
        self.context.window_settings.set_start_offline(enabled)
        self.context.show_status("the app will start in offline mode next time" if enabled
                                 else "the app will start online next time")

    @property
    def panel_keys(self) -> list[str]:
        return [spec.key for spec in PANELS]

    def page(self, key: str) -> QWidget | None:
        """The panel built for ``key`` (or the page saying it failed), None if never shown."""
        return self._pages.get(key)

    def show_panel(self, key: str) -> QWidget:
        self.navigation.setCurrentRow(self.panel_keys.index(key))
        return self._pages[key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        spec = PANELS[row]
        if spec.key not in self._pages:
            page = self._build_page(spec)
            old = QStackedWidget.widget(self.stack, row)
            self.stack.insertWidget(row, _scrolled(page))
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
            self._pages[spec.key] = page
        self.stack.setCurrentIndex(row)
        self.sig_panel_shown.emit(spec.key)

    def _navigate(self, key: str, target: object) -> None:
        page = self.show_panel(key)
        focus = getattr(page, "focus_target", None)
        if target is not None and callable(focus):
            focus(target)

    def _build_page(self, spec: PanelSpec) -> QWidget:
        try:
            return create_panel(spec, self.context)
        except Exception:
            log.exception("panel %s failed to load", spec.key)
            return MessagePage(f"{spec.title} could not be opened", "Unexpected error, details in the log.")

    def _show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_MESSAGE_MS)

    def _on_task_failed(self, task: Task, message: str) -> None:
        label = f"{task.label}: " if task.label else ""
        self._show_status(f"{label}{message}")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.context.window_settings.save("main", self.saveGeometry())
        self.liveness.timer.stop()
        self.context.retire_all()  # jobs in network calls stop with their closed clients
        if not self.context.runtime.shutdown():
            log.warning("quitting with background work still running: %s",
                        ", ".join(t.label for t in self.context.runtime.active_tasks) or "(unlabelled)")
        super().closeEvent(event)
