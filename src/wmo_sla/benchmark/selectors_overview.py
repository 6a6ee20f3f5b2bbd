# SPDX-License-Identifier: EUPL-1.2
"""Reads for the overzicht (aanbieders × KPIs), its exports and the funnel plot per KPI.

Every figure is read through :func:`wmo_sla.benchmark.selectors.figures_for`, so the scoping
rule lives in one place; these pages are for ``VIEW_BENCHMARK`` (municipality) only.

No rankings (KPIS.md § Norms and signals): rows are sorted by aanbieder name unless the user asks
for a column; there are never rank numbers, and a sort by value is just that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from wmo_sla.contracts.models import Aanbieder, Contract, Gemeente, Referentiegroep
from wmo_sla.engine.funnel_curves import (
    CurvePoint,
    ProportionFunnel,
    counts_from_figures,
    curve_ns,
    limit_curve,
    proportion_funnel,
)
from wmo_sla.kpis.models import ComputationRun, Figure
from wmo_sla.kpis.registry import FIGURES, K12_REASONS, KPIS, Unit

from .selectors import VISIBLE_FIGURE_FIELDS, ValueHiddenFor, VisibleFigure, figures_for

REGIO = "regio"

#: The figure code shown by default for each KPI (KPIS.md § Codes); the user can add variants.
DEFAULT_CODES: tuple[str, ...] = (
    "K1",
    "K2",
    "K3",
    "K4",
    "K5",
    "K6",
    "K7",
    "K8",
    "K9",
    "K10",
    "K11s",
    "K13",
)

_QUARTER = re.compile(r"^\d{4}Q[1-4]$")
_SORT = re.compile(r"^(?P<code>[A-Za-z0-9-]+?)(?::(?P<what>n))?$")


def figure_codes_in_order() -> list[str]:
    """All figure codes, grouped per KPI in the registry's order (for the KPI chooser)."""
    order = {code: index for index, code in enumerate(KPIS)}
    reasons = {f"K12-{r}": i for i, r in enumerate(K12_REASONS)}
    return sorted(
        FIGURES,
        key=lambda c: (order.get(FIGURES[c].kpi, 99), c != FIGURES[c].kpi, reasons.get(c, -1), c),
    )


def periods_of(run: ComputationRun | None) -> list[str]:
    """The periods that have figures in ``run``, newest first (years, halves, quarters).

    A completed run never changes, so the list is cached per run (a scan of all its figures
    costs tens of milliseconds at region scale).
    """
    if run is None:
        return []
    cache_key = f"benchmark:periods:{run.pk}:{run.created_at.isoformat()}:{run.figure_count}"
    cached = cache.get(cache_key)
    if cached is None:
        cached = sorted(
            Figure.objects.filter(run=run).values_list("period", flat=True).distinct().order_by()
        )
        cache.set(cache_key, cached, 24 * 3600)
    periods = set(cached)

    def key(label: str) -> tuple[int, int, int]:
        year = int(label[:4])
        if len(label) == 4:
            return (year, 9, 0)
        kind = label[4]
        number = int(label[5:])
        return (year, {"Q": 1, "H": 2, "M": 0}.get(kind, 0), number)

    return sorted((p for p in periods if "M" not in p), key=key, reverse=True)


def default_period(periods: list[str]) -> str | None:
    """The latest quarter with figures (else the newest period there is)."""
    quarters = [p for p in periods if _QUARTER.match(p)]
    if quarters:
        return max(quarters)
    return periods[0] if periods else None


def contracts_all() -> QuerySet[Contract]:
    return Contract.objects.order_by("code")


def referentiegroepen_of(contract: Contract) -> list[Referentiegroep]:
    """The referentiegroepen of the contract's products."""
    return list(
        Referentiegroep.objects.filter(products__contract=contract).distinct().order_by("code")
    )


def gemeenten_of(contract: Contract) -> list[Gemeente]:
    return list(contract.gemeenten.order_by("name"))


@dataclass(frozen=True)
class Selection:
    """What the user chose (all validated): one period, contract, referentiegroep, gemeente."""

    period: str
    contract: Contract
    referentiegroep: str
    gemeente: str
    codes: tuple[str, ...] = DEFAULT_CODES
    sort: str = "aanbieder"  # "aanbieder", "<code>" (value) or "<code>:n"
    descending: bool = False


#: A cell of the overzicht or the funnel table: the figure as this user may see it.
Cell = VisibleFigure


@dataclass
class Row:
    aanbieder_id: int
    aanbieder: str
    agb: str
    cells: list[Cell | None]


@dataclass
class Overview:
    selection: Selection
    rows: list[Row]
    without_figures: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)


def parse_sort(sort: str, codes: tuple[str, ...]) -> tuple[str, str]:
    """``"K8"`` → ("K8", "value"), ``"K8:n"`` → ("K8", "n"); anything else → by aanbieder."""
    match = _SORT.match(sort or "")
    if match and match.group("code") in codes:
        return match.group("code"), "n" if match.group("what") else "value"
    return "aanbieder", ""


def _figures(user: Any, run: ComputationRun | None, selection: Selection) -> QuerySet[Figure]:
    return figures_for(user=user, run=run).filter(
        period=selection.period,
        referentiegroep=selection.referentiegroep,
        gemeente=selection.gemeente,
        aanbieder__in=selection.contract.aanbieders.all(),
    )


