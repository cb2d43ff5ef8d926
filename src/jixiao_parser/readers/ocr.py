"""Read scanned forms: page images → the same :class:`~jixiao_parser.document.Document`
as a PDF with a text layer gives.

Needs the ``[ocr]`` extra (``pip install "jixiao_parser[ocr]"``): RapidOCR on
onnxruntime, whose Chinese PP-OCR models ship inside its wheel (nothing is
downloaded at run time), and OpenCV. Inputs are image-only PDFs (pages rendered
by the pdfium backend at :data:`DPI`) and PNG, JPEG and TIFF files (every frame
of a TIFF is a page). Each page goes through:

1. seal suppression: red ink (a pixel much redder than it is green or blue, and
   near it a pixel only tinged with red: a thin stroke a scan blurred) is read
   through the red channel, where it is paper-white and black ink over it stays
   black, and what is left of it paler than a scan's text edges is cleared but on
   the rulings; a grey seal is found by its rim (a Hough circle through the
   mid-grey strokes thicker than text's), and its thick strokes and the light ink
   along its rim are whitened but on the rulings that run on past it
   (:func:`suppress_seals`);
2. deskew: the median slope of the long ruling lines (a line fitted through each
   one at least a third of the page wide), and the page turned back by it;
3. ruling lines by morphology: an opening with a long horizontal, then a long
   vertical, kernel of the binarised page keeps the rulings; those that meet a
   ruling of the other direction become :class:`~jixiao_parser.readers.pdf.Edge`
   objects in points, and a ruling a seal broke is bridged under it;
4. cells: the PDF reader's own grid rebuild (``page_blocks``: intersections →
   smallest closed cells → grid with merged cells) on those edges;
5. text: PP-OCR text detection (at :data:`_DET_DPI`) on the page with its rulings
   erased; a text box that a vertical ruling crosses is cut there, one holding two
   stacked lines is cut between them, boxes side by side in one cell are joined,
   and each piece is recognised and becomes one glyph of the grid rebuild, so
   that text goes to the cell holding its centre, lines in a cell are joined as
   wrapped text, and text outside the tables becomes paragraphs (title, year);
6. a second look at figures: the comparison sign a piece opens with is told by
   its strokes (:func:`_operator`: the recogniser reads a lone ``≥`` as ``N`` or
   ``=``), and a piece holding a digit read with less than :data:`_SURE`
   confidence is read again from a larger, sharpened crop (the surer reading is
   kept, unless it drops characters from a good first one);
7. every table cell carries :class:`~jixiao_parser.document.OcrRead`: the least
   confidence of its pieces and its pixel box on the (deskewed) page image;
8. a form printed in Traditional characters gets back those the recogniser gave
   in Simplified (:func:`in_traditional`).

Segmentation later puts right a cell that is a form label but for a misread or
dropped character or a stray mark (:func:`jixiao_parser.segment.labels.snap_label`),
and names the indicator header labels a seal hid by their place
(:func:`jixiao_parser.segment.labels.filled_header`).

Reports of such a document say ``source.structure == "ocr"``; a cell read with a
confidence under :data:`LOW_CONFIDENCE` gives an ``ocr_low_confidence``
diagnostic (:mod:`jixiao_parser.sections.report`). Without the extra, a scan
raises :class:`~jixiao_parser.NeedsOCR` naming the extra to install.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, BinaryIO

import attrs
import regex

from .. import limits
from ..document import LOW_CONFIDENCE, Block, Document, OcrRead, Paragraph, Table
from ..errors import CorruptDocument, NeedsOCR
from .pdf import Edge, Glyph, page_blocks

__all__ = [
    "DPI",
    "INSTALL",
    "LOW_CONFIDENCE",
    "available",
    "in_traditional",
    "ocr_page",
    "read_image",
    "read_scanned_pdf",
    "suppress_seals",
]

#: the resolution image-only PDF pages are rendered at, and images without one are taken at
DPI = 200
#: what to install for OCR (the message of NeedsOCR without it)
INSTALL = 'pip install "jixiao_parser[ocr]"'

_MAX_DPI = 300  # a finer page is read at this resolution
_DET_DPI = 100  # text is found on the page at this resolution, read at the page's own
_PALE = 210  # under a red seal, what is paler than this is paper (a scan's text edges are not)
_SIGN_SCORE = 0.9  # the confidence of a sign read from its strokes
_POOR = 0.8  # a first reading this unsure may be replaced by a shorter second one
_SURE = 0.97  # a figure read with this confidence gets no second look
_REC_HEIGHT, _REC_WIDTH = 48, 320  # the recogniser's line height and shortest line (PP-OCRv4)
_REC_BATCH = 6  # lines read in one run of the recogniser
_GAP = 16  # paper between crops set side by side (two steps of the recogniser's output)
_MODULES = ("cv2", "numpy", "PIL", "rapidocr_onnxruntime")
Box = tuple[float, float, float, float]  # (x0, top, x1, bottom), in points
# a piece that holds a figure: a digit, or an operator before one
_FIGURE = regex.compile(r"\d")
# a numbered item run on after text ("…32个2.活动…"): the space OCR leaves out
_ITEM = regex.compile(
    r"(?<=[\p{Han}%％)）])(?=[\d０-９]{1,2}[.、．](?:\p{Han}|\d{1,2}月)|[(（]\d{1,2}[)）]\S)"
)
# a numbered list's first marker ("1." "1、"), and the words that count what a
# figure before them counts ("2场"): a digit before one of them is no item's number
_FIRST_ITEM = regex.compile(r"^1([.、．])(?=\S)")
_COUNTERS = frozenset("个场次人项所户元万亿期天月年日台件份篇名批处家条辆座套册本张间栋米吨亩周倍")
# item k's number, by k: with its mark ("2." "2、"), and bare between text and a word
_MARKED = {k: regex.compile(rf"(?<![\d.．]){k}[.、．](?=\S)") for k in range(2, 10)}
_BARE = {k: regex.compile(rf"(?<=[^\d\s.．,，、]){k}(?=\p{{Han}})") for k in range(2, 10)}
_DASH = regex.compile(r"^[一\-－_—]{1,3}$")
_ADDRESS = regex.compile(r"\s*<[^<>]* at 0x[0-9a-fA-F]+>")
# a money unit in brackets at the end of a label whose closing bracket OCR lost
_OPEN_UNIT = regex.compile(r"(?<=[(（]\s*(?:万元|元))$")
# a level's points in brackets at the end of its label, the closing bracket lost
_OPEN_POINTS = regex.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分$")
# the letter O where a figure's 0 stands: alone, or beside a digit or a sign
_LETTER_O = regex.compile(r"^[Oo]$|(?<![A-Za-z])(?:(?<=[\d.≤≥<>=])[Oo]|[Oo](?=[\d.]))(?![A-Za-z])")
# "。" read as a degree sign (after text, not after a figure)
_DEGREE = regex.compile(r"(?<=[^\d\s])°")


@functools.cache
def available() -> bool:
    """Whether the ``[ocr]`` extra is installed (OpenCV, numpy, Pillow, RapidOCR).

    >>> available() in (True, False)
    True
    """
    return all(importlib.util.find_spec(name) is not None for name in _MODULES)


def _require(source: str, what: str) -> None:
    if not available():
        msg = f"{what}: run OCR first, or install the OCR extra ({INSTALL})"
        raise NeedsOCR(source, msg)


@functools.cache
def _engine() -> Any:
    """The RapidOCR engine, made once (it loads three small ONNX models from its wheel)."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


