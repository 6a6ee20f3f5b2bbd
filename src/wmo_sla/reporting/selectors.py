# SPDX-License-Identifier: EUPL-1.2
"""Reads of the reporting workflow: the status board, timeliness, visibility, prefill, iWmo counts.

Who sees what: the gemeente (``REVIEW_REPORTS`` or ``VIEW_ALL_AANBIEDERS``) sees every aanbieder;
an aanbieder-gebruiker (``SUBMIT_REPORTS``) only its own organisation; anyone else nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.benchmark.selectors import current_run, figures_for, value_hidden_for
from wmo_sla.contracts.models import Aanbieder, Product
from wmo_sla.engine.periods import period_bounds
from wmo_sla.kpis.models import ComputationRun

from .checks import CATEGORY_K12, CheckResult, compare_outflow
from .models import (
    Exemption,
    Report,
    ReportEvent,
    ReportingObligation,
    ReportKind,
    ReportReminder,
    ReportStatus,
    ReportVersion,
)
from .schedule import (
    DueRuleSpec,
    due_date,
    open_periods,
    opens_on,
    period_sequence,
    previous_period,
)
from .schemas import OUTFLOW_CATEGORIES, OUTFLOW_KEYS, open_complaints, outflow_totals

# Derived states shown on the board next to the stored ones.
TE_LAAT = "te_laat"
VRIJGESTELD = "vrijgesteld"
GEWIJZIGD_NA_ACCEPTATIE = "gewijzigd_na_acceptatie"
DISPLAY_LABELS: dict[str, Any] = {
    **{value: label for value, label in ReportStatus.choices},
    TE_LAAT: _("Te laat"),
    VRIJGESTELD: _("Vrijgesteld"),
    GEWIJZIGD_NA_ACCEPTATIE: _("Gewijzigd na acceptatie"),
}


def is_reviewer(user: Any) -> bool:
    return has_capability(user, Capability.REVIEW_REPORTS)


def sees_all_reports(user: Any) -> bool:
    return is_reviewer(user) or has_capability(user, Capability.VIEW_ALL_AANBIEDERS)


def own_aanbieder_id(user: Any) -> int | None:
    if has_capability(user, Capability.SUBMIT_REPORTS):
        return getattr(user, "aanbieder_id", None)
    return None


def today() -> dt.date:
    return timezone.localdate()


def spec_of(obligation: ReportingObligation) -> DueRuleSpec:
    return DueRuleSpec(
        period_type=obligation.period_type,
        due_rule=obligation.due_rule,
        due_days=obligation.due_days,
        due_month=obligation.due_month,
        due_day=obligation.due_day,
        open_days_before_due=obligation.open_days_before_due,
    )


def obligation_due_date(obligation: ReportingObligation, period: str) -> dt.date:
    return due_date(spec_of(obligation), period)


def obligation_opens_on(obligation: ReportingObligation, period: str) -> dt.date:
    return opens_on(spec_of(obligation), period)


def contract_referentiegroepen(contract_id: int) -> list[str]:
    """The referentiegroepen of the contract's products (the rows of uitstroomredenen)."""
    return sorted(
        set(
            Product.objects.filter(contract_id=contract_id).values_list(
                "referentiegroep__code", flat=True
            )
        )
    )


def reports_visible_to(user: Any) -> QuerySet[Report]:
    qs = Report.objects.select_related("obligation", "obligation__contract", "aanbieder")
    if sees_all_reports(user):
        return qs
    aanbieder_id = own_aanbieder_id(user)
    if aanbieder_id:
        return qs.filter(aanbieder_id=aanbieder_id)
    return qs.none()


def obligations_visible_to(user: Any) -> QuerySet[ReportingObligation]:
    qs = ReportingObligation.objects.select_related("contract")
    if sees_all_reports(user):
        return qs
    aanbieder_id = own_aanbieder_id(user)
    if aanbieder_id:
        return qs.filter(contract__aanbieders__id=aanbieder_id).distinct()
    return qs.none()


