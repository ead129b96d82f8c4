"""Who a consumer double vote punishes, for every kind of validator, judged by the real provider.

One destructive chain (validators A, B, C) and two consumers with different double-sign infraction
parameters: "consumer-1" (ICS defaults: tombstone, jail forever) and "lenient-1" (slash 10 %, jail 600 s, no
tombstone). Each case runs the path a user runs — verify the two votes, map the key, pre-check, prepare, sign
with the app's engine, broadcast — and then reads the provider's own state:

  C  no assigned key, NOT opted in to lenient-1          -> slashed 10 %, jailed, not tombstoned
  C  no assigned key, jailed, on consumer-1              -> tombstoned (a jailed validator is still punished)
  C  tombstoned                                          -> the app refuses and so does the provider
  A  no assigned key, opted in (the reported bug: ICS answers provider_address "")
                                                         -> tombstoned (last: A's jail halts the chain)

On a chain of its own with a 12 s provider unbonding time (test_unbonding_and_unbonded_...):
  C  double voted while bonded, now unbonding            -> slashed, jailed, tombstoned (still at stake)
  C  unbonding completed (unbonded)                      -> the app refuses; the provider's delivered tx
                                                         fails "validator is unbonded"
  C  unbonded and deleted (last delegation gone)         -> the app refuses; "not associated with any known
                                                         validator"

B (assigned key, opted in) is the case of test_evidence_devnet.py, on a chain of its own: here B must stay
bonded, or removing A would leave CometBFT an empty validator set and the block with A's evidence would
never commit.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from ics_workbench.chain.connect import connect_urls
from ics_workbench.cli import main
from ics_workbench.devnet.genesis import ChainSettings
from ics_workbench.devnet.keys import ConsensusKey
from ics_workbench.devnet.node import DevnetError
from ics_workbench.devnet.seed import PHASE_LAUNCHED, consumer_phase, initialization_parameters, power_shaping
from ics_workbench.evidence.model import PubKey
from ics_workbench.evidence.parse import pair_votes
from ics_workbench.evidence.report import vote_json
from ics_workbench.evidence.submission import direct_signing_request, prepare_double_vote_submission
from ics_workbench.evidence.verify import verify_item
from ics_workbench.signing import fees, gaiad_json
from ics_workbench.signing.broadcast import Broadcaster
from ics_workbench.signing.tx import SignerSpec, SignMode, assemble, build_unsigned_tx, sign
from tests.devnet.test_evidence_devnet import signed_prevote
from tests.devnet.test_signing_devnet import GAS_PRICE, sign_and_broadcast, signer_data_for, signer_for

LENIENT_JAIL_NS = 600 * 10**9


def _create_lenient_consumer(chain: Any) -> str:
    """A consumer whose double-sign parameters differ from the defaults; A opts in (no key) so it launches."""
    body = {
        "chain_id": "lenient-1",
        "metadata": {"name": "Lenient", "description": "double sign: no tombstone", "metadata": "{}"},
        "initialization_parameters": initialization_parameters(None),
        "power_shaping_parameters": power_shaping(),
        "infraction_parameters": {
            "double_sign": {"slash_fraction": "0.1", "jail_duration": LENIENT_JAIL_NS, "tombstone": False},
            "downtime": {"slash_fraction": "0.0001", "jail_duration": 600 * 10**9, "tombstone": False},
        },
    }
    tx = chain.tx("provider", "create-consumer", str(chain.write_json("create-lenient.json", body)),
                  sender=chain.validator_a.name)
    consumer_id = next(a["value"] for e in tx["events"] if e["type"] == "create_consumer"
                       for a in e["attributes"] if a["key"] == "consumer_id")
    chain.tx("provider", "opt-in", consumer_id, sender=chain.validator_a.name)
    spawn = {"consumer_id": consumer_id, "initialization_parameters": initialization_parameters(datetime.now(UTC))}
    chain.tx("provider", "update-consumer", str(chain.write_json("spawn-lenient.json", spawn)),
             sender=chain.validator_a.name)
    chain.wait_for(lambda: consumer_phase(chain, consumer_id) == PHASE_LAUNCHED or None, "lenient-1 to launch", 60)
    return consumer_id


def _state(chain: Any, account: Any) -> tuple[bool, bool, int]:
    info = chain.query("slashing", "signing-info", account.valcons)
    info = info.get("val_signing_info", info)
    validator = chain.query("staking", "validator", account.valoper)
    validator = validator.get("validator", validator)
    return bool(info.get("tombstoned", False)), bool(validator.get("jailed", False)), int(validator["tokens"])


def _double_vote(chain: Any, chain_id: str, key: ConsensusKey, height: int, tmp_path, name: str):
    now = int(time.time()) - 2
    votes = [signed_prevote(key, chain_id, height, 0x41, 1, now), signed_prevote(key, chain_id, height, 0x61, 2, now)]
    raw = tmp_path / f"{name}.json"
    raw.write_text(json.dumps([vote_json(v) for v in votes]))
    return votes, raw


def _prepare(chain: Any, chain_id: str, key: ConsensusKey, votes):
    result = verify_item(pair_votes(*votes), chain_id, user_key=PubKey(key.public_key, "devnet"))
    assert result.verdict.valid, result.verdict.checks
    with connect_urls([chain.rpc_url], [chain.rest_url], chain_id=chain.chain_id) as conn:
        submission = prepare_double_vote_submission(result, conn, chain_id, chain.user.address)
        request = direct_signing_request(submission, chain.user.address, ics_version=conn.capabilities.ics_version,
                                         account_prefix="cosmos") if submission.ready else None
    return submission, request


def _submit(chain: Any, request) -> Any:
    tx = sign_and_broadcast(chain, chain.user, request.protobuf_messages(), mode=SignMode.DIRECT)
    assert tx.code == 0 and tx.height > 0, tx.raw_log
    return tx


def _consumer_downtime_state(chain: Any, consumer_chain_id: str, account: Any, capsys) -> str:
    from ics_workbench.addresses import encode_address
    from tests.evidence.rpcserver import serve

    info = {"address": encode_address(account.consensus_key.address, "consumervalcons"), "start_height": "1",
            "index_offset": "60", "jailed_until": "1970-01-01T00:00:00Z", "tombstoned": False,
            "missed_blocks_counter": "0"}

    def route(path: str, params: dict):
        if path == "/cosmos/slashing/v1beta1/params":
            return {"params": {"signed_blocks_window": "100", "min_signed_per_window": "0.500000000000000000",
                               "downtime_jail_duration": "600s", "slash_fraction_double_sign": "0.050000000000000000",
                               "slash_fraction_downtime": "0.010000000000000000"}}
        if path == "/cosmos/slashing/v1beta1/signing_infos":
            return {"info": [info], "pagination": {"next_key": None, "total": "1"}}
        return None

    capsys.readouterr()
    with serve(route) as consumer_rest:
        assert main(["downtime", "--rpc", chain.rpc_url, "--rest", chain.rest_url, "--consumer", consumer_chain_id,
                     "--consumer-rest", consumer_rest, "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)["chains"][consumer_chain_id]["validators"]
    assert row["provider_address"] == account.valcons and row["tombstoned"] is False
    return str(row["state"])


def test_double_vote_identity_matrix_on_the_real_provider(devnet_factory, tmp_path, capsys) -> None:
    chain = devnet_factory(with_validator_c=True)
    a, c = chain.validator_a, chain.validator_c
    consumer = chain.seeded.opt_in
    lenient_id = _create_lenient_consumer(chain)

    # --- C: no assigned key, not opted in, on the lenient consumer: slashed and jailed, NOT tombstoned.
    votes, _ = _double_vote(chain, "lenient-1", c.consensus_key, 3, tmp_path, "c-lenient")
    submission, request = _prepare(chain, "lenient-1", c.consensus_key, votes)
    mapping = submission.mapping
    assert submission.ready, submission.blockers()
    assert (mapping.provider_address, mapping.key_assigned, mapping.opted_in) == (c.valcons, False, False)
    assert mapping.consumer_address == c.valcons  # its provider key signs on the consumer
    assert submission.report.mapping_at_infraction["provider_address"] == c.valcons
    preview = submission.report.consequence
    assert (preview["tombstone"], preview["jail"], Decimal(preview["slash_fraction"])) == (
        False,
        "600 s",
        Decimal("0.1"),
    )
    tombstoned, jailed, tokens_before = _state(chain, c)
    assert (tombstoned, jailed) == (False, False)
    assert submission.consumer.consumer_id == lenient_id
    _submit(chain, request)
    tombstoned, jailed, tokens_after = _state(chain, c)
    assert (tombstoned, jailed) == (False, True)
    assert tokens_before - tokens_after == int(Decimal(tokens_before) * Decimal("0.1"))
    assert preview["tokens_slashed_at_least"] == tokens_before - tokens_after

    # --- C again, now jailed (not tombstoned), on consumer-1 (defaults): admissible, and tombstoned.
    votes, _ = _double_vote(chain, consumer.chain_id, c.consensus_key, 4, tmp_path, "c-default")
    submission, request = _prepare(chain, consumer.chain_id, c.consensus_key, votes)
    assert submission.ready, submission.blockers()
    assert submission.mapping.jailed is True and submission.mapping.tombstoned is False
    assert submission.mapping.provider_address == c.valcons and submission.report.consequence["tombstone"] is True
    _submit(chain, request)
    assert _state(chain, c)[:2] == (True, True)

    # --- C a third time: tombstoned. The app refuses; the provider's handler agrees (simulation fails).
    votes, raw = _double_vote(chain, consumer.chain_id, c.consensus_key, 5, tmp_path, "c-again")
    submission, request = _prepare(chain, consumer.chain_id, c.consensus_key, votes)
    assert not submission.ready and any("already tombstoned" in x for x in submission.blockers())
    files = submission.write_files(tmp_path / "c-again-files")
    with pytest.raises(DevnetError, match="tombstoned"):
        chain.cli("tx", "provider", "submit-consumer-double-voting", consumer.consumer_id, str(files["evidence"]),
                  str(files["header"]), "--from", chain.user.address, "--chain-id", chain.chain_id, "--node",
                  chain.node_address, "--home", str(chain.home), "--keyring-backend", "test", "--dry-run")

    # The Downtime view of the consumer joins the provider's state: C signs nothing there any more and its
    # consumer signing info (served here: no consumer binary runs) knows nothing of the tombstone.
    assert _consumer_downtime_state(chain, consumer.chain_id, c, capsys) == "tombstoned"

    # --- A: NO assigned key, opted in (the reported bug). `evidence prepare` first, as a user runs it.
    votes, raw = _double_vote(chain, consumer.chain_id, a.consensus_key, 7, tmp_path, "a")
    code = main(["evidence", "prepare", str(raw), "--chain-id", consumer.chain_id, "--rpc", chain.rpc_url,
                 "--rest", chain.rest_url, "--pubkey", a.consensus_key.public_key_b64, "--submitter",
                 chain.user.address, "--out-dir", str(tmp_path / "a-files")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{a.valcons} (its provider key)" in out and "BOND_STATUS_BONDED; opted in" in out and "ready:" in out
    report = json.loads((tmp_path / "a-files" / "evidence_report.json").read_text())
    assert report["mapping"]["provider_address"] == a.valcons and report["mapping"]["key_assigned"] is False
    assert report["mapping_at_infraction"]["provider_address"] == a.valcons
    submission, request = _prepare(chain, consumer.chain_id, a.consensus_key, votes)
    assert submission.ready, submission.blockers()
    assert (submission.mapping.provider_address, submission.mapping.key_assigned, submission.mapping.opted_in) == (
        a.valcons, False, True)
    _submit(chain, request)  # only B (never signs) stays bonded: the chain stops two blocks later, state stays readable
    assert _state(chain, a)[:2] == (True, True)


def _broadcast_unchecked(chain: Any, account: Any, messages: list[Any]) -> Any:
    """Sign with the app's engine and broadcast WITHOUT simulating first (a simulation of a message the provider
    refuses fails before anything is sent): the provider's answer is the delivered tx's code and log."""
    key = signer_for(account)
    data = signer_data_for(chain, account.address)
    spec = [SignerSpec(key.public_key(), data.sequence, SignMode.DIRECT)]
    unsigned = build_unsigned_tx(messages, signers=spec, fee=fees.estimate(GAS_PRICE, gas_limit=2_000_000).fee)
    signature = sign(unsigned, key, data)
    with Broadcaster(chain.rest_url, inclusion_timeout=30.0, poll_interval=0.3) as client:
        return client.broadcast(assemble(unsigned, [signature]), gaiad_json.tx_to_json(unsigned, [signature]))


def _status(chain: Any, account: Any) -> str | None:
    try:
        validator = chain.query("staking", "validator", account.valoper)
    except DevnetError:
        return None  # removed from the store
    return str(validator.get("validator", validator)["status"])


def _unbonding(chain: Any, account: Any) -> int:
    answer = chain.query("staking", "unbonding-delegation", account.address, account.valoper)
    entries = answer.get("unbond", answer)["entries"]
    return sum(int(e["balance"]) for e in entries)


def test_unbonding_and_unbonded_validator_as_the_provider_judges_them(devnet_factory, tmp_path) -> None:
    """C double votes on consumer-1 (twice) while bonded, then unbonds its whole self-delegation (jailed for
    going below its min self-delegation). While its 12 s unbonding runs the provider still punishes it, and the
    app says so; once the unbonding completed the app says "not submittable" for the reason the provider gives
    when the tx is broadcast anyway; the same once the validator is gone from the store."""
    chain = devnet_factory(with_validator_c=True, settings=ChainSettings(unbonding_time="12s"))
    c, consumer = chain.validator_c, chain.seeded.opt_in
    early, _ = _double_vote(chain, consumer.chain_id, c.consensus_key, 3, tmp_path, "c-early")
    late, _ = _double_vote(chain, consumer.chain_id, c.consensus_key, 4, tmp_path, "c-late")
    assert _status(chain, c) == "BOND_STATUS_BONDED"
    chain.tx("staking", "delegate", c.valoper, "1000000stake", sender=chain.user.name)  # keeps C in the store
    chain.tx("staking", "unbond", c.valoper, f"{c.self_delegation}stake", sender=c.name)

    # Unbonding: still slashable. Prepared and broadcast well within the 12 s.
    submission, request = _prepare(chain, consumer.chain_id, c.consensus_key, early)
    assert submission.mapping.status == "BOND_STATUS_UNBONDING", submission.mapping.status
    assert submission.ready and request is not None, submission.blockers()
    preview = submission.report.consequence
    _, _, tokens_before = _state(chain, c)
    unbonding_before = _unbonding(chain, c)
    _submit(chain, request)
    tombstoned, jailed, tokens = _state(chain, c)
    assert (tombstoned, jailed) == (True, True)
    # No voting power left: the slash falls on the stake leaving it (ADR-013), as the preview says.
    assert tokens_before - tokens == preview["tokens_slashed_at_least"] == 0
    assert unbonding_before - _unbonding(chain, c) == int(unbonding_before * Decimal(preview["slash_fraction"]))

    # Unbonded: the provider refuses before it looks at the tombstone.
    chain.wait_for(lambda: _status(chain, c) == "BOND_STATUS_UNBONDED" or None, "C to finish unbonding", 30)
    submission, request = _prepare(chain, consumer.chain_id, c.consensus_key, late)
    assert request is None and not submission.ready
    assert submission.mapping.status == "BOND_STATUS_UNBONDED" and submission.mapping.provider_address == c.valcons
    assert [b for b in submission.blockers() if b.startswith("validator not unbonded:")]
    assert submission.report.mapping_at_infraction["status"] == "BOND_STATUS_BONDED"  # bonded when it signed
    msg = type(submission.msg)()
    msg.CopyFrom(submission.msg)
    tx = _broadcast_unchecked(chain, chain.user, [msg])
    assert tx.height > 0 and tx.code != 0 and "validator is unbonded" in tx.raw_log, tx.summary()
    assert _state(chain, c) == (True, True, tokens)  # nothing more slashed

    # The last delegation leaves: an unbonded validator without shares is deleted at once.
    chain.tx("staking", "unbond", c.valoper, "1000000stake", sender=chain.user.name)
    assert _status(chain, c) is None
    submission, request = _prepare(chain, consumer.chain_id, c.consensus_key, late)
    assert request is None and [b for b in submission.blockers() if b.startswith("validator found:")]
    tx = _broadcast_unchecked(chain, chain.user, [submission.msg])
    assert tx.height > 0 and tx.code != 0 and "not associated with any known validator" in tx.raw_log, tx.summary()
