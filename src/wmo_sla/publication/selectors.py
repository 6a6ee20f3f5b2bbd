# SPDX-License-Identifier: EUPL-1.2
"""Reads for the public page: only what a contract opted to publish, aggregates only.

The public has no user to scope by, so this module is the scoping rule for the public page
(instead of ``benchmark.selectors.figures_for``): the latest run's figures of the contract's
aanbieders for the published codes and periods, gemeente "regio" (the whole region: aggregates,
no per-gemeente split), status ``definitief`` only, values of small numbers withheld.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from wmo_sla.benchmark.selectors import SMALL_NUMBERS_HIDDEN_BELOW, current_run
from wmo_sla.benchmark.selectors_overview import REGIO, figure_codes_in_order, referentiegroepen_of
from wmo_sla.contracts.models import Contract
from wmo_sla.engine.stats import K13_SUPPRESS_BELOW
from wmo_sla.kpis.models import Figure
from wmo_sla.kpis.registry import FIGURES, KPIS

from .models import Publication

PUBLISHED_STATUS = "definitief"
#: K13 (satisfaction) is suppressed below 10 respondents (KPIS.md K13).
_SUPPRESS_BELOW = {"K13": K13_SUPPRESS_BELOW, "K13p": K13_SUPPRESS_BELOW}


def suppress_below(code: str) -> int:
    return _SUPPRESS_BELOW.get(code, SMALL_NUMBERS_HIDDEN_BELOW)


def publication_of(contract: Contract) -> Publication | None:
    return Publication.objects.filter(contract=contract).first()


def published_publications() -> QuerySet[Publication]:
    """Publications that are switched on (the page then checks codes and periods are set)."""
    return (
        Publication.objects.filter(enabled=True)
        .select_related("contract")
        .order_by("contract__code")
    )


def published_contract(code: str) -> Publication | None:
    """The publication of contract ``code`` if it is public, else None (→ 404)."""
    publication = published_publications().filter(contract__code=code).first()
    if publication is None or not publication.is_public:
        return None
    return publication


@dataclass(frozen=True)
class PublicCell:
    code: str
    value: float | None  # None when suppressed or missing
    n: int
    ci_low: float | None
    ci_high: float | None
    norm: float | None
    norm_niet_gehaald: bool | None
    suppressed: bool
    kleine_aantallen: bool


@dataclass
class PublicRow:
    aanbieder: str
    cells: list[PublicCell | None]


@dataclass
class PublicTable:
    period: str
    referentiegroep: str
    referentiegroep_name: str
    codes: list[str]
    rows: list[PublicRow]

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [(code, FIGURES[code].name_nl) for code in self.codes]


def _cell(figure: Figure) -> PublicCell:
    suppressed = figure.n < suppress_below(figure.kpi)
    return PublicCell(
        code=figure.kpi,
        value=None if suppressed else figure.value,
        n=figure.n,
        ci_low=None if suppressed else figure.ci_low,
        ci_high=None if suppressed else figure.ci_high,
        norm=figure.norm,
        norm_niet_gehaald=None if suppressed else figure.norm_niet_gehaald,
        suppressed=suppressed,
        kleine_aantallen=not suppressed and figure.kleine_aantallen,
    )


def public_tables(publication: Publication) -> tuple[list[PublicTable], list[str]]:
    """One table per published period × referentiegroep of the contract (aanbieders × codes).

    Returns the tables and the published periods that have no definitief figures (yet).
    """
    run = current_run()
    contract = publication.contract
    order = {code: i for i, code in enumerate(figure_codes_in_order())}
    codes = sorted((c for c in publication.kpi_codes if c in order), key=order.__getitem__)
    periods = sorted(publication.periods, reverse=True)
    groups = referentiegroepen_of(contract)
    if run is None or not codes:
        return [], periods
    figures = (
        Figure.objects.filter(
            run=run,
            period__in=periods,
            kpi__in=codes,
            gemeente=REGIO,
            status=PUBLISHED_STATUS,
            referentiegroep__in=[g.code for g in groups],
            aanbieder__in=contract.aanbieders.all(),
        )
        .select_related("aanbieder")
        .only(
            "kpi",
            "period",
            "referentiegroep",
            "aanbieder__name",
            "value",
            "n",
            "ci_low",
            "ci_high",
            "norm",
            "norm_niet_gehaald",
            "kleine_aantallen",
        )
    )
    position = {code: i for i, code in enumerate(codes)}
    grid: dict[tuple[str, str], dict[str, PublicRow]] = {}
    for figure in figures:
        assert figure.aanbieder is not None
        rows = grid.setdefault((figure.period, figure.referentiegroep), {})
        name = figure.aanbieder.name
        row = rows.setdefault(name, PublicRow(name, [None] * len(codes)))
        row.cells[position[figure.kpi]] = _cell(figure)
    tables: list[PublicTable] = []
    missing: list[str] = []
    for period in periods:
        found = False
        for group in groups:
            found_rows = grid.get((period, group.code))
            if not found_rows:
                continue
            found = True
            tables.append(
                PublicTable(
                    period,
                    group.code,
                    group.name,
                    codes,
                    sorted(found_rows.values(), key=lambda r: r.aanbieder.casefold()),
                )
            )
        if not found:
            missing.append(period)
    return tables, missing


def definitions(codes: list[str]) -> list[tuple[str, str, str]]:
    """(code, name, the KPI's definition text) for the published codes, in registry order."""
    order = {code: i for i, code in enumerate(figure_codes_in_order())}
    known = sorted((c for c in codes if c in order), key=order.__getitem__)
    return [(c, FIGURES[c].name_nl, KPIS[FIGURES[c].kpi].definition_nl) for c in known]
