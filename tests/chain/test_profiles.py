"""Connection profiles: validation a user can act on, atomic persistence, chain-registry import."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from ics_workbench import paths
from ics_workbench.chain.detect import Capabilities
from ics_workbench.chain.profiles import ConnectionProfile, ProfileError, ProfileStore, import_chain_registry

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples" / "chain-registry"


def provider(**changes: object) -> ConnectionProfile:
    data: dict[str, object] = {
        "name": "hub",
        "chain_id": "cosmoshub-4",
        "role": "provider",
        "rpc": [{"url": "https://rpc.example.org/"}, {"url": "http://10.0.0.1:26657", "archive": True}],
        "rest": [{"url": "https://rest.example.org"}],
    }
    data.update(changes)
    return ConnectionProfile.parse(data)


def test_defaults_derive_prefixes_and_strip_trailing_slash() -> None:
    profile = provider(account_prefix="cosmos")
    assert profile.valoper_prefix == "cosmosvaloper"
    assert profile.valcons_prefix == "cosmosvalcons"
    assert profile.rpc[0].url == "https://rpc.example.org"
    assert profile.rpc[1].archive is True


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        ({"chain_id": "cosmos hub"}, "chain_id", "cosmos hub"),
        ({"rpc": [{"url": "ftp://rpc.example.org"}]}, "rpc.0.url", "ftp://rpc.example.org"),
        ({"rpc": [{"url": "http://"}]}, "rpc.0.url", "http://"),
        ({"rest": [{"url": "http://host:99999"}]}, "rest.0.url", "http://host:99999"),
        ({"account_prefix": "Cosmos"}, "account_prefix", "Cosmos"),
        ({"fee_denom": "1atom"}, "fee_denom", "1atom"),
        ({"gas_prices": "-1"}, "gas_prices", "-1"),
        ({"role": "consumer", "consumer_id": "abc"}, "consumer_id", "abc"),
    ],
)
def test_invalid_fields_are_named_with_rule_and_value(change: dict[str, object], field: str, value: str) -> None:
    with pytest.raises(ProfileError) as caught:
        provider(**change)
    message = str(caught.value)
    assert message.startswith(f"invalid profile: {field}: ")
    assert value in message


def test_empty_rpc_list_is_refused() -> None:
    with pytest.raises(ProfileError, match="rpc"):
        provider(rpc=[])


def test_provider_profiles_cannot_name_a_provider() -> None:
    with pytest.raises(ProfileError, match="only apply to consumer profiles"):
        provider(provider_profile="other")


def test_store_round_trip_with_capabilities(app_home: Path) -> None:
    store = ProfileStore()
    assert store.list() == []
    caps = Capabilities(has_provider=True, ics_major=7, keyed_by="consumer_id", msg_create_consumer=True)
    profile = provider(capabilities=caps, gas_prices=Decimal("0.0025"))
    store.save(profile)
    consumer = ConnectionProfile.parse(
        {
            "name": "stride",
            "chain_id": "stride-1",
            "role": "consumer",
            "rpc": [{"url": "http://127.0.0.1:1"}],
            "account_prefix": "stride",
            "fee_denom": "ustrd",
            "provider_profile": "hub",
            "consumer_id": "1",
        }
    )
    store.save(consumer)
    assert (paths.config_dir() / "profiles.json").exists()
    again = ProfileStore()
    assert [p.name for p in again.list()] == ["hub", "stride"]
    loaded = again.get("hub")
    assert loaded == profile
    assert loaded.capabilities is not None and loaded.capabilities.keyed_by == "consumer_id"
    assert loaded.gas_prices == Decimal("0.0025")
    again.delete("hub")
    assert [p.name for p in ProfileStore().list()] == ["stride"]


def test_save_without_replace_refuses_duplicates() -> None:
    store = ProfileStore()
    store.save(provider())
    with pytest.raises(ProfileError, match="already exists"):
        store.save(provider(), replace=False)


def test_unknown_profile_lists_known_names() -> None:
    store = ProfileStore()
    store.save(provider())
    with pytest.raises(ProfileError, match=r"no profile named 'nope' \(known: hub\)"):
        store.get("nope")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"profiles": [', "is corrupt"),
        ('{"version": 1}', "has no 'profiles' list"),
        (
            '{"profiles": [{"name": "x", "chain_id": "bad id", "role": "provider", "rpc": [{"url": "http://a"}]}]}',
            "profile #1: chain_id",
        ),
    ],
)
def test_corrupt_file_is_reported_and_never_overwritten(content: str, expected: str) -> None:
    path = paths.config_dir() / "profiles.json"
    path.parent.mkdir(parents=True)
    path.write_text(content)
    store = ProfileStore()
    with pytest.raises(ProfileError, match=expected):
        store.list()
    with pytest.raises(ProfileError, match=expected):
        store.save(provider())
    assert path.read_text() == content


def test_import_chain_registry_cosmoshub() -> None:
    profile = import_chain_registry(EXAMPLES / "cosmoshub.json")
    assert profile.name == "Cosmos Hub"
    assert profile.chain_id == "cosmoshub-4"
    assert profile.role == "provider"
    assert [e.url for e in profile.rpc] == [
        "https://rpc.cosmoshub.example.org",
        "https://cosmoshub-rpc.example.net:443",
    ]
    assert [e.archive for e in profile.rpc] == [False, True]
    assert len(profile.rest) == 2
    assert (profile.account_prefix, profile.valcons_prefix) == ("cosmos", "cosmosvalcons")
    assert (profile.fee_denom, profile.gas_prices) == ("uatom", Decimal("0.025"))


def test_import_prefers_the_staking_denom_for_fees_and_takes_role() -> None:
    profile = import_chain_registry(EXAMPLES / "stride.json", role="consumer", name="stride")
    assert (profile.name, profile.role, profile.chain_id) == ("stride", "consumer", "stride-1")
    assert (profile.fee_denom, profile.gas_prices, profile.account_prefix) == ("ustrd", Decimal("0.005"), "stride")


def test_import_errors_name_the_file_and_field(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"broken-no-chain-id.json: chain.json has no 'chain_id'"):
        import_chain_registry(EXAMPLES / "broken-no-chain-id.json")
    bad_url = tmp_path / "chain.json"
    bad_url.write_text(
        json.dumps(
            {
                "chain_id": "x-1",
                "bech32_prefix": "x",
                "fees": {"fee_tokens": [{"denom": "ux"}]},
                "apis": {"rpc": [{"address": "tcp://1.2.3.4:26657"}]},
            }
        )
    )
    with pytest.raises(ProfileError, match=r"rpc.0.url: must start with http:// or https:// \(got 'tcp://"):
        import_chain_registry(bad_url)
    not_json = tmp_path / "x.json"
    not_json.write_text("{")
    with pytest.raises(ProfileError, match="x.json: JSON: line 1 column 2: "):  # PATH: FIELD: RULE
        import_chain_registry(not_json)
    with pytest.raises(ProfileError, match="missing.json: file: no such file"):
        import_chain_registry(tmp_path / "missing.json")
