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


def test_value_scale_keeps_shares_within_0_and_100_percent_and_ignores_missing_values():
    y, fmt = svg.value_scale([0.35, None, float("nan"), 1.4, -0.2], (300, 0), percent=True)
    assert y.domain == (0.0, 1.0)
    assert fmt(0.4) == "40 %"
    # No values at all: a 0–1 axis rather than an error.
    empty, _ = svg.value_scale([None], (300, 0))
    assert empty.domain == (0.0, 1.0)


def test_value_scale_from_zero_only_when_no_value_is_negative():
    assert svg.value_scale([40, 60], (300, 0), from_zero=True)[0].domain[0] == 0
    assert svg.value_scale([40, 60], (300, 0))[0].domain[0] == 40
    assert svg.value_scale([-5, 60], (300, 0), from_zero=True)[0].domain[0] < 0
    assert svg.value_scale([1, 2], (300, 0), fmt=lambda v: "x")[1](1.5) == "x"


def test_category_axis_labels_every_nth_band_at_its_centre():
    frame = svg.Frame(width=400, height=200, left=0, right=0)
    bands = svg.BandScale(("a", "b", "c"), (0, 300), padding=0.0)
    assert bands.centre("b") == pytest.approx(150)
    root = etree.fromstring(svg.category_axis(bands, frame, every=2).encode())
    labels = {t.text: float(t.get("x")) for t in root.iter("text")}
    assert labels == {"a": 50.0, "c": 250.0}


def test_hline_spans_the_plot_area():
    frame = svg.Frame(width=400, height=200, left=60, right=20)
    root = etree.fromstring(svg.hline(80, frame, dash=svg.DASHES["dotted"]).encode())
    assert (root.get("x1"), root.get("x2"), root.get("y1"), root.get("y2")) == (
        "60",
        "380",
        "80",
        "80",
    )
    assert root.get("stroke-dasharray") == "2 3"
