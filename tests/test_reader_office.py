"""DOC / WPS / ODT through LibreOffice, and the error when it is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jixiao_parser import UnsupportedFormat, parse
from jixiao_parser.readers import office, sniff_format

SEED = Path(__file__).resolve().parent.parent / "corpus" / "renditions" / "seed_003"


@pytest.mark.parametrize("name", ["seed_003.doc", "seed_003.odt"])
def test_office_files_are_sniffed(name: str) -> None:
    assert sniff_format((SEED / name).read_bytes()) == name.rsplit(".", 1)[1]


def test_without_libreoffice_the_error_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office.shutil, "which", lambda _name: None)
    with pytest.raises(UnsupportedFormat, match=r"seed_003\.doc: needs LibreOffice"):
        parse(SEED / "seed_003.doc")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_doc_reads_like_the_docx() -> None:
    report = parse(SEED / "seed_003.doc")
    assert report.source.format == "doc"
    assert report.header.project_code == "440307210701500003094"
    assert len(report.indicators) == 10


def test_conversion_timeout_is_a_corrupt_document(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from jixiao_parser import CorruptDocument

    def slow(*_args: object, **kwargs: object) -> None:
        raise subprocess.TimeoutExpired(cmd="soffice", timeout=float(str(kwargs["timeout"])))

    monkeypatch.setattr(office.shutil, "which", lambda _name: "/usr/bin/soffice")
    monkeypatch.setattr(office.subprocess, "run", slow)
    with pytest.raises(CorruptDocument, match="LibreOffice took over"):
        parse(SEED / "seed_003.doc")
