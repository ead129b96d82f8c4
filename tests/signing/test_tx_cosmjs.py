"""Cross-check with an independent implementation: cosmjs decodes our TxRaw, verifies our signatures in both sign
modes, derives the same address, rebuilds the same sign bytes and, for the same key, signs byte-identically."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ics_workbench import addresses
from ics_workbench.signing.tx import SignMode, assemble, sign
from tests.signing import _txfixtures as fx

JS_DIR = Path(__file__).resolve().parents[1] / "js"


def _run_cosmjs(cases: list[dict[str, object]]) -> list[dict[str, object]]:
    if shutil.which("node") is None or not (JS_DIR / "node_modules" / "@cosmjs" / "amino").is_dir():
        pytest.fail("cosmjs is not installed: run `make js-deps` (npm ci in tests/js)")
    proc = subprocess.run(["node", "crosscheck.mjs"], cwd=JS_DIR, input=json.dumps({"cases": cases}),
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)["results"]
    for r in results:
        assert "error" not in r, r.get("error")
    return results


def _case(messages: list[object], mode: SignMode, i: int, memo: str, prefix: str = "cosmos") -> tuple[dict, object]:
    utx = fx.unsigned(messages, mode, i=i, memo=memo)
    signature = sign(utx, fx.signer(i), fx.CHAIN)
    case = {"mode": "direct" if mode is SignMode.DIRECT else "amino", "prefix": prefix,
            "tx_raw_b64": base64.b64encode(assemble(utx, [signature])).decode(), "chain_id": fx.CHAIN.chain_id,
            "account_number": str(fx.CHAIN.account_number), "private_key_hex": fx.KEY_HEX[i]}
    if mode is SignMode.LEGACY_AMINO_JSON:
        case["amino_sign_doc"] = utx.amino_sign_doc(fx.CHAIN)
    return case, (utx, signature)


def test_cosmjs_verifies_direct_and_amino_signatures_and_signs_identically() -> None:
    tricky_memo = "fees <5 & >1 — ünïcödé ✓"
    built = [
        _case([fx.vote(fx.address(0)), fx.opt_in(fx.address(0))], SignMode.DIRECT, 0, "direct"),
        _case([fx.vote(fx.address(1))], SignMode.LEGACY_AMINO_JSON, 1, tricky_memo),
        _case([fx.send(fx.address(2), fx.address(0)), fx.vote(fx.address(2), 9)], SignMode.LEGACY_AMINO_JSON, 2, ""),
        _case([fx.opt_in(fx.address(2))], SignMode.DIRECT, 2, tricky_memo, prefix="neutron"),
    ]
    results = _run_cosmjs([case for case, _ in built])
    for (case, (utx, signature)), result in zip(built, results, strict=True):
        mode = SignMode.DIRECT if case["mode"] == "direct" else SignMode.LEGACY_AMINO_JSON
        assert result["signature_valid"] is True
        assert result["cosmjs_signature_hex"] == signature.hex()  # RFC 6979 + low-S: byte-identical
        assert base64.b64decode(result["sign_bytes_b64"]) == utx.sign_bytes(mode, fx.CHAIN)
        assert result["address"] == addresses.encode_address(
            addresses.address_bytes_from_public_key(fx.signer(fx.KEY_HEX.index(case["private_key_hex"])).public_key()),
            case["prefix"])
        assert result["type_urls"] == [m.type_url for m in utx.body.messages]
        assert result["memo"] == utx.body.memo
        assert result["fee"] == ["2500stake"] and result["gas_limit"] == "200000"
        assert result["sequence"] == str(fx.CHAIN.sequence) and result["mode"] == int(mode)
        assert result["pubkey_type"] == "/cosmos.crypto.secp256k1.PubKey"


def test_cosmjs_rejects_a_signature_over_other_bytes() -> None:
    case, (utx, signature) = _case([fx.vote(fx.address(0))], SignMode.DIRECT, 0, "")
    case["chain_id"] = "another-chain"  # cosmjs now rebuilds the SignDoc for a different chain id
    del case["private_key_hex"]
    (result,) = _run_cosmjs([case])
    assert result["signature_valid"] is False


def test_cosmjs_derives_the_same_multisig_address() -> None:
    from ics_workbench.signing import multisig
    from ics_workbench.signing.tx import MultisigSpec

    specs = [MultisigSpec(2, tuple(fx.signer(i).public_key() for i in range(3))),
             MultisigSpec(1, (fx.signer(2).public_key(), fx.signer(0).public_key()))]
    cases = [{"mode": "multisig_address", "threshold": s.threshold, "prefix": "cosmos",
              "pubkeys_b64": [base64.b64encode(k).decode() for k in s.public_keys]} for s in specs]
    results = _run_cosmjs(cases)
    assert [r["address"] for r in results] == [multisig.multisig_address(s, "cosmos") for s in specs]
