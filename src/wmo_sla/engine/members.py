# SPDX-License-Identifier: EUPL-1.2
"""Which units are behind a figure: the drill-down of issue #6 (item 4), pure Polars.

A figure is one (kpi, aanbieder_agb, referentiegroep, gemeente, period). Its *members* are the
units it counts, each with ``in_numerator`` / ``in_denominator``:

- trajectories for K1*, K2*, K5*, K7*, K8*, K9*, K12-* and K11ms/K11me;
- toewijzingen (the K6 cohort) for K6, K6m, K6p;
- start and stop aanleveringen (episodes) for K11s, K11l, K11e; all aanleveringen for K11c;
- clients (net declared euros in the period) for K10, plus the trajectories' days in care for K10w;
- survey answers as counts per score (no respondents) for K13, K13p;
- K3, K4: the af- or opschalingen (comparisons of two toewijzingen or two versions,
  ``figures_scaling.scaling_comparisons``) in the period in the numerator, the trajectories active
  in the period (the K2a members) in the denominator; an administrative re-issue of the same
  direction is listed, in neither;
- K5km: the start cohort (``figures_survival.km_durations``): every trajectory started in the year,
  ``in_numerator`` = ended (an event), otherwise censored at ``as_of``; ``measure`` = duration.
  :func:`reproduce` recomputes the Kaplan–Meier median from these members;
- K10oe: the declared ProductPerioden per toewijzing (``figures_cost.k10oe_lines``), ``measure`` =
  observed euros in the period, ``expected`` = expected euros; a line whose expected cost is
  unknown is listed, in neither.

The *unit frames* (:func:`member_units`) are built once per computation run from the same per-unit
functions the figures use (``figures.k5_units``, ``figures_process.k11_units``, ``k6_cohort``,
``k10_spread``, ``scaling_comparisons``, ``k10oe_lines`` …) and stored with the run, so a
figure of an old run stays traceable. :func:`members` then selects one figure's members from
those frames with the same filters and period attribution as the figure computation, and
:func:`reproduce` aggregates members back to numerator, denominator and value — the test suite
proves that this gives the stored figure for every code.

Member columns (``MEMBER_SCHEMA``): ``unit`` (traject, toewijzing, startbericht, stopbericht,
aanlevering, client, antwoorden, wijziging, declaratie), identity (``trajectory_id``, ``client_key`` — the pseudonymised
key, never a BSN — ``gemeente``, ``toewijzing_nummer``), ``referentiegroep``, ``product_group``,
``date`` (the date that puts the unit in the period), ``start``, ``end``, ``reason`` (final
RedenBeeindiging, K2 group, instroom kind …), ``detail`` (end kind, flags), ``measure`` (the number
the figure averages or sums: days, werkdagen, ratio, euros, score, % change of intensity),
``expected`` (K10oe only: expected euros), ``weight`` (units the row
stands for: 1, or the number of answers with that score) and the two flags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from .calendar import WorkdayCalendar
from .figures import (
    GOAL_REASONS,
    K8_HIT_REASONS,
    REASON_GROUPS,
    FigureParams,
    active_spans,
    definitive_ends,
    k5_units,
    k7_units,
    k8_units,
    k9_period_complete,
    k9_units,
    k9_windows,
    k12_reason_expr,
    reason_group_expr,
)
from .figures_cost import k10oe_lines
from .figures_process import (
    TW_KEY,
    ProcessParams,
    _with_referentiegroep,
    care_spans,
    k6_cohort,
    k10_spread,
    k11_units,
)
from .figures_scaling import ScalingParams, scaling_comparisons
from .figures_survival import km_durations
from .periods import explode_periods, is_month_label, month_periods, period_bounds
from .state import DerivedState
from .trajectories import EPISODE_COLUMNS, TRAJECTORY_COLUMNS, Trajectories

__all__ = [
    "MEMBER_SCHEMA",
    "NOT_TRACEABLE",
    "UNIT_KINDS",
    "FigureKey",
    "MemberParams",
    "UnsupportedFigure",
    "is_traceable",
    "kaplan_meier_median",
    "member_units",
    "members",
    "reproduce",
    "units_needed",
]

MEMBER_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "unit": pl.Utf8,
    "trajectory_id": pl.Utf8,
    "client_key": pl.Utf8,
    "gemeente": pl.Utf8,
    "toewijzing_nummer": pl.Int64,
    "referentiegroep": pl.Utf8,
    "product_group": pl.Utf8,
    "date": pl.Date,
    "start": pl.Date,
    "end": pl.Date,
    "reason": pl.Utf8,
    "detail": pl.Utf8,
    "measure": pl.Float64,
    "expected": pl.Float64,
    "weight": pl.Int64,
    "in_numerator": pl.Boolean,
    "in_denominator": pl.Boolean,
}

#: The stored unit frames of a run, by kind (see :func:`member_units`).
UNIT_KINDS = (
    "trajectories",
    "episodes",
    "k6",
    "k11_starts",
    "k11_stops",
    "k11_corrections",
    "k10_clients",
    "survey",
    "scaling",
    "k10oe_lines",
)

#: Figure codes whose members are not traced (none left; kept for callers that list them).
NOT_TRACEABLE: frozenset[str] = frozenset()

K9_CODES = {"K9": "K9", "K9h": "K9h", "K9d": "K9"}  # code → window / returned column
K1_KINDS = {"K1n": "nieuw", "K1h": "herhaald", "K1o": "overname"}
K2_GROUPS = sorted(set(REASON_GROUPS.values()) | {"K2z"})


class UnsupportedFigure(ValueError):
    """The figure code has no member definition (yet)."""


@dataclass(frozen=True)
class FigureKey:
    kpi: str
    aanbieder_agb: str
    referentiegroep: str
    gemeente: str  # CBS code, or "regio" for the whole region
    period: str


@dataclass(frozen=True)
class MemberParams:
    """The run parameters the membership depends on (stored with every run)."""

    as_of: dt.date
    gap_days: int = 1
    recidive_window_days: int = 365
    recidive_half_window_days: int = 182
    days_per_period_unit: int = 28
    scaling_epsilon: float = 0.10

    def figure_params(self) -> FigureParams:
        return FigureParams(
            as_of=self.as_of,
            gap_days=self.gap_days,
            recidive_window_days=self.recidive_window_days,
            recidive_half_window_days=self.recidive_half_window_days,
        )

    def process_params(self) -> ProcessParams:
        return ProcessParams(as_of=self.as_of, days_per_period_unit=self.days_per_period_unit)


# --- unit frames, once per run -------------------------------------------------------------------


def member_units(
    state: DerivedState,
    trajectories: Trajectories,
    calendar: WorkdayCalendar,
    params: MemberParams,
    survey: pl.DataFrame | None = None,
    process_params: ProcessParams | None = None,
    *,
    products: pl.DataFrame,
    tariffs: pl.DataFrame,
) -> dict[str, pl.DataFrame]:
    """The unit frames of a run (whole region, every aanbieder), keyed by :data:`UNIT_KINDS`.

    Everything that needs data beyond one aanbieder (K9's return at any provider, the K6 cohort,
    K11 reference dates, K10 per-client sums, K3/K4 comparisons with their intensities) is
    resolved here, so :func:`members` can work on one aanbieder's rows. ``survey``: one row per
    answer (``aanbieder_agb, period, score, gemeente``); only counts per score are kept.
    ``products`` and ``tariffs``: as given to ``scaling_figures`` and ``k10_observed_expected``.
    """
    process = process_params or params.process_params()
    traj = trajectories.trajectories
    k9 = k9_units(traj, params.figure_params()).select(
        "trajectory_id",
        pl.lit(True).alias("k9_cohort"),
        *(pl.col(f"returned_{code}") for code in k9_windows(params.figure_params())),
    )
    trajectory_rows = traj.select(TRAJECTORY_COLUMNS).join(k9, on="trajectory_id", how="left")
    trajectory_rows = trajectory_rows.with_columns(pl.col("k9_cohort").fill_null(False))

    links = trajectories.toewijzing_links.select(*TW_KEY, "trajectory_id", "client_key")
    clients = state.toewijzingen.select(*TW_KEY, pl.col("client_key").alias("tw_client"))
    k6 = (
        k6_cohort(state, trajectories, calendar, process)
        .join(links, on=TW_KEY, how="left")
        .join(clients, on=TW_KEY, how="left")
        .with_columns(pl.coalesce("client_key", "tw_client").alias("client_key"))
        .drop("tw_client")
    )
    k11 = k11_units(state, trajectories, calendar, process)
    corrections = k11["K11c"].join(
        links.select(*TW_KEY, "trajectory_id", "client_key"), on=TW_KEY, how="left"
    )
    spread = k10_spread(state, trajectories)
    k10 = spread.group_by(
        ["aanbieder_agb", "referentiegroep", "gemeente", "period", "client_key"]
    ).agg(pl.col("euro").sum(), pl.len().alias("lines"))
    if survey is None or survey.is_empty():
        answers = pl.DataFrame(
            schema={
                "aanbieder_agb": pl.Utf8,
                "period": pl.Utf8,
                "gemeente": pl.Utf8,
                "score": pl.Int64,
                "count": pl.Int64,
            }
        )
    else:
        answers = (
            survey.group_by("aanbieder_agb", "period", "gemeente", "score")
            .agg(pl.len().cast(pl.Int64).alias("count"))
            .with_columns(pl.col("score").cast(pl.Int64))
        )
    frames = {
        "scaling": _scaling_units(state, trajectories, products, tariffs, params),
        "k10oe_lines": _k10oe_units(state, trajectories, tariffs),
        "trajectories": trajectory_rows,
        "episodes": trajectories.episodes.select(EPISODE_COLUMNS),
        "k6": k6,
        "k11_starts": k11["K11s"],
        "k11_stops": k11["K11e"],
        "k11_corrections": corrections,
        "k10_clients": k10,
        "survey": answers,
    }
    return {kind: frames[kind] for kind in UNIT_KINDS}


def _scaling_units(
    state: DerivedState,
    trajectories: Trajectories,
    products: pl.DataFrame,
    tariffs: pl.DataFrame,
    params: MemberParams,
) -> pl.DataFrame:
    """The af- and opschaling comparisons that can count (attributed to a trajectory, a
    direction), with the trajectory's aanbieder and gemeente as the figures attribute them."""
    scaling = ScalingParams(
        as_of=params.as_of, gap_days=params.gap_days, epsilon=params.scaling_epsilon
    )
    comparisons = scaling_comparisons(state, trajectories, products, tariffs, scaling)
    return (
        comparisons.filter(
            pl.col("trajectory_id").is_not_null() & pl.col("direction").is_in(["af", "op"])
        )
        .drop("aanbieder_agb")
        .rename({"traj_aanbieder_agb": "aanbieder_agb", "traj_gemeente": "gemeente"})
    )


