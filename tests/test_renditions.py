"""Cross-format equivalence: every rendition parses to the report of its source case.

``corpus/renditions/<case>/`` holds DOCX, XLSX, XLS, HTML and PDF renderings
of a text case made by ``tools/render_corpus.py``; ``layout.json`` names the
source case(s). A rendition must give the source's golden reports, apart from
``source``, locations (``where``: a PDF has pages and rows, not lines) and
whitespace inside texts (a PDF does not say whether a wrapped line ended in a
space).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from jixiao_parser import parse_all
from jixiao_parser.readers import FORMATS, sniff_format

ROOT = Path(__file__).resolve().parent.parent
HAVE_OFFICE = shutil.which("soffice") is not None
RENDITIONS = ROOT / "corpus" / "renditions"


def _sources(case: Path) -> list[Path]:
    spec = json.loads((case / "layout.json").read_text(encoding="utf-8"))["source"]
    return [ROOT / part.strip() for part in spec.split("+")]


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k not in ("source", "where")}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, str):
        return "".join(value.split())
    return value


def _expected(case: Path) -> list[Any]:
    out: list[Any] = []
    for source in _sources(case):
        out.extend(json.loads((source / "golden.json").read_text(encoding="utf-8")))
    return out


def _renditions() -> list[Any]:
    params = []
    for path in sorted(RENDITIONS.glob("*/*")):
        if path.name in ("NOTE.md", "layout.json"):
            continue
        fmt = sniff_format(path.read_bytes())
        marks = []
        if fmt not in FORMATS:
            marks.append(pytest.mark.xfail(strict=True, reason=f"no {fmt} reader yet"))
        elif FORMATS[fmt].startswith("office:") and not HAVE_OFFICE:
            marks.append(pytest.mark.skip(reason=f"{fmt} needs LibreOffice, not installed here"))
        params.append(pytest.param(path, id=f"{path.parent.name}.{path.suffix[1:]}", marks=marks))
    return params


@pytest.mark.parametrize("path", _renditions())
def test_rendition_gives_the_source_reports(path: Path) -> None:
    got = [r.to_dict() for r in parse_all(path)]
    want = _expected(path.parent)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        g["diagnostics"] = sorted(d["code"] for d in g["diagnostics"])
        w["diagnostics"] = sorted(d["code"] for d in w["diagnostics"])
        assert _comparable(g) == _comparable(w)


def test_there_are_enough_renditions() -> None:
    files = [p for p in RENDITIONS.glob("*/*") if p.name not in ("NOTE.md", "layout.json")]
    assert len(files) >= 24
    assert {p.suffix for p in files} >= {".docx", ".xlsx", ".xls", ".html", ".pdf"}


def test_multi_form_pdf_gives_page_ranges() -> None:
    reports = parse_all(RENDITIONS / "multi_form" / "multi_form.pdf")
    assert len(reports) >= 3
    pages = [r.source.pages for r in reports]
    assert all(p is not None for p in pages)
    assert [r.source.form_index for r in reports] == list(range(len(reports)))
    starts = [p[0] for p in pages if p]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_every_family_case_is_rendered_in_two_formats_or_more() -> None:
    families = sorted(p.name for p in (ROOT / "corpus" / "cases").glob("fam*"))
    assert len(families) >= 16
    for name in families:
        formats = {p.suffix for p in (RENDITIONS / name).glob(f"{name}.*")}
        assert len(formats) >= 2, name
