# SPDX-License-Identifier: EUPL-1.2
"""Trend chart: one KPI over quarters, with the norm line and the reference-group median.

Pure Python (no ORM); the caller passes already formatted labels (Dutch, translated). Lines differ
by dash pattern and point shape as well as colour: own value = solid line with circles, reference
median = dashed line with squares, norm = dotted black line. Periods without a (visible) value
break the line. The page puts the same data in a table below the chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import svg


@dataclass(frozen=True)
class TrendPoint:
    label: str  # period label, e.g. "2024Q3"
    value: float | None  # own value (None: none or withheld)
    reference: float | None  # reference-group median (None: suppressed)
    norm: float | None


@dataclass(frozen=True)
class TrendLabels:
    title: str
    desc: str
    y_label: str
    own: str
    reference: str
    norm: str


def _finite(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def render_trend(
    *,
    points: Sequence[TrendPoint],
    labels: TrendLabels,
    id_prefix: str,
    percent: bool = False,
    fmt: Callable[[float], str] | None = None,
    frame: svg.Frame | None = None,
) -> str:
    """SVG markup of the trend chart (``role="img"``; the table after it has the numbers)."""
    frame = frame or svg.Frame(width=720, height=300, top=16, right=170, bottom=56, left=72)
    categories = tuple(p.label for p in points) or ("",)
    x = svg.BandScale(categories, (frame.plot_left, frame.plot_right), padding=0.0)
    y, y_fmt = svg.value_scale(
        [v for p in points for v in (p.value, p.reference, p.norm)],
        (frame.plot_bottom, frame.plot_top),
        percent=percent,
        from_zero=True,
        fmt=fmt,
    )
    body: list[str] = [
        svg.y_axis(y, frame, fmt=y_fmt, label=labels.y_label),
        # every band labelled when they fit, otherwise every other one
        svg.category_axis(x, frame, every=1 if len(categories) <= 12 else 2, size=11),
    ]

    def series(attr: str) -> list[tuple[float, float]]:
        pts: list[tuple[float, float]] = []
        for p in points:
            value = getattr(p, attr)
            pts.append(
                (x.centre(p.label), y.clamped(value)) if value is not None else (math.nan, math.nan)
            )
        return pts

    norm_pts = series("norm")
    ref_pts = series("reference")
    own_pts = series("value")
    lines = [
        svg.polyline(norm_pts, stroke=svg.COLORS["norm"], width=2, dash=svg.DASHES["dotted"]),
        svg.polyline(ref_pts, stroke=svg.COLORS["secondary"], width=2, dash=svg.DASHES["dashed"]),
        svg.polyline(own_pts, stroke=svg.COLORS["primary"], width=2.5),
    ]
    marks = [
        svg.marker("square", px, py, 3.5, fill=svg.COLORS["secondary"])
        for px, py in ref_pts
        if math.isfinite(px)
    ] + [
        svg.marker("circle", px, py, 4.5, fill=svg.COLORS["primary"], stroke="#ffffff")
        for px, py in own_pts
        if math.isfinite(px)
    ]
    body.append(svg.group(lines + marks, aria_hidden="true"))
    items = [
        svg.LegendItem(labels.own, svg.COLORS["primary"]),
        svg.LegendItem(labels.reference, svg.COLORS["secondary"], dash=svg.DASHES["dashed"]),
    ]
    if _finite([p.norm for p in points]):
        items.append(svg.LegendItem(labels.norm, svg.COLORS["norm"], dash=svg.DASHES["dotted"]))
    return svg.chart_document(labels, frame, body, items, id_prefix=id_prefix, kind="trend")