def _k10oe_units(
    state: DerivedState, trajectories: Trajectories, tariffs: pl.DataFrame
) -> pl.DataFrame:
    """The declared ProductPerioden of K10oe with the referentiegroep the figure uses and, to
    link to, a trajectory of that toewijzing in that referentiegroep."""
    lines = _with_referentiegroep(k10oe_lines(state, tariffs), trajectories)
    linked = (
        trajectories.toewijzing_links.select(*TW_KEY, "trajectory_id")
        .join(
            trajectories.trajectories.select("trajectory_id", "referentiegroep"),
            on="trajectory_id",
            how="inner",
        )
        .sort([*TW_KEY, "referentiegroep", "trajectory_id"])
        .unique([*TW_KEY, "referentiegroep"], keep="first", maintain_order=True)
    )
    return lines.join(linked, on=[*TW_KEY, "referentiegroep"], how="left").select(
        "aanbieder_agb",
        *TW_KEY,
        "client_key",
        "trajectory_id",
        "referentiegroep",
        "productcode",
        "periode_begin",
        "periode_eind",
        "netto",
        "euro_per_week",
        "valid_begin",
        "valid_end",
    )


# --- members of one figure -------------------------------------------------------------------------


def is_traceable(kpi: str) -> bool:
    try:
        units_needed(kpi)
    except UnsupportedFigure:
        return False
    return True


