"""On the real local provider: transactions built, signed and encoded by the workbench's own engine (never the
binary's CLI) are accepted with code 0 - a gov proposal, votes, a consumer creation and an opt-in in
SIGN_MODE_DIRECT, and a vote, a bank send and the ICS messages validators send (create consumer, opt in, assign key,
commission; a 2-of-3 multisig creating and updating a consumer) in SIGN_MODE_LEGACY_AMINO_JSON (which proves our
amino JSON equals the chain's).

The helpers at the top (`signer_for`, `signer_data_for`, `sign_and_broadcast`) are meant for reuse by other
devnet tests (offline round trip, CLI)."""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
from collections.abc import Sequence
from typing import Any

import httpx

from ics_workbench import addresses
from ics_workbench.proto import provider_tx_pb2 as ics, registry
from ics_workbench.signing import amino, fees, gaiad_json, keys, multisig, verify
from ics_workbench.signing.broadcast import Broadcaster, TxResult
from ics_workbench.signing.hdpath import DEFAULT_HD_PATH, parse_hd_path
from ics_workbench.signing.secp256k1 import PrivateKeySigner
from ics_workbench.signing.tx import (
    Fee,
    MultisigSpec,
    SignerData,
    SignerSpec,
    SignMode,
    assemble,
    attach_signers,
    build_unsigned_tx,
    sign,
)
from tests.signing import _txfixtures as fx

GAS_PRICE = fees.GasPrice.parse("0.001stake")
gov_beta = importlib.import_module("cosmos.gov.v1beta1.gov_pb2")


def signer_for(account: Any) -> PrivateKeySigner:
    """In-memory signer for a devnet account (its mnemonic, default HD path m/44'/118'/0'/0/0)."""
    seed = keys.mnemonic_to_seed(account.mnemonic)
    return PrivateKeySigner(keys.derive_private_key(seed, parse_hd_path(DEFAULT_HD_PATH)))


def signer_data_for(chain: Any, address: str) -> SignerData:
    with Broadcaster(chain.rest_url) as client:
        info = client.account(address)
    return SignerData(chain.chain_id, info.account_number, info.sequence)


def sign_and_broadcast(chain: Any, account: Any, messages: Sequence[Any], *,
                       mode: SignMode = SignMode.DIRECT, memo: str = "") -> TxResult:
    """Simulate -> fee -> build -> sign (our engine) -> verify -> broadcast (sync) -> wait for inclusion."""
    key = signer_for(account)
    assert (
        addresses.encode_address(addresses.address_bytes_from_public_key(key.public_key()), "cosmos") == account.address
    )
    data = signer_data_for(chain, account.address)
    spec = [SignerSpec(key.public_key(), data.sequence, mode)]
    gas = fees.simulate(chain.rest_url, fees.simulation_tx_bytes(messages, spec, fee_denom=chain.denom, memo=memo))
    estimate = fees.estimate(GAS_PRICE, simulated_gas=gas, adjustment="1.5")
    unsigned = build_unsigned_tx(messages, signers=spec, fee=estimate.fee, memo=memo)
    signature = sign(unsigned, key, data)
    (check,) = verify.verify_signatures(unsigned, [signature], [data], prefix="cosmos")
    assert check.ok, check.detail
    with Broadcaster(chain.rest_url, inclusion_timeout=30.0, poll_interval=0.3) as client:
        return client.broadcast(assemble(unsigned, [signature]), gaiad_json.tx_to_json(unsigned, [signature]))


def _event_attribute(chain: Any, txhash: str, event_type: str, key: str) -> str:
    tx = chain.query("tx", txhash)
    for event in tx.get("events", []):
        if event.get("type") == event_type:
            for attribute in event.get("attributes", []):
                if attribute.get("key") == key:
                    return str(attribute["value"])
    raise AssertionError(f"tx {txhash} has no {event_type}.{key} event")