def exemption_covering(
    exemptions: Iterable[Exemption], aanbieder_id: int, due: dt.date
) -> Exemption | None:
    """The exemption (of one obligation) that covers ``aanbieder_id`` for a period due on ``due``.

    Covered: start ≤ due ≤ end (open end allowed) and, when revoked, due before the revocation day.
    """
    for exemption in exemptions:
        if exemption.aanbieder_id not in (None, aanbieder_id):
            continue
        if exemption.start_date > due:
            continue
        if exemption.end_date is not None and due > exemption.end_date:
            continue
        if exemption.revoked_at is not None and due >= timezone.localdate(exemption.revoked_at):
            continue
        return exemption
    return None


def exemption_for(
    obligation: ReportingObligation, aanbieder_id: int, period: str
) -> Exemption | None:
    return exemption_covering(
        obligation.exemptions.all(), aanbieder_id, obligation_due_date(obligation, period)
    )


def latest_version(report: Report) -> ReportVersion | None:
    return report.versions.order_by("-number").first()


def last_submitted_version(report: Report) -> ReportVersion | None:
    return report.versions.filter(submitted_at__isnull=False).order_by("-number").first()


def return_reason(report: Report) -> str:
    """The reason of the last return (shown to the aanbieder), or ''."""
    event = (
        report.events.filter(to_status=ReportStatus.TERUGGESTUURD).order_by("-timestamp").first()
    )
    return event.note if event else ""


@dataclass(frozen=True)
class BoardCell:
    obligation: ReportingObligation
    aanbieder: Aanbieder
    period: str
    opens_on: dt.date
    due_date: dt.date
    report: Report | None
    exemption: Exemption | None
    status: str  # stored status, or niet_gestart
    display_status: str  # status, or te_laat / vrijgesteld / gewijzigd_na_acceptatie
    is_late: bool  # due date passed and never submitted
    submitted_late: bool  # first submitted after the due date
    changed_since_acceptance: bool
    latest_version_number: int | None

    @property
    def display_label(self) -> Any:
        return DISPLAY_LABELS.get(self.display_status, self.display_status)


def _cell(
    obligation: ReportingObligation,
    aanbieder: Aanbieder,
    period: str,
    report: Report | None,
    exemptions: Sequence[Exemption],
    latest_numbers: dict[int, int],
    accepted_numbers: dict[int, int],
    on: dt.date,
) -> BoardCell:
    spec = spec_of(obligation)
    due = due_date(spec, period)
    exemption = exemption_covering(exemptions, aanbieder.pk, due)
    status = report.status if report else ReportStatus.NIET_GESTART
    first = report.first_submitted_at if report else None
    is_late = first is None and on > due and exemption is None
    submitted_late = first is not None and timezone.localdate(first) > due
    latest = latest_numbers.get(report.pk) if report else None
    accepted = accepted_numbers.get(report.pk) if report else None
    changed = accepted is not None and latest is not None and latest > accepted
    if exemption is not None and first is None:
        display = VRIJGESTELD
    elif is_late:
        display = TE_LAAT
    elif changed and status != ReportStatus.GEACCEPTEERD:
        display = GEWIJZIGD_NA_ACCEPTATIE
    else:
        display = status
    return BoardCell(
        obligation=obligation,
        aanbieder=aanbieder,
        period=period,
        opens_on=opens_on(spec, period),
        due_date=due,
        report=report,
        exemption=exemption,
        status=status,
        display_status=display,
        is_late=is_late,
        submitted_late=submitted_late,
        changed_since_acceptance=changed,
        latest_version_number=latest,
    )


def status_board(
    *,
    user: Any,
    obligations: Iterable[ReportingObligation] | None = None,
    aanbieder_id: int | None = None,
    on: dt.date | None = None,
) -> list[BoardCell]:
    """Every aanbieder × obligation × opened period the user may see, with its derived status."""
    if sees_all_reports(user):
        scope = aanbieder_id
    else:
        scope = own_aanbieder_id(user)
        if scope is None:
            return []
    visible = obligations_visible_to(user)
    if obligations is not None:
        visible = visible.filter(pk__in=[o.pk for o in obligations])
    return board_cells(visible, aanbieder_id=scope, on=on)