def units_needed(kpi: str) -> tuple[str, ...]:
    """The unit frames :func:`members` reads for ``kpi``."""
    if kpi in NOT_TRACEABLE:
        raise UnsupportedFigure(kpi)
    if kpi in ("K6", "K6m", "K6p"):
        return ("k6",)
    if kpi in ("K11s", "K11l"):
        return ("k11_starts",)
    if kpi == "K11e":
        return ("k11_stops",)
    if kpi == "K11c":
        return ("k11_corrections",)
    if kpi == "K10":
        return ("k10_clients",)
    if kpi == "K10w":
        return ("k10_clients", "trajectories")
    if kpi in ("K13", "K13p"):
        return ("survey",)
    if kpi in ("K3", "K4"):
        return ("scaling", "trajectories")
    if kpi == "K10oe":
        return ("k10oe_lines",)
    if kpi in _TRAJECTORY_BUILDERS or kpi.startswith("K12-"):
        return ("trajectories",)
    raise UnsupportedFigure(kpi)


def members(
    units: Mapping[str, pl.DataFrame], key: FigureKey, params: MemberParams
) -> pl.DataFrame:
    """The members of figure ``key`` (``MEMBER_SCHEMA``), sorted by date and identity.

    ``units`` may hold the whole run or only the figure's aanbieder (as stored per run).
    Raises :class:`UnsupportedFigure` for a code without a member definition.
    """
    needed = units_needed(key.kpi)
    if is_month_label(key.period):
        with month_periods():
            frame = _members(units, key, params, needed)
    else:
        frame = _members(units, key, params, needed)
    return frame.select([pl.col(c).cast(t) for c, t in MEMBER_SCHEMA.items()]).sort(
        ["date", "unit", "client_key", "trajectory_id", "toewijzing_nummer", "measure"],
        nulls_last=True,
    )


