"""Dask integration (the ``dask`` extra): many forms as a Dask bag or DataFrame.

:func:`read_forms` turns files, directories or globs into a lazy :class:`Forms`:
``.bag`` holds one ``jixiao/1`` report dict per form, ``.errors`` one record
per file that failed, and ``.to_frame(table)`` (``.to_indicator_frame()``,
``.to_funding_frame()``) gives a Dask DataFrame of any of the five tables of
:mod:`jixiao_parser.tables`, with its declared Arrow dtypes. Nothing
is parsed until something is computed, on whatever scheduler is active (a
``distributed.Client`` when one is open)::

    >>> import dask
    >>> from jixiao_parser.dask import read_forms
    >>> forms = read_forms("corpus/seeds/*/*.txt")
    >>> with dask.config.set(scheduler="sync"):
    ...     [(d["year"], d["header"]["project_code"]) for d in forms.compute()]
    [(2021, None), (2023, '440307210701500003094')]

How the tables are made: each task parses one file with
:func:`~jixiao_parser.parse_all` and, while the typed :class:`~jixiao_parser.Report`
objects are still in hand, emits for every form its report dict *and* its
rows of every table (:func:`jixiao_parser.export.typed_rows`). Nothing is
rebuilt from the dicts, so the frames hold exactly what
:func:`jixiao_parser.to_dataframe` gives.
``.bag``, ``.errors`` and the frames are views of one bag of those per-form
records, so each file is parsed once when the bags are computed together
(``dask.compute(forms.bag, forms.errors)``), when the frames are
(``dask.compute(ind.to_parquet(..., compute=False), fund.to_parquet(...,
compute=False))``), and after :meth:`Forms.persist` for any mix; a bag and a
frame computed together without ``persist`` parse twice (Dask optimises bags
and frames apart).

Importing :mod:`jixiao_parser` never imports dask; this module needs it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, Union

try:
    import dask.bag as db
except ImportError as exc:  # pragma: no cover - depends on the environment
    msg = "jixiao_parser.dask needs dask: pip install 'jixiao_parser[dask]'"
    raise ImportError(msg) from exc

from .errors import JixiaoError
from .export import dataframe_from_rows, typed_rows
from .pipeline import _parse_one
from .sources import expand
from .tables import TABLES, _table

__all__ = ["ERROR_SCHEMA", "Forms", "ReadError", "read_forms"]

ERROR_SCHEMA = "jixiao/1-error"
"""The ``schema`` of the error records in :attr:`Forms.errors`."""

Paths = Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]]

_POLICIES = ("record", "skip", "raise")


class ReadError(JixiaoError):
    """A file :func:`read_forms` could not parse, raised on compute with ``on_error="raise"``.

    ``source`` is the file, ``type`` the class name of the original error
    (``"CorruptDocument"``, ``"InternalError"`` for a bug of ours, …). Unlike
    the other errors it survives pickling, so it reaches the client intact
    from a worker process.

    >>> err = ReadError("a.pdf", "CorruptDocument", "a.pdf: cannot open the PDF")
    >>> str(err), err.type
    ('a.pdf: CorruptDocument: cannot open the PDF', 'CorruptDocument')
    """

    def __init__(self, source: str, type: str, message: str) -> None:
        self.type = type
        self.message = message
        reason = message.removeprefix(f"{source}: ")
        super().__init__(source, f"{type}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (ReadError, (self.source, self.type, self.message))


class _Form(NamedTuple):
    """What one task yields per form: the report dict and its typed rows, by table."""

    report: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]


def _parse_path(
    path: str, on_error: str, storage_options: Mapping[str, Any] | None = None
) -> list[Any]:
    """One file → a :class:`_Form` per form, or its error record (or nothing)."""
    result = _parse_one(path, storage_options=storage_options)
    if result.error is not None:
        if on_error == "raise":
            raise ReadError(result.path, result.error.type, result.error.message)
        if on_error == "skip":
            return []
        return [{"schema": ERROR_SCHEMA, "path": result.path, **result.error.to_dict()}]
    return [_Form(r.to_dict(), {t: typed_rows([r], t) for t in TABLES}) for r in result.reports]


def _is_form(item: Any) -> bool:
    return isinstance(item, _Form)


def _is_error(item: Any) -> bool:
    return not isinstance(item, _Form)


def _report(item: _Form) -> dict[str, Any]:
    return item.report


def _frame(partition: Iterable[Any], table: str) -> Any:
    """One partition's rows of ``table`` as a pandas DataFrame of the declared dtypes."""
    rows = [row for item in partition if isinstance(item, _Form) for row in item.tables[table]]
    return dataframe_from_rows(rows, table)


