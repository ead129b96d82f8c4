"""The shipped chain catalogue: what it holds, the profile it fills (still editable), the CLI, and that the
committed file is exactly what the build makes from the pinned chain-registry npm package."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from ics_workbench.chain import catalogue
from ics_workbench.chain.profiles import ProfileError, ProfileStore
from ics_workbench.cli import main

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_NPM = ROOT / "packaging" / "catalogue"


def test_ics_chains_and_their_testnets_come_first_and_any_cosmos_chain_is_there() -> None:
    ics = catalogue.entries(ics_only=True)
    assert [e.name for e in ics[:3]] == ["cosmoshub", "neutron", "stride"]
    assert {e.name for e in ics if e.network == "testnet"} >= {"cosmosicsprovidertestnet", "neutrontestnet"}
    assert all(e.provider for e in ics if e.ics == "consumer")
    everything = catalogue.entries()
    assert everything[: len(ics)] == ics and len(everything) > 300
    assert catalogue.find("osmosis-1").name == "osmosis" and catalogue.find("OSMOSIS").chain_id == "osmosis-1"
    assert catalogue.source().startswith("chain-registry@")


def test_the_cosmos_hub_fills_endpoints_prefixes_denom_and_fees_and_the_user_overrides_any() -> None:
    hub = catalogue.profile_from_catalogue("cosmoshub")
    assert (hub.name, hub.chain_id, hub.role) == ("Cosmos Hub", "cosmoshub-4", "provider")
    assert hub.rpc[0].url.startswith("https://") and hub.rest and any(e.archive for e in hub.rpc)
    assert (hub.account_prefix, hub.valoper_prefix, hub.fee_denom) == ("cosmos", "cosmosvaloper", "uatom")
    assert hub.gas_prices == Decimal("0.025")
    edited = catalogue.profile_from_catalogue("neutron", profile_name="ntrn", overrides={
        "rpc": [{"url": "http://127.0.0.1:26657"}], "gas_prices": Decimal("0.5"), "consumer_id": "2"})
    assert (edited.name, edited.role, edited.rpc[0].url, edited.gas_prices) == (
        "ntrn",
        "consumer",
        "http://127.0.0.1:26657",
        Decimal("0.5"),
    )
    assert edited.account_prefix == "neutron" and edited.consumer_id == "2"
    with pytest.raises(ProfileError, match="did you mean cosmoshub"):
        catalogue.find("cosmos")


def test_registry_text_is_shown_with_hidden_characters_made_visible() -> None:
    from dataclasses import replace

    entry = replace(catalogue.find("cosmoshub"), pretty_name="Hub\u202e\u200b")
    assert entry.label().startswith("Hub<U+202E><U+200B> (cosmoshub-4")


def test_cli_adds_a_profile_from_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles", "add", "--from-catalogue", "cosmoshub-4", "--fee-denom", "uatom",
                 "--gas-prices", "0.01"]) == 0
    assert "saved profile 'Cosmos Hub': cosmoshub-4 (provider), 8 RPC" in capsys.readouterr().out
    saved = ProfileStore().get("Cosmos Hub")
    assert saved.gas_prices == Decimal("0.01") and saved.rest
    assert main(["profiles", "add", "--name", "x"]) == 2
    assert "--chain-id, --role, --rpc required (or pre-fill with --from-catalogue CHAIN)" in capsys.readouterr().err
    assert main(["profiles", "catalogue", "--ics", "--search", "neutron"]) == 0
    listed = capsys.readouterr().out
    assert "neutron\tneutron-1\tmainnet\tconsumer\tNeutron" in listed and "2 chain(s)" in listed


def test_the_shipped_catalogue_is_what_the_build_makes_from_the_pinned_package() -> None:
    if shutil.which("node") is None or not (CATALOGUE_NPM / "node_modules" / "chain-registry").is_dir():
        pytest.fail("the catalogue's npm input is not installed: run `make js-deps`")
    proc = subprocess.run([sys.executable, str(CATALOGUE_NPM / "build_catalogue.py"), "--check"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
