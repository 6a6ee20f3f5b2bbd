# SPDX-License-Identifier: EUPL-1.2
"""Process figures: K6 wachttijd, K10 kosten per cliënt, K11 administratief proces (KPIS.md).

Same long figure frame as :mod:`wmo_sla.engine.figures` (``FIGURE_SCHEMA``), one row per
(kpi, aanbieder_agb, referentiegroep, gemeente, period), per gemeente and for ``regio``.
Pure Polars, set-based. Choices where KPIS.md is silent:

- **K6.** Anchor = max(Toewijzingsdatum of the *first* version, Ingangsdatum of the *current*
  version, i.e. the corrected value). Start = the trajectory start (the first Begindatum of the
  opening toewijzing). Wait = werkdagen in (anchor, start], or calendar days start − anchor for a
  ``"dagen"`` norm; both 0 when the start lies before the anchor (``terugwerkende_kracht``, see
  :func:`k6_cohort`). Deadline = the N-th werkdag after the anchor (or anchor + N days); a niet
  gestarte toewijzing is in the cohort, not within the norm, once ``as_of`` > deadline, and left
  out before. K6m/K6p (median, P90 with linear interpolation) are over *started* toewijzingen only,
  in the unit of their norm (werkdagen; BW: days). Gemeente = the toewijzing's gemeente.
- **K11.** Starts/stops are the episodes (effective aanleveringen of current toewijzingen).
  K11s reference = max(Begindatum, first Dagtekening of the toewijzing's first WMO301); on time =
  sent ≤ the 5th werkdag after the reference; K11l = median werkdagen in (reference, sent] (0 when
  sent before). K11e: definitive stops (reason ≠ 20), sent ≤ 5th werkdag after Einddatum, period of
  the Einddatum. K11c: deleted ÷ (effective + deleted) start and stop aanleveringen by Begindatum.
- **Referentiegroep** of a toewijzing (K11c, K10): the trajectory it links to, else its niet
  gestart row, else the categorie of the line itself.
- **K10.** Net approved amount (eurocent → euro) pro rata by calendar days of the ProductPeriode
  in each period; clients = distinct clients whose net amount in the group and period is > 0
  (a fully credited client is not counted; its amount still is). K10w = euros ÷ (Σ days in care
  ÷ 28), days in care = overlap of each trajectory [start, end or as_of] with the period up to
  as_of, summed per group (same group as K10: aanbieder, referentiegroep, trajectory gemeente).
  K10oe (observed ÷ expected) is not implemented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from .calendar import WorkdayCalendar
from .figures import (
    DIMS,
    LOG_MEAN_COLUMNS,
    _finish,
    _with_regio,
    definitive_ends,
    empty_figures,
    log_mean_exprs,
    pair_with_periods,
)
from .periods import explode_periods, label_exprs, periods_between
from .state import DerivedState
from .trajectories import TEMPORARY_REASON, Trajectories

__all__ = [
    "ProcessParams",
    "k6_cohort",
    "k6_wachttijd",
    "k10_kosten",
    "k11_administratief",
    "process_figures",
]

TW_KEY = ["gemeente", "toewijzing_nummer"]


def _default_wait_norms() -> dict[str, tuple[int, str]]:
    return {"15": (91, "dagen")}


@dataclass(frozen=True)
class ProcessParams:
    """``wait_norms``: product_group → (limit, "werkdagen" | "dagen"); else ``default_wait_norm``."""

    as_of: dt.date
    wait_norms: dict[str, tuple[int, str]] = field(default_factory=_default_wait_norms)
    default_wait_norm: tuple[int, str] = (10, "werkdagen")
    message_werkdagen: int = 5
    days_per_period_unit: int = 28


# --- shared ------------------------------------------------------------------------------------


def _share_frame(frame: pl.DataFrame, date_column: str, hit: str, kpi: str) -> pl.DataFrame:
    exploded = _with_regio(explode_periods(frame, date_column))
    grouped = exploded.group_by(DIMS).agg(
        pl.col(hit).sum().cast(pl.Float64).alias("numerator"), pl.len().alias("n")
    )
    return _finish(
        grouped.with_columns(
            pl.col("n").cast(pl.Float64).alias("denominator"),
            (pl.col("numerator") / pl.col("n")).alias("value"),
        ),
        kpi,
    )


def _stat_frame(
    frame: pl.DataFrame, date_column: str, column: str, kpi: str, quantile: float | None
) -> pl.DataFrame:
    exploded = _with_regio(explode_periods(frame.filter(pl.col(column).is_not_null()), date_column))
    stat = (
        pl.col(column).median()
        if quantile is None
        else pl.col(column).quantile(quantile, interpolation="linear")
    )
    grouped = exploded.group_by(DIMS).agg(stat.cast(pl.Float64).alias("value"), pl.len().alias("n"))
    return _finish(
        grouped.with_columns(
            pl.lit(None, pl.Float64).alias("numerator"),
            pl.lit(None, pl.Float64).alias("denominator"),
        ),
        kpi,
    )


def _referentiegroepen(trajectories: Trajectories) -> pl.DataFrame:
    """(gemeente, toewijzing_nummer) → referentiegroep: linked trajectory, else niet gestart."""
    linked = trajectories.toewijzing_links.select(*TW_KEY, "trajectory_id").join(
        trajectories.trajectories.select("trajectory_id", "referentiegroep"),
        on="trajectory_id",
        how="inner",
    )
    parts = [linked.select(*TW_KEY, "referentiegroep")]
    ng = trajectories.niet_gestart
    if "referentiegroep" in ng.columns or "product_group" in ng.columns:
        group = "referentiegroep" if "referentiegroep" in ng.columns else "product_group"
        parts.append(ng.select(*TW_KEY, pl.col(group).alias("referentiegroep")))
    return (
        pl.concat(parts, how="vertical_relaxed")
        .sort([*TW_KEY, "referentiegroep"])
        .unique(TW_KEY, keep="first", maintain_order=True)
    )


def _with_referentiegroep(frame: pl.DataFrame, trajectories: Trajectories) -> pl.DataFrame:
    return frame.join(_referentiegroepen(trajectories), on=TW_KEY, how="left").with_columns(
        pl.col("referentiegroep").fill_null(pl.col("categorie"))
    )


# --- K6 ----------------------------------------------------------------------------------------


def k6_cohort(
    state: DerivedState,
    trajectories: Trajectories,
    calendar: WorkdayCalendar,
    params: ProcessParams,
) -> pl.DataFrame:
    """One row per toewijzing in a K6 cohort: anchor, start, wait, within_norm, flags."""
    tw = state.toewijzingen.select(
        *TW_KEY,
        pl.max_horizontal("first_toewijzingsdatum", "ingangsdatum").alias("anchor"),
    )
    opening = (
        trajectories.toewijzing_links.filter(pl.col("opens_trajectory"))
        .select(*TW_KEY, "trajectory_id")
        .join(
            trajectories.trajectories.select(
                "trajectory_id", "aanbieder_agb", "product_group", "referentiegroep", "start"
            ),
            on="trajectory_id",
            how="inner",
        )
        .drop("trajectory_id")
    )
    ng = trajectories.niet_gestart
    group = "referentiegroep" if "referentiegroep" in ng.columns else "product_group"
    not_started = ng.select(
        *TW_KEY,
        "aanbieder_agb",
        pl.col("product_group").cast(pl.Utf8),
        pl.col(group).cast(pl.Utf8).alias("referentiegroep"),
        pl.lit(None, pl.Date).alias("start"),
    )
    rows = pl.concat([opening, not_started], how="vertical_relaxed").join(tw, on=TW_KEY)
    limits = {k: v[0] for k, v in params.wait_norms.items()}
    units = {k: v[1] for k, v in params.wait_norms.items()}
    rows = rows.with_columns(
        pl.col("product_group")
        .replace_strict(limits, default=params.default_wait_norm[0], return_dtype=pl.Int64)
        .alias("norm_limit"),
        pl.col("product_group")
        .replace_strict(units, default=params.default_wait_norm[1], return_dtype=pl.Utf8)
        .alias("norm_unit"),
    )
    in_days = pl.col("norm_unit") == "dagen"
    anchor, start = pl.col("anchor"), pl.col("start")
    calendar_days = (start - anchor).dt.total_days().clip(lower_bound=0)
    rows = rows.with_columns(
        pl.when(in_days)
        .then(anchor + pl.duration(days=pl.col("norm_limit")))
        .otherwise(calendar.add_werkdagen_expr(anchor, pl.col("norm_limit")))
        .alias("deadline"),
        pl.when(in_days)
        .then(calendar_days)
        .otherwise(calendar.werkdagen_between_expr(anchor, start))
        .alias("wait"),
        (start < anchor).fill_null(False).alias("terugwerkende_kracht"),
    )
    as_of = pl.lit(params.as_of, pl.Date)
    started = start.is_not_null()
    return (
        rows.filter(started | (pl.col("deadline") < as_of))
        .with_columns(
            (started & (pl.col("wait") <= pl.col("norm_limit"))).fill_null(False).alias("within")
        )
        .sort([*TW_KEY])
    )


def k6_wachttijd(
    state: DerivedState,
    trajectories: Trajectories,
    calendar: WorkdayCalendar,
    params: ProcessParams,
) -> pl.DataFrame:
    cohort = k6_cohort(state, trajectories, calendar, params)
    return pl.concat(
        [
            _share_frame(cohort, "anchor", "within", "K6"),
            _stat_frame(cohort, "anchor", "wait", "K6m", None),
            _stat_frame(cohort, "anchor", "wait", "K6p", 0.9),
        ]
    )


# --- K11 ---------------------------------------------------------------------------------------


def k11_units(
    state: DerivedState,
    trajectories: Trajectories,
    calendar: WorkdayCalendar,
    params: ProcessParams,
) -> dict[str, pl.DataFrame]:
    """The per-unit frames behind K11, keyed by figure code (shared with ``engine.members``).

    ``K11s``/``K11l``: start episodes with ``reference``, ``on_time`` and ``lead``; ``K11e``:
    definitive stops with ``on_time``; ``K11ms``/``K11me``: started and ended trajectories with
    ``missing``; ``K11c``: start and stop aanleveringen with ``deleted``.
    """
    n = params.message_werkdagen
    episodes = trajectories.episodes
    first_301 = state.toewijzingen.select(*TW_KEY, pl.col("first_dagtekening").alias("tw_dag"))
    starts = (
        episodes.filter(pl.col("start_bericht"))
        .join(first_301, on=TW_KEY, how="left")
        .with_columns(pl.max_horizontal("begindatum", "tw_dag").alias("reference"))
        .with_columns(
            (
                pl.col("start_dagtekening") <= calendar.add_werkdagen_expr(pl.col("reference"), n)
            ).alias("on_time"),
            calendar.werkdagen_between_expr(pl.col("reference"), pl.col("start_dagtekening"))
            .cast(pl.Float64)
            .alias("lead"),
        )
    )
    stops = episodes.filter(
        pl.col("definitief_einddatum").is_not_null()
        & (pl.col("definitief_reden") != TEMPORARY_REASON)
        & pl.col("stop_dagtekening").is_not_null()
    ).with_columns(
        (
            pl.col("stop_dagtekening")
            <= calendar.add_werkdagen_expr(pl.col("definitief_einddatum"), n)
        ).alias("on_time")
    )
    traj = trajectories.trajectories
    started = traj.filter(pl.col("start") <= params.as_of).with_columns(
        pl.col("start_afgeleid").fill_null(False).alias("missing")
    )
    ends = definitive_ends(traj, params.as_of).with_columns(
        (pl.col("end_kind") == "vermoedelijk").alias("missing")
    )
    return {
        "K11s": starts,
        "K11e": stops,
        "K11ms": started,
        "K11me": ends,
        "K11c": _corrections(state, trajectories),
    }


# K11 figure code → (unit frame of k11_units, date column of the period, hit column).
K11_SHARES = {
    "K11s": ("K11s", "reference", "on_time"),
    "K11e": ("K11e", "definitief_einddatum", "on_time"),
    "K11ms": ("K11ms", "start", "missing"),
    "K11me": ("K11me", "end", "missing"),
    "K11c": ("K11c", "begindatum", "deleted"),
}


def k11_administratief(
    state: DerivedState,
    trajectories: Trajectories,
    calendar: WorkdayCalendar,
    params: ProcessParams,
) -> pl.DataFrame:
    units = k11_units(state, trajectories, calendar, params)
    return pl.concat(
        [
            *(
                _share_frame(units[frame], date_column, hit, code)
                for code, (frame, date_column, hit) in K11_SHARES.items()
            ),
            _stat_frame(units["K11s"], "reference", "lead", "K11l", None),
        ]
    )


def _corrections(state: DerivedState, trajectories: Trajectories) -> pl.DataFrame:
    columns = ["gemeente", "aanbieder_agb", "toewijzing_nummer", "categorie", "begindatum"]
    kept = pl.concat([state.starts.select(columns), state.stops.select(columns)])
    rows = pl.concat(
        [
            kept.with_columns(pl.lit(False).alias("deleted")),
            state.deleted_aanleveringen.select(columns).with_columns(pl.lit(True).alias("deleted")),
        ]
    )
    return _with_referentiegroep(rows, trajectories)


# --- K10 ---------------------------------------------------------------------------------------


def k10_spread(state: DerivedState, trajectories: Trajectories) -> pl.DataFrame:
    """Approved declaration lines × the periods they overlap, with the pro-rata ``euro`` (K10);
    shared with ``engine.members``."""
    lines = state.prestaties.filter(
        pl.col("periode_begin").is_not_null() & pl.col("periode_eind").is_not_null()
    )
    if lines.is_empty():
        return lines.with_columns(
            pl.lit(None, pl.Utf8).alias("referentiegroep"),
            pl.lit(None, pl.Utf8).alias("period"),
            pl.lit(None, pl.Float64).alias("euro"),
        )
    first, last = lines["periode_begin"].min(), lines["periode_eind"].max()
    assert isinstance(first, dt.date) and isinstance(last, dt.date)
    lines = _with_referentiegroep(
        lines.select(
            "gemeente",
            "aanbieder_agb",
            "client_key",
            "toewijzing_nummer",
            "categorie",
            "periode_begin",
            "periode_eind",
            "netto_bedrag",
        ),
        trajectories,
    )
    overlap = (
        pl.min_horizontal("periode_eind", "period_end")
        - pl.max_horizontal("periode_begin", "period_start")
    ).dt.total_days() + 1
    span = (pl.col("periode_eind") - pl.col("periode_begin")).dt.total_days() + 1
    periods = periods_between(first, last)
    # A line no longer than the shortest period (nearly all: a ProductPeriode is a month or
    # shorter) overlaps only the periods of its first and its last day; longer lines are paired
    # with every period. This avoids a lines × periods cross join (national scale: ~10^7 lines).
    shortest = periods.select(
        ((pl.col("period_end") - pl.col("period_start")).dt.total_days() + 1).min()
    ).item()
    short = span <= shortest
    begin_end = pl.concat_list(
        [*label_exprs(pl.col("periode_begin")), *label_exprs(pl.col("periode_eind"))]
    )
    by_label = (
        lines.filter(short)
        .with_columns(begin_end.list.unique().alias("period"))
        .explode("period")
        .join(periods, on="period", how="inner")
    )
    by_cross = lines.filter(~short).join(periods, how="cross").select(by_label.columns)
    return (
        pl.concat([by_label, by_cross])
        .with_columns(overlap.alias("overlap"), span.alias("span"))
        .filter(pl.col("overlap") > 0)
        .with_columns(
            (pl.col("netto_bedrag") * pl.col("overlap") / pl.col("span") / 100).alias("euro")
        )
    )


def k10_kosten(
    state: DerivedState, trajectories: Trajectories, params: ProcessParams
) -> pl.DataFrame:
    spread = k10_spread(state, trajectories)
    if spread.is_empty():
        return empty_figures()
    first = spread["periode_begin"].min()
    assert isinstance(first, dt.date)
    per_client = (
        _with_regio(spread)
        .group_by([*DIMS, "client_key"])
        .agg(pl.col("euro").sum())
        .group_by(DIMS)
        .agg(
            pl.col("euro").sum().alias("numerator"),
            (pl.col("euro") > 0).sum().cast(pl.Int64).alias("n"),
            *log_mean_exprs(pl.col("euro")),
        )
        .filter(pl.col("n") > 0)
    )
    k10 = per_client.with_columns(
        pl.col("n").cast(pl.Float64).alias("denominator"),
        (pl.col("numerator") / pl.col("n")).alias("value"),
    )
    care = _care_units(trajectories.trajectories, first, params)
    k10w = per_client.join(care, on=DIMS, how="inner").with_columns(
        pl.col("units").alias("denominator"),
        (pl.col("numerator") / pl.col("units")).alias("value"),
    )
    k10_figures = _finish(k10, "K10").hstack(k10.select(LOG_MEAN_COLUMNS))
    return pl.concat([k10_figures, _finish(k10w, "K10w")], how="diagonal")


def care_spans(trajectories: pl.DataFrame, first: dt.date, params: ProcessParams) -> pl.DataFrame:
    """Trajectory × period rows with ``days`` in care in the period up to ``as_of`` (K10w)."""
    as_of = pl.lit(params.as_of, pl.Date)
    periods = periods_between(min(first, params.as_of), params.as_of)
    days = (
        pl.min_horizontal(pl.coalesce("end", as_of), "period_end", as_of)
        - pl.max_horizontal("start", "period_start")
    ).dt.total_days() + 1
    # days > 0 needs start <= period_end and period_start <= coalesce(end, as_of): pair only those
    return (
        pair_with_periods(
            trajectories.filter(pl.col("start") <= params.as_of),
            periods,
            until="period_end",
            end=pl.coalesce("end", as_of),
        )
        .with_columns(days.alias("days"))
        .filter(pl.col("days") > 0)
    )


def _care_units(trajectories: pl.DataFrame, first: dt.date, params: ProcessParams) -> pl.DataFrame:
    """Σ days in care ÷ ``days_per_period_unit`` per group and period, up to ``as_of``."""
    return (
        _with_regio(care_spans(trajectories, first, params))
        .group_by(DIMS)
        .agg((pl.col("days").sum() / params.days_per_period_unit).cast(pl.Float64).alias("units"))
    )


# --- all ---------------------------------------------------------------------------------------


def process_figures(
    state: DerivedState,
    trajectories: Trajectories,
    calendar: WorkdayCalendar,
    params: ProcessParams,
) -> pl.DataFrame:
    """K6, K10 and K11 figures, sorted like :func:`~wmo_sla.engine.figures.trajectory_figures`."""
    parts = [
        k6_wachttijd(state, trajectories, calendar, params),
        k10_kosten(state, trajectories, params),
        k11_administratief(state, trajectories, calendar, params),
    ]
    return pl.concat(parts, how="diagonal").sort(["kpi", *DIMS])
