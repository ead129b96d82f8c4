"""Version detection per provider family, each served by a real local node with that family's answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ics_workbench.chain.connect import connect_urls
from ics_workbench.chain.detect import parse_version
from tests.chain.conftest import FAST
from tests.chain.fakechain import FakeChain, Fault


@pytest.mark.parametrize(
    ("family", "version", "major", "keyed_by", "legacy", "infraction", "denoms"),
    [
        ("v4", "v4.3.0-lsm", 4, "chain_id", True, False, False),
        ("v5", "v5.1.1", 5, "chain_id", True, False, False),
        ("v6", "v6.4.1", 6, "consumer_id", False, True, True),
        ("v7", "v7.0.0-20250408210344-06e0dc6bf6d6", 7, "consumer_id", False, True, True),
        ("v7-ics", None, 7, "consumer_id", False, True, True),
    ],
)
def test_each_provider_family_is_detected(
    fake_chain: Callable[..., FakeChain],
    family: str,
    version: str | None,
    major: int,
    keyed_by: str,
    legacy: bool,
    infraction: bool,
    denoms: bool,
) -> None:
    chain = fake_chain(family=family)
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        caps = conn.capabilities
        assert caps.has_provider
        assert (caps.ics_version, caps.ics_major, caps.keyed_by) == (version, major, keyed_by)
        assert caps.legacy_proposals is legacy
        assert caps.msg_create_consumer is not legacy
        assert caps.infraction_parameters is infraction and caps.prioritylist is infraction
        assert caps.allowlisted_reward_denoms is denoms
        assert conn.provider is not None and conn.provider.by_id is (keyed_by == "consumer_id")
        assert conn.profile.role == "provider" and conn.profile.capabilities == caps
        assert caps.comet_version == "0.38.17"
        assert f"ICS provider {version or 'v7.x'}" in caps.summary()


def test_gaia_v28_linking_ics_but_serving_no_provider_is_not_a_provider(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(family="none", chain_id="cosmoshub-4")
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        caps = conn.capabilities
        assert not caps.has_provider
        assert caps.keyed_by is None and caps.ics_major is None
        assert (caps.app_name, caps.app_version) == ("gaiad", "v28.0.0")
        assert "no provider module" in caps.summary()
        assert "absent" in caps.source
        assert conn.provider is None
    # the probe is a 501 Not Implemented: asked once per path, not retried as a server fault
    assert chain.hits["/interchain_security/ccv/provider/consumer_chains/0"] == 1
    assert chain.hits["/interchain_security/ccv/provider/consumer_chains"] == 1


def test_routes_override_build_deps_when_they_disagree(fake_chain: Callable[..., FakeChain]) -> None:
    # a binary that claims ICS v5 but serves consumer-id routes: trust what the node answers
    chain = fake_chain(family="v6")
    chain.fault(
        "/cosmos/base/tendermint/v1beta1/node_info",
        Fault(
            mutate=lambda body: {
                **body,
                "application_version": {
                    **body["application_version"],
                    "build_deps": [{"path": "github.com/cosmos/interchain-security/v5", "version": "v5.2.0"}],
                },
            }
        ),
    )
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        assert conn.capabilities.keyed_by == "consumer_id"
        assert conn.capabilities.ics_version is None
        assert "disagreed" in conn.capabilities.source


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("v7.0.0-20250408210344-06e0dc6bf6d6", (7, 0, 0)),
        ("v4.3.0-lsm", (4, 3, 0)),
        ("6.4.1", (6, 4, 1)),
        ("", None),
        ("main", None),
        (None, None),
    ],
)
def test_parse_version(text: str | None, parsed: tuple[int, int, int] | None) -> None:
    assert parse_version(text) == parsed


def with_versions(ics: str, gaia: str) -> Fault:
    def mutate(body: dict) -> dict:  # type: ignore[type-arg]
        app = body["application_version"]
        for dep in app["build_deps"]:
            if "interchain-security" in dep["path"]:
                dep["version"] = ics
        app["version"] = gaia
        return body

    return Fault(mutate=mutate)


@pytest.mark.parametrize(
    ("family", "ics", "gaia", "flags"),
    [
        ("v4", "v4.0.0", "v15.0.0", {"power_shaping": False, "epochs": False}),
        ("v4", "v4.1.0", "v15.2.0", {"power_shaping": False, "epochs": True}),
        ("v4", "v4.2.0", "v17.0.0", {"power_shaping": True, "epochs": True}),
        ("v5", "v5.0.0", "v18.0.0", {"power_shaping": False}),
        ("v6", "v6.1.0", "v20.0.0", {"allowlisted_reward_denoms": False, "infraction_parameters": False}),
        ("v6", "v6.2.0", "v21.0.0", {"allowlisted_reward_denoms": True, "infraction_parameters": False}),
        ("v6", "v6.4.0", "v22.0.0", {"infraction_parameters": True, "prioritylist": True, "connection_reuse": True}),
        ("v7", "v7.0.1", "v26.0.0", {"create_consumer_disabled": False}),
        ("v7", "v7.0.1", "v27.0.0", {"create_consumer_disabled": True}),
    ],
)
def test_feature_flags_follow_the_exact_version(
    fake_chain: Callable[..., FakeChain], family: str, ics: str, gaia: str, flags: dict[str, bool]
) -> None:
    chain = fake_chain(family=family)
    chain.fault("/cosmos/base/tendermint/v1beta1/node_info", with_versions(ics, gaia))
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        caps = conn.capabilities
    assert caps.ics_version == ics
    assert {name: getattr(caps, name) for name in flags} == flags
    if flags.get("create_consumer_disabled"):
        assert "creation disabled by the app" in caps.summary()


def test_family_from_routes_alone_when_the_binary_says_nothing(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(family="v6")

    def anonymous(body: dict) -> dict:  # type: ignore[type-arg]
        body["application_version"].update(name="", app_name="", version="", build_deps=[])
        return body

    chain.fault("/cosmos/base/tendermint/v1beta1/node_info", Fault(mutate=anonymous))
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        caps = conn.capabilities
    assert (caps.has_provider, caps.keyed_by, caps.ics_major, caps.ics_version) == (True, "consumer_id", None, None)
    assert caps.msg_create_consumer and not caps.infraction_parameters  # only what every v6 release has
    assert "ICS provider v6 or later, exact version unknown" in caps.summary()
    assert caps.source.startswith("consumer-id keyed routes")
    assert caps.guessed_version == "v6.0.0" and "(guessed)" in caps.summary()


def _anonymous_ics_build(ibc: list[dict[str, str]], sdk: str) -> Fault:
    """node_info of ICS's own daemon built from source without version flags (no ICS dep, no app version)."""

    def mutate(body: dict) -> dict:  # type: ignore[type-arg]
        body["application_version"].update(
            name="interchain-security-p",
            app_name="interchain-security-pd",
            version="",
            cosmos_sdk_version=sdk,
            build_deps=[{"path": "github.com/cosmos/cosmos-sdk", "version": sdk, "sum": "h1:x="}, *ibc],
        )
        return body

    return Fault(mutate=mutate)


