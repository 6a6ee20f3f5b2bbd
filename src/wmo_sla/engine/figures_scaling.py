# SPDX-License-Identifier: EUPL-1.2
"""K3 afschaling and K4 opschaling (KPIS.md K3/K4), set-based in Polars.

An *event* is a change of a client's assigned intensity at one provider within one product group
(intensity: :mod:`wmo_sla.engine.intensity`, expected cost per week, without a tariff hours per
week). Two kinds of comparison give events:

- **Opvolger** (successor): toewijzing A is followed by a new toewijzing B (another
  ToewijzingNummer) of the same client, AGB and product group with
  Ingangsdatum_A < Ingangsdatum_B ≤ Einddatum_A + G. Each B is compared with one A: the
  qualifying A with the latest Einddatum (then the latest Ingangsdatum, then the key). A without
  an Einddatum has no successor (a parallel toewijzing is not a re-indication). Both use their
  current version. Event date = Ingangsdatum_B.
- **Versie** (in-place change, OP033x1): successive versions of the same toewijzing when both have
  Frequentie 6 (totaal) or both have a Budget, and the Volume or the Budget changed (a version
  that only moves the Einddatum is not a re-indication of the omvang). Event date = the
  Toewijzingsdatum of the later version (the Ingangsdatum does not change in place).

B's intensity ≥ ε lower than A's is an afschaling (K3), ≥ ε higher an opschaling (K4), otherwise
*gelijk*. Not counted (administrative re-issues): RedenWijziging 03, 10, 11 or 14 on A's current
version or on B's first version (opvolger), or on the later version (versie). Events dated after
``as_of`` do not count yet.

Attribution: the trajectory of B (for a version: of the toewijzing itself), else the trajectory of
A; its aanbieder, referentiegroep and gemeente. A comparison whose toewijzingen never started (no
trajectory) is not an event: there was no care to scale. Rate = 100 × events ÷ trajectories active
in the period (K2a) per aanbieder × referentiegroep × gemeente (and regio) × period; cells without
active trajectories get no figure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import polars as pl

from .figures import DIMS, FigureParams, _active_and_stand, _finish, _with_regio
from .intensity import comparable_intensities, with_intensity
from .periods import explode_periods
from .state import TOEWIJZING_KEY, DerivedState
from .stats import LEVEL_LET_OP, z_for_level
from .trajectories import Trajectories, _product_map

__all__ = [
    "ADMINISTRATIVE_REDEN_WIJZIGING",
    "ScalingParams",
    "poisson_interval",
    "scaling_comparisons",
    "scaling_figures",
]

#: RedenWijziging codes of administrative re-issues: never an af- or opschaling (KPIS.md K3/K4).
ADMINISTRATIVE_REDEN_WIJZIGING = ("03", "10", "11", "14")
GROUP = ["client_key", "aanbieder_agb", "product_group"]
_TOLERANCE = 1e-9  # relative; intensities are floats, the ε boundary counts (≥ ε)
_INTENSITY_INPUT = [
    "categorie",
    "productcode",
    "ingangsdatum",
    "einddatum",
    "volume",
    "eenheid",
    "frequentie",
    "budget",
]


@dataclass(frozen=True)
class ScalingParams:
    """``epsilon``: minimal relative change of intensity (KPIS.md: 10 %, configurable)."""

    as_of: dt.date
    gap_days: int = 1
    epsilon: float = 0.10


def _with_group(frame: pl.DataFrame, products: pl.DataFrame) -> pl.DataFrame:
    """Adds ``product_group`` (fallback: the categorie), as the trajectory builder does."""
    return frame.join(
        _product_map(products).select("categorie", "productcode", "product_group"),
        on=["categorie", "productcode"],
        how="left",
    ).with_columns(pl.col("product_group").fill_null(pl.col("categorie")))


def _direction(a: pl.Expr, b: pl.Expr, epsilon: float) -> pl.Expr:
    change = b - a
    margin = a * (epsilon - _TOLERANCE)
    return (
        pl.when(a.is_null() | b.is_null() | (a <= 0))
        .then(pl.lit(None, pl.Utf8))
        .when(change <= -margin)
        .then(pl.lit("af"))
        .when(change >= margin)
        .then(pl.lit("op"))
        .otherwise(pl.lit("gelijk"))
    )


def _first_reden_wijziging(state: DerivedState) -> pl.DataFrame:
    versions = state.toewijzing_versions
    # A hand-made state without versions: the current version is all there is.
    has_versions = "version_seq" in versions.columns
    first = versions.filter(pl.col("version_seq") == 1) if has_versions else state.toewijzingen
    return first.select(*TOEWIJZING_KEY, pl.col("reden_wijziging").alias("first_reden_wijziging"))


def _successor_comparisons(
    state: DerivedState, products: pl.DataFrame, tariffs: pl.DataFrame, params: ScalingParams
) -> pl.DataFrame:
    tw = with_intensity(
        _with_group(
            state.toewijzingen.select(
                *TOEWIJZING_KEY, "client_key", "aanbieder_agb", "reden_wijziging", *_INTENSITY_INPUT
            ),
            products,
        ),
        tariffs,
    ).join(_first_reden_wijziging(state), on=TOEWIJZING_KEY, how="left")
    a = tw.select(
        *GROUP,
        pl.col("gemeente").alias("a_gemeente"),
        pl.col("toewijzing_nummer").alias("a_nummer"),
        pl.col("ingangsdatum").alias("a_ingangsdatum"),
        pl.col("einddatum").alias("a_einddatum"),
        pl.col("reden_wijziging").alias("a_reden_wijziging"),
        pl.col("euro_per_week").alias("a_euro"),
        pl.col("hours_per_week").alias("a_hours"),
    ).filter(pl.col("a_einddatum").is_not_null())
    b = tw.select(
        *GROUP,
        pl.col("gemeente").alias("b_gemeente"),
        pl.col("toewijzing_nummer").alias("b_nummer"),
        pl.col("ingangsdatum").alias("b_ingangsdatum"),
        pl.col("first_reden_wijziging").alias("b_reden_wijziging"),
        pl.col("euro_per_week").alias("b_euro"),
        pl.col("hours_per_week").alias("b_hours"),
    ).filter(pl.col("b_ingangsdatum") <= params.as_of)
    g = pl.duration(days=params.gap_days)
    pairs = (
        b.join(a, on=GROUP, how="inner")
        .filter(
            (
                (pl.col("a_gemeente") != pl.col("b_gemeente"))
                | (pl.col("a_nummer") != pl.col("b_nummer"))
            )
            & (pl.col("a_ingangsdatum") < pl.col("b_ingangsdatum"))
            & (pl.col("b_ingangsdatum") <= pl.col("a_einddatum") + g)
        )
        .sort(
            [
                *GROUP,
                "b_gemeente",
                "b_nummer",
                "a_einddatum",
                "a_ingangsdatum",
                "a_gemeente",
                "a_nummer",
            ]
        )
        .unique(["b_gemeente", "b_nummer"], keep="last", maintain_order=True)
    )
    ia, ib = comparable_intensities(
        pl.col("a_euro"), pl.col("a_hours"), pl.col("b_euro"), pl.col("b_hours")
    )
    excluded = pl.col("a_reden_wijziging").is_in(ADMINISTRATIVE_REDEN_WIJZIGING) | pl.col(
        "b_reden_wijziging"
    ).is_in(ADMINISTRATIVE_REDEN_WIJZIGING)
    return pairs.select(
        pl.lit("opvolger").alias("source"),
        *GROUP,
        "a_gemeente",
        "a_nummer",
        "b_gemeente",
        "b_nummer",
        pl.lit(None, pl.Int64).alias("b_version_seq"),
        pl.col("b_ingangsdatum").alias("event_date"),
        ia.alias("intensity_a"),
        ib.alias("intensity_b"),
        pl.when(pl.col("a_euro").is_not_null() & pl.col("b_euro").is_not_null())
        .then(pl.lit("euro"))
        .when(ia.is_not_null())
        .then(pl.lit("uren"))
        .alias("scale"),
        excluded.fill_null(False).alias("excluded"),
    )


def _version_comparisons(
    state: DerivedState, products: pl.DataFrame, tariffs: pl.DataFrame, params: ScalingParams
) -> pl.DataFrame:
    versions = state.toewijzing_versions
    if "version_seq" not in versions.columns or versions.is_empty():
        return pl.DataFrame()
    rows = with_intensity(_with_group(versions, products), tariffs).sort(
        [*TOEWIJZING_KEY, "version_seq"]
    )
    prev = [
        pl.col(c).shift(1).over(TOEWIJZING_KEY).alias(f"prev_{c}")
        for c in ("frequentie", "budget", "volume", "euro_per_week", "hours_per_week")
    ]
    rows = rows.with_columns(prev).filter(pl.col("version_seq") > 1)
    total = (pl.col("frequentie") == "6") & (pl.col("prev_frequentie") == "6")
    budgets = pl.col("budget").is_not_null() & pl.col("prev_budget").is_not_null()
    changed = pl.col("volume").ne_missing(pl.col("prev_volume")) | pl.col("budget").ne_missing(
        pl.col("prev_budget")
    )
    rows = rows.filter((total | budgets) & changed & (pl.col("toewijzingsdatum") <= params.as_of))
    ia, ib = comparable_intensities(
        pl.col("prev_euro_per_week"),
        pl.col("prev_hours_per_week"),
        pl.col("euro_per_week"),
        pl.col("hours_per_week"),
    )
    return rows.select(
        pl.lit("versie").alias("source"),
        *GROUP,
        pl.col("gemeente").alias("a_gemeente"),
        pl.col("toewijzing_nummer").alias("a_nummer"),
        pl.col("gemeente").alias("b_gemeente"),
        pl.col("toewijzing_nummer").alias("b_nummer"),
        pl.col("version_seq").cast(pl.Int64).alias("b_version_seq"),
        pl.col("toewijzingsdatum").alias("event_date"),
        ia.alias("intensity_a"),
        ib.alias("intensity_b"),
        pl.when(pl.col("prev_euro_per_week").is_not_null() & pl.col("euro_per_week").is_not_null())
        .then(pl.lit("euro"))
        .when(ia.is_not_null())
        .then(pl.lit("uren"))
        .alias("scale"),
        pl.col("reden_wijziging")
        .is_in(ADMINISTRATIVE_REDEN_WIJZIGING)
        .fill_null(False)
        .alias("excluded"),
    )


def scaling_comparisons(
    state: DerivedState,
    trajectories: Trajectories,
    products: pl.DataFrame,
    tariffs: pl.DataFrame,
    params: ScalingParams,
) -> pl.DataFrame:
    """Every comparison (traceable to its toewijzingen), with ``direction`` af / op / gelijk
    (null: not comparable), ``excluded`` and the trajectory it is attributed to (null: none)."""
    parts = [
        _successor_comparisons(state, products, tariffs, params),
        _version_comparisons(state, products, tariffs, params),
    ]
    comparisons = pl.concat([p for p in parts if p.width], how="vertical_relaxed")
    links = trajectories.toewijzing_links.select(*TOEWIJZING_KEY, "trajectory_id")
    by_b = links.rename(
        {"gemeente": "b_gemeente", "toewijzing_nummer": "b_nummer", "trajectory_id": "_b_traj"}
    )
    by_a = links.rename(
        {"gemeente": "a_gemeente", "toewijzing_nummer": "a_nummer", "trajectory_id": "_a_traj"}
    )
    traj = trajectories.trajectories.select(
        "trajectory_id",
        pl.col("aanbieder_agb").alias("traj_aanbieder_agb"),
        "referentiegroep",
        pl.col("gemeente").alias("traj_gemeente"),
    )
    return (
        comparisons.join(by_b, on=["b_gemeente", "b_nummer"], how="left")
        .join(by_a, on=["a_gemeente", "a_nummer"], how="left")
        .with_columns(
            pl.coalesce("_b_traj", "_a_traj").alias("trajectory_id"),
            _direction(pl.col("intensity_a"), pl.col("intensity_b"), params.epsilon).alias(
                "direction"
            ),
        )
        .drop("_b_traj", "_a_traj")
        .join(traj, on="trajectory_id", how="left")
        .sort(["source", "b_gemeente", "b_nummer", "b_version_seq"], nulls_last=False)
    )


_EXACT_UP_TO = 100  # events; above this Byar's approximation is within 0.1 % of the exact limits


def _poisson_cdf(x: int, mu: float) -> float:
    """P(X ≤ x) for X ~ Poisson(mu), summed in log space."""
    if mu <= 0.0:
        return 1.0
    log_mu = math.log(mu)
    return math.fsum(math.exp(k * log_mu - mu - math.lgamma(k + 1)) for k in range(x + 1))


def _solve_decreasing(f: Callable[[float], float], target: float, hi: float) -> float:
    """The mu in [0, hi] with f(mu) = target for a decreasing f, by bisection."""
    lo = 0.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if f(mid) > target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@cache
def poisson_interval(x: int, level: float = LEVEL_LET_OP) -> tuple[float, float]:
    """Exact (Garwood) interval for the mean of a Poisson count x (kpi-research §5.5): lower =
    χ²(α/2; 2x)/2, upper = χ²(1 − α/2; 2x + 2)/2; Byar's approximation above 100 events."""
    alpha = 1.0 - level
    if x > _EXACT_UP_TO:
        z = z_for_level(level)
        lower = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
        y = x + 1
        upper = y * (1 - 1 / (9 * y) + z / (3 * math.sqrt(y))) ** 3
        return lower, upper
    hi = x + 10.0 * math.sqrt(x + 1.0) + 10.0
    upper = _solve_decreasing(lambda mu: _poisson_cdf(x, mu), alpha / 2, hi)
    if x == 0:
        return 0.0, upper
    lower = _solve_decreasing(lambda mu: _poisson_cdf(x - 1, mu), 1 - alpha / 2, hi)
    return lower, upper