def _members(
    units: Mapping[str, pl.DataFrame],
    key: FigureKey,
    params: MemberParams,
    needed: tuple[str, ...],
) -> pl.DataFrame:
    frames = {kind: _scope(units[kind], key) for kind in needed}
    code = key.kpi
    if code.startswith("K12-"):
        return _k12(frames["trajectories"], key, params)
    if code in _TRAJECTORY_BUILDERS:
        return _TRAJECTORY_BUILDERS[code](frames["trajectories"], key, params)
    if code in ("K6", "K6m", "K6p"):
        return _k6(frames["k6"], key)
    if code in ("K11s", "K11l"):
        return _k11_starts(frames["k11_starts"], key)
    if code == "K11e":
        return _k11_stops(frames["k11_stops"], key)
    if code == "K11c":
        return _k11_corrections(frames["k11_corrections"], key)
    if code in ("K10", "K10w"):
        return _k10(frames, key, params)
    if code in ("K3", "K4"):
        return _k3_k4(frames, key, params)
    if code == "K10oe":
        return _k10oe(frames["k10oe_lines"], key)
    return _k13(frames["survey"], key)


def _scope(frame: pl.DataFrame, key: FigureKey) -> pl.DataFrame:
    """Rows of the figure's aanbieder (and gemeente unless ``regio``)."""
    condition = pl.col("aanbieder_agb") == key.aanbieder_agb
    if key.gemeente != "regio" and "gemeente" in frame.columns:
        condition = condition & (pl.col("gemeente") == key.gemeente)
    return frame.filter(condition)


def _in_period(frame: pl.DataFrame, date_column: str, key: FigureKey) -> pl.DataFrame:
    """Rows whose ``date_column`` falls in the figure's period and referentiegroep, as the
    figures attribute events (``explode_periods``), with ``date`` set to that column."""
    return (
        explode_periods(frame.filter(pl.col("referentiegroep") == key.referentiegroep), date_column)
        .filter(pl.col("period") == key.period)
        .drop("period")
        .with_columns(pl.col(date_column).alias("date"))
    )


def _rows(frame: pl.DataFrame, unit: str, **columns: pl.Expr) -> pl.DataFrame:
    """Fill ``MEMBER_SCHEMA`` from ``frame``: given expressions, else same-named columns."""
    exprs = []
    for name, dtype in MEMBER_SCHEMA.items():
        if name in columns:
            exprs.append(columns[name].cast(dtype).alias(name))
        elif name == "unit":
            exprs.append(pl.lit(unit, pl.Utf8).alias(name))
        elif name == "weight":
            exprs.append(pl.lit(1, pl.Int64).alias(name))
        elif name in frame.columns:
            exprs.append(pl.col(name).cast(dtype).alias(name))
        else:
            exprs.append(pl.lit(None, dtype).alias(name))
    return frame.select(exprs)


_TRUE, _FALSE = pl.lit(True), pl.lit(False)


def _trajectory_rows(frame: pl.DataFrame, **columns: pl.Expr) -> pl.DataFrame:
    defaults = {"reason": pl.col("end_reason"), "detail": pl.col("end_kind")}
    return _rows(frame, "traject", **{**defaults, **columns})


# Trajectory figures -----------------------------------------------------------------------------


def _k1(trajectories: pl.DataFrame, key: FigureKey, params: MemberParams) -> pl.DataFrame:
    started = _in_period(trajectories.filter(pl.col("start") <= params.as_of), "start", key)
    if key.kpi in K1_KINDS:
        started = started.filter(pl.col("instroom_kind") == K1_KINDS[key.kpi])
    return _trajectory_rows(
        started, reason=pl.col("instroom_kind"), in_numerator=_TRUE, in_denominator=_FALSE
    )


def _k2(trajectories: pl.DataFrame, key: FigureKey, params: MemberParams) -> pl.DataFrame:
    ends = _in_period(definitive_ends(trajectories, params.as_of), "end", key).with_columns(
        reason_group_expr().alias("reason_group")
    )
    if key.kpi != "K2":
        ends = ends.filter(pl.col("reason_group") == key.kpi)
    return _trajectory_rows(ends, in_numerator=_TRUE, in_denominator=_FALSE)


def _spans(trajectories: pl.DataFrame, key: FigureKey, params: MemberParams) -> pl.DataFrame:
    spans = active_spans(
        trajectories.filter(pl.col("referentiegroep") == key.referentiegroep), params.as_of
    )
    return spans.filter(pl.col("period") == key.period)