def _meta(table: str) -> Any:
    """The empty DataFrame of ``table``: the declared Arrow dtypes, nothing computed."""
    return dataframe_from_rows([], table)


def _expand(paths: Paths, storage_options: Mapping[str, Any] | None = None) -> list[str]:
    """Files named, globs expanded (``**`` included), and every file under a
    directory named (all levels, sorted, hidden ones skipped); fsspec URLs
    (``s3://``, ``gs://``, ``memory://``, ``file://``) the same way."""
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    out: list[str] = []
    for item in items:
        out.extend(expand(item, recursive=True, storage_options=storage_options).files)
    return out


class Forms:
    """The lazy result of :func:`read_forms`; build it with that function.

    ``.bag`` is the Dask bag of report dicts (one per form, in input order),
    ``.errors`` the bag of error records (``{"schema": "jixiao/1-error",
    "path", "type", "message"}``, one per failed file). All views share one
    graph, so ``dask.compute(forms.bag, forms.errors)`` parses each file once
    (see the module notes for frames, and :meth:`persist`).

    >>> import dask
    >>> forms = read_forms(["corpus/seeds/seed_003/003_83db39a3659af481.txt", "missing.pdf"])
    >>> with dask.config.set(scheduler="sync"):
    ...     reports, errors = dask.compute(forms.bag, forms.errors)
    >>> len(reports), [(e["path"], e["type"]) for e in errors]
    (1, [('missing.pdf', 'UnreadableSource')])
    """

    def __init__(self, items: Any) -> None:
        self._items = items

    def __repr__(self) -> str:
        return f"<Forms npartitions={self._items.npartitions}>"

    @property
    def bag(self) -> Any:
        """The Dask bag of ``jixiao/1`` report dicts, one per form.

        >>> forms = read_forms("corpus/seeds/*/*.txt")
        >>> forms.bag.pluck("year").compute(scheduler="sync")
        [2021, 2023]
        """
        return self._items.filter(_is_form).map(_report)

    @property
    def errors(self) -> Any:
        """The Dask bag of error records, one per file that failed (empty unless
        ``on_error="record"``).

        >>> read_forms(["nowhere.docx"]).errors.pluck("type").compute(scheduler="sync")
        ['UnreadableSource']
        """
        return self._items.filter(_is_error)

    def compute(self, **kwargs: Any) -> list[dict[str, Any]]:
        """The report dicts as a list (``kwargs`` go to ``Bag.compute``).

        >>> read_forms("corpus/seeds/*/*.txt").compute(scheduler="sync")[0]["schema"]
        'jixiao/1'
        """
        reports: list[dict[str, Any]] = self.bag.compute(**kwargs)
        return reports

    def persist(self, **kwargs: Any) -> Forms:
        """Parse now and keep the results in memory (on the cluster, with a
        ``distributed.Client``): the bags and frames of the returned
        :class:`Forms` then reuse them instead of parsing again.

        >>> forms = read_forms("corpus/seeds/*/*.txt").persist(scheduler="sync")
        >>> forms.bag.count().compute(scheduler="sync")
        2
        """
        return Forms(self._items.persist(**kwargs))

    def to_frame(self, table: str = "indicators") -> Any:
        """A Dask DataFrame of the rows of ``table`` (``indicators``, ``funding``,
        ``forms``, ``checks`` or ``diagnostics``), as
        :func:`jixiao_parser.to_dataframe` gives them.

        Columns and dtypes are the table's declared schema
        (:mod:`jixiao_parser.tables`), fixed up front (nothing is computed to
        infer them): ``decimal128(38, 10)[pyarrow]`` for money and figures,
        ``int64[pyarrow]``, ``bool[pyarrow]``, ``string[pyarrow]`` …, so
        ``to_parquet`` writes one schema for every partition.

        >>> frame = read_forms("corpus/seeds/*/*.txt").to_frame("forms")
        >>> str(frame["total_score"].dtype), str(frame["checks_failed"].dtype)
        ('decimal128(38, 10)[pyarrow]', 'int64[pyarrow]')
        >>> frame.to_parquet("forms/")  # doctest: +SKIP
        """
        import dask.dataframe as dd

        name = _table(table).name
        parts = self._items.map_partitions(_frame, name)
        return dd.from_delayed(
            parts.to_delayed(optimize_graph=False), meta=_meta(name), verify_meta=False
        )

    def to_indicator_frame(self) -> Any:
        """:meth:`to_frame` of ``indicators``: a row per indicator and one more
        per numbered part.

        >>> frame = read_forms("corpus/seeds/*/*.txt").to_indicator_frame()
        >>> str(frame["part_index"].dtype), str(frame["weight"].dtype)
        ('int64[pyarrow]', 'decimal128(38, 10)[pyarrow]')
        >>> frame.to_parquet("indicators/")  # doctest: +SKIP
        """
        return self.to_frame("indicators")

    def to_funding_frame(self) -> Any:
        """:meth:`to_frame` of ``funding``: a row per funding line.

        >>> frame = read_forms("corpus/seeds/*/*.txt").to_funding_frame()
        >>> totals = frame[frame["role"] == "total"].compute(scheduler="sync")
        >>> [str(x) for x in totals["executed"]]
        ['965043.9700000000', '5658097.5500000000']
        """
        return self.to_frame("funding")