def _with_rate_interval(rates: pl.DataFrame) -> pl.DataFrame:
    """ci_low / ci_high of 100 × events ÷ active: the Poisson interval of the events, scaled.
    Computed once per distinct event count (a lookup), not per row."""
    counts = sorted({int(v) for v in rates["numerator"].to_list()})
    bounds = pl.DataFrame(
        [(float(x), *poisson_interval(x)) for x in counts],
        schema={"numerator": pl.Float64, "_low": pl.Float64, "_high": pl.Float64},
        orient="row",
    )
    return (
        rates.join(bounds, on="numerator", how="left")
        .with_columns(
            (100 * pl.col("_low") / pl.col("denominator")).alias("ci_low"),
            (100 * pl.col("_high") / pl.col("denominator")).alias("ci_high"),
        )
        .drop("_low", "_high")
    )


def scaling_figures(
    state: DerivedState,
    trajectories: Trajectories,
    products: pl.DataFrame,
    tariffs: pl.DataFrame,
    params: ScalingParams,
    *,
    active: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """K3 and K4 figure rows with their 95 % interval (``ci_low``, ``ci_high``: exact Poisson
    interval of the events per 100 active trajectories). ``active``: the K2a figure rows when the
    caller already has them (else computed here from the trajectories)."""
    if active is None:
        active, _ = _active_and_stand(
            trajectories.trajectories, FigureParams(as_of=params.as_of, gap_days=params.gap_days)
        )
    denominators = active.filter(pl.col("kpi") == "K2a").select(
        *DIMS, pl.col("value").alias("active")
    )
    events = scaling_comparisons(state, trajectories, products, tariffs, params).filter(
        ~pl.col("excluded")
        & pl.col("direction").is_in(["af", "op"])
        & pl.col("trajectory_id").is_not_null()
    )
    events = events.select(
        pl.col("traj_aanbieder_agb").alias("aanbieder_agb"),
        "referentiegroep",
        pl.col("traj_gemeente").alias("gemeente"),
        "event_date",
        "direction",
    )
    counts = (
        _with_regio(explode_periods(events, "event_date"))
        .group_by([*DIMS, "direction"])
        .agg(pl.len().cast(pl.Float64).alias("events"))
    )
    parts = []
    for code, direction in (("K3", "af"), ("K4", "op")):
        rate = (
            denominators.join(
                counts.filter(pl.col("direction") == direction).drop("direction"),
                on=DIMS,
                how="left",
            )
            .filter(pl.col("active") > 0)
            .with_columns(
                pl.col("events").fill_null(0.0).alias("numerator"),
                pl.col("active").alias("denominator"),
                (100 * pl.col("events").fill_null(0.0) / pl.col("active")).alias("value"),
                pl.col("active").cast(pl.Int64).alias("n"),
            )
        )
        parts.append(_finish(rate, code))
    return _with_rate_interval(pl.concat(parts)).sort(["kpi", *DIMS])
