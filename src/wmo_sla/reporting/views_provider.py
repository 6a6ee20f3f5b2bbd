# SPDX-License-Identifier: EUPL-1.2
"""The aanbieder's reporting pages: my reports, fill in (with autosave), review, submit, receipt.

Views gather what ``selectors`` return, call ``services`` and render; every rule (who may save,
which period is due, the iWmo check, double submits) lives in the domain layer and reaches the
user as its Dutch message. Another aanbieder's obligation, report or version is a 404.

An expired session while typing loses nothing: a form POST without a valid session is kept in
the (new, anonymous) session together with a signed owner token (user and aanbieder) from the
form; after logging in, the form shows that input again with a notice, only to the same user of
the same aanbieder (see ``docs/reporting.md`` § Pagina's voor de aanbieder).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.contracts.models import Aanbieder
from wmo_sla.web.decorators import require_capability

from . import selectors, services
from .forms import (
    SubmitForm,
    SurveyUploadForm,
    field_id,
    klachten_form,
    klachten_from_post,
    outflow_form,
    outflow_from_post,
    template_complaint,
)
from .models import Report, ReportingObligation, ReportKind, ReportStatus, ReportVersion
from .pdf import render_receipt_pdf
from .receipt import check_view, content_display, receipt_context
from .receipt import who as _who
from .schemas import FieldError

RESTORE_KEY = "wmo_sla_reporting_restore"
OWNER_SALT = "wmo_sla.reporting.form-owner"
_PERIOD_LABEL = re.compile(r"^\d{4}(H[12])?$")
# What is kept of a form posted after the session expired: the report's fields, nothing else.
_KEPT_KEY = re.compile(r"^((rijen|klachten)\.\d{1,4}\.\w{1,40}|geen_klachten|expected_saved_at)$")

# Status in words plus a symbol (never colour alone); the symbol is decoration for AT.
STATUS_SYMBOLS = {
    ReportStatus.NIET_GESTART: "○",
    ReportStatus.CONCEPT: "✎",
    ReportStatus.INGEDIEND: "✓",
    ReportStatus.GEACCEPTEERD: "✔",
    ReportStatus.TERUGGESTUURD: "↩",
    selectors.TE_LAAT: "!",
    selectors.VRIJGESTELD: "–",
    selectors.GEWIJZIGD_NA_ACCEPTATIE: "✎",
}


def _hhmm(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def _when(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%d-%m-%Y %H:%M}" if moment else ""


# --- which report ---------------------------------------------------------------------------------


@dataclass
class Target:
    obligation: ReportingObligation
    period: str
    report: Report | None
    latest: ReportVersion | None

    @property
    def concept(self) -> ReportVersion | None:
        """The shared concept being edited (None: no draft yet, or the last one was submitted)."""
        return self.latest if self.latest is not None and not self.latest.is_submitted else None

    @property
    def title(self) -> str:
        return f"{self.obligation.get_kind_display()} {self.period}"


def _target(request: HttpRequest, obligation_pk: int, period: str) -> Target:
    """The own aanbieder's report for this obligation and period; 404 for anything else."""
    obligation = selectors.obligations_visible_to(request.user).filter(pk=obligation_pk).first()
    aanbieder_id = selectors.own_aanbieder_id(request.user)
    if obligation is None or aanbieder_id is None or not _PERIOD_LABEL.match(period):
        raise Http404
    report = (
        selectors.reports_visible_to(request.user)
        .filter(obligation=obligation, aanbieder_id=aanbieder_id, period=period)
        .first()
    )
    latest = selectors.latest_version(report) if report else None
    return Target(obligation=obligation, period=period, report=report, latest=latest)


def _own(request: HttpRequest) -> Aanbieder:
    """The user's own aanbieder (callers checked ``SUBMIT_REPORTS`` and ``_target``)."""
    aanbieder = getattr(request.user, "aanbieder", None)
    if not isinstance(aanbieder, Aanbieder):
        raise Http404
    return aanbieder


def _not_available(request: HttpRequest, target: Target) -> HttpResponse | None:
    """A page with the domain's reason when this period cannot be filled in now."""
    try:
        services.require_due(target.obligation, _own(request).pk, target.period, selectors.today())
    except services.ReportingError as exc:
        return render(
            request,
            "reporting/provider/not_available.html",
            {"target": target, "message": str(exc)},
        )
    return None


