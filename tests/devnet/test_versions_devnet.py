"""The version matrix: the app against REAL ICS v4.2.0, v5.2.0, v6.4.1 and v7.0.0 providers (`ics_devnet`).

Each test runs once per release on that release's shared, seeded chain. The numbered defects of issue 14
each have a test here that failed before the fix: 1 ibc-go read from the capability submodule, 2 overlaps
stopping on a pending v4/v5 consumer, 3 the duplicate chain-id rule, 4 an unknown version treated as v7.0.0,
5 (`--force` export dropping top_N) is offline in tests/proposals/test_formats.py.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ics_workbench.chain.connect import Connection, HttpSettings, connect_urls
from ics_workbench.chain.detect import detect_capabilities
from ics_workbench.chain.provider_state import read_provider_snapshot
from ics_workbench.cli import main as cli_main
from ics_workbench.devnet.consumer import ConsumerNode
from ics_workbench.devnet.node import Devnet, DevnetTxError
from ics_workbench.evidence.model import PubKey
from ics_workbench.evidence.parse import pair_votes
from ics_workbench.evidence.submission import direct_signing_request, prepare_double_vote_submission
from ics_workbench.evidence.verify import verify_item
from ics_workbench.foundation.ics_versions import IcsVersion
from ics_workbench.proposals.chain_facts import facts_from_connection
from ics_workbench.proposals.formats import dump_text
from ics_workbench.proposals.rules import validate
from ics_workbench.proposals.templates import new_draft
from ics_workbench.signing import fees
from ics_workbench.signing.tx import SignerSpec, SignMode
from ics_workbench.validators.analysis import compare_with_reported
from ics_workbench.validators.load import ProviderSource, load_overlaps
from ics_workbench.validators.simulate import simulate
from tests.devnet.test_evidence_devnet import signed_prevote
from tests.devnet.test_signing_devnet import signer_data_for, signer_for


@pytest.fixture
def conn(ics_devnet: Devnet) -> Iterator[Connection]:
    with connect_urls([ics_devnet.rpc_url], [ics_devnet.rest_url], settings=HttpSettings(timeout=10)) as connection:
        yield connection


def test_exact_version_and_its_features_are_detected(ics_devnet: Devnet, conn: Connection) -> None:
    caps = conn.capabilities
    release = ics_devnet.ics
    assert caps.has_provider and caps.ics_version == ics_devnet.ics_version
    assert caps.guessed_version is None and "guessed" not in caps.summary()
    assert caps.keyed_by == ("consumer_id" if release.permissionless else "chain_id")
    for name in ("legacy_proposals", "msg_create_consumer", "power_shaping", "epochs", "infraction_parameters",
                 "prioritylist", "allowlisted_reward_denoms", "max_provider_consensus_validators"):  # fmt: skip
        assert getattr(caps, name) is release.has(name), name
    assert conn.provider is not None and conn.provider.by_id is release.permissionless


def test_ibc_go_is_the_core_module_the_binary_links(ics_devnet: Devnet, conn: Connection) -> None:
    # defect 1: the real binaries list ibc-go/modules/capability beside ibc-go/vN
    assert conn.rest is not None
    deps = {d.path: d.version for d in conn.rest.node_info().build_deps}
    core = {p: v for p, v in deps.items() if p.startswith("github.com/cosmos/ibc-go/v")}
    assert len(core) == 1
    expected_major = {4: 7, 5: 8, 6: 8, 7: 10}[ics_devnet.ics.major]
    assert core == {f"github.com/cosmos/ibc-go/v{expected_major}": conn.capabilities.ibc_version}


def test_unknown_version_is_guessed_from_the_chains_own_answers(ics_devnet: Devnet, conn: Connection) -> None:
    # defect 4: ICS built from source without version flags: no ICS build dependency, no app version
    assert conn.rest is not None and conn.rest_http is not None
    info = conn.rest.node_info()
    anonymous = info.model_copy(
        update={"build_deps": tuple(d for d in info.build_deps if "interchain-security" not in d.path)}
    )
    caps = detect_capabilities(anonymous, conn.rest_http)
    guess = caps.provider_version()
    real = ics_devnet.ics
    assert caps.ics_version is None and guess is not None and guess.guessed
    assert guess.major == real.major  # family from routes, SDK and ibc-go; never v7 on a chain-id keyed chain
    assert guess <= real  # never claims more than the release has ...
    assert caps.power_shaping and caps.epochs  # ... but what the answers carry (top_N, blocks_per_epoch) is on
    assert caps.legacy_proposals is not real.permissionless
    assert "(guessed)" in caps.summary()


def test_seeded_consumers_are_listed_in_their_phases(ics_devnet: Devnet, conn: Connection) -> None:
    assert conn.provider is not None
    listed = {c.key: c.phase for c in conn.provider.consumer_chains()}
    for seeded in ics_devnet.seeded.consumers:
        assert listed.get(seeded.consumer_id) == seeded.expected_phase.removeprefix("CONSUMER_PHASE_"), seeded


def test_overlaps_load_with_pending_consumers_and_match_the_provider(ics_devnet: Devnet, conn: Connection) -> None:
    # defect 2: v4/v5 used to stop at `consumer_validators/initialized-1: HTTP 400: no started consumer chain`
    assert conn.provider is not None and conn.rest is not None
    ics_devnet.wait_blocks(2)
    data = load_overlaps(ProviderSource(conn.rest, conn.provider, comet=conn.comet))
    seeded = {c.consumer_id: c for c in ics_devnet.seeded.consumers}
    assert set(seeded) <= {c.consumer_id for c in data.consumers}
    for consumer in data.consumers:
        result = simulate(data.snapshot, consumer)
        if consumer.consumer_id in data.reported:
            assert compare_with_reported(result, data.reported[consumer.consumer_id]) == [], consumer.chain_id
    a, b = ics_devnet.validator_a.valcons, ics_devnet.validator_b.valcons
    assert {m.valcons for m in simulate(data.snapshot, data.consumer("consumer-1")).members} == {a, b}
    assert {m.valcons for m in simulate(data.snapshot, data.consumer("topn-1")).members} == {a}
    assert data.consumer("topn-1").params.top_n == 95  # Top N shown as Top N, not Top 100
    if not ics_devnet.ics.permissionless:
        pending = [w for w in data.warnings if "not started yet" in w]
        assert any("initialized-1" in w for w in pending) and any("registered-1" in w for w in pending)
        assert "initialized-1" not in data.reported


def test_proposal_facts_are_typed_and_read_at_one_height_on_every_version(ics_devnet: Devnet, conn: Connection) -> None:
    """Each release's REST answers (params, staking, consumer records) decode into the chain package's models,
    read at one settled height that the result carries."""
    assert conn.rest is not None and conn.rest_http is not None
    before = conn.rest.latest_head()[1]
    snapshot = read_provider_snapshot(conn.rest_http, consumer_ids=["1", "999"])
    assert snapshot.height is not None and snapshot.height >= before - 1
    assert snapshot.staking.bond_denom == ics_devnet.denom and (snapshot.staking.unbonding_time_ns or 0) > 0
    params = snapshot.params
    assert params.typed.trusting_period_fraction == params.proto_json["trusting_period_fraction"] != ""
    assert "template_client" in params.proto_json and (params.typed.ccv_timeout_period_seconds or 0) > 0
    assert snapshot.max_bonded_tokens == max(v.tokens for v in conn.rest.validators())
    assert "999" in snapshot.missing_consumers
    if not ics_devnet.ics.permissionless:
        assert snapshot.consumers == {} and "1" in snapshot.missing_consumers  # no consumer_chain/{id} before v6
        return
    seeded = next(c for c in ics_devnet.seeded.consumers if c.consumer_id == "1")
    record = snapshot.consumers["1"]
    assert (record.chain.chain_id, record.chain.owner) == (seeded.chain_id, seeded.owner)
    assert record.chain.phase == seeded.expected_phase.removeprefix("CONSUMER_PHASE_")
    expected = {"metadata", "init_params", "power_shaping_params"}
    if ics_devnet.ics.has("infraction_parameters"):
        expected.add("infraction_parameters")
    assert expected <= set(record.stored)


def _legacy_addition(ics_devnet: Devnet, conn: Connection, chain_id: str):  # type: ignore[no-untyped-def]
    facts = facts_from_connection(conn)
    draft = new_draft("legacy-consumer-addition", facts)
    msg = draft.messages[0]
    msg.chain_id = chain_id
    msg.title = f"Add {chain_id}"
    msg.description = "drafted by the ICS Workbench, version matrix test"
    msg.genesis_hash = b"genesis"
    msg.binary_hash = b"binary"
    msg.spawn_time = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    msg.top_N = 50
    draft.title, draft.summary = msg.title, msg.description
    return draft, facts


def _submit(ics_devnet: Devnet, draft, facts) -> dict:  # type: ignore[no-untyped-def]
    """Export the draft the version's own way and submit it with the provider's CLI."""
    if ics_devnet.ics.major == 4:
        text = dump_text(draft, "legacy", gov_address=facts.gov_address, version=facts.version)
        body = json.loads(text) | {"deposit": f"{ics_devnet.settings.min_deposit}{ics_devnet.denom}"}
        path = ics_devnet.write_json(f"legacy-{uuid.uuid4().hex[:6]}.json", body)
        return ics_devnet.tx("gov", "submit-legacy-proposal", "consumer-addition", str(path), sender="user")
    text = dump_text(draft, "gov", gov_address=facts.gov_address, version=facts.version)
    body = json.loads(text) | {"deposit": f"{ics_devnet.settings.min_deposit}{ics_devnet.denom}"}
    path = ics_devnet.write_json(f"gov-{uuid.uuid4().hex[:6]}.json", body)
    return ics_devnet.tx("gov", "submit-proposal", str(path), sender="user")


def test_legacy_addition_drafted_by_the_app_passes_and_a_running_chain_id_is_refused(
    ics_devnet: Devnet, conn: Connection
) -> None:
    if ics_devnet.ics.permissionless:
        pytest.skip("v6+ add consumers with MsgCreateConsumer (tests/devnet/test_proposals_devnet.py)")
    fresh = f"matrix-{uuid.uuid4().hex[:4]}-1"
    draft, facts = _legacy_addition(ics_devnet, conn, fresh)
    assert isinstance(facts.version, IcsVersion) and facts.version == ics_devnet.ics and not facts.version.guessed
    assert [p.line() for p in validate(draft, facts) if p.is_error] == []
    _submit(ics_devnet, draft, facts)  # the chain accepts it

    # defect 3: the app and the chain agree that a running chain id cannot be added again ...
    dup, facts = _legacy_addition(ics_devnet, conn, "topn-1")
    found = [p for p in validate(dup, facts) if p.rule == "consumer_chain_exists"]
    assert len(found) == 1 and found[0].is_error
    with pytest.raises(DevnetTxError) as refused:
        _submit(ics_devnet, dup, facts)
    assert "consumer chain already exists" in refused.value.raw_log
    # ... while a pending one is accepted at submission (and the app only warns)
    pending, facts = _legacy_addition(ics_devnet, conn, "initialized-1")
    found = [p for p in validate(pending, facts) if p.rule == "consumer_chain_exists"]
    assert len(found) == 1 and not found[0].is_error
    _submit(ics_devnet, pending, facts)


def test_downtime_view_on_every_version(ics_devnet: Devnet, capsys: pytest.CaptureFixture[str]) -> None:
    ics_devnet.wait_blocks(3)
    argv = ["downtime", "--rpc", ics_devnet.rpc_url, "--rest", ics_devnet.rest_url, "--recent", "3", "--json"]
    assert cli_main(argv) == 0
    view = json.loads(capsys.readouterr().out)["chains"][ics_devnet.chain_id]
    rows = {r["provider_address"]: r for r in view["validators"]}
    a, b = ics_devnet.validator_a, ics_devnet.validator_b
    assert rows[b.valcons]["missed"] > 0 and rows[a.valcons]["missed"] == 0
    assert b.consensus_key is not None
    assert len(view["recent"]["missed"][b.consensus_key.address.hex().upper()]) == 3


def test_double_vote_evidence_is_accepted_by_each_versions_handler(ics_devnet: Devnet, tmp_path: Path) -> None:
    """The app prepares evidence of B double-signing on the opt-in consumer with its assigned key and the
    version's own handler accepts the message the app would sign (simulated: nothing is committed, the shared
    chain stays intact; the destructive tombstoning run is test_evidence_devnet's, on v7)."""
    consumer = ics_devnet.seeded.opt_in
    key = ics_devnet.seeded.assigned_key
    now = int(time.time()) - 2
    votes = [signed_prevote(key, consumer.chain_id, 5, 0x55, 1, now),
             signed_prevote(key, consumer.chain_id, 5, 0x33, 2, now)]  # fmt: skip
    result = verify_item(pair_votes(*votes), consumer.chain_id, user_key=PubKey(key.public_key, "devnet"))
    assert result.verdict.valid
    with connect_urls([ics_devnet.rpc_url], [ics_devnet.rest_url], chain_id=ics_devnet.chain_id) as conn:
        submission = prepare_double_vote_submission(result, conn, consumer.chain_id, ics_devnet.user.address)
        # on v4/v5 the minimum evidence height comes from the chain's passed addition proposal
        assert submission.ready, submission.blockers()
        assert submission.mapping is not None
        assert submission.mapping.provider_address == ics_devnet.accounts[ics_devnet.seeded.assigned_validator].valcons
        request = direct_signing_request(
            submission, ics_devnet.user.address, ics_version=conn.capabilities.ics_version, account_prefix="cosmos"
        )
    # The message the app would sign, simulated by the node: the version's handler runs, nothing is committed.
    messages = request.protobuf_messages()
    signer = signer_for(ics_devnet.user)
    data = signer_data_for(ics_devnet, ics_devnet.user.address)
    spec = [SignerSpec(signer.public_key(), data.sequence, SignMode.DIRECT)]
    gas = fees.simulate(ics_devnet.rest_url, fees.simulation_tx_bytes(messages, spec, fee_denom=ics_devnet.denom))
    assert gas > 0


def test_consumer_node_runs_where_the_version_allows(ics_devnet: Devnet) -> None:
    """A live consumer chain from the provider's consumer genesis, validated by A, with B's assigned key in
    its set. ICS v5.2.0's CometBFT 0.38.9 block-syncs forever when genesis holds a validator other than the
    node's own and no peer exists (the provider works around it, a consumer genesis cannot): not run there."""
    if ics_devnet.ics.major == 5:
        pytest.skip("ICS v5.2.0 consumer (CometBFT 0.38.9) never leaves block sync without a peer")
    consumer = ics_devnet.seeded.opt_in
    with ConsumerNode(ics_devnet, consumer.consumer_id) as node:
        node.wait_blocks(2, timeout=30)
        keys = {v["pub_key"]["value"] for v in node.rpc("validators")["validators"]}
    a = ics_devnet.validator_a.consensus_key
    assert a is not None
    assert keys == {a.public_key_b64, ics_devnet.seeded.assigned_key.public_key_b64}
