"""Status bar pieces: one coloured indicator per connected chain, and the running-task progress."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
from ics_workbench.gui.resources import icon
from ics_workbench.gui.runtime import Runtime, Task
from ics_workbench.gui.untrusted import plain_tooltip
from ics_workbench.untrusted_text import visible

STATE_COLOURS = {
    LinkState.CONNECTED: "#2e9d4f",
    LinkState.WARNING: "#d99a1e",
    LinkState.CONNECTING: "#3b6ea8",
    LinkState.FAILED: "#c0392b",
    LinkState.DISCONNECTED: "#8a8a8a",
}


def describe_connection(state: ConnectionState) -> str:
    live = state.state in (LinkState.CONNECTED, LinkState.WARNING)
    parts = [state.chain_id if live and state.chain_id else state.name]
    if state.height is not None:
        parts.append(f"h {state.height:,}")
    if state.lag_seconds is not None:
        parts.append(f"lag {state.lag_seconds:.0f}s")
    if state.state in (LinkState.CONNECTING, LinkState.FAILED, LinkState.DISCONNECTED):
        parts.append(state.state.value)
    return " · ".join(parts)


class ConnectionIndicator(QLabel):
    """``● chain-id · h 1,234 · lag 2s``; the tooltip carries the profile name, role and last message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setContentsMargins(6, 0, 6, 0)

    def show_state(self, state: ConnectionState) -> None:
        colour = STATE_COLOURS[state.state]
        # the text names a chain (its id comes from the node): escaped, since this label is rich text
        text = html.escape(visible(describe_connection(state)))
        self.setText(f'<span style="color:{colour}">&#9679;</span> {text}')
        tip = f"{state.name} ({state.role}) — {state.state.value}"
        if state.message:
            tip += f"\n{state.message}"
        self.setToolTip(plain_tooltip(tip))  # the message carries node answers and chain ids


class ConnectionIndicators(QWidget):
    """Keeps one indicator per profile in the context's live connections, in connection order."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._empty = QLabel("no chain connected")
        self._empty.setEnabled(False)
        self._layout.addWidget(self._empty)
        self._indicators: dict[str, ConnectionIndicator] = {}
        context.sig_connection_changed.connect(self._on_changed)

    def indicator(self, name: str) -> ConnectionIndicator | None:
        return self._indicators.get(name)

    def _on_changed(self, name: str) -> None:
        state = self._context.connection(name)
        existing = self._indicators.get(name)
        if state is None:
            if existing is not None:
                self._indicators.pop(name)
                existing.deleteLater()
        else:
            if existing is None:
                existing = self._indicators[name] = ConnectionIndicator(self)
                self._layout.addWidget(existing)
            existing.show_state(state)
        self._empty.setVisible(not self._indicators)


class TaskProgress(QWidget):
    """Label, bar and cancel button for the most recently started task still running."""

    def __init__(self, runtime: Runtime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runtime = runtime
        self._current: Task | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(icon("cancel"))
        self.cancel_button.setToolTip("Cancel")
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.clicked.connect(self._cancel)
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        runtime.sig_task_started.connect(self._refresh)
        runtime.sig_task_finished.connect(self._refresh)
        self.setVisible(False)

    def _refresh(self, _task: Task | None = None) -> None:
        if self._current is not None:
            try:
                self._current.sig_progress.disconnect(self._on_progress)
            except (RuntimeError, TypeError):
                pass
        active = self._runtime.active_tasks
        self._current = active[-1] if active else None
        self.setVisible(self._current is not None)
        if self._current is None:
            return
        task = self._current
        task.sig_progress.connect(self._on_progress)
        self.cancel_button.setVisible(task.cancellable)
        self._on_progress(task.fraction, task.message)

    def _on_progress(self, fraction: float, message: str) -> None:
        task = self._current
        if task is None:
            return
        more = len(self._runtime.active_tasks) - 1
        text = task.label + (f" — {message}" if message else "") + (f" (+{more} more)" if more > 0 else "")
        self.label.setText(text)
        if fraction <= 0:
            self.bar.setRange(0, 0)  # busy indicator until the first progress report
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(fraction * 1000))

    def _cancel(self) -> None:
        if self._current is not None:
            self._current.cancel()
