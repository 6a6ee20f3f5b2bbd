# SPDX-License-Identifier: EUPL-1.2
"""K6, K10 and K11 on hand-made state and trajectory frames; expected values worked out here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from wmo_sla.engine.calendar import WorkdayCalendar
from wmo_sla.engine.figures_process import (
    ProcessParams,
    k6_cohort,
    k6_wachttijd,
    k10_kosten,
    k11_administratief,
    process_figures,
)
from wmo_sla.engine.state import DerivedState
from wmo_sla.engine.trajectories import Trajectories

D = dt.date
S, DT, INT, B = pl.Utf8, pl.Date, pl.Int64, pl.Boolean
CAL = WorkdayCalendar.algemene_termijnenwet(2023, 2026)
BASE = {"gemeente": "0505", "aanbieder_agb": "99000101", "categorie": "02", "client_key": "c"}

TW = {
    "gemeente": S,
    "toewijzing_nummer": INT,
    "aanbieder_agb": S,
    "categorie": S,
    "ingangsdatum": DT,
    "first_toewijzingsdatum": DT,
    "first_dagtekening": DT,
}
AL = {
    "gemeente": S,
    "aanbieder_agb": S,
    "client_key": S,
    "toewijzing_nummer": INT,
    "categorie": S,
    "productcode": S,
    "begindatum": DT,
}
PR = {
    "gemeente": S,
    "aanbieder_agb": S,
    "client_key": S,
    "toewijzing_nummer": INT,
    "categorie": S,
    "periode_begin": DT,
    "periode_eind": DT,
    "netto_bedrag": INT,
}
EP = {
    "gemeente": S,
    "aanbieder_agb": S,
    "toewijzing_nummer": INT,
    "categorie": S,
    "referentiegroep": S,
    "begindatum": DT,
    "start_bericht": B,
    "start_dagtekening": DT,
    "definitief_einddatum": DT,
    "definitief_reden": S,
    "stop_dagtekening": DT,
}
TR = {
    "trajectory_id": S,
    "client_key": S,
    "aanbieder_agb": S,
    "gemeente": S,
    "product_group": S,
    "referentiegroep": S,
    "start": DT,
    "end": DT,
    "end_kind": S,
    "start_afgeleid": B,
}
LINK = {"gemeente": S, "toewijzing_nummer": INT, "trajectory_id": S, "opens_trajectory": B}
NG = {
    "gemeente": S,
    "toewijzing_nummer": INT,
    "aanbieder_agb": S,
    "product_group": S,
    "referentiegroep": S,
}


def _frame(rows: list[dict[str, Any]], schema: dict[str, Any]) -> pl.DataFrame:
    full = [{k: v for k, v in {**BASE, **r}.items() if k in schema} for r in rows]
    return pl.DataFrame(full, schema=schema)


def _state(
    toewijzingen: list[dict[str, Any]] | None = None,
    starts: list[dict[str, Any]] | None = None,
    stops: list[dict[str, Any]] | None = None,
    deleted: list[dict[str, Any]] | None = None,
    prestaties: list[dict[str, Any]] | None = None,
) -> DerivedState:
    empty = pl.DataFrame()
    return DerivedState(
        toewijzingen=_frame(toewijzingen or [], TW),
        deleted_toewijzingen=empty,
        starts=_frame(starts or [], AL),
        stops=_frame(stops or [], AL),
        deleted_aanleveringen=_frame(deleted or [], AL),
        prestaties=_frame(prestaties or [], PR),
        rejected_messages=empty,
    )


def _traj(
    trajectories: list[dict[str, Any]],
    links: list[dict[str, Any]] | None = None,
    niet_gestart: list[dict[str, Any]] | None = None,
    episodes: list[dict[str, Any]] | None = None,
) -> Trajectories:
    defaults = {"product_group": "02", "referentiegroep": "IB", "start_afgeleid": False}
    return Trajectories(
        episodes=_frame([{**defaults, **e} for e in episodes or []], EP),
        trajectories=_frame([{**defaults, "end_kind": "open", **t} for t in trajectories], TR),
        niet_gestart=_frame([{**defaults, **n} for n in niet_gestart or []], NG),
        toewijzing_links=_frame([{"opens_trajectory": True, **x} for x in links or []], LINK),
    )


def _value(
    figures: pl.DataFrame, kpi: str, period: str, rg: str = "IB", gemeente: str = "0505"
) -> dict[str, Any]:
    row = figures.filter(
        (pl.col("kpi") == kpi)
        & (pl.col("period") == period)
        & (pl.col("referentiegroep") == rg)
        & (pl.col("gemeente") == gemeente)
    )
    assert row.height == 1, f"{kpi} {period} {rg}: {row}"
    return row.row(0, named=True)


# --- K6 ----------------------------------------------------------------------------------------


def _k6_inputs() -> tuple[DerivedState, Trajectories]:
    def tw(nr: int, toewijzingsdatum: dt.date, ingang: dt.date) -> dict[str, Any]:
        return {
            "toewijzing_nummer": nr,
            "first_toewijzingsdatum": toewijzingsdatum,
            "ingangsdatum": ingang,
        }

    state = _state(
        toewijzingen=[
            tw(1, D(2024, 1, 5), D(2024, 1, 8)),  # anchor Mon 8 Jan
            tw(2, D(2024, 1, 5), D(2024, 1, 8)),
            tw(3, D(2024, 2, 15), D(2024, 2, 1)),  # anchor 15 Feb, start 1 Feb: retroactive
            tw(4, D(2024, 1, 20), D(2024, 3, 1)),  # continuation of t1: not in the cohort
            tw(5, D(2023, 10, 2), D(2023, 9, 1)),  # BW, anchor 2 Oct 2023
            tw(6, D(2023, 10, 2), D(2023, 10, 2)),
            tw(7, D(2024, 2, 20), D(2024, 3, 1)),  # niet gestart, anchor Fri 1 Mar
            tw(8, D(2024, 3, 18), D(2024, 3, 18)),  # niet gestart, anchor Mon 18 Mar
        ]
    )
    bw = {"product_group": "15", "referentiegroep": "BW"}
    trajectories = _traj(
        [
            {"trajectory_id": "t1", "start": D(2024, 1, 22)},  # (8 Jan, 22 Jan] = 10 werkdagen
            {"trajectory_id": "t2", "start": D(2024, 1, 23)},  # 11 werkdagen
            {"trajectory_id": "t3", "start": D(2024, 2, 1)},
            {"trajectory_id": "t5", "start": D(2024, 1, 1), **bw},  # 91 days after 2 Oct
            {"trajectory_id": "t6", "start": D(2024, 1, 2), **bw},  # 92 days
        ],
        links=[
            {"toewijzing_nummer": 1, "trajectory_id": "t1"},
            {"toewijzing_nummer": 2, "trajectory_id": "t2"},
            {"toewijzing_nummer": 3, "trajectory_id": "t3"},
            {"toewijzing_nummer": 4, "trajectory_id": "t1", "opens_trajectory": False},
            {"toewijzing_nummer": 5, "trajectory_id": "t5"},
            {"toewijzing_nummer": 6, "trajectory_id": "t6"},
        ],
        niet_gestart=[{"toewijzing_nummer": 7}, {"toewijzing_nummer": 8}],
    )
    return state, trajectories


def test_k6_cohort_waits_retroactive_start_and_deadlines() -> None:
    state, trajectories = _k6_inputs()
    cohort = k6_cohort(state, trajectories, CAL, ProcessParams(as_of=D(2024, 4, 3)))
    rows = {r["toewijzing_nummer"]: r for r in cohort.iter_rows(named=True)}
    assert sorted(rows) == [1, 2, 3, 5, 6, 7]  # 4 continues t1; 8's deadline not yet passed
    assert [rows[n]["wait"] for n in (1, 2, 3, 5, 6)] == [10, 11, 0, 91, 92]
    assert [rows[n]["within"] for n in (1, 2, 3, 5, 6, 7)] == [
        True, False, True, True, False, False,
    ]  # fmt: skip
    assert rows[3]["terugwerkende_kracht"] and not rows[1]["terugwerkende_kracht"]
    # 1 Mar + 10 werkdagen = Fri 15 Mar.
    assert rows[7]["deadline"] == D(2024, 3, 15)
    # 18 Mar + 10: Goede Vrijdag 29 Mar and 2e Paasdag 1 Apr do not count → Wed 3 Apr.
    later = k6_cohort(state, trajectories, CAL, ProcessParams(as_of=D(2024, 4, 4)))
    row8 = later.filter(pl.col("toewijzing_nummer") == 8).row(0, named=True)
    assert row8["deadline"] == D(2024, 4, 3) and row8["within"] is False


def test_k6_figures_share_median_p90_and_bw_norm() -> None:
    state, trajectories = _k6_inputs()
    figures = k6_wachttijd(state, trajectories, CAL, ProcessParams(as_of=D(2024, 4, 3)))
    k6 = _value(figures, "K6", "2024Q1")
    assert (k6["numerator"], k6["denominator"], k6["value"]) == (2.0, 4.0, 0.5)  # 1, 3 of 1,2,3,7
    assert _value(figures, "K6m", "2024Q1")["value"] == 10.0  # median of 0, 10, 11
    p90 = _value(figures, "K6p", "2024Q1")
    assert (p90["value"], p90["n"]) == (pytest.approx(10.8), 3)  # 10 + 0.8 · (11 − 10)
    bw = _value(figures, "K6", "2023Q4", "BW", "regio")
    assert (bw["numerator"], bw["denominator"]) == (1.0, 2.0)
    assert _value(figures, "K6m", "2023Q4", "BW")["value"] == 91.5
    # One day later toewijzing 8's deadline has passed: it joins the cohort, not within.
    later = k6_wachttijd(state, trajectories, CAL, ProcessParams(as_of=D(2024, 4, 4)))
    assert _value(later, "K6", "2024Q1")["denominator"] == 5.0
    # As a werkdagen norm, BW's 91 days (65 werkdagen) would pass both starts.
    ib_norms = ProcessParams(as_of=D(2024, 4, 3), wait_norms={"15": (65, "werkdagen")})
    assert _value(k6_wachttijd(state, trajectories, CAL, ib_norms), "K6", "2023Q4", "BW")[
        "value"
    ] == pytest.approx(1.0)


# --- K11 ---------------------------------------------------------------------------------------


def _k11_inputs() -> tuple[DerivedState, Trajectories]:
    state = _state(
        toewijzingen=[
            {"toewijzing_nummer": 10, "first_dagtekening": D(2024, 12, 10)},
            {"toewijzing_nummer": 11, "first_dagtekening": D(2024, 12, 10)},
            {"toewijzing_nummer": 12, "first_dagtekening": D(2024, 4, 10)},  # retroactive
        ],
        starts=[
            {"toewijzing_nummer": 10, "begindatum": D(2024, 12, 19)},
            {"toewijzing_nummer": 11, "begindatum": D(2024, 12, 19)},
            {"toewijzing_nummer": 12, "begindatum": D(2024, 3, 1)},
        ],
        stops=[{"toewijzing_nummer": 11, "begindatum": D(2024, 12, 19)}],
        deleted=[
            {"toewijzing_nummer": 12, "begindatum": D(2024, 2, 28)},
            {"toewijzing_nummer": 13, "begindatum": D(2024, 1, 15), "categorie": "07"},
        ],
    )
    trajectories = _traj(
        [
            {"trajectory_id": "t10", "start": D(2024, 12, 19)},
            {
                "trajectory_id": "t11",
                "start": D(2024, 12, 19),
                "end": D(2024, 12, 20),
                "end_kind": "stop",
            },
            {
                "trajectory_id": "t12",
                "start": D(2024, 3, 1),
                "end": D(2024, 5, 1),
                "end_kind": "stop",
            },
            {
                "trajectory_id": "t14",
                "start": D(2024, 12, 2),
                "end": D(2024, 12, 31),
                "end_kind": "vermoedelijk",
                "start_afgeleid": True,
            },
        ],
        links=[{"toewijzing_nummer": n, "trajectory_id": f"t{n}"} for n in (10, 11, 12)],
        episodes=[
            # Thu 19 Dec; werkdagen after: 20, 23, 24, (Kerst 25, 26), 27, 30 → 30 Dec is the 5th.
            {
                "toewijzing_nummer": 10,
                "begindatum": D(2024, 12, 19),
                "start_bericht": True,
                "start_dagtekening": D(2024, 12, 30),
            },
            {
                "toewijzing_nummer": 11,
                "begindatum": D(2024, 12, 19),
                "start_bericht": True,
                "start_dagtekening": D(2024, 12, 31),  # 6th werkdag: late
                # Fri 20 Dec → 23, 24, 27, 30, 31: the 5th werkdag, on time.
                "definitief_einddatum": D(2024, 12, 20),
                "definitief_reden": "19",
                "stop_dagtekening": D(2024, 12, 31),
            },
            {
                # Reference = first WMO301 Dagtekening Wed 10 Apr (after Begindatum 1 Mar):
                # 11, 12, 15, 16, 17 Apr → on time, attributed to 2024Q2.
                "toewijzing_nummer": 12,
                "begindatum": D(2024, 3, 1),
                "start_bericht": True,
                "start_dagtekening": D(2024, 4, 17),
                # Wed 1 May → 2, 3, 6, 7, 8 (Hemelvaart 9 May); 10 May is the 6th: late.
                "definitief_einddatum": D(2024, 5, 1),
                "definitief_reden": "19",
                "stop_dagtekening": D(2024, 5, 10),
            },
        ],
    )
    return state, trajectories


def test_k11_starts_and_stops_on_time_around_holidays() -> None:
    state, trajectories = _k11_inputs()
    figures = k11_administratief(state, trajectories, CAL, ProcessParams(as_of=D(2025, 3, 31)))
    k11s = _value(figures, "K11s", "2024Q4")
    assert (k11s["numerator"], k11s["denominator"]) == (1.0, 2.0)
    assert _value(figures, "K11l", "2024Q4")["value"] == 5.5  # median of 5 and 6
    retro = _value(figures, "K11s", "2024Q2")
    assert (retro["numerator"], retro["denominator"]) == (1.0, 1.0)
    assert _value(figures, "K11l", "2024Q2")["value"] == 5.0
    assert figures.filter((pl.col("kpi") == "K11s") & (pl.col("period") == "2024Q1")).is_empty()
    assert _value(figures, "K11e", "2024Q4")["value"] == 1.0
    assert _value(figures, "K11e", "2024Q2")["value"] == 0.0


def test_k11_missing_starts_stops_and_correction_rate() -> None:
    state, trajectories = _k11_inputs()
    figures = k11_administratief(state, trajectories, CAL, ProcessParams(as_of=D(2025, 3, 31)))
    ms = _value(figures, "K11ms", "2024Q4")  # t10, t11, t14 started; t14 afgeleid
    assert (ms["numerator"], ms["denominator"]) == (1.0, 3.0)
    me = _value(figures, "K11me", "2024Q4")  # t11 stop, t14 vermoedelijk
    assert (me["numerator"], me["denominator"]) == (1.0, 2.0)
    # Q1: start of 12 on 1 Mar kept, the one of 28 Feb deleted; Q4: two starts and a stop kept.
    c1 = _value(figures, "K11c", "2024Q1")
    assert (c1["numerator"], c1["denominator"]) == (1.0, 2.0)
    assert _value(figures, "K11c", "2024Q4")["value"] == 0.0
    # Unknown toewijzing 13: referentiegroep falls back to the categorie.
    assert _value(figures, "K11c", "2024Q1", "07")["value"] == 1.0


# --- K10 ---------------------------------------------------------------------------------------


def test_k10_pro_rata_over_a_quarter_boundary_and_per_four_weeks() -> None:
    def line(client: str, nr: int, begin: dt.date, end: dt.date, cents: int) -> dict[str, Any]:
        return {
            "client_key": client,
            "toewijzing_nummer": nr,
            "periode_begin": begin,
            "periode_eind": end,
            "netto_bedrag": cents,
        }

    state = _state(
        prestaties=[
            line("A", 20, D(2024, 3, 25), D(2024, 4, 7), 14000),  # 7 + 7 days: €70 + €70
            line("B", 21, D(2024, 3, 1), D(2024, 3, 31), 31000),
            line("B", 21, D(2024, 3, 1), D(2024, 3, 31), -6200),  # credit: B nets €248
            line("C", 22, D(2024, 2, 1), D(2024, 2, 29), 1000),
            line("C", 22, D(2024, 2, 1), D(2024, 2, 29), -1000),  # fully credited: no client
        ]
    )
    trajectories = _traj(
        [
            {"trajectory_id": "tA", "client_key": "A", "start": D(2024, 3, 25)},
            {
                "trajectory_id": "tB",
                "client_key": "B",
                "start": D(2024, 1, 1),
                "end": D(2024, 3, 31),
                "end_kind": "stop",
            },
        ],
        links=[
            {"toewijzing_nummer": 20, "trajectory_id": "tA"},
            {"toewijzing_nummer": 21, "trajectory_id": "tB"},
        ],
        niet_gestart=[{"toewijzing_nummer": 22}],
    )
    figures = k10_kosten(state, trajectories, ProcessParams(as_of=D(2024, 4, 30)))
    q1 = _value(figures, "K10", "2024Q1")
    assert (q1["numerator"], q1["denominator"]) == (pytest.approx(318.0), 2.0)
    assert q1["value"] == pytest.approx(159.0)
    q2 = _value(figures, "K10", "2024Q2")
    assert (q2["numerator"], q2["n"]) == (pytest.approx(70.0), 1)
    assert _value(figures, "K10", "2024")["value"] == pytest.approx(388.0 / 2)
    # Days in care Q1: A 25–31 Mar = 7, B 91 → 98 days = 3.5 four-week units.
    assert _value(figures, "K10w", "2024Q1")["value"] == pytest.approx(318.0 / 3.5)
    # Q2 up to as_of 30 Apr: A 30 days.
    assert _value(figures, "K10w", "2024Q2")["value"] == pytest.approx(70.0 / (30 / 28))


def test_process_figures_concatenates_and_sorts() -> None:
    state, trajectories = _k11_inputs()
    figures = process_figures(state, trajectories, CAL, ProcessParams(as_of=D(2025, 3, 31)))
    assert figures.equals(
        figures.sort(["kpi", "aanbieder_agb", "referentiegroep", "gemeente", "period"])
    )
    assert {"K11s", "K11e", "K11ms", "K11me", "K11c", "K11l"} <= set(figures["kpi"].to_list())
    assert figures.filter(pl.col("kpi").str.starts_with("K10")).is_empty()  # no prestaties
