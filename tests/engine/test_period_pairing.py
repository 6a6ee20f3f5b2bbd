# SPDX-License-Identifier: EUPL-1.2
"""active_spans / care_spans pair trajectories only with the periods they can overlap; the result
is the same as the cross join with every period, filtered (rows and order)."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

from wmo_sla.engine.figures import active_spans
from wmo_sla.engine.figures_process import ProcessParams, care_spans
from wmo_sla.engine.periods import month_periods, periods_between

AS_OF = dt.date(2024, 12, 31)


def _trajectories(seed: int, n: int = 300) -> pl.DataFrame:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        start = dt.date(2021, 6, 1) + dt.timedelta(days=rng.randrange(0, 1400))
        kind = rng.random()
        if kind < 0.3:
            end = None  # still open
        elif kind < 0.35:
            end = start - dt.timedelta(days=rng.randrange(1, 30))  # malformed: end before start
        else:
            end = start + dt.timedelta(days=rng.randrange(0, 900))
        rows.append((f"t{i}", "99000101", "0505", start, end))
    return pl.DataFrame(
        rows,
        schema={
            "trajectory_id": pl.Utf8,
            "aanbieder_agb": pl.Utf8,
            "gemeente": pl.Utf8,
            "start": pl.Date,
            "end": pl.Date,
        },
        orient="row",
    )


def _active_by_cross_join(trajectories: pl.DataFrame) -> pl.DataFrame:
    first = trajectories["start"].min()
    assert isinstance(first, dt.date)
    periods = periods_between(first, AS_OF).filter(pl.col("period_start") <= AS_OF)
    periods = periods.with_columns(
        pl.min_horizontal(pl.col("period_end"), pl.lit(AS_OF)).alias("last_day")
    )
    return (
        trajectories.join(periods, how="cross")
        .filter(
            (pl.col("start") <= pl.col("last_day"))
            & (pl.col("end").is_null() | (pl.col("end") >= pl.col("period_start")))
        )
        .with_columns(
            (pl.col("end").is_null() | (pl.col("end") > pl.col("last_day"))).alias("in_stand")
        )
    )


def _care_by_cross_join(trajectories: pl.DataFrame, first: dt.date) -> pl.DataFrame:
    as_of = pl.lit(AS_OF, pl.Date)
    periods = periods_between(min(first, AS_OF), AS_OF)
    days = (
        pl.min_horizontal(pl.coalesce("end", as_of), "period_end", as_of)
        - pl.max_horizontal("start", "period_start")
    ).dt.total_days() + 1
    return (
        trajectories.filter(pl.col("start") <= AS_OF)
        .join(periods, how="cross")
        .with_columns(days.alias("days"))
        .filter(pl.col("days") > 0)
    )


def test_active_spans_equal_the_filtered_cross_join():
    for seed in range(5):
        trajectories = _trajectories(seed)
        got = active_spans(trajectories, AS_OF)
        assert got.height > trajectories.height  # many trajectories span several periods
        assert got.equals(_active_by_cross_join(trajectories))


def test_active_spans_per_month_equal_the_filtered_cross_join():
    trajectories = _trajectories(11)
    with month_periods():
        assert active_spans(trajectories, AS_OF).equals(_active_by_cross_join(trajectories))


def test_care_spans_equal_the_filtered_cross_join():
    for seed in range(5):
        trajectories = _trajectories(seed)
        first = dt.date(2022, 1, 1)
        got = care_spans(trajectories, first, ProcessParams(as_of=AS_OF))
        assert got.height > 0
        assert got.equals(_care_by_cross_join(trajectories, first))
