"""Forms in object storage: fsspec URLs in parse_many, the CLI and
jixiao_parser.dask.read_forms, against ``memory://`` and against a local S3
server (moto's server mode on 127.0.0.1, started and stopped here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

fsspec = pytest.importorskip("fsspec", reason="the remote extra (fsspec) is not installed")

from jixiao_parser import parse_all, parse_many  # noqa: E402
from jixiao_parser.cli import main  # noqa: E402
from s3_server import (  # noqa: E402
    BROKEN_URL,
    BUCKET,
    CREDENTIALS,
    FORM_URLS,
    LOCAL,
    s3_fixture,  # noqa: F401  (the fixture `s3`)
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(ROOT.glob("corpus/seeds/*/*.txt"))
PDF = ROOT / "corpus" / "renditions" / "seed_003" / "seed_003.pdf"
BROKEN = b"%PDF-1.4\n" + bytes(range(256)) * 4


@pytest.fixture
def memory() -> Iterator[Any]:
    fs = fsspec.filesystem("memory")
    for seed in SEEDS:
        fs.pipe(f"/forms/{seed.name}", seed.read_bytes())
    fs.pipe("/forms/sub/seed_003.pdf", PDF.read_bytes())
    fs.pipe("/forms/sub/broken.pdf", BROKEN)
    fs.pipe("/forms/.hidden.txt", SEEDS[0].read_bytes())
    try:
        yield fs
    finally:
        fs.rm("/forms", recursive=True)


def _expected() -> dict[str, int]:
    """Forms per file name, as parsed from the local copies."""
    return {p.name: len(parse_all(p)) for p in [*SEEDS, PDF]}


def test_parse_many_reads_memory_urls_in_its_workers(memory: Any) -> None:
    urls = [f"memory://forms/{p.name}" for p in SEEDS] + ["memory://forms/sub/broken.pdf"]
    results = list(parse_many(urls, workers=2))
    assert [r.path for r in results] == urls
    assert [len(r.reports) for r in results[:-1]] == [len(parse_all(p)) for p in SEEDS]
    assert results[0].reports[0].source.path == urls[0]
    assert results[-1].error is not None and results[-1].error.type == "CorruptDocument"
    assert results[-1].error.message.startswith("memory://forms/sub/broken.pdf: ")


def test_cli_lists_and_parses_a_memory_directory(
    memory: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    errors = tmp_path / "errors.jsonl"
    argv = ["parse", "memory://forms/", "-r", "-j", "2", "--format", "jsonl"]
    assert main([*argv, "--errors", str(errors)]) == 1  # broken.pdf
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    expected = _expected()
    paths = [d["source"]["path"] for d in out]
    assert sorted({p.rsplit("/", 1)[-1] for p in paths}) == sorted(expected)  # no .hidden.txt
    assert len(out) == sum(expected.values())
    assert all(p.startswith("memory://") for p in paths)
    (record,) = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert record["path"].endswith("/forms/sub/broken.pdf") and record["type"] == "CorruptDocument"
    assert main(["parse", "memory://forms/*.pdf"]) == 2  # a glob that matches nothing
    assert "no file matches" in capsys.readouterr().err


def test_read_forms_takes_memory_urls(memory: Any) -> None:
    pytest.importorskip("dask", reason="the dask extra is not installed")
    import dask

    from jixiao_parser.dask import read_forms

    forms = read_forms("memory://forms/**/*.pdf")
    with dask.config.set(scheduler="sync"):
        reports, errors = dask.compute(forms.bag, forms.errors)
    assert [r["source"]["path"].rsplit("/", 1)[-1] for r in reports] == ["seed_003.pdf"]
    assert [(e["path"].rsplit("/", 1)[-1], e["type"]) for e in errors] == [
        ("broken.pdf", "CorruptDocument")
    ]


def test_without_fsspec_a_url_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "fsspec.core", None)
    assert main(["parse", "s3://bucket/forms/"]) == 2
    assert "jixiao_parser[remote]" in capsys.readouterr().err
    (result,) = parse_many(["s3://bucket/a.pdf"], workers=1)
    assert result.error is not None and result.error.type == "MissingDependency"


# -- a real S3 API: moto's server on the loopback interface (tests/s3_server.py) ------


def test_cli_reads_forms_from_s3(s3: dict[str, Any], tmp_path: Path) -> None:
    env = {**os.environ, **CREDENTIALS, "FSSPEC_S3_ENDPOINT_URL": s3["endpoint"]}
    errors = tmp_path / "errors.jsonl"
    argv = ["parse", f"s3://{BUCKET}/in/", "-r", "-j", "2", "--format", "jsonl"]
    done = subprocess.run(
        [sys.executable, "-m", "jixiao_parser", *argv, "--errors", str(errors)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # broken.pdf
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == sum(len(parse_all(p)) for p in LOCAL)
    assert sorted({d["source"]["path"] for d in out}) == sorted(FORM_URLS)
    (record,) = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert (record["path"], record["type"]) == (BROKEN_URL, "CorruptDocument")


def test_a_url_over_max_bytes_is_refused_without_reading_it_all(memory: Any) -> None:
    from jixiao_parser import Limits

    url = f"memory://forms/{SEEDS[0].name}"
    (result,) = parse_many([url], workers=1, limits=Limits(max_bytes=100))
    assert result.error is not None and result.error.type == "ResourceLimitExceeded"
    assert result.error.message.startswith(f"{url}: ") and "(max_bytes)" in result.error.message
    (missing,) = parse_many(["memory://forms/nothing.pdf"], workers=1)
    assert missing.error is not None and missing.error.type == "UnreadableSource"
