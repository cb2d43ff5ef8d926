"""jixiao_parser.dask on a local ``distributed`` cluster of two worker processes."""

from __future__ import annotations

import pickle
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import distributed
import pandas as pd
import pytest

from jixiao_parser import JixiaoError, parse_all
from jixiao_parser.dask import ERROR_SCHEMA, Forms, ReadError, read_forms
from jixiao_parser.export import FUNDING_COLUMNS, INDICATOR_COLUMNS, to_dataframe, to_rows
from jixiao_parser.tables import TABLES
from s3_server import (
    BROKEN_URL,
    BUCKET,
    FORM_URLS,
    LOCAL,
    s3_fixture,  # noqa: F401  (the fixture `s3`)
)

ROOT = Path(__file__).resolve().parent.parent
TEXT_CASES = sorted(ROOT.glob("corpus/cases/*/form.txt")) + sorted(
    ROOT.glob("corpus/seeds/*/*.txt")
)
RENDITIONS = [
    ROOT / "corpus" / "renditions" / case / f"{case}.{ext}"
    for case, ext in [
        ("multi_form", "pdf"),
        ("two_forms", "pdf"),
        ("fam1_shanghai_a", "xlsx"),
        ("fam5_yunnan_a", "xls"),
        ("seed_000", "docx"),
        ("numbered_parts", "html"),
    ]
]


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@pytest.fixture(scope="module")
def corrupt(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("corrupt")
    noise = folder / "noise.pdf"
    noise.write_bytes(random.Random(20240101).randbytes(4096))
    docx = (RENDITIONS[4]).read_bytes()
    truncated = folder / "truncated.docx"
    truncated.write_bytes(docx[: len(docx) // 2])
    return [str(noise), str(truncated)]


@pytest.fixture(scope="module")
def inputs(corrupt: list[str]) -> list[str]:
    good = [str(p) for p in [*TEXT_CASES, *RENDITIONS]]
    return [*good[:10], corrupt[0], *good[10:30], corrupt[1], *good[30:]]


@pytest.fixture(scope="module")
def serial(inputs: list[str], corrupt: list[str]) -> list[Any]:
    """The reports of the good inputs, parsed one by one in this process."""
    return [r for p in inputs if p not in corrupt for r in parse_all(p)]


@pytest.fixture(scope="module")
def forms(client: distributed.Client, inputs: list[str]) -> Forms:
    return read_forms(inputs, partition_size=3).persist()


def _records(frame: pd.DataFrame, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows as dicts with every missing value (None, NaN, NA) as None, sorted by ``keys``."""
    rows = [
        {
            k: None if v is None or (not isinstance(v, str) and pd.isna(v)) else v
            for k, v in r.items()
        }
        for r in frame.to_dict("records")
    ]
    return sorted(rows, key=lambda r: tuple(-1 if r[k] is None else r[k] for k in keys))


INDICATOR_KEYS = ("path", "form_index", "row_index", "part_index")
FUNDING_KEYS = ("path", "form_index")


def test_importing_the_package_does_not_import_dask() -> None:
    code = "import jixiao_parser, sys; assert not [m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'pandas')]"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_one_report_dict_per_form_as_parsed_serially(
    client: distributed.Client, inputs: list[str], serial: list[Any]
) -> None:
    fresh = read_forms(inputs)  # not persisted: one graph computes both bags
    reports, errors = dask.compute(fresh.bag, fresh.errors)
    assert len(reports) == len(serial) > len(inputs) - 2
    assert reports == [r.to_dict() for r in serial]
    assert len(errors) == 2


def test_error_bag_holds_each_corrupt_file_once(forms: Forms, corrupt: list[str]) -> None:
    errors = forms.errors.compute()
    assert sorted(e["path"] for e in errors) == sorted(corrupt)
    assert all(set(e) == {"schema", "path", "type", "message"} for e in errors)
    assert {e["schema"] for e in errors} == {ERROR_SCHEMA}
    assert {e["type"] for e in errors} == {"CorruptDocument", "UnsupportedFormat"}
    assert all(e["path"] in e["message"] for e in errors)


def test_indicator_frame_equals_to_rows(forms: Forms, serial: list[Any]) -> None:
    frame = forms.to_indicator_frame()
    assert list(frame.columns) == list(INDICATOR_COLUMNS)
    computed = frame.compute()
    assert computed.dtypes.to_dict() == frame.dtypes.to_dict()  # meta told the truth
    assert (computed["part_index"].notna()).any()  # numbered parts are in the corpus
    assert frame.dtypes.to_dict() == to_dataframe([]).dtypes.to_dict()  # the declared schema
    expected = to_dataframe(serial)
    assert len(computed) == len(expected)
    assert _records(computed, INDICATOR_KEYS) == _records(expected, INDICATOR_KEYS)


def test_funding_frame_equals_to_rows(forms: Forms, serial: list[Any]) -> None:
    frame = forms.to_funding_frame()
    assert list(frame.columns) == list(FUNDING_COLUMNS)
    computed = frame.compute()
    assert computed.dtypes.to_dict() == frame.dtypes.to_dict()
    expected = to_dataframe(serial, "funding")
    assert _records(computed, FUNDING_KEYS) == _records(expected, FUNDING_KEYS)


@pytest.mark.parametrize("table", ["forms", "checks", "diagnostics"])
def test_every_table_has_a_frame(forms: Forms, serial: list[Any], table: str) -> None:
    frame = forms.to_frame(table)
    assert list(frame.columns) == list(TABLES[table].names)
    computed = frame.compute()
    assert (
        computed.dtypes.to_dict()
        == frame.dtypes.to_dict()
        == to_dataframe([], table).dtypes.to_dict()
    )
    keys = ("path", "form_index", *TABLES[table].of_type("int")[2:])
    assert _records(computed, keys) == _records(to_dataframe(serial, table), keys)


def test_indicator_frame_round_trips_through_parquet(
    forms: Forms, serial: list[Any], tmp_path: Path
) -> None:
    out = tmp_path / "indicators"
    forms.to_indicator_frame().to_parquet(str(out), write_index=False)
    back = pd.read_parquet(out)
    assert list(back.columns) == list(INDICATOR_COLUMNS)
    expected = to_dataframe(serial)
    assert _records(back, INDICATOR_KEYS) == _records(expected, INDICATOR_KEYS)
    assert str(back["row_index"].dtype) == "int64[pyarrow]"
    # the files hold the declared schema, the same as write_parquet writes
    import pyarrow.dataset as ds

    from jixiao_parser.tables import arrow_schema

    written = ds.dataset(str(out), format="parquet").schema
    assert written.remove_metadata().equals(arrow_schema("indicators").remove_metadata())


def test_skip_drops_failures_and_raise_raises_on_compute(
    client: distributed.Client, inputs: list[str], corrupt: list[str], serial: list[Any]
) -> None:
    skipped = read_forms(inputs, on_error="skip")
    reports, errors = dask.compute(skipped.bag, skipped.errors)
    assert len(reports) == len(serial) and errors == []
    raising = read_forms([inputs[0], corrupt[1]], on_error="raise")
    frame = raising.to_indicator_frame()  # lazy: building the frame parses nothing
    with pytest.raises(JixiaoError, match=r"truncated\.docx") as info:
        frame.compute()
    assert isinstance(info.value, ReadError) and info.value.type == "UnsupportedFormat"
    with pytest.raises(ValueError, match="on_error"):
        read_forms(inputs, on_error="ignore")


def test_views_computed_together_parse_each_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import jixiao_parser.dask as jd

    calls: list[str] = []
    real = jd._parse_one

    def counting(path: str, **kwargs: Any) -> Any:
        calls.append(path)
        return real(path, **kwargs)

    monkeypatch.setattr(jd, "_parse_one", counting)
    forms = read_forms([*TEXT_CASES[:3], "missing.pdf"])
    with dask.config.set(scheduler="sync"):
        dask.compute(forms.bag, forms.errors)
        assert len(calls) == 4
        calls.clear()
        dask.compute(forms.to_indicator_frame(), forms.to_funding_frame())
        assert len(calls) == 4
        calls.clear()
        persisted = forms.persist()
        dask.compute(persisted.to_indicator_frame(), persisted.to_funding_frame())
        assert persisted.compute() == forms.compute() and len(calls) == 4 + 4


def test_read_error_survives_pickling() -> None:
    err = pickle.loads(pickle.dumps(ReadError("a.pdf", "CorruptDocument", "a.pdf: broken")))
    assert (err.source, err.type, str(err)) == (
        "a.pdf",
        "CorruptDocument",
        "a.pdf: CorruptDocument: broken",
    )


def test_directories_and_globs(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for k, case in enumerate(TEXT_CASES[:3]):
        shutil.copy(case, tmp_path / ("sub" if k else ".") / f"case{k}.txt")
    shutil.copy(TEXT_CASES[3], tmp_path / ".hidden.txt")

    def paths(forms: Forms) -> list[str]:
        return sorted({d["source"]["path"] for d in forms.compute(scheduler="sync")})

    names = [str(tmp_path / "case0.txt"), *(str(tmp_path / "sub" / f"case{k}.txt") for k in (1, 2))]
    assert paths(read_forms(tmp_path)) == sorted(names)
    assert paths(read_forms(str(tmp_path / "**" / "*.txt"))) == sorted(names)
    assert paths(read_forms([tmp_path / "case0.txt", str(tmp_path / "sub" / "*.txt")])) == sorted(
        names
    )
    assert read_forms(str(tmp_path / "*.pdf")).compute(scheduler="sync") == []
    assert read_forms(tmp_path).errors.compute(scheduler="sync") == []


def test_the_readme_example_runs_as_a_script(tmp_path: Path) -> None:
    """README's Dask example, as it stands, on a 2-worker local cluster."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Dask") :]
    start = section.index("```python\n") + len("```python\n")
    script = section[start : section.index("\n```", start)]
    assert 'if __name__ == "__main__":' in script
    (tmp_path / "example.py").write_text(script, encoding="utf-8")
    pdfs = [ROOT / "corpus" / "renditions" / c / f"{c}.pdf" for c in ("seed_003", "two_forms")]
    (tmp_path / "downloads" / "2024").mkdir(parents=True)
    for pdf in pdfs:
        shutil.copy(pdf, tmp_path / "downloads" / "2024" / pdf.name)
    (tmp_path / "downloads" / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    done = subprocess.run(
        [sys.executable, "example.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "broken.pdf" in done.stdout and "CorruptDocument" in done.stdout
    back = pd.read_parquet(tmp_path / "indicators")
    assert len(back) == len(to_rows([r for p in pdfs for r in parse_all(p)])) > 0


def test_read_forms_from_s3_on_the_cluster(client: distributed.Client, s3: dict[str, Any]) -> None:
    """Workers read their own files from a local S3 server (no shared filesystem
    needed): the listing is made here, the endpoint and keys go with the graph."""
    forms = read_forms(f"s3://{BUCKET}/in/**", storage_options=s3["options"])
    reports, errors = dask.compute(forms.bag, forms.errors)
    local = [r.to_dict() for p in LOCAL for r in parse_all(p)]
    assert [{**r, "source": None} for r in reports] == [{**r, "source": None} for r in local]
    assert {r["source"]["path"] for r in reports} == set(FORM_URLS)
    assert [(e["path"], e["type"]) for e in errors] == [(BROKEN_URL, "CorruptDocument")]
