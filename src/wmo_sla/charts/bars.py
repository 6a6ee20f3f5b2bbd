# SPDX-License-Identifier: EUPL-1.2
"""Stacked horizontal bars of shares (0–1): e.g. the uitstroomredenen (K12) of an aanbieder
against the pooled shares of its reference group.

Pure Python (no ORM). Every segment carries its category code as text when it is wide enough,
and a ``<title>`` with category and share; colours come from a fixed palette with white gaps
between segments, so categories never differ by colour alone. The page lists the same data in a
table below the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import svg

#: Distinguishable colours with white text contrast ≥ 4.5:1 (text inside segments is white).
PALETTE: tuple[str, ...] = (
    "#01689b",
    "#5b2c83",
    "#275937",
    "#8a4b00",
    "#a50e0e",
    "#1a1a1a",
    "#00596b",
    "#6b3a00",
    "#4d4d4d",
    "#7a1f5c",
    "#2f4f8f",
)


@dataclass(frozen=True)
class Segment:
    code: str  # short text shown in the segment, e.g. "19"
    label: str  # legend text, e.g. "19 – volgens plan"
    share: float


@dataclass(frozen=True)
class Bar:
    label: str  # row label, e.g. "Eigen organisatie"
    segments: Sequence[Segment]


@dataclass(frozen=True)
class BarLabels:
    title: str
    desc: str
    x_label: str


def render_stacked_bars(
    *,
    bars: Sequence[Bar],
    labels: BarLabels,
    id_prefix: str,
    frame: svg.Frame | None = None,
) -> str:
    """SVG markup of the stacked bars (``role="img"``); shares per bar add up to (about) 1."""
    codes: list[str] = []
    legend_text: dict[str, str] = {}
    for bar in bars:
        for segment in bar.segments:
            if segment.code not in legend_text:
                codes.append(segment.code)
                legend_text[segment.code] = segment.label
    colours = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(codes)}
    legend_rows = len(codes)
    height = max(60 + 56 * len(bars) + 48, 24 + 18 * legend_rows)
    frame = frame or svg.Frame(width=760, height=height, top=16, right=240, bottom=48, left=150)
    x = svg.LinearScale((0.0, 1.0), (frame.plot_left, frame.plot_right))
    band = svg.BandScale(
        tuple(b.label for b in bars) or ("",), (frame.plot_top, frame.plot_bottom), padding=0.35
    )
    body: list[str] = [
        svg.x_axis(
            x,
            frame,
            fmt=lambda v: svg.nl_percent(v),
            label=labels.x_label,
            ticks=[0.0, 0.25, 0.5, 0.75, 1.0],
            grid=True,
        )
    ]
    parts: list[str] = []
    for bar in bars:
        top = band(bar.label)
        parts.append(
            svg.text(frame.plot_left - 8, top + band.bandwidth / 2 + 4, bar.label, anchor="end")
        )
        start = 0.0
        for segment in bar.segments:
            if segment.share <= 0:
                continue
            x0, x1 = x(start), x(min(start + segment.share, 1.0))
            share_text = svg.nl_percent(segment.share, 1)
            parts.append(
                svg.group(
                    [
                        svg.title(f"{bar.label}: {segment.label} {share_text}"),
                        svg.rect(
                            x0,
                            top,
                            x1 - x0,
                            band.bandwidth,
                            fill=colours[segment.code],
                            stroke="#ffffff",
                            stroke_width=1.5,
                        ),
                    ]
                    + (
                        [
                            svg.text(
                                (x0 + x1) / 2,
                                top + band.bandwidth / 2 + 4,
                                segment.code,
                                anchor="middle",
                                fill="#ffffff",
                                size=11,
                            )
                        ]
                        if x1 - x0 >= 22
                        else []
                    )
                )
            )
            start += segment.share
    body.append(svg.group(parts, aria_hidden="true"))
    items = [svg.LegendItem(legend_text[code], colours[code], kind="rect") for code in codes]
    return svg.chart_document(labels, frame, body, items, id_prefix=id_prefix, kind="bars")
