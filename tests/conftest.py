"""Shared fixtures and the ``--update-goldens`` flag."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite corpus/*/*/golden.json from the current parser (review the diff!)",
    )


@pytest.fixture(params=["pdfium", "pdfminer"])
def each_pdf_backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test once per PDF backend: ``pdf_backend="auto"`` (the default of
    every entry point) picks this one."""
    from jixiao_parser.readers import pdf

    backend: str = request.param
    if backend == "pdfminer":
        monkeypatch.setattr(pdf, "_have_pdfium", lambda: False)
    return backend
