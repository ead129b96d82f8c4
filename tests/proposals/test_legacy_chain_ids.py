"""The v4/v5 duplicate chain-id rule (offline half; the live half runs on real v4/v5 providers in
tests/devnet/test_versions_devnet.py)."""

from __future__ import annotations

import pytest

from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.legacy_chain_ids import PENDING, PROPOSED, RUNNING
from ics_workbench.proposals.rules import validate
from ics_workbench.proposals.versions import ProviderVersion
from tests.proposals import helpers as h


@pytest.mark.parametrize(
    ("state", "error"), [(RUNNING, True), (PENDING, False), (PROPOSED, False), (None, None)]
)
def test_a_chain_id_on_the_provider_cannot_be_added_again(state: str | None, error: bool | None) -> None:
    draft = h.legacy_addition()  # chain id mychain-1
    chains = {"other-1": RUNNING} | ({"mychain-1": state} if state else {})
    facts = ProviderFacts(version=ProviderVersion.parse("v4.2.0"), legacy_chains=chains)
    found = [p for p in validate(draft, facts) if p.rule == "consumer_chain_exists"]
    if error is None:
        assert found == []
        return
    assert len(found) == 1 and found[0].path == "messages[0].chain_id" and found[0].is_error is error
    assert "consumer chain already exists" in found[0].message


def test_unknown_provider_state_fires_nothing() -> None:
    facts = ProviderFacts(version=ProviderVersion.parse("v5.2.0"), legacy_chains=None)
    assert not [p for p in validate(h.msg_consumer_addition(), facts) if p.rule == "consumer_chain_exists"]