# -- inputs ---------------------------------------------------------------------


def read_image(data: bytes, path: str | None, source: str) -> Document:
    """Read a PNG, JPEG or TIFF scan (every TIFF frame a page) into a Document with
    ``structure == "ocr"``; the format is the one its content shows.

    The image's own resolution (its dpi) is used where it states one, else the
    page is taken as A4 wide. Raises :class:`~jixiao_parser.NeedsOCR` without the
    ``[ocr]`` extra, :class:`~jixiao_parser.CorruptDocument` for an image that
    cannot be decoded.

    >>> from pathlib import Path
    >>> doc = read_image(Path("page1.png").read_bytes(), None, "page1.png")  # doctest: +SKIP
    >>> doc.structure, doc.format  # doctest: +SKIP
    ('ocr', 'png')
    """
    _require(source, "the input is a scanned image")
    from PIL import Image, ImageSequence

    from . import sniff_format

    budget = limits.budget()
    blocks: list[Block] = []
    pages = 0
    try:
        with Image.open(io.BytesIO(data)) as image:
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                budget.pages(number)
                dpi = _dpi(frame)
                pixels = _rgb(frame)
                blocks.extend(ocr_page(pixels, number, dpi))
                pages = number
                budget.tick()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        kind = sniff_format(data)
        reason = _ADDRESS.sub("", str(exc))  # Pillow names the in-memory file by address
        raise CorruptDocument(source, f"cannot decode the {kind} image: {reason}") from exc
    return Document(
        path=path,
        format=sniff_format(data),
        blocks=tuple(in_traditional(blocks)),
        pages=max(pages, 1),
        structure="ocr",
    )


def read_scanned_pdf(
    data: bytes | BinaryIO, path: str | None, source: str, backend: str | None = None
) -> Document:
    """Read an image-only PDF (a scan) into a Document with ``structure == "ocr"``:
    each page rendered by pdfium at :data:`DPI`, then read as :func:`ocr_page` says.

    ``read_pdf`` calls this for a PDF without a text layer. Raises
    :class:`~jixiao_parser.NeedsOCR` without the ``[ocr]`` extra.

    >>> data = open("corpus/scans/fam1_shanghai_a.pdf", "rb").read()
    >>> doc = read_scanned_pdf(data, None, "scan.pdf")  # doctest: +SKIP
    >>> doc.structure, doc.pages, doc.blocks[0].text  # doctest: +SKIP
    ('ocr', 1, '财政项目支出绩效自评表')
    """
    _require(source, "the PDF has no text layer (scanned pages)")
    from .pdf_pdfium import render_pages

    if not isinstance(data, bytes):
        data.seek(0)
        data = data.read()
    budget = limits.budget()
    blocks: list[Block] = []
    pages = 0
    for number, image in render_pages(data, dpi=DPI, array=True):
        budget.pages(number)
        blocks.extend(ocr_page(image, number, DPI))
        pages = number
        budget.tick()
    return Document(
        path=path,
        format="pdf",
        blocks=tuple(in_traditional(blocks)),
        pages=max(pages, 1),
        structure="ocr",
        pdf_backend=backend,
    )


def _dpi(frame: Any) -> float:
    """The resolution an image states (a sane one), else the width of an A4 page."""
    stated = frame.info.get("dpi")
    try:
        dpi = float(stated[0]) if stated else 0.0
    except (TypeError, ValueError, IndexError):
        dpi = 0.0
    if 72 <= dpi <= 1200:
        return dpi
    width: int = frame.size[0]
    return max(72.0, width / 8.27)


def _rgb(frame: Any) -> Any:
    import numpy as np

    return np.asarray(frame.convert("RGB"))


# -- the page's script ---------------------------------------------------------------

_SCRIPT_LEAST = 12  # a form in Traditional characters has at least this many


@functools.cache
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def _script_counts(text: str) -> tuple[int, int]:
    """(characters only Traditional writing uses, characters only Simplified uses).

    >>> _script_counts("項目名稱 项目名称 年度")
    (2, 2)
    """
    to_simplified, to_traditional = _converter("t2s").convert, _converter("s2tw").convert
    trad = sum(1 for ch in text if not ch.isascii() and to_simplified(ch) != ch)
    simp = sum(1 for ch in text if not ch.isascii() and to_traditional(ch) != ch)
    return trad, simp


def in_traditional(blocks: list[Block]) -> list[Block]:
    """Blocks of a form printed in Traditional characters, with the Simplified ones
    the recogniser gave for Traditional characters (it reads 養 as 养, 鵬 as 鹏) put
    back: where characters only Traditional writing uses outnumber those only
    Simplified writing uses (and there are :data:`_SCRIPT_LEAST` of them), every
    text is converted (OpenCC ``s2tw``). A form in Simplified characters (a few
    Traditional ones among them) stays as it is.

    >>> from jixiao_parser.document import Paragraph
    >>> para = Paragraph("鹏灣區养老服務中心：長者助浴服務，實際資金總額，項目名稱")
    >>> [b.text for b in in_traditional([para])]
    ['鵬灣區養老服務中心：長者助浴服務，實際資金總額，項目名稱']
    >>> para = Paragraph("鹏湾区养老服务中心，長者助浴服务")
    >>> [b.text for b in in_traditional([para])]
    ['鹏湾区养老服务中心，長者助浴服务']
    """
    texts = [b.text for b in blocks if isinstance(b, Paragraph)] + [
        c.text for b in blocks if isinstance(b, Table) for row in b.rows for c in row
    ]
    trad, simp = _script_counts("".join(texts))
    if trad < _SCRIPT_LEAST or trad <= simp:
        return blocks
    convert = _converter("s2tw").convert
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            rows = tuple(
                tuple(c.replace(text=convert(c.text)) if c.text else c for c in row)
                for row in block.rows
            )
            out.append(attrs.evolve(block, rows=rows))
        else:
            out.append(block.replace(text=convert(block.text)))
    return out


# -- one page ---------------------------------------------------------------------


def suppress_seals(rgb: Any) -> Any:
    """An RGB page (``numpy`` array) → its grey image with seals whitened.

    Red ink is read through the red channel, where it is as light as the paper
    and black ink printed under it stays dark; the rulings under it are kept.
    A grey seal is found by its rim: mid-grey strokes thicker than text's forming
    a large ring (a Hough circle). Its thick strokes, and the ink as light as its
    rim along it, are whitened; the rulings that run on past it are kept.

    >>> import numpy as np
    >>> page = np.full((40, 40, 3), 255, np.uint8)
    >>> page[10:20, 10:20] = (200, 30, 30)   # red ink
    >>> page[25:30, 10:20] = (0, 0, 0)       # black ink
    >>> grey = suppress_seals(page)
    >>> int(grey[15, 15]) > 180, int(grey[27, 15]) < 50
    (True, True)
    """
    return _without_seals(rgb)[0]


