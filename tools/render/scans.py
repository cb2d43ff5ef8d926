"""Scan renditions: a corpus PDF as a printed, stamped and scanned form would come back.

Each page is rendered by the pdfium backend (``render_pages``) at ``dpi`` (150–200),
then, with a random generator seeded from the case name (so a re-run writes the
same pixels):

- a seal is stamped over part of the table: a ring with an inner ring, a star and
  short strokes around it like the seal's lettering, in red (``seal="red"``) or
  grey (``seal="grey"``), multiplied onto the page as ink is;
- the page is turned by an angle drawn from ±1.5°, on white;
- it is blurred (Gaussian, radius 0.5–0.9 px) and given noise (Gaussian,
  σ 6–10, and a sprinkle of dark specks);
- it is saved as JPEG at quality 60–70, and the JPEG pages are wrapped as an
  image-only PDF (Pillow), at the resolution they were drawn at.

``scan_pdf`` does one file; ``render_corpus.py --scans`` writes the committed ones
(``SCANS`` in ``settings.py``) to ``corpus/scans/``; ``bench/ocr.py`` makes the rest
in memory.
"""

from __future__ import annotations

import hashlib
import io
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from jixiao_parser.readers.pdf_pdfium import render_pages

from .settings import FIXED_TIME

RED = (205, 40, 45)
GREY = (140, 140, 140)


def _rng(name: str) -> np.random.Generator:
    return np.random.default_rng(int.from_bytes(hashlib.sha256(name.encode()).digest()[:8]))


def _seal(size: int, colour: tuple[int, int, int], rng: np.random.Generator) -> Image.Image:
    """A round seal on white, ``size`` pixels across."""
    img = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(img)
    r = size / 2
    width = max(3, size // 40)
    draw.ellipse((width, width, size - width, size - width), outline=colour, width=width)
    inner = size * 0.12
    draw.ellipse((inner, inner, size - inner, size - inner), outline=colour, width=1)
    # a five-pointed star in the middle
    star = []
    for k in range(10):
        rad = r * (0.22 if k % 2 == 0 else 0.09)
        a = -math.pi / 2 + k * math.pi / 5
        star.append((r + rad * math.cos(a), r + rad * math.sin(a)))
    draw.polygon(star, fill=colour)
    # lettering round the top: short blocks of strokes along an arc
    for k in range(14):
        a = math.pi * (1.1 + 0.8 * k / 13)
        cx, cy = r + r * 0.66 * math.cos(a), r + r * 0.66 * math.sin(a)
        s = size * 0.05
        for _ in range(3):
            dx, dy = rng.uniform(-s, s, 2)
            draw.line((cx - dx, cy - dy, cx + dx, cy + dy), fill=colour, width=max(2, size // 70))
    # a line of lettering under the star
    for k in range(5):
        x = r - size * 0.2 + k * size * 0.09
        draw.rectangle((x, r + size * 0.2, x + size * 0.06, r + size * 0.27), outline=colour)
    return img


def scan_page(
    page: Image.Image, dpi: float, rng: np.random.Generator, seal: str = "red"
) -> Image.Image:
    """One rendered page (RGB) → its scan (RGB, before JPEG)."""
    w, h = page.size
    size = int(dpi * 1.6)  # a seal 40 mm across
    stamp = _seal(size, RED if seal == "red" else GREY, rng)
    # over the table: somewhere in the middle band of the page, to the right
    x = int(rng.uniform(0.45, 0.75) * w) - size // 2
    y = int(rng.uniform(0.3, 0.7) * h) - size // 2
    region = page.crop((x, y, x + size, y + size))
    inked = Image.fromarray(
        (np.asarray(region, dtype=np.uint16) * np.asarray(stamp, dtype=np.uint16) // 255).astype(
            np.uint8
        )
    )
    page = page.copy()
    page.paste(inked, (x, y))
    angle = float(rng.uniform(-1.5, 1.5))
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor="white")
    page = page.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.5, 0.9))))
    pixels = np.asarray(page, dtype=np.float32)
    pixels += rng.normal(0, float(rng.uniform(6, 10)), pixels.shape[:2])[..., None]
    specks = rng.random(pixels.shape[:2]) < 0.0005
    pixels[specks] = rng.uniform(0, 120)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def scan_pdf(
    pdf: bytes | Path,
    name: str,
    *,
    dpi: float = 200,
    seal: str = "red",
    pages: list[int] | None = None,
) -> bytes:
    """The image-only PDF of ``pdf`` scanned (see the module docstring); ``name``
    seeds the randomness, ``pages`` picks pages (from 1; all by default)."""
    rng = _rng(f"{name}:{dpi}:{seal}")
    source = pdf if isinstance(pdf, bytes) else pdf.read_bytes()
    scanned = []
    for _, image in render_pages(source, dpi=dpi, pages=pages):
        page = scan_page(image, dpi, rng, seal)
        buffer = io.BytesIO()
        page.save(buffer, format="JPEG", quality=int(rng.integers(60, 71)))
        scanned.append(Image.open(io.BytesIO(buffer.getvalue())))
    out = io.BytesIO()
    # each JPEG goes into the PDF as it is (Pillow writes a JPEG image's own data)
    scanned[0].save(
        out,
        format="PDF",
        save_all=True,
        append_images=scanned[1:],
        resolution=dpi,
        creationDate=FIXED_TIME.timetuple(),
        modDate=FIXED_TIME.timetuple(),
    )
    return out.getvalue()
