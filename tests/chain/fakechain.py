"""A real local HTTP server that answers like a CometBFT RPC + Cosmos SDK REST node, and can misbehave.

Answers follow the shapes real nodes send (proto field names, int64 as strings, enum names, base64 keys,
``pagination.next_key``) for each provider family: ICS v4/v5 (chain-id keyed), v6/v7 (consumer-id keyed)
and a Gaia v28 node with no provider module. Faults are injected per path so tests can check the exact
error, the retry count (``hits``) and failover, all over real sockets. Also used by ``bench/provider_load.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

NOT_IMPLEMENTED = (501, {"code": 12, "message": "Not Implemented", "details": []})
PHASE_CYCLE = ("LAUNCHED", "INITIALIZED", "REGISTERED", "LAUNCHED", "STOPPED")

# family -> (app binary name, app version, ICS dependency or None, ibc-go dependency, sdk)
FAMILIES: dict[str, tuple[str, str, tuple[str, str] | None, tuple[str, str], str]] = {
    "v4": (
        "gaiad",
        "v18.1.0",
        ("github.com/cosmos/interchain-security/v4", "v4.3.0-lsm"),
        ("github.com/cosmos/ibc-go/v7", "v7.6.0"),
        "v0.47.16-ics-lsm",
    ),
    "v5": (
        "gaiad",
        "v19.2.0",
        ("github.com/cosmos/interchain-security/v5", "v5.1.1"),
        ("github.com/cosmos/ibc-go/v8", "v8.5.1"),
        "v0.50.9-lsm",
    ),
    "v6": (
        "gaiad",
        "v22.3.0",
        ("github.com/cosmos/interchain-security/v6", "v6.4.1"),
        ("github.com/cosmos/ibc-go/v8", "v8.5.2"),
        "v0.50.11-lsm",
    ),
    "v7": (
        "gaiad",
        "v25.1.0",
        ("github.com/cosmos/interchain-security/v7", "v7.0.0-20250408210344-06e0dc6bf6d6"),
        ("github.com/cosmos/ibc-go/v10", "v10.3.0"),
        "v0.53.3",
    ),
    # the ICS repository's own provider binary lists no ICS dependency (it *is* the main module)
    "v7-ics": ("interchain-security-pd", "", None, ("github.com/cosmos/ibc-go/v10", "v10.0.0"), "v0.50.12"),
    # Gaia v28 removed the provider module (it may still link ICS for legacy message types)
    "none": (
        "gaiad",
        "v28.0.0",
        ("github.com/cosmos/interchain-security/v7", "v7.0.1"),
        ("github.com/cosmos/ibc-go/v10", "v10.3.0"),
        "v0.53.4",
    ),
}


def key_bytes(tag: str) -> bytes:
    return hashlib.sha256(tag.encode()).digest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "123Z"


@dataclass
class Fault:
    """What to do instead of answering: ``status`` (with JSON body), ``sleep`` seconds, ``raw`` bytes
    (non-JSON or truncated JSON), ``drop`` the connection, or ``mutate`` the normal JSON body."""

    status: int | None = None
    sleep: float = 0.0
    raw: bytes | None = None
    drop: bool = False
    mutate: Callable[[Any], Any] | None = None
    times: int | None = None
    """fault only this many hits, then answer normally (None = always)"""
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeChain:
    chain_id: str = "provider"
    family: str = "v7"
    validators: int = 4
    consumers: int = 3
    height: int = 1000
    latency: float = 0.0
    catching_up: bool = False
    rest_chain_id: str | None = None
    """node_info network when it should differ from /status (REST/RPC on different chains)"""
    hits: Counter[str] = field(default_factory=Counter)
    pinned: list[tuple[str, str | None]] = field(default_factory=list)
    committed: int | None = None
    """the app's last committed height when it lags the newest block (None: equal to ``height``)"""
    """(path, x-cosmos-block-height header or None) of every request, in arrival order"""
    faults: dict[str, Fault] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC))
    tls: ssl.SSLContext | None = None
    """serve HTTPS with this server context (e.g. a self-signed certificate)"""
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- server -----------------------------------------------------------------------------------

    def start(self) -> FakeChain:
        chain = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                # headers and body go out in two writes; without NODELAY, Nagle + delayed ACK add ~40 ms
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:
                chain._serve(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if self.tls is not None:
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeChain:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    def fault(self, path: str, fault: Fault) -> None:
        self.faults[path] = fault

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        path, query = parts.path, {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            self.hits[path] += 1
            self.pinned.append((path, request.headers.get("x-cosmos-block-height")))
        asked = request.headers.get("x-cosmos-block-height")
        if asked is not None and int(asked) > (self.committed if self.committed is not None else self.height):
            body = {"code": 3, "message": "cannot query with height in the future; please provide a valid height"}
            self._send(request, 400, json.dumps(body).encode())
            return
        if self.latency:
            time.sleep(self.latency)
        fault = self._fault_for(path)
        if fault is not None:
            if fault.sleep:
                time.sleep(fault.sleep)
            if fault.drop:
                request.close_connection = True
                request.connection.shutdown(2)
                return
            if fault.raw is not None:
                self._send(request, fault.status or 200, fault.raw, "application/json")
                return
            if fault.status is not None:
                body = fault.body if fault.body is not None else {"code": 2, "message": f"injected {fault.status}"}
                self._send(request, fault.status, json.dumps(body).encode(), headers=fault.headers)
                return
        status, body = self.route(path, query)
        if fault is not None and fault.mutate is not None and status == 200:
            body = fault.mutate(json.loads(json.dumps(body)))
        self._send(request, status, json.dumps(body).encode())

    def _fault_for(self, path: str) -> Fault | None:
        for prefix, fault in self.faults.items():
            if path == prefix or path.startswith(prefix.rstrip("/") + "/") or prefix == "*":
                if fault.times is None:
                    return fault
                if fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler,
        status: int,
        payload: bytes,
        ctype: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        request.send_response(status)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.send_header("Content-Type", ctype)
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)

    # --- data -------------------------------------------------------------------------------------

    @property
    def by_id(self) -> bool:
        return self.family in ("v6", "v7", "v7-ics")

    @property
    def has_provider(self) -> bool:
        return self.family != "none"

    def validator(self, i: int) -> dict[str, Any]:
        tokens = (self.validators - i) * 1_000_000_000 + i * 7
        return {
            "operator_address": f"cosmosvaloper1fake{i:04d}",
            "consensus_pubkey": {"@type": "/cosmos.crypto.ed25519.PubKey", "key": b64(key_bytes(f"val{i}"))},
            "jailed": False,
            "status": "BOND_STATUS_BONDED",
            "tokens": str(tokens),
            "delegator_shares": f"{tokens}.000000000000000000",
            "description": {
                "moniker": f"validator-{i}",
                "identity": "",
                "website": "",
                "security_contact": "",
                "details": "",
            },
            "unbonding_height": "0",
            "unbonding_time": "1970-01-01T00:00:00Z",
            "commission": {
                "commission_rates": {
                    "rate": "0.050000000000000000",
                    "max_rate": "0.200000000000000000",
                    "max_change_rate": "0.010000000000000000",
                },
                "update_time": "2026-01-01T00:00:00Z",
            },
            "min_self_delegation": "1",
            "unbonding_on_hold_ref_count": "0",
            "unbonding_ids": [],
        }

    def comet_validator(self, i: int) -> dict[str, Any]:
        key = key_bytes(f"val{i}")
        return {
            "address": hashlib.sha256(key).digest()[:20].hex().upper(),
            "pub_key": {"type": "tendermint/PubKeyEd25519", "value": b64(key)},
            "voting_power": str(int(self.validator(i)["tokens"]) // 1_000_000),
            "proposer_priority": str(i * 10 - 5),
        }

    def consumer(self, i: int) -> dict[str, Any]:
        phase = PHASE_CYCLE[i % len(PHASE_CYCLE)]
        chain: dict[str, Any] = {
            "chain_id": f"consumer-{i}",
            "client_id": f"07-tendermint-{i}" if phase == "LAUNCHED" else "",
            "top_N": 95 if i == 0 else 0,
            "min_power_in_top_N": "1000" if i == 0 else "-1",
            "validators_power_cap": 0,
            "validator_set_cap": 5 if i % 2 else 0,
            "allowlist": [],
            "denylist": [],
            "phase": f"CONSUMER_PHASE_{phase}",
            "metadata": {"name": f"Consumer {i}", "description": "test", "metadata": "{}"},
            "min_stake": "0",
            "allow_inactive_vals": False,
            "consumer_id": str(i),
            "allowlisted_reward_denoms": {"denoms": []},
            "prioritylist": [],
            "infraction_parameters": {
                "double_sign": {
                    "slash_fraction": "0.050000000000000000",
                    "jail_duration": "9223372036.854775807s",
                    "tombstone": True,
                },
                "downtime": {"slash_fraction": "0.000000000000000000", "jail_duration": "600s", "tombstone": False},
            },
        }
        return chain

    def spawn_time(self, i: int) -> datetime:
        return self.now + timedelta(hours=i)

    def consumer_detail(self, i: int) -> dict[str, Any]:
        chain = self.consumer(i)
        return {
            "consumer_id": str(i),
            "chain_id": chain["chain_id"],
            "owner_address": f"cosmos1owner{i:04d}",
            "phase": chain["phase"],
            "metadata": chain["metadata"],
            "init_params": {
                "initial_height": {"revision_number": "0", "revision_height": "1"},
                "genesis_hash": "",
                "binary_hash": "",
                "spawn_time": self.spawn_time(i).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "unbonding_period": "1728000s",
                "ccv_timeout_period": "2419200s",
                "transfer_timeout_period": "1800s",
                "consumer_redistribution_fraction": "0.75",
                "blocks_per_distribution_transmission": "1000",
                "historical_entries": "10000",
                "distribution_transmission_channel": "",
                "connection_id": "",
            },
            "power_shaping_params": {
                "top_N": chain["top_N"],
                "validators_power_cap": 0,
                "validator_set_cap": chain["validator_set_cap"],
                "allowlist": [],
                "denylist": [],
                "min_stake": "0",
                "allow_inactive_vals": False,
                "prioritylist": [],
            },
            "infraction_parameters": chain["infraction_parameters"],
            "client_id": chain["client_id"],
        }

    # --- routes -----------------------------------------------------------------------------------

    def _paged(self, items: list[Any], key: str, query: dict[str, str], total: bool = True) -> dict[str, Any]:
        limit = int(query.get("pagination.limit", "100"))
        start = int(base64.b64decode(query["pagination.key"]).decode()) if query.get("pagination.key") else 0
        page = items[start : start + limit]
        following = start + limit
        next_key = b64(str(following).encode()) if following < len(items) else None
        return {key: page, "pagination": {"next_key": next_key, "total": str(len(items)) if total else "0"}}

    def route(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        rpc = {
            "/status": self._status,
            "/validators": self._comet_validators,
            "/block": self._block,
            "/commit": self._commit,
            "/header": lambda q: self._rpc({"header": self._header(int(q.get("height", self.height)))}),
        }
        if path in rpc:
            return rpc[path](query)
        if path == "/cosmos/base/tendermint/v1beta1/node_info":
            return 200, self._node_info()
        if path == "/cosmos/base/tendermint/v1beta1/blocks/latest":
            header = {**self._header(self.height), "proposer_address": b64(key_bytes("proposer")[:20])}
            return 200, {"block_id": {"hash": b64(b"h" * 32)}, "block": {"header": header}}
        if path.startswith("/cosmos/base/tendermint/v1beta1/blocks/") and path.rsplit("/", 1)[1].isdigit():
            height = int(path.rsplit("/", 1)[1])
            if height > self.height:
                return 400, {"code": 3, "message": f"requested block height {height} is bigger than the chain length"}
            header = {**self._header(height), "proposer_address": b64(key_bytes("proposer")[:20])}
            return 200, {"block_id": {"hash": b64(b"h" * 32)}, "block": {"header": header}}
        if path == "/cosmos/staking/v1beta1/params":
            return 200, {"params": {"unbonding_time": "1814400s", "max_validators": 180, "bond_denom": "uatom"}}
        if path == "/cosmos/staking/v1beta1/validators":
            wanted = query.get("status")
            items = [self.validator(i) for i in range(self.validators)]
            items = [v for v in items if not wanted or v["status"] == wanted]
            return 200, self._paged(items, "validators", query)
        if path.startswith("/cosmos/gov/v1/params/"):
            return 200, self._gov_params()
        if path == "/cosmos/slashing/v1beta1/params":
            return 200, {
                "params": {
                    "signed_blocks_window": "10000",
                    "min_signed_per_window": "0.050000000000000000",
                    "downtime_jail_duration": "600s",
                    "slash_fraction_double_sign": "0.050000000000000000",
                    "slash_fraction_downtime": "0.000100000000000000",
                }
            }
        if path == "/cosmos/slashing/v1beta1/signing_infos":
            infos = [
                {
                    "address": f"cosmosvalcons1info{i}",
                    "start_height": "0",
                    "index_offset": str(100 + i),
                    "jailed_until": "2027-01-01T00:00:00Z" if i == 1 else "1970-01-01T00:00:00Z",
                    "tombstoned": i == 2,
                    "missed_blocks_counter": str(i),
                }
                for i in range(self.validators)
            ]
            return 200, self._paged(infos, "info", query)
        if path.startswith("/interchain_security/ccv/provider/") and self.has_provider:
            return self._provider(path.removeprefix("/interchain_security/ccv/provider"), query)
        return NOT_IMPLEMENTED

    def _rpc(self, result: Any) -> tuple[int, Any]:
        return 200, {"jsonrpc": "2.0", "id": -1, "result": result}

    def _status(self, _: dict[str, str]) -> tuple[int, Any]:
        return self._rpc(
            {
                "node_info": {
                    "protocol_version": {"p2p": "8", "block": "11", "app": "0"},
                    "id": "a" * 40,
                    "listen_addr": "tcp://0.0.0.0:26656",
                    "network": self.chain_id,
                    "version": "0.38.17",
                    "channels": "40202122233038606100",
                    "moniker": "fake-node",
                    "other": {"tx_index": "on", "rpc_address": "tcp://0.0.0.0:26657"},
                },
                "sync_info": {
                    "latest_block_hash": "AB" * 32,
                    "latest_app_hash": "CD" * 32,
                    "latest_block_height": str(self.height),
                    "latest_block_time": rfc3339(self.now + timedelta(seconds=self.height * 5)),
                    "earliest_block_height": "1",
                    "earliest_block_time": rfc3339(self.now),
                    "catching_up": self.catching_up,
                },
                "validator_info": {
                    "address": "00" * 20,
                    "pub_key": {"type": "tendermint/PubKeyEd25519", "value": b64(key_bytes("val0"))},
                    "voting_power": "0",
                },
            }
        )

    def _comet_validators(self, query: dict[str, str]) -> tuple[int, Any]:
        page = int(query.get("page", "1"))
        per_page = min(int(query.get("per_page", "30")), 100)
        height = int(query.get("height", self.height))
        if height > self.height:
            return 500, {
                "jsonrpc": "2.0",
                "id": -1,
                "error": {
                    "code": -32603,
                    "message": "Internal error",
                    "data": f"height {height} must be less than or equal to the current blockchain height "
                    f"{self.height}",
                },
            }
        items = [self.comet_validator(i) for i in range(self.validators)]
        chunk = items[(page - 1) * per_page : page * per_page]
        return self._rpc(
            {"block_height": str(height), "validators": chunk, "count": str(len(chunk)), "total": str(len(items))}
        )

    def _header(self, height: int) -> dict[str, Any]:
        return {
            "version": {"block": "11", "app": "0"},
            "chain_id": self.chain_id,
            "height": str(height),
            "time": rfc3339(self.now + timedelta(seconds=height * 5)),
            "last_block_id": {"hash": "11" * 32, "parts": {"total": 1, "hash": "22" * 32}},
            "last_commit_hash": "",
            "data_hash": "",
            "validators_hash": "33" * 32,
            "next_validators_hash": "33" * 32,
            "consensus_hash": "",
            "app_hash": "44" * 32,
            "last_results_hash": "",
            "evidence_hash": "",
            "proposer_address": self.comet_validator(0)["address"],
        }

    def _commit_body(self, height: int) -> dict[str, Any]:
        return {
            "height": str(height),
            "round": 0,
            "block_id": {"hash": "55" * 32, "parts": {"total": 1, "hash": "66" * 32}},
            "signatures": [
                {
                    "block_id_flag": 2,
                    "validator_address": self.comet_validator(i)["address"],
                    "timestamp": rfc3339(self.now + timedelta(seconds=height * 5 + 1)),
                    "signature": b64(key_bytes(f"sig{i}") * 2),
                }
                for i in range(self.validators)
            ]
            + [{"block_id_flag": 1, "validator_address": "", "timestamp": "0001-01-01T00:00:00Z", "signature": None}],
        }

    def _block(self, query: dict[str, str]) -> tuple[int, Any]:
        height = int(query.get("height", self.height))
        return self._rpc(
            {
                "block_id": {"hash": "77" * 32, "parts": {"total": 1, "hash": "88" * 32}},
                "block": {
                    "header": self._header(height),
                    "data": {"txs": [b64(b"tx1")]},
                    "evidence": {"evidence": []},
                    "last_commit": self._commit_body(height - 1),
                },
            }
        )

    def _commit(self, query: dict[str, str]) -> tuple[int, Any]:
        height = int(query.get("height", self.height))
        return self._rpc(
            {"signed_header": {"header": self._header(height), "commit": self._commit_body(height)}, "canonical": True}
        )

    def _node_info(self) -> dict[str, Any]:
        binary, version, ics, ibc, sdk = FAMILIES[self.family]
        deps = [
            {"path": "github.com/cosmos/cosmos-sdk", "version": sdk, "sum": "h1:x="},
            {"path": ibc[0], "version": ibc[1], "sum": "h1:y="},
            {"path": "github.com/cometbft/cometbft", "version": "v0.38.17", "sum": "h1:z="},
        ]
        if ics:
            deps.insert(1, {"path": ics[0], "version": ics[1], "sum": "h1:w="})
        return {
            "default_node_info": {
                "protocol_version": {"p2p": "8", "block": "11", "app": "0"},
                "default_node_id": "a" * 40,
                "listen_addr": "tcp://0.0.0.0:26656",
                "network": self.rest_chain_id or self.chain_id,
                "version": "0.38.17",
                "channels": "QCAhIiMwOGBhAA==",
                "moniker": "fake-node",
                "other": {"tx_index": "on", "rpc_address": "tcp://0.0.0.0:26657"},
            },
            "application_version": {
                "name": binary.removesuffix("d"),
                "app_name": binary,
                "version": version,
                "git_commit": "0123abcd",
                "build_tags": "netgo,ledger",
                "go_version": "go version go1.23.6 linux/amd64",
                "build_deps": deps,
                "cosmos_sdk_version": sdk,
            },
        }

    def _gov_params(self) -> dict[str, Any]:
        params = {
            "min_deposit": [{"denom": "uatom", "amount": "250000000"}],
            "max_deposit_period": "1209600s",
            "voting_period": "1209600s",
            "quorum": "0.400000000000000000",
            "threshold": "0.500000000000000000",
            "veto_threshold": "0.334000000000000000",
            "min_initial_deposit_ratio": "0.000000000000000000",
            "proposal_cancel_ratio": "0.500000000000000000",
            "proposal_cancel_dest": "",
            "expedited_voting_period": "604800s",
            "expedited_threshold": "0.667000000000000000",
            "expedited_min_deposit": [{"denom": "uatom", "amount": "500000000"}],
            "burn_vote_quorum": False,
            "burn_proposal_deposit_prevote": False,
            "burn_vote_veto": True,
            "min_deposit_ratio": "0.01",
        }
        return {"voting_params": None, "deposit_params": None, "tally_params": None, "params": params}

    def _provider(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        n = self.consumers
        segs = path.strip("/").split("/")
        if self.by_id:
            if segs[0] == "consumer_chains" and len(segs) == 2:
                wanted = segs[1]
                items = [self.consumer(i) for i in range(n)]
                if wanted not in ("0", "CONSUMER_PHASE_UNSPECIFIED"):
                    items = [c for c in items if c["phase"] == wanted]
                return 200, self._paged(items, "chains", query)
            if segs[0] == "consumer_chain" and len(segs) == 2:
                if not segs[1].isdigit() or int(segs[1]) >= n:
                    return 404, {"code": 5, "message": f"no consumer chain with id: {segs[1]}", "details": []}
                return 200, self.consumer_detail(int(segs[1]))
            if segs[0] == "blocks_until_next_epoch":
                return 200, {"blocks_until_next_epoch": "17"}
            if segs[0] == "address_pairs" and len(segs) == 2:
                return 200, {"pair_val_con_addr": self._pairs()}
            if segs[0] == "consumer_chains_per_validator" and len(segs) == 2:
                return 200, {"consumer_ids": [str(i) for i in range(n) if i % 2 == 0]}
            if segs[0] == "validator_consumer_addr" and len(segs) == 3:
                return 200, {"consumer_address": "cosmosvalcons1assigned" if segs[2].endswith("0") else ""}
        else:
            if path == "/consumer_chains":
                return 200, {"chains": [self._legacy_chain(i) for i in range(n)]}
            if path == "/consumer_chain_start_proposals":
                return 200, {"proposals": {"pending": [self._legacy_proposal(n)]}}
            if path == "/proposed_consumer_chains":
                return 200, {"proposedChains": [{"chainID": f"consumer-{n + 1}", "proposalID": "42"}]}
            if path == "/consumer_chain_id":
                return 200, {"pair_val_con_addr": self._pairs()}
            if segs[0] == "consumer_chains_per_validator" and len(segs) == 2:
                return 200, {"consumer_chain_ids": [f"consumer-{i}" for i in range(n)]}
            if path == "/validator_consumer_addr":
                return 200, {"consumer_address": ""}
        if segs[0] == "params":
            params = {
                "template_client": {},
                "trusting_period_fraction": "0.66",
                "ccv_timeout_period": "2419200s",
                "slash_meter_replenish_period": "3600s",
                "slash_meter_replenish_fraction": "0.05",
                "consumer_reward_denom_registration_fee": {"denom": "uatom", "amount": "10000000"},
                "blocks_per_epoch": "600",
                "number_of_epochs_to_start_receiving_rewards": "24",
            }
            if self.by_id:
                params["max_provider_consensus_validators"] = "180"
            return 200, {"params": params}
        if segs[0] in ("consumer_validators", "opted_in_validators") and len(segs) == 2:
            if segs[0] == "opted_in_validators":
                return 200, {"validators_provider_addresses": [f"cosmosvalcons1opt{i}" for i in range(2)]}
            return 200, {"validators": [self._consumer_validator(i) for i in range(min(self.validators, 3))]}
        if segs[0] == "consumer_commission_rate" and len(segs) == 3:
            return 200, {"rate": "0.100000000000000000"}
        return NOT_IMPLEMENTED

    def _pairs(self) -> list[dict[str, Any]]:
        return [
            {
                "provider_address": f"cosmosvalcons1prov{i}",
                "consumer_address": f"cosmosvalcons1cons{i}",
                "consumer_key": {"ed25519": b64(key_bytes(f"assigned{i}"))},
            }
            for i in range(2)
        ]

    def _consumer_validator(self, i: int) -> dict[str, Any]:
        base: dict[str, Any] = {
            "provider_address": f"cosmosvalcons1prov{i}",
            "consumer_key": {"ed25519": b64(key_bytes(f"val{i}"))},
            "power": str(1000 - i),
        }
        if self.by_id:
            base.update(
                {
                    "rate": "0.05",
                    "consumer_power": str(1000 - i),
                    "consumer_commission_rate": "0.050000000000000000",
                    "provider_commission_rate": "0.050000000000000000",
                    "description": {"moniker": f"validator-{i}"},
                    "provider_operator_address": f"cosmosvaloper1fake{i:04d}",
                    "jailed": False,
                    "status": "BOND_STATUS_BONDED",
                    "provider_tokens": str(1000 * 10**6),
                    "provider_power": "1000",
                    "validates_current_epoch": True,
                }
            )
        return base

    def _legacy_chain(self, i: int) -> dict[str, Any]:
        chain = {"chain_id": f"consumer-{i}", "client_id": f"07-tendermint-{i}"}
        if self.family == "v4" or self.family == "v5":
            chain.update(
                {
                    "top_N": 95 if i == 0 else 0,
                    "min_power_in_top_N": "1000" if i == 0 else "-1",
                    "validators_power_cap": 0,
                    "validator_set_cap": 0,
                    "allowlist": [],
                    "denylist": [],
                }
            )
        return chain

    def _legacy_proposal(self, i: int) -> dict[str, Any]:
        return {
            "title": f"Add consumer-{i}",
            "description": "legacy addition",
            "chain_id": f"consumer-{i}",
            "initial_height": {"revision_number": "0", "revision_height": "1"},
            "genesis_hash": "",
            "binary_hash": "",
            "spawn_time": self.spawn_time(i).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "unbonding_period": "1728000s",
            "ccv_timeout_period": "2419200s",
            "transfer_timeout_period": "1800s",
            "consumer_redistribution_fraction": "0.75",
            "blocks_per_distribution_transmission": "1000",
            "historical_entries": "10000",
            "distribution_transmission_channel": "",
            "top_N": 0,
            "validators_power_cap": 0,
            "validator_set_cap": 0,
            "allowlist": [],
            "denylist": [],
        }


def serve_in_process(settings: dict[str, Any], url_queue: Any, stop: Any) -> None:
    """Entry point of a child process (multiprocessing): serve until ``stop`` is set. A benchmark of the app's
    GUI thread runs the node this way, because in-process the node's JSON encoding of 500-validator answers
    holds the app's GIL (a real node never shares the app's interpreter)."""
    with FakeChain(**settings) as chain:
        url_queue.put(chain.url)
        stop.wait()
