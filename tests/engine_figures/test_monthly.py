# SPDX-License-Identifier: EUPL-1.2
"""Monthly figures (SPC series) on a tiny hand-made scenario; expected months worked out here.

The state and trajectory frames of the K6/K11 tests are reused; the trajectory frame is completed
with the columns K1/K2/K8 need.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from tests.engine_figures.test_process_figures import CAL, _k6_inputs, _k11_inputs
from wmo_sla.engine.figures import FigureParams, trajectory_figures
from wmo_sla.engine.figures_monthly import MONTHLY_CODES, monthly_figures
from wmo_sla.engine.figures_process import ProcessParams
from wmo_sla.engine.periods import (
    explode_periods,
    is_period_label,
    month_periods,
    period_bounds,
    period_end_expr,
    periods_between,
)
from wmo_sla.engine.trajectories import Trajectories

D = dt.date


def _complete(
    trajectories: Trajectories, extra: list[dict[str, Any]] | None = None
) -> Trajectories:
    """Add the columns of the trajectory-based KPIs (instroom kind, end reason, …)."""
    frame = trajectories.trajectories.with_columns(
        pl.lit(None, pl.Utf8).alias("end_reason"),
        pl.lit("nieuw").alias("instroom_kind"),
        pl.lit(0, pl.Int64).alias("temporary_stop_days"),
    )
    if extra:
        frame = pl.concat([frame, pl.DataFrame(extra, schema=frame.schema)])
    return Trajectories(
        episodes=trajectories.episodes,
        trajectories=frame,
        niet_gestart=trajectories.niet_gestart,
        toewijzing_links=trajectories.toewijzing_links,
    )


def _row(start: dt.date, end: dt.date | None, kind: str, reason: str | None, tid: str) -> dict:
    return {
        "trajectory_id": tid,
        "client_key": tid,
        "aanbieder_agb": "99000101",
        "gemeente": "0505",
        "product_group": "02",
        "referentiegroep": "IB",
        "start": start,
        "end": end,
        "end_kind": kind,
        "start_afgeleid": False,
        "end_reason": reason,
        "instroom_kind": "nieuw",
        "temporary_stop_days": 0,
    }


SCENARIO = [
    _row(D(2024, 1, 10), D(2024, 2, 5), "stop", "19", "a"),
    _row(D(2024, 1, 20), D(2024, 2, 25), "stop", "21", "b"),
    _row(D(2024, 2, 3), D(2024, 3, 10), "stop", "19", "c"),
    _row(D(2024, 3, 1), None, "open", None, "d"),
    _row(D(2023, 12, 1), D(2024, 3, 31), "vermoedelijk", None, "e"),
]


def _value(figures: pl.DataFrame, kpi: str, period: str, rg: str = "IB") -> dict[str, Any]:
    row = figures.filter(
        (pl.col("kpi") == kpi) & (pl.col("period") == period) & (pl.col("referentiegroep") == rg)
    )
    assert row.height == 1, f"{kpi} {period} {rg}: {row}"
    return row.row(0, named=True)


@pytest.fixture
def k11_monthly() -> pl.DataFrame:
    state, trajectories = _k11_inputs()
    as_of = D(2025, 3, 31)
    # Only the scenario's trajectories: the K11 frame's own ones lack end reasons.
    traj = _complete(trajectories)
    traj = Trajectories(
        episodes=traj.episodes,
        trajectories=pl.DataFrame(SCENARIO, schema=traj.trajectories.schema),
        niet_gestart=traj.niet_gestart,
        toewijzing_links=traj.toewijzing_links,
    )
    return monthly_figures(state, traj, CAL, FigureParams(as_of=as_of), ProcessParams(as_of=as_of))


def test_monthly_figures_are_the_subset_at_region_level_with_month_labels(k11_monthly):
    assert set(k11_monthly["kpi"].unique()) <= set(MONTHLY_CODES)
    assert k11_monthly["gemeente"].unique().to_list() == ["regio"]
    assert all(is_period_label(p, months=True) and "M" in p for p in k11_monthly["period"])


def test_k1_k2_k8_per_month(k11_monthly):
    # Starts: e in Dec 2023; a, b in Jan; c in Feb; d in Mar.
    assert [_value(k11_monthly, "K1", p)["value"] for p in ("2023M12", "2024M01", "2024M02")] == [
        1.0,
        2.0,
        1.0,
    ]
    assert _value(k11_monthly, "K1", "2024M03")["value"] == 1.0
    # Definitive ends: a, b in Feb; c (stop) and e (vermoedelijk) in Mar.
    assert _value(k11_monthly, "K2", "2024M02")["value"] == 2.0
    assert _value(k11_monthly, "K2", "2024M03")["value"] == 2.0
    # K8: Feb 1 of 2 (b: 21); Mar 0 of 1 (c: 19; e has no stop message and is left out).
    feb = _value(k11_monthly, "K8", "2024M02")
    assert (feb["numerator"], feb["denominator"], feb["value"]) == (1.0, 2.0, 0.5)
    mar = _value(k11_monthly, "K8", "2024M03")
    assert (mar["numerator"], mar["denominator"]) == (0.0, 1.0)


def test_k11_per_month_by_reference_date(k11_monthly):
    # Two starts of 19 Dec (one on time), the retroactive one referenced on 10 Apr (on time).
    dec = _value(k11_monthly, "K11s", "2024M12")
    assert (dec["numerator"], dec["denominator"]) == (1.0, 2.0)
    apr = _value(k11_monthly, "K11s", "2024M04")
    assert (apr["numerator"], apr["denominator"]) == (1.0, 1.0)
    assert k11_monthly.filter(
        (pl.col("kpi") == "K11s") & (pl.col("period") == "2024M03")
    ).is_empty()
    assert _value(k11_monthly, "K11e", "2024M12")["value"] == 1.0
    assert _value(k11_monthly, "K11e", "2024M05")["value"] == 0.0


def test_k6_per_anchor_month_adds_up_to_the_quarter():
    state, trajectories = _k6_inputs()
    as_of = D(2024, 4, 3)
    monthly = monthly_figures(
        state, _complete(trajectories), CAL, FigureParams(as_of=as_of), ProcessParams(as_of=as_of)
    )
    # Jan: toewijzing 1 within (10 werkdagen), 2 not (11); Feb: 3 (retroactive) within;
    # Mar: 7 not started and past its deadline; 8's deadline (3 Apr) has not passed.
    jan, feb, mar = (_value(monthly, "K6", p) for p in ("2024M01", "2024M02", "2024M03"))
    assert (jan["numerator"], jan["denominator"]) == (1.0, 2.0)
    assert (feb["numerator"], feb["denominator"]) == (1.0, 1.0)
    assert (mar["numerator"], mar["denominator"]) == (0.0, 1.0)
    bw = _value(monthly, "K6", "2023M10", "BW")
    assert (bw["numerator"], bw["denominator"]) == (1.0, 2.0)  # 91 days within, 92 not


def test_month_mode_is_opt_in_and_leaves_quarterly_figures_unchanged():
    frame = pl.DataFrame({"d": [D(2024, 3, 5)]})
    before = explode_periods(frame, "d")["period"].to_list()
    with month_periods():
        assert explode_periods(frame, "d")["period"].to_list() == ["2024M03"]
        assert periods_between(D(2024, 1, 1), D(2024, 2, 1))["period"].to_list() == [
            "2024M01",
            "2024M02",
        ]
    assert before == explode_periods(frame, "d")["period"].to_list() == ["2024Q1", "2024H1", "2024"]
    figures = trajectory_figures(pl.DataFrame(SCENARIO), FigureParams(as_of=D(2024, 12, 31)))
    assert not figures["period"].str.contains("M").any()
    assert _value(figures.filter(pl.col("gemeente") == "regio"), "K8", "2024Q1")["value"] == (
        pytest.approx(1 / 3)
    )


def test_month_labels_bounds_and_validation():
    assert period_bounds("2024M02") == (D(2024, 2, 1), D(2024, 2, 29))
    assert period_bounds("2024M12") == (D(2024, 12, 1), D(2024, 12, 31))
    assert not is_period_label("2024M03")  # months only on request
    assert is_period_label("2024M03", months=True) and is_period_label("2024Q3", months=True)
    assert not is_period_label("2024M13", months=True)
    assert not is_period_label("2024M3", months=True)
    with pytest.raises(ValueError, match="ongeldige periode"):
        period_bounds("2024M00")
    ends = pl.DataFrame({"p": ["2024M02", "2023M12", "2024Q1", "2024"]}).select(
        period_end_expr(pl.col("p"))
    )
    assert ends.to_series().to_list() == [
        D(2024, 2, 29),
        D(2023, 12, 31),
        D(2024, 3, 31),
        D(2024, 12, 31),
    ]