def _submitted_notice(request: HttpRequest, target: Target) -> HttpResponse:
    version = selectors.last_submitted_version(target.report) if target.report else None
    return render(
        request,
        "reporting/provider/not_available.html",
        {
            "target": target,
            "version": version,
            "message": _(
                "Deze rapportage is ingediend op %(when)s met kenmerk %(ref)s en wacht op "
                "beoordeling door de gemeente; u kunt hem nu niet wijzigen."
            )
            % {"when": _when(version.submitted_at if version else None), "ref": version.reference}
            if version
            else "",
        },
    )


# --- content from the form, and the form from content ---------------------------------------------


def _groups(obligation: ReportingObligation) -> list[str]:
    return selectors.contract_referentiegroepen(obligation.contract_id)


def _content_from_post(obligation: ReportingObligation, post: Any) -> dict[str, Any]:
    if obligation.kind == ReportKind.UITSTROOMREDENEN:
        return outflow_from_post(post, _groups(obligation))
    return klachten_from_post(post)


def _parse_moment(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def _owner_token(user: Any) -> str:
    return signing.dumps({"u": user.pk, "a": user.aanbieder_id}, salt=OWNER_SALT)


def _keep_for_login(request: HttpRequest) -> bool:
    """An expired session: keep the posted form in the new anonymous session for after login."""
    data = {k: v for k, v in request.POST.lists() if _KEPT_KEY.match(k)}
    if len(json.dumps(data)) > services.MAX_DRAFT_BYTES:
        return False
    request.session[RESTORE_KEY] = {
        "path": request.path.removesuffix("opslaan/"),
        "owner": request.POST.get("_eigenaar", ""),
        "data": data,
    }
    return True


def _restored_post(request: HttpRequest) -> QueryDict | None:
    """The input kept at an expired session, for this form and this user only (else dropped)."""
    kept = request.session.get(RESTORE_KEY)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[RESTORE_KEY]
    try:
        owner = signing.loads(
            kept.get("owner", ""), salt=OWNER_SALT, max_age=settings.SESSION_COOKIE_AGE * 2
        )
    except signing.BadSignature:
        return None
    user = request.user
    if owner.get("u") != user.pk or owner.get("a") != getattr(user, "aanbieder_id", None):
        return None
    post = QueryDict(mutable=True)
    for key, values in kept.get("data", {}).items():
        post.setlist(key, [str(v) for v in values])
    return post


def _render_edit(
    request: HttpRequest,
    target: Target,
    content: dict[str, Any],
    *,
    expected: dt.datetime | None,
    errors: list[FieldError] | tuple[FieldError, ...] = (),
    problem: str = "",
    restored: bool = False,
    status: int = 200,
) -> HttpResponse:
    obligation = target.obligation
    context: dict[str, Any] = {
        "target": target,
        "obligation": obligation,
        "kind": obligation.kind,
        "concept": target.concept,
        "saved_by": _who(target.concept.saved_by) if target.concept else "",
        "expected": expected.isoformat() if expected else "",
        "owner": _owner_token(request.user),
        "problem": problem,
        "restored": restored,
        "return_reason": selectors.return_reason(target.report)
        if target.report and target.report.status == ReportStatus.TERUGGESTUURD
        else "",
        "is_new_version": target.latest is not None and target.latest.is_submitted,
        "due_date": selectors.obligation_due_date(obligation, target.period),
        "urls": _urls(target),
    }
    if obligation.kind == ReportKind.UITSTROOMREDENEN:
        form, rows = outflow_form(content, _groups(obligation), errors)
        context.update({"form": form, "outflow_rows": rows})
    else:
        form, complaint_rows, none = klachten_form(content, errors)
        context.update(
            {
                "form": form,
                "complaints": complaint_rows,
                "geen_klachten": none,
                "complaint_template": template_complaint(),
            }
        )
    return render(request, "reporting/provider/edit.html", context, status=status)


def _urls(target: Target) -> dict[str, str]:
    args = [target.obligation.pk, target.period]
    return {
        "edit": reverse("reporting:edit", args=args),
        "autosave": reverse("reporting:autosave", args=args),
        "check": reverse("reporting:check", args=args),
        "submit": reverse("reporting:submit", args=args),
        "mine": reverse("reporting:mine"),
    }


# --- pages -----------------------------------------------------------------------------------------


@require_capability(Capability.SUBMIT_REPORTS)
def mine(request: HttpRequest) -> HttpResponse:
    """Every obligation × opened period of the own organisation, with status and next step."""
    cells = selectors.status_board(user=request.user)
    reports = selectors.reports_visible_to(request.user)
    submitted = list(
        ReportVersion.objects.filter(report__in=reports, submitted_at__isnull=False)
        .select_related("report", "report__obligation", "submitted_by")
        .order_by("-submitted_at")
    )
    last_submitted: dict[int, ReportVersion] = {}
    for version in submitted:
        last_submitted.setdefault(version.report_id, version)
    reasons: dict[int, str] = {}
    returned = [c.report for c in cells if c.report and c.status == ReportStatus.TERUGGESTUURD]
    for returned_report in returned:
        assert returned_report is not None
        reasons[returned_report.pk] = selectors.return_reason(returned_report)
    by_obligation: dict[int, list[dict[str, Any]]] = defaultdict(list)
    obligations: dict[int, ReportingObligation] = {}
    for cell in sorted(cells, key=lambda c: (c.obligation.kind, c.period), reverse=True):
        obligations[cell.obligation.pk] = cell.obligation
        report = cell.report
        by_obligation[cell.obligation.pk].append(
            {
                "cell": cell,
                "symbol": STATUS_SYMBOLS.get(cell.display_status, ""),
                "receipt": last_submitted.get(report.pk) if report else None,
                "reason": reasons.get(report.pk, "") if report else "",
                "action": _next_action(cell),
                "edit_url": reverse("reporting:edit", args=[cell.obligation.pk, cell.period]),
            }
        )
    sections = [
        {"obligation": obligations[pk], "rows": rows}
        for pk, rows in sorted(by_obligation.items(), key=lambda kv: obligations[kv[0]].kind)
    ]
    return render(
        request,
        "reporting/provider/mine.html",
        {"sections": sections, "submitted": submitted, "today": selectors.today()},
    )


def _next_action(cell: selectors.BoardCell) -> str:
    """The label of the link to the form, or '' when there is nothing to fill in now."""
    if cell.exemption is not None and cell.report is None:
        return ""
    status = cell.status
    if status == ReportStatus.NIET_GESTART:
        return _("Invullen")
    if status == ReportStatus.CONCEPT:
        return _("Verder invullen")
    if status == ReportStatus.TERUGGESTUURD:
        return _("Aanpassen en opnieuw indienen")
    if status == ReportStatus.GEACCEPTEERD:
        return _("Corrigeren")
    return ""


def edit(request: HttpRequest, obligation_pk: int, period: str) -> HttpResponse:
    """Fill in a report. Not ``require_capability``: a POST after the session expired is kept."""
    if not request.user.is_authenticated:
        if request.method == "POST" and (request.FILES or not _keep_for_login(request)):
            messages.warning(
                request,
                _(
                    "Uw sessie is verlopen. Log opnieuw in; wat u verstuurde kon niet worden "
                    "bewaard (een bestand kiest u opnieuw)."
                ),
            )
        elif request.method == "POST":
            messages.warning(
                request,
                _(
                    "Uw sessie is verlopen. Log opnieuw in; wat u had ingevuld is bewaard en "
                    "staat daarna weer in het formulier."
                ),
            )
        return redirect_to_login(
            request.path if request.method == "POST" else request.get_full_path()
        )
    if not has_capability(request.user, Capability.SUBMIT_REPORTS):
        raise PermissionDenied
    target = _target(request, obligation_pk, period)
    blocked = _not_available(request, target)
    if blocked is not None:
        return blocked
    if target.report is not None and target.report.status == ReportStatus.INGEDIEND:
        return _submitted_notice(request, target)
    if target.obligation.kind == ReportKind.TEVREDENHEID:
        return _survey(request, target)
    if request.method == "POST":
        return _edit_post(request, target)
    restored = _restored_post(request)
    expected = target.concept.saved_at if target.concept else None
    if restored is not None:
        content = _content_from_post(target.obligation, restored)
        expected = _parse_moment(restored.get("expected_saved_at"))
    elif target.latest is not None:
        content = dict(target.latest.content or {})
    else:
        content = selectors.initial_content(
            target.obligation,
            _own(request).pk,
            target.period,
        )
    errors: list[FieldError] = []
    if request.GET.get("fouten") and target.concept is not None and restored is None:
        errors = services.validate_version(target.report, target.concept)  # type: ignore[arg-type]
    return _render_edit(
        request, target, content, expected=expected, errors=errors, restored=restored is not None
    )


def _edit_post(request: HttpRequest, target: Target) -> HttpResponse:
    content = _content_from_post(target.obligation, request.POST)
    expected = _parse_moment(request.POST.get("expected_saved_at"))
    try:
        saved = services.save_draft(
            actor=request.user,
            obligation=target.obligation,
            aanbieder=_own(request),
            period=target.period,
            content=content,
            expected_saved_at=expected,
            request=request,
        )
    except services.ReportingError as exc:
        # Nothing is lost: the input stays on the form. Saving again (knowingly) replaces the
        # colleague's version, so the hidden field now carries the current concept's moment.
        current = _target(request, target.obligation.pk, target.period)
        problem = str(exc)
        if current.concept is not None and expected is not None:
            problem += " " + _(
                "Uw invoer staat hieronder nog. Opnieuw opslaan vervangt de versie van uw "
                "collega; open het concept opnieuw om die eerst te bekijken."
            )
        return _render_edit(
            request,
            current,
            content,
            expected=current.concept.saved_at if current.concept else None,
            problem=problem,
            status=409,
        )
    urls = _urls(target)
    if "controleren" in request.POST:
        errors = services.validate_version(saved.report, saved.version)
        if errors:
            fresh = _target(request, target.obligation.pk, target.period)
            return _render_edit(
                request, fresh, content, expected=saved.saved_at, errors=errors, status=400
            )
        return redirect(urls["check"])
    messages.success(
        request,
        _("Opgeslagen om %(time)s. Uw collega's zien dit concept ook.")
        % {"time": _hhmm(saved.saved_at)},
    )
    if "toevoegen" in request.POST:
        last = len(content.get("klachten") or []) - 1
        return redirect(f"{urls['edit']}#{field_id(f'klachten.{last}.nummer')}")
    return redirect(urls["edit"])


@require_POST
def autosave(request: HttpRequest, obligation_pk: int, period: str) -> HttpResponse:
    """Save the concept from the browser's autosave; answers JSON ``{saved_at, label}``."""
    if not request.user.is_authenticated:
        _keep_for_login(request)
        return JsonResponse(
            {
                "message": _(
                    "Uw sessie is verlopen; er is niet automatisch opgeslagen. Uw invoer staat nog "
                    "in het formulier. Klik op ‘Opslaan als concept’: u logt opnieuw in en krijgt "
                    "uw invoer terug."
                )
            },
            status=401,
        )
    if not has_capability(request.user, Capability.SUBMIT_REPORTS):
        return JsonResponse(
            {"message": _("U heeft geen rechten om rapportages in te vullen.")}, status=403
        )
    target = _target(request, obligation_pk, period)
    if target.obligation.kind == ReportKind.TEVREDENHEID:
        return JsonResponse({"message": _("Deze rapportage levert u aan als bestand.")}, status=400)
    try:
        saved = services.save_draft(
            actor=request.user,
            obligation=target.obligation,
            aanbieder=_own(request),
            period=period,
            content=_content_from_post(target.obligation, request.POST),
            expected_saved_at=_parse_moment(request.POST.get("expected_saved_at")),
            autosave=True,
            request=request,
        )
    except services.ReportingError as exc:
        return JsonResponse({"message": str(exc)}, status=409)
    return JsonResponse(
        {
            "saved_at": saved.saved_at.isoformat(),
            "label": _("Opgeslagen om %(time)s") % {"time": _hhmm(saved.saved_at)},
        }
    )


def _survey(request: HttpRequest, target: Target) -> HttpResponse:
    """The tevredenheid report: upload the K13 CSV; a rejected file leaves nothing behind."""
    form = SurveyUploadForm(request.POST or None, request.FILES or None)
    file_errors: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["bestand"]
            data = upload.read()
            try:
                services.upload_survey(
                    actor=request.user,
                    obligation=target.obligation,
                    aanbieder=_own(request),
                    period=target.period,
                    data=data,
                    name=upload.name,
                    request=request,
                )
            except services.ReportContentInvalid as exc:
                file_errors = [e.message for e in exc.errors]
            except services.ReportingError as exc:
                file_errors = [str(exc)]
            else:
                messages.success(
                    request,
                    _("Het bestand %(name)s is gecontroleerd en als concept opgeslagen.")
                    % {"name": upload.name},
                )
                return redirect(_urls(target)["edit"])
        status = 400
    return render(
        request,
        "reporting/provider/survey.html",
        {
            "target": target,
            "obligation": target.obligation,
            "form": form,
            "file_errors": file_errors,
            "concept": target.concept,
            "saved_by": _who(target.concept.saved_by) if target.concept else "",
            "return_reason": selectors.return_reason(target.report)
            if target.report and target.report.status == ReportStatus.TERUGGESTUURD
            else "",
            "due_date": selectors.obligation_due_date(target.obligation, target.period),
            "urls": _urls(target),
        },
        status=status,
    )


# --- review and submit ------------------------------------------------------------------------------


def _check_page(
    request: HttpRequest,
    target: Target,
    *,
    form: SubmitForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    version = target.latest
    assert target.report is not None and version is not None
    errors = services.validate_version(target.report, version)
    check = services.check_version(user=request.user, report=target.report, version=version)
    edit_url = _urls(target)["edit"]
    return render(
        request,
        "reporting/provider/check.html",
        {
            "target": target,
            "version": version,
            "display": content_display(target.report, version),
            "errors": [
                {"message": e.message, "href": f"{edit_url}?fouten=1#{field_id(e.field)}"}
                for e in errors
            ],
            "check": check_view(check.as_json() if check is not None else None),
            "needs_explanation": bool(check and check.warnings),
            "form": form or SubmitForm(),
            "problem": problem,
            "saved_by": _who(version.saved_by),
            "urls": _urls(target),
        },
        status=status,
    )


@require_capability(Capability.SUBMIT_REPORTS)
def check(request: HttpRequest, obligation_pk: int, period: str) -> HttpResponse:
    target = _target(request, obligation_pk, period)
    blocked = _not_available(request, target)
    if blocked is not None:
        return blocked
    if target.latest is None or target.report is None:
        messages.info(request, _("Vul de rapportage eerst in."))
        return redirect(_urls(target)["edit"])
    if target.latest.is_submitted:
        if target.report.status == ReportStatus.TERUGGESTUURD:
            return redirect(_urls(target)["edit"])
        return _submitted_notice(request, target)
    return _check_page(request, target)


@require_POST
@require_capability(Capability.SUBMIT_REPORTS)
def submit(request: HttpRequest, obligation_pk: int, period: str) -> HttpResponse:
    target = _target(request, obligation_pk, period)
    if target.report is None:
        messages.error(request, _("Er is nog niets ingevuld om in te dienen."))
        return redirect(_urls(target)["edit"])
    form = SubmitForm(request.POST)
    explanation = form.cleaned_data["toelichting"] if form.is_valid() else ""
    try:
        submitted = services.submit_report(
            actor=request.user, report=target.report, explanation=explanation, request=request
        )
    except services.ReportCheckNeedsExplanation as exc:
        form.add_error("toelichting", str(exc))
        return _check_page(request, target, form=form, status=400)
    except services.ReportContentInvalid as exc:
        return _check_page(request, target, form=form, problem=str(exc), status=400)
    except services.ReportingError as exc:
        fresh = _target(request, target.obligation.pk, target.period)
        done = selectors.last_submitted_version(fresh.report) if fresh.report else None
        if (
            done is not None
            and fresh.latest == done
            and fresh.report is not None
            and fresh.report.status != ReportStatus.TERUGGESTUURD
        ):
            # A double submit (two tabs, a double click): say when and where the receipt is.
            messages.info(request, str(exc))
            return redirect("reporting:receipt", version_pk=done.pk)
        messages.error(request, str(exc))
        return redirect(_urls(target)["edit"])
    messages.success(
        request,
        _("Uw rapportage is ingediend op %(when)s met kenmerk %(ref)s.")
        % {"when": _when(submitted.submitted_at), "ref": submitted.reference},
    )
    return redirect("reporting:receipt", version_pk=submitted.version.pk)


# --- receipt -----------------------------------------------------------------------------------------


def _receipt_version(request: HttpRequest, version_pk: int) -> ReportVersion:
    version = (
        ReportVersion.objects.select_related(
            "report", "report__obligation", "report__aanbieder", "submitted_by"
        )
        .filter(
            pk=version_pk,
            submitted_at__isnull=False,
            report__in=selectors.reports_visible_to(request.user),
        )
        .first()
    )
    if version is None:
        raise Http404
    return version


_RECEIPT_CAPABILITIES = (
    Capability.SUBMIT_REPORTS,
    Capability.REVIEW_REPORTS,
    Capability.VIEW_ALL_AANBIEDERS,
)


@require_capability(*_RECEIPT_CAPABILITIES)
def receipt(request: HttpRequest, version_pk: int) -> HttpResponse:
    version = _receipt_version(request, version_pk)
    context = receipt_context(version)
    context["is_own"] = selectors.own_aanbieder_id(request.user) == version.report.aanbieder_id
    context["sees_all"] = selectors.sees_all_reports(request.user)
    return render(request, "reporting/receipt.html", context)


@require_capability(*_RECEIPT_CAPABILITIES)
def receipt_pdf(request: HttpRequest, version_pk: int) -> HttpResponse:
    version = _receipt_version(request, version_pk)
    response = HttpResponse(render_receipt_pdf(receipt_context(version)), "application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ontvangstbevestiging-{version.reference}.pdf"'
    )
    return response
