"""Who a consumer key belonged to at the infraction time, against real local provider nodes that keep history.

What a reviewer relies on: a consumer key replaced after the double vote (and pruned from the provider since)
still names the validator who signed with it, read from the provider block at or just before the vote time;
that block is found in a bounded number of queries; a node that pruned that state says exactly that and what
to add to the profile, and an archive endpoint is used wherever it is listed.
"""

from __future__ import annotations

import json
import math
import random
import threading
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from ics_workbench.addresses import encode_address
from ics_workbench.chain.comet import CometRpc
from ics_workbench.chain.detect import Capabilities
from ics_workbench.chain.http import HEIGHT_HEADER, Endpoint, JsonHttp
from ics_workbench.chain.models import ConsumerChain
from ics_workbench.chain.provider import ProviderClient
from ics_workbench.chain.rest import RestClient
from ics_workbench.errors import WorkbenchError
from ics_workbench.evidence.provider_side import (
    PrunedHeightError,
    map_consumer_address,
    map_consumer_address_at,
    provider_height_at,
)
from tests.evidence.provider_node import signing_info, valcons, validators

CONSUMER_ID = "0"
LATEST = 1_000
REPLACED_AT = 600
"""the validator assigned a new consumer key in this block; the old one kept mapping until it was pruned"""
PRUNED_AT = 700
"""from this block on the provider no longer maps the old key (pruned an unbonding period later)"""
OLD_KEY = bytes(range(20))
GENESIS = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BLOCKS = "/cosmos/base/tendermint/v1beta1/blocks/"


def block_times(seed: int = 7) -> list[datetime]:
    """Irregular block times (1 to 9 s apart, some equal-looking gaps), index = height; index 0 unused."""
    rng = random.Random(seed)
    times = [GENESIS, GENESIS]
    for _ in range(LATEST - 1):
        times.append(times[-1] + timedelta(seconds=rng.randint(1, 9), microseconds=rng.randint(0, 999_999)))
    return times


TIMES = block_times()


