"""The transaction engine: bytes, sign bytes, signing rules, verification, tx matching, gaiad JSON, fees."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from ics_workbench.errors import WorkbenchError
from ics_workbench.signing import fees, gaiad_json, verify
from ics_workbench.signing.secp256k1 import CURVE_ORDER, PrivateKeySigner, sign_secp256k1, verify_secp256k1
from ics_workbench.signing.sign_modes import SignModeUnavailable, mode_support
from ics_workbench.signing.tx import (
    SignerData,
    SignMode,
    TxError,
    assemble,
    decode_tx_raw,
    sign,
    tx_pb2,
)
from tests.signing import _txfixtures as fx


def test_rfc6979_vector_and_low_s() -> None:
    # Widely published secp256k1/SHA-256 RFC 6979 vector: key 1, message "Satoshi Nakamoto".
    sig = sign_secp256k1((1).to_bytes(32, "big"), b"Satoshi Nakamoto")
    assert sig.hex() == ("934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
                         "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5")
    for i in range(40):  # every signature is low-S, and a high-S twin is refused by the verifier
        msg = f"message {i}".encode()
        s = sign_secp256k1(bytes.fromhex(fx.KEY_HEX[0]), msg)
        s_value = int.from_bytes(s[32:], "big")
        assert s_value <= CURVE_ORDER // 2
        high = s[:32] + (CURVE_ORDER - s_value).to_bytes(32, "big")
        assert verify_secp256k1(fx.signer(0).public_key(), msg, s)
        assert not verify_secp256k1(fx.signer(0).public_key(), msg, high)


def test_private_key_never_shows_in_repr_or_pickle() -> None:
    key = fx.signer(0)
    assert fx.KEY_HEX[0] not in repr(key) and fx.KEY_HEX[0] not in str(key)
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(key)


def test_direct_signature_round_trip_through_tx_raw() -> None:
    utx = fx.unsigned([fx.vote(fx.address(0)), fx.opt_in(fx.address(0))], memo="hello", sequence=7)
    signature = sign(utx, fx.signer(0), fx.CHAIN)
    decoded, sigs = decode_tx_raw(assemble(utx, [signature]))
    assert decoded == utx and sigs == [signature]
    (check,) = verify.verify_signatures(decoded, sigs, [fx.CHAIN], prefix="cosmos")
    assert check.ok and check.address == fx.address(0) and check.mode == "SIGN_MODE_DIRECT"
    # Same bytes, other account number: the signature no longer verifies.
    (bad,) = verify.verify_signatures(decoded, sigs, [SignerData("provider", 13, 7)], prefix="cosmos")
    assert not bad.ok and "does NOT verify" in bad.detail


def test_signing_refuses_wrong_key_sequence_or_mode() -> None:
    utx = fx.unsigned([fx.vote(fx.address(0))])
    with pytest.raises(TxError, match="public key does not match"):
        sign(utx, fx.signer(1), fx.CHAIN)
    with pytest.raises(TxError, match="sequence 7.*says 8"):
        sign(utx, fx.signer(0), SignerData("provider", 12, 8))
    with pytest.raises(TxError, match="declared with SIGN_MODE_DIRECT"):
        sign(utx, fx.signer(0), fx.CHAIN, SignMode.LEGACY_AMINO_JSON)


def test_amino_signs_ics_messages_and_is_refused_only_for_what_the_chain_refuses() -> None:
    support = mode_support([fx.vote(fx.address(0)), fx.opt_in(fx.address(0))])
    assert support[SignMode.DIRECT].ok and support[SignMode.LEGACY_AMINO_JSON].ok
    utx = fx.unsigned([fx.opt_in(fx.address(0))], SignMode.LEGACY_AMINO_JSON)
    signature = sign(utx, fx.signer(0), fx.CHAIN)
    (check,) = verify.verify_signatures(utx, [signature], [fx.CHAIN], prefix="cosmos")
    assert check.ok and check.mode == "SIGN_MODE_LEGACY_AMINO_JSON"
    assert b'"type":"/interchain_security.ccv.provider.v1.MsgOptIn"' in utx.sign_bytes(SignMode.LEGACY_AMINO_JSON,
                                                                                       fx.CHAIN)

    from ics_workbench.proto import registry

    create = registry.from_proto_json({
        "@type": "/interchain_security.ccv.provider.v1.MsgCreateConsumer", "submitter": fx.address(0),
        "chain_id": "c-1", "infraction_parameters": {"downtime": {"jail_duration": "9223372036.854775807s"}}})
    proposal = fx.gov.MsgSubmitProposal(messages=[registry.pack(create)], proposer=fx.address(0), title="t")
    amino = mode_support([fx.vote(fx.address(0)), proposal])[SignMode.LEGACY_AMINO_JSON]
    assert not amino.ok
    assert "message 2" in amino.reason and "overflows int64 nanoseconds" in amino.reason
    with pytest.raises(SignModeUnavailable, match="overflows int64"):
        fx.unsigned([create], SignMode.LEGACY_AMINO_JSON)


def test_differences_spot_a_changed_message_fee_or_sequence() -> None:
    exported = fx.unsigned([fx.vote(fx.address(0), 3)])
    assert verify.differences(exported, fx.unsigned([fx.vote(fx.address(0), 3)])) == []
    assert verify.differences(exported, fx.unsigned([fx.vote(fx.address(0), 4)])) == ["message(s) [1] differ"]
    assert verify.differences(exported, fx.unsigned([fx.vote(fx.address(0), 3)], fee="2501stake")) == [
        "the fee differs (amount, gas limit, payer or granter)"]
    assert verify.differences(exported, fx.unsigned([fx.vote(fx.address(0), 3)], sequence=8)) == [
        "signer 0: sequence differs (7 vs 8)"]
    assert "memo differs" in verify.differences(exported, fx.unsigned([fx.vote(fx.address(0), 3)], memo="x"))[0]


def test_gaiad_json_round_trip_keeps_exact_bytes_and_signature() -> None:
    utx = fx.unsigned([fx.vote(fx.address(0)), fx.opt_in(fx.address(0))], memo="m")
    signature = sign(utx, fx.signer(0), fx.CHAIN)
    doc = gaiad_json.tx_to_json(utx, [signature])
    text = json.dumps(doc)
    assert doc["body"]["messages"][0]["@type"] == "/cosmos.gov.v1.MsgVote"
    assert doc["body"]["messages"][0]["option"] == "VOTE_OPTION_YES"
    assert doc["auth_info"]["fee"]["gas_limit"] == "200000" and doc["auth_info"]["tip"] is None
    assert doc["auth_info"]["signer_infos"][0]["mode_info"] == {"single": {"mode": "SIGN_MODE_DIRECT"}}
    assert "unordered" not in doc["body"]  # a v0.50 gaiad would refuse the unknown field
    again, sigs = gaiad_json.tx_from_json(json.loads(text))
    assert again.body_bytes == utx.body_bytes and again.auth_info_bytes == utx.auth_info_bytes
    assert sigs == [signature]
    assert gaiad_json.tx_to_json(utx)["signatures"] == []


def test_gaiad_json_bad_input_is_precise() -> None:
    with pytest.raises(WorkbenchError, match='"body" and "auth_info"'):
        gaiad_json.tx_from_json({"body": []})
    doc = gaiad_json.tx_to_json(fx.unsigned([fx.vote(fx.address(0))]))
    doc["body"]["messages"][0]["optoin"] = 1
    with pytest.raises(WorkbenchError, match="optoin"):
        gaiad_json.tx_from_json(doc)
    doc = gaiad_json.tx_to_json(fx.unsigned([fx.vote(fx.address(0))]))
    doc["signatures"] = ["not base64!"]
    with pytest.raises(WorkbenchError, match=r"signatures\[0\]"):
        gaiad_json.tx_from_json(doc)


def test_fee_estimate_rounds_up_and_records_provenance() -> None:
    price = fees.GasPrice.parse("0.0025stake")
    est = fees.estimate(price, simulated_gas=100_001, adjustment="1.5")
    assert est.gas_limit == 150_002  # ceil(100001 * 1.5)
    assert est.fee.amount[0].amount == 376  # ceil(150002 * 0.0025) = ceil(375.005)
    assert est.describe() == "simulated 100001 gas x 1.5 = 150002 gas limit; x 0.0025stake = 376stake"
    assert est.to_json()["adjustment"] == "1.5"
    manual = fees.estimate(price, gas_limit=200_000)
    assert manual.simulated_gas is None and manual.fee.amount[0].amount == 500
    with pytest.raises(WorkbenchError, match="adjustment must be >= 1"):
        fees.estimate(price, simulated_gas=10, adjustment=Decimal("0.9"))
    with pytest.raises(WorkbenchError, match="0.005uatom"):
        fees.GasPrice.parse("cheap")


class _SimulateHandler(BaseHTTPRequestHandler):
    seen: list[dict[str, object]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _SimulateHandler.seen.append(body)
        raw = tx_pb2.TxRaw()
        raw.ParseFromString(base64.b64decode(body["tx_bytes"]))
        if self.path != "/cosmos/tx/v1beta1/simulate" or raw.signatures != [b""]:
            answer, status = {"code": 3, "message": "bad simulate request"}, 400
        else:
            answer, status = {"gas_info": {"gas_wanted": "0", "gas_used": "81234"}, "result": {}}, 200
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def node_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _SimulateHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_simulate_posts_the_tx_with_empty_signatures_and_reads_gas(node_url: str) -> None:
    from ics_workbench.signing.tx import SignerSpec

    spec = [SignerSpec(fx.signer(0).public_key(), 7)]
    tx_bytes = fees.simulation_tx_bytes([fx.vote(fx.address(0))], spec, fee_denom="uatom")
    assert fees.simulate(node_url, tx_bytes) == 81234
    raw = tx_pb2.TxRaw()
    raw.ParseFromString(base64.b64decode(_SimulateHandler.seen[-1]["tx_bytes"]))
    assert raw.body_bytes == fx.unsigned([fx.vote(fx.address(0))]).body_bytes
    auth_info = tx_pb2.AuthInfo()
    auth_info.ParseFromString(raw.auth_info_bytes)
    # a non-zero fee, so the node also charges the gas of deducting it
    assert [(c.denom, c.amount) for c in auth_info.fee.amount] == [("uatom", "1")]
    bad = tx_pb2.TxRaw(body_bytes=raw.body_bytes, auth_info_bytes=raw.auth_info_bytes).SerializeToString()
    with pytest.raises(TxError, match="simulation failed \\(HTTP 400\\): bad simulate request"):
        fees.simulate(node_url, bad)


def test_private_key_signer_rejects_out_of_range_keys() -> None:
    with pytest.raises(WorkbenchError, match="outside the secp256k1 range"):
        PrivateKeySigner(b"\x00" * 32)
    with pytest.raises(WorkbenchError, match="32 bytes"):
        PrivateKeySigner(b"\x01" * 31)
