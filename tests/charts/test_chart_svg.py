# SPDX-License-Identifier: EUPL-1.2
"""The shared SVG chart basics: Dutch numbers, nice ticks, scales, escaping, the wrapper."""

from __future__ import annotations

import pytest
from lxml import etree

from wmo_sla.charts import svg

NS = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (0.0, 0, "0"),
        (-0.04, 1, "0,0"),
        (-1500, 0, "-1.500"),
        (12, 2, "12,00"),
    ],
)
def test_nl_number(value, decimals, expected):
    assert svg.nl_number(value, decimals) == expected


def test_nl_percent():
    assert svg.nl_percent(0.125, 1) == "12,5 %"


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (3, 97, [0, 20, 40, 60, 80, 100]),
        (0.12, 0.31, [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]),
        (5, 5, [4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6]),
    ],
)
def test_nice_ticks(lo, hi, expected):
    assert svg.nice_ticks(lo, hi, 5) == pytest.approx(expected)


def test_tick_formatter_uses_enough_decimals():
    fmt = svg.tick_formatter([0.1, 0.15, 0.2], percent=True)
    assert fmt(0.15) == "15 %"
    fmt = svg.tick_formatter([0.0, 0.025, 0.05], percent=True)
    assert fmt(0.025) == "2,5 %"
    assert svg.tick_formatter([0, 0.25, 0.5])(0.25) == "0,25"


def test_linear_scale_maps_and_inverts_y():
    y = svg.LinearScale((0, 10), (300, 100))
    assert y(0) == 300
    assert y(10) == 100
    assert y(5) == 200
    assert y.clamped(20) == 100
    nice = svg.LinearScale.nice(3, 97, (0, 500))
    assert nice.domain == (0, 100)


def test_log_scale_ticks():
    scale = svg.LogScale.nice(7, 3400, (0, 100))
    assert scale.domain == (1, 10000)
    assert scale(1) == 0
    assert scale(10000) == 100
    assert scale.ticks(20)[:3] == [1, 2, 5]
    assert scale.ticks(3) == [1, 10, 100, 1000, 10000]


def test_band_scale():
    bands = svg.BandScale(("a", "b"), (0, 100), padding=0.2)
    assert bands("a") == pytest.approx(5)
    assert bands("b") == pytest.approx(55)
    assert bands.bandwidth == pytest.approx(40)


def test_document_is_valid_xml_with_accessible_name_and_escaped_text():
    frame = svg.Frame(width=400, height=200)
    x = svg.LinearScale.nice(0, 100, (frame.plot_left, frame.plot_right))
    y = svg.LinearScale.nice(0, 1, (frame.plot_bottom, frame.plot_top))
    markup = svg.svg_document(
        frame=frame,
        title='Zorg & "welzijn" <test>',
        desc="Beschrijving",
        id_prefix="k1 chart",
        body=[
            svg.x_axis(x, frame, label="Aantal"),
            svg.y_axis(y, frame, fmt=svg.tick_formatter(y.ticks(), percent=True), label="Aandeel"),
            svg.polyline([(x(0), y(0)), (x(50), y(float("nan"))), (x(100), y(1))]),
            svg.legend([svg.LegendItem("95 %-grens", svg.COLORS["let_op"], dash="6 4")], 300, 20),
            svg.marker("diamond", 10, 10, title="x"),
        ],
    )
    root = etree.fromstring(markup.encode())
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "k1-chart-title"
    assert root.find(f"{NS}title").text == 'Zorg & "welzijn" <test>'
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert "100 %" in labels and "Aantal" in labels and "40" in labels
    # The nan point breaks the line instead of drawing to nowhere.
    paths = [p.get("d") for p in root.iter(f"{NS}path")]
    assert paths and all(d.count("M") == 2 for d in paths)
