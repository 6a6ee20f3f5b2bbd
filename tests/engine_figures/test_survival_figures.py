# SPDX-License-Identifier: EUPL-1.2
"""K5km, the Kaplan–Meier median of a start cohort: a hand-computed case, censoring rules and a
Hypothesis property against a tiny exact reference implementation (fractions, one loop)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from wmo_sla.engine.figures_survival import k5_kaplan_meier, km_durations

D = dt.date
AS_OF = D(2024, 12, 31)
SCHEMA = {
    "trajectory_id": pl.Utf8,
    "aanbieder_agb": pl.Utf8,
    "referentiegroep": pl.Utf8,
    "gemeente": pl.Utf8,
    "start": pl.Date,
    "end": pl.Date,
    "end_kind": pl.Utf8,
}


def _frame(rows: list[tuple[dt.date, dt.date | None, str]], agb: str = "A") -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "trajectory_id": f"{agb}{i}",
                "aanbieder_agb": agb,
                "referentiegroep": "IB",
                "gemeente": "0505",
                "start": start,
                "end": end,
                "end_kind": kind,
            }
            for i, (start, end, kind) in enumerate(rows)
        ],
        schema=SCHEMA,
    )


def _median(figures: pl.DataFrame, period: str, agb: str = "A") -> tuple[float, int] | None:
    row = figures.filter(
        (pl.col("period") == period)
        & (pl.col("gemeente") == "regio")
        & (pl.col("aanbieder_agb") == agb)
    )
    if row.is_empty():
        return None
    return row["value"][0], row["n"][0]


def test_hand_computed_median_with_censoring():
    # Durations (end − start + 1): 10, 20, 25, 30 ended; 31 and 366 open (censored at as-of).
    # At risk 6, 5, 4: S(10) = 5/6, S(20) = 4/6, S(25) = 3/6 = 0.5 → median 25 days.
    # (The median of the ended ones alone would be 22.5; the open ones pull it up.)
    cohort = _frame(
        [
            (D(2024, 1, 1), D(2024, 1, 10), "stop"),
            (D(2024, 1, 1), D(2024, 1, 20), "stop"),
            (D(2024, 3, 1), D(2024, 3, 25), "stop"),
            (D(2024, 6, 1), D(2024, 6, 30), "vermoedelijk"),  # an end without stop message
            (D(2024, 12, 1), None, "open"),
            (D(2024, 1, 1), None, "open"),
        ]
    )
    figures = k5_kaplan_meier(cohort, AS_OF)
    assert _median(figures, "2024") == (25.0, 6)
    assert figures["numerator"].is_null().all() and figures["denominator"].is_null().all()
    assert set(figures["kpi"]) == {"K5km"}


def test_censoring_before_an_event_keeps_the_curve_higher():
    # 10 ended, 12 censored (open, started 2024-12-20), 20 ended, 30 ended.
    # S(10) = 3/4; at 20 only 2 at risk: S = 3/4 × 1/2 = 3/8 ≤ 0.5 → median 20.
    cohort = _frame(
        [
            (D(2024, 1, 1), D(2024, 1, 10), "stop"),
            (D(2024, 12, 20), None, "open"),
            (D(2024, 2, 1), D(2024, 2, 20), "stop"),
            (D(2024, 3, 1), D(2024, 3, 30), "stop"),
        ]
    )
    assert _median(k5_kaplan_meier(cohort, AS_OF), "2024") == (20.0, 4)


def test_no_figure_while_the_median_is_not_reached():
    cohort = _frame(
        [
            (D(2024, 1, 1), D(2024, 1, 10), "stop"),
            (D(2024, 2, 1), None, "open"),
            (D(2024, 3, 1), None, "open"),
        ]
    )
    assert k5_kaplan_meier(cohort, AS_OF).is_empty()


def test_cohort_is_the_start_year_and_only_years_are_reported():
    cohort = _frame(
        [
            (D(2023, 11, 1), D(2024, 2, 29), "stop"),  # 2023 cohort, ended in 2024: 121 days
            (D(2024, 5, 1), D(2024, 5, 10), "stop"),
            (D(2025, 1, 5), D(2025, 1, 10), "stop"),  # starts after as-of: not in any cohort
        ]
    )
    figures = k5_kaplan_meier(cohort, AS_OF)
    assert _median(figures, "2023") == (121.0, 1)
    assert _median(figures, "2024") == (10.0, 1)
    assert set(figures["period"]) == {"2023", "2024"}  # no quarters or half years


def test_an_end_after_as_of_is_censored_at_as_of():
    cohort = _frame([(D(2024, 12, 1), D(2025, 3, 1), "stop")])
    durations = km_durations(cohort, AS_OF)
    assert durations.select("duration", "event").rows() == [(31, False)]


def test_regio_pools_the_gemeenten():
    rows = _frame([(D(2024, 1, 1), D(2024, 1, 10), "stop")])
    other = rows.with_columns(
        pl.lit("0642").alias("gemeente"),
        pl.lit(D(2024, 1, 30)).alias("end"),
        pl.lit("A9").alias("trajectory_id"),
    )
    figures = k5_kaplan_meier(pl.concat([rows, other]), AS_OF)
    by_gemeente = {r["gemeente"]: (r["value"], r["n"]) for r in figures.iter_rows(named=True)}
    # regio: durations 10 and 30: S(10) = 1/2 → median 10.
    assert by_gemeente == {"0505": (10.0, 1), "0642": (30.0, 1), "regio": (10.0, 2)}


# --- property: the vectorised estimator equals a tiny exact reference ---------------------------


def reference_km_median(observations: list[tuple[int, bool]]) -> int | None:
    """Textbook product-limit estimator in exact fractions: the smallest event time t with
    S(t) ≤ 1/2 (censored observations at t are still at risk at t)."""
    survival = Fraction(1)
    for t in sorted({t for t, event in observations if event}):
        at_risk = sum(1 for u, _ in observations if u >= t)
        deaths = sum(1 for u, event in observations if u == t and event)
        survival *= Fraction(at_risk - deaths, at_risk)
        if survival <= Fraction(1, 2):
            return t
    return None


observation = st.tuples(st.integers(min_value=1, max_value=40), st.booleans())


@settings(max_examples=300, deadline=None)
@given(cohorts=st.lists(st.lists(observation, min_size=1, max_size=25), min_size=1, max_size=3))
def test_vectorised_median_equals_the_reference(cohorts):
    rows = []
    for index, observations in enumerate(cohorts):
        for i, (days, event) in enumerate(observations):
            # Open trajectories are censored at as-of: start so that as-of − start + 1 = days.
            start = AS_OF - dt.timedelta(days=days - 1)
            rows.append(
                {
                    "trajectory_id": f"{index}-{i}",
                    "aanbieder_agb": f"P{index}",
                    "referentiegroep": "IB",
                    "gemeente": "0505",
                    "start": start,
                    "end": start + dt.timedelta(days=days - 1) if event else None,
                    "end_kind": "stop" if event else "open",
                }
            )
    figures = k5_kaplan_meier(pl.DataFrame(rows, schema=SCHEMA), AS_OF)
    for index, observations in enumerate(cohorts):
        expected = reference_km_median(observations)
        got = _median(figures, "2024", agb=f"P{index}")
        if expected is None:
            assert got is None
        else:
            assert got == (float(expected), len(observations))
