"""Regenerates the camera frames in this folder (run once; the PNGs are committed so tests read fixed bytes).

Each is a 640x480 grey frame as a webcam pointed at a screen delivers it: the QR frame shown small and off-centre,
rotated, perspective-skewed, blurred, low-contrast with sensor noise, or shown inverted (dark mode). The payload is a
fixed ICSW1 request split into 3 frames; `frames.json` lists which frame text each image holds.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps

from ics_workbench.signing.qr import frame_png, split_payload

HERE = Path(__file__).parent


def main() -> None:
    rng = random.Random(16)
    payload = json.dumps({"kind": "recorded camera frames", "fill": [f"{i:04x}" for i in range(300)]}).encode()
    frames = split_payload(payload, chunk_chars=300)
    index: dict[str, str] = {}
    looks = ["rotated", "skewed", "blurred", "noisy", "inverted", "rotated"]
    for number, look in enumerate(looks):
        frame = frames[number % len(frames)]
        code = Image.open(io.BytesIO(frame_png(frame, scale=3))).convert("L")
        canvas = Image.new("L", (640, 480), 128)
        if look == "rotated":
            code = code.rotate(rng.choice([17, -23, 90, 180]), expand=True, fillcolor=128)
        if look == "skewed":
            w, h = code.size
            code = code.transform((w + 60, h + 40), Image.Transform.AFFINE, (1, 0.12, -30, 0.04, 1, -20),
                                  fillcolor=128)
        canvas.paste(code, (rng.randint(0, 640 - code.width), rng.randint(0, 480 - code.height)))
        if look == "blurred":
            canvas = canvas.filter(ImageFilter.GaussianBlur(1.2))
        if look == "noisy":
            canvas = Image.eval(canvas, lambda v: 70 + v * 100 // 255)  # low contrast
            pixels = canvas.load()
            for _ in range(20000):
                x, y = rng.randrange(640), rng.randrange(480)
                pixels[x, y] = max(0, min(255, pixels[x, y] + rng.randint(-35, 35)))
        if look == "inverted":
            canvas = ImageOps.invert(canvas)
        name = f"{number:02d}-{look}.png"
        canvas.save(HERE / name, optimize=True)
        index[name] = frame.text()
    (HERE / "frames.json").write_text(json.dumps({"payload": payload.decode(), "frames": index}, indent=1) + "\n")


if __name__ == "__main__":
    main()
