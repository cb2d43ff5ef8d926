"""``jixiao report``: one self-contained HTML page to audit many forms in a browser.

:func:`render` returns the page as a string: a summary (files read and failed,
forms, forms whose checks fail, median execution rate, budget and spending), a
sortable and filterable table of the forms, a drill-down per form (funding
lines and indicators with the failing checks next to the numbers they
concern, diagnostics, source file and page), charts (execution-rate
distribution, total score against execution rate, attainment by level-2
category) and the list of full marks claimed for targets not met. Everything
is inline — CSS, script, data and charts as SVG — and a content security
policy forbids the page any request, so it reads offline and can be mailed.

Needs the ``report`` extra (Jinja2 and vl-convert-python)::

    pip install 'jixiao_parser[report]'

>>> from jixiao_parser import parse_many
>>> from jixiao_parser.report import render
>>> results = list(parse_many(["corpus/seeds"], workers=1))  # doctest: +SKIP
>>> page = render([r for res in results for r in res.reports],
...               [res for res in results if not res.ok])      # doctest: +SKIP
>>> page.startswith("<!DOCTYPE html>")                          # doctest: +SKIP
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import MissingDependency
from ..model import Report
from ..pipeline import ParseResult
from .build import CHECK_NAMES, PageData, build, fmt_money, fmt_number, fmt_rate
from .charts import CHART_TITLES, chart_specs, on_scale, to_png, to_svg

__all__ = [
    "DEFAULT_TITLE",
    "PageData",
    "build",
    "chart_specs",
    "render",
    "render_page",
    "write_charts",
]

#: the page's heading when no ``title`` is given
DEFAULT_TITLE = "绩效自评表审核报告"


def _static(name: str) -> str:
    return resources.files(__name__).joinpath(f"templates/{name}").read_text(encoding="utf-8")


def _environment() -> Any:
    try:
        import jinja2
    except ImportError as exc:
        raise MissingDependency(
            "jixiao report", "the page needs Jinja2: pip install 'jixiao_parser[report]'"
        ) from exc
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("jixiao_parser.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(money=fmt_money, number=fmt_number, rate=fmt_rate)
    return env


def _script_json(value: Any) -> str:
    """JSON to place inside a ``<script>`` element: ``<`` escaped, so no text of
    a form can close the element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def render(
    reports: Iterable[Report],
    failures: Iterable[ParseResult] = (),
    *,
    files: int | None = None,
    title: str = DEFAULT_TITLE,
) -> str:
    """The audit page of ``reports`` as one self-contained HTML document.

    ``failures`` are the files that could not be read, as
    :func:`~jixiao_parser.parse_many` yields them (``ParseResult`` with
    ``error`` set; build one with ``ParseResult(path, error=ErrorRecord(type,
    message))``); the page lists each with its reason. ``files`` is the number
    of files read (default: the distinct paths among reports and failures).
    Raises :class:`~jixiao_parser.MissingDependency` without the ``report``
    extra.

    >>> from jixiao_parser import parse_text
    >>> page = render(parse_text("项目支出绩效自评表\\n项目名称\\t示例项目\\n"))  # doctest: +SKIP
    >>> "示例项目" in page                                                    # doctest: +SKIP
    True
    """
    return render_page(build(reports, failures, files=files), title)


def render_page(data: PageData, title: str = DEFAULT_TITLE) -> str:
    """The page of data already gathered by :func:`build` (what :func:`render`
    does after building it; ``jixiao report`` builds once for the page and the
    charts).

    >>> render_page(build([]))[:15]  # doctest: +SKIP
    '<!DOCTYPE html>'
    """
    env = _environment()  # first: it names the extra when Jinja2 is missing
    from markupsafe import Markup

    specs = chart_specs(data)
    charts = [(name, CHART_TITLES[name], Markup(to_svg(spec))) for name, spec in specs.items()]
    years = sorted({r.year for r in data.rows if r.year is not None})
    codes = sorted({c for r in data.rows for c in r.failing}, key=list(CHECK_NAMES).index)
    page: str = env.get_template("audit.html.j2").render(
        title=title,
        version=__version__,
        data=data,
        s=data.summary,
        charts=charts,
        years=years,
        codes=[(c, CHECK_NAMES[c]) for c in codes],
        check_names=CHECK_NAMES,
        off_scale=on_scale(data.points)[1],
        css=Markup(_static("audit.css")),
        js=Markup(_static("audit.js")),
        forms_json=Markup(_script_json(data.details)),
    )
    return page


def write_charts(
    reports: Iterable[Report] | PageData,
    directory: str | Path,
    formats: Sequence[str] = ("svg", "png"),
) -> list[Path]:
    """Write each chart of the page as ``DIRECTORY/<name>.svg`` and ``.png``
    (``formats``), plus its Vega-Lite spec as ``<name>.vl.json``; return the
    files written. The directory is made when missing. Names:
    ``execution_rates``, ``score_vs_rate``, ``attainment_by_level2``.

    >>> write_charts([], "charts")  # doctest: +SKIP
    [PosixPath('charts/execution_rates.vl.json'), PosixPath('charts/execution_rates.svg'), ...]
    """
    unknown = set(formats) - {"svg", "png"}
    if unknown:
        msg = f"chart formats are svg and png, not {', '.join(sorted(unknown))}"
        raise ValueError(msg)
    data = reports if isinstance(reports, PageData) else build(reports)
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, spec in chart_specs(data).items():
        path = out / f"{name}.vl.json"
        path.write_text(json.dumps(spec, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
        if "svg" in formats:
            path = out / f"{name}.svg"
            path.write_text(to_svg(spec), encoding="utf-8")
            written.append(path)
        if "png" in formats:
            path = out / f"{name}.png"
            path.write_bytes(to_png(spec))
            written.append(path)
    return written