def board_cells(
    obligations: QuerySet[ReportingObligation],
    *,
    aanbieder_id: int | None = None,
    on: dt.date | None = None,
) -> list[BoardCell]:
    """The cells of ``obligations`` (no visibility filter: callers scope it).

    Expected cells: the aanbieders of each obligation's contract, for every period that has opened
    by ``on`` (default today). Reports, exemptions and version numbers come in a few queries.
    """
    on = on or today()
    obligation_list = list(obligations.prefetch_related("contract__aanbieders"))
    ids = [o.pk for o in obligation_list]
    reports = {
        (r.obligation_id, r.aanbieder_id, r.period): r
        for r in Report.objects.filter(obligation_id__in=ids)
    }
    exemptions: dict[int, list[Exemption]] = defaultdict(list)
    for exemption in Exemption.objects.filter(obligation_id__in=ids).order_by("start_date", "id"):
        exemptions[exemption.obligation_id].append(exemption)
    report_ids = [r.pk for r in reports.values()]
    latest_numbers: dict[int, int] = {}
    for report_id, number in ReportVersion.objects.filter(report_id__in=report_ids).values_list(
        "report_id", "number"
    ):
        latest_numbers[report_id] = max(number, latest_numbers.get(report_id, 0))
    accepted_numbers = dict(
        ReportVersion.objects.filter(
            pk__in=[r.accepted_version_id for r in reports.values() if r.accepted_version_id]
        ).values_list("report_id", "number")
    )
    cells: list[BoardCell] = []
    for obligation in obligation_list:
        periods = open_periods(
            spec_of(obligation), obligation.first_period, obligation.last_period or None, on
        )
        aanbieders = sorted(obligation.contract.aanbieders.all(), key=lambda a: a.name)
        for aanbieder in aanbieders:
            if aanbieder_id is not None and aanbieder.pk != aanbieder_id:
                continue
            for period in periods:
                cells.append(
                    _cell(
                        obligation,
                        aanbieder,
                        period,
                        reports.get((obligation.pk, aanbieder.pk, period)),
                        exemptions[obligation.pk],
                        latest_numbers,
                        accepted_numbers,
                        on,
                    )
                )
    cells.sort(key=lambda c: (c.obligation.pk, c.period, c.aanbieder.name))
    return cells


@dataclass(frozen=True)
class Timeliness:
    aanbieder: Aanbieder
    expected: int  # reports whose due date passed (exempt ones left out)
    on_time: int
    late: int  # submitted after the due date
    missing: int  # due date passed, never submitted
    exempt: int

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.expected if self.expected else None


def timeliness(cells: Iterable[BoardCell], *, on: dt.date | None = None) -> list[Timeliness]:
    """Per aanbieder: of the reports whose due date has passed, how many came in on time."""
    on = on or today()
    counts: dict[int, dict[str, int]] = {}
    names: dict[int, Aanbieder] = {}
    for cell in cells:
        names[cell.aanbieder.pk] = cell.aanbieder
        c = counts.setdefault(
            cell.aanbieder.pk, {"expected": 0, "on_time": 0, "late": 0, "missing": 0, "exempt": 0}
        )
        submitted = cell.report is not None and cell.report.first_submitted_at is not None
        if cell.exemption is not None and not submitted:
            c["exempt"] += 1
            continue
        if cell.due_date >= on and not submitted:
            continue  # not yet due and not in: nothing to say yet
        c["expected"] += 1
        if cell.submitted_late:
            c["late"] += 1
        elif submitted:
            c["on_time"] += 1
        else:
            c["missing"] += 1
    return [
        Timeliness(aanbieder=names[pk], **c)
        for pk, c in sorted(counts.items(), key=lambda kv: names[kv[0]].name)
    ]


# --- content helpers ---------------------------------------------------------------------------


def initial_content(
    obligation: ReportingObligation, aanbieder_id: int, period: str
) -> dict[str, Any]:
    """What a new draft starts with: the referentiegroepen to fill in (uitstroomredenen), the
    complaints of the previous period that were not yet handled (klachten)."""
    if obligation.kind == ReportKind.UITSTROOMREDENEN:
        return {
            "rijen": [
                {"referentiegroep": group, **{key: None for key in OUTFLOW_KEYS}}
                for group in contract_referentiegroepen(obligation.contract_id)
            ]
        }
    if obligation.kind == ReportKind.KLACHTEN:
        previous = (
            Report.objects.filter(
                obligation=obligation, aanbieder_id=aanbieder_id, period=previous_period(period)
            )
            .exclude(first_submitted_at=None)
            .first()
        )
        version = last_submitted_version(previous) if previous else None
        return {
            "geen_klachten": False,
            "klachten": open_complaints(version.content) if version else [],
        }
    return {}


