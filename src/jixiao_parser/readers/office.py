"""DOC, WPS, ODT and ODS: converted by LibreOffice, then read as DOCX / XLSX.

Legacy binary Word files (and WPS Writer files, which share the format) have
no well-kept pure-Python reader; LibreOffice converts them faithfully. When
``soffice`` is not installed the reader raises
:class:`~jixiao_parser.UnsupportedFormat` saying so; a conversion that fails or
takes longer than :data:`TIMEOUT` seconds raises
:class:`~jixiao_parser.CorruptDocument`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import attrs

from ..document import Document
from ..errors import CorruptDocument, UnsupportedFormat
from ..readers import sniff_format

__all__ = ["TIMEOUT", "convert_with_office", "read_via_office"]

TIMEOUT = 120.0  # seconds for one conversion
_TARGET = {"doc": "docx", "wps": "docx", "odt": "docx", "ods": "xlsx"}


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_office(data: bytes, source: str, target: str) -> bytes:
    """Convert ``data`` to ``target`` (``"docx"`` / ``"xlsx"``) with headless LibreOffice."""
    program = _soffice()
    if program is None:
        msg = f"needs LibreOffice to read ('soffice' not found); convert it to {target} first"
        raise UnsupportedFormat(source, msg)
    with tempfile.TemporaryDirectory(prefix="jixiao-office-") as tmp:
        work = Path(tmp)
        src = work / "input.bin"
        src.write_bytes(data)
        profile = (work / "profile").as_uri()
        cmd = [
            program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
            "--convert-to", target, "--outdir", str(work / "out"), str(src),
        ]  # fmt: skip
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=True, env=_env())
        except subprocess.TimeoutExpired as exc:
            raise CorruptDocument(
                source, f"LibreOffice took over {TIMEOUT:.0f} s to convert it"
            ) from exc
        except (subprocess.CalledProcessError, OSError) as exc:
            raise CorruptDocument(source, f"LibreOffice could not convert it: {exc}") from exc
        out = work / "out" / f"input.{target}"
        if not out.exists():
            raise CorruptDocument(source, "LibreOffice could not convert it (no output)")
        return out.read_bytes()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("HOME", tempfile.gettempdir())
    return env


def read_via_office(data: bytes, path: str | None, source: str) -> Document:
    """Read a DOC / WPS / ODT / ODS file by converting it first.

    The Document keeps the original format's name (``"doc"`` …).
    """
    from . import reader_for

    fmt = sniff_format(data)
    target = _TARGET.get(fmt, "docx")
    converted = convert_with_office(data, source, target)
    reader = reader_for(target)
    if reader is None:  # pragma: no cover - both targets are always registered
        raise UnsupportedFormat(source, f"no {target} reader")
    return attrs.evolve(reader(converted, path, source), format=fmt)
