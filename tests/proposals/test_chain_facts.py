"""Facts from a provider's REST API, served by a real local HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.proposals.chain_facts import consumer_ids_in, fetch_provider_facts
from ics_workbench.proposals.rules import validate
from ics_workbench.proposals.templates import new_draft
from tests.proposals import helpers as h

ROUTES = {
    "/cosmos/staking/v1beta1/params": {"params": {"unbonding_time": "1814400s", "bond_denom": "uatom"}},
    "/cosmos/gov/v1/params/tallying": {
        "params": {"min_deposit": [{"denom": "uatom", "amount": "250000000"}],
                   "expedited_min_deposit": [{"denom": "uatom", "amount": "500000000"}],
                   "max_deposit_period": "1209600s", "voting_period": "1209600s", "quorum": "0.4",
                   "threshold": "0.5", "veto_threshold": "0.334",
                   "min_initial_deposit_ratio": "0.200000000000000000"}},
    "/interchain_security/ccv/provider/params": {"params": h.provider_params_v7()},
    "/interchain_security/ccv/provider/consumer_chain/1": {
        "consumer_id": "1", "chain_id": "stride-1", "owner_address": h.GOV, "phase": "CONSUMER_PHASE_LAUNCHED",
        "metadata": {"name": "stride", "description": "d", "metadata": "{}"},
        "init_params": {"initial_height": {"revision_number": "1", "revision_height": "4616681"},
                        "genesis_hash": "", "binary_hash": "", "spawn_time": "2023-07-19T05:00:00Z",
                        "unbonding_period": "1728000s", "ccv_timeout_period": "2419200s",
                        "transfer_timeout_period": "1800s", "consumer_redistribution_fraction": "0.85",
                        "blocks_per_distribution_transmission": "1000", "historical_entries": "10000",
                        "distribution_transmission_channel": "channel-0", "connection_id": ""},
        "power_shaping_params": {"top_N": 95, "validators_power_cap": 0, "validator_set_cap": 0, "allowlist": [],
                                 "denylist": [], "min_stake": "0", "allow_inactive_vals": False, "prioritylist": []},
        "infraction_parameters": {"double_sign": {"slash_fraction": "0.050000000000000000",
                                                  "jail_duration": "9223372036.854775807s", "tombstone": True},
                                  "downtime": {"slash_fraction": "0.000000000000000000", "jail_duration": "600s",
                                               "tombstone": False}},
        "client_id": "07-tendermint-1",
    },
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = ROUTES.get(self.path.split("?")[0])
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body or {"code": 5, "message": "not found"}).encode())

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def server_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def rest(server_url: str) -> Iterator[JsonHttp]:
    with JsonHttp([Endpoint(server_url)], retries=0) as http:
        yield http


def test_facts_from_rest(rest: JsonHttp) -> None:
    facts = fetch_provider_facts(rest, version="v7.0.0", consumer_ids=["1", "99"])
    assert facts.unbonding_period_ns == 1814400 * 10**9 and facts.bond_denom == "uatom"
    assert facts.gov is not None and facts.gov.min_initial_deposit_ratio == Decimal("0.2")
    assert facts.provider_params["blocks_per_epoch"] == "600"
    assert list(facts.consumers) == ["1"]  # 99 does not exist (404)
    stride = facts.consumer("1")
    assert stride.power_shaping_params.top_N == 95 and stride.owner_address == h.GOV
    assert stride.init_params.distribution_transmission_channel == "channel-0"
    assert stride.infraction_parameters.double_sign.jail_duration == (1 << 63) - 1


def test_update_params_template_is_filled_from_the_chain_and_valid(rest: JsonHttp) -> None:
    facts = fetch_provider_facts(rest, version="v7.0.0")
    draft = new_draft("update-params", facts)
    draft.title, draft.summary = "Raise epochs", "Why."
    draft.messages[0].params["blocks_per_epoch"] = "1200"
    assert draft.deposit == "250000000uatom"
    assert [p.line() for p in validate(draft, facts)] == []


def test_chain_state_drives_the_stateful_rules(rest: JsonHttp) -> None:
    draft = h.update_top_n()
    draft.messages[0].power_shaping_parameters = None
    draft.messages[0].initialization_parameters = h.init_params()
    facts = fetch_provider_facts(rest, version="v7.0.0", consumer_ids=consumer_ids_in(draft.messages))
    rules = {p.rule for p in validate(draft, facts)}
    assert "init_params_after_launch" in rules


def test_cli_validate_and_diff_against_the_rest_endpoint(server_url: str, tmp_path, capsys) -> None:
    from ics_workbench.cli import main
    from ics_workbench.proposals.formats import to_gov_json

    draft = h.update_params()
    draft.messages[0].params = {**h.provider_params_v7(), "blocks_per_epoch": "1200"}
    path = tmp_path / "params.json"
    path.write_text(json.dumps(to_gov_json(draft, gov_address=h.GOV)))
    assert main(["proposal", "validate", str(path), "--rest", server_url]) == 0
    assert main(["proposal", "diff", str(path), "--rest", server_url]) == 0
    out = capsys.readouterr().out
    assert "params.blocks_per_epoch: 600 -> 1200" in out and "max_clock_drift" not in out
    stride = tmp_path / "stride.json"
    stride.write_text(json.dumps(to_gov_json(h.update_top_n(), gov_address=h.GOV)))
    stride_draft = json.loads(stride.read_text())
    stride_draft["messages"][0]["power_shaping_parameters"] = {"validators_power_cap": 5}
    stride.write_text(json.dumps(stride_draft))
    assert main(["proposal", "diff", str(stride), "--rest", server_url]) == 1
    assert "!! power_shaping_parameters.top_N: 95 -> 0" in capsys.readouterr().out


def test_facts_go_stale_when_chain_consumer_signer_or_block_changes() -> None:
    from ics_workbench.proposals.facts import ProviderFacts
    from ics_workbench.proposals.facts_watch import FactsKey, freshness_text

    facts = ProviderFacts(chain_id="provider", height=10)
    read_for = FactsKey("provider", ("1",), "cosmos1a")
    assert freshness_text(facts, read_for, read_for, 10) == ("checked against provider at height 10", False)
    for now, seen, why in (
        (FactsKey("other", ("1",), "cosmos1a"), 10, "connected chain"),
        (FactsKey("provider", ("2",), "cosmos1a"), 10, "another consumer"),
        (FactsKey("provider", ("1",), "cosmos1b"), 10, "signer"),
        (read_for, 11, "height 11"),
    ):
        text, stale = freshness_text(facts, read_for, now, seen)
        assert stale and text.startswith("STALE") and why in text
    assert freshness_text(ProviderFacts(), None, read_for, None)[0].startswith("checked offline")