def derived_outflow(
    *, user: Any, aanbieder_id: int, period: str, run: ComputationRun | None = None
) -> tuple[ComputationRun | None, dict[str, dict[str, int]], frozenset[str]]:
    """iWmo-derived outflow of the aanbieder per referentiegroep in ``period`` (region level):
    K2 total and the K12 counts of the compared categories; plus the groups whose counts the user
    may not see. Reads through ``figures_for`` like every page."""
    run = run or current_run()
    if run is None:
        return None, {}, frozenset()
    codes = ["K2", *CATEGORY_K12.values()]
    by_code = {code: category for category, code in CATEGORY_K12.items()}
    derived: dict[str, dict[str, int]] = defaultdict(dict)
    hidden: set[str] = set()
    for figure in figures_for(user=user, run=run).filter(
        aanbieder_id=aanbieder_id, gemeente="regio", period=period, kpi__in=codes
    ):
        count = figure.value if figure.kpi == "K2" else figure.numerator
        category = "totaal" if figure.kpi == "K2" else by_code[figure.kpi]
        derived[figure.referentiegroep][category] = round(count or 0)
        if value_hidden_for(user, figure):
            hidden.add(figure.referentiegroep)
    return run, dict(derived), frozenset(hidden)


def check_outflow(
    *, user: Any, report: Report, content: dict[str, Any], run: ComputationRun | None = None
) -> CheckResult:
    """Compare the reported uitstroomredenen with the iWmo-derived outflow of the same period."""
    run, derived, hidden = derived_outflow(
        user=user, aanbieder_id=report.aanbieder_id, period=report.period, run=run
    )
    _start, end = period_bounds(report.period)
    if run is None or run.as_of < end:
        return CheckResult(
            available=False,
            run_id=run.pk if run else None,
            findings=(),
            note=str(
                _(
                    "Er is nog geen berekening uit de iWmo-berichten over deze hele periode; "
                    "de controle volgt bij de beoordeling."
                )
            ),
        )
    obligation = report.obligation
    findings = compare_outflow(
        outflow_totals(content),
        derived,
        tolerance_abs=obligation.tolerance_abs,
        tolerance_pct=obligation.tolerance_pct,
        hidden=hidden,
    )
    return CheckResult(available=True, run_id=run.pk, findings=findings)


# --- the municipality's pages: board filters, reminders, next due dates, version comparison ------


def filter_cells(
    cells: Iterable[BoardCell],
    *,
    contract_id: int | None = None,
    kind: str = "",
    period: str = "",
    display_status: str = "",
) -> list[BoardCell]:
    """The cells that match every given filter (empty/None: no filter on that)."""
    return [
        c
        for c in cells
        if (contract_id is None or c.obligation.contract_id == contract_id)
        and (not kind or c.obligation.kind == kind)
        and (not period or c.period == period)
        and (not display_status or c.display_status == display_status)
    ]


def status_counts(cells: Iterable[BoardCell]) -> list[tuple[str, Any, int]]:
    """(display status, label, count) for every display status, in the board's order."""
    counts: dict[str, int] = defaultdict(int)
    for cell in cells:
        counts[cell.display_status] += 1
    return [(key, label, counts.get(key, 0)) for key, label in DISPLAY_LABELS.items()]


CellKey = tuple[int, int, str]  # obligation, aanbieder, period


def cell_key(cell: BoardCell) -> CellKey:
    return (cell.obligation.pk, cell.aanbieder.pk, cell.period)


def reminders_for(cells: Sequence[BoardCell]) -> dict[CellKey, dict[str, ReportReminder]]:
    """Per cell the reminder and the overdue notice that went out (by kind), in one query."""
    obligation_ids = {c.obligation.pk for c in cells}
    wanted = {cell_key(c) for c in cells}
    result: dict[CellKey, dict[str, ReportReminder]] = defaultdict(dict)
    for reminder in ReportReminder.objects.filter(obligation_id__in=obligation_ids):
        key = (reminder.obligation_id, reminder.aanbieder_id, reminder.period)
        if key in wanted:
            result[key][reminder.kind] = reminder
    return dict(result)