def test_engine_signed_txs_are_accepted_in_both_sign_modes(devnet_factory: Any) -> None:
    chain = devnet_factory(seed=False)
    user, val_a = chain.user, chain.validator_a

    # Gov v1 text proposal (direct), then votes: validator A direct, the user in amino JSON.
    proposal = fx.gov.MsgSubmitProposal(proposer=user.address, title="workbench signing test",
                                        summary="signed by the ICS Workbench tx engine", metadata="workbench-test")
    proposal.initial_deposit.add(denom="stake", amount=str(chain.settings.min_deposit))
    submitted = sign_and_broadcast(chain, user, [proposal])
    assert submitted.ok, submitted.summary()
    proposal_id = int(_event_attribute(chain, submitted.txhash, "submit_proposal", "proposal_id"))

    voted = sign_and_broadcast(chain, val_a, [fx.vote(val_a.address, proposal_id)])
    assert voted.ok, voted.summary()
    amino_vote = sign_and_broadcast(chain, user, [fx.vote(user.address, proposal_id)],
                                    mode=SignMode.LEGACY_AMINO_JSON, memo="amino <json> & escaping")
    assert amino_vote.ok, amino_vote.summary()
    votes = chain.query("gov", "votes", str(proposal_id))["votes"]
    assert {v["voter"] for v in votes} == {val_a.address, user.address}

    # Amino JSON with nested Anys and Dec strings: a proposal wrapping a legacy TextProposal, a deposit and a
    # weighted vote on it.
    text = gov_beta.TextProposal(title="legacy text", description="wrapped in MsgExecLegacyContent")
    legacy = fx.gov.MsgSubmitProposal(
        messages=[registry.pack(fx.gov.MsgExecLegacyContent(content=registry.pack(text), authority=chain.gov_address))],
        proposer=user.address, title="legacy text", summary="amino JSON with nested Anys", metadata="m")
    legacy.initial_deposit.add(denom="stake", amount=str(chain.settings.min_deposit - 100_000))
    legacy_submitted = sign_and_broadcast(chain, user, [legacy], mode=SignMode.LEGACY_AMINO_JSON)
    assert legacy_submitted.ok, legacy_submitted.summary()
    legacy_id = int(_event_attribute(chain, legacy_submitted.txhash, "submit_proposal", "proposal_id"))
    deposit = fx.gov.MsgDeposit(proposal_id=legacy_id, depositor=user.address)
    deposit.amount.add(denom="stake", amount="100000")  # the chain refuses deposits under 1% of min_deposit
    deposited = sign_and_broadcast(chain, user, [deposit], mode=SignMode.LEGACY_AMINO_JSON)
    assert deposited.ok, deposited.summary()
    weighted = fx.gov.MsgVoteWeighted(proposal_id=legacy_id, voter=user.address)
    weighted.options.add(option=fx.gov_types.VOTE_OPTION_YES, weight="0.700000000000000000")
    weighted.options.add(option=fx.gov_types.VOTE_OPTION_ABSTAIN, weight="0.300000000000000000")
    weighted_voted = sign_and_broadcast(chain, user, [weighted], mode=SignMode.LEGACY_AMINO_JSON)
    assert weighted_voted.ok, weighted_voted.summary()

    # Amino JSON bank send.
    sent = sign_and_broadcast(chain, user, [fx.send(user.address, chain.validator_b.address)],
                              mode=SignMode.LEGACY_AMINO_JSON)
    assert sent.ok, sent.summary()

    # ICS in LEGACY_AMINO_JSON (typed by their URL, as the SDK does): create a consumer, opt validator A in, assign
    # its consumer key, set its commission; then the same kinds in direct mode on the second consumer.
    amino_mode = SignMode.LEGACY_AMINO_JSON
    consumer_ids = []
    for index, mode in enumerate((amino_mode, SignMode.DIRECT)):
        create = ics.MsgCreateConsumer(submitter=user.address, chain_id=f"signing{index}-1")
        create.metadata.name = "signing"
        create.metadata.description = f"created by the workbench tx engine in {mode.label}"
        create.metadata.metadata = "{}"
        create.infraction_parameters.double_sign.jail_duration.seconds = amino.MAX_DURATION_SECONDS
        create.infraction_parameters.double_sign.slash_fraction = b"50000000000000000"  # LegacyDec bytes: 0.05
        create.infraction_parameters.double_sign.tombstone = True
        create.infraction_parameters.downtime.slash_fraction = b"100000000000000"
        create.infraction_parameters.downtime.jail_duration.seconds = 600
        created = sign_and_broadcast(chain, user, [create], mode=mode)
        assert created.ok, created.summary()
        consumer_ids.append(_event_attribute(chain, created.txhash, "create_consumer", "consumer_id"))
    consumer_id = consumer_ids[0]

    opt_in = ics.MsgOptIn(provider_addr=val_a.valoper, signer=val_a.address, consumer_id=consumer_id)
    opted = sign_and_broadcast(chain, val_a, [opt_in], mode=amino_mode, memo="opt in <amino>")
    assert opted.ok, opted.summary()
    answer = httpx.get(f"{chain.rest_url}/interchain_security/ccv/provider/opted_in_validators/{consumer_id}",
                       timeout=10).json()
    assert val_a.valcons in answer["validators_provider_addresses"]
    opted_direct = sign_and_broadcast(chain, val_a, [ics.MsgOptIn(provider_addr=val_a.valoper, signer=val_a.address,
                                                                  consumer_id=consumer_ids[1])])
    assert opted_direct.ok, opted_direct.summary()

    consumer_key = '{"@type":"/cosmos.crypto.ed25519.PubKey","key":"Ui5Gf1+mtWUdH8u3xlmzdKID+F3PK0sfXZ73GZ6q6is="}'
    assigned = sign_and_broadcast(chain, val_a, [ics.MsgAssignConsumerKey(
        provider_addr=val_a.valoper, consumer_key=consumer_key, signer=val_a.address, consumer_id=consumer_id)],
        mode=amino_mode)
    assert assigned.ok, assigned.summary()
    answer = httpx.get(f"{chain.rest_url}/interchain_security/ccv/provider/validator_consumer_addr/{consumer_id}/"
                       f"{val_a.valcons}", timeout=10).json()
    key_bytes = base64.b64decode(json.loads(consumer_key)["key"])
    assert answer["consumer_address"] == addresses.encode_address(hashlib.sha256(key_bytes).digest()[:20],
                                                                  "cosmosvalcons")

    # A LegacyDec field built from gaiad-style JSON ("0.05") goes on the wire as scaled digits; the chain reads 5%.
    for mode, rate_text, cid in ((amino_mode, "0.05", consumer_id), (SignMode.DIRECT, "0.07", consumer_ids[1])):
        rate = registry.from_proto_json({"@type": "/interchain_security.ccv.provider.v1.MsgSetConsumerCommissionRate",
                                         "provider_addr": val_a.valoper, "rate": rate_text, "signer": val_a.address,
                                         "consumer_id": cid})
        rated = sign_and_broadcast(chain, val_a, [rate], mode=mode)
        assert rated.ok, rated.summary()
        answer = httpx.get(f"{chain.rest_url}/interchain_security/ccv/provider/consumer_commission_rate/"
                           f"{cid}/{val_a.valcons}", timeout=10).json()
        assert answer["rate"] == f"{rate_text}0000000000000000"


