"""Connecting: every endpoint must serve the profile's chain; catching up warns; failover and lag per endpoint."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

from ics_workbench.chain.connect import connect
from ics_workbench.chain.profiles import ConnectionProfile
from ics_workbench.errors import AllEndpointsFailed, CancelledError, ChainMismatchError
from ics_workbench.tasks import Job
from tests.chain.conftest import FAST
from tests.chain.fakechain import FakeChain


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def profile(rpc: list[str], rest: list[str], chain_id: str = "provider", role: str = "provider") -> ConnectionProfile:
    return ConnectionProfile.parse(
        {
            "name": "p",
            "chain_id": chain_id,
            "role": role,
            "rpc": [{"url": u} for u in rpc],
            "rest": [{"url": u} for u in rest],
        }
    )


def test_node_of_another_chain_is_refused(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(chain_id="theta-testnet-001")
    with pytest.raises(ChainMismatchError) as caught:
        connect(profile([chain.url], [chain.url], chain_id="cosmoshub-4"), settings=FAST)
    assert str(caught.value) == (
        f"RPC endpoint {chain.url} serves chain 'theta-testnet-001', not the expected 'cosmoshub-4' (profile 'p')"
    )


def test_rest_and_rpc_of_different_chains_are_refused(fake_chain: Callable[..., FakeChain]) -> None:
    rpc = fake_chain(chain_id="provider")
    rest = fake_chain(chain_id="provider", rest_chain_id="consumer-1")
    with pytest.raises(
        ChainMismatchError, match=f"REST endpoint {rest.url} serves chain 'consumer-1'.*different chains"
    ):
        connect(profile([rpc.url], [rest.url]), settings=FAST)


def test_a_second_rpc_endpoint_of_another_chain_is_refused(fake_chain: Callable[..., FakeChain]) -> None:
    good = fake_chain(chain_id="provider")
    other = fake_chain(chain_id="provider-2")
    with pytest.raises(ChainMismatchError, match=other.url):
        connect(profile([good.url, other.url], [good.url]), settings=FAST)


def test_connect_reports_progress_forward(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain()
    seen: list[tuple[float, str]] = []
    with connect(profile([chain.url], [chain.url]), Job(lambda f, m: seen.append((f, m))), settings=FAST):
        pass
    assert seen == [(0.05, "querying node status"), (0.5, "detecting provider version"), (1.0, "connected")]


def test_cancelled_connect_raises_and_stops(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain()
    job = Job()
    job.cancel()
    with pytest.raises(CancelledError):
        connect(profile([chain.url], [chain.url]), job, settings=FAST)
    assert sum(chain.hits.values()) == 0


def test_catching_up_node_warns_but_connects(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(catching_up=True)
    with connect(profile([chain.url], [chain.url]), settings=FAST) as conn:
        assert conn.status.catching_up
        assert conn.warnings == [f"{chain.url} is still catching up (at height 1000); its answers are old"]
        assert conn.provider is not None


def test_lag_per_endpoint_and_failover_past_a_dead_endpoint(fake_chain: Callable[..., FakeChain]) -> None:
    ahead = fake_chain(height=1000)
    behind = fake_chain(height=988)
    dead = closed_port_url()
    with connect(profile([dead, behind.url, ahead.url], [ahead.url]), settings=FAST) as conn:
        lags = {(lag.kind, lag.url): lag for lag in conn.lag}
        assert len(lags) == 4
        assert lags["rpc", ahead.url].lag_blocks == 0 and lags["rpc", ahead.url].lag_seconds == 0
        assert lags["rpc", behind.url].lag_blocks == 12 and lags["rpc", behind.url].lag_seconds == 60.0
        assert lags["rest", ahead.url].lag_blocks == 0 and lags["rest", ahead.url].height == 1000
        assert lags["rpc", dead].error is not None and "cannot connect" in lags["rpc", dead].error
        assert conn.status.url == ahead.url and conn.status.latest_height == 1000
        assert any(w.startswith(f"RPC endpoint unusable: {dead}/status: cannot connect") for w in conn.warnings)
        assert any(f"{behind.url} is 12 blocks behind" in w for w in conn.warnings)
        # queries fail over in profile order: the dead one first, then the one behind answers
        before = behind.hits["/validators"]
        height, validators = conn.comet.validators()
        assert (height, len(validators)) == (988, 4)
        assert behind.hits["/validators"] == before + 1


def test_a_stale_rest_endpoint_shows_its_lag(fake_chain: Callable[..., FakeChain]) -> None:
    rpc = fake_chain(height=1000)
    stale_rest = fake_chain(height=940)
    with connect(profile([rpc.url], [stale_rest.url]), settings=FAST) as conn:
        rest_lag = next(lag for lag in conn.lag if lag.kind == "rest")
        assert (rest_lag.url, rest_lag.height, rest_lag.lag_blocks, rest_lag.lag_seconds) == (
            stale_rest.url,
            940,
            60,
            300.0,
        )
        assert f"{stale_rest.url} is 60 blocks behind the most advanced endpoint" in conn.warnings
        stale_rest.height = 1001
        rpc.height = 1001
        assert [(lag.kind, lag.lag_blocks) for lag in conn.endpoint_lag()] == [("rpc", 0), ("rest", 0)]


def test_all_rpc_endpoints_down_lists_each_fault() -> None:
    first, second = closed_port_url(), closed_port_url()
    with pytest.raises(AllEndpointsFailed) as caught:
        connect(profile([first, second], []), settings=FAST)
    message = str(caught.value)
    assert message.startswith("no endpoint answered: ")
    assert f"{first}/status: cannot connect" in message and f"{second}/status: cannot connect" in message


def test_profile_without_rest_connects_with_a_warning(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain()
    with connect(profile([chain.url], [], role="consumer"), settings=FAST) as conn:
        assert not conn.capabilities.has_provider and conn.rest is None
        assert "no REST endpoint" in conn.warnings[0]


def test_role_mismatch_is_a_warning_and_capabilities_are_recorded(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(family="none")
    original = profile([chain.url], [chain.url], role="provider")
    with connect(original, settings=FAST) as conn:
        assert "is a provider profile but the node has no provider module" in conn.warnings[0]
        assert conn.profile.capabilities == conn.capabilities
        assert original.capabilities is None  # connect returns an updated copy; the caller decides to save it
