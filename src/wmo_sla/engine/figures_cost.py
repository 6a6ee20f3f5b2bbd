# SPDX-License-Identifier: EUPL-1.2
"""K10oe: observed ÷ expected cost (KPIS.md K10; kpi-research K10 "case-mix for cost").

- **Declared periods.** The approved prestaties (WMO325 rejections removed, credits negative)
  are summed per toewijzing and ProductPeriode; a ProductPeriode whose net amount is not positive
  (fully credited, or a credit without its debet) is left out of both sides.
- **Observed** = that net amount in euros, pro rata by calendar days of the ProductPeriode in each
  reporting period (as K10).
- **Expected** = the assigned intensity of the toewijzing (its current version) in euros per week
  × the days of the same ProductPeriode that lie within the toewijzing's validity and the
  reporting period ÷ 7. The intensity is that of :mod:`wmo_sla.engine.intensity`, but with the
  tariff of the year of the ProductPeriode's begin (the tariff the declaration was priced at), so
  an indexation does not show as over-delivery.
- A ProductPeriode whose expected cost is unknown (no tariff, units that do not convert, no
  Frequentie, an open-ended Frequentie 6) is left out of both sides, so O and E always cover the
  same care.

value = Σ observed ÷ Σ expected (numerator, denominator in euros); n = distinct clients. Per
aanbieder × referentiegroep (as K10: the trajectory the toewijzing links to) × gemeente of the
toewijzing (and regio) × period.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from .figures import DIMS, _finish, _with_regio, empty_figures
from .figures_process import TW_KEY, _with_referentiegroep
from .intensity import euro_per_week_expr, with_tariff
from .periods import label_exprs, periods_between
from .state import DerivedState
from .trajectories import Trajectories

__all__ = ["k10_observed_expected", "k10oe_lines"]


def k10oe_lines(state: DerivedState, tariffs: pl.DataFrame) -> pl.DataFrame:
    """One row per toewijzing × declared ProductPeriode with ``netto`` (eurocent) and
    ``euro_per_week`` (null: expected cost unknown) and the validity-clipped days."""
    lines = state.prestaties.filter(
        pl.col("periode_begin").is_not_null() & pl.col("periode_eind").is_not_null()
    )
    declared = (
        lines.group_by([*TW_KEY, "aanbieder_agb", "client_key", "periode_begin", "periode_eind"])
        .agg(pl.col("netto_bedrag").sum().alias("netto"))
        .filter(pl.col("netto") > 0)
    )
    assigned = state.toewijzingen.select(
        *TW_KEY,
        "categorie",
        "productcode",
        "ingangsdatum",
        "einddatum",
        "volume",
        "eenheid",
        "frequentie",
        "budget",
    )
    joined = declared.join(assigned, on=TW_KEY, how="inner")
    priced = with_tariff(joined, tariffs, year=pl.col("periode_begin").dt.year())
    return priced.with_columns(
        euro_per_week_expr().alias("euro_per_week"),
        pl.max_horizontal("periode_begin", "ingangsdatum").alias("valid_begin"),
        pl.min_horizontal("periode_eind", pl.coalesce("einddatum", "periode_eind")).alias(
            "valid_end"
        ),
    ).drop("price", "price_per")


def _overlapping_periods(lines: pl.DataFrame, periods: pl.DataFrame) -> pl.DataFrame:
    """One row per line × reporting period its ProductPeriode overlaps (linear in the lines:
    the quarters it spans, and their half years and years; no cross join with every period)."""
    quarters = pl.date_ranges(
        pl.col("periode_begin").dt.truncate("1q"), pl.col("periode_eind"), interval="1q"
    )
    return (
        lines.with_row_index("_line")
        .with_columns(quarters.alias("_quarter"))
        .explode("_quarter")
        .with_columns(pl.concat_list(label_exprs(pl.col("_quarter"))).alias("period"))
        .explode("period")
        .unique(["_line", "period"], keep="first", maintain_order=True)
        .drop("_line", "_quarter")
        .join(periods.select("period", "period_start", "period_end"), on="period", how="inner")
    )


def k10_observed_expected(
    state: DerivedState, trajectories: Trajectories, tariffs: pl.DataFrame
) -> pl.DataFrame:
    lines = k10oe_lines(state, tariffs).filter(pl.col("euro_per_week").is_not_null())
    if lines.is_empty():
        return empty_figures()
    first, last = lines["periode_begin"].min(), lines["periode_eind"].max()
    assert isinstance(first, dt.date) and isinstance(last, dt.date)
    lines = _with_referentiegroep(lines, trajectories)

    def overlap(begin: str, end: str) -> pl.Expr:
        return (
            pl.min_horizontal(end, "period_end") - pl.max_horizontal(begin, "period_start")
        ).dt.total_days() + 1

    span = (pl.col("periode_eind") - pl.col("periode_begin")).dt.total_days() + 1
    spread = (
        _overlapping_periods(lines, periods_between(first, last))
        .with_columns(
            overlap("periode_begin", "periode_eind").alias("overlap"),
            overlap("valid_begin", "valid_end").clip(lower_bound=0).alias("valid_days"),
        )
        .filter(pl.col("overlap") > 0)
        .with_columns(
            (pl.col("netto") * pl.col("overlap") / span / 100).alias("observed"),
            (pl.col("euro_per_week") * pl.col("valid_days") / 7).alias("expected"),
        )
    )
    grouped = (
        _with_regio(spread)
        .group_by(DIMS)
        .agg(
            # Summed in sorted order: a float sum in whatever order the joins and the parallel
            # group-by produce can differ in the last bits between two runs of the same input.
            pl.col("observed").sort().sum().alias("numerator"),
            pl.col("expected").sort().sum().alias("denominator"),
            pl.col("client_key").n_unique().cast(pl.Int64).alias("n"),
        )
        .filter(pl.col("denominator") > 0)
        .with_columns((pl.col("numerator") / pl.col("denominator")).alias("value"))
    )
    return _finish(grouped, "K10oe").sort(["kpi", *DIMS])
