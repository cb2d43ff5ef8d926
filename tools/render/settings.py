"""Where the sources and renditions are, the fixed stamps written into every
file, and the cases rendered in a special way."""

from __future__ import annotations

import datetime as dt

from . import ROOT

CORPUS = ROOT / "corpus"
OUT = CORPUS / "renditions"
FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
AUTHOR = "tools/render_corpus.py"
SOFFICE_TIMEOUT = 600

# Per-case special renditions.
SPECIAL: dict[str, dict[str, object]] = {
    # The indicator table crosses a PDF page: large type, padded cells.
    "utf16": {"docx_style": "large"},
    # DOCX/PDF: the indicator table is a second table after a paragraph "续表".
    "value_kinds_b": {"docx_split": True},
    # HTML in site chrome: nav, breadcrumbs, footer and a link table.
    "footer_and_marks": {"html_chrome": True},
    # Legacy-encoded HTML: GBK if every char encodes, else GB18030.
    "gb18030": {"html_encoding": "gbk"},
    "seed_000": {"html_encoding": "gbk", "html_meta": "http-equiv"},
}
# Cases concatenated (page break between forms) into multi_form.docx/.pdf.
MULTI_FORM = ("utf8_bom_crlf", "gb18030", "numbered_parts")

OFFICE_CASES = ("seed_003",)  # also rendered as .doc and .odt

# Overflow renditions (render/overflow.py): case → vertical alignments of its cells,
# each printed from a sheet with fixed, too-small row heights.
OVERFLOW: dict[str, tuple[str, ...]] = {
    "overflow_long_notes": ("top", "bottom"),
    "overflow_centred_notes": ("center",),
}

# Scan renditions (render/scans.py) committed to corpus/scans/: case → (seal colour,
# dpi). bench/ocr.py makes the scans of every other case in memory.
SCANS: dict[str, tuple[str, int]] = {
    "fam1_shanghai_a": ("red", 150),
    "fam3_national_a": ("grey", 150),
    # the seal over the goals' column split and the indicator header (实际完成值 …)
    "overflow_long_notes_top_overflow": ("grey", 150),
}
SCANS_OUT = ROOT / "corpus" / "scans"
