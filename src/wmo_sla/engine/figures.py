# SPDX-License-Identifier: EUPL-1.2
"""KPI figures from trajectories (KPIS.md K1, K2, K5, K7, K8, K9, K12), set-based in Polars.

Every function returns the long *figure frame*: one row per
(kpi, aanbieder_agb, referentiegroep, gemeente, period) with numerator, denominator, value and n.
Each figure exists for every gemeente separately and for the whole region (``gemeente = "regio"``).
Conventions (KPIS.md § Codes of the figures): counts put the count in ``value`` and ``numerator``;
shares put numerator and denominator and ``value`` = numerator ÷ denominator; durations in days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from .periods import explode_periods, periods_between

DIMS = ["aanbieder_agb", "referentiegroep", "gemeente", "period"]
FIGURE_SCHEMA = {
    "kpi": pl.Utf8,
    "aanbieder_agb": pl.Utf8,
    "referentiegroep": pl.Utf8,
    "gemeente": pl.Utf8,
    "period": pl.Utf8,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "value": pl.Float64,
    "n": pl.Int64,
}

# K2 reason groups (KPIS.md K2).
REASON_GROUPS = {
    "19": "K2v",
    "21": "K2x",
    "22": "K2x",
    "23": "K2x",
    "02": "K2e",
    "31": "K2e",
    "39": "K2e",
    "38": "K2o",
    "36": "K2g",
    "37": "K2g",
}
GOAL_REASONS = ["19", "21", "22", "23"]


@dataclass(frozen=True)
class FigureParams:
    as_of: dt.date
    gap_days: int = 1
    recidive_window_days: int = 365
    recidive_half_window_days: int = 182


#: Mean and SD of log(value) over the units of a duration or cost figure (K5, K10): the input of
#: the log-scale mean funnel (KPIS.md § Norms and signals; docs/kpis-statistics.md). Only these
#: figures carry the columns; other rows have them null.
LOG_MEAN_COLUMNS = ["log_mean", "log_sd"]


def log_mean_exprs(values: pl.Expr) -> list[pl.Expr]:
    """Aggregations: mean and sample SD (n − 1) of log(value) over the values > 0."""
    logs = values.filter(values > 0).cast(pl.Float64).log()
    return [logs.mean().alias("log_mean"), logs.std().alias("log_sd")]


def empty_figures() -> pl.DataFrame:
    return pl.DataFrame(schema=FIGURE_SCHEMA)


def _with_regio(frame: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([frame, frame.with_columns(pl.lit("regio").alias("gemeente"))])


def _finish(frame: pl.DataFrame, kpi: str | pl.Expr) -> pl.DataFrame:
    kpi_expr = pl.lit(kpi) if isinstance(kpi, str) else kpi
    return frame.with_columns(kpi_expr.alias("kpi")).select(
        [pl.col(c).cast(t) for c, t in FIGURE_SCHEMA.items()]
    )


def _counts(
    events: pl.DataFrame, date_column: str, kpi: str | pl.Expr, by: list[str]
) -> pl.DataFrame:
    frame = _with_regio(explode_periods(events, date_column))
    grouped = frame.group_by([*DIMS, *by]).agg(pl.len().alias("n"))
    return _finish(
        grouped.with_columns(
            pl.col("n").cast(pl.Float64).alias("numerator"),
            pl.lit(None, pl.Float64).alias("denominator"),
            pl.col("n").cast(pl.Float64).alias("value"),
        ),
        kpi,
    )


def _share(
    events: pl.DataFrame, date_column: str, kpi: str, hit: pl.Expr, base: pl.Expr
) -> pl.DataFrame:
    frame = _with_regio(explode_periods(events.filter(base), date_column))
    grouped = frame.group_by(DIMS).agg(
        hit.sum().cast(pl.Float64).alias("numerator"), pl.len().alias("n")
    )
    return _finish(
        grouped.with_columns(
            pl.col("n").cast(pl.Float64).alias("denominator"),
            (pl.col("numerator") / pl.col("n")).alias("value"),
        ),
        kpi,
    )


def definitive_ends(trajectories: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    return trajectories.filter(
        pl.col("end").is_not_null()
        & pl.col("end_kind").is_in(["stop", "vermoedelijk"])
        & (pl.col("end") <= as_of)
    )


def k1_instroom(trajectories: pl.DataFrame, params: FigureParams) -> pl.DataFrame:
    started = trajectories.filter(pl.col("start") <= params.as_of)
    total = _counts(started, "start", "K1", [])
    split = _counts(
        started,
        "start",
        pl.col("instroom_kind").replace_strict(
            {"nieuw": "K1n", "herhaald": "K1h", "overname": "K1o"}, default="K1?"
        ),
        ["instroom_kind"],
    )
    return pl.concat([total, split])


def reason_group_expr() -> pl.Expr:
    """The K2 figure code of a definitive end (K2v … K2z); shared with ``engine.members``."""
    return (
        pl.when(pl.col("end_kind") == "vermoedelijk")
        .then(pl.lit("K2z"))
        .otherwise(pl.col("end_reason").replace_strict(REASON_GROUPS, default="K2g"))
    )


def k2_uitstroom(trajectories: pl.DataFrame, params: FigureParams) -> pl.DataFrame:
    ends = definitive_ends(trajectories, params.as_of).with_columns(
        reason_group_expr().alias("reason_group")
    )
    total = _counts(ends, "end", "K2", [])
    by_group = _counts(ends, "end", pl.col("reason_group"), ["reason_group"])
    active, stand = _active_and_stand(trajectories, params)
    rate = (
        total.select([*DIMS, pl.col("numerator")])
        .join(active.select([*DIMS, pl.col("value").alias("actief")]), on=DIMS, how="right")
        .with_columns(pl.col("numerator").fill_null(0.0))
        .with_columns(
            pl.col("actief").alias("denominator"),
            (pl.col("numerator") / pl.col("actief")).alias("value"),
            pl.col("actief").cast(pl.Int64).alias("n"),
        )
    )
    return pl.concat([total, by_group, stand, active, _finish(rate, "K2r")])


def active_spans(trajectories: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """One row per trajectory × period it is active in (K2a), with ``in_stand`` (K2s: active
    on the period's last day, up to ``as_of``); shared with ``engine.members``."""
    first = trajectories["start"].min()
    if not isinstance(first, dt.date):
        return trajectories.clear().with_columns(
            pl.lit(None, pl.Utf8).alias("period"), pl.lit(None, pl.Boolean).alias("in_stand")
        )
    periods = periods_between(first, as_of).filter(pl.col("period_start") <= as_of)
    periods = periods.with_columns(
        pl.min_horizontal(pl.col("period_end"), pl.lit(as_of)).alias("last_day")
    )
    return (
        pair_with_periods(trajectories, periods, until="last_day", end=pl.col("end"))
        .filter(
            (pl.col("start") <= pl.col("last_day"))
            & (pl.col("end").is_null() | (pl.col("end") >= pl.col("period_start")))
        )
        .with_columns(
            (pl.col("end").is_null() | (pl.col("end") > pl.col("last_day"))).alias("in_stand")
        )
    )


_OPEN_END = dt.date(9999, 12, 31)


def pair_with_periods(
    trajectories: pl.DataFrame, periods: pl.DataFrame, *, until: str, end: pl.Expr
) -> pl.DataFrame:
    """Every trajectory × period pair with ``start <= periods[until]`` and
    ``end (null: open) >= period_start``, in the order of a cross join (trajectory by trajectory,
    periods in order), without building the cross join: an inequality join only pairs a
    trajectory with the periods it can overlap (national scale: ~10^6 trajectories × 35 periods,
    × 60 months for the monthly series). Callers apply their exact filter afterwards."""
    left = trajectories.with_row_index("_pair_t").with_columns(
        end.fill_null(pl.lit(_OPEN_END, pl.Date)).alias("_pair_end")
    )
    right = periods.with_row_index("_pair_p")
    return (
        left.join_where(
            right,
            pl.col("start") <= pl.col(until),
            pl.col("_pair_end") >= pl.col("period_start"),
        )
        .sort("_pair_t", "_pair_p")
        .select([*trajectories.columns, *periods.columns])
    )


def _active_and_stand(
    trajectories: pl.DataFrame, params: FigureParams
) -> tuple[pl.DataFrame, pl.DataFrame]:
    if trajectories.is_empty():
        return empty_figures(), empty_figures()
    spans = _with_regio(active_spans(trajectories, params.as_of))
    active = spans.group_by(DIMS).agg(pl.len().alias("n"))
    stand = spans.filter(pl.col("in_stand")).group_by(DIMS).agg(pl.len().alias("n"))

    def as_count(frame: pl.DataFrame, kpi: str) -> pl.DataFrame:
        return _finish(
            frame.with_columns(
                pl.col("n").cast(pl.Float64).alias("numerator"),
                pl.lit(None, pl.Float64).alias("denominator"),
                pl.col("n").cast(pl.Float64).alias("value"),
            ),
            kpi,
        )

    return as_count(active, "K2a"), as_count(stand, "K2s")


def k5_units(trajectories: pl.DataFrame, params: FigureParams) -> pl.DataFrame:
    """Trajectories closed by a definitive stop message, with ``days`` and ``net_days`` (K5)."""
    ended = trajectories.filter(
        (pl.col("end_kind") == "stop")
        & pl.col("end").is_not_null()
        & (pl.col("end") <= params.as_of)
    ).with_columns(
        ((pl.col("end") - pl.col("start")).dt.total_days() + 1).alias("days"),
    )
    return ended.with_columns(
        (pl.col("days") - pl.col("temporary_stop_days").fill_null(0)).alias("net_days")
    )


def k5_duur(trajectories: pl.DataFrame, params: FigureParams) -> pl.DataFrame:
    ended = k5_units(trajectories, params)
    frame = _with_regio(explode_periods(ended, "end"))
    grouped = frame.group_by(DIMS).agg(
        pl.col("days").sum().cast(pl.Float64).alias("sum_days"),
        pl.col("net_days").sum().cast(pl.Float64).alias("sum_net"),
        pl.col("days").median().cast(pl.Float64).alias("median_days"),
        pl.len().alias("n"),
        *log_mean_exprs(pl.col("days")),
    )
    n = pl.col("n").cast(pl.Float64)
    mean = _finish(
        grouped.with_columns(
            pl.col("sum_days").alias("numerator"),
            n.alias("denominator"),
            (pl.col("sum_days") / n).alias("value"),
        ),
        "K5",
    ).hstack(grouped.select(LOG_MEAN_COLUMNS))
    median = _finish(
        grouped.with_columns(
            pl.lit(None, pl.Float64).alias("numerator"),
            pl.lit(None, pl.Float64).alias("denominator"),
            pl.col("median_days").alias("value"),
        ),
        "K5m",
    )
    net = _finish(
        grouped.with_columns(
            pl.col("sum_net").alias("numerator"),
            n.alias("denominator"),
            (pl.col("sum_net") / n).alias("value"),
        ),
        "K5n",
    )
    return pl.concat([mean, median, net], how="diagonal")


# K8 / K8u: reasons in the numerator; the denominator is GOAL_REASONS (shared with members).
K8_HIT_REASONS = {"K8": ["21", "22", "23"], "K8u": ["21", "22"]}


def k8_units(trajectories: pl.DataFrame, params: FigureParams) -> pl.DataFrame:
    """Definitive ends by a stop message (the K8 base is filtered by GOAL_REASONS)."""
    return definitive_ends(trajectories, params.as_of).filter(pl.col("end_kind") == "stop")


def k8_zonder_doelen(trajectories: pl.DataFrame, params: FigureParams) -> pl.DataFrame:
    ends = k8_units(trajectories, params)
    base = pl.col("end_reason").is_in(GOAL_REASONS)
    return pl.concat(
        [
            _share(ends, "end", code, pl.col("end_reason").is_in(hits), base)
            for code, hits in K8_HIT_REASONS.items()
        ]
    )


def k12_reason_expr() -> pl.Expr:
    """The K12 suffix of a definitive end: its final reason, or ``z`` (zonder stopbericht)."""
    return (
        pl.when(pl.col("end_kind") == "vermoedelijk")
        .then(pl.lit("z"))
        .otherwise(pl.col("end_reason"))
    )


def k12_redenen(trajectories: pl.DataFrame, params: FigureParams) -> pl.DataFrame:
    ends = definitive_ends(trajectories, params.as_of).with_columns(
        k12_reason_expr().alias("reason")
    )
    frame = _with_regio(explode_periods(ends, "end"))
    totals = frame.group_by(DIMS).agg(pl.len().alias("total"))
    by_reason = frame.group_by([*DIMS, "reason"]).agg(pl.len().alias("count"))
    joined = by_reason.join(totals, on=DIMS).with_columns(
        pl.col("count").cast(pl.Float64).alias("numerator"),
        pl.col("total").cast(pl.Float64).alias("denominator"),
        (pl.col("count") / pl.col("total")).alias("value"),
        pl.col("total").alias("n"),
    )
    return _finish(joined, pl.lit("K12-") + pl.col("reason"))


def k9_windows(params: FigureParams) -> dict[str, int]:
    """Figure code → recidive window in days (K9d is 1 − K9 over the K9 window)."""
    return {"K9": params.recidive_window_days, "K9h": params.recidive_half_window_days}


def k9_units(trajectories: pl.DataFrame, params: FigureParams) -> pl.DataFrame:
    """The K9 cohort: definitive ends with reason in GOAL_REASONS whose client had no other
    trajectory active at that end date, with ``returned_<code>`` per window of
    :func:`k9_windows` (a new trajectory of the client, any provider, G < start − end ≤ W)."""
    ends = definitive_ends(trajectories, params.as_of).filter(
        (pl.col("end_kind") == "stop") & pl.col("end_reason").is_in(GOAL_REASONS)
    )
    others = trajectories.select(
        pl.col("client_key"),
        pl.col("trajectory_id").alias("other_id"),
        pl.col("start").alias("other_start"),
        pl.col("end").alias("other_end"),
    )
    pairs = ends.select("trajectory_id", "client_key", "end").join(others, on="client_key")
    parallel = (
        pairs.filter(
            (pl.col("other_id") != pl.col("trajectory_id"))
            & (pl.col("other_start") <= pl.col("end"))
            & (pl.col("other_end").is_null() | (pl.col("other_end") >= pl.col("end")))
        )
        .select("trajectory_id")
        .unique()
    )
    cohort = ends.join(parallel, on="trajectory_id", how="anti")
    for code, window in k9_windows(params).items():
        returned = (
            pairs.filter(
                (pl.col("other_id") != pl.col("trajectory_id"))
                & (pl.col("other_start") > pl.col("end") + pl.duration(days=params.gap_days))
                & (pl.col("other_start") <= pl.col("end") + pl.duration(days=window))
            )
            .select("trajectory_id")
            .unique()
            .with_columns(pl.lit(True).alias(f"returned_{code}"))
        )
        cohort = cohort.join(returned, on="trajectory_id", how="left").with_columns(
            pl.col(f"returned_{code}").fill_null(False)
        )
    return cohort


def k9_period_complete(period: str, window: int, as_of: dt.date) -> bool:
    """A K9 period is reported only once the whole window after its last day has passed."""
    from .periods import period_bounds  # local: avoids a cycle in type checkers

    return period_bounds(period)[1] + dt.timedelta(days=window) <= as_of


def k9_recidive(trajectories: pl.DataFrame, params: FigureParams) -> pl.DataFrame:
    """Recidive per KPIS.md K9; a period is reported only once the whole window has passed."""
    cohort = k9_units(trajectories, params)
    results = []
    for code, window in k9_windows(params).items():
        eligible = cohort.with_columns(pl.col(f"returned_{code}").alias("returned"))
        # Only periods whose every end has had its full window.
        exploded = explode_periods(eligible, "end")
        complete = [
            p
            for p in exploded["period"].unique().to_list()
            if k9_period_complete(p, window, params.as_of)
        ]
        exploded = _with_regio(exploded.filter(pl.col("period").is_in(complete)))
        grouped = exploded.group_by(DIMS).agg(
            pl.col("returned").sum().cast(pl.Float64).alias("numerator"), pl.len().alias("n")
        )
        share = grouped.with_columns(
            pl.col("n").cast(pl.Float64).alias("denominator"),
            (pl.col("numerator") / pl.col("n")).alias("value"),
        )
        results.append(_finish(share, code))
        if code == "K9":
            results.append(
                _finish(
                    share.with_columns(
                        (pl.col("denominator") - pl.col("numerator")).alias("numerator"),
                        (1 - pl.col("value")).alias("value"),
                    ),
                    "K9d",
                )
            )
    return pl.concat(results)


def k7_units(
    trajectories: pl.DataFrame,
    params: FigureParams,
    *,
    planned_start: str = "opening_first_ingangsdatum",
    planned_end: str = "opening_first_einddatum",
) -> pl.DataFrame:
    """Definitive ends whose opening toewijzing had an Einddatum, with ``ratio`` R (K7)."""
    ended = definitive_ends(trajectories, params.as_of).filter(pl.col(planned_end).is_not_null())
    return ended.with_columns(
        (
            ((pl.col("end") - pl.col("start")).dt.total_days() + 1)
            / ((pl.col(planned_end) - pl.col(planned_start)).dt.total_days() + 1)
        ).alias("ratio")
    )


def k7_doorlooptijd(
    trajectories: pl.DataFrame,
    params: FigureParams,
    *,
    planned_start: str = "opening_first_ingangsdatum",
    planned_end: str = "opening_first_einddatum",
) -> pl.DataFrame:
    ended = k7_units(trajectories, params, planned_start=planned_start, planned_end=planned_end)
    frame = _with_regio(explode_periods(ended, "end"))
    grouped = frame.group_by(DIMS).agg(
        pl.col("ratio").median().alias("median"),
        (pl.col("ratio") > 1).sum().cast(pl.Float64).alias("longer"),
        (pl.col("ratio") < 0.5).sum().cast(pl.Float64).alias("early"),
        pl.len().alias("n"),
    )
    n = pl.col("n").cast(pl.Float64)
    return pl.concat(
        [
            _finish(
                grouped.with_columns(
                    pl.lit(None, pl.Float64).alias("numerator"),
                    pl.lit(None, pl.Float64).alias("denominator"),
                    pl.col("median").alias("value"),
                ),
                "K7",
            ),
            _finish(
                grouped.with_columns(
                    pl.col("longer").alias("numerator"),
                    n.alias("denominator"),
                    (pl.col("longer") / n).alias("value"),
                ),
                "K7v",
            ),
            _finish(
                grouped.with_columns(
                    pl.col("early").alias("numerator"),
                    n.alias("denominator"),
                    (pl.col("early") / n).alias("value"),
                ),
                "K7e",
            ),
        ]
    )


def trajectory_figures(trajectories: pl.DataFrame, params: FigureParams) -> pl.DataFrame:
    """All trajectory-based figures, sorted for reproducible output."""
    parts = [
        k1_instroom(trajectories, params),
        k2_uitstroom(trajectories, params),
        k5_duur(trajectories, params),
        k8_zonder_doelen(trajectories, params),
        k9_recidive(trajectories, params),
        k12_redenen(trajectories, params),
    ]
    if "opening_first_einddatum" in trajectories.columns:
        parts.append(k7_doorlooptijd(trajectories, params))
    return pl.concat(parts, how="diagonal").sort(["kpi", *DIMS])
