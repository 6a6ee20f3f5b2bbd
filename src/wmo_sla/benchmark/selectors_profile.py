# SPDX-License-Identifier: EUPL-1.2
"""Reads for the aanbieder-profiel and the provider portal (docs/web.md § Profiel en portaal).

The aanbieder's own figures are read through :func:`wmo_sla.benchmark.selectors.figures_for`
(so a provider user can only ever get its own rows) and withheld with ``value_hidden_for``
(n < 5 for providers). The reference group is the only read of other aanbieders' rows: it leaves
this module as anonymous aggregates only (:class:`Reference`), never as rows, names, AGB codes or
counts of peers, and is suppressed when it is too small:

- a peer value counts only with n ≥ 5 (:data:`SMALL_NUMBERS_HIDDEN_BELOW`);
- the median needs at least :data:`MIN_PEERS` (3) such peers, the quartiles
  :data:`MIN_PEERS_QUARTILES` (5): with three or four values the quartiles would give every
  single value away;
- K12's pooled shares need :data:`MIN_PEERS` peers with at least 5 definitive ends each.

The same rule applies to every role, so the contract manager sees what the provider sees.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

import polars as pl

from wmo_sla.contracts.models import Aanbieder, Gemeente, Referentiegroep
from wmo_sla.engine.figures_monthly import MONTHLY_CODES
from wmo_sla.engine.periods import is_month_label, period_bounds, period_kind
from wmo_sla.engine.spc import MIN_POINTS, SpcResult, spc_analysis
from wmo_sla.kpis.models import ComputationRun, Figure
from wmo_sla.kpis.registry import FIGURES, K12_REASONS, Unit
from wmo_sla.kpis.selectors import figures_of

from .selectors import (
    SMALL_NUMBERS_HIDDEN_BELOW,
    VISIBLE_FIGURE_FIELDS,
    ValueHiddenFor,
    VisibleFigure,
    figures_for,
)

MIN_PEERS = 3
MIN_PEERS_QUARTILES = 5
REGIO = "regio"

#: One figure per KPI in the trend section by default (K12 has its own chart, K11 its panel).
MAIN_CODES: tuple[str, ...] = tuple(
    code
    for code, f in FIGURES.items()
    if (code == f.kpi and code not in ("K11", "K12")) or code == "K11s"
)
ADMIN_CODES: tuple[str, ...] = ("K11s", "K11e", "K11ms", "K11me", "K11c", "K11l")
K12_CODES: tuple[str, ...] = (*(f"K12-{r}" for r in K12_REASONS), "K12-z")
#: Codes of the overview, the administratief-proces panel and the contract-compliance items.
PANEL_CODES: tuple[str, ...] = (*MAIN_CODES, *ADMIN_CODES, "K9", "K13", "K13p")
#: Codes that are counts: a month without a figure had none of those events (0) in the SPC series.
_COUNT_CODES = frozenset(code for code, f in FIGURES.items() if f.unit == Unit.COUNT)

_FIELDS = (*VISIBLE_FIGURE_FIELDS, "gemeente")


@dataclass(frozen=True)
class Reference:
    """The anonymous reference group of one KPI × period (None = suppressed)."""

    median: float | None = None
    q1: float | None = None
    q3: float | None = None

    @property
    def shown(self) -> bool:
        return self.median is not None


@dataclass
class FigureView(VisibleFigure):
    """One own figure as the page may show it to this user, with its reference group."""

    reference: Reference = field(default_factory=Reference)
    figure: Figure | None = None  # the stored row, for links (drill-down, toelichting)


@dataclass
class TrendRow:
    period: str
    figure: FigureView | None
    reference: Reference


@dataclass
class Trend:
    code: str
    name: str
    rows: list[TrendRow]

    @property
    def has_values(self) -> bool:
        return any(r.figure is not None and not r.figure.hidden for r in self.rows)


@dataclass
class SpcSeries:
    code: str
    name: str
    labels: list[str]
    values: list[float]
    points_needed: int
    result: SpcResult | None
    left_out: int  # months withheld from this user (n < 5)
    norm: float | None


@dataclass
class K12Bar:
    reason: str
    own: float | None
    own_count: int | None
    reference: float | None


@dataclass
class Profile:
    aanbieder: Aanbieder
    run: ComputationRun | None
    referentiegroep: str
    gemeente: str
    period: str
    periods: list[str]
    referentiegroepen: list[tuple[str, str]]
    gemeenten: list[tuple[str, str]]
    overview: list[FigureView]
    trends: list[Trend]
    spc: list[SpcSeries]
    k12: list[K12Bar]
    k12_total: int | None
    k12_hidden: bool
    admin: list[FigureView]
    codes: list[str]
    extra: dict[str, Any] = field(default_factory=dict)


# --- options -------------------------------------------------------------------------------------


def _agb_codes(aanbieder: Aanbieder) -> list[str]:
    return [c.code for c in aanbieder.agb_codes.all()]


def _own(user: Any, run: ComputationRun | None, aanbieder: Aanbieder) -> Any:
    # The AGB filter is redundant with the aanbieder but lets the database use the
    # (run, aanbieder_agb, period) index: figures carry the aanbieder's first AGB code.
    return figures_for(user=user, run=run).filter(
        aanbieder=aanbieder, aanbieder_agb__in=_agb_codes(aanbieder)
    )


Choices = tuple[list[tuple[str, str]], list[tuple[str, str]]]


def profile_choices(*, user: Any, run: ComputationRun | None, aanbieder: Aanbieder) -> Choices:
    """(referentiegroepen, gemeenten) in which this aanbieder has figures, as (code, label);
    the referentiegroepen with the most region figures first (the first is the default)."""
    counts = (
        _own(user, run, aanbieder)
        .values("referentiegroep", "gemeente")
        .annotate(figures=Count("id"))
        .order_by()
    )
    pairs = {(row["referentiegroep"], row["gemeente"]): row["figures"] for row in counts}
    regio = {group: count for (group, gemeente), count in pairs.items() if gemeente == REGIO}
    groups = sorted({group for group, _gemeente in pairs}, key=lambda g: (-regio.get(g, 0), g))
    names = dict(Referentiegroep.objects.filter(code__in=groups).values_list("code", "name"))
    gemeenten = sorted({gemeente for _group, gemeente in pairs} - {REGIO})
    gemeente_names = dict(
        Gemeente.objects.filter(cbs_code__in=gemeenten).values_list("cbs_code", "name")
    )
    return (
        [(g, f"{names[g]} ({g})" if g in names else g) for g in groups],
        [(REGIO, "Hele regio")] + [(g, f"{gemeente_names.get(g, g)} ({g})") for g in gemeenten],
    )


def default_referentiegroep(choices: Choices) -> str | None:
    """The referentiegroep with the most region figures of this aanbieder (ties: by code)."""
    return choices[0][0][0] if choices[0] else None


def _sort_key(period: str) -> tuple[int, int, int]:
    start, end = period_bounds(period)
    return (start.toordinal(), -end.toordinal(), 0)


def sorted_periods(periods: Iterable[str]) -> list[str]:
    return sorted(set(periods), key=_sort_key)


# --- the profile ---------------------------------------------------------------------------------


def reference_stats(
    *,
    run: ComputationRun,
    aanbieder: Aanbieder,
    referentiegroep: str,
    gemeente: str,
    codes: Iterable[str],
    periods: Iterable[str],
) -> dict[tuple[str, str], Reference]:
    """Anonymous median/quartiles of the *other* aanbieders per (kpi, period); see module doc."""
    rows = list(
        figures_of(run=run)
        .filter(
            referentiegroep=referentiegroep,
            gemeente=gemeente,
            kpi__in=list(codes),
            period__in=list(periods),
            n__gte=SMALL_NUMBERS_HIDDEN_BELOW,
            value__isnull=False,
        )
        .exclude(aanbieder_agb__in=_agb_codes(aanbieder))
        .exclude(aanbieder=aanbieder)
        .values_list("kpi", "period", "value")
    )
    if not rows:
        return {}
    frame = pl.DataFrame(
        rows, schema={"kpi": pl.Utf8, "period": pl.Utf8, "value": pl.Float64}, orient="row"
    )
    stats = frame.group_by("kpi", "period").agg(
        pl.len().alias("peers"),
        pl.col("value").median().alias("median"),
        pl.col("value").quantile(0.25, interpolation="linear").alias("q1"),
        pl.col("value").quantile(0.75, interpolation="linear").alias("q3"),
    )
    result: dict[tuple[str, str], Reference] = {}
    for row in stats.iter_rows(named=True):
        if row["peers"] < MIN_PEERS:
            continue
        quartiles = row["peers"] >= MIN_PEERS_QUARTILES
        result[(row["kpi"], row["period"])] = Reference(
            median=row["median"],
            q1=row["q1"] if quartiles else None,
            q3=row["q3"] if quartiles else None,
        )
    return result


def k12_reference(
    *, run: ComputationRun, aanbieder: Aanbieder, referentiegroep: str, gemeente: str, period: str
) -> dict[str, float]:
    """Pooled K12 shares of the other aanbieders (Σ ends with the reason ÷ Σ ends)."""
    rows = list(
        figures_of(run=run)
        .filter(
            referentiegroep=referentiegroep,
            gemeente=gemeente,
            period=period,
            kpi__startswith="K12-",
            n__gte=SMALL_NUMBERS_HIDDEN_BELOW,
        )
        .exclude(aanbieder_agb__in=_agb_codes(aanbieder))
        .exclude(aanbieder=aanbieder)
        .values_list("aanbieder_agb", "kpi", "numerator", "denominator")
    )
    totals: dict[str, float] = {}
    counts: dict[str, float] = defaultdict(float)
    for agb, kpi, numerator, denominator in rows:
        totals[agb] = float(denominator or 0)
        counts[kpi] += float(numerator or 0)
    if len(totals) < MIN_PEERS:
        return {}
    total = sum(totals.values())
    return {kpi: count / total for kpi, count in counts.items()} if total else {}


def _month_labels(first: str, last: dt.date) -> list[str]:
    start, _ = period_bounds(first)
    labels = []
    year, month = start.year, start.month
    while (year, month) <= (last.year, last.month):
        labels.append(f"{year}M{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def _spc_series(
    hidden_for: ValueHiddenFor, run: ComputationRun, rows: list[dict[str, Any]], code: str
) -> SpcSeries:
    """The monthly series of ``code`` as this user may see it, and its SPC analysis."""
    by_period = {r["period"]: r for r in rows if r["kpi"] == code}
    labels: list[str] = []
    values: list[float] = []
    left_out = 0
    if by_period:
        months = sorted_periods(by_period)
        if code in _COUNT_CODES:
            months = _month_labels(months[0], run.as_of)
        for label in months:
            row = by_period.get(label)
            if row is None:
                labels.append(label)
                values.append(0.0)
                continue
            if hidden_for(row["n"]) or row["value"] is None:
                left_out += 1
                continue
            labels.append(label)
            values.append(row["value"])
    norm = next((r["norm"] for r in by_period.values() if r["norm"] is not None), None)
    return SpcSeries(
        code=code,
        name=FIGURES[code].name_nl,
        labels=labels,
        values=values,
        points_needed=MIN_POINTS,
        result=spc_analysis(labels, values),
        left_out=left_out,
        norm=norm,
    )


def profile_for(
    *,
    user: Any,
    run: ComputationRun | None,
    aanbieder: Aanbieder,
    referentiegroep: str,
    gemeente: str,
    period: str | None,
    codes: list[str],
    choices: Choices | None = None,
) -> Profile:
    """Everything the profile page shows, scoped to ``user`` (``choices``: from
    :func:`profile_choices`, when the caller already has them)."""
    choices = choices or profile_choices(user=user, run=run, aanbieder=aanbieder)
    hidden_for = ValueHiddenFor(user)
    own_rows: list[dict[str, Any]] = []
    month_rows: list[dict[str, Any]] = []
    if run is not None:
        own = _own(user, run, aanbieder).filter(
            referentiegroep=referentiegroep,
            gemeente__in={gemeente, REGIO},
            kpi__in={*codes, *PANEL_CODES, *K12_CODES, *MONTHLY_CODES},
        )
        for row in own.values(*_FIELDS):
            if is_month_label(row["period"]):
                if row["gemeente"] == REGIO and row["kpi"] in MONTHLY_CODES:
                    month_rows.append(row)
            elif row["gemeente"] == gemeente:
                own_rows.append(row)
    periods = sorted_periods(r["period"] for r in own_rows)
    quarters = [p for p in periods if period_kind(p) == "Q"]
    if period not in periods:
        period = quarters[-1] if quarters else (periods[-1] if periods else "")
    trend_codes = list(dict.fromkeys([*codes]))
    panel_codes = PANEL_CODES
    reference: dict[tuple[str, str], Reference] = {}
    if run is not None:
        # Two narrow reads instead of one wide one: the trend codes over the quarters, and the
        # panel codes in the chosen period (the (run, period, kpi) index is used for both).
        reference = reference_stats(
            run=run,
            aanbieder=aanbieder,
            referentiegroep=referentiegroep,
            gemeente=gemeente,
            codes=trend_codes,
            periods=quarters,
        )
        reference.update(
            reference_stats(
                run=run,
                aanbieder=aanbieder,
                referentiegroep=referentiegroep,
                gemeente=gemeente,
                codes=panel_codes,
                periods=[period],
            )
        )
    own_index = {(r["kpi"], r["period"]): r for r in own_rows}

    def view_of(code: str, label: str) -> FigureView | None:
        row = own_index.get((code, label))
        if row is None:
            return None
        figure = FigureView.of(row, hidden=hidden_for(row["n"]))
        figure.reference = reference.get((code, label), Reference())
        return figure

    trends = [
        Trend(
            code=code,
            name=FIGURES[code].name_nl,
            rows=[
                TrendRow(q, view_of(code, q), reference.get((code, q), Reference()))
                for q in quarters
            ],
        )
        for code in trend_codes
        if any((code, q) in own_index for q in quarters)
    ]
    missing_codes = [t for t in trend_codes if t not in {trend.code for trend in trends}]
    overview = [f for f in (view_of(code, period) for code in MAIN_CODES) if f is not None]
    admin = [f for f in (view_of(code, period) for code in ADMIN_CODES) if f is not None]
    k12_own = {code: view_of(code, period) for code in K12_CODES}
    k12_ref = (
        k12_reference(
            run=run,
            aanbieder=aanbieder,
            referentiegroep=referentiegroep,
            gemeente=gemeente,
            period=period,
        )
        if run is not None and period
        else {}
    )
    present = [f for f in k12_own.values() if f is not None]
    k12_hidden = any(f.hidden for f in present)
    k12_total = int(present[0].n) if present and not k12_hidden else None
    k12 = [
        K12Bar(
            reason=code.removeprefix("K12-"),
            own=None if (f := k12_own[code]) is None else f.value,
            own_count=None if f is None or f.numerator is None else int(f.numerator),
            reference=k12_ref.get(code),
        )
        for code in K12_CODES
        if k12_own[code] is not None or code in k12_ref
    ]
    for bar in k12:  # a reason absent from a shown distribution has share 0
        if k12_total is not None and bar.own is None:
            bar.own, bar.own_count = 0.0, 0
        if k12_ref and bar.reference is None:
            bar.reference = 0.0
    spc = (
        [_spc_series(hidden_for, run, month_rows, code) for code in MONTHLY_CODES]
        if run is not None
        else []
    )
    return Profile(
        aanbieder=aanbieder,
        run=run,
        referentiegroep=referentiegroep,
        gemeente=gemeente,
        period=period,
        periods=periods,
        referentiegroepen=choices[0],
        gemeenten=choices[1],
        overview=overview,
        trends=trends,
        spc=spc,
        k12=k12,
        k12_total=k12_total,
        k12_hidden=k12_hidden,
        admin=admin,
        codes=trend_codes,
        extra={
            "missing_codes": missing_codes,
            "compliance": {
                c: view_of(c, period) for c in ("K6", "K8", "K9", "K11s", "K11e", "K13")
            },
        },
    )


def attach_figure_rows(*, user: Any, run: ComputationRun | None, views: list[FigureView]) -> None:
    """Give each view its stored Figure row (read through ``figures_for``, so scoped)."""
    ids = [v.figure_id for v in views if v.figure_id is not None]
    rows = figures_for(user=user, run=run).in_bulk(ids) if ids else {}
    for view in views:
        view.figure = rows.get(view.figure_id) if view.figure_id is not None else None
