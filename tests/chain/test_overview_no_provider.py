"""A chain without a provider module (Gaia v28 after ICS removal): the same overview as a provider, minus
consumers, plus a plain note; ``chain overview`` prints it for a provider profile as the GUI shows it."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from ics_workbench.chain.connect import connect_urls
from ics_workbench.chain.overview import NO_PROVIDER_NOTE, load_provider_overview
from ics_workbench.chain.profiles import ConnectionProfile, ProfileStore
from ics_workbench.cli import main
from ics_workbench.errors import WorkbenchError
from ics_workbench.tasks import Job
from tests.chain.conftest import FAST
from tests.chain.fakechain import FakeChain


def test_overview_without_provider_module_lists_validators_gov_and_endpoints(
    fake_chain: Callable[..., FakeChain],
) -> None:
    chain = fake_chain(chain_id="cosmoshub-4", family="none", validators=130, height=321)
    seen: list[float] = []
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        assert conn.provider is None
        probed = dict(chain.hits)  # detection probes the provider module once; the overview must not again
        overview = load_provider_overview(conn, Job(lambda f, _m: seen.append(f)))
    assert overview.note == NO_PROVIDER_NOTE
    assert overview.consumers == () and overview.params is None
    assert not overview.capabilities.has_provider and overview.capabilities.app_version == "v28.0.0"
    assert (overview.chain_id, overview.height) == ("cosmoshub-4", 321)  # pinned to the newest block
    reads = [h for path, h in chain.pinned if path.startswith(("/cosmos/staking", "/cosmos/gov"))]
    assert reads and set(reads) == {"321"}  # every validator page and the gov params from that one height
    assert len(overview.validators) == 130  # every page
    assert overview.total_power == sum(v.power for v in overview.validators)
    assert [str(c) for c in overview.gov.min_deposit] == ["250000000uatom"]
    assert [lag.kind for lag in overview.lag] == ["rpc", "rest"]
    assert {p: n for p, n in chain.hits.items() if p.startswith("/interchain_security/")} == {
        p: n for p, n in probed.items() if p.startswith("/interchain_security/")
    }
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_overview_without_provider_module_needs_rest(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(family="none")
    with connect_urls([chain.url], [], settings=FAST) as conn:
        with pytest.raises(WorkbenchError, match="a REST endpoint is needed to load validators and gov params"):
            load_provider_overview(conn)


def test_a_provider_with_module_has_no_note(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(family="v7", validators=3, consumers=2)
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        overview = load_provider_overview(conn)
    assert overview.note == "" and len(overview.consumers) == 2


def test_cli_prints_the_note_validators_and_gov_for_a_provider_profile(
    fake_chain: Callable[..., FakeChain], capsys: pytest.CaptureFixture[str]
) -> None:
    chain = fake_chain(chain_id="cosmoshub-4", family="none", validators=4)
    ProfileStore().save(ConnectionProfile.parse({
        "name": "hub", "chain_id": "cosmoshub-4", "role": "provider",
        "rpc": [{"url": chain.url}], "rest": [{"url": chain.url}],
    }))
    assert main(["chain", "overview", "--profile", "hub"]) == 0
    out = capsys.readouterr().out
    assert f"note: {NO_PROVIDER_NOTE}" in out
    assert "consumer chains (" not in out
    assert "bonded validators (4, total power" in out and "validator-3" in out
    assert "gov: min deposit 250000000uatom" in out
    # the same for an ad-hoc connection asked for the provider view (without --role it is a consumer view)
    assert main(["chain", "overview", "--rpc", chain.url, "--rest", chain.url, "--role", "provider", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["note"] == NO_PROVIDER_NOTE and data["consumers"] == [] and len(data["validators"]) == 4
    assert main(["chain", "overview", "--rpc", chain.url, "--rest", chain.url, "--json"]) == 0
    assert "note" not in json.loads(capsys.readouterr().out)  # the consumer overview
