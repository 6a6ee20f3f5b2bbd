# SPDX-License-Identifier: EUPL-1.2
"""Reporting periods: calendar quarter (2024Q3), half year (2024H2) and year (2024).

Half-year and year figures are computed from the events themselves, never by adding quarters
(KPIS.md § Periods): every event is labelled with all three of its periods and grouped per label.

Months (``2024M03``) exist only for the monthly SPC series (:mod:`wmo_sla.engine.figures_monthly`)
and only on opt-in: :func:`is_period_label` accepts them with ``months=True``, and inside
``with month_periods():`` the labelling functions (:func:`label_exprs`, :func:`explode_periods`,
:func:`periods_between`) produce month labels *instead of* quarters, half years and years, so the
existing KPI functions compute monthly figures unchanged. Outside that block nothing changes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from contextvars import ContextVar

import polars as pl

_LABEL = re.compile(r"^(\d{4})(?:(Q)([1-4])|(H)([12]))?$")
_MONTH = re.compile(r"^(\d{4})M(0[1-9]|1[0-2])$")
_MONTHS_ONLY: ContextVar[bool] = ContextVar("wmo_sla_month_periods", default=False)


@contextlib.contextmanager
def month_periods() -> Iterator[None]:
    """Within this block the period labelling yields month labels (``2024M03``) only."""
    token = _MONTHS_ONLY.set(True)
    try:
        yield
    finally:
        _MONTHS_ONLY.reset(token)


def is_month_label(label: str) -> bool:
    """Whether ``label`` is a month label such as ``2024M03``."""
    return _MONTH.match(label) is not None


def is_period_label(label: str, *, months: bool = False) -> bool:
    """Whether ``label`` is a year (2024), half year (2024H2) or quarter (2024Q3); with
    ``months=True`` also a month (2024M03)."""
    return _LABEL.match(label) is not None or (months and is_month_label(label))


def period_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period label (month labels included); raises ValueError for a
    malformed label."""
    month_match = _MONTH.match(label)
    if month_match:
        year, month = int(month_match.group(1)), int(month_match.group(2))
        last = (
            dt.date(year, 12, 31)
            if month == 12
            else dt.date(year, month + 1, 1) - dt.timedelta(days=1)
        )
        return dt.date(year, month, 1), last
    match = _LABEL.match(label)
    if not match:
        raise ValueError(f"ongeldige periode {label!r}; gebruik bv. 2024Q3, 2024H2 of 2024")
    year = int(match.group(1))
    if match.group(2):
        q = int(match.group(3))
        start = dt.date(year, 3 * q - 2, 1)
        end_month = 3 * q
    elif match.group(4):
        h = int(match.group(5))
        start = dt.date(year, 6 * h - 5, 1)
        end_month = 6 * h
    else:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    end = (
        dt.date(year, 12, 31)
        if end_month == 12
        else dt.date(year, end_month + 1, 1) - dt.timedelta(days=1)
    )
    return start, end


def period_kind(label: str) -> str:
    return "Q" if "Q" in label else "H" if "H" in label else "M" if "M" in label else "Y"


def periods_between(first: dt.date, last: dt.date) -> pl.DataFrame:
    """All quarters, half years and years overlapping [first, last], with their bounds (in a
    :func:`month_periods` block: all months)."""
    labels: list[str] = []
    for year in range(first.year, last.year + 1):
        if _MONTHS_ONLY.get():
            labels += [f"{year}M{m:02d}" for m in range(1, 13)]
            continue
        labels.append(str(year))
        labels += [f"{year}H{h}" for h in (1, 2)]
        labels += [f"{year}Q{q}" for q in (1, 2, 3, 4)]
    rows = []
    for label in labels:
        start, end = period_bounds(label)
        if end >= first and start <= last:
            rows.append((label, period_kind(label), start, end))
    return pl.DataFrame(
        rows,
        schema={
            "period": pl.Utf8,
            "period_kind": pl.Utf8,
            "period_start": pl.Date,
            "period_end": pl.Date,
        },
        orient="row",
    )


def label_exprs(date: pl.Expr) -> list[pl.Expr]:
    """The three period labels of a date column: quarter, half year, year (in a
    :func:`month_periods` block: the month label only)."""
    year = date.dt.year().cast(pl.Utf8)
    if _MONTHS_ONLY.get():
        return [year + pl.lit("M") + date.dt.month().cast(pl.Utf8).str.zfill(2)]
    quarter = year + pl.lit("Q") + date.dt.quarter().cast(pl.Utf8)
    half = year + pl.lit("H") + ((date.dt.month() - 1) // 6 + 1).cast(pl.Utf8)
    return [quarter, half, year]


def explode_periods(frame: pl.DataFrame, date_column: str) -> pl.DataFrame:
    """One row per (row, period) for event attribution: adds a ``period`` column."""
    date = pl.col(date_column)
    return (
        frame.filter(date.is_not_null())
        .with_columns(pl.concat_list(label_exprs(date)).alias("period"))
        .explode("period")
    )


def period_start_expr(label: pl.Expr) -> pl.Expr:
    """Vectorised first day of a period label column (as :func:`period_bounds`)."""
    year = label.str.slice(0, 4).cast(pl.Int32)
    suffix = label.str.slice(4)
    number = suffix.str.slice(1).cast(pl.Int32, strict=False)
    month = (
        pl.when(suffix.str.starts_with("M"))
        .then(number)
        .when(suffix.str.starts_with("Q"))
        .then((number - 1) * 3 + 1)
        .when(suffix.str.starts_with("H"))
        .then((number - 1) * 6 + 1)
        .otherwise(1)
    )
    return pl.date(year, month, 1)


def period_end_expr(label: pl.Expr) -> pl.Expr:
    """Vectorised last day of a period label column (as :func:`period_bounds`)."""
    year = label.str.slice(0, 4).cast(pl.Int32)
    suffix = label.str.slice(4)
    month = (
        pl.when(suffix.str.starts_with("M"))
        .then(suffix.str.slice(1).cast(pl.Int32, strict=False))
        .when(suffix.str.starts_with("Q"))
        .then(suffix.str.slice(1).cast(pl.Int32) * 3)
        .when(suffix.str.starts_with("H"))
        .then(suffix.str.slice(1).cast(pl.Int32) * 6)
        .otherwise(12)
    )
    first_of_next = pl.date(year + (month // 12), month % 12 + 1, 1)
    return first_of_next - pl.duration(days=1)