def read_forms(
    paths: Paths,
    *,
    partition_size: int | None = None,
    on_error: str = "record",
    storage_options: Mapping[str, Any] | None = None,
) -> Forms:
    """Every form in ``paths``, lazily, as a :class:`Forms` over a Dask bag.

    ``paths`` is a file, a directory (every file under it, all levels, sorted,
    hidden ones skipped), a glob (``**`` descends), or a list of any of these.
    Each file is one task parsed with :func:`~jixiao_parser.parse_all`;
    ``partition_size`` files go in a partition (Dask's default: one per
    partition up to 100 files, about 100 partitions beyond). ``on_error``:
    ``"record"`` puts a failed file in :attr:`Forms.errors`, ``"skip"`` drops
    it, ``"raise"`` makes computing raise :class:`ReadError` (a
    :class:`~jixiao_parser.JixiaoError`). Files holding no form add nothing.

    Any of ``paths`` may be an fsspec URL (``s3://bucket/forms/**/*.pdf``,
    ``gs://…``, ``memory://…``, ``file://…``; needs the ``remote`` extra):
    the listing is made here and each worker reads its files itself, so the
    workers need no shared filesystem. ``storage_options`` go to the
    filesystem on both sides (``{"endpoint_url": …, "key": …}`` for S3).

    >>> from distributed import Client                       # doctest: +SKIP
    >>> client = Client(n_workers=4)                         # doctest: +SKIP
    >>> forms = read_forms("scans/**/*.pdf")                 # doctest: +SKIP
    >>> forms.to_indicator_frame().to_parquet("indicators/")  # doctest: +SKIP
    >>> forms.errors.to_dataframe().compute()                # doctest: +SKIP
    >>> read_forms("s3://bucket/forms/", storage_options={"anon": True})  # doctest: +SKIP
    """
    if on_error not in _POLICIES:
        msg = f"on_error must be 'record', 'skip' or 'raise', not {on_error!r}"
        raise ValueError(msg)
    from_sequence: Callable[..., Any] = db.from_sequence  # untyped in dask
    options = dict(storage_options) if storage_options else None
    items = from_sequence(_expand(paths, options), partition_size=partition_size)
    return Forms(items.map(_parse_path, on_error, options).flatten())