def overview(*, user: Any, run: ComputationRun | None, selection: Selection) -> Overview:
    """One row per aanbieder of the contract with figures in the selection; a cell per code."""
    codes = selection.codes
    position = {code: i for i, code in enumerate(codes)}
    figures = (
        _figures(user, run, selection)
        .filter(kpi__in=codes)
        .values(*VISIBLE_FIGURE_FIELDS, "aanbieder_id", "aanbieder_agb")
    )
    aanbieders = {
        a.pk: a.name for a in selection.contract.aanbieders.order_by("name").only("pk", "name")
    }
    hidden_for = ValueHiddenFor(user)
    rows: dict[int, Row] = {}
    statuses: set[str] = set()
    for figure in figures:
        aanbieder_id = figure["aanbieder_id"]
        if aanbieder_id is None:
            continue
        row = rows.get(aanbieder_id)
        if row is None:
            row = Row(
                aanbieder_id,
                aanbieders.get(aanbieder_id, figure["aanbieder_agb"]),
                figure["aanbieder_agb"],
                [None] * len(codes),
            )
            rows[aanbieder_id] = row
        row.cells[position[figure["kpi"]]] = Cell.of(figure, hidden=hidden_for(figure["n"]))
        statuses.add(figure["status"])
    ordered = sort_rows(list(rows.values()), selection)
    without = sorted(name for pk, name in aanbieders.items() if pk not in rows)
    return Overview(selection, ordered, without, sorted(statuses))


def sort_rows(rows: list[Row], selection: Selection) -> list[Row]:
    """By aanbieder name (default), or by a column's value or n; empty cells always last."""
    by_name = sorted(rows, key=lambda r: (r.aanbieder.casefold(), r.agb))
    code, what = parse_sort(selection.sort, selection.codes)
    if code == "aanbieder":
        return list(reversed(by_name)) if selection.descending else by_name
    index = selection.codes.index(code)

    def key(row: Row) -> float | None:
        cell = row.cells[index]
        if cell is None:
            return None
        if what == "n":
            return float(cell.n)
        return cell.value

    present = [r for r in by_name if key(r) is not None]
    missing = [r for r in by_name if key(r) is None]
    present.sort(key=lambda r: key(r) or 0.0, reverse=selection.descending)
    return present + missing


# --- Funnel per KPI ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelData:
    code: str
    selection: Selection
    cells: list[tuple[Row, Cell]]  # one per aanbieder of the contract, sorted by name
    funnel: ProportionFunnel | None  # None: no limits for this figure (not a share, or no norm)
    curve: list[CurvePoint]
    norm: float | None
    group_size: int  # aanbieders in the funnel group (all contracts), I


def funnel_data(
    *, user: Any, run: ComputationRun | None, selection: Selection, code: str
) -> FunnelData:
    """The points (the contract's aanbieders) and the limit curve of one figure code.

    The limits use the whole group the computation flagged in (KPI × referentiegroep × gemeente ×
    period, every aanbieder with a denominator), so the curve at a point's n is the limit its flag
    was computed with — also when the group holds aanbieders of other contracts.
    """
    group = (
        figures_for(user=user, run=run)
        .filter(
            period=selection.period,
            referentiegroep=selection.referentiegroep,
            gemeente=selection.gemeente,
            kpi=code,
        )
        .values(*VISIBLE_FIGURE_FIELDS, "aanbieder_id", "aanbieder_agb")
    )
    contract_ids = set(selection.contract.aanbieders.values_list("pk", flat=True))
    names = dict(Aanbieder.objects.filter(pk__in=contract_ids).values_list("pk", "name"))
    hidden_for = ValueHiddenFor(user)
    cells: list[tuple[Row, Cell]] = []
    group_counts: list[tuple[float | None, float | None]] = []
    norms: set[float] = set()
    for figure in group:
        if figure["norm"] is not None and (figure["denominator"] or 0) > 0:
            group_counts.append((figure["numerator"], figure["denominator"]))
            norms.add(figure["norm"])
        aanbieder_id = figure["aanbieder_id"]
        if aanbieder_id in contract_ids:
            row = Row(aanbieder_id, names[aanbieder_id], figure["aanbieder_agb"], [])
            cells.append((row, Cell.of(figure, hidden=hidden_for(figure["n"]))))
    cells.sort(key=lambda rc: (rc[0].aanbieder.casefold(), rc[0].agb))
    norm = next(iter(norms)) if len(norms) == 1 else None
    definition = FIGURES[code]
    funnel = None
    curve: list[CurvePoint] = []
    # The computation flags shares with a norm (engine.enrich); the same figures get limits here.
    is_share = definition.unit == Unit.SHARE or code.startswith("K12-")
    if is_share and norm is not None and group_counts:
        funnel = proportion_funnel(counts_from_figures(group_counts), norm)
        ns = [c.n for _, c in cells if c.n > 0]
        n_max = max(ns, default=20)
        n_min = max(1, min(ns, default=1) // 2)
        curve = limit_curve(
            funnel, curve_ns(round(n_max * 1.1) + 1, n_min=n_min, steps=45, include=ns)
        )
    return FunnelData(code, selection, cells, funnel, curve, norm, len(group_counts))
