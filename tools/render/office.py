"""LibreOffice: finding (or installing) ``soffice``, converting DOCX/XLSX to PDF,
XLS, ODT and DOC, and reading a produced PDF back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import ROOT
from .settings import SOFFICE_TIMEOUT
from .stamps import normalise_pdf


def ensure_soffice() -> str | None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe:
        return exe
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("soffice missing: installing LibreOffice and CJK fonts with apt-get …")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update"], check=False, env=env, timeout=900)
        subprocess.run(
            [
                "apt-get",
                "install",
                "-y",
                "--no-install-recommends",
                "libreoffice-writer",
                "libreoffice-calc",
                "fonts-noto-cjk",
                "poppler-utils",
            ],
            check=False,
            env=env,
            timeout=1800,
        )
        exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        print("WARNING: no soffice; PDF and XLS renditions are not produced", file=sys.stderr)
    return exe


def convert(soffice: str, sources: list[Path], target: str) -> dict[Path, Path]:
    """Convert ``sources`` with LibreOffice; return source → converted file beside it."""
    done: dict[Path, Path] = {}
    if not sources:
        return done
    with tempfile.TemporaryDirectory(prefix="render_corpus_") as tmp:
        profile = Path(tmp) / "profile"
        outdir = Path(tmp) / "out"
        outdir.mkdir()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        ext = target.split(":")[0]
        subprocess.run(cmd, check=False, timeout=SOFFICE_TIMEOUT, capture_output=True)
        for src in sources:
            produced = outdir / (src.stem + "." + ext)
            if produced.exists():
                dest = src.with_suffix("." + ext)
                shutil.move(str(produced), dest)
                done[src] = dest
            else:
                print(f"WARNING: soffice did not convert {src}", file=sys.stderr)
    return done


def pdf_page_count(pdf: Path) -> int:
    from pdfminer.pdfpage import PDFPage

    with pdf.open("rb") as fh:
        return sum(1 for _ in PDFPage.get_pages(fh))


def pdf_pages_text(pdf: Path) -> list[str]:
    if not shutil.which("pdftotext"):
        return []
    res = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=False
    )
    return res.stdout.split("\f")


def convert_renditions(
    soffice: str, docx_files: list[Path], xlsx_files: list[Path], office_docx: list[Path]
) -> None:
    """PDF from every DOCX (stamps fixed), XLS from every XLSX, and ODT and DOC from
    ``office_docx``, the legacy and open formats read through LibreOffice."""
    for src, dest in convert(soffice, docx_files, "pdf").items():
        normalise_pdf(dest, src.read_bytes())
        print(f"wrote {dest.relative_to(ROOT)} (from {src.name})")
    for src, dest in convert(soffice, xlsx_files, "xls").items():
        print(f"wrote {dest.relative_to(ROOT)} (from {src.name})")
    # DOC from the ODT: LibreOffice 7.4 drops this table on a DOCX → DOC → DOCX trip
    office_odt = list(convert(soffice, office_docx, "odt").values())
    office_doc = convert(soffice, office_odt, "doc:MS Word 97")
    for src, dest in [*zip(office_docx, office_odt, strict=True), *office_doc.items()]:
        print(f"wrote {dest.relative_to(ROOT)} (from {src.name})")
