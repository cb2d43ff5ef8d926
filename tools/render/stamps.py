"""Fixed dates and IDs, so that a re-run rewrites DOCX, XLSX and (from the same
LibreOffice build) PDF files byte-identically."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

from .settings import FIXED_TIME, ZIP_TIME


def normalise_zip(path: Path) -> None:
    """Rewrite a DOCX/XLSX with fixed entry times and a fixed core modified date."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in items:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, data)
    path.write_bytes(buf.getvalue())


def normalise_pdf(pdf: Path, seed: bytes) -> None:
    """Fix LibreOffice's creation date, /ID and /DocChecksum in place (same lengths).

    Everything else LibreOffice writes is stable, so a re-run leaves the PDF
    byte-identical and git sees no change.
    """
    data = pdf.read_bytes()
    data = re.sub(
        rb"(/(?:CreationDate|ModDate)\s*\(D:)\d{14}",
        rb"\g<1>" + FIXED_TIME.strftime("%Y%m%d%H%M%S").encode(),
        data,
    )
    digest = hashlib.md5(seed).hexdigest().upper().encode()

    def fixed_id(m: re.Match[bytes]) -> bytes:
        return b"<" + (digest * 4)[: len(m.group(1))] + b">"

    head, sep, tail = data.rpartition(b"/ID")
    if sep:
        tail = re.sub(rb"<([0-9A-Fa-f]+)>", fixed_id, tail, count=2)
        tail = re.sub(
            rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)",
            lambda m: m.group(1) + (digest * 4)[: len(m.group(2))],
            tail,
        )
        data = head + sep + tail
    pdf.write_bytes(data)
