# SPDX-License-Identifier: EUPL-1.2
"""The funnel plot: a figure's value against its n, with 95 % and 99,8 % limits around the norm.

Pure Python (no ORM). The caller passes the points (one per aanbieder) and the limit curve from
:mod:`wmo_sla.engine.funnel_curves`; this module only draws. Every point is a focusable element
(``tabindex="0"``) with an accessible name, a ``<title>`` (hover tooltip) and a small label that
CSS shows on hover and on keyboard focus (``.chart-point:hover/.chart-point:focus`` in
``static/wmo_sla/app.css``; hidden by an inline attribute, so a PDF shows the plain plot). Limits
differ in dash pattern and points in shape, never in colour alone; the page puts the same data in
a table below the chart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from wmo_sla.engine.funnel_curves import CurvePoint

from . import svg

SignalName = Literal["geen", "let op", "signaal"]

_SHAPES: dict[str, Literal["circle", "triangle", "diamond"]] = {
    "geen": "circle",
    "let op": "triangle",
    "signaal": "diamond",
}
_FILLS = {
    "geen": svg.COLORS["primary"],
    "let op": svg.COLORS["let_op"],
    "signaal": svg.COLORS["signaal"],
}


@dataclass(frozen=True)
class FunnelPoint:
    key: str  # unique within the chart (used in element ids)
    label: str  # the aanbieder's name
    n: int
    value: float
    summary: str  # e.g. "15,0 % (n = 20) · let op (buiten 95 %-grens)"
    signal: SignalName = "geen"


@dataclass(frozen=True)
class FunnelLabels:
    title: str
    desc: str
    x_label: str
    y_label: str
    norm: str  # legend: "Norm (10 %)"
    limit_95: str
    limit_998: str
    point_geen: str
    point_let_op: str
    point_signaal: str


def render_funnel(
    *,
    points: Sequence[FunnelPoint],
    curve: Sequence[CurvePoint],
    target: float | None,
    labels: FunnelLabels,
    id_prefix: str,
    percent: bool = True,
    fmt: Callable[[float], str] | None = None,
    frame: svg.Frame | None = None,
) -> str:
    """SVG markup of the funnel plot (``role="group"`` so the points stay reachable)."""
    frame = frame or svg.Frame(width=760, height=420, top=20, right=190, bottom=52, left=72)
    n_max = max([p.n for p in points] + [c.n for c in curve] + [1])
    x = svg.LinearScale.nice(0, n_max, (frame.plot_left, frame.plot_right), include_zero=True)

    # The y-range: the points, the norm and the limits from n = 20 (or the smallest n shown) on;
    # the wide limits at very small n are clipped at the plot edge. Shares stay within 0–100 %.
    n_from = max(1, min([p.n for p in points], default=1) // 2)
    shown = [c for c in curve if c.n >= n_from]
    n_range = max(min([p.n for p in points], default=1), min(20, n_max))
    ys: list[float | None] = [p.value for p in points]
    ys.append(target)
    for c in shown:
        if c.n >= n_range:
            ys.extend((c.limits.lower_998, c.limits.upper_998))
    y, y_fmt = svg.value_scale(ys, (frame.plot_bottom, frame.plot_top), percent=percent, fmt=fmt)

    body: list[str] = [
        svg.y_axis(y, frame, fmt=y_fmt, label=labels.y_label),
        svg.x_axis(x, frame, label=labels.x_label, fmt=svg.tick_formatter(x.ticks())),
    ]
    clip_id = f"{id_prefix}-clip"
    body.append(
        f'<clipPath id="{svg.esc(clip_id)}">'
        f"{svg.rect(frame.plot_left, frame.plot_top, frame.plot_width, frame.plot_height)}"
        "</clipPath>"
    )
    lines: list[str] = []
    if target is not None:
        lines.append(svg.hline(y(target), frame, stroke=svg.COLORS["norm"], width=2))
    if shown:
        for attr, color, dash in (
            ("lower_95", svg.COLORS["let_op"], svg.DASHES["dashed"]),
            ("upper_95", svg.COLORS["let_op"], svg.DASHES["dashed"]),
            ("lower_998", svg.COLORS["signaal"], svg.DASHES["dashdot"]),
            ("upper_998", svg.COLORS["signaal"], svg.DASHES["dashdot"]),
        ):
            pts = [(x(c.n), y(getattr(c.limits, attr))) for c in shown]
            lines.append(svg.polyline(pts, stroke=color, width=1.75, dash=dash))
    body.append(svg.group(lines, clip_path=f"url(#{clip_id})", aria_hidden="true"))

    point_parts: list[str] = []
    for point in sorted(points, key=lambda p: (p.n, p.key)):
        cx, cy = x(point.n), y.clamped(point.value)
        shape = _SHAPES.get(point.signal, "circle")
        fill = _FILLS.get(point.signal, svg.COLORS["primary"])
        name = f"{point.label}: {point.summary}"
        point_parts.append(
            svg.group(
                [
                    svg.title(name),
                    svg.marker(shape, cx, cy, 5.5, fill=fill, stroke="#ffffff", stroke_width=1.5),
                    _tip(point, cx, cy, frame),
                ],
                class_="chart-point",
                tabindex="0",
                role="img",
                aria_label=name,
                id=f"{id_prefix}-pt-{point.key}",
            )
        )
    body.append(svg.group(point_parts, class_="chart-points"))

    legend_items = [
        svg.LegendItem(labels.norm, svg.COLORS["norm"]),
        svg.LegendItem(labels.limit_95, svg.COLORS["let_op"], dash=svg.DASHES["dashed"]),
        svg.LegendItem(labels.limit_998, svg.COLORS["signaal"], dash=svg.DASHES["dashdot"]),
        svg.LegendItem(labels.point_geen, _FILLS["geen"], kind="point", shape="circle"),
        svg.LegendItem(labels.point_let_op, _FILLS["let op"], kind="point", shape="triangle"),
        svg.LegendItem(labels.point_signaal, _FILLS["signaal"], kind="point", shape="diamond"),
    ]
    if target is None:
        legend_items = legend_items[3:]
    return svg.chart_document(
        labels, frame, body, legend_items, id_prefix=id_prefix, kind="funnel", role="group"
    )


def _tip(point: FunnelPoint, cx: float, cy: float, frame: svg.Frame) -> str:
    """The label shown on hover/focus: the aanbieder and its figures, kept inside the plot."""
    lines = [point.label, point.summary]
    width = 12 + 6.6 * max(len(text) for text in lines)
    height = 40.0
    left = cx + 10 if cx + 10 + width <= frame.width - 4 else cx - 10 - width
    left = max(2.0, left)
    top = cy - height - 8 if cy - height - 8 >= 2 else cy + 10
    return svg.group(
        [
            svg.rect(left, top, width, height, fill="#ffffff", stroke=svg.COLORS["text"], rx="3"),
            svg.text(left + 6, top + 16, lines[0], font_weight="bold"),
            svg.text(left + 6, top + 32, lines[1]),
        ],
        class_="chart-tip",
        visibility="hidden",
        aria_hidden="true",
    )
