# SPDX-License-Identifier: EUPL-1.2
"""The profile's SVG charts: accessible name and description, escaped text, gaps, special causes."""

from __future__ import annotations

import re

from wmo_sla.charts.bars import Bar, BarLabels, Segment, render_stacked_bars
from wmo_sla.charts.spc import SpcLabels, render_spc
from wmo_sla.charts.trend import TrendLabels, TrendPoint, render_trend
from wmo_sla.engine.spc import spc_analysis

TREND_LABELS = TrendLabels(
    "K8 <per> kwartaal", "Beschrijving & meer", "aandeel", "Eigen", "Mediaan", "Norm"
)


def test_trend_chart_is_an_accessible_image_with_escaped_text_and_gaps():
    points = [
        TrendPoint("2024Q1", 0.05, 0.15, 0.10),
        TrendPoint("2024Q2", None, 0.15, 0.10),  # withheld: the own line breaks here
        TrendPoint("2024Q3", 0.12, None, 0.10),
        TrendPoint("2024Q4", 0.14, 0.15, 0.10),
    ]
    svg = render_trend(points=points, labels=TREND_LABELS, id_prefix="trend-K8", percent=True)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="trend-K8-title">K8 &lt;per&gt; kwartaal</title>' in svg
    assert "Beschrijving &amp; meer" in svg and "aria-describedby" in svg
    own = re.findall(r'<path d="([^"]+)"[^>]*stroke="#01689b"', svg)
    assert own and own[0].count("M") == 2  # two pieces around the missing quarter
    assert "Norm" in svg  # legend entry when there is a norm


def test_spc_chart_marks_special_causes_with_another_shape():
    values = [9.2, 10.8] * 4 + [11.2, 12.8] * 4
    labels = [f"2024M{m:02d}" for m in range(1, 13)] + [f"2025M{m:02d}" for m in range(1, 5)]
    result = spc_analysis(labels, values)
    assert result is not None
    svg = render_spc(
        result=result,
        labels=SpcLabels("SPC", "desc", "aantal", "Maand", "Bijzonder", "Gem.", "Grenzen", "Norm"),
        id_prefix="spc-K1",
    )
    assert 'role="img"' in svg
    # All 16 points are part of a run: 16 diamonds (polygons) + 1 in the legend, no plain circles
    # except the legend's.
    assert svg.count("<polygon") == 17
    assert svg.count("<circle") == 1


def test_stacked_bars_label_segments_and_skip_empty_ones():
    bars = [
        Bar(
            "Eigen organisatie",
            [Segment("19", "19 – plan", 0.6), Segment("21", "21 – cliënt", 0.4)],
        ),
        Bar(
            "Referentiegroep", [Segment("19", "19 – plan", 0.7), Segment("21", "21 – cliënt", 0.0)]
        ),
    ]
    svg = render_stacked_bars(
        bars=bars, labels=BarLabels("Uitstroom", "d", "Aandeel"), id_prefix="k12"
    )
    assert 'role="img"' in svg
    assert "<title>Eigen organisatie: 19 – plan 60,0 %</title>" in svg
    assert "Referentiegroep: 21" not in svg  # a zero share draws nothing
    assert svg.count("<rect") == 1 + 3 + 2  # background, three segments, two legend swatches
