# SPDX-License-Identifier: EUPL-1.2
"""K13 cliënttevredenheid from imported survey results (KPIS.md K13).

Input: one row per respondent (``aanbieder_agb``, ``period``, ``score`` 1–10, optional
``gemeente``). A survey result is attributed to the period it was delivered for (the label in the
file: year, half year or quarter) — it is not spread over other periods, and a period that starts
after the as-of date of the run is left out (the survey is delivered, but the run does not reach
that period yet). Survey results carry no
product, so the figures are per aanbieder with ``referentiegroep = "alle"`` (a norm applies when
the contract defines one for referentiegroep ``alle``). Results with a gemeente count for that
gemeente and for the region; results without one only for the region.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from .figures import FIGURE_SCHEMA
from .periods import period_start_expr
from .stats import t_ppf

ALL_GROUPS = "alle"


def k13_tevredenheid(responses: pl.DataFrame, as_of: dt.date | None = None) -> pl.DataFrame:
    """K13 (mean score, 95 % t-interval) and K13p (share of scores ≥ 7), for the periods that
    start on or before ``as_of``."""
    if as_of is not None:
        responses = responses.filter(period_start_expr(pl.col("period")) <= as_of)
    if responses.is_empty():
        return pl.DataFrame(
            schema={**FIGURE_SCHEMA, "ci_low": pl.Float64, "ci_high": pl.Float64, "sd": pl.Float64}
        )
    base = responses.select("aanbieder_agb", "period", "score", "gemeente")
    rows = pl.concat(
        [
            base.filter(pl.col("gemeente") != ""),
            base.with_columns(pl.lit("regio").alias("gemeente")),
        ]
    ).with_columns(pl.lit(ALL_GROUPS).alias("referentiegroep"))
    dims = ["aanbieder_agb", "referentiegroep", "gemeente", "period"]
    grouped = rows.group_by(dims).agg(
        pl.col("score").sum().cast(pl.Float64).alias("total"),
        pl.col("score").mean().alias("mean"),
        pl.col("score").std().alias("sd"),
        (pl.col("score") >= 7).sum().cast(pl.Float64).alias("seven_plus"),
        pl.len().alias("n"),
    )
    # t quantile once per distinct n (a small lookup), then a join: no per-row Python.
    ns = sorted({int(n) for n in grouped["n"].to_list() if n >= 2})
    quantiles = pl.DataFrame(
        {"n": ns, "t": [t_ppf(0.975, n - 1) for n in ns]},
        schema={"n": pl.UInt32, "t": pl.Float64},
    )
    grouped = grouped.with_columns(pl.col("n").cast(pl.UInt32)).join(quantiles, on="n", how="left")
    half = pl.col("t") * pl.col("sd") / pl.col("n").cast(pl.Float64).sqrt()
    k13 = grouped.select(
        pl.lit("K13").alias("kpi"),
        *dims,
        pl.col("total").alias("numerator"),
        pl.col("n").cast(pl.Float64).alias("denominator"),
        pl.col("mean").alias("value"),
        pl.col("n").cast(pl.Int64).alias("n"),
        (pl.col("mean") - half).alias("ci_low"),
        (pl.col("mean") + half).alias("ci_high"),
        pl.col("sd"),  # respondent SD: input of the K13 mean funnel (enrich)
    )
    k13p = grouped.select(
        pl.lit("K13p").alias("kpi"),
        *dims,
        pl.col("seven_plus").alias("numerator"),
        pl.col("n").cast(pl.Float64).alias("denominator"),
        (pl.col("seven_plus") / pl.col("n").cast(pl.Float64)).alias("value"),
        pl.col("n").cast(pl.Int64).alias("n"),
        pl.lit(None, pl.Float64).alias("ci_low"),
        pl.lit(None, pl.Float64).alias("ci_high"),
        pl.lit(None, pl.Float64).alias("sd"),
    )
    columns = [*FIGURE_SCHEMA, "ci_low", "ci_high", "sd"]
    return pl.concat([k13.select(columns), k13p.select(columns)]).sort(["kpi", *dims])
