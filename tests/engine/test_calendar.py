# SPDX-License-Identifier: EUPL-1.2
"""Werkdag calendar: hand-computed cases (KPIS.md § Werkdag, kpi-research §1.5) and properties."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wmo_sla.engine.calendar import WorkdayCalendar

CAL = WorkdayCalendar.algemene_termijnenwet(2014, 2040)


def brute_between(cal: WorkdayCalendar, a: date, b: date) -> int:
    """Reference: walk the days of (a, b]."""
    return sum(cal.is_werkdag(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


# -- holidays ----------------------------------------------------------------------------------


def test_easter_2024_goede_vrijdag_and_tweede_paasdag_are_not_werkdagen() -> None:
    assert not CAL.is_werkdag(date(2024, 3, 29))  # Goede Vrijdag
    assert not CAL.is_werkdag(date(2024, 4, 1))  # Tweede Paasdag (Monday)
    assert CAL.is_werkdag(date(2024, 3, 28))
    # (Thu 28 Mar, Tue 2 Apr]: Fri holiday, weekend, Mon holiday, Tue → 1
    assert CAL.werkdagen_between(date(2024, 3, 28), date(2024, 4, 2)) == 1
    assert CAL.add_werkdagen(date(2024, 3, 28), 1) == date(2024, 4, 2)


@pytest.mark.parametrize("year", [2014, 2025])
def test_koningsdag_on_sunday_moves_to_saturday_and_costs_no_werkdag(year: int) -> None:
    assert date(year, 4, 27).weekday() == 6
    assert date(year, 4, 26) in CAL.holidays
    assert CAL.is_werkdag(date(year, 4, 28))  # Monday after
    # (Fri 25 Apr, Mon 28 Apr]: only Monday
    assert CAL.werkdagen_between(date(year, 4, 25), date(year, 4, 28)) == 1


def test_koningsdag_on_a_weekday_is_not_a_werkdag() -> None:
    assert not CAL.is_werkdag(date(2023, 4, 27))  # Thursday
    assert CAL.werkdagen_between(date(2023, 4, 26), date(2023, 4, 28)) == 1


def test_5_mei_every_year_also_outside_lustrum() -> None:
    assert date(2023, 5, 5).weekday() == 4  # Friday, 2023 is no lustrum year
    assert not CAL.is_werkdag(date(2023, 5, 5))
    assert CAL.werkdagen_between(date(2023, 5, 4), date(2023, 5, 8)) == 1


def test_christmas_and_new_year_deadline() -> None:
    # 23 Dec 2024 + 5 werkdagen: 24, 27, 30, 31 Dec, 2 Jan (25/26 Dec and 1 Jan are holidays)
    assert CAL.add_werkdagen(date(2024, 12, 23), 5) == date(2025, 1, 2)
    assert CAL.werkdagen_between(date(2024, 12, 23), date(2025, 1, 2)) == 5


def test_research_examples_section_1_5() -> None:
    assert CAL.add_werkdagen(date(2025, 4, 12), 5) == date(2025, 4, 22)  # A on a Saturday
    assert CAL.add_werkdagen(date(2025, 4, 17), 5) == date(2025, 4, 28)
    assert CAL.werkdagen_between(date(2025, 4, 17), date(2025, 4, 24)) == 3


# -- the (A, B] convention -------------------------------------------------------------------


def test_a_itself_never_counts_and_b_counts_when_werkdag() -> None:
    mon, tue = date(2024, 1, 8), date(2024, 1, 9)
    assert CAL.werkdagen_between(mon, mon) == 0
    assert CAL.werkdagen_between(mon, tue) == 1
    assert CAL.werkdagen_between(date(2024, 1, 7), mon) == 1  # A = Sunday, B = Monday


def test_b_on_a_saturday() -> None:
    assert CAL.werkdagen_between(date(2024, 1, 5), date(2024, 1, 6)) == 0  # Fri → Sat
    assert CAL.werkdagen_between(date(2024, 1, 4), date(2024, 1, 6)) == 1  # Thu → Sat


def test_b_before_a_is_zero() -> None:
    assert CAL.werkdagen_between(date(2024, 1, 10), date(2024, 1, 2)) == 0


def test_add_zero_and_negative() -> None:
    sat = date(2024, 1, 6)
    assert CAL.add_werkdagen(sat, 0) == sat
    assert CAL.add_werkdagen(sat, 1) == date(2024, 1, 8)
    with pytest.raises(ValueError, match="n must be"):
        CAL.add_werkdagen(sat, -1)
    with pytest.raises(ValueError, match="n must be"):
        CAL.add_werkdagen_expr(pl.col("a"), -1)


def test_calendar_without_holidays_and_with_weekend_holidays() -> None:
    plain = WorkdayCalendar([])
    assert plain.werkdagen_between(date(2024, 1, 1), date(2024, 1, 8)) == 5
    weekend = WorkdayCalendar([date(2024, 1, 6), date(2024, 1, 6)])
    assert weekend.werkdagen_between(date(2024, 1, 1), date(2024, 1, 8)) == 5
    df = pl.DataFrame({"a": [date(2024, 1, 1)], "b": [date(2024, 1, 8)]})
    out = df.select(
        plain.werkdagen_between_expr(pl.col("a"), pl.col("b")).alias("w"),
        plain.add_werkdagen_expr(pl.col("a"), 5).alias("d"),
    )
    assert out.row(0) == (5, date(2024, 1, 8))


# -- vectorised ------------------------------------------------------------------------------


def test_vectorised_nulls_outside_span_and_per_row_n() -> None:
    df = pl.DataFrame(
        {
            "a": [date(2024, 12, 23), None, date(2024, 1, 1), date(2024, 1, 1), date(2024, 1, 6)],
            "b": [date(2025, 1, 2), date(2024, 1, 1), None, date(9999, 12, 31), date(2024, 1, 6)],
            "n": [5, 3, 0, -1, 0],
        }
    )
    out = df.select(
        CAL.werkdagen_between_expr(pl.col("a"), pl.col("b")).alias("w"),
        CAL.add_werkdagen_expr(pl.col("a"), pl.col("n")).alias("d"),
        CAL.is_werkdag_expr(pl.col("a")).alias("is_werkdag"),
    )
    assert out["w"].to_list() == [5, None, None, None, 0]
    assert out["d"].to_list() == [date(2025, 1, 2), None, date(2024, 1, 1), None, date(2024, 1, 6)]
    assert out["is_werkdag"].to_list() == [True, None, False, False, False]


DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2050, 12, 31))


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(st.tuples(DATES, DATES), min_size=1, max_size=50))
def test_vectorised_between_equals_scalar(pairs: list[tuple[date, date]]) -> None:
    df = pl.DataFrame({"a": [p[0] for p in pairs], "b": [p[1] for p in pairs]})
    got = df.select(CAL.werkdagen_between_expr(pl.col("a"), pl.col("b")))
    assert got.to_series().to_list() == [CAL.werkdagen_between(a, b) for a, b in pairs]


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(DATES, st.integers(min_value=0, max_value=400)), min_size=1),
    n=st.integers(min_value=0, max_value=30),
)
def test_vectorised_add_equals_scalar(rows: list[tuple[date, int]], n: int) -> None:
    df = pl.DataFrame({"a": [r[0] for r in rows], "n": [r[1] for r in rows]})
    got = df.select(
        CAL.add_werkdagen_expr(pl.col("a"), n).alias("const"),
        CAL.add_werkdagen_expr(pl.col("a"), pl.col("n")).alias("per_row"),
    )
    assert got["const"].to_list() == [CAL.add_werkdagen(a, n) for a, _ in rows]
    assert got["per_row"].to_list() == [CAL.add_werkdagen(a, k) for a, k in rows]


@settings(max_examples=300, deadline=None)
@given(a=DATES, n=st.integers(min_value=0, max_value=300))
def test_add_then_count_is_identity(a: date, n: int) -> None:
    deadline = CAL.add_werkdagen(a, n)
    assert CAL.werkdagen_between(a, deadline) == n
    if n > 0:
        assert CAL.is_werkdag(deadline)
        assert CAL.werkdagen_between(a, deadline - timedelta(days=1)) == n - 1


@settings(max_examples=300, deadline=None)
@given(a=DATES, days=st.integers(min_value=-10, max_value=120))
def test_scalar_between_equals_day_by_day_count(a: date, days: int) -> None:
    b = a + timedelta(days=days)
    assert CAL.werkdagen_between(a, b) == brute_between(CAL, a, b)
