"""Proposals drafted by the app, exported to the files the provider binary reads, submitted with its own CLI.

Against the real local ICS v7 provider: a consumer addition (MsgCreateConsumer via `tx provider
create-consumer FILE`), hand-over to gov, and a Top N MsgUpdateConsumer proposal (`tx gov submit-proposal
FILE`) that is voted and passes; the consumer then carries exactly the drafted parameters. Then the Hub's
props 1012/1013 mistake (a new owner the Hub cannot decode), which the validator flags, really does pass the
vote and FAIL at execution, while the corrected version passes.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from ics_workbench.addresses import encode_address
from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.devnet.node import Devnet
from ics_workbench.proposals.chain_facts import fetch_provider_facts
from ics_workbench.proposals.diff import update_diff
from ics_workbench.proposals.draft import ProposalDraft
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.formats import dump_text
from ics_workbench.proposals.models import ConsumerMetadata, MsgCreateConsumer, MsgUpdateConsumer
from ics_workbench.proposals.problems import Problem
from ics_workbench.proposals.rules import validate
from ics_workbench.proposals.templates import new_draft


def _facts(devnet: Devnet, *consumer_ids: str) -> ProviderFacts:
    with JsonHttp([Endpoint(devnet.rest_url)]) as http:
        return fetch_provider_facts(http, version="v7.0.0", consumer_ids=consumer_ids)


def _errors(problems: list[Problem]) -> list[str]:
    return [p.line() for p in problems if p.is_error]


def _attr(tx: dict[str, Any], event_type: str, key: str) -> str:
    for event in tx.get("events", []):
        if event.get("type") == event_type:
            for attribute in event.get("attributes", []):
                if attribute.get("key") == key:
                    return str(attribute["value"])
    raise AssertionError(f"no {event_type}.{key} in tx {tx.get('txhash')}")


def _export(devnet: Devnet, draft: ProposalDraft, fmt: str, facts: ProviderFacts, name: str) -> str:
    text = dump_text(draft, fmt, gov_address=facts.gov_address, version=facts.version)  # type: ignore[arg-type]
    return str(devnet.write_json(f"{name}-{uuid.uuid4().hex[:6]}.json", json.loads(text)))


def _submit_and_vote(devnet: Devnet, path: str) -> str:
    submitted = devnet.tx("gov", "submit-proposal", path, sender="user")
    proposal_id = _attr(submitted, "submit_proposal", "proposal_id")
    devnet.tx("gov", "vote", proposal_id, "yes", sender=devnet.validator_a.name)
    return proposal_id


def _final_status(devnet: Devnet, proposal_id: str) -> str:
    # REST, not `query gov proposal`: the binary's CLI cannot print a proposal holding a validator set (its amino
    # JSON encoder refuses the ed25519 key oneof), while the gRPC gateway's protobuf JSON can
    with JsonHttp([Endpoint(devnet.rest_url)]) as http:

        def done() -> str | None:
            status = str(http.get_json(f"/cosmos/gov/v1/proposals/{proposal_id}")["proposal"]["status"])
            return None if status in ("PROPOSAL_STATUS_VOTING_PERIOD", "PROPOSAL_STATUS_DEPOSIT_PERIOD") else status

        return devnet.wait_for(done, f"proposal {proposal_id} to end", timeout=90)


def test_app_drafted_addition_and_top_n_pass_and_the_1012_mistake_fails(devnet: Devnet) -> None:
    facts = _facts(devnet)
    assert facts.gov_address == devnet.gov_address
    assert facts.gov is not None and facts.gov.min_deposit[0].denom == devnet.denom
    assert facts.provider_params and "template_client" in facts.provider_params

    # 1. consumer addition, drafted from the template and sent with `tx provider create-consumer FILE`
    chain_id = f"wb{uuid.uuid4().hex[:6]}-1"
    spawn = (datetime.now(UTC) + timedelta(days=365)).replace(microsecond=0)
    draft = new_draft("consumer-addition", facts)
    create: MsgCreateConsumer = draft.messages[0]  # type: ignore[assignment]
    assert isinstance(create, MsgCreateConsumer) and draft.route == "tx"
    create.chain_id = chain_id
    create.metadata = ConsumerMetadata(
        name="Workbench chain", description="Drafted by the app", metadata='{"stage":"test"}'
    )
    ip = create.initialization_parameters
    assert ip is not None and facts.unbonding_period_ns
    ip.spawn_time = spawn
    ip.unbonding_period = facts.unbonding_period_ns // 2
    ip.genesis_hash = b"\x11" * 32
    create.power_shaping_parameters.allowlist = [devnet.validator_a.valcons]  # type: ignore[union-attr]
    create.power_shaping_parameters.validators_power_cap = 50  # type: ignore[union-attr]
    assert _errors(validate(draft, facts)) == []
    tx = devnet.tx(
        "provider", "create-consumer", _export(devnet, draft, "provider-cli", facts, "create"), sender="user"
    )
    consumer_id = _attr(tx, "create_consumer", "consumer_id")

    # 2. hand it to governance (a direct MsgUpdateConsumer by the owner, also drafted by the app)
    hand = new_draft("hand-to-gov", facts)
    hand.messages[0].consumer_id = consumer_id  # type: ignore[attr-defined]
    assert _errors(validate(hand, facts)) == []
    devnet.tx("provider", "update-consumer", _export(devnet, hand, "provider-cli", facts, "hand"), sender="user")

    # 3. the Top N proposal, built on the consumer's current power shaping so nothing is reset by accident
    facts = _facts(devnet, consumer_id)
    current = facts.consumer(consumer_id)
    assert current is not None and current.owner_address == devnet.gov_address
    top_n = new_draft("make-top-n", facts)
    update: MsgUpdateConsumer = top_n.messages[0]  # type: ignore[assignment]
    update.consumer_id = consumer_id
    assert current.power_shaping_params is not None
    update.power_shaping_parameters = current.power_shaping_params.model_copy(update={"top_N": 95})
    top_n.title, top_n.summary = f"Make {chain_id} Top 95", "Drafted and checked by the ICS Workbench."
    assert _errors(validate(top_n, facts)) == []
    changes = {c.path: c for c in update_diff(update, current)}
    assert changes["power_shaping_parameters.top_N"].old == 0 and changes["power_shaping_parameters.top_N"].new == 95
    assert not [c for c in changes.values() if c.loud]
    proposal_id = _submit_and_vote(devnet, _export(devnet, top_n, "gov", facts, "topn"))
    assert _final_status(devnet, proposal_id) == "PROPOSAL_STATUS_PASSED"

    chain = devnet.query("provider", "consumer-chain", consumer_id)
    assert chain["chain_id"] == chain_id and chain["owner_address"] == devnet.gov_address
    assert chain["metadata"]["name"] == "Workbench chain" and chain["metadata"]["metadata"] == '{"stage":"test"}'
    ps = chain["power_shaping_params"]
    assert int(ps["top_N"]) == 95 and int(ps["validators_power_cap"]) == 50
    assert ps["allowlist"] == [devnet.validator_a.valcons]
    init = chain["init_params"]
    assert init["unbonding_period"] == f"{facts.unbonding_period_ns // 2 // 10**9}s"
    assert datetime.fromisoformat(init["spawn_time"].replace("Z", "+00:00")) == spawn
    assert chain["phase"] in ("CONSUMER_PHASE_INITIALIZED", "CONSUMER_PHASE_LAUNCHED")

    # 4. Hub props 1012/1013: Top N -> opt-in with a new owner the Hub cannot decode (a stride1 address)
    facts = _facts(devnet, consumer_id)
    multisig = bytes(range(20))
    wrong = new_draft("top-n-to-opt-in", facts)
    wrong.messages[0].consumer_id = consumer_id  # type: ignore[attr-defined]
    wrong.messages[0].new_owner_address = encode_address(multisig, "stride")  # type: ignore[attr-defined]
    wrong.title, wrong.summary = "Migrate to opt-in (wrong owner)", "Reproduces Hub props 1012/1013."
    assert [p.rule for p in validate(wrong, facts) if p.is_error] == ["new_owner_invalid"]
    wrong_id = _submit_and_vote(devnet, _export(devnet, wrong, "gov", facts, "wrong-owner"))

    corrected = new_draft("top-n-to-opt-in", facts)
    corrected.messages[0].consumer_id = consumer_id  # type: ignore[attr-defined]
    corrected.messages[0].new_owner_address = encode_address(multisig, "cosmos")  # type: ignore[attr-defined]
    corrected.title, corrected.summary = "Migrate to opt-in (correct owner)", "The corrected proposal."
    assert _errors(validate(corrected, facts)) == []
    corrected_id = _submit_and_vote(devnet, _export(devnet, corrected, "gov", facts, "right-owner"))

    assert _final_status(devnet, wrong_id) == "PROPOSAL_STATUS_FAILED"
    assert _final_status(devnet, corrected_id) == "PROPOSAL_STATUS_PASSED"
    chain = devnet.query("provider", "consumer-chain", consumer_id)
    assert chain["owner_address"] == encode_address(multisig, "cosmos")
    assert int(chain["power_shaping_params"]["top_N"]) == 0


def test_gov_created_consumer_passes(devnet: Devnet) -> None:
    facts = _facts(devnet)
    draft = new_draft("create-consumer-gov", facts)
    create: MsgCreateConsumer = draft.messages[0]  # type: ignore[assignment]
    chain_id = f"gov{uuid.uuid4().hex[:6]}-2"
    create.chain_id = chain_id
    create.metadata = ConsumerMetadata(name="Gov chain", description="Created by a proposal", metadata="{}")
    create.initialization_parameters.initial_height.revision_number = 2  # type: ignore[union-attr]
    create.initialization_parameters.unbonding_period = facts.unbonding_period_ns // 2  # type: ignore[union-attr,operator]
    draft.title, draft.summary = f"Create {chain_id}", "A gov-owned consumer drafted by the app."
    assert _errors(validate(draft, facts)) == []
    proposal_id = _submit_and_vote(devnet, _export(devnet, draft, "gov", facts, "gov-create"))
    assert _final_status(devnet, proposal_id) == "PROPOSAL_STATUS_PASSED"
    chains = devnet.query("provider", "list-consumer-chains")["chains"]
    (chain,) = [c for c in chains if c["chain_id"] == chain_id]
    detail = devnet.query("provider", "consumer-chain", chain["consumer_id"])
    assert detail["owner_address"] == devnet.gov_address and detail["metadata"]["name"] == "Gov chain"


def test_facts_from_a_real_connection_and_cli_validation(devnet: Devnet, tmp_path, capsys) -> None:
    from ics_workbench.chain.connect import connect_urls
    from ics_workbench.cli import main
    from ics_workbench.proposals.chain_facts import facts_from_connection

    top_n = devnet.seeded.top_n
    with connect_urls([devnet.rpc_url], [devnet.rest_url]) as connection:
        facts = facts_from_connection(connection, consumer_ids=[top_n.consumer_id])
    assert str(facts.version) == "v7.0.0" and facts.gov_address == devnet.gov_address
    current = facts.consumer(top_n.consumer_id)
    assert current is not None and current.power_shaping_params.top_N == top_n.top_n and current.launched

    # a partial power-shaping proposal against the live Top N consumer: the CLI shows the reset
    doc = {"messages": [{"@type": MsgUpdateConsumer.type_url, "owner": devnet.gov_address,
                         "consumer_id": top_n.consumer_id, "power_shaping_parameters": {"validators_power_cap": 30}}],
           "title": "Cap power", "summary": "Only the cap.", "deposit": f"{devnet.settings.min_deposit}{devnet.denom}"}
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(doc))
    assert main(["proposal", "diff", str(path), "--rpc", devnet.rpc_url, "--rest", devnet.rest_url]) == 1
    out = capsys.readouterr().out
    assert f"!! power_shaping_parameters.top_N: {top_n.top_n} -> 0" in out
    assert main(["proposal", "validate", str(path), "--rpc", devnet.rpc_url, "--rest", devnet.rest_url]) == 0
    assert "top_n_reset" in capsys.readouterr().out  # a warning: valid, but loudly not what was meant


def test_slash_proposal_for_a_consumer_double_vote_passes_and_tombstones(devnet_factory, tmp_path, capsys) -> None:
    """A gov slash proposal (MsgSubmitConsumerDoubleVoting with the gov module as submitter), started with
    `proposal new slash-double-vote --evidence --header` from the files `evidence prepare` writes."""
    from ics_workbench.cli import main
    from ics_workbench.evidence.model import BlockId, PartSetHeader, Vote
    from ics_workbench.evidence.report import vote_json
    from ics_workbench.evidence.signbytes import vote_sign_bytes
    from ics_workbench.foundation.times import Timestamp
    from ics_workbench.proposals.formats import load_text

    chain = devnet_factory()
    consumer = chain.seeded.opt_in
    key = chain.seeded.assigned_key
    val_b = chain.accounts[chain.seeded.assigned_validator]

    def prevote(fill: int, nanos: int) -> Vote:
        vote = Vote(1, 5, 0, BlockId(bytes([fill]) * 32, PartSetHeader(1, bytes([fill + 1]) * 32)),
                    Timestamp(1_763_000_000, nanos), key.address, 1, b"")
        return Vote(**{**vote.__dict__, "signature": key.sign(vote_sign_bytes(consumer.chain_id, vote))})

    raw = tmp_path / "votes.json"
    raw.write_text(json.dumps([vote_json(prevote(0x55, 1)), vote_json(prevote(0x33, 2))]))
    out = tmp_path / "evidence"
    assert main(["evidence", "prepare", str(raw), "--chain-id", consumer.chain_id, "--rpc", chain.rpc_url,
                 "--rest", chain.rest_url, "--pubkey", key.public_key_b64, "--submitter", chain.gov_address,
                 "--out-dir", str(out)]) == 0
    capsys.readouterr()

    assert main(["proposal", "new", "slash-double-vote", "--consumer-id", consumer.consumer_id,
                 "--evidence", str(out / "evidence.json"), "--header", str(out / "infraction_header.json"),
                 "--rpc", chain.rpc_url, "--rest", chain.rest_url]) == 0
    draft, _ = load_text(capsys.readouterr().out)
    draft.title, draft.summary = "Slash validator B for double voting on consumer-1", "Evidence attached."
    facts = _facts(chain, consumer.consumer_id)
    assert draft.deposit == f"{chain.settings.min_deposit}{chain.denom}"  # filled from the chain's gov params
    assert _errors(validate(draft, facts)) == []

    proposal_id = _submit_and_vote(chain, _export(chain, draft, "gov", facts, "slash"))
    assert _final_status(chain, proposal_id) == "PROPOSAL_STATUS_PASSED"
    info = chain.query("slashing", "signing-info", val_b.valcons)
    assert info.get("val_signing_info", info)["tombstoned"] is True


def test_new_chain_id_on_an_initialized_consumer_halts_the_provider_and_the_app_says_so(devnet_factory) -> None:
    """Issue #12's worst case, on a chain of its own: the owner renames a consumer that has a spawn time but no
    initialization parameters in the message; the chain accepts, and at spawn time the failed launch cannot
    reset the consumer (stored revision 1 vs chain id "halt"), so BeginBlock errors and the provider HALTS."""
    import time

    from ics_workbench.proposals.check import check
    from ics_workbench.proposals.formats import load_text
    from tests.devnet.proposal_cases import Env, create_base, init_params

    chain = devnet_factory(seed=False)
    env = Env(chain.user.address, chain.validator_b.address, chain.gov_address, chain.validator_a.valcons,
              "", "", "", chain.settings.min_deposit, chain.denom, 0)
    spawn = datetime.now(UTC) + timedelta(seconds=15)
    body = create_base(env, "pre-1")
    body["initialization_parameters"] = init_params(1, spawn.strftime("%Y-%m-%dT%H:%M:%SZ"))
    tx = chain.tx("provider", "create-consumer", str(chain.write_json("pre.json", body)), sender="user")
    consumer_id = _attr(tx, "create_consumer", "consumer_id")

    update = {"consumer_id": consumer_id, "new_chain_id": "halt"}
    draft, _ = load_text(json.dumps(update), "provider-cli", signer=chain.user.address)
    verdict = check(draft, _facts(chain, consumer_id), signer=chain.user.address)
    halts = [p for p in verdict.errors if p.rule == "new_chain_id_halts_provider"]
    assert halts and "HALTS THE WHOLE PROVIDER CHAIN" in halts[0].message
    chain.tx("provider", "update-consumer", str(chain.write_json("rename.json", update)), sender="user")  # accepted

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "CONSENSUS FAILURE" not in chain.log_path.read_text(errors="replace"):
        time.sleep(0.5)
    log = chain.log_path.read_text(errors="replace")
    assert "CONSENSUS FAILURE" in log and "chain ID (halt) doesn't match revision number (1)" in log
    stuck = chain.height()
    time.sleep(3)
    assert chain.height() == stuck  # no block since