def _without_seals(rgb: Any) -> tuple[Any, list[tuple[int, int, int, int]]]:
    """:func:`suppress_seals`, with the box ``(x0, top, x1, bottom)`` of each seal
    found, in pixels."""
    import cv2
    import numpy as np

    r = rgb[:, :, 0].astype(np.int16)
    g = rgb[:, :, 1].astype(np.int16)
    b = rgb[:, :, 2].astype(np.int16)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    redness = r - np.maximum(g, b)
    red = redness > 30
    boxes = []
    if red.any():
        # the red channel, scaled so that red ink is as white as paper
        core = r[redness > 90]
        paper = max(float(np.percentile(core if core.size else r[red], 60)) - 10, 1.0)
        # and its fringe, where blur and JPEG left it paler, and its thin strokes
        # (a scan leaves them only tinged with red) near it
        seal = cv2.dilate(red.astype(np.uint8), np.ones((41, 41), np.uint8)) > 0
        red = cv2.dilate(red.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
        red |= seal & (redness > 12)
        grey = grey.copy()
        grey[red] = np.clip(r[red] * (255.0 / paper), 0, 255).astype(np.uint8)
        # what is left of the seal there is paler than any ink: paper (but on the
        # rulings, which a scan's blur leaves pale where the seal crosses them)
        rulings = _line_mask(grey) > 0
        near = cv2.dilate(red.astype(np.uint8), np.ones((9, 9), np.uint8))
        grey[(near > 0) & (grey > _PALE) & ~rulings] = 255
        count, _, stats, _ = cv2.connectedComponentsWithStats(
            cv2.dilate(near, np.ones((25, 25), np.uint8))
        )
        side = min(grey.shape) // 20  # a seal is larger than this
        for k in range(1, count):
            x, y, w, h, _ = stats[k]
            if w >= side and h >= side:
                boxes.append((int(x), int(y), int(x + w), int(y + h)))
                # over the whole seal: anything paler than ink
                area = grey[y : y + h, x : x + w]
                area[(area > _PALE) & ~rulings[y : y + h, x : x + w]] = 255
    grey, more = _suppress_grey_seal(grey)
    return grey, boxes + more


def _suppress_grey_seal(grey: Any) -> tuple[Any, list[tuple[int, int, int, int]]]:
    """Whiten a grey seal: its thick strokes, and the light ink along its rim."""
    import cv2
    import numpy as np

    h, w = grey.shape
    radius = min(h, w) // 4 // 12  # seals are 30–50 mm across: about 1/12–1/5 of A4 width
    if radius < 8:
        return grey, []  # too small an image to hold a seal and a form
    # mid-grey ink in strokes thicker than text's (a seal's rim): darker than paper,
    # lighter than text, and still there when the thin strokes are opened away
    level = cv2.medianBlur(grey, 5)
    light = ((level > 90) & (level < 215)).astype(np.uint8) * 255
    light = cv2.morphologyEx(light, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    if light.mean() < 1:
        return grey, []
    small = cv2.resize(light, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    found = cv2.HoughCircles(
        small,
        cv2.HOUGH_GRADIENT_ALT,
        dp=1.5,
        minDist=radius * 2,
        param1=100,
        param2=0.6,
        minRadius=radius,
        maxRadius=radius * 3,
    )
    if found is None:
        return grey, []
    out = grey.copy()
    text = _ink_level(grey)
    boxes = []
    for cx, cy, cr in found.reshape(-1, 3)[:1].tolist():  # the likeliest one
        x, y, r = int(cx * 4), int(cy * 4), int(cr * 4)  # found at 1/4
        rr = int(r * 1.15)  # a margin: the rim's outer edge and blur
        # a ring of light ink along the circle: the seal's rim
        rim = np.zeros_like(grey, dtype=np.uint8)
        cv2.circle(rim, (x, y), r, 255, max(3, r // 6))
        on_rim = grey[rim > 0]
        inked = on_rim[(on_rim > text + 40) & (on_rim < 215)]
        if on_rim.size == 0 or inked.size < 0.15 * on_rim.size:
            continue
        seal = np.zeros_like(rim)
        cv2.circle(seal, (x, y), rr, 255, -1)
        core = float(np.median(inked))  # how dark the seal's ink is
        # the seal's thick strokes (its rim, its star: text's are thinner), and along
        # the rim what is as light as its ink, but next to no darker ink (text under it)
        thick = ((grey > 90) & (grey < 215)).astype(np.uint8)
        thick = cv2.morphologyEx(thick, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
        thick = cv2.dilate(thick, np.ones((5, 5), np.uint8)) > 0
        dark = cv2.dilate((grey < core - 40).astype(np.uint8), np.ones((5, 5), np.uint8))
        band = np.zeros_like(rim)
        cv2.circle(band, (x, y), r, 255, max(5, r // 5))
        lighter = grey > core - 25
        clear = (seal > 0) & lighter & (thick | ((band > 0) & (dark == 0)))
        out[clear & ~_rulings_through(grey, seal)] = 255
        boxes.append((x - rr, y - rr, x + rr, y + rr))
    return out, boxes


def _rulings_through(grey: Any, seal: Any) -> Any:
    """The long straight lines of the page that go on past a seal (``seal`` its
    disc as a mask): the rulings under it, not its rim's own arcs."""
    import cv2
    import numpy as np

    h, w = grey.shape
    binary = _binary(grey)
    out = np.zeros(grey.shape, dtype=bool)
    for kernel in (
        np.ones((1, max(w // 30, 10)), np.uint8),
        np.ones((max(h // 60, 10), 1), np.uint8),
    ):
        lines = cv2.dilate(
            cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel), np.ones((3, 3), np.uint8)
        )
        _, parts = cv2.connectedComponents(lines)
        past = np.unique(parts[(seal == 0) & (parts > 0)])
        out |= np.isin(parts, past)
    return out


def _line_mask(grey: Any) -> Any:
    """Where the page's long straight lines are (a ruling under a seal is kept)."""
    import cv2
    import numpy as np

    h, w = grey.shape
    binary = _binary(grey)
    lines = cv2.bitwise_or(
        cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((1, max(w // 30, 10)), np.uint8)),
        cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((max(h // 60, 10), 1), np.uint8)),
    )
    return cv2.dilate(lines, np.ones((3, 3), np.uint8))


def _ink_level(grey: Any) -> int:
    """How dark printed text is: a low percentile of the inked pixels."""
    import numpy as np

    ink = grey[grey < 128]
    return int(np.percentile(ink, 20)) if ink.size else 0


def _skew(binary: Any) -> float:
    """The page's skew in degrees, from its long horizontal ruling lines (0 if none):
    the median slope of the lines fitted through the ones at least a third of the
    page wide."""
    import cv2
    import numpy as np

    _h, w = binary.shape
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 40, 10), 1))
    run = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
    # the steps of a turned line, joined into one piece
    joined = cv2.dilate(run, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 60, 5), 5)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    angles = []
    for k in range(1, count):
        x, y, bw, bh, _ = stats[k]
        if bw < w // 3 or bh > bw * 0.1:
            continue
        ys, xs = np.nonzero(
            (labels[y : y + bh, x : x + bw] == k) & (run[y : y + bh, x : x + bw] > 0)
        )
        if xs.size < bw // 2:
            continue
        vx, vy, _, _ = cv2.fitLine(
            np.column_stack((xs, ys)).astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01
        ).ravel()
        angles.append(math.degrees(math.atan2(vy, vx)) if vx else 0.0)
    angles = [a - 180 if a > 90 else a + 180 if a < -90 else a for a in angles]
    angles = [a for a in angles if abs(a) <= 5]
    return float(np.median(angles)) if angles else 0.0


def _binary(grey: Any, margin: int = 15) -> Any:
    """Ink as 255, paper as 0: darker by ``margin`` than the mean around it (a
    thin ruling a scan left pale takes a smaller margin)."""
    import cv2

    return cv2.adaptiveThreshold(
        grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, margin
    )


def _rulings(binary: Any, dpi: float) -> tuple[Any, Any]:
    """The horizontal and the vertical ruling masks (morphological openings)."""
    import cv2

    hk = cv2.getStructuringElement(cv2.MORPH_RECT, (max(int(dpi * 0.4), 10), 1))
    vk = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(int(dpi * 0.2), 10)))
    gap = max(int(dpi * 0.03), 2)  # bridge a break a speck or the seal left
    hs = cv2.morphologyEx(binary, cv2.MORPH_OPEN, hk)
    hs = cv2.morphologyEx(hs, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    vs = cv2.morphologyEx(binary, cv2.MORPH_OPEN, vk)
    vs = cv2.morphologyEx(vs, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap)))
    return hs, vs


def _edges(mask: Any, orient: str, scale: float) -> tuple[list[Edge], Any, list[int]]:
    """A ruling mask → one edge per connected line, in points (``scale`` per pixel);
    with the components' labels and the label of each edge."""
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for k in range(1, count):
        x, y, w, h, _ = stats[k]
        if orient == "h":
            out.append(Edge("h", (y + h / 2) * scale, x * scale, (x + w) * scale))
        else:
            out.append(Edge("v", (x + w / 2) * scale, y * scale, (y + h) * scale))
    return out, labels, list(range(1, count))


def _table_rulings(hs: Any, vs: Any, scale: float) -> tuple[list[Edge], Any]:
    """The rulings that meet a ruling of the other direction (a table's: a stroke
    of a large title is no ruling), as edges in points and as one pixel mask."""
    import numpy as np

    h_edges, h_labels, h_ids = _edges(hs, "h", scale)
    v_edges, v_labels, v_ids = _edges(vs, "v", scale)
    tol = 3.0

    def meets(h: Edge, v: Edge) -> bool:
        return h.lo - tol <= v.at <= h.hi + tol and v.lo - tol <= h.at <= v.hi + tol

    keep_h = [k for k, h in enumerate(h_edges) if any(meets(h, v) for v in v_edges)]
    keep_v = [k for k, v in enumerate(v_edges) if any(meets(h_edges[j], v) for j in keep_h)]
    mask = np.isin(h_labels, [h_ids[k] for k in keep_h]) | np.isin(
        v_labels, [v_ids[k] for k in keep_v]
    )
    edges = [h_edges[k] for k in keep_h] + [v_edges[k] for k in keep_v]
    return edges, mask.astype(np.uint8) * 255


def _without_rims(edges: list[Edge], seals: list[Box]) -> list[Edge]:
    """Edges less the pieces of a seal's rim: an edge wholly under a seal and not
    in line with one that reaches out past it (the piece of a ruling a seal
    left is; the straight part of a round rim is not).

    >>> seal = [(100.0, 100.0, 200.0, 200.0)]
    >>> wall, piece = Edge("v", 150, 0, 95), Edge("v", 150.5, 120, 140)
    >>> rim = Edge("v", 110, 125, 160)
    >>> _without_rims([wall, piece, rim], seal) == [wall, piece]
    True
    """
    margin = 10.0

    def under(e: Edge) -> bool:
        return any(_inside(e.orient, e.at, (e.lo, e.hi), box, margin) for box in seals)

    lines = [e for e in edges if not under(e)]
    return [
        e
        for e in edges
        if not under(e) or any(o.orient == e.orient and abs(o.at - e.at) <= 2.0 for o in lines)
    ]


Crossing = Callable[[str, float, tuple[float, float]], bool]


def _no_text(orient: str, at: float, span: tuple[float, float]) -> bool:
    return False


def _text_crossing(grey: Any, boxes: list[Any], scale: float) -> Crossing:
    """Whether a vertical line at ``at`` from ``span[0]`` to ``span[1]`` (points)
    would cut through text on the page: a text box (a quadrilateral in pixels of
    ``grey``) across it over half the box's height, with ink right where the line
    would run (a box the detector drew round two cells' texts, across a ruling a
    seal hid, has paper there). Horizontal lines are never vetoed (two rows' texts
    one above the other are found as one box where a seal hid the ruling between).

    >>> import numpy as np
    >>> page = np.full((100, 300), 255, np.uint8)
    >>> page[40:60, 50:250] = 0  # a line of text from x=50 to x=250
    >>> page[40:60, 100:110] = 255  # with a gap at x=100..110
    >>> crossing = _text_crossing(page, [[(45, 38), (255, 38), (255, 62), (45, 62)]], 1.0)
    >>> crossing("v", 150, (0, 100)), crossing("v", 105, (0, 100)), crossing("h", 50, (0, 300))
    (True, False, False)
    """
    found = [_quad_box(quad) for quad in boxes]

    def crossing(orient: str, at: float, span: tuple[float, float]) -> bool:
        if orient == "h":
            return False
        x, lo, hi = at / scale, span[0] / scale, span[1] / scale
        for x0, top, x1, bottom in found:
            if x0 + 4 < x < x1 - 4 and min(bottom, hi) - max(top, lo) > 0.5 * (bottom - top):
                window = grey[int(top) : math.ceil(bottom), int(x) - 3 : int(x) + 4]
                if (window < 128).any():
                    return True
        return False

    return crossing


def _bridged(
    edges: list[Edge],
    seals: list[Box],
    crossing: Crossing = _no_text,
    grey: Sequence[Box] = (),
) -> list[Edge]:
    """Rulings with the gaps that lie under a seal closed: two collinear pieces of a
    ruling whose gap is inside a seal's box (grown by a margin) become one, unless
    text runs across the gap (a ruling never does: the seal hid no line there, a
    cell spans it), as ``crossing`` (:func:`_text_crossing`) says.

    >>> seal = [(100.0, 100.0, 200.0, 200.0)]
    >>> _bridged([Edge("v", 150, 50, 120), Edge("v", 150.5, 160, 300)], seal)
    [Edge(orient='v', at=150, lo=50, hi=300)]
    >>> def words(orient, at, span):  # a line of text across x=150, y=135..145
    ...     return orient == "v" and at == 150 and span[0] < 135 and span[1] > 145
    >>> _bridged([Edge("v", 150, 50, 120), Edge("v", 150, 160, 300)], seal, words)
    [Edge(orient='v', at=150, lo=50, hi=120), Edge(orient='v', at=150, lo=160, hi=300)]
    """
    margin = 10.0
    out: list[Edge] = []
    for orient in ("h", "v"):
        group = sorted((e for e in edges if e.orient == orient), key=lambda e: (e.at, e.lo))
        lines: list[list[Edge]] = []
        for e in group:
            if lines and abs(e.at - lines[-1][0].at) <= 2.0:
                lines[-1].append(e)
            else:
                lines.append([e])
        for line in lines:
            line.sort(key=lambda e: e.lo)
            cur = line[0]
            for e in line[1:]:
                gap = (cur.hi, e.lo)
                hidden = any(_inside(orient, cur.at, gap, box, margin) for box in seals)
                if hidden and not crossing(orient, cur.at, gap):
                    cur = Edge(orient, cur.at, cur.lo, max(cur.hi, e.hi))
                else:
                    out.append(cur)
                    cur = e
            out.append(cur)
    return [_extended(e, out, seals, margin, crossing, grey) for e in out]


def _extended(
    edge: Edge,
    edges: list[Edge],
    seals: list[Box],
    margin: float,
    crossing: Crossing = _no_text,
    grey: Sequence[Box] = (),
) -> Edge:
    """``edge`` with an end that stops under a seal carried on to the next ruling
    across it there (the seal hid the rest of the line), unless text runs across
    the way on, or the seal is grey (``grey``: their boxes) and the end is at a
    ruling across. (Clearing a grey seal keeps the rulings under it, its strokes
    being lighter than their ink: a line that stops at another stops there.
    Clearing a red one turns red ink and the black blurred into it to paper, and
    may take a stretch of ruling that ends anywhere.)

    >>> seal = [(100.0, 100.0, 200.0, 200.0)]
    >>> top, mid = Edge("h", 90, 0, 300), Edge("h", 110.5, 0, 300)
    >>> _extended(Edge("v", 150, 110, 300), [top], seal, 10.0)
    Edge(orient='v', at=150, lo=90, hi=300)
    >>> _extended(Edge("v", 150, 110, 300), [top], seal, 10.0, lambda o, at, span: True)
    Edge(orient='v', at=150, lo=110, hi=300)
    >>> _extended(Edge("v", 150, 110, 300), [top, mid], seal, 10.0, grey=seal)
    Edge(orient='v', at=150, lo=110, hi=300)
    """
    other = "v" if edge.orient == "h" else "h"
    across = [e for e in edges if e.orient == other and e.lo - 2 <= edge.at <= e.hi + 2]
    lo, hi = edge.lo, edge.hi
    for box in seals:
        if not _inside(edge.orient, edge.at, (lo, lo), box, margin):
            continue
        if box in grey and any(abs(e.at - lo) <= 5 for e in across):
            break  # it starts at a ruling across
        before = [e.at for e in across if lo - 3 * margin <= e.at < lo - 2]
        if (
            before
            and _inside(edge.orient, edge.at, (max(before), lo), box, margin)
            and not crossing(edge.orient, edge.at, (max(before), lo))
        ):
            lo = max(before)
    for box in seals:
        if not _inside(edge.orient, edge.at, (hi, hi), box, margin):
            continue
        if box in grey and any(abs(e.at - hi) <= 5 for e in across):
            break  # it ends at a ruling across
        after = [e.at for e in across if hi + 2 < e.at <= hi + 3 * margin]
        if (
            after
            and _inside(edge.orient, edge.at, (hi, min(after)), box, margin)
            and not crossing(edge.orient, edge.at, (hi, min(after)))
        ):
            hi = min(after)
    return edge if (lo, hi) == (edge.lo, edge.hi) else Edge(edge.orient, edge.at, lo, hi)


def _inside(
    orient: str, at: float, gap: tuple[float, float], box: tuple[float, ...], margin: float
) -> bool:
    """Whether a gap from ``gap[0]`` to ``gap[1]`` along a ruling at ``at`` lies in ``box``."""
    x0, top, x1, bottom = box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin
    if orient == "h":
        return top <= at <= bottom and x0 <= gap[0] and gap[1] <= x1
    return x0 <= at <= x1 and top <= gap[0] and gap[1] <= bottom


class _Piece:
    """A text box (or the part of one between two vertical rulings) and its reading."""

    __slots__ = ("box", "score", "text")

    def __init__(self, box: tuple[int, int, int, int]) -> None:
        self.box = box
        self.text = ""
        self.score = 0.0


def _pieces(
    boxes: Iterable[Any], vertical: list[Edge], scale: float, width: int, height: int
) -> list[_Piece]:
    """Detected text boxes → axis-aligned pieces, cut where a vertical ruling crosses one."""
    out = []
    for quad in boxes:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        x0, x1 = max(int(min(xs)), 0), min(math.ceil(max(xs)), width)
        y0, y1 = max(int(min(ys)), 0), min(math.ceil(max(ys)), height)
        if x1 - x0 < 3 or y1 - y0 < 3:
            continue
        mid = (y0 + y1) / 2 * scale
        cuts = sorted(
            int(e.at / scale)
            for e in vertical
            if e.lo <= mid <= e.hi and x0 + 4 < e.at / scale < x1 - 4
        )
        left = x0
        for cut in [*cuts, x1]:
            if cut - left >= 4:
                out.append(_Piece((left, y0, cut, y1)))
            left = cut
    return out


def _one_line_each(grey: Any, pieces: list[_Piece]) -> list[_Piece]:
    """Pieces with a box that holds two lines or more (a detected box taller than
    twice the page's usual line: two characters one above the other in a narrow
    column, 分 over 值, found as one) cut between its lines of ink.

    >>> import numpy as np
    >>> page = np.full((100, 200), 255, np.uint8)
    >>> page[10:30, 20:40] = page[40:60, 20:40] = page[10:30, 100:180] = 0
    >>> boxes = [(18, 8, 42, 62), (98, 8, 182, 32), (98, 40, 182, 64)]
    >>> [p.box for p in _one_line_each(page, [_Piece(b) for b in boxes])]
    [(18, 8, 42, 35), (18, 35, 42, 62), (98, 8, 182, 32), (98, 40, 182, 64)]
    """
    import numpy as np

    if len(pieces) < 3:
        return pieces
    line = float(np.median([p.box[3] - p.box[1] for p in pieces]))
    out: list[_Piece] = []
    for piece in pieces:
        x0, y0, x1, y1 = piece.box
        if y1 - y0 < 1.8 * line:
            out.append(piece)
            continue
        crop = grey[y0:y1, x0:x1]
        inked = (crop < 160).sum(axis=1) > 0  # rows with ink
        rows = np.flatnonzero(inked)
        if rows.size == 0:
            out.append(piece)
            continue
        # runs of inked rows: the lines; a cut in the middle of each gap between them
        gaps = np.flatnonzero(np.diff(rows) > 1)
        starts = [rows[0], *rows[gaps + 1].tolist()]
        ends = [*rows[gaps].tolist(), rows[-1]]
        runs = [(a, b) for a, b in zip(starts, ends, strict=True) if b - a + 1 >= 0.4 * line]
        if len(runs) < 2:
            out.append(piece)
            continue
        cuts = [y0 + (runs[k][1] + runs[k + 1][0] + 1) // 2 for k in range(len(runs) - 1)]
        for top, bottom in zip([y0, *cuts], [*cuts, y1], strict=True):
            out.append(_Piece((x0, int(top), x1, int(bottom))))
    return out


def _merged(pieces: list[_Piece], vertical: list[Edge], scale: float) -> list[_Piece]:
    """Pieces side by side on one line of one cell joined into one: a figure's
    operator or unit found as a box of its own (``≥`` ``90`` ``%``) is read with it.

    >>> wall = [Edge("v", 500 * 72 / 200, 0, 1000)]
    >>> boxes = [(100, 10, 130, 50), (140, 12, 200, 50), (520, 10, 560, 50)]
    >>> [p.box for p in _merged([_Piece(b) for b in boxes], wall, 72 / 200)]
    [(100, 10, 200, 50), (520, 10, 560, 50)]
    """
    out: list[_Piece] = []
    for piece in sorted(pieces, key=lambda p: (p.box[0], p.box[1])):
        x0, y0, x1, y1 = piece.box
        for k, other in enumerate(out):
            a0, b0, a1, b1 = other.box
            overlap = min(y1, b1) - max(y0, b0)
            height = min(y1 - y0, b1 - b0)
            gap = x0 - a1
            if overlap < 0.6 * height or not -4 <= gap <= 1.2 * height:
                continue
            mid = (y0 + y1) / 2 * scale
            if any(e.lo <= mid <= e.hi and a1 - 4 <= e.at / scale <= x0 + 4 for e in vertical):
                continue  # a ruling between them
            out[k] = _Piece((a0, min(y0, b0), max(x1, a1), max(y1, b1)))
            break
        else:
            out.append(piece)
    return out


def _recognise(engine: Any, grey: Any, pieces: list[_Piece]) -> None:
    """Read every piece (in batches), then read the figures again from a larger crop."""
    if not pieces:
        return
    results = _read(engine, [_crop(grey, p.box) for p in pieces])
    for piece, (text, score) in zip(pieces, results, strict=True):
        piece.text, piece.score = _tidy(text), score
    for piece in pieces:
        _second_sign(grey, piece)
    again = [p for p in pieces if p.text and _FIGURE.match(p.text) and p.score < _SURE]
    if not again:
        return
    results = _read(engine, [_sharpened(_crop(grey, p.box, pad=4)) for p in again])
    for piece, (text, score) in zip(again, results, strict=True):
        text = _tidy(text)
        # a second reading that drops characters is mostly wrong (the dot of a
        # "3,050,000." wrapped before its "00"): it wins only over a poor first one
        fuller = len(text) >= len(piece.text) or piece.score < _POOR
        if text and score > piece.score and fuller:
            piece.text, piece.score = text, score


def _read(engine: Any, crops: list[Any]) -> list[tuple[str, float]]:
    """Grey crops → their readings ``(text, confidence)``, by the PP-OCR recogniser.

    The recogniser reads lines :data:`_REC_HEIGHT` pixels high and at least
    :data:`_REC_WIDTH` wide (a shorter one is padded), and most pieces of a form
    are short (a figure, a unit, a sign), so reading each alone is mostly padding.
    Short crops are instead set side by side, :data:`_GAP` apart, into lines of
    that width; each line is read once and every crop's text decoded (CTC) from
    the columns it took (about half the work). A crop longer than half a line is
    read alone.

    >>> _read(None, [])
    []
    """
    import numpy as np

    if not crops:
        return []
    recogniser = engine.text_rec
    alphabet = recogniser.postprocess_op.character
    images = [_normalised(crop) for crop in crops]
    order = sorted(range(len(images)), key=lambda k: images[k].shape[1])
    lines: list[list[tuple[int, int, int]]] = []  # (crop, first column, end column)
    line: list[tuple[int, int, int]] = []
    for k in order:
        width = images[k].shape[1]
        if width > _REC_WIDTH // 2:
            lines.append([(k, 0, width)])
            continue
        end = line[-1][2] + _GAP if line else 0
        if end + width > _REC_WIDTH:
            lines.append(line)
            line, end = [], 0
        line.append((k, end, end + width))
    if line:
        lines.append(line)
    lines.sort(key=lambda ln: ln[-1][2])
    out: list[tuple[str, float]] = [("", 0.0)] * len(images)
    for start in range(0, len(lines), _REC_BATCH):
        batch = lines[start : start + _REC_BATCH]
        width = max(_REC_WIDTH, max(ln[-1][2] for ln in batch))
        # zero is the recogniser's padding (mid grey after normalising); paper between crops
        tensor = np.zeros((len(batch), 3, _REC_HEIGHT, width), np.float32)
        for row, ln in enumerate(batch):
            tensor[row, :, :, : ln[-1][2]] = 1.0
            for k, x0, x1 in ln:
                tensor[row, :, :, x0:x1] = images[k]
        scores = recogniser.session(tensor)[0]  # (lines, steps, alphabet)
        step = width / scores.shape[1]
        for row, ln in enumerate(batch):
            for k, text, score in _ctc(
                scores[row], alphabet, [(x0 / step, x1 / step) for _, x0, x1 in ln]
            ):
                out[ln[k][0]] = (text, score)
    return out


def _normalised(crop: Any) -> Any:
    """A grey crop scaled to the recogniser's line height, its ink in [-1, 1]."""
    import cv2
    import numpy as np

    h, w = crop.shape[:2]
    width = max(1, math.ceil(_REC_HEIGHT * w / max(h, 1)))
    line = cv2.resize(crop, (width, _REC_HEIGHT)).astype(np.float32)
    return line / 127.5 - 1.0


def _ctc(
    scores: Any, alphabet: list[str], spans: list[tuple[float, float]]
) -> list[tuple[int, str, float]]:
    """Greedy CTC decoding of a line of crops: the best class of each step, repeats
    merged, blanks (class 0) dropped, and each character left given to the crop
    whose span of steps (``spans``, left to right) is nearest to its step, spaces
    at its ends dropped. Each crop's ``(index, text, confidence)``, the confidence
    the mean of its steps'.

    >>> import numpy as np
    >>> steps = np.eye(3)[[0, 1, 1, 0, 2, 0, 0, 2]] * 0.9
    >>> _ctc(steps, ["blank", "a", "b"], [(0, 4), (5, 8)])
    [(0, 'ab', 0.9), (1, 'b', 0.9)]
    """
    import numpy as np

    best = scores.argmax(axis=1)
    sure = scores.max(axis=1)
    keep = np.ones(best.shape[0], dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    keep &= best != 0
    chars: list[list[str]] = [[] for _ in spans]
    confs: list[list[float]] = [[] for _ in spans]
    for t in np.flatnonzero(keep).tolist():
        mid = t + 0.5
        k = min(range(len(spans)), key=lambda j: max(spans[j][0] - mid, mid - spans[j][1], 0))
        chars[k].append(alphabet[best[t]])
        confs[k].append(float(sure[t]))
    return [
        # a space at either end is the paper between crops
        (k, "".join(chars[k]).strip(), round(sum(confs[k]) / len(confs[k]), 6) if confs[k] else 0.0)
        for k in range(len(spans))
    ]


def _operator(crop: Any) -> str | None:
    """The comparison sign a piece opens with, told by its strokes: ``=`` (two flat
    bars), ``≥`` ``≤`` (a chevron over a bar), ``≧`` ``≦`` (a chevron over two
    bars), ``>`` ``<`` (a chevron alone); None
    when its first glyph is none of these. The recogniser reads a sign standing
    alone (``≥`` in a cell of its own) as ``N`` or ``=``; this reads it again.

    >>> import numpy as np, cv2
    >>> sign = np.full((40, 40), 255, np.uint8)
    >>> _ = cv2.polylines(sign, [np.array([[10, 6], [30, 15], [10, 24]])], False, 0, 2)
    >>> _ = cv2.line(sign, (10, 31), (30, 31), 0, 2)
    >>> _operator(sign), _operator(cv2.flip(sign, 1))
    ('≥', '≤')
    >>> _ = cv2.line(sign, (10, 37), (30, 37), 0, 2)
    >>> _operator(sign), _operator(cv2.flip(sign, 1))
    ('≧', '≦')
    """
    import cv2
    import numpy as np

    if crop.size == 0 or crop.shape[0] < 8:
        return None
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))  # specks off
    columns = np.flatnonzero(ink.sum(axis=0))
    if columns.size == 0:
        return None
    # the first glyph: the first run of inked columns
    breaks = np.flatnonzero(np.diff(columns) > 1)
    end = columns[breaks[0]] if breaks.size else columns[-1]
    glyph = ink[:, columns[0] : end + 1]
    count, _, stats, _ = cv2.connectedComponentsWithStats(glyph, connectivity=8)
    parts = sorted(
        (tuple(int(v) for v in stats[k][:4]) for k in range(1, count) if stats[k][4] >= 6),
        key=lambda b: b[1],
    )
    line = crop.shape[0]
    if not parts or not 0.15 * line <= sum(p[3] for p in parts) <= 0.9 * line:
        return None

    def flat(box: tuple[int, ...]) -> bool:
        return box[3] <= max(3, 0.35 * box[2])

    def chevron(box: tuple[int, ...]) -> str | None:
        x, y, w, h = box
        if h < 0.5 * w or h < 6:
            return None
        part = glyph[y : y + h, x : x + w]
        xs = np.arange(w)
        third = max(h // 3, 1)

        def centre(rows: Any) -> float:
            weight = rows.sum(axis=0)
            return float((weight * xs).sum() / max(weight.sum(), 1))

        middle, ends = (
            centre(part[third : h - third]),
            centre(np.vstack((part[:third], part[h - third :]))),
        )
        if abs(middle - ends) < 0.2 * w:
            return None
        return ">" if middle > ends else "<"

    if len(parts) == 2 and flat(parts[1]):
        if flat(parts[0]) and abs(parts[0][2] - parts[1][2]) <= 0.3 * parts[1][2]:
            return "="
        sign = chevron(parts[0])
        return {">": "≥", "<": "≤"}.get(sign or "")
    if len(parts) == 3 and flat(parts[1]) and flat(parts[2]):
        sign = chevron(parts[0])  # a chevron over two bars
        return {">": "≧", "<": "≦"}.get(sign or "")
    if len(parts) == 1:
        return chevron(parts[0])
    return None


# what the recogniser makes of a sign read alone, or at the head of a figure
_SIGN_MISREAD = regex.compile(r"^(?:[=<>≥≤≧≦NMW2Z#](?=\d|$)|[NMW]$)")


def _second_sign(grey: Any, piece: _Piece) -> None:
    """Put right the sign a piece opens with, where its strokes say another one."""
    if not _SIGN_MISREAD.match(piece.text):
        return
    sign = _operator(_crop(grey, piece.box))
    if sign is None or sign == piece.text[:1]:
        return
    if piece.text[:1] == "2" and len(piece.text) > 1:
        return  # a figure's own 2, unless its strokes were a sign: keep the digit
    # the strokes tell the sign surely where the recogniser could not: its reading stands
    piece.text, piece.score = sign + piece.text[1:], max(piece.score, _SIGN_SCORE)


def _tidy(text: str) -> str:
    """What OCR reads, with the spaces and marks it gets wrong put right.

    >>> _tidy(" 1.儿童之家≥32个2.活动≥380场 "), _tidy("满意度95%°"), _tidy("一")
    ('1.儿童之家≥32个 2.活动≥380场', '满意度95%。', '—')
    >>> _tidy("项目资金（万元"), _tidy("项目资金(元")
    ('项目资金（万元）', '项目资金(元)')
    >>> _tidy("O"), _tidy("≤O次"), _tidy("1O.5"), _tidy("ISO9001"), _tidy("OA系统")
    ('0', '≤0次', '10.5', 'ISO9001', 'OA系统')
    """
    text = _LETTER_O.sub("0", _ITEM.sub(" ", text.strip()))
    if _DASH.match(text):
        return "—"  # a dash alone, read as 一 or a hyphen
    if _OPEN_UNIT.search(text):
        text += "）" if "（" in text else ")"
    return _DEGREE.sub("。", text)


def _crop(grey: Any, box: tuple[int, int, int, int], pad: int = 0) -> Any:
    x0, y0, x1, y1 = box
    h, w = grey.shape
    return grey[max(y0 - pad, 0) : min(y1 + pad, h), max(x0 - pad, 0) : min(x1 + pad, w)]


def _sharpened(crop: Any) -> Any:
    """A crop twice as large, its ink darkened and its noise smoothed."""
    import cv2

    big = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    big = cv2.medianBlur(big, 3)
    return cv2.normalize(big, None, 0, 255, cv2.NORM_MINMAX)


def ocr_page(rgb: Any, page: int, dpi: float) -> list[Block]:
    """One page image (an RGB ``numpy`` array at ``dpi``) → its blocks, as
    ``page_blocks`` gives them for a PDF page: tables of cells (each with its
    :class:`~jixiao_parser.document.OcrRead`) and paragraphs, top to bottom.

    Needs the ``[ocr]`` extra.

    >>> import numpy as np
    >>> ocr_page(np.full((400, 300, 3), 255, np.uint8), 1, 100)
    []
    """
    import cv2
    import numpy as np

    zoom = 1.0
    if dpi > _MAX_DPI:  # finer than OCR needs: read at _MAX_DPI, boxes given at dpi
        zoom, dpi = dpi / _MAX_DPI, _MAX_DPI
        rgb = cv2.resize(rgb, None, fx=1 / zoom, fy=1 / zoom, interpolation=cv2.INTER_AREA)
    grey, seals = _without_seals(rgb)
    # under a grey seal, whitening the seal takes some of the text's ink with it:
    # the pieces there are read from the page as it was too (see _reread)
    greys = [_is_grey_seal(rgb, box) for box in seals]
    faint = [box for box, grey_ink in zip(seals, greys, strict=True) if grey_ink]
    plain = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if faint else None
    angle = _skew(_binary(grey))
    if abs(angle) > 0.05:
        h, w = grey.shape
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)

        def turned(image: Any) -> Any:
            return cv2.warpAffine(
                image,
                turn,
                (w, h),
                flags=cv2.INTER_CUBIC,
                borderMode=cv2.BORDER_CONSTANT,
                borderValue=255,
            )

        grey = turned(grey)
        if plain is not None:
            plain = turned(plain)
            faint = [_turned_box(turn, box) for box in faint]
    hs, vs = _rulings(_binary(grey, 8), dpi)
    scale = 72.0 / dpi
    edges, rulings = _table_rulings(hs, vs, scale)
    lines = cv2.dilate(rulings, np.ones((3, 3), np.uint8))
    clean = grey.copy()
    clean[lines > 0] = 255
    engine = _engine()
    boxes = _detect(engine, clean, dpi)
    if seals:  # a ruling the seal broke goes on under it (seal boxes turned with the page)
        covered = [_points(box, scale) for box in seals]
        crossing = _text_crossing(clean, boxes, scale)
        grey_seals = [box for box, grey_ink in zip(covered, greys, strict=True) if grey_ink]
        edges = _bridged(_without_rims(edges, covered), covered, crossing, grey_seals)
    height, width = grey.shape
    vertical = [e for e in edges if e.orient == "v"]
    pieces = _pieces(boxes if boxes is not None else [], vertical, scale, width, height)
    pieces = _one_line_each(clean, pieces)
    pieces = _merged(pieces, vertical, scale)
    _recognise(engine, clean, pieces)
    if plain is not None:
        plain[lines > 0] = 255
        _reread(engine, plain, pieces, faint)
    pieces = [p for p in pieces if p.text]
    glyphs = []
    for p in pieces:
        x0, y0, x1, y1 = p.box
        # a detected box is grown round its ink: the glyphs are about 0.7 of its height
        mid, half = (y0 + y1) / 2 * scale, (y1 - y0) * scale * 0.35
        glyphs.append(Glyph(p.text, x0 * scale, mid - half, x1 * scale, mid + half, 2 * half))
    blocks = page_blocks(glyphs, edges, page)
    return [_with_reads(b, pieces, scale, zoom) if isinstance(b, Table) else b for b in blocks]


def _quad_box(quad: Any) -> tuple[float, float, float, float]:
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    return min(xs), min(ys), max(xs), max(ys)


def _points(box: Sequence[float], scale: float) -> Box:
    x0, top, x1, bottom = box
    return x0 * scale, top * scale, x1 * scale, bottom * scale


def _is_grey_seal(rgb: Any, box: tuple[int, int, int, int]) -> bool:
    """Whether the seal in ``box`` is grey ink (no red in it)."""
    import numpy as np

    x0, y0, x1, y1 = box
    area = rgb[max(y0, 0) : y1, max(x0, 0) : x1].astype(np.int16)
    if area.size == 0:
        return False
    redness = area[:, :, 0] - np.maximum(area[:, :, 1], area[:, :, 2])
    return bool(int((redness > 30).sum()) < 0.002 * redness.size)


def _turned_box(turn: Any, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The box round ``box`` turned by the affine matrix ``turn``."""
    x0, y0, x1, y1 = box
    xs, ys = [], []
    for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
        xs.append(turn[0][0] * x + turn[0][1] * y + turn[0][2])
        ys.append(turn[1][0] * x + turn[1][1] * y + turn[1][2])
    return int(min(xs)), int(min(ys)), math.ceil(max(xs)), math.ceil(max(ys))


def _reread(
    engine: Any, plain: Any, pieces: list[_Piece], seals: list[tuple[int, int, int, int]]
) -> None:
    """Read the pieces under a grey seal again from the page as it was (``plain``),
    the seal's strokes still on it, and keep the surer of the two readings.

    Whitening a grey seal cannot tell all of its strokes from the text's where the
    two are as dark (thin text blurred at 150 dpi is mid-grey, as the seal is):
    some text goes with it. The recogniser mostly reads through a seal's strokes
    on the plain page; which page served a piece better its confidence says.
    """
    under = [
        p
        for p in pieces
        if any(
            p.box[0] < x1 and x0 < p.box[2] and p.box[1] < y1 and y0 < p.box[3]
            for x0, y0, x1, y1 in seals
        )
    ]
    if not under:
        return
    results = _read(engine, [_crop(plain, p.box) for p in under])
    for piece, (text, score) in zip(under, results, strict=True):
        text = _tidy(text)
        if text and score > piece.score:
            piece.text, piece.score = text, score
            _second_sign(plain, piece)


def _detect(engine: Any, grey: Any, dpi: float) -> list[Any]:
    """Text boxes (quadrilaterals in pixels of ``grey``), found at :data:`_DET_DPI`."""
    import cv2

    factor = min(1.0, _DET_DPI / dpi)
    small = (
        grey
        if factor == 1.0
        else cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    )
    boxes, _ = engine.text_det(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
    if boxes is None:
        return []
    return [[(x / factor, y / factor) for x, y in quad] for quad in boxes]


def _numbered(text: str) -> str:
    """A numbered list (``1.…`` ``1、…``) with the marks OCR dropped after its later
    numbers put back: where ``k.`` is not in the text after item ``k - 1``, a
    digit ``k`` between the end of a figure or a word and a word (not a counter:
    ``2场`` is a figure) is item ``k``'s number.

    >>> _numbered("1、规范管理率≥80%2准确率95%")
    '1、规范管理率≥80% 2、准确率95%'
    >>> _numbered("1.覆盖率达100%2.活动2场3优生优育活动26场")
    '1.覆盖率达100%2.活动2场 3.优生优育活动26场'
    >>> _numbered("1.完成培训2场 2.开展活动"), _numbered("完成2项任务")
    ('1.完成培训2场 2.开展活动', '完成2项任务')
    """
    first = _FIRST_ITEM.match(text)
    if first is None:
        return text
    mark, at = first.group(1), first.end()
    for k in range(2, 10):
        marked = _MARKED[k].search(text, at)
        if marked is not None:
            at = marked.end()
            continue
        bare = _BARE[k].search(text, at)
        if bare is None or text[bare.end()] in _COUNTERS:
            break
        text = f"{text[: bare.start()].rstrip()} {k}{mark}{text[bare.end() :]}"
        at = bare.end() + 2
    return text


def _with_reads(table: Table, pieces: list[_Piece], scale: float, zoom: float) -> Table:
    """The table with each cell's :class:`OcrRead` (pieces found by their centres)."""
    rows = []
    for row in table.rows:
        cells = []
        for cell in row:
            if cell.bbox is None:  # pragma: no cover - page_blocks gives every cell a box
                cells.append(cell)
                continue
            x0, top, x1, bottom = (round(v / scale) for v in cell.bbox)
            pixels = (round(x0 * zoom), round(top * zoom), round(x1 * zoom), round(bottom * zoom))
            scores = [
                p.score
                for p in pieces
                if x0 <= (p.box[0] + p.box[2]) / 2 <= x1
                and top <= (p.box[1] + p.box[3]) / 2 <= bottom
            ]
            read = OcrRead(round(min(scores), 3) if scores else 1.0, pixels)
            # a numbered item that a line break inside the cell left run on: spaced
            text = _numbered(_ITEM.sub(" ", cell.text))
            # "效益指标(30分", "项目资金（万元" over two lines: the closing bracket lost
            if _OPEN_POINTS.search(text) or _OPEN_UNIT.search(text):
                text += "）" if text.rfind("（") > text.rfind("(") else ")"
            cells.append(cell.replace(text=text, ocr=read))
        rows.append(tuple(cells))
    return Table(tuple(rows))
