"""A local provider node for the Evidence panel tests: the GUI test data set (status, node info, validators,
consumer chains) answered from files, plus what evidence submission and downtime read on top of it
(key assignment, signing infos with real pagination, slashing params, client consensus heights, commits).
Served by the real HTTP server in ``rpcserver``."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from ics_workbench.addresses import consensus_address, encode_address
from tests.evidence.rpcserver import serve
from tests.gui.fileserver import DATA

ROOT = DATA / "provider"
CONSUMER_CHAIN_ID = "pion-1"  # consumer id 0, launched, client 07-tendermint-0, double-sign tombstones
CONSUMER_ID = "0"
CLIENT_ID = "07-tendermint-0"
SLASHING_PARAMS = {"params": {"signed_blocks_window": "100", "min_signed_per_window": "0.500000000000000000",
                              "downtime_jail_duration": "600s", "slash_fraction_double_sign": "0.050000000000000000",
                              "slash_fraction_downtime": "0.010000000000000000"}}


def validators() -> list[dict[str, Any]]:
    return list(json.loads((ROOT / "cosmos/staking/v1beta1/validators.json").read_text())["validators"])


def valcons(validator: dict[str, Any], prefix: str = "cosmosvalcons") -> str:
    raw = consensus_address("ed25519", base64.b64decode(validator["consensus_pubkey"]["key"]))
    assert raw is not None
    return encode_address(raw, prefix)


def signing_info(
    address: str, missed: int, *, tombstoned: bool = False, jailed_until: str = "1970-01-01T00:00:00Z"
) -> dict[str, Any]:
    return {"address": address, "start_height": "1", "index_offset": "90", "jailed_until": jailed_until,
            "tombstoned": tombstoned, "missed_blocks_counter": str(missed)}


def _file(path: str) -> Any:
    file = ROOT / (path.strip("/") + ".json")
    if not file.is_file():
        return None
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"
    return json.loads(file.read_text(encoding="utf-8").replace("__NOW__", now))


def paged(items: list[Any], key: str, params: dict[str, str], page_size: int = 2) -> dict[str, Any]:
    """SDK pagination: ``pagination.key`` is the offset of the next page, as an opaque base64 string."""
    start = int(base64.b64decode(params["pagination.key"]).decode()) if "pagination.key" in params else 0
    end = start + page_size
    next_key = base64.b64encode(str(end).encode()).decode() if end < len(items) else None
    return {key: items[start:end], "pagination": {"next_key": next_key, "total": str(len(items))}}


@contextmanager
def provider_node(
    *,
    extra: dict[str, Any] | None = None,
    signing_infos: list[dict[str, Any]] | None = None,
    dynamic: Callable[[str, dict[str, str]], Any] | None = None,
) -> Iterator[str]:
    """Yields the base URL (RPC and REST on one port, like the GUI data server)."""
    answers = {
        "/cosmos/slashing/v1beta1/params": SLASHING_PARAMS,
        f"/ibc/core/client/v1/consensus_states/{CLIENT_ID}/heights": {
            "consensus_state_heights": [{"revision_number": "1", "revision_height": "3"},
                                        {"revision_number": "1", "revision_height": "8"},
                                        {"revision_number": "1", "revision_height": "40"}],
            "pagination": {"next_key": None, "total": "3"}},
        **(extra or {}),
    }

    def route(path: str, params: dict[str, str]) -> Any:
        if dynamic is not None and (answer := dynamic(path, params)) is not None:
            return answer
        if path == "/cosmos/slashing/v1beta1/signing_infos" and signing_infos is not None:
            return paged(signing_infos, "info", params)
        if path in answers:
            return answers[path]
        return _file(path)

    with serve(route) as url:
        yield url
