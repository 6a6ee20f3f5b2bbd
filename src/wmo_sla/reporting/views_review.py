# SPDX-License-Identifier: EUPL-1.2
"""The municipality's reporting pages: status board (+ export), report review, obligations,
exemptions. Views gather what selectors return, call services, render.

Who: the board and the report pages need ``REVIEW_REPORTS`` (contractmanager) or
``VIEW_ALL_AANBIEDERS`` (analist, beheerder: read-only); every action, the obligations and the
exemptions need ``REVIEW_REPORTS``. An aanbieder-gebruiker gets 403 on every page here: its own
reports are on the aanbieder's pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wmo_sla.accounts.roles import Capability
from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log
from wmo_sla.contracts.models import Contract
from wmo_sla.core.transitions import InvalidTransition
from wmo_sla.engine.periods import period_bounds
from wmo_sla.web.decorators import require_capability

from . import exports, selectors, services
from .checks import CATEGORY_LABELS
from .forms_review import (
    BoardFilterForm,
    ExemptionForm,
    ObligationForm,
    ReturnForm,
    RevokeForm,
)
from .models import Report, ReportingObligation, ReportKind, ReportStatus, ReportVersion
from .receipt import SHORT_LABELS, date_text
from .schemas import COMPLAINT_SUBJECTS, OUTFLOW_KEYS

VIEW = (Capability.REVIEW_REPORTS, Capability.VIEW_ALL_AANBIEDERS)
EXPORT_FORMATS = ("csv", "xlsx")


# --- status board -------------------------------------------------------------------------------


def _board(request: HttpRequest) -> dict[str, Any]:
    """Everything the board shows; the export writes ``rows`` of the same dict."""
    cells = selectors.status_board(user=request.user)
    contracts = sorted({c.obligation.contract for c in cells}, key=lambda c: c.code)
    periods = sorted({c.period for c in cells}, reverse=True)
    form = BoardFilterForm(request.GET or None, contracts=contracts, periods=periods)
    filters = form.filters()
    status = filters.pop("display_status")
    selection = selectors.filter_cells(cells, **filters)
    shown = selectors.filter_cells(selection, display_status=status)
    # Newest period first (by end, then start: 2024H2, 2024, 2024H1); within a period by
    # contract, soort and aanbieder (stable sorts).
    shown.sort(key=lambda c: (c.obligation.contract.code, c.obligation.kind, c.aanbieder.name))
    shown.sort(key=lambda c: period_bounds(c.period)[::-1], reverse=True)
    rows = exports.board_rows(shown, selectors.reminders_for(shown))
    params = request.GET.copy()
    params.pop("status", None)
    counts = []
    for key, label, count in selectors.status_counts(selection):
        params["status"] = key
        counts.append(
            {
                "key": key,
                "label": label,
                "count": count,
                "url": "?" + params.urlencode(),
                "symbol": exports.STATUS_MARKS[key][0],
            }
        )
    query = request.GET.urlencode()
    return {
        "form": form,
        "valid": not form.is_bound or form.is_valid(),
        "rows": rows,
        "total": len(selection),
        "counts": counts,
        "status": status,
        "timeliness": selectors.timeliness(selection),
        "csv_url": reverse("reporting:board_export", args=["csv"]) + (f"?{query}" if query else ""),
        "xlsx_url": reverse("reporting:board_export", args=["xlsx"])
        + (f"?{query}" if query else ""),
        "may_review": selectors.is_reviewer(request.user),
        "filters": {**filters, "display_status": status},
    }


@require_capability(*VIEW)
def board(request: HttpRequest) -> HttpResponse:
    context = _board(request)
    return render(
        request,
        "reporting/review/board.html",
        context,
        status=200 if context["valid"] else 400,
    )


@require_capability(*VIEW)
def board_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    context = _board(request)
    if not context["valid"]:
        return render(request, "reporting/review/board.html", context, status=400)
    rows = context["rows"]
    stem = f"rapportages-{selectors.today():%Y%m%d}"
    if fmt == "csv":
        content = exports.to_csv(rows)
        content_type = "text/csv; charset=utf-8"
    else:
        title = _("Rapportages van aanbieders, stand %(date)s") % {
            "date": f"{selectors.today():%d-%m-%Y}"
        }
        content = exports.to_xlsx(rows, title)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    filters = context["filters"]
    audit_log(
        action=AuditAction.REPORTS_EXPORTED,
        request=request,
        object_type="reporting.statusoverzicht",
        object_id=stem,
        object_repr=f"{stem}.{fmt}",
        extra={
            "event": "rapportages_overzicht_geexporteerd",
            "format": fmt,
            "contract": filters["contract_id"],
            "soort": filters["kind"],
            "periode": filters["period"],
            "status": filters["display_status"],
            "rows": len(rows),
        },
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


# --- one report ---------------------------------------------------------------------------------


def _report_or_404(user: Any, report_pk: int) -> Report:
    report = selectors.reports_visible_to(user).filter(pk=report_pk).first()
    if report is None:
        raise Http404
    return report


def _outflow_view(content: dict[str, Any]) -> list[dict[str, Any]]:
    rows = content.get("rijen") if isinstance(content.get("rijen"), list) else []
    out = []
    for row in rows or []:
        if not isinstance(row, dict):
            continue
        values = [row.get(key) for key in OUTFLOW_KEYS]
        numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
        out.append(
            {
                "referentiegroep": row.get("referentiegroep") or "–",
                "values": values,
                "total": sum(numbers) if len(numbers) == len(values) else None,
                "toelichting": row.get("overig_toelichting") or "",
            }
        )
    return out


def _complaints_view(content: dict[str, Any]) -> list[dict[str, Any]]:
    subjects = dict(COMPLAINT_SUBJECTS)
    items = content.get("klachten") if isinstance(content.get("klachten"), list) else []
    out = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        chosen = item.get("onderwerpen") if isinstance(item.get("onderwerpen"), list) else []
        out.append(
            {
                **item,
                "onderwerpen_text": ", ".join(subjects.get(s, str(s)) for s in chosen or []),
                "datum_ontvangen_text": date_text(item.get("datum_ontvangen")),
                "datum_afgehandeld_text": date_text(item.get("datum_afgehandeld")),
            }
        )
    return out


def _version_view(report: Report, version: ReportVersion) -> dict[str, Any]:
    content = version.content if isinstance(version.content, dict) else {}
    check = version.check_result if isinstance(version.check_result, dict) else {}
    return {
        "version": version,
        "outflow": _outflow_view(content)
        if report.obligation.kind == ReportKind.UITSTROOMREDENEN
        else None,
        "complaints": _complaints_view(content)
        if report.obligation.kind == ReportKind.KLACHTEN
        else None,
        "geen_klachten": bool(content.get("geen_klachten")),
        "survey": content if report.obligation.kind == ReportKind.TEVREDENHEID else None,
        "check": check,
        "check_findings": [
            {**f, "label": CATEGORY_LABELS.get(f.get("category", ""), f.get("category", ""))}
            for f in check.get("findings") or []
            if isinstance(f, dict)
        ],
    }


def _detail(
    request: HttpRequest,
    report: Report,
    *,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    versions = list(report.versions.select_related("saved_by", "submitted_by").order_by("number"))
    submitted = [v for v in versions if v.is_submitted]
    current = submitted[-1] if submitted else None
    accepted = next((v for v in versions if v.pk == report.accepted_version_id), None)
    latest = versions[-1] if versions else None
    # Changed after acceptance: a newer *submitted* version is compared with the accepted one; a
    # newer concept is the aanbieder's work in progress and only mentioned.
    correction = (
        current
        if accepted is not None and current is not None and current.number > accepted.number
        else None
    )
    cells = selectors.board_cells(
        ReportingObligation.objects.filter(pk=report.obligation_id),
        aanbieder_id=report.aanbieder_id,
    )
    cell = next((c for c in cells if c.period == report.period), None)
    due = selectors.obligation_due_date(report.obligation, report.period)
    first = report.first_submitted_at
    may_review = selectors.is_reviewer(request.user) and report.status == ReportStatus.INGEDIEND
    labels = dict(ReportStatus.choices)
    context = {
        "report": report,
        "due_date": due,
        "submitted_late": first is not None and timezone.localdate(first) > due,
        "is_late": first is None
        and selectors.today() > due
        and selectors.exemption_for(report.obligation, report.aanbieder_id, report.period) is None,
        "status_label": cell.display_label if cell else report.get_status_display(),
        "status_mark": exports.STATUS_MARKS.get(cell.display_status if cell else report.status),
        "versions": versions,
        "current": _version_view(report, current) if current else None,
        "accepted": _version_view(report, accepted) if accepted and correction else None,
        "correction": correction,
        "changes": selectors.content_changes(
            report.obligation.kind, accepted.content, correction.content
        )
        if accepted and correction
        else None,
        "pending_concept": latest if latest is not None and not latest.is_submitted else None,
        "events": [
            {
                "event": e,
                "from_label": labels.get(e.from_status, e.from_status),
                "to_label": labels.get(e.to_status, e.to_status),
            }
            for e in report.events.select_related("actor", "version").order_by("timestamp", "id")
        ],
        "return_reason": selectors.return_reason(report),
        "may_review": may_review,
        "return_form": return_form or (ReturnForm() if may_review else None),
        "outflow_labels": [SHORT_LABELS[key] for key in OUTFLOW_KEYS],
        "kinds": ReportKind,
    }
    return render(request, "reporting/review/report_detail.html", context, status=status)


@require_capability(*VIEW)
def report_detail(request: HttpRequest, report_pk: int) -> HttpResponse:
    return _detail(request, _report_or_404(request.user, report_pk))


@require_POST
@require_capability(Capability.REVIEW_REPORTS)
def accept(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report_or_404(request.user, report_pk)
    try:
        services.accept_report(actor=request.user, report=report, request=request)
    except (services.ReportingError, InvalidTransition) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("De rapportage %(title)s van %(aanbieder)s is geaccepteerd.")
            % {"title": _title(report), "aanbieder": report.aanbieder.name},
        )
    return redirect("reporting:report_detail", report_pk=report.pk)


@require_POST
@require_capability(Capability.REVIEW_REPORTS)
def return_(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report_or_404(request.user, report_pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_report(
                actor=request.user,
                report=report,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except (services.ReportingError, InvalidTransition) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "De rapportage %(title)s is teruggestuurd naar %(aanbieder)s. De aanbieder "
                    "ziet de reden en krijgt een e-mail."
                )
                % {"title": _title(report), "aanbieder": report.aanbieder.name},
            )
            return redirect("reporting:report_detail", report_pk=report.pk)
    report.refresh_from_db()
    return _detail(request, report, return_form=form, status=400)


def _title(report: Report) -> str:
    return f"{report.obligation.get_kind_display()} {report.period}"


@require_capability(*VIEW)
def version_file(request: HttpRequest, report_pk: int, version_number: int) -> HttpResponse:
    """The tevredenheid CSV of a submitted version, byte for byte as the aanbieder sent it."""
    report = _report_or_404(request.user, report_pk)
    version = report.versions.filter(number=version_number, submitted_at__isnull=False).first()
    if version is None or not version.attachment:
        raise Http404
    audit_log(
        action=AuditAction.REPORTS_EXPORTED,
        request=request,
        obj=version,
        extra={"event": "rapportage_bestand_gedownload", "bestand": version.attachment_name},
    )
    response = HttpResponse(bytes(version.attachment), content_type="text/csv")
    name = f"{report.aanbieder_id}-{report.period}-v{version.number}.csv"
    response["Content-Disposition"] = f'attachment; filename="tevredenheid-{name}"'
    return response


# --- obligations --------------------------------------------------------------------------------


@require_capability(Capability.REVIEW_REPORTS)
def obligation_list(request: HttpRequest) -> HttpResponse:
    obligations = (
        selectors.obligations_visible_to(request.user)
        .annotate(
            active_exemptions=Count("exemptions", filter=Q(exemptions__revoked_at__isnull=True))
        )
        .order_by("contract__code", "kind")
    )
    items = [{"obligation": o, "next": selectors.next_due_dates(o)} for o in obligations]
    return render(request, "reporting/review/obligation_list.html", {"items": items})


def _contracts() -> Any:
    return Contract.objects.order_by("code")


@require_capability(Capability.REVIEW_REPORTS)
def obligation_create(request: HttpRequest) -> HttpResponse:
    form = ObligationForm(request.POST or None, contracts=_contracts())
    if request.method == "POST" and form.is_valid():
        try:
            obligation = services.obligation_create(
                actor=request.user, request=request, **form.values()
            )
        except services.ReportingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("De verplichting %(obligation)s is vastgelegd.") % {"obligation": obligation},
            )
            return redirect("reporting:obligation_list")
    return render(
        request,
        "reporting/review/obligation_form.html",
        {"form": form, "obligation": None},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_capability(Capability.REVIEW_REPORTS)
def obligation_edit(request: HttpRequest, obligation_pk: int) -> HttpResponse:
    obligation = selectors.obligations_visible_to(request.user).filter(pk=obligation_pk).first()
    if obligation is None:
        raise Http404
    form = ObligationForm(request.POST or None, obligation=obligation)
    if request.method == "POST" and form.is_valid():
        try:
            services.obligation_update(
                actor=request.user,
                obligation=obligation,
                request=request,
                **{k: v for k, v in form.values().items() if k in services.OBLIGATION_EDITABLE},
            )
        except services.ReportingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("De verplichting %(obligation)s is gewijzigd.") % {"obligation": obligation},
            )
            return redirect("reporting:obligation_list")
    return render(
        request,
        "reporting/review/obligation_form.html",
        {"form": form, "obligation": obligation, "next": selectors.next_due_dates(obligation)},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- exemptions ---------------------------------------------------------------------------------


@require_capability(Capability.REVIEW_REPORTS)
def exemption_list(request: HttpRequest) -> HttpResponse:
    today = selectors.today()
    items = [
        {
            "exemption": e,
            "state": state,
            "state_label": selectors.EXEMPTION_STATE_LABELS[state],
        }
        for e in selectors.exemptions_visible_to(request.user).order_by(
            "obligation__contract__code", "obligation__kind", "-start_date", "-id"
        )
        for state in [selectors.exemption_state(e, on=today)]
    ]
    return render(
        request,
        "reporting/review/exemption_list.html",
        {
            "items": items,
            "obligations": selectors.obligations_visible_to(request.user).order_by(
                "contract__code", "kind"
            ),
        },
    )


@require_capability(Capability.REVIEW_REPORTS)
def exemption_create(request: HttpRequest) -> HttpResponse:
    """Step 1 (no ``verplichting`` chosen): pick the obligation. Step 2: the exemption form, whose
    aanbieder list holds only the aanbieders of that obligation's contract."""
    obligations = selectors.obligations_visible_to(request.user).order_by("contract__code", "kind")
    chosen = request.GET.get("verplichting", "")
    obligation = obligations.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if obligation is None:
        return render(
            request,
            "reporting/review/exemption_form.html",
            {
                "obligation": None,
                "obligations": obligations,
                "choice_error": _("Kies een verplichting uit de lijst.") if chosen else "",
            },
            status=400 if chosen else 200,
        )
    form = ExemptionForm(request.POST or None, obligation=obligation)
    if request.method == "POST" and form.is_valid():
        try:
            services.exemption_create(
                actor=request.user,
                obligation=obligation,
                aanbieder=form.cleaned_data["aanbieder"],
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.ReportingError as exc:
            form.add_error(None, str(exc))
        else:
            who = form.cleaned_data["aanbieder"]
            messages.success(
                request,
                _("De vrijstelling voor %(who)s is verleend (%(obligation)s).")
                % {
                    "who": who.name if who else _("alle aanbieders"),
                    "obligation": obligation,
                },
            )
            return redirect("reporting:exemption_list")
    return render(
        request,
        "reporting/review/exemption_form.html",
        {"obligation": obligation, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_capability(Capability.REVIEW_REPORTS)
def exemption_revoke(request: HttpRequest, exemption_pk: int) -> HttpResponse:
    exemption = selectors.exemptions_visible_to(request.user).filter(pk=exemption_pk).first()
    if exemption is None:
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exemption_revoke(
                actor=request.user,
                exemption=exemption,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.ReportingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De vrijstelling is ingetrokken."))
            return redirect("reporting:exemption_list")
    return render(
        request,
        "reporting/review/exemption_revoke.html",
        {
            "exemption": exemption,
            "form": form,
            "state_label": selectors.EXEMPTION_STATE_LABELS[selectors.exemption_state(exemption)],
        },
        status=400 if form.is_bound and form.errors else 200,
    )
