# SPDX-License-Identifier: EUPL-1.2
"""K3 afschaling / K4 opschaling: hand-computed scenarios.

The XML fixture ``fixtures/scaling`` (written by ``fixtures/_build_scaling.py``) has one client per
case, all at aanbieder 99000101 in gemeente 0505, as of 2024-12-31. Test tariffs 2024 (euro per
unit): H300 € 60 per uur, H152 € 90 per uur, H531 € 40 per dagdeel; H150 and H300N have none.

| case | toewijzingen | intensity A → B | expected |
|---|---|---|---|
| c0 | H300 4 → H300 3 uur/week from 2024-05-01 | € 240 → € 180 (−25 %) | af |
| c1 | H300 4 → H152 4 uur/week from 2024-05-01 | € 240 → € 360 (+50 %) | op |
| c2 | H300 10 → 9 uur/week from 2024-07-01 | € 600 → € 540 (exactly −10 %) | af |
| c3 | H300 11 → 10 uur/week from 2024-07-01 | € 660 → € 600 (−9.1 %) | gelijk |
| c4 | H300 4 (ended with RW 03) → H300N 2 uur | no tariff for B: 4 → 2 uur | excluded |
| c5 | H300 4 until 04-30 → H300 2 from 05-03 | gap 3 days > G = 1 | none (G = 31: af) |
| c6 | H150 4 uur → H150 180 minuten/week | no tariff: 4 → 3 uur (−25 %) | af |
| c7 | Frequentie 6: 100 → 60 uur (v2, 06-03); v3 only extends | € 114.75 → € 68.85 per week | af |
| c8 | Frequentie 6: 100 → 50 uur with RW 14 | | excluded |
| c9 | dagbesteding, Budget € 5 200 → € 7 800 (v2, 03-01) | +50 % | op |

Trajectories (G = 1): one per client, two for c5 (the gap), so IB-REG has 10 and DB 1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tests.engine_figures.support import tariffs
from tests.engine_trajectories.support import contract_products, key, state_from_dir
from wmo_sla.engine.figures_scaling import ScalingParams, scaling_comparisons, scaling_figures
from wmo_sla.engine.state import DerivedState
from wmo_sla.engine.trajectories import Trajectories, TrajectoryParams, build_trajectories

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "scaling"
AS_OF = dt.date(2024, 12, 31)
AGB = "99000101"
BSN = [
    "999990007", "999990019", "999990020", "999990032", "999990044", "999990056",
    "999990068", "999990081", "999990093", "999990111",
]  # fmt: skip
TARIFFS = tariffs(
    [
        ("02", "H300", 2024, 60.0, "04"),
        ("02", "H152", 2024, 90.0, "04"),
        ("07", "H531", 2024, 40.0, "16"),
        ("02", "H300", 2023, 55.0, "04"),
    ]
)


def _run(gap: int = 1, epsilon: float = 0.10) -> tuple[pl.DataFrame, pl.DataFrame]:
    state = state_from_dir(FIXTURE)
    products = contract_products()
    trajectories = build_trajectories(state, products, TrajectoryParams(as_of=AS_OF, gap_days=gap))
    params = ScalingParams(as_of=AS_OF, gap_days=gap, epsilon=epsilon)
    comparisons = scaling_comparisons(state, trajectories, products, TARIFFS, params)
    figures = scaling_figures(state, trajectories, products, TARIFFS, params)
    return comparisons, figures


def _by_case(comparisons: pl.DataFrame) -> dict[str, list[tuple[Any, ...]]]:
    case = {key(bsn): f"c{i}" for i, bsn in enumerate(BSN)}
    out: dict[str, list[tuple[Any, ...]]] = {}
    for row in comparisons.sort("event_date").iter_rows(named=True):
        out.setdefault(case[row["client_key"]], []).append(
            (row["source"], row["direction"], row["excluded"], row["event_date"], row["scale"])
        )
    return out


def _value(figures: pl.DataFrame, kpi: str, group: str, period: str) -> tuple[float, float, float]:
    row = figures.filter(
        (pl.col("kpi") == kpi)
        & (pl.col("referentiegroep") == group)
        & (pl.col("gemeente") == "regio")
        & (pl.col("period") == period)
        & (pl.col("aanbieder_agb") == AGB)
    )
    assert row.height == 1, (kpi, group, period, row)
    return row["numerator"][0], row["denominator"][0], row["value"][0]


D = dt.date


def test_every_case_is_compared_as_worked_out_by_hand():
    comparisons, _ = _run()
    assert _by_case(comparisons) == {
        "c0": [("opvolger", "af", False, D(2024, 5, 1), "euro")],
        "c1": [("opvolger", "op", False, D(2024, 5, 1), "euro")],
        "c2": [("opvolger", "af", False, D(2024, 7, 1), "euro")],
        "c3": [("opvolger", "gelijk", False, D(2024, 7, 1), "euro")],
        "c4": [("opvolger", "af", True, D(2024, 5, 1), "uren")],
        "c6": [("opvolger", "af", False, D(2024, 5, 1), "uren")],
        "c7": [("versie", "af", False, D(2024, 6, 3), "euro")],
        "c8": [("versie", "af", True, D(2024, 6, 3), "euro")],
        "c9": [("versie", "op", False, D(2024, 3, 1), "euro")],
    }


def test_intensities_on_the_euro_and_the_hour_scale():
    comparisons, _ = _run()
    case = {key(bsn): f"c{i}" for i, bsn in enumerate(BSN)}
    got = {
        case[r["client_key"]]: (round(r["intensity_a"], 4), round(r["intensity_b"], 4))
        for r in comparisons.iter_rows(named=True)
    }
    assert got["c0"] == (240.0, 180.0)
    assert got["c1"] == (240.0, 360.0)
    assert got["c4"] == (4.0, 2.0)  # B has no tariff: both in hours
    assert got["c6"] == (4.0, 3.0)  # 180 minuten = 3 uur
    # Frequentie 6: 100 uur over 366 days (2024) = 100 × 7 ÷ 366 uur per week × € 60.
    assert got["c7"] == (round(100 * 7 / 366 * 60, 4), round(60 * 7 / 366 * 60, 4))
    # Budget: eurocent for the validity, 520000 ÷ 100 × 7 ÷ 366 per week.
    assert got["c9"] == (round(5200 * 7 / 366, 4), round(7800 * 7 / 366, 4))


def test_k3_k4_rates_per_100_active_trajectories():
    _, figures = _run()
    # IB-REG 2024: af c0, c2, c6, c7 (4), op c1 (1); 10 trajectories active.
    assert _value(figures, "K3", "IB-REG", "2024") == (4.0, 10.0, 40.0)
    assert _value(figures, "K4", "IB-REG", "2024") == (1.0, 10.0, 10.0)
    # Quarters: Q2 has c0, c6 (05-01) and c7 (06-03); Q3 has c2, and c5's first trajectory
    # (ended 04-30) is no longer active: 9.
    assert _value(figures, "K3", "IB-REG", "2024Q2") == (3.0, 10.0, 30.0)
    k3_q3 = _value(figures, "K3", "IB-REG", "2024Q3")
    assert k3_q3[:2] == (1.0, 9.0) and k3_q3[2] == pytest.approx(100 / 9)
    # A cell with active trajectories and no events has rate 0, not no figure.
    assert _value(figures, "K3", "IB-REG", "2024Q1") == (0.0, 9.0, 0.0)
    # The budget change is an opschaling in dagbesteding (one trajectory).
    assert _value(figures, "K4", "DB", "2024Q1") == (1.0, 1.0, 100.0)
    assert _value(figures, "K3", "DB", "2024") == (0.0, 1.0, 0.0)


def test_gemeente_and_regio_rows_agree_for_one_gemeente():
    _, figures = _run()
    per_gemeente = figures.filter(pl.col("gemeente") == "0505").drop("gemeente")
    regio = figures.filter(pl.col("gemeente") == "regio").drop("gemeente")
    assert per_gemeente.sort(per_gemeente.columns).equals(regio.sort(regio.columns))


def test_gap_g_decides_whether_a_successor_follows():
    comparisons, figures = _run(gap=31)
    assert _by_case(comparisons)["c5"] == [("opvolger", "af", False, D(2024, 5, 3), "euro")]
    # With G = 31 c5 is one trajectory: 9 in IB-REG, 5 afschalingen.
    assert _value(figures, "K3", "IB-REG", "2024")[:2] == (5.0, 9.0)


@pytest.mark.parametrize(
    ("epsilon", "af_cases"),
    [
        (0.05, {"c0", "c2", "c3", "c6", "c7"}),  # c3 (−9.1 %) now counts
        (0.10, {"c0", "c2", "c6", "c7"}),
        (0.25, {"c0", "c6", "c7"}),  # exactly −25 % still counts; c2 (−10 %) does not
        (0.41, set()),  # c7 is −40 %
    ],
)
def test_epsilon_boundary(epsilon, af_cases):
    comparisons, _ = _run(epsilon=epsilon)
    counted = {
        case
        for case, rows in _by_case(comparisons).items()
        for source, direction, excluded, *_ in rows
        if direction == "af" and not excluded
    }
    assert counted == af_cases


# --- exclusions on hand-made frames ------------------------------------------------------------

S, DT, INT = pl.Utf8, pl.Date, pl.Int64
TW = {
    "gemeente": S,
    "toewijzing_nummer": INT,
    "client_key": S,
    "aanbieder_agb": S,
    "categorie": S,
    "productcode": S,
    "toewijzingsdatum": DT,
    "ingangsdatum": DT,
    "einddatum": DT,
    "reden_wijziging": S,
    "volume": INT,
    "eenheid": S,
    "frequentie": S,
    "budget": INT,
}


def _pair_state(
    a_reden: str, b_first_reden: str, b_current_reden: str = ""
) -> tuple[DerivedState, Trajectories]:
    base = {"gemeente": "0505", "client_key": "c", "aanbieder_agb": AGB, "categorie": "02"}
    base |= {"productcode": "H300", "eenheid": "04", "frequentie": "2", "budget": None}
    a = {**base, "toewijzing_nummer": 1, "toewijzingsdatum": D(2024, 4, 1)}
    a |= {"ingangsdatum": D(2024, 1, 1), "einddatum": D(2024, 4, 30), "volume": 4}
    b = {**base, "toewijzing_nummer": 2, "toewijzingsdatum": D(2024, 4, 1)}
    b |= {"ingangsdatum": D(2024, 5, 1), "einddatum": D(2024, 12, 31), "volume": 2}
    current = pl.DataFrame(
        [{**a, "reden_wijziging": a_reden}, {**b, "reden_wijziging": b_current_reden}], schema=TW
    )
    versions = pl.DataFrame(
        [
            {**a, "reden_wijziging": a_reden, "version_seq": 1},
            {**b, "reden_wijziging": b_first_reden, "version_seq": 1},
            {**b, "reden_wijziging": b_current_reden, "version_seq": 2},
        ],
        schema={**TW, "version_seq": INT},
    )
    empty = pl.DataFrame()
    state = DerivedState(
        toewijzingen=current,
        deleted_toewijzingen=empty,
        starts=empty,
        stops=empty,
        deleted_aanleveringen=empty,
        prestaties=empty,
        rejected_messages=empty,
        toewijzing_versions=versions,
    )
    trajectory = pl.DataFrame(
        {
            "trajectory_id": ["t"],
            "client_key": ["c"],
            "aanbieder_agb": [AGB],
            "gemeente": ["0505"],
            "product_group": ["02"],
            "referentiegroep": ["IB-REG"],
            "start": [D(2024, 1, 1)],
            "end": [None],
        },
        schema_overrides={"end": DT},
    )
    links = pl.DataFrame(
        {"gemeente": ["0505", "0505"], "toewijzing_nummer": [1, 2], "trajectory_id": ["t", "t"]}
    )
    return state, Trajectories(
        episodes=empty, trajectories=trajectory, niet_gestart=empty, toewijzing_links=links
    )


def _events(state: DerivedState, trajectories: Trajectories) -> pl.DataFrame:
    figures = scaling_figures(
        state, trajectories, contract_products(), TARIFFS, ScalingParams(as_of=AS_OF)
    )
    return figures.filter(
        (pl.col("kpi") == "K3") & (pl.col("period") == "2024") & (pl.col("gemeente") == "regio")
    )


@pytest.mark.parametrize("reden", ["03", "10", "11", "14"])
def test_administrative_reden_wijziging_on_a_is_not_counted(reden):
    assert _events(*_pair_state(reden, ""))["numerator"].to_list() == [0.0]


@pytest.mark.parametrize("reden", ["03", "10", "11", "14"])
def test_administrative_reden_wijziging_on_bs_first_version_is_not_counted(reden):
    assert _events(*_pair_state("05", reden))["numerator"].to_list() == [0.0]


@pytest.mark.parametrize("reden", ["", "05", "12"])
def test_a_re_indication_is_counted(reden):
    # A later administrative correction of B (RW 14 on its current version) does not make the
    # re-indication administrative: B's first version decides.
    events = _events(*_pair_state(reden, "", b_current_reden="14"))
    assert events["numerator"].to_list() == [1.0]
    assert events["value"].to_list() == [100.0]


def test_a_successor_dated_after_as_of_is_not_an_event_yet():
    state, trajectories = _pair_state("05", "")
    figures = scaling_figures(
        state,
        trajectories,
        contract_products(),
        TARIFFS,
        ScalingParams(as_of=D(2024, 4, 30)),
    )
    assert figures.filter(pl.col("kpi") == "K3")["numerator"].sum() == 0


def test_a_comparison_without_any_trajectory_is_not_an_event():
    state, trajectories = _pair_state("05", "")
    no_links = Trajectories(
        episodes=trajectories.episodes,
        trajectories=trajectories.trajectories,
        niet_gestart=trajectories.niet_gestart,
        toewijzing_links=trajectories.toewijzing_links.clear(),
    )
    comparisons = scaling_comparisons(
        state, no_links, contract_products(), TARIFFS, ScalingParams(as_of=AS_OF)
    )
    assert comparisons["trajectory_id"].to_list() == [None]
    assert _events(state, no_links)["numerator"].to_list() == [0.0]


# --- interval ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "lower", "upper"),
    [  # exact (Garwood) 95 % limits: χ²(0.025; 2x)/2 and χ²(0.975; 2x + 2)/2
        (0, 0.0, 3.6889),
        (1, 0.0253, 5.5716),
        (4, 1.0899, 10.2416),
        (10, 4.7954, 18.3904),
        (100, 81.3640, 121.6268),
        (1000, 938.97, 1063.98),  # Byar's approximation above 100 events
    ],
)
def test_poisson_interval(x, lower, upper):
    from wmo_sla.engine.figures_scaling import poisson_interval

    low, high = poisson_interval(x)
    assert low == pytest.approx(lower, abs=1e-4 if x <= 100 else 0.05)
    assert high == pytest.approx(upper, abs=1e-4 if x <= 100 else 0.05)


def test_rates_carry_the_poisson_interval_per_100():
    _, figures = _run()
    row = figures.filter(
        (pl.col("kpi") == "K3")
        & (pl.col("referentiegroep") == "IB-REG")
        & (pl.col("gemeente") == "regio")
        & (pl.col("period") == "2024")
    )
    # 4 events among 10 active trajectories: 100 × [1.0899, 10.2416] ÷ 10.
    assert row["ci_low"][0] == pytest.approx(10.899, abs=1e-3)
    assert row["ci_high"][0] == pytest.approx(102.416, abs=1e-3)
    zero = figures.filter(
        (pl.col("kpi") == "K3") & (pl.col("referentiegroep") == "DB") & (pl.col("period") == "2024")
    )
    assert zero["ci_low"].to_list() == [0.0, 0.0]
    assert zero["ci_high"][0] == pytest.approx(368.89, abs=0.01)  # 1 active trajectory