def next_due_dates(
    obligation: ReportingObligation, *, on: dt.date | None = None, count: int = 2
) -> list[tuple[str, dt.date]]:
    """The next ``count`` periods of the obligation whose due date is today or later."""
    on = on or today()
    spec = spec_of(obligation)
    final = f"{on.year + 2}H2" if obligation.period_type == "H" else str(on.year + 2)
    if obligation.last_period and obligation.last_period < final:
        final = obligation.last_period
    if final < obligation.first_period:
        return []
    upcoming = [
        (period, due_date(spec, period))
        for period in period_sequence(obligation.period_type, obligation.first_period, final)
    ]
    return [(p, d) for p, d in upcoming if d >= on][:count]


def exemptions_visible_to(user: Any) -> QuerySet[Exemption]:
    """Exemptions for the gemeente (every one); nobody else sees this list."""
    qs = Exemption.objects.select_related(
        "obligation", "obligation__contract", "aanbieder", "created_by", "revoked_by"
    )
    return qs if sees_all_reports(user) else qs.none()


def exemption_state(exemption: Exemption, *, on: dt.date | None = None) -> str:
    """``ingetrokken``, ``verlopen`` (end date passed), ``toekomstig`` or ``actief``."""
    on = on or today()
    if exemption.revoked_at is not None:
        return "ingetrokken"
    if exemption.end_date is not None and exemption.end_date < on:
        return "verlopen"
    if exemption.start_date > on:
        return "toekomstig"
    return "actief"


EXEMPTION_STATE_LABELS: dict[str, Any] = {
    "actief": _("Actief"),
    "toekomstig": _("Gaat nog in"),
    "verlopen": _("Verlopen"),
    "ingetrokken": _("Ingetrokken"),
}


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions (values as shown on the page)."""

    where: str  # referentiegroep, complaint number or "bestand"
    field: str  # the label of the field
    old: str
    new: str


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return str(_("ja"))
    if value is False:
        return str(_("nee"))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def _rows_by(items: Any, key: str) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                rows[str(item.get(key) or f"#{i + 1}")] = item
    return rows


OUTFLOW_LABELS: dict[str, Any] = {
    **dict(OUTFLOW_CATEGORIES),
    "overig_toelichting": _("Toelichting overig"),
}
COMPLAINT_LABELS: dict[str, Any] = {
    "nummer": _("Uniek nummer"),
    "datum_ontvangen": _("Datum ontvangen"),
    "onderwerpen": _("Onderwerpen"),
    "onderwerp_anders": _("Omschrijving onderwerp anders"),
    "afgehandeld": _("Afgehandeld"),
    "oordeel": _("Gegrond of ongegrond"),
    "motivatie": _("Motivatie"),
    "datum_afgehandeld": _("Datum afgehandeld"),
    "wijze_afhandeling": _("Wijze van afhandeling"),
    "woonplaats": _("Woonplaats cliënt"),
}


def _compare_rows(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], labels: dict[str, Any]
) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for where in sorted(set(old) | set(new)):
        before, after = old.get(where), new.get(where)
        if before is None:
            changes.append(
                FieldChange(where, str(_("regel")), str(_("(niet aanwezig)")), str(_("toegevoegd")))
            )
            continue
        if after is None:
            changes.append(
                FieldChange(where, str(_("regel")), str(_("aanwezig")), str(_("verwijderd")))
            )
            continue
        for key, label in labels.items():
            if _shown(before.get(key)) != _shown(after.get(key)):
                changes.append(
                    FieldChange(where, str(label), _shown(before.get(key)), _shown(after.get(key)))
                )
    return changes


def content_changes(kind: str, old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Field-by-field differences between two versions' content (e.g. the accepted version and
    a correction): per referentiegroep (uitstroomredenen), per complaint number (klachten), or
    the file (tevredenheid)."""
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    if kind == ReportKind.UITSTROOMREDENEN:
        return _compare_rows(
            _rows_by(old.get("rijen"), "referentiegroep"),
            _rows_by(new.get("rijen"), "referentiegroep"),
            OUTFLOW_LABELS,
        )
    if kind == ReportKind.KLACHTEN:
        changes = []
        if bool(old.get("geen_klachten")) != bool(new.get("geen_klachten")):
            changes.append(
                FieldChange(
                    "–",
                    str(_("Geen klachten")),
                    _shown(bool(old.get("geen_klachten"))),
                    _shown(bool(new.get("geen_klachten"))),
                )
            )
        return changes + _compare_rows(
            _rows_by(old.get("klachten"), "nummer"),
            _rows_by(new.get("klachten"), "nummer"),
            COMPLAINT_LABELS,
        )
    labels = {"bestand": _("Bestand"), "regels": _("Aantal regels"), "sha256": "SHA-256"}
    return [
        FieldChange(str(_("bestand")), str(label), _shown(old.get(key)), _shown(new.get(key)))
        for key, label in labels.items()
        if _shown(old.get(key)) != _shown(new.get(key))
    ]


