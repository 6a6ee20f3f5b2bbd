# SPDX-License-Identifier: EUPL-1.2
"""What the start page of each role shows. Every read goes through the selectors of its app, so
the scoping rules (``benchmark.selectors.figures_for``, ``dialogue.selectors.*_visible_to``,
``ingest.selectors.batches_visible_to``) apply here exactly as on the pages the start page links to.

Each section is a handful of queries at most; the start page never scans a whole run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.audit.models import AuditEvent
from wmo_sla.benchmark.selectors import current_run, figures_for
from wmo_sla.benchmark.selectors_overview import REGIO, default_period, periods_of
from wmo_sla.contracts import selectors as contract_selectors
from wmo_sla.contracts.constants import NormProposalStatus
from wmo_sla.contracts.models import AgbCode, Gemeente, Norm, Product
from wmo_sla.dialogue import selectors as dialogue_selectors
from wmo_sla.dialogue.models import OPEN_AFSPRAAK_STATUSES, ToelichtingStatus
from wmo_sla.ingest import selectors as ingest_selectors
from wmo_sla.ingest.models import IngestBatch, QuarantinedMessage, RawMessage
from wmo_sla.kpis import norm_selectors
from wmo_sla.kpis.models import ComputationRun
from wmo_sla.reporting import selectors as reporting_selectors
from wmo_sla.reporting.models import ReportStatus

#: How many rows a list on the start page shows; the page links to the full list.
HOME_LIST_LIMIT = 5
SIGNAL_LEVELS = ("signaal", "let op")


@dataclass(frozen=True)
class RunSummary:
    """The latest computation and the flags of its latest quarter over the whole region."""

    run: ComputationRun
    period: str | None
    signaal: int = 0  # figures with "signaal" in the latest quarter (gemeente = regio)
    let_op: int = 0
    aanbieders_flagged: int = 0  # aanbieders with at least one of those


@dataclass(frozen=True)
class Listing:
    """The first rows of a list and how many there are in all."""

    items: list[Any]
    total: int

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


@dataclass(frozen=True)
class OwnSignals:
    """An aanbieder's flagged figures in its newest period with a flag (as on *Mijn signalen*)."""

    period: str | None
    flagged: int = 0
    to_explain: int = 0  # no toelichting yet, or one that is still a concept
    submitted: int = 0  # ingediend, waiting for the gemeente
    answered: int = 0


@dataclass
class IngestState:
    batches: list[IngestBatch] = field(default_factory=list)
    quarantine: int = 0
    unknown_aanbieders: int = 0
    unknown_gemeenten: int = 0


def _listing(qs: Any, limit: int = HOME_LIST_LIMIT) -> Listing:
    items = list(qs[:limit])
    total = len(items) if len(items) < limit else qs.count()
    return Listing(items, total)


def run_summary(*, user: Any) -> RunSummary | None:
    """The run the pages show, with the count of flags in its latest quarter (two queries)."""
    run = current_run()
    if run is None:
        return None
    period = default_period(periods_of(run))
    if period is None:
        return RunSummary(run=run, period=None)
    rows = (
        figures_for(user=user, run=run)
        .filter(period=period, gemeente=REGIO, signaal__in=SIGNAL_LEVELS)
        .values("signaal")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["signaal"]: row["n"] for row in rows}
    aanbieders = (
        figures_for(user=user, run=run)
        .filter(period=period, gemeente=REGIO, signaal__in=SIGNAL_LEVELS)
        .values("aanbieder_id")
        .distinct()
        .order_by()
        .count()
    )
    return RunSummary(
        run=run,
        period=period,
        signaal=counts.get("signaal", 0),
        let_op=counts.get("let op", 0),
        aanbieders_flagged=aanbieders,
    )


def toelichtingen_waiting(*, user: Any) -> Listing:
    """Submitted explanations without a response yet, oldest submission first."""
    qs = (
        dialogue_selectors.toelichtingen_visible_to(user)
        .filter(status=ToelichtingStatus.INGEDIEND)
        .order_by("ingediend_at", "id")
    )
    return _listing(qs)


