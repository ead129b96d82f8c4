"""``chain overview`` of a consumer names each validator by the provider validator behind its key, as the GUI."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from ics_workbench.cli import main
from tests.chain.fakechain import FakeChain


def test_consumer_overview_text_and_json_name_provider_validators(
    fake_chain: Callable[..., FakeChain], capsys: pytest.CaptureFixture[str]
) -> None:
    provider = fake_chain(family="v7", validators=6, consumers=2)
    consumer = fake_chain(chain_id="consumer-0", family="none", validators=5)
    args = ["chain", "overview", "--rpc", consumer.url, "--rest", consumer.url,
            "--provider-rpc", provider.url, "--provider-rest", provider.url]
    assert main(args) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line.startswith("  ")}
    for i in range(5):
        line = lines[str(consumer.comet_validator(i)["address"])]
        assert line.endswith(f"validator-{i}" if i < 3 else "(no provider match)")
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["moniker"] for m in data["provider_set"]] == ["validator-0", "validator-1", "validator-2"]
    # without a provider, no column (nothing was looked up, so nothing is "unmatched")
    assert main(["chain", "overview", "--rpc", consumer.url, "--rest", consumer.url]) == 0
    assert "provider match" not in capsys.readouterr().out