_CAPABILITY = {"path": "github.com/cosmos/ibc-go/modules/capability", "version": "v1.0.1", "sum": "h1:c="}


@pytest.mark.parametrize(
    ("family", "ibc", "sdk", "major"),
    [("v5", "v8.3.2", "v0.50.8", 5), ("v6", "v8.5.2", "v0.50.11", 6), ("v4", "v7.4.0", "v0.47.11", 4)],
)
def test_ibc_go_is_read_from_the_core_module_not_the_capability_submodule(
    fake_chain: Callable[..., FakeChain], family: str, ibc: str, sdk: str, major: int
) -> None:
    # defect 1: the capability submodule sorts before ibc-go/vN in build deps and used to win the prefix match
    core = {"path": f"github.com/cosmos/ibc-go/v{ibc[1]}", "version": ibc, "sum": "h1:i="}
    chain = fake_chain(family=family)
    chain.fault("/cosmos/base/tendermint/v1beta1/node_info", _anonymous_ics_build([_CAPABILITY, core], sdk))
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        caps = conn.capabilities
    assert caps.ibc_version == ibc
    assert caps.ics_version is None
    version = caps.provider_version()
    assert version is not None and version.guessed and version.major == major
    assert f"ibc-go v{ibc[1]}" in caps.source


@pytest.mark.parametrize("family", ["v4", "v5"])
def test_unknown_legacy_version_reads_features_from_the_chain_and_never_becomes_v7(
    fake_chain: Callable[..., FakeChain], family: str
) -> None:
    # defect 4: "v4/v5, exact version unknown" used to fall back to v7.0.0 and switch power shaping off
    sdk = "v0.47.11" if family == "v4" else "v0.50.8"
    chain = fake_chain(family=family)
    chain.fault("/cosmos/base/tendermint/v1beta1/node_info", _anonymous_ics_build([], sdk))
    with connect_urls([chain.url], [chain.url], settings=FAST) as conn:
        caps = conn.capabilities
    version = caps.provider_version()  # what proposal checks use (chain_facts.facts_from_connection)
    assert caps.keyed_by == "chain_id" and caps.legacy_proposals and not caps.msg_create_consumer
    assert caps.power_shaping and caps.epochs  # the consumer list carries top_N, the params blocks_per_epoch
    assert "v4/v5, exact version unknown" in caps.summary() and "(guessed)" in caps.summary()
    assert version is not None and version.guessed and version.major == int(family[1])
    assert version.legacy_proposal_handler and version.pss_in_legacy_proposals
    assert str(version) == ("v4.2.0" if family == "v4" else "v5.1.0")  # oldest release with the proven fields
    assert "guessed" in version.display()