def upcoming_gesprekken(*, user: Any, today: dt.date) -> Listing:
    qs: Any = (
        dialogue_selectors.gesprekken_visible_to(user)
        .filter(date__gte=today)
        .order_by("date", "id")
    )
    return _listing(qs)


def open_afspraken(*, user: Any, today: dt.date, overdue_only: bool) -> Listing:
    """Open agreements (open, in uitvoering), earliest deadline first; optionally only overdue."""
    qs: Any = dialogue_selectors.afspraken_visible_to(user).filter(
        status__in=OPEN_AFSPRAAK_STATUSES
    )
    if overdue_only:
        qs = qs.filter(deadline__lt=today)
    return _listing(qs.order_by("deadline", "id"))


def own_signals(*, user: Any) -> OwnSignals:
    """The aanbieder's own flagged figures (value visible, n ≥ 5) of the newest period that has
    any, and how far their explanations are. Two queries: the figures, their toelichtingen."""
    run = current_run()
    flagged = list(
        dialogue_selectors.flagged_figures_for(user=user, run=run).only(
            "id", "aanbieder_id", "kpi", "referentiegroep", "gemeente", "period"
        )
    )
    if not flagged:
        return OwnSignals(period=None)
    period = max(f.period for f in flagged)  # the default period of *Mijn signalen*
    rows = [f for f in flagged if f.period == period]
    toelichtingen = dialogue_selectors.toelichtingen_by_identity(user=user, figures=rows)
    statuses = [
        getattr(toelichtingen.get(dialogue_selectors.identity_key(f)), "status", None) for f in rows
    ]
    return OwnSignals(
        period=period,
        flagged=len(rows),
        to_explain=sum(1 for s in statuses if s in (None, ToelichtingStatus.CONCEPT)),
        submitted=sum(1 for s in statuses if s == ToelichtingStatus.INGEDIEND),
        answered=sum(1 for s in statuses if s == ToelichtingStatus.BEANTWOORD),
    )


def _parties_in_traffic() -> tuple[set[str], set[str]]:
    """The AGB codes and gemeente codes that occur in the accepted traffic, split by direction as
    :func:`wmo_sla.ingest.selectors.unknown_parties` does. Accepted messages are never changed or
    removed, so the sets are cached per newest message (the scan grows with the traffic)."""
    newest = RawMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
    if newest is None:
        return set(), set()
    key = f"web:home:parties:{newest}"
    cached = cache.get(key)
    if cached is None:
        agb: set[str] = set()
        gemeenten: set[str] = set()
        rows = RawMessage.objects.values_list("message_type", "afzender", "ontvanger").distinct()
        for message_type, afzender, ontvanger in rows.order_by():
            if message_type in ingest_selectors.GEMEENTE_SENDS:
                gemeenten.add(afzender)
                agb.add(ontvanger)
            else:
                gemeenten.add(ontvanger)
                agb.add(afzender)
        cached = (agb, gemeenten)
        cache.set(key, cached, 24 * 3600)
    return cached


def ingest_state(*, user: Any) -> IngestState:
    """The last ingest batches, the quarantine and the parties the contract does not know yet."""
    state = IngestState(
        batches=list(ingest_selectors.batches_visible_to(user)[:HOME_LIST_LIMIT]),
    )
    if has_capability(user, Capability.VIEW_QUARANTINE):
        state.quarantine = QuarantinedMessage.objects.count()
        # The same rule as the page *Onbekende partijen* (its counts per code are not needed here).
        agb, gemeenten = _parties_in_traffic()
        known_agb = AgbCode.objects.filter(code__in=agb).values_list("code", flat=True)
        known_gem = Gemeente.objects.filter(cbs_code__in=gemeenten).values_list(
            "cbs_code", flat=True
        )
        state.unknown_aanbieders = len(agb - set(known_agb))
        state.unknown_gemeenten = len(gemeenten - set(known_gem))
    return state


