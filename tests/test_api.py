"""The public API: sources, errors, the one-form contract, JSON output, the CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import jixiao_parser
from jixiao_parser import (
    CorruptDocument,
    FormCountError,
    JixiaoError,
    NotAForm,
    UnreadableSource,
    UnsupportedFormat,
    parse,
    parse_all,
    parse_text,
)
from jixiao_parser.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seeds" / "seed_000" / "000_f4fd78449f7adfd3.txt"
TWO = "项目支出绩效自评表\n项目名称\t甲\n总分\t100\t90\n项目支出绩效自评表\n项目名称\t乙\n"


def test_all_public_names_are_exported_and_documented() -> None:
    assert jixiao_parser.__all__ == sorted(jixiao_parser.__all__)
    for name in jixiao_parser.__all__:
        obj = getattr(jixiao_parser, name)
        if callable(obj):
            assert obj.__doc__, name


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: str(SEED), id="str"),
        pytest.param(lambda: SEED, id="pathlike"),
        pytest.param(lambda: SEED.read_bytes(), id="bytes"),
        pytest.param(lambda: io.BytesIO(SEED.read_bytes()), id="stream"),
    ],
)
def test_sources(make) -> None:  # type: ignore[no-untyped-def]
    report = parse(make())
    assert report.total.score == Decimal("99.43")


def test_path_is_recorded_only_for_files() -> None:
    assert parse(SEED).source.path == str(SEED)
    assert parse(SEED.read_bytes()).source.path is None


def test_text_mode_stream_is_a_clear_error() -> None:
    with pytest.raises(UnsupportedFormat, match="'rb'"):
        parse(io.StringIO("项目名称\t甲"))  # type: ignore[arg-type]


def test_parse_needs_exactly_one_form() -> None:
    with pytest.raises(FormCountError, match="found 2") as info:
        parse(TWO.encode())
    assert info.value.count == 2
    with pytest.raises(NotAForm, match="<bytes>: no self-evaluation form"):
        parse(b"hello")
    assert [r.header.project_name for r in parse_text(TWO)] == ["甲", "乙"]
    assert [r.source.form_index for r in parse_text(TWO)] == [0, 1]


def test_missing_file_is_a_typed_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(UnreadableSource, match=r"nope\.txt: cannot read file") as info:
        parse_all(missing)
    assert isinstance(info.value, OSError)
    assert info.value.source == str(missing)
    assert isinstance(info.value.__cause__, OSError)


def test_a_path_with_a_nul_is_a_typed_error() -> None:
    with pytest.raises(UnreadableSource, match="cannot read file"):
        parse_all("项目名称\x00示例")


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04rest", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", b"GIF89a"],
)  # PNG, JPEG and TIFF are scans, read by OCR (tests/test_ocr.py)
def test_formats_no_reader_takes_are_named(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "form.txt"
    path.write_bytes(data)
    with pytest.raises(UnsupportedFormat, match=r"form\.txt: unsupported format"):
        parse_all(path)


def test_errors_share_a_base_and_a_builtin() -> None:
    for cls in (UnsupportedFormat, CorruptDocument, FormCountError, NotAForm):
        assert issubclass(cls, JixiaoError) and issubclass(cls, ValueError)
    assert issubclass(UnreadableSource, JixiaoError) and issubclass(UnreadableSource, OSError)


def test_to_json_round_trips_exact_numbers() -> None:
    data = json.loads(parse(SEED).to_json())
    line = data["funding"]["lines"][0]
    assert line["executed"] == 965043.97
    assert '"executed": 965043.97' in parse(SEED).to_json()
    assert data["schema"] == "jixiao/1"


def test_cli_json_and_jsonl(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED)]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert len(reports) == 1 and reports[0]["total"]["score"] == 99.43
    assert main(["parse", str(SEED), str(SEED), "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(x)["year"] for x in lines] == [2021, 2021]


def test_cli_reports_bad_files_and_goes_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert main(["parse", str(bad), str(SEED)]) == 1
    captured = capsys.readouterr()
    assert "bad.pdf" in captured.err and "png" in captured.err
    assert len(json.loads(captured.out)) == 1


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "jixiao_parser", "parse", str(SEED), "--format", "jsonl"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(out.stdout)["header"]["supervisor"] == "上海市卫生健康委员会"


def test_format_override() -> None:
    data = SEED.read_bytes()
    assert parse(data, format="text").total.score == Decimal("99.43")
    with pytest.raises(UnsupportedFormat, match="unsupported format 'nonsense'"):
        parse(data, format="nonsense")


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"%PDF-1.4\n", "pdf"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html>", "html"),
        (b"  <table><tr><td>x</td></tr></table>", "html"),
        ("项目名称\t示例".encode("gb18030"), "text"),
        (b"\x89PNG\r\n\x1a\n", "png"),
    ],
)
def test_sniffing_reads_content_not_names(head: bytes, fmt: str) -> None:
    from jixiao_parser.readers import sniff_format

    assert sniff_format(head) == fmt


def test_errors_pickle_with_their_fields() -> None:
    import pickle

    for error in (
        NotAForm("a.pdf", "no self-evaluation form found"),
        FormCountError("b.txt", "found 2", 2),
        UnreadableSource("c.txt", "cannot read file"),
    ):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error)
        assert back.__dict__ == error.__dict__


def test_a_pdf_named_by_path_is_read_from_the_open_file(monkeypatch: pytest.MonkeyPatch) -> None:
    # a long PDF is never held in memory whole: the reader gets the open file
    from jixiao_parser.readers import pdf

    path = Path(__file__).resolve().parent.parent / "corpus/renditions/multi_form/multi_form.pdf"
    seen: list[object] = []
    real = pdf.read_pdf

    def spy(data: object, name: str | None, source: str, **options: str) -> object:
        seen.append(data)
        return real(data, name, source, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf, "read_pdf", spy)
    by_path = jixiao_parser.parse_all(path)
    (handle,) = seen
    assert not isinstance(handle, bytes) and handle.closed  # type: ignore[attr-defined]
    by_bytes = jixiao_parser.parse_all(path.read_bytes())
    assert isinstance(seen[1], bytes)
    strip = [{k: v for k, v in r.to_dict().items() if k != "source"} for r in by_bytes]
    assert [{k: v for k, v in r.to_dict().items() if k != "source"} for r in by_path] == strip
    assert len(by_path) > 1


def test_a_pdf_from_a_pipe_is_read_and_max_bytes_holds(tmp_path: Path) -> None:
    # a FIFO (or /dev/stdin) cannot be seeked: it is read once, within max_bytes
    import os
    import threading

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    pdf = Path(__file__).resolve().parent.parent / "corpus/renditions/multi_form/multi_form.pdf"
    data = pdf.read_bytes()
    fifo = tmp_path / "in.pdf"

    def feed() -> None:
        try:
            with open(fifo, "wb") as out:
                out.write(data)
        except BrokenPipeError:
            pass  # the reader stopped at max_bytes

    for limit, expect in ((None, None), (1000, jixiao_parser.ResourceLimitExceeded)):
        os.mkfifo(fifo)
        writer = threading.Thread(target=feed)
        writer.start()
        try:
            if expect is None:
                got = jixiao_parser.parse_all(fifo)
                assert len(got) == len(jixiao_parser.parse_all(data)) > 1
            else:
                with pytest.raises(expect, match="max_bytes"):
                    jixiao_parser.parse_all(fifo, max_bytes=limit)
        finally:
            writer.join(timeout=10)
            fifo.unlink()
