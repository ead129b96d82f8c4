"""The evidence RPC reads against a node that lies: a non-integer height or total is one 'shape' error naming
the field, and a node that pages validators forever is refused after MAX_VALIDATOR_PAGES."""

from __future__ import annotations

from typing import Any

import pytest

from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.errors import EndpointError
from ics_workbench.evidence.rpc import MAX_VALIDATOR_PAGES, latest_height, validators_at

from .factory import Key
from .rpcserver import serve

KEY = Key(60)


@pytest.mark.parametrize("height", ["abc", None, [], True, "1e9"])
def test_a_non_integer_latest_height_is_a_shape_error(height: Any) -> None:
    with serve(lambda path, params: {"result": {"sync_info": {"latest_block_height": height}}}) as url, \
            JsonHttp([Endpoint(url)], retries=0) as http, pytest.raises(EndpointError) as error:
        latest_height(http)
    assert "sync_info.latest_block_height is not an integer" in str(error.value)


def test_endless_validator_pages_are_refused() -> None:
    pages: list[str] = []

    def route(path: str, params: dict[str, str]) -> Any:
        pages.append(params["page"])
        validator = {"address": KEY.address.hex().upper(), "voting_power": "1", "proposer_priority": "0",
                     "pub_key": {"type": "tendermint/PubKeyEd25519", "value": KEY.public_b64}}
        return {"result": {"validators": [validator], "total": "1000000000"}}

    with serve(route) as url, JsonHttp([Endpoint(url)], retries=0) as http, pytest.raises(EndpointError) as error:
        validators_at(http, 5)
    assert f"more than {MAX_VALIDATOR_PAGES} pages" in str(error.value) and len(pages) == MAX_VALIDATOR_PAGES
