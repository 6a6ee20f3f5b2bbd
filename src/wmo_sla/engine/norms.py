# SPDX-License-Identifier: EUPL-1.2
"""Historical norms: propose a norm per figure code × referentiegroep for a year from the figures
of the two previous calendar years (KPIS.md § Norms and signals; kpi-research §4).

Pure functions on Polars frames; no ORM. Input is a frame of stored figures with at least the
columns ``kpi``, ``aanbieder_agb``, ``referentiegroep``, ``gemeente``, ``period``, ``numerator``,
``denominator`` and ``n``. Only whole-region figures (``gemeente == "regio"``) of the year periods
``Y-2`` and ``Y-1`` are used.

Methods:

- ``pooled`` (the default of KPIS.md): Σ numerators ÷ Σ denominators over both base years and all
  providers of the referentiegroep (× 100 for rates per 100). For K13 (a mean score) the stored
  numerator is the sum of the scores and the denominator the number of respondents, so the pooled
  value is the mean over all respondents.
- ``p75`` / ``p90``: a percentile of the *provider values*. A provider value is the provider's own
  pooled value over both base years (Σ its numerators ÷ Σ its denominators); only providers with
  n ≥ ``min_n`` (20) over the two years count, each provider once (unweighted), linear
  interpolation between order statistics (as numpy's default). **Direction:** "P75" is an
  ambition norm: the level that the best 25 % of providers reach. For a higher-is-better figure
  that is the 75th percentile of the values; for a lower-is-better figure the 25th percentile
  (P90: the 90th resp. 10th percentile).

Only figure codes where a norm makes sense get a proposal (:data:`NORM_CODES`): shares, rates per
100 and the mean score with a direction in the KPI registry. Context figures (counts, durations,
costs, K12) have no norm, and medians/percentiles (K6m, K6p, K11l) are left out because a pooled
value cannot be formed from per-provider medians.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from wmo_sla.kpis.registry import FIGURES, Direction, Unit

REGIO = "regio"

#: Units for which Σ numerators ÷ Σ denominators is the figure itself, with their scale.
_POOLABLE_UNITS: dict[Unit, float] = {Unit.SHARE: 1.0, Unit.RATE_PER_100: 100.0, Unit.SCORE: 1.0}

#: The figure codes a historical norm is derived for, in registry order.
NORM_CODES: tuple[str, ...] = tuple(
    code
    for code, figure in FIGURES.items()
    if figure.direction != Direction.CONTEXT and figure.unit in _POOLABLE_UNITS
)


class NormMethod(StrEnum):
    POOLED = "pooled"
    P75 = "p75"
    P90 = "p90"


_QUANTILE: dict[NormMethod, float] = {NormMethod.P75: 0.75, NormMethod.P90: 0.90}


@dataclass(frozen=True, slots=True)
class NormParams:
    year: int
    method: NormMethod = NormMethod.POOLED
    min_n: int = 20  # providers with a smaller n over the base years do not count for P75/P90
    codes: tuple[str, ...] = NORM_CODES


PROPOSAL_SCHEMA: dict[str, pl.DataType] = {
    "kpi": pl.Utf8(),
    "referentiegroep": pl.Utf8(),
    "year": pl.Int32(),
    "value": pl.Float64(),
    "direction": pl.Utf8(),  # "min" (higher is better) or "max" (lower is better)
    "method": pl.Utf8(),
    "base_period": pl.Utf8(),  # the base years that had figures, e.g. "2022–2023"
    "n_providers": pl.Int64(),  # providers whose figures went into the value
    "n": pl.Int64(),  # Σ n of those providers over the base years
    "n_providers_excluded": pl.Int64(),  # P75/P90: providers left out for n < min_n
    "numerator": pl.Float64(),  # Σ numerators of the providers that count
    "denominator": pl.Float64(),  # Σ denominators of the providers that count
}


def base_years(year: int) -> tuple[int, int]:
    return (year - 2, year - 1)


def base_period_label(years: list[int]) -> str:
    """``[2022, 2023]`` → ``"2022–2023"``; one year → ``"2023"``."""
    if not years:
        return ""
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"


def norm_direction(code: str) -> str:
    """The Norm direction for a figure code: ``min`` when higher is better, else ``max``."""
    return "min" if FIGURES[code].direction == Direction.HIGHER_IS_BETTER else "max"


def empty_proposals() -> pl.DataFrame:
    return pl.DataFrame(schema=PROPOSAL_SCHEMA)


def base_figures(figures: pl.DataFrame, params: NormParams) -> pl.DataFrame:
    """The figures that may go into a proposal: region, base years, eligible codes, with data."""
    unknown = sorted(set(params.codes) - set(NORM_CODES))
    if unknown:
        raise ValueError(f"no historical norm for figure code(s) {', '.join(unknown)}")
    years = [str(y) for y in base_years(params.year)]
    return figures.filter(
        (pl.col("gemeente") == REGIO)
        & pl.col("period").is_in(years)
        & pl.col("kpi").is_in(list(params.codes))
        & pl.col("numerator").is_not_null()
        & (pl.col("denominator") > 0)
    ).select(
        "kpi",
        "aanbieder_agb",
        "referentiegroep",
        pl.col("period").cast(pl.Int32).alias("base_year"),
        pl.col("numerator").cast(pl.Float64),
        pl.col("denominator").cast(pl.Float64),
        pl.col("n").fill_null(0).cast(pl.Int64),
    )


def _scale_expr() -> pl.Expr:
    scales = {code: _POOLABLE_UNITS[FIGURES[code].unit] for code in NORM_CODES}
    return pl.col("kpi").replace_strict(scales, default=1.0, return_dtype=pl.Float64)


def _direction_expr() -> pl.Expr:
    directions = {code: norm_direction(code) for code in NORM_CODES}
    return pl.col("kpi").replace_strict(directions, default="max", return_dtype=pl.Utf8)


def _base_period_expr() -> pl.Expr:
    first = pl.col("first_year").cast(pl.Utf8)
    last = pl.col("last_year").cast(pl.Utf8)
    return (
        pl.when(pl.col("first_year") == pl.col("last_year"))
        .then(first)
        .otherwise(pl.concat_str([first, pl.lit("–"), last]))
    )


def propose_norms(figures: pl.DataFrame, params: NormParams) -> pl.DataFrame:
    """One proposal per figure code × referentiegroep that has figures in the base years.

    Returns a frame with :data:`PROPOSAL_SCHEMA`, sorted by kpi and referentiegroep; empty when
    the base years have no figures. For P75/P90, a group in which no provider reaches ``min_n``
    gets a row with ``value`` null and ``n_providers`` 0, so that it can be reported.
    """
    base = base_figures(figures, params)
    if base.is_empty():
        return empty_proposals()
    keys = ["kpi", "referentiegroep"]
    # Each provider's own pooled value over the base years.
    providers = base.group_by([*keys, "aanbieder_agb"]).agg(
        pl.col("numerator").sum(),
        pl.col("denominator").sum(),
        pl.col("n").sum(),
        pl.col("base_year").min().alias("first_year"),
        pl.col("base_year").max().alias("last_year"),
    )
    if params.method == NormMethod.POOLED:
        counted = providers
        excluded = providers.clear().select(keys).with_columns(pl.lit(0).alias("excluded"))
    else:
        counted = providers.filter(pl.col("n") >= params.min_n)
        excluded = (
            providers.filter(pl.col("n") < params.min_n)
            .group_by(keys)
            .agg(pl.len().cast(pl.Int64).alias("excluded"))
        )
    counted = counted.with_columns(
        (_scale_expr() * pl.col("numerator") / pl.col("denominator")).alias("provider_value"),
        _direction_expr().alias("direction"),
    )
    summary = [
        pl.col("numerator").sum(),
        pl.col("denominator").sum(),
        pl.col("n").sum(),
        pl.len().cast(pl.Int64).alias("n_providers"),
        pl.col("first_year").min(),
        pl.col("last_year").max(),
    ]
    if params.method == NormMethod.POOLED:
        grouped = counted.group_by([*keys, "direction"]).agg(*summary)
        grouped = grouped.with_columns(
            (_scale_expr() * pl.col("numerator") / pl.col("denominator")).alias("value")
        )
    else:
        q = _QUANTILE[params.method]
        parts = []
        for direction, quantile in (("min", q), ("max", 1.0 - q)):
            part = counted.filter(pl.col("direction") == direction)
            if part.is_empty():
                continue
            parts.append(
                part.group_by([*keys, "direction"]).agg(
                    *summary,
                    pl.col("provider_value")
                    .quantile(quantile, interpolation="linear")
                    .alias("value"),
                )
            )
        # Groups where no provider reaches min_n get a row without a value (reported, not
        # proposed).
        nobody = (
            providers.join(counted.select(keys).unique(), on=keys, how="anti")
            .group_by(keys)
            .agg(
                pl.col("first_year").min(),
                pl.col("last_year").max(),
                pl.len().cast(pl.Int64).alias("excluded_all"),
            )
            .with_columns(
                _direction_expr().alias("direction"),
                pl.lit(None, pl.Float64).alias("value"),
                pl.lit(0, pl.Int64).alias("n_providers"),
                pl.lit(0, pl.Int64).alias("n"),
                pl.lit(None, pl.Float64).alias("numerator"),
                pl.lit(None, pl.Float64).alias("denominator"),
            )
            .drop("excluded_all")
        )
        grouped = pl.concat(
            [p.select(nobody.columns) for p in parts] + [nobody], how="vertical_relaxed"
        )
    return (
        grouped.join(excluded, on=keys, how="left")
        .with_columns(
            pl.lit(params.year, pl.Int32).alias("year"),
            pl.lit(params.method.value).alias("method"),
            _base_period_expr().alias("base_period"),
            pl.col("excluded").fill_null(0).cast(pl.Int64).alias("n_providers_excluded"),
        )
        .select([pl.col(name).cast(dtype) for name, dtype in PROPOSAL_SCHEMA.items()])
        .sort(keys)
    )
