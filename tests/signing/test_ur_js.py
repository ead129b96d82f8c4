"""UR interop against the npm reference packages (tests/js/ur_crosscheck.mjs): `@ngraveio/bc-ur` and
`@keystonehq/bc-ur-registry-cosmos` decode the app's animated cosmos-sign-request to the same fields, the app
decodes and attaches a cosmos-signature they encode, and both fountain encoders emit identical parts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ics_workbench.signing import offline_file
from ics_workbench.signing.secp256k1 import PrivateKeySigner
from ics_workbench.signing.tx import MultisigSpec, SignMode
from ics_workbench.signing.ur import codec, keystone
from tests.signing.offline_helpers import multisig_vote_request, vote_request

JS_DIR = Path(__file__).resolve().parents[1] / "js"
KEY = PrivateKeySigner(bytes.fromhex("1f" * 32))


def _run(payload: dict[str, Any]) -> dict[str, Any]:
    if shutil.which("node") is None or not (JS_DIR / "node_modules" / "@ngraveio" / "bc-ur").is_dir():
        pytest.fail("the UR reference packages are not installed: run `make js-deps` (npm ci in tests/js)")
    proc = subprocess.run(["node", "ur_crosscheck.mjs"], cwd=JS_DIR, input=json.dumps(payload),
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout)
    for section in out.values():
        for item in section:
            assert "error" not in item, item["error"]
    return out


def test_reference_packages_decode_the_apps_requests_to_the_same_fields() -> None:
    files = [vote_request(KEY.public_key(), mode=SignMode.LEGACY_AMINO_JSON, memo="amino <&> " + "x" * 240),
             vote_request(KEY.public_key())]
    requests, expected = [], []
    for file, xfp, path in zip(files, ["f23f9fd2", None], ["m/44'/118'/0'/0/0", "m/44'/118'/3'/0/7"], strict=True):
        encoder = codec.UREncoder(keystone.sign_request(file, xfp=xfp, hd_path=path), max_fragment=90)
        n = encoder.fountain.seq_len
        parts = encoder.parts(3 * n)
        if n > 2:
            parts = parts[2:]  # the scanner missed the first pure parts: mixed parts must make up for them
        requests.append({"parts": parts})
        expected.append({"type": "cosmos-sign-request", "request_id": keystone.request_id(file.sign_bytes()).hex(),
                         "sign_data": file.sign_bytes().hex(),
                         "data_type": 1 if file.sign_mode is SignMode.LEGACY_AMINO_JSON else 2,
                         "paths": [{"path": path[2:], "xfp": xfp}], "addresses": [file.address],
                         "origin": "ICS Workbench"})
    assert codec.UREncoder(keystone.sign_request(files[0]), max_fragment=90).fountain.seq_len > 5
    decoded = _run({"requests": requests})["requests"]
    for got, want in zip(decoded, expected, strict=True):
        got.pop("used")
        assert got == want


def test_a_signature_encoded_by_the_reference_packages_is_attached() -> None:
    request = vote_request(KEY.public_key(), mode=SignMode.LEGACY_AMINO_JSON)
    third = PrivateKeySigner(bytes.fromhex("3d" * 32))
    other = PrivateKeySigner(bytes.fromhex("2e" * 32))
    spec = MultisigSpec(2, (KEY.public_key(), other.public_key(), third.public_key()))
    multi = multisig_vote_request(spec)
    sigs = [
        {"request_id": keystone.request_id(request.sign_bytes()).hex(),
         "signature": KEY.sign(request.sign_bytes()).hex(), "public_key": KEY.public_key().hex()},
        {"request_id": keystone.request_id(multi.sign_bytes()).hex(),
         "signature": third.sign(multi.sign_bytes()).hex(), "public_key": third.public_key().hex()},
    ]
    single, member = _run({"signatures": sigs})["signatures"]
    assert single["fragments"] > 1
    signed = keystone.attach_signature(request, codec.decode([single["single"]], expected_type="cosmos-signature"))
    assert signed.state == "signed"
    offline_file.verify(signed, request)
    # the animated form, in reverse order and without its first pure part
    animated = codec.decode(single["parts"][::-1][:-1], expected_type="cosmos-signature")
    assert keystone.attach_signature(request, animated).tx_bytes == signed.tx_bytes
    partial = keystone.attach_signature(multi, codec.decode([member["single"]]))
    assert partial.partial_signatures[0][0] == 2


def test_both_fountain_encoders_emit_identical_parts() -> None:
    cases = [{"message_hex": os.urandom(size).hex(), "type": "bytes", "max_fragment": frag, "parts": parts}
             for size, frag, parts in ((777, 60, 40), (5000, 200, 60), (31, 10, 20), (1, 10, 3))]
    results = _run({"fountains": cases})["fountains"]
    for case, result in zip(cases, results, strict=True):
        ours = codec.UREncoder(codec.UR("bytes", bytes.fromhex(case["message_hex"])),
                               max_fragment=case["max_fragment"]).parts(case["parts"])
        if len(bytes.fromhex(case["message_hex"])) <= case["max_fragment"]:
            ours = ours[:1]
            result["parts"] = result["parts"][:1]
        assert ours == result["parts"]
