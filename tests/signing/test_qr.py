"""QR frames: rendered to PNG by segno, decoded back by zxing-cpp, shuffled, repeated, damaged and mixed."""

from __future__ import annotations

import json
import os
import random

import pytest

from ics_workbench.signing.qr import QrAssembler, QrError, decode_png_frames, frame_png, split_payload


def test_40kb_payload_round_trips_through_png_frames_in_any_order_with_repeats() -> None:
    rng = random.Random(5)
    # incompressible hex inside JSON, like signatures and hashes in an evidence tx: 40 KB
    payload = json.dumps({"evidence": [os.urandom(8).hex() + rng.choice("abc") * 3 for _ in range(2000)]}).encode()
    payload = payload[: 40 * 1024] if len(payload) > 40 * 1024 else payload + b" " * (40 * 1024 - len(payload))
    assert len(payload) == 40 * 1024
    frames = split_payload(payload)
    assert len(frames) > 10  # genuinely multi-frame
    pngs = [frame_png(f) for f in frames]
    scanned = decode_png_frames(pngs)
    assert scanned == [f.text() for f in frames]
    order = scanned + scanned[: len(scanned) // 2]  # a looping display shows some frames twice
    rng.shuffle(order)
    assembler = QrAssembler()
    new = [assembler.add(text) for text in order]
    assert new.count(True) == len(frames)
    assert assembler.payload() == payload


def test_missing_frames_are_listed_and_payload_refused() -> None:
    frames = split_payload(os.urandom(3000), chunk_chars=500)
    assembler = QrAssembler()
    for frame in frames:
        if frame.index not in (2, 4):
            assembler.add(frame.text())
    with pytest.raises(QrError, match=f"2 of {len(frames)} QR frames are missing: 2, 4"):
        assembler.payload()


def test_damaged_frame_and_foreign_frame_are_rejected() -> None:
    frames = split_payload(os.urandom(2000), chunk_chars=400)
    text = frames[1].text()
    damaged = text[:-1] + ("A" if text[-1] != "A" else "B")
    with pytest.raises(QrError, match="failed its checksum"):
        QrAssembler().add(damaged)
    assembler = QrAssembler()
    assembler.add(frames[0].text())
    other = split_payload(os.urandom(2000), chunk_chars=400)
    with pytest.raises(QrError, match="belongs to another payload"):
        assembler.add(other[1].text())
    with pytest.raises(QrError, match="not an ics-workbench signing QR frame"):
        assembler.add("hello")


def test_consistent_but_forged_chunks_fail_the_payload_digest() -> None:
    frames = split_payload(os.urandom(2000), chunk_chars=400)
    forged_chunk = "A" * len(frames[0].chunk)
    forged = type(frames[0])(frames[0].index, frames[0].count, frames[0].digest, forged_chunk)
    assembler = QrAssembler()
    assembler.add(forged.text())
    for frame in frames[1:]:
        assembler.add(frame.text())
    with pytest.raises(QrError, match="does not match its SHA-256 digest"):
        assembler.payload()