def _k2_active(trajectories: pl.DataFrame, key: FigureKey, params: MemberParams) -> pl.DataFrame:
    spans = _spans(trajectories, key, params)
    if key.kpi == "K2s":
        spans = spans.filter(pl.col("in_stand"))
    return _trajectory_rows(spans, date=pl.col("start"), in_numerator=_TRUE, in_denominator=_FALSE)


def _k2_rate(trajectories: pl.DataFrame, key: FigureKey, params: MemberParams) -> pl.DataFrame:
    ended = (
        _in_period(definitive_ends(trajectories, params.as_of), "end", key)
        .select("trajectory_id")
        .with_columns(_TRUE.alias("ended"))
    )
    spans = _spans(trajectories, key, params).join(ended, on="trajectory_id", how="left")
    return _trajectory_rows(
        spans,
        date=pl.col("start"),
        in_numerator=pl.col("ended").fill_null(False),
        in_denominator=_TRUE,
    )


def _k5(trajectories: pl.DataFrame, key: FigureKey, params: MemberParams) -> pl.DataFrame:
    ended = _in_period(k5_units(trajectories, params.figure_params()), "end", key)
    measure = pl.col("net_days") if key.kpi == "K5n" else pl.col("days")
    flags = (_FALSE, _TRUE) if key.kpi == "K5m" else (_TRUE, _TRUE)
    return _trajectory_rows(ended, measure=measure, in_numerator=flags[0], in_denominator=flags[1])


def _k5km(trajectories: pl.DataFrame, key: FigureKey, params: MemberParams) -> pl.DataFrame:
    cohort = trajectories.filter(
        (pl.col("referentiegroep") == key.referentiegroep) & (pl.col("start") <= params.as_of)
    )
    durations = km_durations(cohort, params.as_of)  # same rows, same order (start ≤ as_of)
    rows = cohort.with_columns(
        durations["period"], durations["duration"], durations["event"]
    ).filter(pl.col("period") == key.period)
    return _trajectory_rows(
        rows,
        date=pl.col("start"),
        detail=pl.when(pl.col("event"))
        .then(pl.lit("geëindigd"))
        .otherwise(pl.lit("gecensureerd op de peildatum")),
        measure=pl.col("duration"),
        in_numerator=pl.col("event"),
        in_denominator=_TRUE,
    )


def _k7(trajectories: pl.DataFrame, key: FigureKey, params: MemberParams) -> pl.DataFrame:
    if "opening_first_einddatum" not in trajectories.columns:
        return _trajectory_rows(trajectories.clear())
    ended = _in_period(k7_units(trajectories, params.figure_params()), "end", key)
    hit = {"K7": _FALSE, "K7v": pl.col("ratio") > 1, "K7e": pl.col("ratio") < 0.5}[key.kpi]
    return _trajectory_rows(ended, measure=pl.col("ratio"), in_numerator=hit, in_denominator=_TRUE)


def _k8(trajectories: pl.DataFrame, key: FigureKey, params: MemberParams) -> pl.DataFrame:
    ends = _in_period(
        k8_units(trajectories, params.figure_params()).filter(
            pl.col("end_reason").is_in(GOAL_REASONS)
        ),
        "end",
        key,
    )
    return _trajectory_rows(
        ends,
        in_numerator=pl.col("end_reason").is_in(K8_HIT_REASONS[key.kpi]),
        in_denominator=_TRUE,
    )


def _k9(trajectories: pl.DataFrame, key: FigureKey, params: MemberParams) -> pl.DataFrame:
    window_code = K9_CODES[key.kpi]
    window = k9_windows(params.figure_params())[window_code]
    cohort = trajectories.filter(pl.col("k9_cohort"))
    if not k9_period_complete(key.period, window, params.as_of):
        cohort = cohort.clear()
    returned = pl.col(f"returned_{window_code}")
    rows = _in_period(cohort, "end", key)
    return _trajectory_rows(
        rows,
        detail=pl.when(returned)
        .then(pl.lit("teruggekeerd"))
        .otherwise(pl.lit("niet teruggekeerd")),
        in_numerator=~returned if key.kpi == "K9d" else returned,
        in_denominator=_TRUE,
    )


def _k11_trajectories(
    trajectories: pl.DataFrame, key: FigureKey, params: MemberParams
) -> pl.DataFrame:
    if key.kpi == "K11ms":
        rows = _in_period(trajectories.filter(pl.col("start") <= params.as_of), "start", key)
        missing = pl.col("start_afgeleid").fill_null(False)
        detail = pl.when(missing).then(pl.lit("start afgeleid")).otherwise(pl.lit("startbericht"))
    else:
        rows = _in_period(definitive_ends(trajectories, params.as_of), "end", key)
        missing = pl.col("end_kind") == "vermoedelijk"
        detail = pl.col("end_kind")
    return _trajectory_rows(rows, detail=detail, in_numerator=missing, in_denominator=_TRUE)


