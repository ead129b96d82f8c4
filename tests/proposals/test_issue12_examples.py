"""Every example of issue #12, one named test each: what the real v7 provider does (established by the
differential harness in tests/devnet/) and what the app must now say. Each failed on the old main."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from ics_workbench.addresses import encode_address
from ics_workbench.foundation.coins import Coin
from ics_workbench.proposals.check import check
from ics_workbench.proposals.codec import ProposalFormatError
from ics_workbench.proposals.facts import ConsumerState, ProviderFacts
from ics_workbench.proposals.formats import load_text
from ics_workbench.proposals.models import InfractionParameters, SlashJailParameters
from ics_workbench.proposals.rules import validate
from tests.proposals import helpers as h

OWNER = h.ALICE
STRANGER = encode_address(b"\x05" * 20, "cosmos")


def live_facts(*consumers: ConsumerState, **kw: Any) -> ProviderFacts:
    """Facts as read from a chain."""
    f = h.facts()
    f.consumers.update({c.consumer_id: c for c in consumers})
    f.connection_chains = {"connection-localhost": "", "connection-0": "mychain-1"}
    f.max_validator_tokens = 10**15
    f.provider_params = {**h.provider_params_v7(), "trusting_period_fraction": "0.66"}
    for key, value in kw.items():
        setattr(f, key, value)
    return f


def registered(owner: str = OWNER, phase: str = "CONSUMER_PHASE_REGISTERED", chain_id: str = "reg-1") -> ConsumerState:
    return ConsumerState(
        consumer_id="3", chain_id=chain_id, owner_address=owner, phase=phase, init_params=h.init_params(1)
    )


def cli(doc: dict[str, Any], facts: ProviderFacts, signer: str = OWNER) -> list[str]:
    draft, _ = load_text(json.dumps(doc), "provider-cli", signer=signer)
    return [f"{p.rule}:{p.severity.value}" for p in check(draft, facts, signer=signer).problems]


def rules(problems: list[str], severity: str = "error") -> set[str]:
    return {p.split(":")[0] for p in problems if p.endswith(severity)}


def create_doc(**over: Any) -> dict[str, Any]:
    doc = {
        "chain_id": "mychain-1",
        "metadata": {"name": "n", "description": "d", "metadata": "m"},
        "initialization_parameters": {
            "initial_height": {"revision_number": 1, "revision_height": 1},
            "spawn_time": "2031-01-01T00:00:00Z",
            "unbonding_period": 1728000000000000,
            "ccv_timeout_period": 2419200000000000,
            "transfer_timeout_period": 3600000000000,
            "consumer_redistribution_fraction": "0.75",
            "blocks_per_distribution_transmission": 1000,
            "historical_entries": 10000,
        },
    }
    doc.update(over)
    return doc


def update_doc(**over: Any) -> dict[str, Any]:
    return {"consumer_id": "3", **over}


# --- missed: the chain refuses, the old app said valid --------------------------------------------------------


def test_missing_initialization_parameters_means_revision_1_against_the_chain_id() -> None:
    doc = create_doc(chain_id="nodefault")
    del doc["initialization_parameters"]
    assert "initial_height_revision" in rules(cli(doc, live_facts()))
    doc["chain_id"] = "default-1"
    assert "initial_height_revision" not in rules(cli(doc, live_facts()))


@pytest.mark.parametrize("consumer_id", ["999", "043"])
def test_consumer_that_does_not_exist_is_an_error(consumer_id: str) -> None:
    facts = live_facts(registered())
    facts.missing_consumers[consumer_id] = "cannot retrieve chain id for consumer id"
    assert "consumer_not_found" in rules(cli(update_doc(consumer_id=consumer_id), facts))
    assert "consumer_not_found" not in rules(cli(update_doc(), facts))
    # an id that was never looked up (facts read before it existed) is not called missing
    assert "consumer_not_found" not in rules(cli(update_doc(consumer_id="5"), facts))


def test_update_signed_by_someone_who_is_not_the_owner() -> None:
    facts = live_facts(registered())
    assert "owner_mismatch" in rules(cli(update_doc(), facts, signer=STRANGER))
    assert "owner_mismatch" not in rules(cli(update_doc(), facts, signer=OWNER))
    # no signer given: the owner cannot be compared, and the check says so
    assert "signer_unknown" in rules(cli(update_doc(), facts, signer=""), "warning")


def test_validate_cli_takes_a_signer(tmp_path, capsys) -> None:
    from ics_workbench.cli import main

    path = tmp_path / "update.json"
    path.write_text(json.dumps({"consumer_id": "1", "metadata": {"name": "n", "description": "d", "metadata": "m"}}))
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"consumer_id": "1", "chain_id": "c-1", "owner_address": OWNER,
                                 "phase": "CONSUMER_PHASE_REGISTERED"}))
    assert main(["proposal", "validate", str(path), "--consumer-state", str(state), "--signer", STRANGER]) == 1
    assert "owner: owner_mismatch:" in capsys.readouterr().out
    assert main(["proposal", "validate", str(path), "--consumer-state", str(state), "--signer", OWNER]) == 0


def _gov_draft(**kw: Any) -> Any:
    return h.envelope(h.update_top_n().messages[0], **kw)


def test_gov_metadata_json_must_repeat_title_and_summary() -> None:
    facts = h.facts(consumer=h.launched_consumer())
    ok = json.dumps({"title": "A clear title", "summary": "What and why."})
    assert not [p for p in validate(_gov_draft(metadata=ok), facts) if p.is_error]
    wrong = json.dumps({"title": "Another", "summary": "What and why."})
    assert "metadata_title_mismatch" in {p.rule for p in validate(_gov_draft(metadata=wrong), facts) if p.is_error}
    assert "metadata_title_mismatch" in {p.rule for p in validate(_gov_draft(metadata="{}"), facts) if p.is_error}
    # metadata Go cannot decode into ProposalMetadata is not checked
    for free in ("ipfs://bafy", "[]", '{"title": 5}'):
        assert not [p for p in validate(_gov_draft(metadata=free), facts) if p.rule.startswith("metadata_")]


def test_initial_deposit_below_min_deposit_ratio_is_refused_at_submission() -> None:
    facts = h.facts(consumer=h.launched_consumer())
    assert facts.gov is not None
    facts.gov = facts.gov.model_copy(
        update={
            "min_deposit": (Coin("stake", 10000000),),
            "min_initial_deposit_ratio": None,
            "min_deposit_ratio": Decimal("0.010000000000000000"),
        }
    )
    low = {p.rule: p for p in validate(_gov_draft(deposit="99999stake"), facts)}
    assert low["deposit_below_min_deposit_ratio"].is_error
    enough = {p.rule for p in validate(_gov_draft(deposit="100000stake"), facts) if p.is_error}
    assert "deposit_below_min_deposit_ratio" not in enough
    assert "deposit_below_min_deposit_ratio" in {p.rule for p in validate(_gov_draft(deposit=""), facts)}


@pytest.mark.parametrize(
    ("doc", "rule"),
    [
        (create_doc(chain_id="mychain-1\n"), "initial_height_revision"),  # Go's $ does not take the newline
        (create_doc(allowlisted_reward_denoms={"denoms": ["uatom\n"]}), "reward_denom_invalid"),
        (update_doc(consumer_id=" 3"), "consumer_id_invalid"),
        (update_doc(consumer_id="\uff13"), "consumer_id_invalid"),  # a non-ASCII digit
    ],
    ids=["chain id trailing newline", "denom trailing newline", "consumer id with a space", "fullwidth digit"],
)
def test_go_semantics_where_python_differs(doc: dict[str, Any], rule: str) -> None:
    assert rule in rules(cli(doc, live_facts(registered())))


def test_decimal_with_surrounding_spaces_is_refused() -> None:
    doc = create_doc()
    doc["initialization_parameters"]["consumer_redistribution_fraction"] = " 0.5"
    assert "redistribution_fraction" in rules(cli(doc, live_facts()))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("initialization_parameters", "historical_entries"), 1.0),
        (("power_shaping_parameters", "top_N"), "7"),
        (("initialization_parameters", "historical_entries"), 1 << 63),
        (("initialization_parameters", "initial_height", "revision_number"), 1 << 64),
        (("power_shaping_parameters", "top_N"), 1 << 32),
        (("initialization_parameters", "unbonding_period"), 1 << 63),
    ],
    ids=["float for int64", "string for uint32", "beyond int64", "beyond uint64", "beyond uint32",
         "duration beyond int64"],
)
def test_provider_cli_go_json_types_and_ranges(path: tuple[str, ...], value: Any) -> None:
    doc = create_doc(power_shaping_parameters={"top_N": 0})
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(ProposalFormatError):
        load_text(json.dumps(doc), "provider-cli")


def test_double_sign_without_slash_fraction_crashes_the_provider_cli() -> None:
    doc = create_doc(infraction_parameters={"double_sign": {"jail_duration": 1, "tombstone": True}})
    assert "slash_fraction_missing" in rules(cli(doc, live_facts()))


# --- false alarms: the chain accepts as meant, the old app refused ---------------------------------------------


def test_trim_space_keeps_unit_separator() -> None:
    doc = create_doc(chain_id="\u001f", metadata={"name": "\u001f", "description": "d", "metadata": "m"})
    doc["initialization_parameters"]["initial_height"]["revision_number"] = 0
    doc["initialization_parameters"]["spawn_time"] = "0001-01-01T00:00:00Z"
    assert rules(cli(doc, live_facts())) == set()


def test_legacy_dec_accepts_a_leading_plus() -> None:
    doc = create_doc()
    doc["initialization_parameters"]["consumer_redistribution_fraction"] = "+0.5"
    assert rules(cli(doc, live_facts())) == set()


@pytest.mark.parametrize("field", ["new_chain_id", "new_owner_address"])
def test_blank_optional_update_fields_are_ignored(field: str) -> None:
    assert rules(cli(update_doc(**{field: "  "}), live_facts(registered()))) == set()


def test_blank_connection_id_is_accepted() -> None:
    doc = create_doc()
    doc["initialization_parameters"]["connection_id"] = "  "
    assert rules(cli(doc, live_facts())) == set()


def test_factory_reward_denoms_are_accepted() -> None:
    doc = create_doc(allowlisted_reward_denoms={"denoms": ["factory/cosmos1abc/token", "transfer/channel-0/uatom"]})
    assert rules(cli(doc, live_facts())) == set()


def test_ten_byte_addresses_are_accepted() -> None:
    ten = encode_address(b"\x07" * 10, "cosmosvalcons")
    doc = create_doc(power_shaping_parameters={"allowlist": [ten]})
    assert rules(cli(doc, live_facts())) == set()
    owner = encode_address(b"\x07" * 10, "cosmos")
    assert rules(cli(update_doc(new_owner_address=owner), live_facts(registered()))) == set()


def test_gov_title_of_spaces_is_accepted() -> None:
    facts = h.facts(consumer=h.launched_consumer())
    problems = validate(_gov_draft(title="   "), facts)
    assert not [p for p in problems if p.is_error]


def test_owner_in_a_provider_cli_update_file_is_ignored() -> None:
    facts = live_facts(registered())
    problems = cli(update_doc(owner=STRANGER), facts, signer=OWNER)
    assert "owner_mismatch" not in rules(problems)
    assert "signer_in_file_ignored" in rules(problems, "warning")


# --- silent damage: the chain accepts, the result is not what the file says -----------------------------------


def test_new_chain_id_on_an_initialized_consumer_halts_the_provider() -> None:
    facts = live_facts(registered(phase="CONSUMER_PHASE_INITIALIZED"))
    assert "new_chain_id_halts_provider" in rules(cli(update_doc(new_chain_id="halt"), facts))
    # the same change with matching initialization parameters in the message is safe
    safe = update_doc(new_chain_id="halt", initialization_parameters=create_doc()["initialization_parameters"])
    safe["initialization_parameters"]["initial_height"]["revision_number"] = 0
    assert "new_chain_id_halts_provider" not in rules(cli(safe, facts))


def test_upper_case_new_owner_locks_the_consumer() -> None:
    assert "new_owner_upper_case" in rules(
        cli(update_doc(new_owner_address=STRANGER.upper()), live_facts(registered()))
    )


@pytest.mark.parametrize(
    ("mutate", "rule"),
    [
        (lambda d: d["initialization_parameters"].update(connection_id="connection-localhost"),
         "launch_connection_missing"),
        (lambda d: d["initialization_parameters"].update(unbonding_period=1), "launch_trusting_period"),
        (lambda d: d["initialization_parameters"].update(connection_id="connection-7"), "launch_connection_missing"),
        (lambda d: d.update(power_shaping_parameters={"min_stake": 10**15 + 1}), "launch_min_stake_excludes_all"),
    ],
    ids=["connection without a tendermint client", "unbonding 1ns", "connection does not exist",
         "min_stake above every validator"],
)
def test_launch_fallback_to_registered_is_a_warning(mutate: Any, rule: str) -> None:
    doc = create_doc()
    mutate(doc)
    problems = cli(doc, live_facts())
    assert rule in rules(problems, "warning") and not rules(problems)


def test_partial_double_sign_block_zeroes_jail_and_tombstone() -> None:
    doc = create_doc(infraction_parameters={"double_sign": {"slash_fraction": "0.1"}})
    assert "infraction_block_partial" in rules(cli(doc, live_facts()), "warning")
    full = create_doc(
        infraction_parameters={"double_sign": {"slash_fraction": "0.1", "jail_duration": 5, "tombstone": True}}
    )
    assert "infraction_block_partial" not in rules(cli(full, live_facts()), "warning")


def test_infraction_parameters_of_a_launched_chain_are_queued() -> None:
    launched = registered(phase="CONSUMER_PHASE_LAUNCHED")
    block = {"slash_fraction": "0.1", "jail_duration": 5, "tombstone": True}
    problems = cli(update_doc(infraction_parameters={"downtime": block}), live_facts(launched))
    assert "infraction_params_queued" in rules(problems, "warning")


def test_revision_zero_with_a_matching_chain_id_launches_without_warning() -> None:
    """The harness found the provider launches it (the issue listed it among the fallbacks)."""
    doc = create_doc(chain_id="mychain")
    doc["initialization_parameters"]["initial_height"]["revision_number"] = 0
    assert not [p for p in cli(doc, live_facts()) if p.startswith("launch_")]


def test_existing_connection_to_the_consumer_is_no_fallback() -> None:
    doc = create_doc()
    doc["initialization_parameters"]["connection_id"] = "connection-0"
    assert "launch_connection_missing" not in rules(cli(doc, live_facts()), "warning")


def test_model_built_infraction_block_is_not_partial() -> None:
    ip = InfractionParameters(double_sign=SlashJailParameters(slash_fraction="0.1", jail_duration=1, tombstone=True))
    assert set(ip.double_sign.model_fields_set) == {"slash_fraction", "jail_duration", "tombstone"}  # type: ignore[union-attr]