# --- the meeting pack (dialogue) ----------------------------------------------------------------


@dataclass(frozen=True)
class MeetingReport:
    """One report of an aanbieder as the meeting pack lists it."""

    cell: BoardCell
    submitted_at: dt.datetime | None  # of the last submitted version
    reference: str
    return_reason: str  # of the last return, if it was ever returned

    @property
    def title(self) -> str:
        return f"{self.cell.obligation.get_kind_display()} ({self.cell.obligation.contract.code})"


def _overlaps(period: str, start: dt.date, end: dt.date) -> bool:
    period_start, period_end = period_bounds(period)
    return period_start <= end and start <= period_end


def reports_for_meeting(
    *, user: Any, aanbieder_id: int, period: str, on: dt.date | None = None
) -> tuple[bool, list[MeetingReport]]:
    """The aanbieder's reports for a meeting about ``period`` (a quarter, half year or year): per
    obligation the report periods that overlap it and, when none of those has been submitted yet,
    the last submitted one before it. Read through the status board, so the user's scope holds (a
    provider only ever sees its own organisation; a user without access to reports sees nothing).
    Returns (whether the aanbieder has obligations this user may see, the rows)."""
    cells = [
        c
        for c in status_board(user=user, aanbieder_id=aanbieder_id, on=on)
        if c.aanbieder.pk == aanbieder_id  # a provider's board is its own, whatever is asked
    ]
    if not cells:
        return False, []
    start, end = period_bounds(period)
    chosen: list[BoardCell] = []
    by_obligation: dict[int, list[BoardCell]] = defaultdict(list)
    for cell in cells:
        by_obligation[cell.obligation.pk].append(cell)
    for obligation_cells in by_obligation.values():
        obligation_cells.sort(key=lambda c: c.period)
        overlapping = [c for c in obligation_cells if _overlaps(c.period, start, end)]
        chosen.extend(overlapping)
        if not any(c.report and c.report.first_submitted_at for c in overlapping):
            earlier = [
                c
                for c in obligation_cells
                if c.report is not None
                and c.report.first_submitted_at is not None
                and period_bounds(c.period)[1] < start
            ]
            chosen.extend(earlier[-1:])
    reports = [c.report for c in chosen if c.report is not None]
    submitted: dict[int, ReportVersion] = {}
    for sent in ReportVersion.objects.filter(
        report__in=reports, submitted_at__isnull=False
    ).order_by("number"):
        submitted[sent.report_id] = sent
    reasons: dict[int, str] = {}
    for event in ReportEvent.objects.filter(
        report__in=reports, to_status=ReportStatus.TERUGGESTUURD
    ).order_by("timestamp", "id"):
        reasons[event.report_id] = event.note
    rows = []
    kinds = list(ReportKind.values)
    for cell in sorted(
        chosen,
        key=lambda c: (c.obligation.contract.code, kinds.index(c.obligation.kind), c.period),
    ):
        version = submitted.get(cell.report.pk) if cell.report else None
        rows.append(
            MeetingReport(
                cell=cell,
                submitted_at=version.submitted_at if version else None,
                reference=(version.reference or "") if version else "",
                return_reason=reasons.get(cell.report.pk, "") if cell.report else "",
            )
        )
    return True, rows
