"""The pieces of ``tools/render_corpus.py``, which renders the corpus text cases
into DOCX, XLSX, XLS, HTML and PDF (the rules are in that script's docstring).

- ``settings``: paths, fixed stamps, the cases rendered in a special way;
- ``layout``: a text case → forms, grids, blocks, merged cells, column widths;
- ``docx_writer``, ``xlsx_writer``, ``html_writer``: one format each;
- ``stamps``: fixed dates and IDs, so that re-running rewrites files byte-identically;
- ``office``: PDF, XLS, ODT and DOC by LibreOffice, and reading a PDF back;
- ``cases``: the cases to render, one case's renditions, the multi-form document;
- ``notes``: each folder's ``layout.json`` and ``NOTE.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The library of this checkout, whether or not it is installed.
sys.path.insert(0, str(ROOT / "src"))