def _k12(trajectories: pl.DataFrame, key: FigureKey, params: MemberParams) -> pl.DataFrame:
    reason = key.kpi.removeprefix("K12-")
    ends = _in_period(definitive_ends(trajectories, params.as_of), "end", key).with_columns(
        k12_reason_expr().alias("k12_reason")
    )
    return _trajectory_rows(ends, in_numerator=pl.col("k12_reason") == reason, in_denominator=_TRUE)


_TrajectoryBuilder = Callable[[pl.DataFrame, FigureKey, MemberParams], pl.DataFrame]
_TRAJECTORY_BUILDERS: dict[str, _TrajectoryBuilder] = {
    "K1": _k1,
    **{code: _k1 for code in K1_KINDS},
    "K2": _k2,
    **{code: _k2 for code in K2_GROUPS},
    "K2a": _k2_active,
    "K2s": _k2_active,
    "K2r": _k2_rate,
    "K5": _k5,
    "K5m": _k5,
    "K5n": _k5,
    "K5km": _k5km,
    "K7": _k7,
    "K7v": _k7,
    "K7e": _k7,
    "K8": _k8,
    "K8u": _k8,
    **{code: _k9 for code in K9_CODES},
    "K11ms": _k11_trajectories,
    "K11me": _k11_trajectories,
}


# Process figures ----------------------------------------------------------------------------------


def _k6(cohort: pl.DataFrame, key: FigureKey) -> pl.DataFrame:
    rows = _in_period(cohort, "anchor", key)
    started = pl.col("start").is_not_null()
    detail = (
        pl.when(~started)
        .then(pl.lit("niet gestart"))
        .when(pl.col("terugwerkende_kracht"))
        .then(pl.lit("terugwerkende kracht"))
        .otherwise(pl.lit("gestart"))
    )
    if key.kpi == "K6":
        flags = {"in_numerator": pl.col("within"), "in_denominator": _TRUE}
    else:  # median / P90 over started toewijzingen (a wait is known)
        rows = rows.filter(pl.col("wait").is_not_null())
        flags = {"in_numerator": _FALSE, "in_denominator": _TRUE}
    return _rows(
        rows,
        "toewijzing",
        end=pl.col("deadline"),
        reason=pl.col("norm_unit"),
        detail=detail,
        measure=pl.col("wait"),
        **flags,
    )


def _k11_starts(starts: pl.DataFrame, key: FigureKey) -> pl.DataFrame:
    rows = _in_period(starts, "reference", key)
    flags = (
        {"in_numerator": pl.col("on_time"), "in_denominator": _TRUE}
        if key.kpi == "K11s"
        else {"in_numerator": _FALSE, "in_denominator": pl.col("lead").is_not_null()}
    )
    return _rows(
        rows,
        "startbericht",
        start=pl.col("begindatum"),
        end=pl.col("start_dagtekening"),
        detail=pl.when(pl.col("on_time")).then(pl.lit("op tijd")).otherwise(pl.lit("te laat")),
        measure=pl.col("lead"),
        **flags,
    )


def _k11_stops(stops: pl.DataFrame, key: FigureKey) -> pl.DataFrame:
    rows = _in_period(stops, "definitief_einddatum", key)
    return _rows(
        rows,
        "stopbericht",
        start=pl.col("begindatum"),
        end=pl.col("stop_dagtekening"),
        reason=pl.col("definitief_reden"),
        detail=pl.when(pl.col("on_time")).then(pl.lit("op tijd")).otherwise(pl.lit("te laat")),
        in_numerator=pl.col("on_time"),
        in_denominator=_TRUE,
    )


def _k11_corrections(rows: pl.DataFrame, key: FigureKey) -> pl.DataFrame:
    rows = _in_period(rows, "begindatum", key)
    return _rows(
        rows,
        "aanlevering",
        start=pl.col("begindatum"),
        detail=pl.when(pl.col("deleted")).then(pl.lit("later verwijderd")).otherwise(pl.lit("")),
        in_numerator=pl.col("deleted"),
        in_denominator=_TRUE,
    )