def _included(chain: Any, txhash: str) -> dict[str, Any]:
    chain.wait_for(lambda: chain._tx_included(txhash), f"tx {txhash} to be included", 30)
    return chain.query("tx", txhash)


def test_gaiad_json_both_ways_and_a_2_of_3_multisig(devnet_factory: Any) -> None:
    chain = devnet_factory(seed=False)
    user = chain.user

    # The binary's own --generate-only JSON: we parse it, declare our signer, sign, and the binary's
    # `tx validate-signatures` and `tx broadcast` accept the signed JSON we write.
    generated = chain.cli("tx", "bank", "send", user.address, chain.validator_b.address, "7stake",
                          "--generate-only", "--chain-id", chain.chain_id, "--node", chain.node_address,
                          "--fees", "300stake", "--gas", "200000", "--note", "from gaiad JSON")
    unsigned, signatures = gaiad_json.tx_from_json(json.loads(generated.stdout))
    assert signatures == [] and len(unsigned.auth_info.signer_infos) == 0
    assert unsigned.body.memo == "from gaiad JSON" and unsigned.auth_info.fee.gas_limit == 200_000
    key = signer_for(user)
    data = signer_data_for(chain, user.address)
    declared = attach_signers(unsigned, [SignerSpec(key.public_key(), data.sequence, SignMode.LEGACY_AMINO_JSON)])
    signature = sign(declared, key, data)
    path = chain.write_json("signed.json", gaiad_json.tx_to_json(declared, [signature]))
    checked = chain.cli("tx", "validate-signatures", str(path), "--chain-id", chain.chain_id,
                        "--node", chain.node_address)
    assert "[OK]" in checked.stdout + checked.stderr and "ERR" not in checked.stdout + checked.stderr
    sent = json.loads(chain.cli("tx", "broadcast", str(path), "--node", chain.node_address,
                                "--broadcast-mode", "sync", "--output", "json").stdout)
    assert int(sent.get("code", 0)) == 0, sent
    assert int(_included(chain, sent["txhash"])["code"]) == 0

    # An ICS message with LegacyDec bytes and Durations, signed in DIRECT mode and broadcast as our gaiad JSON by
    # the binary: it re-encodes the body from our JSON, so the signature only verifies if both JSON forms agree.
    create = registry.from_proto_json({
        "@type": "/interchain_security.ccv.provider.v1.MsgCreateConsumer", "submitter": user.address,
        "chain_id": "json-1", "metadata": {"name": "json", "description": "via gaiad JSON", "metadata": "{}"},
        "infraction_parameters": {
            "double_sign": {"slash_fraction": "0.05", "jail_duration": "9223372036.854775807s", "tombstone": True},
            "downtime": {"slash_fraction": "0.0001", "jail_duration": "600s", "tombstone": False}}})
    data = signer_data_for(chain, user.address)
    declared = build_unsigned_tx([create], signers=[SignerSpec(key.public_key(), data.sequence)],
                                 fee=Fee.of("1000stake", 400_000))
    path = chain.write_json("create.json", gaiad_json.tx_to_json(declared, [sign(declared, key, data)]))
    sent = json.loads(chain.cli("tx", "broadcast", str(path), "--node", chain.node_address,
                                "--broadcast-mode", "sync", "--output", "json").stdout)
    assert int(sent.get("code", 0)) == 0, sent
    included = _included(chain, sent["txhash"])
    assert int(included["code"]) == 0, included.get("raw_log")
    consumer_id = next(a["value"] for e in included["events"] if e["type"] == "create_consumer"
                       for a in e["attributes"] if a["key"] == "consumer_id")
    stored = httpx.get(f"{chain.rest_url}/interchain_security/ccv/provider/consumer_chain/{consumer_id}",
                       timeout=10).json()["infraction_parameters"]
    assert stored["double_sign"]["slash_fraction"] == "0.050000000000000000"
    assert stored["downtime"]["slash_fraction"] == "0.000100000000000000"
    assert stored["downtime"]["jail_duration"] == "600s"

    # 2-of-3 legacy amino multisig: fund it, then two of three keys sign (1) a consumer creation, (2) an update of
    # that consumer (the multisig owns it) with a send back; the chain accepts both.
    members = [PrivateKeySigner(bytes([0x40 + i]) * 32) for i in range(3)]
    spec = MultisigSpec(2, tuple(m.public_key() for m in members))
    ms_address = multisig.multisig_address(spec, "cosmos")
    funding = fx.send(user.address, ms_address)
    funding.amount[0].amount = "100000"
    funded = sign_and_broadcast(chain, user, [funding])
    assert funded.ok, funded.summary()

    def multisig_broadcast(messages: list[Any], signers: tuple[int, int]) -> TxResult:
        ms_data = signer_data_for(chain, ms_address)
        utx = build_unsigned_tx(messages, signers=[SignerSpec(multisig=spec, sequence=ms_data.sequence)],
                                fee=Fee.of("2000stake", 600_000))
        parts = dict(multisig.sign_part(utx, members[i], ms_data) for i in signers)
        final, combined = multisig.combine(utx, parts, ms_data)
        with Broadcaster(chain.rest_url, inclusion_timeout=30.0, poll_interval=0.3) as client:
            return client.broadcast(assemble(final, [combined]), gaiad_json.tx_to_json(final, [combined]))

    create = ics.MsgCreateConsumer(submitter=ms_address, chain_id="multisig-1")
    create.metadata.name = "multisig"
    create.metadata.description = "created by a 2-of-3 amino multisig"
    create.metadata.metadata = "{}"
    created = multisig_broadcast([create], (2, 0))
    assert created.ok, created.summary()
    ms_consumer = _event_attribute(chain, created.txhash, "create_consumer", "consumer_id")
    update = ics.MsgUpdateConsumer(owner=ms_address, consumer_id=ms_consumer)
    update.metadata.name = "multisig renamed"
    update.metadata.description = "updated by a 2-of-3 amino multisig"
    update.metadata.metadata = "{}"
    send_back = fx.send(ms_address, user.address)
    send_back.amount[0].amount = "100"
    result = multisig_broadcast([update, send_back], (0, 1))
    assert result.ok, result.summary()
    stored = httpx.get(f"{chain.rest_url}/interchain_security/ccv/provider/consumer_chain/{ms_consumer}",
                       timeout=10).json()
    assert stored["metadata"]["name"] == "multisig renamed" and stored["owner_address"] == ms_address
