"""The audit page's charts: Vega-Lite specs, drawn to SVG (and PNG) by vl-convert.

vl-convert runs Vega-Lite in an embedded JavaScript engine, with no browser and
no network: the SVG it returns is inlined in the page, and ``--charts DIR``
writes each chart as SVG and PNG files.

>>> spec = rate_histogram_spec([])
>>> spec["mark"]["type"]
'bar'
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..errors import MissingDependency
from .build import GENEROUS_RATE, GENEROUS_SCORE, PageData

__all__ = [
    "CHART_TITLES",
    "RATE_BINS",
    "attainment_spec",
    "chart_specs",
    "on_scale",
    "rate_bin",
    "rate_histogram_spec",
    "score_rate_spec",
    "to_png",
    "to_svg",
]

#: chart name → its title on the page (and the stem of its files under --charts)
CHART_TITLES: dict[str, str] = {
    "execution_rates": "执行率分布",
    "score_vs_rate": "自评总分与执行率",
    "attainment_by_level2": "各二级指标的目标达成率",
}

#: execution-rate bins (percent): label, lower bound included, upper bound excluded
RATE_BINS: tuple[tuple[str, Decimal, Decimal | None], ...] = (
    ("<50%", Decimal(-1), Decimal(50)),
    ("50–60%", Decimal(50), Decimal(60)),
    ("60–70%", Decimal(60), Decimal(70)),
    ("70–80%", Decimal(70), Decimal(80)),
    ("80–90%", Decimal(80), Decimal(90)),
    ("90–95%", Decimal(90), Decimal(95)),
    ("95–100%", Decimal(95), Decimal(100)),
    ("100%", Decimal(100), Decimal("100.000001")),
    (">100%", Decimal("100.000001"), None),
)

_FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
_CONFIG: dict[str, Any] = {
    "font": _FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "grid": True, "gridColor": "#eee"},
    "title": {"fontSize": 15, "anchor": "start"},
    "background": "white",
}


def rate_bin(rate: Decimal) -> str:
    """The bin of an execution rate (a ratio) in :data:`RATE_BINS`.

    >>> rate_bin(Decimal("0.9735")), rate_bin(Decimal("1")), rate_bin(Decimal("1.2"))
    ('95–100%', '100%', '>100%')
    """
    percent = rate * 100
    for label, low, high in RATE_BINS:
        if percent >= low and (high is None or percent < high):
            return label
    return RATE_BINS[0][0]  # pragma: no cover - below -1%: no form states that


def rate_histogram_spec(rates: Sequence[Decimal]) -> dict[str, Any]:
    """A bar chart of how many forms fall in each execution-rate bin.

    >>> s = rate_histogram_spec([Decimal("0.97"), Decimal("1")])
    >>> [v for v in s["data"]["values"] if v["forms"]]
    [{'bin': '95–100%', 'forms': 1}, {'bin': '100%', 'forms': 1}]
    """
    counts = dict.fromkeys((label for label, _, _ in RATE_BINS), 0)
    for rate in rates:
        counts[rate_bin(rate)] += 1
    return {
        "title": CHART_TITLES["execution_rates"],
        "width": 520,
        "height": 240,
        "data": {"values": [{"bin": k, "forms": n} for k, n in counts.items()]},
        "mark": {"type": "bar", "color": "#4c78a8"},
        "encoding": {
            "x": {
                "field": "bin",
                "type": "ordinal",
                "sort": list(counts),
                "title": "执行率（全年执行数 / 全年预算数）",
                "axis": {"labelAngle": 0},
            },
            "y": {"field": "forms", "type": "quantitative", "title": "表数"},
        },
        "config": _CONFIG,
    }


def score_rate_spec(points: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Self-assessed total score (on a scale of 100) against execution rate, one
    point per form; forms that score high on a low rate stand out in red.

    >>> s = score_rate_spec([{"rate": 60.0, "score": 95.0, "group": "高分低执行"}])
    >>> s["layer"][0]["mark"]["type"], len(s["data"]["values"])
    ('point', 1)
    """
    inside, _ = on_scale(points)
    low = min([p["rate"] for p in inside] + [50.0])
    high = max([p["rate"] for p in inside] + [100.0])
    bottom = min([p["score"] for p in inside] + [80.0])
    top = max([p["score"] for p in inside] + [100.0])
    return {
        "title": CHART_TITLES["score_vs_rate"],
        "width": 520,
        "height": 300,
        "data": {"values": inside},
        "layer": [
            {
                "mark": {"type": "point", "filled": True, "size": 45, "opacity": 0.75},
                "encoding": {
                    "x": {
                        "field": "rate",
                        "type": "quantitative",
                        "title": "执行率（%）",
                        "scale": {"domain": [max(0.0, low - 5), high + 2], "nice": False},
                    },
                    "y": {
                        "field": "score",
                        "type": "quantitative",
                        "title": "自评总分（百分制）",
                        "scale": {"domain": [max(0.0, bottom - 5), top + 2], "nice": False},
                    },
                    "color": {
                        "field": "group",
                        "type": "nominal",
                        "title": None,
                        "scale": {
                            "domain": ["高分低执行", "有未通过检查", "其他"],
                            "range": ["#d62728", "#ff9f1c", "#4c78a8"],
                        },
                        "legend": {"orient": "bottom"},
                    },
                },
            },
            {
                "data": {"values": [{"x": GENEROUS_RATE}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#999"},
                "encoding": {"x": {"field": "x", "type": "quantitative"}},
            },
            {
                "data": {"values": [{"y": GENEROUS_SCORE}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#999"},
                "encoding": {"y": {"field": "y", "type": "quantitative"}},
            },
        ],
        "config": _CONFIG,
    }


#: the scatter plot's range: rates (percent) and total scores (on a scale of 100) beyond
#: it are misread figures more often than not, and would squash every other point
RATE_SCALE = (0.0, 150.0)
SCORE_SCALE = (0.0, 120.0)


def on_scale(points: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The points the scatter plot draws (rate and score within :data:`RATE_SCALE`
    and :data:`SCORE_SCALE`), and how many it leaves out.

    >>> on_scale([{"rate": 97.0, "score": 99.0}, {"rate": 97.0, "score": 10099.4}])
    ([{'rate': 97.0, 'score': 99.0}], 1)
    """
    inside = [
        p
        for p in points
        if RATE_SCALE[0] <= p["rate"] <= RATE_SCALE[1]
        and SCORE_SCALE[0] <= p["score"] <= SCORE_SCALE[1]
    ]
    return inside, len(points) - len(inside)


def attainment_spec(attainment: Sequence[tuple[str, int, int]]) -> dict[str, Any]:
    """The share of indicators whose target was met, per level-2 category
    (indicators whose attainment could not be judged are left out).

    >>> s = attainment_spec([("数量指标", 9, 10)])
    >>> s["data"]["values"][0]["rate"], s["data"]["values"][0]["label"]
    (90.0, '9/10')
    """
    values = [
        {"category": name, "rate": round(100 * met / n, 1), "label": f"{met}/{n}"}
        for name, met, n in attainment
    ]
    return {
        "title": CHART_TITLES["attainment_by_level2"],
        "width": 420,
        "height": {"step": 22},
        "data": {"values": values},
        "encoding": {
            "y": {
                "field": "category",
                "type": "nominal",
                "sort": [v["category"] for v in values],
                "title": "二级指标",
            },
            "x": {
                "field": "rate",
                "type": "quantitative",
                "title": "达成率（%）",
                "scale": {"domain": [0, 100]},
            },
        },
        "layer": [
            {"mark": {"type": "bar", "color": "#59a14f"}},
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "color": "#333"},
                "encoding": {"text": {"field": "label"}},
            },
        ],
        "config": _CONFIG,
    }


def chart_specs(data: PageData) -> dict[str, dict[str, Any]]:
    """The Vega-Lite spec of each chart of the page, by name (:data:`CHART_TITLES`).

    >>> from jixiao_parser.report.build import build
    >>> sorted(chart_specs(build([])))
    ['attainment_by_level2', 'execution_rates', 'score_vs_rate']
    """
    rates = [r.rate for r in data.rows if r.rate is not None]
    return {
        "execution_rates": rate_histogram_spec(rates),
        "score_vs_rate": score_rate_spec(data.points),
        "attainment_by_level2": attainment_spec(data.attainment),
    }


def _vl_convert() -> Any:
    try:
        import vl_convert
    except ImportError as exc:
        raise MissingDependency(
            "jixiao report", "charts need vl-convert-python: pip install 'jixiao_parser[report]'"
        ) from exc
    return vl_convert


def to_svg(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec drawn as SVG text (no network is used).

    >>> to_svg(rate_histogram_spec([]))[:4]  # doctest: +SKIP
    '<svg'
    """
    svg: str = _vl_convert().vegalite_to_svg(spec, vl_version="5.21")
    return svg


def to_png(spec: dict[str, Any], scale: float = 2) -> bytes:
    """A Vega-Lite spec drawn as a PNG image (``scale`` × its size in pixels);
    Chinese labels need a CJK font installed (Debian: ``fonts-noto-cjk``).

    >>> to_png(rate_histogram_spec([]))[:4]  # doctest: +SKIP
    b'\\x89PNG'
    """
    png: bytes = _vl_convert().vegalite_to_png(spec, vl_version="5.21", scale=scale)
    return png
