# SPDX-License-Identifier: EUPL-1.2
"""K5km: Kaplan–Meier median duration of the trajectories started in a year (KPIS.md K5 (b)).

Cohort: the trajectories that start in the calendar year (start ≤ ``as_of``), per aanbieder ×
referentiegroep × gemeente (and regio). Duration = end − start + 1 days. An ended trajectory
(definitive stop or *vermoedelijke uitstroom*, end ≤ ``as_of``) is an event at its duration; an
open trajectory, or one whose end lies after ``as_of``, is censored at ``as_of`` − start + 1.

S(t) = Π over event durations tᵢ ≤ t of (1 − dᵢ ÷ nᵢ), with dᵢ events at tᵢ and nᵢ trajectories
still at risk (duration ≥ tᵢ; a trajectory censored at tᵢ is still at risk at tᵢ). The median is
the smallest event duration with S(t) ≤ 0.5. While fewer than half of the cohort may have ended
(S never reaches 0.5) the median is not known and no figure is produced.

Periods: only years (``2024``). KPIS.md defines the cohort as the trajectories started in the
year; quarter and half-year figures of K5km are not produced (their start cohorts are mostly too
young to have a median). Vectorised: one sort and cumulative window functions per cohort.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from .figures import DIMS, _finish, _with_regio

__all__ = ["k5_kaplan_meier", "km_durations"]

_HALF = 0.5 + 1e-12  # S(t) is a float product; an exact 0.5 must count as reached


def km_durations(trajectories: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """The start cohorts: one row per started trajectory with ``period`` (its start year),
    ``duration`` in days and ``event`` (False = censored at ``as_of``)."""
    cut = pl.lit(as_of, pl.Date)
    ended = (
        pl.col("end").is_not_null()
        & pl.col("end_kind").is_in(["stop", "vermoedelijk"])
        & (pl.col("end") <= cut)
    )
    last_day = pl.when(ended).then(pl.col("end")).otherwise(cut)
    return trajectories.filter(pl.col("start") <= cut).select(
        "aanbieder_agb",
        "referentiegroep",
        "gemeente",
        pl.col("start").dt.year().cast(pl.Utf8).alias("period"),
        ((last_day - pl.col("start")).dt.total_days() + 1).cast(pl.Int64).alias("duration"),
        ended.alias("event"),
    )


def k5_kaplan_meier(trajectories: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """K5km figure rows (value = median in days, n = cohort size, no numerator/denominator)."""
    cohort = _with_regio(km_durations(trajectories, as_of))
    sizes = cohort.group_by(DIMS).agg(pl.len().alias("n"))
    at_times = (
        cohort.group_by([*DIMS, "duration"])
        .agg(
            pl.col("event").sum().cast(pl.Float64).alias("d"),
            pl.len().cast(pl.Float64).alias("leaving"),
        )
        .join(sizes, on=DIMS)
        .sort([*DIMS, "duration"])
    )
    # At risk at t = cohort size − everyone who left (ended or censored) before t.
    left_before = pl.col("leaving").cum_sum().over(DIMS) - pl.col("leaving")
    curve = at_times.with_columns(
        (pl.col("n").cast(pl.Float64) - left_before).alias("at_risk")
    ).with_columns((1 - pl.col("d") / pl.col("at_risk")).cum_prod().over(DIMS).alias("survival"))
    medians = (
        curve.filter((pl.col("d") > 0) & (pl.col("survival") <= _HALF))
        .group_by(DIMS)
        .agg(pl.col("duration").min().cast(pl.Float64).alias("value"))
    )
    rows = medians.join(sizes, on=DIMS).with_columns(
        pl.lit(None, pl.Float64).alias("numerator"),
        pl.lit(None, pl.Float64).alias("denominator"),
    )
    return _finish(rows, "K5km").sort(["kpi", *DIMS])