def _k10(frames: Mapping[str, pl.DataFrame], key: FigureKey, params: MemberParams) -> pl.DataFrame:
    amounts = frames["k10_clients"].filter(
        (pl.col("referentiegroep") == key.referentiegroep) & (pl.col("period") == key.period)
    )
    per_client = amounts.group_by("client_key").agg(
        pl.col("euro").sum(), pl.col("lines").sum(), pl.col("gemeente").min()
    )
    start = period_bounds(key.period)[0]
    clients = _rows(
        per_client,
        "client",
        gemeente=pl.lit(None, pl.Utf8) if key.gemeente == "regio" else pl.col("gemeente"),
        referentiegroep=pl.lit(key.referentiegroep),
        date=pl.lit(start, pl.Date),
        detail=pl.col("lines").cast(pl.Utf8) + pl.lit(" declaratieregel(s)"),
        measure=pl.col("euro"),
        in_numerator=_TRUE,
        in_denominator=pl.lit(key.kpi == "K10") & (pl.col("euro") > 0),
    )
    if key.kpi == "K10":
        return clients
    trajectories = frames["trajectories"].filter(pl.col("referentiegroep") == key.referentiegroep)
    spans = care_spans(trajectories, start, params.process_params()).filter(
        pl.col("period") == key.period
    )
    care = _trajectory_rows(
        spans,
        date=pl.col("start"),
        measure=pl.col("days") / params.days_per_period_unit,
        in_numerator=_FALSE,
        in_denominator=_TRUE,
    )
    if care.is_empty():  # K10w exists only where care days exist
        return care
    return pl.concat([clients, care])


_DIRECTIONS = {"K3": ("af", "afschaling"), "K4": ("op", "opschaling")}


def _k3_k4(
    frames: Mapping[str, pl.DataFrame], key: FigureKey, params: MemberParams
) -> pl.DataFrame:
    direction, label = _DIRECTIONS[key.kpi]
    trajectories = frames["trajectories"]
    active = _trajectory_rows(
        _spans(trajectories, key, params),
        date=pl.col("start"),
        in_numerator=_FALSE,
        in_denominator=_TRUE,
    )
    comparisons = frames["scaling"]
    if "event_date" not in comparisons.columns:  # no comparison in the whole region
        return active
    events = _in_period(comparisons.filter(pl.col("direction") == direction), "event_date", key)
    source = (
        pl.when(pl.col("source") == "versie")
        .then(pl.lit("nieuwe versie ") + pl.col("b_version_seq").cast(pl.Utf8))
        .otherwise(pl.lit("opvolger van toewijzing ") + pl.col("a_nummer").cast(pl.Utf8))
    )
    scale = pl.when(pl.col("scale") == "uren").then(pl.lit(", in uren")).otherwise(pl.lit(""))
    excluded = (
        pl.when(pl.col("excluded"))
        .then(pl.lit("; administratieve wijziging, telt niet"))
        .otherwise(pl.lit(""))
    )
    rows = _rows(
        events,
        "wijziging",
        toewijzing_nummer=pl.col("b_nummer"),
        reason=pl.lit(label),
        detail=source + scale + excluded,
        measure=100 * (pl.col("intensity_b") / pl.col("intensity_a") - 1),
        in_numerator=~pl.col("excluded"),
        in_denominator=_FALSE,
    )
    return pl.concat([rows, active])


def _k10oe(lines: pl.DataFrame, key: FigureKey) -> pl.DataFrame:
    """Lines overlapping the period: observed euros pro rata by days (as K10), expected euros
    over the days within the toewijzing's validity (``figures_cost.k10_observed_expected``)."""
    first, last = period_bounds(key.period)

    def overlap(begin: str, end: str) -> pl.Expr:
        return (
            pl.min_horizontal(pl.col(end), pl.lit(last, pl.Date))
            - pl.max_horizontal(pl.col(begin), pl.lit(first, pl.Date))
        ).dt.total_days() + 1

    span = (pl.col("periode_eind") - pl.col("periode_begin")).dt.total_days() + 1
    rows = (
        lines.filter(pl.col("referentiegroep") == key.referentiegroep)
        .with_columns(
            overlap("periode_begin", "periode_eind").alias("overlap"),
            overlap("valid_begin", "valid_end").clip(lower_bound=0).alias("valid_days"),
            span.alias("span"),
        )
        .filter(pl.col("overlap") > 0)
    )
    known = pl.col("euro_per_week").is_not_null()
    return _rows(
        rows,
        "declaratie",
        date=pl.col("periode_begin"),
        start=pl.col("periode_begin"),
        end=pl.col("periode_eind"),
        reason=pl.col("productcode"),
        detail=pl.when(known)
        .then(
            pl.col("overlap").cast(pl.Utf8)
            + pl.lit(" van ")
            + pl.col("span").cast(pl.Utf8)
            + pl.lit(" dagen in de periode")
        )
        .otherwise(pl.lit("verwachte kosten onbekend, telt niet")),
        measure=pl.col("netto") * pl.col("overlap") / pl.col("span") / 100,
        expected=pl.when(known).then(pl.col("euro_per_week") * pl.col("valid_days") / 7),
        in_numerator=known,
        in_denominator=known,
    )


