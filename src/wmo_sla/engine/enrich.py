# SPDX-License-Identifier: EUPL-1.2
"""Add to every figure: the 95 % interval, the norm that applies, both flags (norm niet gehaald;
let op / signaal from funnel limits with overdispersion), small-number marking and the status
voorlopig/definitief (KPIS.md § Norms and signals, § Small numbers, § Status of a figure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from wmo_sla.kpis.registry import FIGURES, Unit

from .periods import period_end_expr
from .stats import (
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    proportion_funnel_frame,
    wilson_interval_exprs,
)

# Figure codes whose value is a share (numerator ÷ denominator, 0–1), per the KPI registry;
# intervals and proportion funnels apply to these.
SHARE_CODES = sorted(code for code, figure in FIGURES.items() if figure.unit == Unit.SHARE)
_NORM_DIRECTION = {"max": LOWER_IS_BETTER, "min": HIGHER_IS_BETTER}
GROUP = ["kpi", "referentiegroep", "gemeente", "period"]


@dataclass(frozen=True)
class EnrichParams:
    as_of: dt.date
    definitief_after_months: int = 6
    small_numbers_min: int = 5
    small_numbers_marked_below: int = 20


def enrich_figures(
    figures: pl.DataFrame, norms: pl.DataFrame, params: EnrichParams
) -> pl.DataFrame:
    frame = figures.with_columns(
        pl.col("period").str.slice(0, 4).cast(pl.Int32).alias("year"),
        (pl.col("kpi").is_in(SHARE_CODES) | pl.col("kpi").str.starts_with("K12-")).alias("_share"),
    ).join(
        norms.select("kpi", "referentiegroep", "year", "norm", "direction"),
        on=["kpi", "referentiegroep", "year"],
        how="left",
    )
    low, high = wilson_interval_exprs(pl.col("numerator"), pl.col("denominator"))
    has_interval = pl.col("_share") & (pl.col("denominator") > 0)
    # Figures may bring their own interval (e.g. K13's t-interval); shares get Wilson's.
    given_low = pl.col("ci_low") if "ci_low" in frame.columns else pl.lit(None, pl.Float64)
    given_high = pl.col("ci_high") if "ci_high" in frame.columns else pl.lit(None, pl.Float64)
    frame = frame.with_columns(
        pl.when(has_interval).then(low).otherwise(given_low).alias("ci_low"),
        pl.when(has_interval).then(high).otherwise(given_high).alias("ci_high"),
        pl.when(pl.col("direction") == "max")
        .then(pl.col("value") > pl.col("norm"))
        .when(pl.col("direction") == "min")
        .then(pl.col("value") < pl.col("norm"))
        .alias("norm_niet_gehaald"),
    )
    # Statistical signal: proportion funnels around the norm, per KPI × referentiegroep ×
    # gemeente × period (overdispersion across the providers in that group).
    with_norm = frame.filter(
        pl.col("_share") & pl.col("norm").is_not_null() & (pl.col("denominator") > 0)
    )
    rest = frame.join(
        with_norm.select([*GROUP, "aanbieder_agb"]), on=[*GROUP, "aanbieder_agb"], how="anti"
    )
    signalled = []
    for direction_code, direction in _NORM_DIRECTION.items():
        part = with_norm.filter(pl.col("direction") == direction_code)
        if part.is_empty():
            continue
        funnel = proportion_funnel_frame(
            part.rename({"value": "_value"}),
            numerator_col="numerator",
            denominator_col="denominator",
            target="norm",
            direction=direction,
            by=GROUP,
        )
        signalled.append(
            funnel.drop("value")
            .rename({"_value": "value"})
            .with_columns(pl.col("signal").alias("signaal"))
        )
    rest = rest.with_columns(pl.lit("geen").alias("signaal"))
    base_columns = [c for c in figures.columns if c not in ("ci_low", "ci_high")]
    columns = [*base_columns, "ci_low", "ci_high", "norm", "norm_niet_gehaald", "signaal"]
    frame = pl.concat([p.select(columns) for p in [*signalled, rest]], how="vertical")
    n = pl.col("n").fill_null(0)
    months = params.definitief_after_months
    period_end = period_end_expr(pl.col("period"))
    definitief_from = period_end.dt.offset_by(f"{months}mo")
    # Parallel float sums may differ in the last bit between runs; round so that the same
    # inputs always give identical stored figures (reproducibility, KPIS.md § Status).
    rounded = [
        pl.col(c).round(9) for c in ("numerator", "denominator", "value", "ci_low", "ci_high")
    ]
    return frame.with_columns(
        *rounded,
        ((n >= params.small_numbers_min) & (n < params.small_numbers_marked_below)).alias(
            "kleine_aantallen"
        ),
        pl.when(pl.lit(params.as_of) >= definitief_from)
        .then(pl.lit("definitief"))
        .otherwise(pl.lit("voorlopig"))
        .alias("status"),
    ).sort(["kpi", "aanbieder_agb", "referentiegroep", "gemeente", "period"])
