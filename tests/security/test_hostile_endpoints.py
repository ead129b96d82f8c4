"""Every hostile endpoint mode ends every network command with a one-line error, quickly and in bounded memory;
the clients' paginations stop on a page cap or a repeated page; limits name the endpoint and the limit."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from ics_workbench.chain.comet import CometRpc
from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.chain.rest import paginate
from ics_workbench.errors import EndpointError, WorkbenchError
from ics_workbench.netlimits import NetworkLimits, configure
from tests.security.hostile_cli import network_commands, run_cli
from tests.security.hostile_server import MODES, HostileServer

QUICK = NetworkLimits(request_deadline=2.0)


@pytest.fixture(autouse=True)
def quick_limits() -> Iterator[None]:
    configure(QUICK)
    yield
    configure(NetworkLimits())


def client(url: str) -> JsonHttp:
    return JsonHttp([Endpoint(url)], timeout=10.0, retries=2, backoff=0.01)


@pytest.mark.parametrize(("mode", "expected"), [
    ("endless", "answer larger than the 32 MB limit"),
    ("huge", "answer larger than the 32 MB limit"),
    ("huge-undeclared", "answer larger than the 32 MB limit"),
    ("trickle", "not complete within the 2 s deadline"),
    ("deep", "JSON nested 100000 levels deep (limit 64)"),
])
def test_each_limit_is_one_error_naming_endpoint_and_limit(mode: str, expected: str) -> None:
    with HostileServer(mode) as server, client(server.url) as http:
        started = time.monotonic()
        with pytest.raises(EndpointError) as caught:
            http.get_json("/status")
        assert time.monotonic() - started < 6
    assert caught.value.kind == "limit" and not caught.value.transient
    assert str(caught.value).startswith(f"{server.url}/status: ") and expected in str(caught.value)
    assert len(server.requests) == 1  # a limit is not retried on the same endpoint


def test_a_smaller_configured_limit_applies() -> None:
    configure(NetworkLimits(max_response_bytes=1024 * 1024))
    with HostileServer("endless") as server, client(server.url) as http:
        with pytest.raises(EndpointError, match="larger than the 1 MB limit"):
            http.get_json("/status")


def test_command_deadline_bounds_all_requests_together() -> None:
    configure(NetworkLimits(request_deadline=20.0, command_deadline=1.5))
    with HostileServer("trickle") as server, client(server.url) as http:
        started = time.monotonic()
        with pytest.raises(EndpointError, match="deadline"):
            http.get_json("/status")
        with pytest.raises(EndpointError, match="command deadline of 1.5 s reached; not sent"):
            http.get_json("/status")
        assert time.monotonic() - started < 4


def test_rest_pagination_with_fresh_keys_and_the_same_page_stops() -> None:
    with HostileServer("loop") as server, client(server.url) as http:
        with pytest.raises(EndpointError, match="same page again with a new next_key") as caught:
            paginate(http, "/cosmos/staking/v1beta1/validators", "validators")
    assert caught.value.kind == "limit" and len(server.requests) == 2


def test_rest_pagination_page_cap() -> None:
    configure(NetworkLimits(max_pages=3))
    calls = iter(range(1000))

    class Pages:
        endpoints = [Endpoint("http://x")]

        def fetch(self, path, query, **_):  # type: ignore[no-untyped-def]
            n = next(calls)
            from ics_workbench.chain.http import Answer
            return Answer("http://x" + path, {"items": [n], "pagination": {"next_key": f"k{n}"}})

    with pytest.raises(EndpointError, match="more than the 3-page limit"):
        paginate(Pages(), "/list", "items")  # type: ignore[arg-type]


def test_rpc_validators_paging_has_a_cap_and_a_repeat_check() -> None:
    with HostileServer("loop") as server, client(server.url) as http:
        with pytest.raises(EndpointError, match="more than the 250-page limit") as caught:
            CometRpc(http).validators()
    assert caught.value.kind == "limit" and len(server.requests) == 1
    configure(NetworkLimits(max_pages=100_000))
    with HostileServer("loop") as server, client(server.url) as http:
        with pytest.raises(EndpointError, match="page 2 repeats validators of an earlier page"):
            CometRpc(http).validators()


def test_wrong_types_are_shape_errors() -> None:
    with HostileServer("wrong-type") as server, client(server.url) as http:
        with pytest.raises(WorkbenchError, match="not an object"):
            CometRpc(http).status()


@pytest.mark.parametrize("mode", MODES)
def test_every_network_command_ends_with_one_line_in_bounded_time_and_memory(mode: str) -> None:
    """Every network command of the CLI, in one subprocess per mode (short per-request deadline to keep the
    suite fast; the recorded benchmark ``bench/hostile_endpoints.py`` runs one subprocess per command with the
    default limits)."""
    with HostileServer(mode) as server:
        run = run_cli(["-m", "tests.security.hostile_matrix", server.url, "--request-deadline", "1"], module=True,
                      timeout=120)
    assert run.code == 0, run.stderr
    results = [json.loads(line) for line in run.stdout.splitlines()]
    *commands, peak = results
    assert [c["command"] for c in commands] == list(network_commands("u"))
    for c in commands:
        lines = c["stderr"].strip().splitlines()
        assert c["code"] in (0, 1, 2), c
        assert len(lines) <= 1 and "Traceback" not in c["stderr"] and "internal error" not in c["stderr"], c
        if c["code"]:
            assert lines and lines[0].startswith("error: "), c
        assert c["seconds"] <= 30, c
    assert peak["max_rss_mb"] <= 300, peak  # the child's own peak; run.max_rss_mb includes the parent's at fork
