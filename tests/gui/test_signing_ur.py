"""The signing tab's UR route: the open request shown as an animated cosmos-sign-request that decodes back to
the same sign bytes, and a device's cosmos-signature (a QR image) attached after the checks."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ics_workbench.gui.context import AppContext
from ics_workbench.signing.qr import decode_png_frames, qr_png
from ics_workbench.signing.secp256k1 import PrivateKeySigner
from ics_workbench.signing.tx import SignMode
from ics_workbench.signing.ur import codec, keystone
from tests.gui.test_signing_panel import make_panel
from tests.signing.offline_helpers import vote_request

KEY = PrivateKeySigner(bytes.fromhex("1f" * 32))


def test_request_out_as_ur_and_device_signature_back(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    panel = make_panel(qtbot, context)
    request = vote_request(KEY.public_key(), mode=SignMode.LEGACY_AMINO_JSON)
    request.save(tmp_path / "req.json")
    panel.files.open_file(tmp_path / "req.json")
    assert panel.files.ur_button.isEnabled()
    dialog = panel.files.show_ur(xfp="f23f9fd2")
    assert dialog is not None and not dialog.encoder.single
    shown = [dialog.encoder.part(1)] + [dialog.next_part() for _ in range(dialog.encoder.fountain.seq_len + 3)]
    scanned = keystone.parse_sign_request(codec.decode(shown[2:]))  # missed the first two: mixed parts recover
    assert scanned.sign_data == request.sign_bytes() and scanned.data_type == 1
    assert dialog.text.toPlainText().splitlines()[0] == shown[0]
    dialog.accept()

    answer = keystone.SignatureAnswer(scanned.request_id, KEY.sign(scanned.sign_data), KEY.public_key())
    (tmp_path / "answer.png").write_bytes(qr_png(codec.encode_single(keystone.signature_ur(answer)).upper()))
    assert decode_png_frames([(tmp_path / "answer.png").read_bytes()])[0].startswith("UR:COSMOS-SIGNATURE/")
    panel.files.attach_ur_answer([tmp_path / "answer.png"])
    assert panel.files.file is not None and panel.files.file.state == "signed"
    assert "attached and verified" in panel.files.result_label.text()
    assert not panel.files.ur_button.isEnabled()

    panel.files.open_file(tmp_path / "req.json")
    wrong = keystone.SignatureAnswer(bytes(16), answer.signature, answer.public_key)
    (tmp_path / "wrong.txt").write_text(codec.encode_single(keystone.signature_ur(wrong)))
    panel.files.attach_ur_answer([tmp_path / "wrong.txt"])
    assert "answers another request" in panel.files.error_label.text()
    assert panel.files.file.state == "unsigned"
