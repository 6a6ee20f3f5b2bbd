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
    ys = [*result.values, lim.lower, lim.upper] + ([norm] if norm is not None else [])
    lo, hi = min(ys), max(ys)
    if percent:
        lo, hi = max(0.0, lo), min(1.0, hi)
    y = svg.LinearScale.nice(lo, hi, (frame.plot_bottom, frame.plot_top))
    y_fmt = fmt or svg.tick_formatter(y.ticks(), percent=percent)

    def cx(index: int) -> float:
        return x(categories[index]) + x.bandwidth / 2

    body: list[str] = [svg.y_axis(y, frame, fmt=y_fmt, label=labels.y_label)]
    axis = [svg.line(frame.plot_left, frame.plot_bottom, frame.plot_right, frame.plot_bottom)]
    every = max(1, math.ceil(len(categories) / 8))  # at most eight labels: they must not overlap
    for index, label in enumerate(categories):
        if index % every == 0:
            axis.append(svg.line(cx(index), frame.plot_bottom, cx(index), frame.plot_bottom + 5))
            axis.append(
                svg.text(cx(index), frame.plot_bottom + 18, label, anchor="middle", size=10)
            )
    body.append(svg.group(axis, class_="chart-axis chart-axis--x", aria_hidden="true"))

    left, right = frame.plot_left, frame.plot_right
    lines = [
        svg.line(
            left,
            y.clamped(lim.mean),
            right,
            y.clamped(lim.mean),
            stroke=svg.COLORS["muted"],
            width=2,
        ),
        svg.line(
            left,
            y.clamped(lim.upper),
            right,
            y.clamped(lim.upper),
            stroke=svg.COLORS["signaal"],
            width=1.5,
            dash=svg.DASHES["dashed"],
        ),
        svg.line(
            left,
            y.clamped(lim.lower),
            right,
            y.clamped(lim.lower),
            stroke=svg.COLORS["signaal"],
            width=1.5,
            dash=svg.DASHES["dashed"],
        ),
    ]
    if norm is not None:
        lines.append(
            svg.line(
                left,
                y.clamped(norm),
                right,
                y.clamped(norm),
                stroke=svg.COLORS["norm"],
                width=2,
                dash=svg.DASHES["dotted"],
            )
        )
    points = [(cx(i), y.clamped(v)) for i, v in enumerate(result.values)]
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
    body.append(svg.legend(items, frame.plot_right + 14, frame.plot_top))
    return svg.svg_document(
        frame=frame,
        title=labels.title,
        desc=labels.desc,
        body=body,
        id_prefix=id_prefix,
        css_class="app-chart app-chart--spc",
    )
