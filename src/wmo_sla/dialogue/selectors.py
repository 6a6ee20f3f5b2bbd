# SPDX-License-Identifier: EUPL-1.2
"""Reads of the dialogue. Scoping: an aanbieder-gebruiker sees only its own organisation's
explanations, meetings and agreements; the gemeente never sees an explanation that was never
submitted, nor draft versions. Figures are always read through ``benchmark.selectors``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.benchmark.selectors import (
    SMALL_NUMBERS_HIDDEN_BELOW,
    current_run,
    figures_for,
    sees_all_aanbieders,
    value_hidden_for,
)
from wmo_sla.benchmark.selectors_profile import k12_reference, reference_stats
from wmo_sla.contracts.models import Aanbieder, AgbCode
from wmo_sla.engine.periods import is_period_label, period_bounds
from wmo_sla.kpis.models import ComputationRun, Figure
from wmo_sla.kpis.registry import FIGURES, K12_REASONS
from wmo_sla.reporting.selectors import reports_for_meeting

from .models import (
    OPEN_AFSPRAAK_STATUSES,
    Toelichting,
    ToelichtingEvent,
    ToelichtingReactie,
    ToelichtingStatus,
    ToelichtingVersie,
    Verbeterafspraak,
    Voortgangsgesprek,
)
from .services import FigureIdentity

FLAGGED = Q(norm_niet_gehaald=True) | Q(signaal__in=("let op", "signaal"))

# The main figure of each KPI (and the variants with a norm) shown in a meeting pack.
PACK_CODES: tuple[str, ...] = (
    "K1",
    "K2",
    "K2r",
    "K3",
    "K4",
    "K5",
    "K6",
    "K7",
    "K8",
    "K9",
    "K10",
    "K11s",
    "K11e",
    "K11l",
    "K13",
)
TREND_QUARTERS = 6

# WMO588 RedenBeeindiging (iWmo 3.2) of the K12 shares.
K12_REASON_LABELS: dict[str, str] = {
    "02": "Overlijden",
    "19": "Levering volgens plan beëindigd",
    "21": "Eenzijdig door cliënt beëindigd",
    "22": "Eenzijdig door aanbieder beëindigd",
    "23": "In overeenstemming voortijdig beëindigd",
    "31": "Verhuizing naar een andere gemeente",
    "36": "Geïnitieerd door de gemeente",
    "37": "In verband met wijzigingsverzoek",
    "38": "Overstap naar andere aanbieder",
    "39": "Uitstroom naar ander domein (Wlz/Zvw)",
    "z": "Zonder stopbericht",
}


def is_municipal(user: Any) -> bool:
    return sees_all_aanbieders(user) or has_capability(user, Capability.RESPOND_TOELICHTING)


def _own_aanbieder_id(user: Any) -> int | None:
    if has_capability(user, Capability.VIEW_OWN_AANBIEDER):
        return getattr(user, "aanbieder_id", None)
    return None


def figures_of_aanbieder(
    *, user: Any, run: ComputationRun | None, aanbieder_id: int
) -> QuerySet[Figure]:
    """The visible figures of one aanbieder. Also filtered on its AGB codes (a figure carries the
    aanbieder's first code) so SQLite/PostgreSQL use the (run, aanbieder_agb, period) index."""
    codes = list(AgbCode.objects.filter(aanbieder_id=aanbieder_id).values_list("code", flat=True))
    return figures_for(user=user, run=run).filter(
        aanbieder_id=aanbieder_id, aanbieder_agb__in=codes
    )


# --- Toelichtingen -------------------------------------------------------------------------


def flagged_figures_for(*, user: Any, run: ComputationRun | None) -> QuerySet[Figure]:
    """The aanbieder user's own flagged figures whose value it may see (n ≥ 5)."""
    own = _own_aanbieder_id(user)
    if own is None:
        return Figure.objects.none()
    return (
        figures_of_aanbieder(user=user, run=run, aanbieder_id=own)
        .filter(FLAGGED, n__gte=SMALL_NUMBERS_HIDDEN_BELOW)
        .order_by("-period", "kpi", "referentiegroep", "gemeente")
    )


def toelichtingen_visible_to(user: Any) -> QuerySet[Toelichting]:
    qs = Toelichting.objects.select_related("aanbieder")
    if is_municipal(user):
        return qs.filter(ingediend_at__isnull=False)
    own = _own_aanbieder_id(user)
    if own is not None and has_capability(user, Capability.WRITE_TOELICHTING):
        return qs.filter(aanbieder_id=own)
    return qs.none()


def toelichting_get(*, user: Any, pk: int) -> Toelichting | None:
    return toelichtingen_visible_to(user).filter(pk=pk).first()


def toelichting_for_identity(*, user: Any, identity: FigureIdentity) -> Toelichting | None:
    return toelichtingen_visible_to(user).filter(**identity.as_filter()).first()


IdentityKey = tuple[int, str, str, str, str]


def identity_key(obj: Figure | Toelichting) -> IdentityKey:
    return (obj.aanbieder_id or 0, obj.kpi, obj.referentiegroep, obj.gemeente, obj.period)


def toelichtingen_by_identity(
    *, user: Any, figures: Iterable[Figure]
) -> dict[IdentityKey, Toelichting]:
    """The visible explanations of ``figures``, keyed by figure identity (one query)."""
    figures = list(figures)
    if not figures:
        return {}
    aanbieders = {f.aanbieder_id for f in figures if f.aanbieder_id}
    periods = {f.period for f in figures}
    kpis = {f.kpi for f in figures}
    rows = toelichtingen_visible_to(user).filter(
        aanbieder_id__in=aanbieders, period__in=periods, kpi__in=kpis
    )
    return {identity_key(t): t for t in rows}


def figure_for_identity(
    *, user: Any, run: ComputationRun | None, identity: FigureIdentity
) -> Figure | None:
    return figures_for(user=user, run=run).filter(**identity.as_filter()).first()


def submitted_versie_ids(toelichting: Toelichting) -> set[int]:
    return set(
        toelichting.events.filter(to_status=ToelichtingStatus.INGEDIEND).values_list(
            "versie_id", flat=True
        )
    )


def versies_visible(*, user: Any, toelichting: Toelichting) -> list[ToelichtingVersie]:
    """All versions for the aanbieder; only submitted versions for the gemeente."""
    versies = list(toelichting.versies.select_related("author", "run").order_by("number"))
    if is_municipal(user):
        submitted = submitted_versie_ids(toelichting)
        versies = [v for v in versies if v.pk in submitted]
    return versies


def reacties_of(toelichting: Toelichting) -> list[ToelichtingReactie]:
    return list(toelichting.reacties.select_related("author", "versie").order_by("created_at"))


def events_of(toelichting: Toelichting) -> list[ToelichtingEvent]:
    """The status history, oldest first (append-only rows)."""
    return list(toelichting.events.select_related("actor", "versie").order_by("timestamp", "id"))


def status_label_for(user: Any, toelichting: Toelichting | None) -> str:
    """The status in words; the gemeente sees a revision in progress as such, not as a draft."""
    if toelichting is None:
        return "Nog niet toegelicht"
    if toelichting.status == ToelichtingStatus.CONCEPT:
        if is_municipal(user):
            return "Wordt herzien door de aanbieder"
        return "Concept (nog niet ingediend)"
    if toelichting.status == ToelichtingStatus.INGEDIEND:
        return "Ingediend, wacht op reactie"
    return "Beantwoord door de gemeente"


# --- Voortgangsgesprekken en verbeterafspraken -------------------------------------------------


def gesprekken_visible_to(user: Any) -> QuerySet[Voortgangsgesprek]:
    qs = Voortgangsgesprek.objects.select_related("aanbieder")
    if not has_capability(user, Capability.VIEW_MEETINGS):
        return qs.none()
    if has_capability(user, Capability.VIEW_ALL_AANBIEDERS):
        return qs
    own = _own_aanbieder_id(user)
    return qs.filter(aanbieder_id=own) if own is not None else qs.none()


def gesprek_get(*, user: Any, pk: int) -> Voortgangsgesprek | None:
    return gesprekken_visible_to(user).filter(pk=pk).first()


def afspraken_visible_to(user: Any) -> QuerySet[Verbeterafspraak]:
    return Verbeterafspraak.objects.filter(gesprek__in=gesprekken_visible_to(user)).select_related(
        "gesprek", "aanbieder"
    )


def afspraak_get(*, user: Any, pk: int) -> Verbeterafspraak | None:
    return afspraken_visible_to(user).filter(pk=pk).first()


def periods_with_figures(run: ComputationRun | None) -> list[str]:
    if run is None:
        return []
    periods = Figure.objects.filter(run=run).values_list("period", flat=True).distinct()
    return sorted({p for p in periods if is_period_label(p)}, reverse=True)


@dataclass
class PackFigure:
    figure: Figure
    name: str
    hidden: bool
    toelichting: Toelichting | None = None
    toelichting_status: str = ""


@dataclass
class TrendRow:
    code: str
    name: str
    cells: list[tuple[Figure | None, bool]]  # (figure, value hidden) per quarter
    # Median of the other aanbieders per quarter (anonymous; None = suppressed), see
    # benchmark.selectors_profile.reference_stats.
    references: list[float | None] = field(default_factory=list)
    chart: str = ""  # SVG, see dialogue.charts


@dataclass
class ExplanationItem:
    toelichting: Toelichting
    status: str
    versie: ToelichtingVersie | None
    reacties: list[ToelichtingReactie]


@dataclass
class OutflowRow:
    pack_figure: PackFigure
    reference: float | None  # pooled share of the other aanbieders (None = suppressed)


@dataclass
class MeetingPack:
    gesprek: Voortgangsgesprek
    run: ComputationRun | None
    figures: dict[str, list[PackFigure]] = field(default_factory=dict)  # per referentiegroep
    signalen: list[PackFigure] = field(default_factory=list)
    trend_quarters: list[str] = field(default_factory=list)
    trends: dict[str, list[TrendRow]] = field(default_factory=dict)
    outflow: dict[str, list[OutflowRow]] = field(default_factory=dict)
    outflow_charts: dict[str, str] = field(default_factory=dict)  # SVG per referentiegroep
    explanations: list[ExplanationItem] = field(default_factory=list)
    open_afspraken: list[Verbeterafspraak] = field(default_factory=list)
    afspraken: list[Verbeterafspraak] = field(default_factory=list)
    reports: list[Any] = field(default_factory=list)
    reports_available: bool = False


def figure_name(code: str) -> str:
    definition = FIGURES.get(code)
    if code.startswith("K12-"):
        return K12_REASON_LABELS.get(code[4:], code)
    return definition.name_nl if definition else code


def _quarters_until(period: str, count: int) -> list[str]:
    """The ``count`` quarters ending with the last quarter inside ``period``."""
    _start, end = period_bounds(period)
    year, quarter = end.year, (end.month - 1) // 3 + 1
    labels = []
    for _i in range(count):
        labels.append(f"{year}Q{quarter}")
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return list(reversed(labels))


def _within(period: str, outer: str) -> bool:
    if not is_period_label(period):
        return False
    start, end = period_bounds(period)
    outer_start, outer_end = period_bounds(outer)
    return outer_start <= start and end <= outer_end


def meeting_pack(*, user: Any, gesprek: Voortgangsgesprek) -> MeetingPack:
    """Everything the meeting about ``gesprek.period`` with ``gesprek.aanbieder`` needs."""
    run = current_run()
    pack = MeetingPack(gesprek=gesprek, run=run)
    own = figures_of_aanbieder(user=user, run=run, aanbieder_id=gesprek.aanbieder_id)

    period_figures = list(
        own.filter(period=gesprek.period, gemeente="regio", kpi__in=PACK_CODES).order_by(
            "referentiegroep", "kpi"
        )
    )
    signalen = list(
        own.filter(FLAGGED, period=gesprek.period).order_by("kpi", "referentiegroep", "gemeente")
    )
    explanations = toelichtingen_by_identity(user=user, figures=period_figures + signalen)

    def pack_figure(figure: Figure) -> PackFigure:
        toelichting = explanations.get(identity_key(figure))
        return PackFigure(
            figure=figure,
            name=figure_name(figure.kpi),
            hidden=value_hidden_for(user, figure),
            toelichting=toelichting,
            toelichting_status=status_label_for(user, toelichting),
        )

    order = {code: i for i, code in enumerate(PACK_CODES)}
    for figure in sorted(period_figures, key=lambda f: (f.referentiegroep, order[f.kpi])):
        pack.figures.setdefault(figure.referentiegroep, []).append(pack_figure(figure))
    # A provider never learns about a small-n figure's flag: its value is withheld.
    pack.signalen = [pack_figure(f) for f in signalen if not value_hidden_for(user, f)]

    quarters = _quarters_until(gesprek.period, TREND_QUARTERS)
    pack.trend_quarters = quarters
    trend_rows = own.filter(period__in=quarters, gemeente="regio", kpi__in=PACK_CODES)
    by_group: dict[str, dict[str, dict[str, Figure]]] = defaultdict(lambda: defaultdict(dict))
    for figure in trend_rows:
        by_group[figure.referentiegroep][figure.kpi][figure.period] = figure
    for group in sorted(by_group):
        reference = (
            reference_stats(
                run=run,
                aanbieder=gesprek.aanbieder,
                referentiegroep=group,
                gemeente="regio",
                codes=PACK_CODES,
                periods=quarters,
            )
            if run is not None
            else {}
        )
        rows = []
        for code in sorted(by_group[group], key=lambda c: order[c]):
            cells: list[tuple[Figure | None, bool]] = []
            references: list[float | None] = []
            for quarter in quarters:
                cell = by_group[group][code].get(quarter)
                cells.append((cell, cell is not None and value_hidden_for(user, cell)))
                ref = reference.get((code, quarter))
                references.append(ref.median if ref is not None else None)
            rows.append(
                TrendRow(code=code, name=figure_name(code), cells=cells, references=references)
            )
        pack.trends[group] = rows

    outflow_codes = [f"K12-{r}" for r in K12_REASONS] + ["K12-z"]
    k12_refs: dict[str, dict[str, float]] = {}
    for figure in own.filter(
        period=gesprek.period, gemeente="regio", kpi__in=outflow_codes
    ).order_by("referentiegroep", "kpi"):
        group = figure.referentiegroep
        if group not in k12_refs and run is not None:
            k12_refs[group] = k12_reference(
                run=run,
                aanbieder=gesprek.aanbieder,
                referentiegroep=group,
                gemeente="regio",
                period=gesprek.period,
            )
        pack.outflow.setdefault(group, []).append(
            OutflowRow(pack_figure(figure), k12_refs.get(group, {}).get(figure.kpi))
        )

    toelichtingen = [
        t
        for t in toelichtingen_visible_to(user).filter(aanbieder_id=gesprek.aanbieder_id)
        if _within(t.period, gesprek.period)
    ]
    # Versions, submissions and responses of all these explanations in three queries.
    ids = [t.pk for t in toelichtingen]
    versies_by: dict[int, list[ToelichtingVersie]] = defaultdict(list)
    for versie in ToelichtingVersie.objects.filter(toelichting_id__in=ids).order_by("number"):
        versies_by[versie.toelichting_id].append(versie)
    submitted = set(
        ToelichtingEvent.objects.filter(
            toelichting_id__in=ids, to_status=ToelichtingStatus.INGEDIEND
        ).values_list("versie_id", flat=True)
    )
    reacties_by: dict[int, list[ToelichtingReactie]] = defaultdict(list)
    for reactie in (
        ToelichtingReactie.objects.filter(toelichting_id__in=ids)
        .select_related("versie")
        .order_by("created_at", "id")
    ):
        reacties_by[reactie.toelichting_id].append(reactie)
    municipal = is_municipal(user)
    for toelichting in toelichtingen:
        versies = versies_by[toelichting.pk]
        if municipal:
            versies = [v for v in versies if v.pk in submitted]
        pack.explanations.append(
            ExplanationItem(
                toelichting=toelichting,
                status=status_label_for(user, toelichting),
                versie=versies[-1] if versies else None,
                reacties=reacties_by[toelichting.pk],
            )
        )

    pack.open_afspraken = list(
        Verbeterafspraak.objects.filter(
            aanbieder_id=gesprek.aanbieder_id, status__in=OPEN_AFSPRAAK_STATUSES
        )
        .exclude(gesprek=gesprek)
        .select_related("gesprek")
        .order_by("deadline", "id")
    )
    pack.afspraken = list(gesprek.afspraken.order_by("deadline", "id"))
    # The aanbieder's own reports (uitstroomredenen, klachten, tevredenheid) about this period.
    pack.reports_available, pack.reports = reports_for_meeting(
        user=user, aanbieder_id=gesprek.aanbieder_id, period=gesprek.period
    )
    return pack


def aanbieders_for_planning(user: Any) -> QuerySet[Aanbieder]:
    if not has_capability(user, Capability.MANAGE_MEETINGS):
        return Aanbieder.objects.none()
    return Aanbieder.objects.order_by("name")