def _k13(answers: pl.DataFrame, key: FigureKey) -> pl.DataFrame:
    """Counts per score; answers without a gemeente count for the region only (``_scope``)."""
    rows = (
        answers.filter((pl.col("period") == key.period) & (key.referentiegroep == "alle"))
        .group_by("score")
        .agg(pl.col("count").sum())
    )
    return _rows(
        rows,
        "antwoorden",
        referentiegroep=pl.lit(key.referentiegroep),
        gemeente=pl.lit(None if key.gemeente == "regio" else key.gemeente, pl.Utf8),
        detail=pl.lit("rapportcijfer ") + pl.col("score").cast(pl.Utf8),
        measure=pl.col("score").cast(pl.Float64),
        weight=pl.col("count"),
        in_numerator=_TRUE if key.kpi == "K13" else pl.col("score") >= 7,
        in_denominator=_TRUE,
    )


# --- back to the figure ----------------------------------------------------------------------------

_MEDIANS = {"K5m", "K6m", "K7", "K11l"}
_QUANTILES = {"K6p": 0.9}
_MEANS = {"K5", "K5n", "K10", "K13"}  # numerator = Σ measure of numerator members
_COUNTS = {"K1", *K1_KINDS, "K2", *K2_GROUPS, "K2a", "K2s"}
_PER_100 = {"K3", "K4"}  # value = 100 × numerator ÷ denominator
_HALF = 0.5 + 1e-12  # S(t) is a float product; an exact 0.5 counts as reached


def kaplan_meier_median(rows: pl.DataFrame) -> float | None:
    """The Kaplan–Meier median of ``measure`` (duration) over the denominator members, with
    ``in_numerator`` = event (else censored): the smallest event duration t with S(t) ≤ 0.5,
    S(t) = Π over event durations tᵢ ≤ t of (1 − dᵢ ÷ nᵢ), nᵢ = members with duration ≥ tᵢ.
    None while S stays above 0.5."""
    cohort = rows.filter(pl.col("in_denominator") & pl.col("measure").is_not_null())
    if cohort.is_empty():
        return None
    weight = pl.col("weight").cast(pl.Float64)
    size = float(cohort.select(weight.sum()).item())
    curve = (
        cohort.group_by("measure")
        .agg(
            weight.filter(pl.col("in_numerator")).sum().alias("d"),
            weight.sum().alias("leaving"),
        )
        .sort("measure")
        .with_columns((size - pl.col("leaving").cum_sum() + pl.col("leaving")).alias("at_risk"))
        .with_columns((1 - pl.col("d") / pl.col("at_risk")).cum_prod().alias("survival"))
    )
    reached = curve.filter((pl.col("d") > 0) & (pl.col("survival") <= _HALF))
    return None if reached.is_empty() else float(reached["measure"].min())  # type: ignore[arg-type]


def reproduce(rows: pl.DataFrame, kpi: str) -> tuple[float | None, float | None, float | None]:
    """(numerator, denominator, value) of figure ``kpi`` from its members, by the conventions
    of KPIS.md § Codes of the figures (counts, shares, rates, means, medians)."""
    weight = pl.col("weight").cast(pl.Float64)
    num = rows.filter(pl.col("in_numerator"))
    den = rows.filter(pl.col("in_denominator"))
    if kpi == "K5km":
        return None, None, kaplan_meier_median(rows)
    if kpi == "K10oe":
        observed = float(num.select(pl.col("measure").sum()).item() or 0)
        expected = float(den.select(pl.col("expected").sum()).item() or 0)
        return observed, expected, observed / expected if expected else None
    if kpi in _MEDIANS or kpi in _QUANTILES:
        values = den.filter(pl.col("measure").is_not_null())["measure"]
        if values.is_empty():
            return None, None, None
        stat = (
            values.median()
            if kpi in _MEDIANS
            else values.quantile(_QUANTILES[kpi], interpolation="linear")
        )
        return None, None, None if stat is None else float(stat)  # type: ignore[arg-type]
    if kpi in _COUNTS:
        count = float(num.select(weight.sum()).item() or 0)
        return count, None, count
    if kpi in _MEANS:
        numerator = float(num.select((pl.col("measure") * weight).sum()).item() or 0)
    else:
        numerator = float(num.select(weight.sum()).item() or 0)
    if kpi == "K10w":
        numerator = float(num.select(pl.col("measure").sum()).item() or 0)
        denominator = float(den.select(pl.col("measure").sum()).item() or 0)
    else:
        denominator = float(den.select(weight.sum()).item() or 0)
    value = numerator / denominator if denominator else None
    if kpi in _PER_100 and value is not None:
        value *= 100
    return numerator, denominator, value
