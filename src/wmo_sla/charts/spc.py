# SPDX-License-Identifier: EUPL-1.2
"""SPC chart (XmR): a monthly series with its mean, process limits and special-cause points.

Pure Python (no ORM). The limits and per-point flags come from :mod:`wmo_sla.engine.spc`.
Mean = solid grey line, process limits = dashed dark-red lines, norm = dotted black line; points
with a special cause are drawn as larger orange diamonds (shape, not only colour), common-cause
points as blue circles. The page names each special cause in words and lists the data in a table.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from wmo_sla.engine.spc import SpcResult

from . import svg


@dataclass(frozen=True)
class SpcLabels:
    title: str
    desc: str
    y_label: str
    value: str
    special: str
    mean: str
    limits: str
    norm: str


def render_spc(
    *,
    result: SpcResult,
    labels: SpcLabels,
    id_prefix: str,
    norm: float | None = None,
    percent: bool = False,
    fmt: Callable[[float], str] | None = None,
    frame: svg.Frame | None = None,
) -> str:
    """SVG markup of the XmR chart (``role="img"``)."""
    frame = frame or svg.Frame(width=720, height=300, top=16, right=190, bottom=56, left=72)
    lim = result.limits
    categories = result.labels
    x = svg.BandScale(categories, (frame.plot_left, frame.plot_right), padding=0.0)
    y, y_fmt = svg.value_scale(
        [*result.values, lim.lower, lim.upper, norm],
        (frame.plot_bottom, frame.plot_top),
        percent=percent,
        fmt=fmt,
    )
    body: list[str] = [
        svg.y_axis(y, frame, fmt=y_fmt, label=labels.y_label),
        # at most eight labels: they must not overlap
        svg.category_axis(x, frame, every=max(1, math.ceil(len(categories) / 8)), size=10),
    ]
    # mean, process limits and the norm: horizontal lines that differ in dash and width too
    levels = [
        (lim.mean, svg.COLORS["muted"], 2.0, None),
        (lim.upper, svg.COLORS["signaal"], 1.5, svg.DASHES["dashed"]),
        (lim.lower, svg.COLORS["signaal"], 1.5, svg.DASHES["dashed"]),
    ]
    if norm is not None:
        levels.append((norm, svg.COLORS["norm"], 2.0, svg.DASHES["dotted"]))
    lines = [
        svg.hline(y.clamped(value), frame, stroke=stroke, width=width, dash=dash)
        for value, stroke, width, dash in levels
    ]
    points = [(x.centre(c), y.clamped(v)) for c, v in zip(categories, result.values, strict=True)]
    lines.append(svg.polyline(points, stroke=svg.COLORS["primary"], width=1.5))
    marks = []
    for (px, py), point in zip(points, result.points, strict=True):
        if point.special_cause:
            marks.append(
                svg.marker("diamond", px, py, 5, fill=svg.COLORS["let_op"], stroke="#ffffff")
            )
        else:
            marks.append(
                svg.marker("circle", px, py, 3.5, fill=svg.COLORS["primary"], stroke="#ffffff")
            )
    body.append(svg.group(lines + marks, aria_hidden="true"))
    items = [
        svg.LegendItem(labels.value, svg.COLORS["primary"], kind="point", shape="circle"),
        svg.LegendItem(labels.special, svg.COLORS["let_op"], kind="point", shape="diamond"),
        svg.LegendItem(labels.mean, svg.COLORS["muted"]),
        svg.LegendItem(labels.limits, svg.COLORS["signaal"], dash=svg.DASHES["dashed"]),
    ]
    if norm is not None:
        items.append(svg.LegendItem(labels.norm, svg.COLORS["norm"], dash=svg.DASHES["dotted"]))
    return svg.chart_document(labels, frame, body, items, id_prefix=id_prefix, kind="spc")
