# SPDX-License-Identifier: EUPL-1.2
"""Trajectory-based figures on hand-made trajectories, with the expected values worked out here."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from wmo_sla.engine.figures import FigureParams, trajectory_figures
from wmo_sla.engine.periods import period_bounds, periods_between

D = dt.date


def _traj(rows: list[dict[str, object]]) -> pl.DataFrame:
    defaults = {
        "aanbieder_agb": "99000101",
        "referentiegroep": "IB-REG",
        "gemeente": "0505",
        "temporary_stop_days": 0,
        "instroom_kind": "nieuw",
        "end_reason": None,
        "end": None,
        "end_kind": "open",
    }
    full = [{**defaults, "trajectory_id": f"t{i}", **r} for i, r in enumerate(rows)]
    return pl.DataFrame(
        full,
        schema={
            "trajectory_id": pl.Utf8,
            "client_key": pl.Utf8,
            "aanbieder_agb": pl.Utf8,
            "referentiegroep": pl.Utf8,
            "gemeente": pl.Utf8,
            "start": pl.Date,
            "end": pl.Date,
            "end_reason": pl.Utf8,
            "end_kind": pl.Utf8,
            "temporary_stop_days": pl.Int64,
            "instroom_kind": pl.Utf8,
        },
    )


@pytest.fixture
def figures() -> pl.DataFrame:
    q1 = [D(2024, 1, 10), D(2024, 2, 1), D(2024, 2, 20), D(2024, 3, 1), D(2024, 3, 15)]
    rows = [
        {
            "client_key": f"c{i}",
            "start": D(2023, 6, 1),
            "end": end,
            "end_reason": reason,
            "end_kind": "stop",
        }
        for i, (end, reason) in enumerate(zip(q1, ["19", "19", "21", "23", "38"], strict=True))
    ]
    rows.append(
        {
            "client_key": "c9",
            "start": D(2023, 9, 1),
            "end": D(2024, 3, 31),
            "end_kind": "vermoedelijk",
        }
    )
    rows.append({"client_key": "c10", "start": D(2024, 2, 1), "instroom_kind": "overname"})
    return trajectory_figures(_traj(rows), FigureParams(as_of=D(2024, 12, 31)))


def _value(figures: pl.DataFrame, kpi: str, period: str = "2024Q1", gemeente: str = "0505"):
    row = figures.filter(
        (pl.col("kpi") == kpi) & (pl.col("period") == period) & (pl.col("gemeente") == gemeente)
    )
    assert row.height == 1, f"{kpi} {period} {gemeente}: {row}"
    return row.row(0, named=True)


def test_k8_share_without_goals_counts_only_goal_reasons(figures):
    k8 = _value(figures, "K8")
    assert (k8["numerator"], k8["denominator"], k8["value"]) == (2.0, 4.0, 0.5)
    assert _value(figures, "K8u")["value"] == 0.25


def test_k2_groups_and_vermoedelijke_uitstroom(figures):
    assert _value(figures, "K2")["value"] == 6
    assert _value(figures, "K2v")["value"] == 2
    assert _value(figures, "K2x")["value"] == 2
    assert _value(figures, "K2o")["value"] == 1
    assert _value(figures, "K2z")["value"] == 1
    # Active in 2024Q1: all 7 trajectories; stand on 31 March: only the open one (c10).
    assert _value(figures, "K2a")["value"] == 7
    assert _value(figures, "K2s")["value"] == 1
    rate = _value(figures, "K2r")
    assert (rate["numerator"], rate["denominator"]) == (6.0, 7.0)


def test_k12_shares_include_zonder_stopbericht(figures):
    assert _value(figures, "K12-19")["value"] == pytest.approx(2 / 6)
    assert _value(figures, "K12-z")["value"] == pytest.approx(1 / 6)


def test_half_year_and_year_are_computed_from_events_and_regio_exists(figures):
    assert _value(figures, "K8", "2024H1")["value"] == 0.5
    assert _value(figures, "K8", "2024")["denominator"] == 4
    assert _value(figures, "K8", "2024Q1", "regio")["value"] == 0.5


def test_k1_instroom_split(figures):
    assert _value(figures, "K1")["value"] == 1
    assert _value(figures, "K1o")["value"] == 1


def test_k5_duration_of_ended_trajectories(figures):
    k5 = _value(figures, "K5")
    expected = [
        (e - D(2023, 6, 1)).days + 1
        for e in (D(2024, 1, 10), D(2024, 2, 1), D(2024, 2, 20), D(2024, 3, 1), D(2024, 3, 15))
    ]
    assert k5["n"] == 5
    assert k5["value"] == pytest.approx(sum(expected) / 5)
    assert _value(figures, "K5m")["value"] == sorted(expected)[2]


def test_k9_recidive_only_once_the_window_has_passed():
    rows = [
        {
            "client_key": "a",
            "start": D(2022, 1, 1),
            "end": D(2022, 3, 1),
            "end_reason": "19",
            "end_kind": "stop",
        },
        {
            "client_key": "a",
            "start": D(2022, 9, 1),
        },  # returns after 184 days: recidive (365), not 182
        {
            "client_key": "b",
            "start": D(2022, 1, 1),
            "end": D(2022, 2, 1),
            "end_reason": "21",
            "end_kind": "stop",
        },
    ]
    figures = trajectory_figures(_traj(rows), FigureParams(as_of=D(2023, 6, 30)))
    k9 = _value(figures, "K9", "2022Q1")
    assert (k9["numerator"], k9["denominator"]) == (1.0, 2.0)
    assert _value(figures, "K9h", "2022Q1")["numerator"] == 0
    assert _value(figures, "K9d", "2022Q1")["value"] == 0.5
    # 2022 as a year ends 31 Dec 2022; + 365 days is after the as-of date: not reported yet.
    assert figures.filter((pl.col("kpi") == "K9") & (pl.col("period") == "2022")).is_empty()


def test_period_helpers():
    assert period_bounds("2024Q4") == (D(2024, 10, 1), D(2024, 12, 31))
    assert periods_between(D(2024, 5, 1), D(2024, 5, 2))["period"].to_list() == [
        "2024",
        "2024H1",
        "2024Q2",
    ]
    with pytest.raises(ValueError, match="ongeldige periode"):
        period_bounds("2024Q5")
