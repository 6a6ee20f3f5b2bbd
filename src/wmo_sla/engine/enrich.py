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
    mean_funnel_frame,
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
    # Statistical signal per KPI × referentiegroep × gemeente × period (overdispersion across the
    # providers in that group), all groups at once: proportion funnels for shares, log-scale
    # mean funnels for durations and costs, a mean funnel for K13 (docs/kpis-statistics.md).
    signalled = _signalled(frame)
    keys = [*GROUP, "aanbieder_agb"]
    rest = frame.join(
        pl.concat([p.select(keys) for p in signalled]) if signalled else frame.clear().select(keys),
        on=keys,
        how="anti",
        nulls_equal=True,
    ).with_columns(pl.lit("geen").alias("signaal"))
    base_columns = [
        c for c in figures.columns if c not in ("ci_low", "ci_high", *FUNNEL_INPUT_COLUMNS)
    ]
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


# Figures with a log-scale mean funnel (durations, costs; the engine emits log_mean/log_sd per
# figure) and with a natural-scale mean funnel (K13, from the respondents' SD).
LOG_MEAN_CODES = ("K5", "K10")
MEAN_CODES = ("K13",)
FUNNEL_INPUT_COLUMNS = ("log_mean", "log_sd", "sd")


def _pooled_sd(frame: pl.DataFrame, sd_col: str) -> pl.DataFrame:
    """``frame`` with ``_sigma``: the pooled within-provider SD of its group,
    √(Σ(nᵢ−1)sᵢ² / Σ(nᵢ−1)) over the providers with nᵢ ≥ 2 (kpi-research §5.4)."""
    dof = pl.when((pl.col("n") >= 2) & pl.col(sd_col).is_not_null()).then(pl.col("n") - 1)
    return frame.with_columns(
        ((dof * pl.col(sd_col) * pl.col(sd_col)).sum().over(GROUP) / dof.sum().over(GROUP))
        .sqrt()
        .alias("_sigma")
    ).filter(pl.col("_sigma").is_not_null() & (pl.col("_sigma") >= 0))


def _signalled(frame: pl.DataFrame) -> list[pl.DataFrame]:
    """The figures that get a funnel, each with ``signaal``."""
    frame = frame.with_columns(
        pl.lit(None, pl.Float64).alias(c) for c in FUNNEL_INPUT_COLUMNS if c not in frame.columns
    ).rename({"value": "_value", "norm_niet_gehaald": "_nng"})
    out: list[pl.DataFrame] = []
    for direction_code, direction in _NORM_DIRECTION.items():
        with_norm = frame.filter(
            pl.col("norm").is_not_null() & (pl.col("direction") == direction_code)
        )
        shares = with_norm.filter(pl.col("_share") & (pl.col("denominator") > 0))
        with_norm = with_norm.filter(pl.col("n").fill_null(0) > 0)
        if not shares.is_empty():
            funnel = proportion_funnel_frame(
                shares,
                numerator_col="numerator",
                denominator_col="denominator",
                target="norm",
                direction=direction,
                by=GROUP,
            )
            out.append(funnel)
        logs = with_norm.filter(
            pl.col("kpi").is_in(LOG_MEAN_CODES)
            & pl.col("log_mean").is_not_null()
            & (pl.col("norm") > 0)
        )
        logs = _pooled_sd(logs, "log_sd")
        if not logs.is_empty():
            # The norm is a mean on the original scale; on the log scale of a log-normal quantity
            # it corresponds to μ₀ = log(norm) − σ²/2. The provider's point is its geometric mean.
            funnel = mean_funnel_frame(
                logs.with_columns(
                    pl.col("log_mean").exp().alias("_geo"),
                    (pl.col("norm").log() - pl.col("_sigma").pow(2) / 2).exp().alias("_target"),
                ),
                value_col="_geo",
                n_col="n",
                target="_target",
                sd="_sigma",
                log_scale=True,
                direction=direction,
                by=GROUP,
            )
            out.append(funnel)
        means = _pooled_sd(with_norm.filter(pl.col("kpi").is_in(MEAN_CODES)), "sd")
        if not means.is_empty():
            funnel = mean_funnel_frame(
                means,
                value_col="_value",
                n_col="n",
                target="norm",
                sd="_sigma",
                direction=direction,
                by=GROUP,
            )
            out.append(funnel)
    # The funnels' own value/norm_niet_gehaald columns are on their analysis scale; the figure
    # keeps its value and the flag computed against the norm on the figure's own scale.
    return [
        f.drop("value", "norm_niet_gehaald").rename(
            {"_value": "value", "_nng": "norm_niet_gehaald", "signal": "signaal"}
        )
        for f in out
    ]
