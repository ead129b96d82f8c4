# mypy: disable-error-code="misc"
# (a mixin's methods are typed `self: ProposalsPanel`; mypy flags a self type narrower than the mixin as [misc])
"""The provider facts a draft is checked against, and keeping them fresh: the chosen ICS version offline, or
the connected provider's facts read on a worker and re-read on each new block, another consumer, signer or
chain. ``ProposalsPanel`` inherits these methods; the facts and their freshness state live on the panel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ics_workbench.gui.panels.proposals.form import WARNING_STYLE
from ics_workbench.proposals.deposit import deposit_advice, format_coins
from ics_workbench.proposals.facts_watch import FactsKey, facts_key, freshness_text
from ics_workbench.proposals.versions import ProviderVersion
from ics_workbench.untrusted_text import visible

if TYPE_CHECKING:
    from ics_workbench.gui.panels.proposals.panel import ProposalsPanel
    from ics_workbench.proposals.facts import ProviderFacts


class ProviderFactsFollowing:
    """Provider facts for ``ProposalsPanel`` (mixed in)."""

    _seen_height: int | None  # the newest block the poll has seen; initialised by the panel

    def set_facts(self: ProposalsPanel, facts: ProviderFacts, read_for: FactsKey | None = None) -> None:
        self.facts = facts
        self._facts_for = read_for
        if facts.height is not None:
            self._seen_height = max(self._seen_height or 0, facts.height)
        self.version_box.blockSignals(True)
        if self.version_box.findText(str(facts.version)) < 0:
            self.version_box.addItem(str(facts.version))
        self.version_box.setCurrentText(str(facts.version))
        self.version_box.blockSignals(False)
        self._show_facts()
        self.refresh()

    def _version_changed(self: ProposalsPanel, text: str) -> None:
        self.facts.version = ProviderVersion.parse(text)
        self._show_facts()
        self.refresh()

    def _show_facts(self: ProposalsPanel) -> None:
        f = self.facts
        parts = [f"ICS {f.version}", f"gov module {f.gov_address}"]
        if f.gov:
            advice = deposit_advice(f.gov)
            parts.append(
                f"min deposit {format_coins(advice.min_deposit)} (initial ≥ "
                f"{format_coins(advice.min_initial_deposit) or '0'})"
            )
        else:
            parts.append("offline: no gov params, consumer state or provider params")
        self.facts_label.setText(" · ".join(parts))
        if f.gov:
            advice = deposit_advice(f.gov)
            self.deposit_hint.setText(
                f"minimum {format_coins(advice.min_deposit)}; expedited "
                f"{format_coins(advice.expedited_min_deposit) or '-'}"
            )

    def _connected_provider(self: ProposalsPanel) -> Any:
        state = next((s for s in self.context.connections.values()
                      if s.connection is not None and getattr(s.connection, "provider", None) is not None), None)
        return state.connection if state is not None else None

    def load_facts_from_chain(self: ProposalsPanel) -> None:
        """Use the connected provider: facts are read now and kept fresh (new block, other consumer, signer or
        chain) while a draft is open, always on a worker thread."""
        connection = self._connected_provider()
        if connection is None:
            self.status.setText("no connected provider: connect one in the Connections panel")
            return
        self._live = connection
        self._block_timer.start()
        self.refresh()  # pick up an edit still waiting for the typing pause
        self._reload_facts()

    def _connection_changed(self: ProposalsPanel, _name: str) -> None:
        """A provider connected, switched or dropped: facts follow the connected chain by themselves."""
        connection = self._connected_provider()
        if connection is self._live:
            return
        self._live = connection
        if connection is None:
            self._block_timer.stop()
            self._show_freshness()
            return
        self._block_timer.start()
        self._reload_facts()

    def _key_now(self: ProposalsPanel) -> FactsKey:
        chain = str(getattr(self._live, "chain_id", "") or "") if self._live is not None else ""
        return facts_key(self.draft, self.signer_edit.text().strip(), chain)

    def _reload_facts(self: ProposalsPanel) -> None:
        from ics_workbench.proposals.chain_facts import facts_from_connection

        connection = self._live
        if connection is None:
            return
        key = self._key_now()
        self._facts_generation += 1
        generation = self._facts_generation
        self._facts_loading = True

        def done(facts: ProviderFacts) -> None:
            if generation != self._facts_generation:
                return  # the draft or chain moved on while this was read: a newer request is under way
            self._facts_loading = False
            self.set_facts(facts, key)
            self.sig_facts_loaded.emit()

        def failed(message: str, _error: BaseException) -> None:
            if generation == self._facts_generation:
                self._facts_loading = False
                self.status.setText(visible(message))

        self.context.runtime.run(
            lambda job: facts_from_connection(connection, consumer_ids=list(key.consumer_ids), job=job),
            on_success=done, on_failure=failed, progress_label="Checking against the provider",
        )

    def _poll_block(self: ProposalsPanel) -> None:
        """Each new block (or a switch of the connected chain) while a draft is open re-reads the facts."""
        from ics_workbench.chain.rest import RestClient

        connection = self._connected_provider()
        if connection is not self._live:
            self._live = connection
            if connection is None:
                self._block_timer.stop()
                self._show_freshness()
                return
        if self.draft is None or self._facts_loading or connection is None or connection.rest_http is None:
            return
        rest = connection.rest_http

        def seen(height: int) -> None:
            self._seen_height = height
            if self.facts.height is None or height > self.facts.height:
                self._show_freshness()
                self._reload_facts()

        self.context.runtime.run(
            lambda job: RestClient(rest).latest_head(job=job)[1],
            on_success=seen,
            on_failure=lambda _m, _e: None,
            cancellable=True,
        )

    @property
    def _stale(self: ProposalsPanel) -> bool:
        return freshness_text(self.facts, self._facts_for, self._key_now(), self._seen_height)[1]

    def _show_freshness(self: ProposalsPanel) -> None:
        text, stale = freshness_text(self.facts, self._facts_for, self._key_now(), self._seen_height)
        self.freshness_label.setText(visible(text))
        self.freshness_label.setStyleSheet(WARNING_STYLE if stale else "")
        if stale and self._live is not None and not self._facts_loading and self._facts_for != self._key_now():
            self._reload_facts()
