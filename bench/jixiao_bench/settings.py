"""The targets, and the sizes and repetitions of a quick and a full run."""

from __future__ import annotations

from typing import Any

# Targets: (operator, value). Ratios of times are ours / theirs.
T_PDF_MINER = ("<=", 1.3)  # our parse with pdf_backend="pdfminer"
T_PDF_PDFIUM = ("<=", 0.4)  # our parse with pdf_backend="pdfium" (the default)
T_PDF_PLUMBER = ("<=", 0.7)
T_TEXT_RATE = (">=", 1000.0)
T_OFFICE = ("<=", 1.5)
T_SCALING = (">=", 1.8)
T_PEAK_MB = ("<=", 200.0)
T_FLAT = ("<=", 1.2)  # peak RSS at 4x the pages / peak RSS at 1x


def config(quick: bool) -> dict[str, Any]:
    return {
        "reps": 2 if quick else 5,  # best-of, for every timing
        "pdf_reps": 3 if quick else 5,  # back-to-back pairs: the PDF ratios are their median
        "pdfium_pages": 100,  # the multi-form PDF of the pdfium ratio
        "text_forms": 400 if quick else 2000,  # generated text set, parse_many
        "corpus_forms": 250 if quick else 2000,  # generated corpus set, parse_many
        "many_reps": 2 if quick else 3,
        "pair_reps": 1 if quick else 2,  # independent processes, alone and two at once
        "pair_files": 120 if quick else None,  # ... on this many files of the corpus set
        "seed_batches": 20 if quick else 30,  # text seeds: best batch of ...
        "seed_per_batch": 15 if quick else 30,  # ... this many passes over both seeds
        "rss_pages": (30, 120) if quick else (75, 300),  # multi-form PDFs, 4x apart
        "rss_parallel": 2 if quick else 1,  # RSS children at once
        "pdfminer_rss": not quick,  # pdfminer's own peak on the generated PDFs
        "big_pdf_ratio": not quick,  # the PDF ratios on the smaller generated PDF too
    }
