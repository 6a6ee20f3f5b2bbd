# SPDX-License-Identifier: EUPL-1.2
"""K10oe (observed ÷ expected cost) and the intensity of a toewijzing, on hand-made frames.

Test tariffs: H300 € 60 per uur in 2024 and € 55 in 2023; H812 € 50 per dagdeel; 15R12 (minuten)
€ 90 per uur; H150 has no tariff.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from tests.engine_figures.support import tariffs
from wmo_sla.engine.figures_cost import k10_observed_expected
from wmo_sla.engine.intensity import with_intensity
from wmo_sla.engine.state import DerivedState
from wmo_sla.engine.trajectories import Trajectories

D = dt.date
S, DT, INT = pl.Utf8, pl.Date, pl.Int64
AGB = "99000101"
TARIFFS = tariffs(
    [
        ("02", "H300", 2023, 55.0, "04"),
        ("02", "H300", 2024, 60.0, "04"),
        ("07", "H812", 2024, 50.0, "16"),
        ("15", "15R12", 2024, 90.0, "04"),
    ]
)
TW = {
    "gemeente": S,
    "toewijzing_nummer": INT,
    "client_key": S,
    "aanbieder_agb": S,
    "categorie": S,
    "productcode": S,
    "ingangsdatum": DT,
    "einddatum": DT,
    "reden_wijziging": S,
    "volume": INT,
    "eenheid": S,
    "frequentie": S,
    "budget": INT,
}
PR = {
    "gemeente": S,
    "aanbieder_agb": S,
    "client_key": S,
    "toewijzing_nummer": INT,
    "categorie": S,
    "productcode": S,
    "periode_begin": DT,
    "periode_eind": DT,
    "netto_bedrag": INT,
}


def _tw(nummer: int, **overrides: Any) -> dict[str, Any]:
    row = {
        "gemeente": "0505",
        "toewijzing_nummer": nummer,
        "client_key": f"c{nummer}",
        "aanbieder_agb": AGB,
        "categorie": "02",
        "productcode": "H300",
        "ingangsdatum": D(2024, 1, 1),
        "einddatum": D(2024, 12, 31),
        "reden_wijziging": "",
        "volume": 4,
        "eenheid": "04",
        "frequentie": "2",
        "budget": None,
    }
    return row | overrides


# --- intensity ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "euro", "hours"),
    [
        ({}, 240.0, 4.0),  # 4 uur per week × € 60
        ({"frequentie": "1"}, 1680.0, 28.0),  # per dag × 7
        ({"frequentie": "4", "volume": 13}, 180.0, 3.0),  # per maand × 12 ÷ 52
        ({"frequentie": "6", "volume": 366}, 420.0, 7.0),  # totaal: × 7 ÷ 366 days (2024)
        ({"frequentie": "6", "einddatum": None}, None, None),  # totaal without an end: unknown
        ({"ingangsdatum": D(2023, 7, 1)}, 220.0, 4.0),  # tariff of the Ingangsdatum's year
        ({"productcode": "H150"}, None, 4.0),  # no tariff: hours only
        ({"eenheid": "01", "volume": 120}, 120.0, 2.0),  # minutes on an hourly tariff
        (
            {"categorie": "15", "productcode": "15R12", "eenheid": "01", "volume": 90},
            135.0,  # 90 minuten = 1.5 uur × € 90
            1.5,
        ),
        ({"categorie": "07", "productcode": "H812", "eenheid": "16", "volume": 3}, 150.0, 12.0),
        ({"eenheid": "14", "volume": 7, "productcode": "H150"}, None, 168.0),  # etmaal × 24
        ({"eenheid": "83", "volume": 500, "productcode": "H150"}, 500.0, None),  # euro's
        ({"eenheid": "84", "volume": 3}, None, None),  # stuks on an hourly tariff: no conversion
        ({"budget": 732000, "einddatum": D(2024, 12, 31)}, 140.0, 4.0),  # € 7 320 × 7 ÷ 366
        ({"frequentie": ""}, None, None),
    ],
)
def test_intensity(overrides, euro, hours):
    frame = with_intensity(pl.DataFrame([_tw(1, **overrides)], schema=TW), TARIFFS)
    got_euro, got_hours = frame["euro_per_week"][0], frame["hours_per_week"][0]
    assert (got_euro is None) == (euro is None) and (got_hours is None) == (hours is None)
    if euro is not None:
        assert got_euro == pytest.approx(euro)
    if hours is not None:
        assert got_hours == pytest.approx(hours)


# --- K10oe -------------------------------------------------------------------------------------


def _state(toewijzingen: list[dict[str, Any]], lines: list[dict[str, Any]]) -> DerivedState:
    empty = pl.DataFrame()
    prestaties = [
        {"gemeente": "0505", "aanbieder_agb": AGB, "categorie": "02", "productcode": "H300"}
        | {"client_key": f"c{line['toewijzing_nummer']}"}
        | line
        for line in lines
    ]
    return DerivedState(
        toewijzingen=pl.DataFrame(toewijzingen, schema=TW),
        deleted_toewijzingen=empty,
        starts=empty,
        stops=empty,
        deleted_aanleveringen=empty,
        prestaties=pl.DataFrame(prestaties, schema=PR),
        rejected_messages=empty,
    )


def _trajectories(nummers: list[int]) -> Trajectories:
    empty = pl.DataFrame()
    links = pl.DataFrame(
        {
            "gemeente": ["0505"] * len(nummers),
            "toewijzing_nummer": nummers,
            "trajectory_id": [f"t{n}" for n in nummers],
        }
    )
    trajectories = pl.DataFrame(
        {"trajectory_id": [f"t{n}" for n in nummers], "referentiegroep": ["IB-REG"] * len(nummers)}
    )
    return Trajectories(
        episodes=empty,
        trajectories=trajectories,
        niet_gestart=pl.DataFrame(schema={"gemeente": S, "toewijzing_nummer": INT}),
        toewijzing_links=links,
    )


def _line(nummer: int, begin: dt.date, end: dt.date, cents: int) -> dict[str, Any]:
    return {"toewijzing_nummer": nummer, "periode_begin": begin, "periode_eind": end} | {
        "netto_bedrag": cents
    }


def _cell(figures: pl.DataFrame, period: str) -> tuple[float, float, float, int]:
    row = figures.filter((pl.col("period") == period) & (pl.col("gemeente") == "regio"))
    assert row.height == 1, row
    return row["numerator"][0], row["denominator"][0], row["value"][0], row["n"][0]


def test_hand_computed_observed_and_expected():
    # Toewijzing 1: 4 uur per week H300 (€ 240 per week in 2024).
    #   March 1–28 (28 days): € 800 declared, expected 240 × 4 = € 960.
    #   March 29 – April 11 (14 days): € 420, 3 days in Q1 (€ 90, expected 240 × 3/7) and 11 in
    #   Q2 (€ 330, expected 240 × 11/7).
    #   May 1–7: € 100 debet and € 100 credit: net 0, left out of both sides.
    # Toewijzing 2 (another client): H150 without a tariff: left out of both sides.
    # Toewijzing 3 (third client): valid until June 15; June 1–30 declared € 300, expected only
    #   for the 15 valid days: 240 × 15/7.
    state = _state(
        [_tw(1), _tw(2, productcode="H150"), _tw(3, einddatum=D(2024, 6, 15))],
        [
            _line(1, D(2024, 3, 1), D(2024, 3, 28), 80000),
            _line(1, D(2024, 3, 29), D(2024, 4, 11), 42000),
            _line(1, D(2024, 5, 1), D(2024, 5, 7), 10000),
            _line(1, D(2024, 5, 1), D(2024, 5, 7), -10000),
            _line(2, D(2024, 3, 1), D(2024, 3, 28), 99900),
            _line(3, D(2024, 6, 1), D(2024, 6, 30), 30000),
        ],
    )
    figures = k10_observed_expected(state, _trajectories([1, 2, 3]), TARIFFS)
    assert set(figures["kpi"]) == {"K10oe"}
    observed, expected, value, n = _cell(figures, "2024Q1")
    assert observed == pytest.approx(890.0)
    assert expected == pytest.approx(960 + 240 * 3 / 7)
    assert value == pytest.approx(890 / (960 + 240 * 3 / 7))
    assert n == 1  # the client without a tariff is not in the figure
    observed, expected, value, n = _cell(figures, "2024Q2")
    assert observed == pytest.approx(330 + 300)
    assert expected == pytest.approx(240 * 11 / 7 + 240 * 15 / 7)
    assert n == 2
    year = _cell(figures, "2024")
    assert year[0] == pytest.approx(800 + 420 + 300)
    assert year[1] == pytest.approx(960 + 240 * 14 / 7 + 240 * 15 / 7)


def test_tariff_of_the_declared_year_not_of_the_ingangsdatum():
    # A toewijzing from 2023 declared in 2024 at the 2024 tariff: exactly as assigned → 1.0.
    state = _state(
        [_tw(1, ingangsdatum=D(2023, 7, 1))],
        [_line(1, D(2024, 2, 1), D(2024, 2, 28), 4 * 4 * 6000)],  # 4 weeks × 4 uur × € 60
    )
    figures = k10_observed_expected(state, _trajectories([1]), TARIFFS)
    assert _cell(figures, "2024Q1")[2] == pytest.approx(1.0)


def test_no_declarations_no_figures():
    state = _state([_tw(1)], [])
    assert k10_observed_expected(state, _trajectories([1]), TARIFFS).is_empty()


def test_a_long_product_periode_is_spread_over_every_period_it_overlaps():
    # December 2023 – May 2024 (183 days) at exactly the assigned 4 uur per week: € 60 in 2024,
    # € 55 in 2023 (the tariff of the ProductPeriode's begin year: 2023 for the whole line).
    state = _state(
        [_tw(1, ingangsdatum=D(2023, 12, 1))],
        [_line(1, D(2023, 12, 1), D(2024, 5, 31), round(4 * 55 * 183 / 7 * 100))],
    )
    figures = k10_observed_expected(state, _trajectories([1]), TARIFFS)
    periods = set(figures.filter(pl.col("gemeente") == "regio")["period"])
    assert periods == {"2023", "2023H2", "2023Q4", "2024", "2024H1", "2024Q1", "2024Q2"}
    assert _cell(figures, "2024Q1")[0] == pytest.approx(4 * 55 * 91 / 7, abs=0.01)
    assert _cell(figures, "2024Q1")[2] == pytest.approx(1.0, abs=1e-4)
