"""`tx ur-export` / `tx ur-import` through the real CLI: the request goes out as Keystone UR QR frames and text,
a device (played here from the scanned frames, with the real key) answers with a cosmos-signature QR image, and
the import attaches it after checking request id, key and signature."""

from __future__ import annotations

from pathlib import Path

from ics_workbench.signing.offline_file import load
from ics_workbench.signing.qr import decode_png_frames, qr_png
from ics_workbench.signing.secp256k1 import PrivateKeySigner
from ics_workbench.signing.ur import codec, keystone

from tests.signing.test_offline_cli import PRIVATE_KEY, cli, env, make_request  # noqa: F401 - env is a fixture


def test_ur_export_then_a_device_answer_imported_from_a_qr_image(env: dict[str, str], tmp_path: Path) -> None:
    request = make_request(env, tmp_path)
    out = cli(env, "tx", "ur-export", str(request), str(tmp_path / "ur"), "--xfp", "F23F9FD2")
    assert out.returncode == 0, out.stderr
    assert "cosmos-sign-request" in out.stdout and load(request).sign_bytes_sha256() in out.stdout
    frames = sorted((tmp_path / "ur").glob("ur-*.png"))
    texts = decode_png_frames([p.read_bytes() for p in frames[::-1]])
    assert all(t.startswith("UR:COSMOS-SIGN-REQUEST/") for t in texts)
    assert (tmp_path / "ur" / "request.ur.txt").read_text().split() == [t.lower() for t in texts[::-1]]

    # the device: reads the request, signs its sign data with the key at the path, answers
    scanned = keystone.parse_sign_request(codec.decode(texts))
    signer = PrivateKeySigner(PRIVATE_KEY)
    answer = keystone.SignatureAnswer(scanned.request_id, signer.sign(scanned.sign_data), signer.public_key())
    (tmp_path / "answer.png").write_bytes(qr_png(codec.encode_single(keystone.signature_ur(answer)).upper()))

    imported = cli(env, "tx", "ur-import", str(request), str(tmp_path / "answer.png"), "-o", str(tmp_path / "s.json"))
    assert imported.returncode == 0, imported.stderr
    assert load(tmp_path / "s.json").state == "signed"
    assert cli(env, "tx", "verify", str(tmp_path / "s.json"), "--request", str(request)).returncode == 0

    # an answer to another request is refused in one line, and nothing is written
    wrong = keystone.SignatureAnswer(bytes(16), answer.signature, answer.public_key)
    (tmp_path / "wrong.txt").write_text(codec.encode_single(keystone.signature_ur(wrong)) + "\n")
    refused = cli(env, "tx", "ur-import", str(request), str(tmp_path / "wrong.txt"), "-o", str(tmp_path / "w.json"))
    assert refused.returncode != 0 and "answers another request" in refused.stderr
    assert "Traceback" not in refused.stderr and not (tmp_path / "w.json").exists()