def stamp(time: datetime) -> str:
    """CometBFT's RFC 3339 with nanoseconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.%f") + "123Z"


@dataclass
class History:
    """A provider node's chain: block times, key assignment and staking state per height, answered per
    ``x-cosmos-block-height`` (REST) or ``height`` (RPC).

    ``lowest_block`` is where its block store starts; ``lowest_state`` the oldest state it keeps.
    """

    lowest_block: int = 1
    lowest_state: int = 1
    seen: list[tuple[str, str | None]] = field(default_factory=list)

    def block_requests(self) -> int:
        return sum(1 for path, _ in self.seen if path.startswith(BLOCKS) or path in ("/status", "/header"))

    def heights_asked(self, prefix: str) -> list[str | None]:
        return [height for path, height in self.seen if path.startswith(prefix)]

    def answer(self, path: str, params: dict[str, str], height: str | None) -> tuple[int, Any]:
        if path == "/status":
            return 200, {"jsonrpc": "2.0", "id": -1, "result": {
                "node_info": {"network": "provider", "version": "0.38.17", "moniker": "n", "id": "ab"},
                "sync_info": {"latest_block_height": str(LATEST), "latest_block_time": stamp(TIMES[LATEST]),
                              "earliest_block_height": str(self.lowest_block), "catching_up": False}}}
        if path == "/header":
            wanted = int(params.get("height", LATEST))
            if wanted < self.lowest_block:
                return 500, {"jsonrpc": "2.0", "id": -1, "error": {
                    "code": -32603, "message": "Internal error",
                    "data": f"height {wanted} is not available, lowest height is {self.lowest_block}"}}
            return 200, {"jsonrpc": "2.0", "id": -1, "result": {"header": self.header(wanted)}}
        if path.startswith(BLOCKS):
            tail = path.removeprefix(BLOCKS)
            wanted = LATEST if tail == "latest" else int(tail)
            if wanted < self.lowest_block:
                return 500, {"code": 2, "message": f"height {wanted} is not available, lowest height is "
                                                   f"{self.lowest_block}", "details": []}
            return 200, {"block_id": {}, "block": {"header": self.header(wanted)}}
        state = int(height) if height is not None else LATEST
        if state < self.lowest_state:
            return 400, {"code": 3, "details": [], "message": f"failed to load state at height {state}; version "
                         f"does not exist (latest height: {LATEST}): invalid request"}
        return self.state(path, state)

    def header(self, height: int) -> dict[str, Any]:
        return {"chain_id": "provider", "height": str(height), "time": stamp(TIMES[height])}

    def state(self, path: str, height: int) -> tuple[int, Any]:
        signer = validators()[1]
        old_valcons = encode_address(OLD_KEY, "cosmosvalcons")
        if path == f"/interchain_security/ccv/provider/validator_provider_addr/{CONSUMER_ID}/{old_valcons}":
            # no assignment (or a pruned one) answers the consumer address itself, as the provider does
            return 200, {"provider_address": valcons(signer) if height < PRUNED_AT else old_valcons}
        if path == "/cosmos/staking/v1beta1/validators":
            return 200, {"validators": validators(), "pagination": {"next_key": None, "total": "0"}}
        if path.startswith("/cosmos/slashing/v1beta1/signing_infos/"):
            address = path.rsplit("/", 1)[1]
            known = {valcons(v) for v in validators()}
            if address not in known:
                return 404, {"code": 5, "message": f"SigningInfo not found for validator {address}: key not found"}
            return 200, {"val_signing_info": signing_info(address, 0)}
        return 404, {"code": 5, "message": "Not Implemented"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True


@pytest.fixture
def node() -> Iterator[Any]:
    servers: list[_Server] = []

    def start(history: History) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parsed = urlparse(self.path)
                params = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
                height = self.headers.get(HEIGHT_HEADER)
                history.seen.append((parsed.path, height))
                status, body = history.answer(parsed.path, params, height)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: Any) -> None:
                pass

        server = _Server(("127.0.0.1", 0), Handler)
        servers.append(server)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def clients(*endpoints: Endpoint) -> tuple[JsonHttp, ProviderClient, RestClient]:
    http = JsonHttp(endpoints, timeout=5, retries=1, backoff=0.01)
    caps = Capabilities(has_provider=True, ics_major=7, keyed_by="consumer_id", msg_create_consumer=True)
    return http, ProviderClient(http, caps), RestClient(http)


CONSUMER = ConsumerChain(consumer_id=CONSUMER_ID, chain_id="pion-1", phase="LAUNCHED", client_id="07-tendermint-0")


def between(height: int) -> datetime:
    """A vote time after block ``height`` and before the next one."""
    return TIMES[height] + (TIMES[height + 1] - TIMES[height]) / 2


def test_replaced_key_maps_to_its_validator_at_the_infraction_time_and_to_nobody_now(node: Any) -> None:
    history = History()
    http, provider, rest = clients(Endpoint(node(history)))
    with http:
        then = map_consumer_address_at(provider, rest, CONSUMER, OLD_KEY, between(400))
        now = map_consumer_address(provider, rest, CONSUMER, OLD_KEY)

    signer = validators()[1]
    assert then.provider_height == 400 and then.provider_time == TIMES[400]
    assert then.mapping.provider_address == valcons(signer) and then.mapping.key_assigned
    assert then.mapping.operator_address == signer["operator_address"]
    assert then.mapping.moniker == signer["description"]["moniker"]
    assert then.mapping.tombstoned is False
    assert set(history.heights_asked("/interchain_security/")) == {"400", None}
    assert now.provider_address == encode_address(OLD_KEY, "cosmosvalcons") and not now.key_assigned
    assert now.operator_address == "" and now.tombstoned is None  # nobody holds that key now
    assert then.to_json()["provider_height"] == 400


@pytest.mark.parametrize("height", [1, 2, 137, 400, 599, 600, 998, 999])
def test_block_at_or_before_the_time_is_found_in_a_bounded_number_of_queries(node: Any, height: int) -> None:
    history = History()
    base = node(history)
    bound = math.ceil(math.log2(LATEST)) + 3
    for when in (between(height), TIMES[height]):  # between two blocks, and exactly at a block's time
        for source in ("rest", "rpc"):
            history.seen.clear()
            http, _, rest = clients(Endpoint(base))
            with http:
                found = provider_height_at(rest if source == "rest" else CometRpc(http), when)
            assert found == bisect_right(TIMES, when, lo=1) - 1 == height
            assert 2 <= history.block_requests() <= bound, (source, history.seen)


def test_time_after_the_latest_block_is_the_latest_block(node: Any) -> None:
    http, _, rest = clients(Endpoint(node(History())))
    with http:
        assert provider_height_at(rest, TIMES[LATEST] + timedelta(minutes=1)) == LATEST


def test_pruned_block_store_starts_the_search_at_its_lowest_block(node: Any) -> None:
    history = History(lowest_block=300, lowest_state=300)
    http, _, rest = clients(Endpoint(node(history)))
    with http:
        assert provider_height_at(rest, between(450)) == 450
        assert provider_height_at(CometRpc(http), between(300)) == 300
        with pytest.raises(PrunedHeightError) as caught:
            provider_height_at(rest, between(299))
    assert "no endpoint keeps provider blocks from" in str(caught.value)
    assert "the earliest kept block is 300" in str(caught.value)
    assert caught.value.height == 300


def test_pruned_state_without_an_archive_endpoint_says_so_precisely(node: Any) -> None:
    history = History(lowest_state=900)  # keeps every block but only recent state, like a default node
    http, provider, rest = clients(Endpoint(node(history)))
    with http, pytest.raises(PrunedHeightError) as caught:
        map_consumer_address_at(provider, rest, CONSUMER, OLD_KEY, between(400))
    assert str(caught.value).startswith(
        "no archive endpoint keeps provider height 400 (pruned); add an archive REST endpoint to the provider profile"
    )
    assert caught.value.height == 400


def test_archive_endpoint_listed_second_is_used(node: Any) -> None:
    recent, archive = History(lowest_block=900, lowest_state=900), History()
    http, provider, rest = clients(Endpoint(node(recent)), Endpoint(node(archive), archive=True))
    with http:
        then = map_consumer_address_at(provider, rest, CONSUMER, OLD_KEY, between(400))
    assert then.provider_height == 400 and then.mapping.operator_address == validators()[1]["operator_address"]
    assert archive.heights_asked("/interchain_security/") == ["400"]
    assert recent.heights_asked("/interchain_security/") == []
    assert not any(path.startswith(BLOCKS) and path != BLOCKS + "latest" for path, _ in recent.seen)


def test_infraction_time_before_the_provider_chain_began_is_not_blamed_on_pruning(node: Any) -> None:
    http, _, rest = clients(Endpoint(node(History())))
    with http, pytest.raises(WorkbenchError) as caught:
        provider_height_at(rest, GENESIS - timedelta(days=1))
    assert not isinstance(caught.value, PrunedHeightError)
    assert "is before the provider's first block" in str(caught.value)


def test_infraction_time_without_a_time_zone_is_refused(node: Any) -> None:
    http, _, rest = clients(Endpoint(node(History())))
    with http, pytest.raises(ValueError, match="time zone"):
        provider_height_at(rest, datetime(2026, 3, 1, 12, 30))
