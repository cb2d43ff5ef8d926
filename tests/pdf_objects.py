"""A PDF file written from its objects, for tests that need a PDF no office
program makes (a bare text line, a form XObject)."""

from __future__ import annotations

import io


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF whose objects 1, 2 … are ``objects`` (object 1 the catalog), with
    its cross-reference table and trailer.

    >>> pdf_from_objects([b"<< /Type /Catalog >>"]).startswith(b"%PDF-1.4")
    True
    """
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % k + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
