# mypy: disable-error-code="misc"
# (a mixin's methods are typed `self: FileTab`; mypy flags a self type narrower than the mixin as [misc])
"""Carrying a signing file across the air gap: QR frames (images, camera, display) and Keystone/Keplr UR.

Every route ends in ``FileTab.set_file`` with a file parsed from bytes under the core's limits, so what arrives
by QR or from a device is reviewed exactly like a file opened from disk. ``FileTab`` inherits these methods.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from ics_workbench.errors import WorkbenchError
from ics_workbench.fileio import parse_json_input, read_input, write_bytes_atomic
from ics_workbench.gui import file_dialogs
from ics_workbench.gui.panels.signing.file_facts import state_text
from ics_workbench.gui.panels.signing.qr_dialog import QrFramesDialog, render_frames
from ics_workbench.gui.panels.signing.ur_dialog import URFramesDialog
from ics_workbench.gui.untrusted import set_plain_text
from ics_workbench.gui.widgets.camera_scan import CameraScanDialog
from ics_workbench.signing.offline_file import parse_document
from ics_workbench.signing.qr import QrAssembler, decode_png_frames
from ics_workbench.signing.qr_limits import MAX_IMAGE_FILE_BYTES, open_frame_image

if TYPE_CHECKING:
    from ics_workbench.gui.panels.signing.file_tab import FileTab


class AirGapTransfer:
    """QR and UR import/export for ``FileTab`` (mixed in; the state lives on the tab)."""

    def _choose_qr_images(self: FileTab) -> None:
        images = file_dialogs.open_files(self, "Open QR frame images", "qr", "PNG images (*.png)")
        if images:
            self.import_qr_images(images)

    def import_qr_images(self: FileTab, images: list[Path], output: Path | None = None) -> None:
        """Rebuild a signing file from frame images (any order, repeats fine) and go straight to its review;
        saving is optional (Save as…), or ``output`` when given."""
        self._clear_messages()
        try:
            assembler = QrAssembler()
            datas = [read_input(p, max_bytes=MAX_IMAGE_FILE_BYTES) for p in images]  # bounded, regular files
            for image_path, data in zip(images, datas, strict=True):
                open_frame_image(data, str(image_path))  # pixel and bomb limits, naming the file
            for text in decode_png_frames(datas):
                assembler.add(text)
            payload = assembler.payload()
            file = parse_document(parse_json_input(payload, "the QR payload"))
            if output is not None:
                write_bytes_atomic(output, payload)
        except (OSError, ValueError) as exc:
            self._fail(f"cannot use these QR images: {exc}")
            return
        except WorkbenchError as exc:
            self._fail(str(exc))
            return
        self.set_file(file, output)
        where = f"into {output}" if output is not None else "— review it; “Save as…” keeps a copy (optional)"
        set_plain_text(self.result_label, f"rebuilt from {assembler.progress[1]} QR frame(s) {where}")

    def _scan_with_camera(self: FileTab) -> None:
        """Camera route: frames decoded off the GUI thread, each new QR text to the same assembler as images."""
        assembler = QrAssembler()
        dialog = CameraScanDialog(lambda text: self._camera_text(assembler, dialog, text), self)
        dialog.accepted.connect(lambda: self._camera_done(assembler))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @staticmethod
    def _camera_text(assembler: QrAssembler, dialog: CameraScanDialog, text: str) -> str:
        assembler.add(text)
        done, total = assembler.progress
        if not assembler.missing:
            dialog.finish()
        return f"{done} of {total} QR frames read"

    def _camera_done(self: FileTab, assembler: QrAssembler) -> None:
        """Scanned frames go straight to the review; saving is optional (Save as…)."""
        self._clear_messages()
        try:
            payload = assembler.payload()
            file = parse_document(json.loads(payload))
        except (OSError, ValueError) as exc:
            self._fail(f"cannot use the scanned QR frames: {exc}")
            return
        except WorkbenchError as exc:
            self._fail(str(exc))
            return
        self.set_file(file, None)
        set_plain_text(self.result_label, f"scanned {assembler.progress[1]} QR frame(s) — review it; “Save as…” "
                                          "keeps a copy (optional)")

    def show_qr(self: FileTab) -> None:
        """Render the frames on a worker (a 35 KB file is dozens of QR codes), then open the dialog."""
        if self.file is None:
            return
        payload = self.path.read_bytes() if self.path is not None and self.path.is_file() else json.dumps(
            self.file.to_json(), indent=2).encode()
        title = f"{state_text(self.file.state).capitalize()} signing file as QR codes"
        self.qr_button.setEnabled(False)

        def done(rendered: tuple[list, list, list]) -> None:
            self.qr_button.setEnabled(self.file is not None)
            dialog = QrFramesDialog(payload, title, self, rendered=rendered)
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()
            self.sig_qr_shown.emit(dialog)

        def failed(message: str, error: BaseException) -> None:
            self.qr_button.setEnabled(self.file is not None)
            self._fail(message, error)

        self.context.runtime.run(lambda job: render_frames(payload), on_success=done, on_failure=failed,
                                 progress_label="drawing QR codes", latest=self._latest_qr)

    def show_ur(self: FileTab, xfp: str | None = None) -> URFramesDialog | None:
        """The request as a Keystone cosmos-sign-request (`xfp`: the device's master fingerprint, if known)."""
        if self.file is None:
            return None
        from ics_workbench.signing.ur import keystone

        self._clear_messages()
        try:
            ur = keystone.sign_request(self.file, xfp=xfp)
        except WorkbenchError as exc:
            self._fail(str(exc))
            return None
        dialog = URFramesDialog(ur, self.file.sign_bytes_sha256(), self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _choose_ur_answer(self: FileTab) -> None:
        paths = file_dialogs.open_files(self, "The device's answer (QR images or ur: text)", "qr",
                                        "QR images or UR text (*.png *.jpg *.jpeg *.txt)")
        if paths:
            self.attach_ur_answer(paths)

    def attach_ur_answer(self: FileTab, paths: list[Path]) -> None:
        """Attach a cosmos-signature to the open request after every check; the result replaces the open file
        (not yet saved: the user saves it like any signed file)."""
        if self.file is None:
            return
        from ics_workbench.signing.ur import codec, keystone

        self._clear_messages()
        try:
            texts: list[str] = []
            for path in paths:
                data = path.read_bytes()
                if path.suffix.lower() == ".txt" or data[:3].lower() == b"ur:":
                    texts += [line.strip() for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
                else:
                    texts += decode_png_frames([data])
            signed = keystone.attach_signature(self.file, codec.decode(texts, expected_type=keystone.SIGNATURE))
        except OSError as exc:
            self._fail(f"cannot read the device's answer: {exc}")
            return
        except WorkbenchError as exc:
            self._fail(str(exc))
            return
        self.set_file(signed, None)
        set_plain_text(self.result_label, f"device signature attached and verified: {signed.state}; save the file")