@dataclass(frozen=True)
class ReportingState:
    """The reporting obligations on the start page, from the same status board as its pages."""

    to_review: int  # ingediend: waiting for the gemeente
    late: int  # due date passed, never submitted (not exempt)
    returned: int  # teruggestuurd: waiting for the aanbieder
    changed: int  # changed after acceptance, the new version not yet accepted
    upcoming: Listing  # not yet submitted, due today or later, soonest first


def reporting_state(*, user: Any, today: dt.date) -> ReportingState:
    cells = reporting_selectors.status_board(user=user, on=today)
    counts = {key: count for key, _label, count in reporting_selectors.status_counts(cells)}
    upcoming = sorted(
        (
            cell
            for cell in cells
            if cell.due_date >= today
            and cell.exemption is None
            and cell.status in (ReportStatus.NIET_GESTART, ReportStatus.CONCEPT)
        ),
        key=lambda cell: (cell.due_date, cell.aanbieder.name, cell.obligation.pk),
    )
    return ReportingState(
        to_review=counts[ReportStatus.INGEDIEND],
        late=counts[reporting_selectors.TE_LAAT],
        returned=counts[ReportStatus.TERUGGESTUURD],
        changed=counts[reporting_selectors.GEWIJZIGD_NA_ACCEPTATIE],
        upcoming=Listing(items=upcoming[:HOME_LIST_LIMIT], total=len(upcoming)),
    )


def home_summary(*, user: Any, today: dt.date | None = None) -> dict[str, Any]:
    """What the start page of ``user`` shows, section by section (by capability, not by role)."""
    today = today or timezone.localdate()
    contracts = contract_selectors.contracts_visible_to(user)
    summary: dict[str, Any] = {"contracts": contracts, "today": today}
    if has_capability(user, Capability.VIEW_BENCHMARK):
        summary["run_summary"] = run_summary(user=user)
        summary["has_run"] = summary["run_summary"] is not None
    if has_capability(user, Capability.RESPOND_TOELICHTING):
        summary["toelichtingen_waiting"] = toelichtingen_waiting(user=user)
    if has_capability(user, Capability.MANAGE_MEETINGS):
        summary["gesprekken"] = upcoming_gesprekken(user=user, today=today)
        summary["afspraken_overdue"] = open_afspraken(user=user, today=today, overdue_only=True)
    if has_capability(user, Capability.REVIEW_REPORTS) or has_capability(
        user, Capability.SUBMIT_REPORTS
    ):
        summary["reporting"] = reporting_state(user=user, today=today)
    if has_capability(user, Capability.APPROVE_NORMS):
        summary["norm_proposals_open"] = norm_selectors.proposals(
            status=NormProposalStatus.PROPOSED
        ).count()
    if has_capability(user, Capability.VIEW_OWN_AANBIEDER):
        summary["own_aanbieder"] = contract_selectors.aanbieders_with_codes(user).first()
        if has_capability(user, Capability.WRITE_TOELICHTING):
            summary["own_signals"] = own_signals(user=user)
        if has_capability(user, Capability.VIEW_MEETINGS):
            summary["gesprekken"] = upcoming_gesprekken(user=user, today=today)
            summary["afspraken_open"] = open_afspraken(user=user, today=today, overdue_only=False)
    if has_capability(user, Capability.INGEST) and has_capability(user, Capability.VIEW_QUARANTINE):
        summary["ingest"] = ingest_state(user=user)
    if has_capability(user, Capability.VIEW_ALL_AANBIEDERS) and not has_capability(
        user, Capability.VIEW_BENCHMARK
    ):
        # Functioneel beheer: the master data it maintains.
        summary["contract_count"] = contracts.count()
        summary["aanbieder_count"] = contract_selectors.aanbieders_visible_to(user).count()
        summary["product_count"] = Product.objects.count()
        summary["norm_count"] = Norm.objects.count()
    if has_capability(user, Capability.VIEW_AUDIT_LOG):
        summary["recent_audit_events"] = AuditEvent.objects.select_related(None)[:10]
    return summary
