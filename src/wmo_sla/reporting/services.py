# SPDX-License-Identifier: EUPL-1.2
"""Writes of the reporting workflow: obligations, exemptions, drafts, submission, review, reminders.

Every status change of a report goes through :func:`_report_to` (allowed-transition map
``REPORT_TRANSITIONS``, append-only ``ReportEvent``, audit log). Every refusal is a
:class:`ReportingError` with a Dutch message meant for the user; invalid content is a
:class:`ReportContentInvalid` with one message per field; a difference with the iWmo data that is
not yet explained is a :class:`ReportCheckNeedsExplanation`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wmo_sla.accounts.models import User
from wmo_sla.accounts.roles import Capability, Role, has_capability
from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log
from wmo_sla.contracts.models import Aanbieder, AgbCode, Contract
from wmo_sla.core.status import record_status_change
from wmo_sla.engine.periods import period_bounds
from wmo_sla.kpis.survey import SurveyFileInvalid, parse_survey, survey_import_bytes

from .checks import CheckResult
from .models import (
    REPORT_TRANSITIONS,
    DueRule,
    Exemption,
    ReminderKind,
    Report,
    ReportEvent,
    ReportingObligation,
    ReportKind,
    ReportReminder,
    ReportStatus,
    ReportVersion,
)
from .schedule import DueRuleSpec, ScheduleError, check_period, check_rule
from .schemas import (
    SCHEMA_VERSION,
    FieldError,
    validate_klachten,
    validate_uitstroomredenen,
)
from .selectors import (
    board_cells,
    check_outflow,
    contract_referentiegroepen,
    exemption_for,
    is_reviewer,
    last_submitted_version,
    latest_version,
    obligation_opens_on,
    today,
)

MAX_DRAFT_BYTES = 1_000_000


class ReportingError(Exception):
    """A write the rules do not allow; the message is Dutch and meant for the user."""


class ReportContentInvalid(ReportingError):
    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__(
            _("De rapportage bevat %(n)d fout(en): ") % {"n": len(errors)}
            + " ".join(e.message for e in errors[:5])
        )


class ReportStateConflict(ReportingError):
    """The report's state does not allow this now (awaiting review, a colleague saved in between,
    a double submit); the API answers 409."""


class ReportDraftConflict(ReportStateConflict):
    def __init__(self, message: str, *, saved_at: dt.datetime, saved_by: str) -> None:
        self.saved_at = saved_at
        self.saved_by = saved_by
        super().__init__(message)


class ReportAlreadySubmitted(ReportStateConflict):
    def __init__(self, message: str, *, reference: str, submitted_at: dt.datetime) -> None:
        self.reference = reference
        self.submitted_at = submitted_at
        super().__init__(message)


class ReportCheckNeedsExplanation(ReportingError):
    def __init__(self, result: CheckResult) -> None:
        self.result = result
        super().__init__(
            _(
                "De gemelde uitstroom wijkt meer dan de tolerantie af van de iWmo-berichten. "
                "Licht het verschil toe voordat u indient: "
            )
            + " ".join(f.message() for f in result.warnings)
        )


# --- obligations and exemptions ---------------------------------------------------------------


def _require_reviewer(actor: Any) -> None:
    if not is_reviewer(actor):
        raise ReportingError(_("Alleen de gemeente kan dit doen."))


# ``at``: the moment a write is recorded as happening (default now). Only the demo passes it, to
# replay history; the due and "is it open" checks then use that day. The audit log keeps the real
# time of the write.
def _moment(at: dt.datetime | None) -> dt.datetime:
    return at if at is not None else timezone.now()


def _day(at: dt.datetime | None) -> dt.date:
    return timezone.localdate(at) if at is not None else today()


def _check_schedule(
    spec: DueRuleSpec, first_period: str, last_period: str, tolerance_pct: int
) -> None:
    """The due rule, the first and last period and the tolerance of an obligation are valid."""
    try:
        check_rule(spec)
        check_period(first_period, spec.period_type)
        if last_period:
            check_period(last_period, spec.period_type)
    except ScheduleError as exc:
        raise ReportingError(str(exc)) from None
    if last_period and last_period < first_period:
        raise ReportingError(_("De laatste periode ligt vóór de eerste."))
    if not 0 <= tolerance_pct <= 100:
        raise ReportingError(_("De tolerantie in procenten ligt tussen 0 en 100."))


@transaction.atomic
def obligation_create(
    *,
    actor: Any,
    contract: Contract,
    kind: str,
    period_type: str,
    first_period: str,
    due_rule: str,
    due_days: int | None = None,
    due_month: int | None = None,
    due_day: int | None = None,
    open_days_before_due: int | None = None,
    last_period: str = "",
    reminder_days: int = 14,
    tolerance_abs: int = 2,
    tolerance_pct: int = 10,
    help_text: str = "",
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> ReportingObligation:
    _require_reviewer(actor)
    if kind not in ReportKind.values:
        raise ReportingError(_("Onbekende soort rapportage %(kind)r.") % {"kind": kind})
    _check_schedule(
        DueRuleSpec(period_type, due_rule, due_days, due_month, due_day, open_days_before_due),
        first_period,
        last_period,
        tolerance_pct,
    )
    if ReportingObligation.objects.filter(contract=contract, kind=kind).exists():
        raise ReportingError(
            _("Dit contract heeft al een verplichting voor %(kind)s.")
            % {"kind": ReportKind(kind).label}
        )
    obligation = ReportingObligation.objects.create(
        contract=contract,
        kind=kind,
        period_type=period_type,
        first_period=first_period,
        last_period=last_period,
        due_rule=due_rule,
        due_days=due_days if due_rule == DueRule.AFTER_PERIOD else None,
        due_month=due_month if due_rule == DueRule.FIXED_DATE else None,
        due_day=due_day if due_rule == DueRule.FIXED_DATE else None,
        open_days_before_due=open_days_before_due,
        reminder_days=reminder_days,
        tolerance_abs=tolerance_abs,
        tolerance_pct=tolerance_pct,
        help_text=help_text.strip(),
        created_at=_moment(at),
        created_by=actor,
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=obligation,
        extra={"event": "rapportageverplichting_aangemaakt"},
    )
    return obligation


@transaction.atomic
def exemption_create(
    *,
    actor: Any,
    obligation: ReportingObligation,
    aanbieder: Aanbieder | None,
    start_date: dt.date,
    end_date: dt.date | None,
    reason: str,
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> Exemption:
    """Grant a vrijstelling: generic (``aanbieder`` None) or for one aanbieder of the contract."""
    _require_reviewer(actor)
    if not reason.strip():
        raise ReportingError(_("Vul de reden van de vrijstelling in."))
    if end_date is not None and end_date < start_date:
        raise ReportingError(_("De einddatum van de vrijstelling ligt vóór de begindatum."))
    if (
        aanbieder is not None
        and not obligation.contract.aanbieders.filter(pk=aanbieder.pk).exists()
    ):
        raise ReportingError(_("Deze aanbieder hoort niet bij het contract van de verplichting."))
    exemption = Exemption.objects.create(
        obligation=obligation,
        aanbieder=aanbieder,
        start_date=start_date,
        end_date=end_date,
        reason=reason.strip(),
        created_at=_moment(at),
        created_by=actor,
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=exemption,
        extra={
            "event": "vrijstelling_verleend",
            "generiek": aanbieder is None,
            "aanbieder": aanbieder.pk if aanbieder else None,
        },
    )
    return exemption


@transaction.atomic
def exemption_revoke(
    *,
    actor: Any,
    exemption: Exemption,
    reason: str,
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> Exemption:
    """Lift a vrijstelling from today: periods due from today on must be reported again."""
    _require_reviewer(actor)
    exemption = Exemption.objects.select_for_update().get(pk=exemption.pk)
    if exemption.revoked_at is not None:
        raise ReportingError(
            _("Deze vrijstelling is al ingetrokken op %(date)s.")
            % {"date": f"{timezone.localtime(exemption.revoked_at):%d-%m-%Y}"}
        )
    if not reason.strip():
        raise ReportingError(_("Vul de reden van de intrekking in."))
    exemption.revoked_at = _moment(at)
    exemption.revoked_by = actor
    exemption.revoke_reason = reason.strip()
    exemption.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=exemption,
        changes={"ingetrokken": [False, True]},
        extra={"event": "vrijstelling_ingetrokken", "reden": exemption.revoke_reason},
    )
    return exemption


# --- the transition function --------------------------------------------------------------------


def _report_to(
    report: Report,
    to: str,
    *,
    actor: Any,
    version: ReportVersion | None,
    note: str = "",
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> None:
    record_status_change(
        report,
        to,
        transitions=REPORT_TRANSITIONS,
        history=ReportEvent,
        actor=actor,
        request=request,
        event="rapportage_status",
        history_fields={"version": version, "note": note},
        audit_extra={"versie": version.number if version else None, "reden": note or None},
        at=at,
    )


# --- drafts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftSaved:
    report: Report
    version: ReportVersion
    saved_at: dt.datetime


def _require_own(actor: Any, aanbieder_id: int) -> None:
    if not has_capability(actor, Capability.SUBMIT_REPORTS):
        raise ReportingError(_("U heeft geen rechten om rapportages in te vullen of in te dienen."))
    if getattr(actor, "aanbieder_id", None) != aanbieder_id:
        raise ReportingError(
            _("U kunt alleen rapportages van uw eigen organisatie invullen of indienen.")
        )


def require_due(
    obligation: ReportingObligation, aanbieder_id: int, period: str, on: dt.date
) -> None:
    """The period fits the obligation, has opened, and the aanbieder must report it."""
    try:
        check_period(period, obligation.period_type)
    except ScheduleError as exc:
        raise ReportingError(str(exc)) from None
    if period < obligation.first_period or (
        obligation.last_period and period > obligation.last_period
    ):
        raise ReportingError(
            _("Voor periode %(period)s geldt deze rapportageverplichting niet.")
            % {"period": period}
        )
    opens = obligation_opens_on(obligation, period)
    if on < opens:
        raise ReportingError(
            _(
                "De rapportage over %(period)s is nog niet aan de beurt; u kunt hem invullen en "
                "indienen vanaf %(date)s."
            )
            % {"period": period, "date": f"{opens:%d-%m-%Y}"}
        )
    if not obligation.contract.aanbieders.filter(pk=aanbieder_id).exists():
        raise ReportingError(
            _("Uw organisatie heeft geen rapportageverplichting voor dit contract.")
        )
    exemption = exemption_for(obligation, aanbieder_id, period)
    if exemption is not None:
        raise ReportingError(
            _("Uw organisatie is vrijgesteld van deze rapportage over %(period)s (%(reason)s).")
            % {"period": period, "reason": exemption.reason}
        )


def _save(
    *,
    actor: Any,
    obligation: ReportingObligation,
    aanbieder: Aanbieder,
    period: str,
    content: dict[str, Any],
    expected_saved_at: dt.datetime | None,
    autosave: bool,
    attachment: bytes | None = None,
    attachment_name: str = "",
    request: HttpRequest | None,
    at: dt.datetime | None = None,
) -> DraftSaved:
    _require_own(actor, aanbieder.pk)
    require_due(obligation, aanbieder.pk, period, _day(at))
    if not isinstance(content, dict):
        raise ReportingError(_("De inhoud van het concept is niet leesbaar."))
    if len(json.dumps(content, default=str)) > MAX_DRAFT_BYTES:
        raise ReportingError(_("Het concept is te groot (meer dan 1 MB)."))
    now = _moment(at)
    with transaction.atomic():
        report, created = Report.objects.select_for_update().get_or_create(
            obligation=obligation,
            aanbieder=aanbieder,
            period=period,
            defaults={"status": ReportStatus.NIET_GESTART, "created_at": now},
        )
        if created:
            audit_log(
                action=AuditAction.CREATE,
                actor=actor,
                request=request,
                obj=report,
                extra={"event": "rapportage_begonnen"},
            )
        if report.status == ReportStatus.INGEDIEND:
            raise ReportStateConflict(
                _(
                    "Deze rapportage is ingediend en wacht op beoordeling door de gemeente; "
                    "u kunt hem nu niet wijzigen."
                )
            )
        latest = latest_version(report)
        if report.status == ReportStatus.CONCEPT and latest is not None and not latest.is_submitted:
            if expected_saved_at is not None and latest.saved_at != expected_saved_at:
                saver = latest.saved_by
                who = (saver.get_full_name() or saver.get_username()) if saver else _("Een collega")
                raise ReportDraftConflict(
                    _(
                        "%(who)s heeft dit concept om %(time)s opgeslagen, na uw laatste versie. "
                        "Laad het concept opnieuw; uw wijzigingen zijn niet opgeslagen."
                    )
                    % {"who": who, "time": f"{timezone.localtime(latest.saved_at):%H:%M}"},
                    saved_at=latest.saved_at,
                    saved_by=str(who),
                )
            latest.content = content
            latest.saved_at = now
            latest.saved_by = actor
            fields = ["content", "saved_at", "saved_by"]
            if attachment is not None:
                latest.attachment = attachment
                latest.attachment_name = attachment_name[:300]
                fields += ["attachment", "attachment_name"]
            latest.save(update_fields=fields)
            version = latest
            if not autosave:
                audit_log(
                    action=AuditAction.UPDATE,
                    actor=actor,
                    request=request,
                    obj=version,
                    extra={"event": "rapportage_concept_opgeslagen"},
                )
        else:
            number = (report.versions.aggregate(m=Max("number"))["m"] or 0) + 1
            version = ReportVersion.objects.create(
                report=report,
                number=number,
                schema_version=SCHEMA_VERSION,
                content=content,
                attachment=attachment,
                attachment_name=attachment_name[:300],
                created_at=now,
                created_by=actor,
                saved_at=now,
                saved_by=actor,
            )
            audit_log(
                action=AuditAction.CREATE,
                actor=actor,
                request=request,
                obj=version,
                extra={"event": "rapportage_versie", "rapportage": report.pk},
            )
            _report_to(
                report, ReportStatus.CONCEPT, actor=actor, version=version, request=request, at=at
            )
    return DraftSaved(report=report, version=version, saved_at=now)


def save_draft(
    *,
    actor: Any,
    obligation: ReportingObligation,
    aanbieder: Aanbieder,
    period: str,
    content: dict[str, Any],
    expected_saved_at: dt.datetime | None = None,
    autosave: bool = False,
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> DraftSaved:
    """Save the shared concept of the aanbieder's report (created on first save).

    Colleagues of the same aanbieder share one concept. ``expected_saved_at`` is the ``saved_at``
    the form was loaded with: when a colleague saved in between, nothing is overwritten and the
    user is told. A returned or accepted report reopens as a new version. Autosaves are not
    audit-logged one by one (the version keeps ``saved_at``/``saved_by``); explicit saves are.
    The content of a concept may be incomplete; it is validated on submission.
    """
    if obligation.kind == ReportKind.TEVREDENHEID:
        raise ReportingError(_("Lever de tevredenheidsresultaten aan als CSV-bestand."))
    return _save(
        actor=actor,
        obligation=obligation,
        aanbieder=aanbieder,
        period=period,
        content=content,
        expected_saved_at=expected_saved_at,
        autosave=autosave,
        request=request,
        at=at,
    )


def _survey_errors(
    data: bytes, name: str, aanbieder_id: int, period: str
) -> tuple[list[FieldError], int]:
    """Validate a K13 survey CSV for this aanbieder and period; nothing is stored."""
    try:
        responses = parse_survey(data, name)
    except SurveyFileInvalid as exc:
        return [
            FieldError("bestand", _("Regel %(line)d: %(msg)s") % {"line": e.line, "msg": e.message})
            if e.line
            else FieldError("bestand", e.message)
            for e in exc.errors
        ], 0
    own_codes = set(
        AgbCode.objects.filter(aanbieder_id=aanbieder_id).values_list("code", flat=True)
    )
    start, end = period_bounds(period)
    errors: list[FieldError] = []
    for response in responses:
        if response.aanbieder_agb not in own_codes:
            errors.append(
                FieldError(
                    "bestand",
                    _("Regel %(line)d: AGB-code %(agb)s hoort niet bij uw organisatie.")
                    % {"line": response.line, "agb": response.aanbieder_agb},
                )
            )
        row_start, row_end = period_bounds(response.period)
        if row_start < start or row_end > end:
            errors.append(
                FieldError(
                    "bestand",
                    _("Regel %(line)d: periode %(row)s valt niet binnen %(period)s.")
                    % {"line": response.line, "row": response.period, "period": period},
                )
            )
    return errors, len(responses)


def upload_survey(
    *,
    actor: Any,
    obligation: ReportingObligation,
    aanbieder: Aanbieder,
    period: str,
    data: bytes,
    name: str,
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> DraftSaved:
    """The tevredenheid report: a K13 survey CSV, checked completely before anything is kept.

    An invalid file raises :class:`ReportContentInvalid` (one message per bad line) and leaves the
    report as it was. A valid file becomes the concept; the answers reach the K13 figures only
    when the gemeente accepts the report.
    """
    if obligation.kind != ReportKind.TEVREDENHEID:
        raise ReportingError(_("Deze rapportage vult u in het formulier in, niet met een bestand."))
    _require_own(actor, aanbieder.pk)
    require_due(obligation, aanbieder.pk, period, _day(at))
    errors, rows = _survey_errors(data, name, aanbieder.pk, period)
    if errors:
        raise ReportContentInvalid(errors)
    content = {"bestand": name[:300], "sha256": hashlib.sha256(data).hexdigest(), "regels": rows}
    return _save(
        actor=actor,
        obligation=obligation,
        aanbieder=aanbieder,
        period=period,
        content=content,
        expected_saved_at=None,
        autosave=False,
        attachment=data,
        attachment_name=name,
        request=request,
        at=at,
    )


# --- validation and submission ----------------------------------------------------------------


def validate_version(
    report: Report, version: ReportVersion, *, on: dt.date | None = None
) -> list[FieldError]:
    """The content errors of ``version`` for its report (empty: valid) on day ``on`` (today)."""
    kind = report.obligation.kind
    content = version.content if isinstance(version.content, dict) else {}
    if kind == ReportKind.UITSTROOMREDENEN:
        return validate_uitstroomredenen(
            content, contract_referentiegroepen(report.obligation.contract_id)
        )
    if kind == ReportKind.KLACHTEN:
        start, end = period_bounds(report.period)
        return validate_klachten(content, start, end, on or today())
    if not version.attachment:
        return [
            FieldError("bestand", _("Voeg het CSV-bestand met de tevredenheidsresultaten toe."))
        ]
    errors, _rows = _survey_errors(
        bytes(version.attachment), version.attachment_name, report.aanbieder_id, report.period
    )
    return errors


def check_version(*, user: Any, report: Report, version: ReportVersion) -> CheckResult | None:
    """The iWmo check of a version (uitstroomredenen only; None for the other reports)."""
    if report.obligation.kind != ReportKind.UITSTROOMREDENEN:
        return None
    return check_outflow(user=user, report=report, content=version.content)


@dataclass(frozen=True)
class Submitted:
    report: Report
    version: ReportVersion
    reference: str
    submitted_at: dt.datetime
    check: CheckResult | None


# No 0/O, 1/I/L: a reference is read aloud on the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _reference(when: dt.datetime) -> str:
    """A public reference such as ``RAP-2024-K7M2QX9D``: random, so it reveals nothing about how
    many reports others submitted (unlike a database id)."""
    while True:
        code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _i in range(8))
        reference = f"RAP-{timezone.localtime(when):%Y}-{code}"
        if not ReportVersion.objects.filter(reference=reference).exists():
            return reference


def submit_report(
    *,
    actor: Any,
    report: Report,
    explanation: str = "",
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> Submitted:
    """Submit the current concept. Refused, each with its own message: another aanbieder's
    report, a period that is not due, a double submit, invalid content, and an unexplained
    difference with the iWmo data. The submitted version never changes again."""
    _require_own(actor, report.aanbieder_id)
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .select_related("obligation", "obligation__contract")
            .get(pk=report.pk)
        )
        require_due(report.obligation, report.aanbieder_id, report.period, _day(at))
        latest = latest_version(report)
        if latest is None:
            raise ReportingError(_("Er is nog niets ingevuld om in te dienen."))
        if latest.is_submitted:
            if report.status == ReportStatus.TERUGGESTUURD:
                raise ReportStateConflict(
                    _(
                        "Deze rapportage is teruggestuurd; pas hem aan en sla hem op als nieuwe "
                        "versie voordat u opnieuw indient."
                    )
                )
            assert latest.submitted_at is not None
            raise ReportAlreadySubmitted(
                _("Deze rapportage is al ingediend op %(when)s met kenmerk %(ref)s.")
                % {
                    "when": f"{timezone.localtime(latest.submitted_at):%d-%m-%Y %H:%M}",
                    "ref": latest.reference,
                },
                reference=latest.reference or "",
                submitted_at=latest.submitted_at,
            )
        errors = validate_version(report, latest, on=_day(at))
        if errors:
            raise ReportContentInvalid(errors)
        check = check_version(user=actor, report=report, version=latest)
        if check is not None and check.warnings and not explanation.strip():
            raise ReportCheckNeedsExplanation(check)
        now = _moment(at)
        latest.submitted_at = now
        latest.submitted_by = actor
        latest.reference = _reference(now)
        latest.check_result = check.as_json() if check is not None else {}
        latest.check_explanation = explanation.strip() if check and check.warnings else ""
        latest.save(
            update_fields=[
                "submitted_at",
                "submitted_by",
                "reference",
                "check_result",
                "check_explanation",
            ]
        )
        if report.first_submitted_at is None:
            report.first_submitted_at = now
        report.last_submitted_at = now
        report.save(update_fields=["first_submitted_at", "last_submitted_at"])
        _report_to(
            report, ReportStatus.INGEDIEND, actor=actor, version=latest, request=request, at=at
        )
        reference = latest.reference
        transaction.on_commit(lambda: _send_receipt(actor, report, latest, request))
    return Submitted(
        report=report, version=latest, reference=reference, submitted_at=now, check=check
    )


# --- review ---------------------------------------------------------------------------------------


def _require_submitted(report: Report) -> ReportVersion:
    if report.status != ReportStatus.INGEDIEND:
        raise ReportingError(
            _("Alleen een ingediende rapportage kan worden beoordeeld (status nu: %(status)s).")
            % {"status": report.get_status_display()}
        )
    version = last_submitted_version(report)
    assert version is not None  # an ingediend report has a submitted version
    return version


def accept_report(
    *, actor: Any, report: Report, request: HttpRequest | None = None, at: dt.datetime | None = None
) -> Report:
    """Accept the submitted version. A tevredenheid report's answers now reach the K13 figures."""
    _require_reviewer(actor)
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("obligation").get(pk=report.pk)
        version = _require_submitted(report)
        if report.obligation.kind == ReportKind.TEVREDENHEID and version.attachment:
            try:
                survey_import_bytes(
                    data=bytes(version.attachment), name=version.attachment_name, actor=actor
                )
            except SurveyFileInvalid as exc:
                raise ReportingError(
                    _("Het bestand kan niet (meer) worden ingelezen: %(msg)s") % {"msg": exc}
                ) from None
        report.accepted_version = version
        report.save(update_fields=["accepted_version"])
        _report_to(
            report,
            ReportStatus.GEACCEPTEERD,
            actor=actor,
            version=version,
            request=request,
            at=at,
        )
    return report


def return_report(
    *,
    actor: Any,
    report: Report,
    reason: str,
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> Report:
    """Return the submitted version with a reason the aanbieder sees; it reopens as a new version."""
    _require_reviewer(actor)
    if not reason.strip():
        raise ReportingError(_("Vul de reden in waarom u de rapportage terugstuurt."))
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("obligation").get(pk=report.pk)
        version = _require_submitted(report)
        _report_to(
            report,
            ReportStatus.TERUGGESTUURD,
            actor=actor,
            version=version,
            note=reason.strip(),
            request=request,
            at=at,
        )
        transaction.on_commit(lambda: _send_returned(report, reason.strip()))
    return report


# --- e-mail -----------------------------------------------------------------------------------------


def aanbieder_recipients(aanbieder_id: int) -> list[str]:
    """E-mail addresses of the active users of the aanbieder."""
    return sorted(
        set(
            User.objects.filter(aanbieder_id=aanbieder_id, role=Role.AANBIEDER, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def _title(report: Report) -> str:
    return f"{report.obligation.get_kind_display()} {report.period}"


def _send_receipt(
    actor: Any, report: Report, version: ReportVersion, request: HttpRequest | None = None
) -> None:
    """The receipt e-mail: reference, timestamp, a link to the receipt page, the PDF attached."""
    from django.core.mail import EmailMessage
    from django.urls import reverse

    from .pdf import render_receipt_pdf
    from .receipt import receipt_context

    email = getattr(actor, "email", "")
    if not email:
        return
    assert version.submitted_at is not None
    path = reverse("reporting:receipt", args=[version.pk])
    link = request.build_absolute_uri(path) if request is not None else path
    message = EmailMessage(
        subject=_("Ontvangstbevestiging %(title)s – kenmerk %(ref)s")
        % {"title": _title(report), "ref": version.reference},
        body=_(
            "Wij hebben de rapportage %(title)s van %(aanbieder)s ontvangen op %(when)s.\n"
            "Kenmerk: %(ref)s (versie %(number)d).\n\n"
            "De ontvangstbevestiging met wat u heeft ingediend staat in de bijlage (PDF) en op\n"
            "%(link)s\n\n"
            "De gemeente beoordeelt de rapportage; u krijgt bericht als zij wordt teruggestuurd."
        )
        % {
            "title": _title(report),
            "aanbieder": report.aanbieder.name,
            "when": f"{timezone.localtime(version.submitted_at):%d-%m-%Y %H:%M}",
            "ref": version.reference,
            "number": version.number,
            "link": link,
        },
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    message.attach(
        f"ontvangstbevestiging-{version.reference}.pdf",
        render_receipt_pdf(receipt_context(version)),
        "application/pdf",
    )
    message.send()


def _send_returned(report: Report, reason: str) -> None:
    recipients = aanbieder_recipients(report.aanbieder_id)
    if not recipients:
        return
    send_mail(
        subject=_("Rapportage %(title)s teruggestuurd") % {"title": _title(report)},
        message=_(
            "De gemeente heeft de rapportage %(title)s van %(aanbieder)s teruggestuurd.\n\n"
            "Reden: %(reason)s\n\nPas de rapportage aan en dien hem opnieuw in."
        )
        % {"title": _title(report), "aanbieder": report.aanbieder.name, "reason": reason},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )


# --- reminders -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderSent:
    kind: str
    obligation: ReportingObligation
    aanbieder: Aanbieder
    period: str
    due_date: dt.date
    recipients: tuple[str, ...]


def send_reminders(
    *,
    on: dt.date | None = None,
    obligations: Iterable[ReportingObligation] | None = None,
    dry_run: bool = False,
) -> list[ReminderSent]:
    """Reminders ``reminder_days`` before the due date and one overdue notice, each at most once
    per aanbieder × obligation × period (recorded in ``ReportReminder``). Only for reports that
    were never submitted and are not exempt; aanbieders without e-mail address are skipped (and
    tried again next time)."""
    on = on or today()
    qs = ReportingObligation.objects.select_related("contract")
    if obligations is not None:
        qs = qs.filter(pk__in=[o.pk for o in obligations])
    sent_before = set(
        ReportReminder.objects.values_list("obligation_id", "aanbieder_id", "period", "kind")
    )
    result: list[ReminderSent] = []
    for cell in board_cells(qs, on=on):
        if cell.exemption is not None:
            continue
        if cell.report is not None and cell.report.first_submitted_at is not None:
            continue
        if on > cell.due_date:
            kind = ReminderKind.TE_LAAT
        elif on >= cell.due_date - dt.timedelta(days=cell.obligation.reminder_days):
            kind = ReminderKind.HERINNERING
        else:
            continue
        key = (cell.obligation.pk, cell.aanbieder.pk, cell.period, str(kind))
        if key in sent_before:
            continue
        recipients = aanbieder_recipients(cell.aanbieder.pk)
        if not recipients:
            continue
        reminder = ReminderSent(
            kind=kind,
            obligation=cell.obligation,
            aanbieder=cell.aanbieder,
            period=cell.period,
            due_date=cell.due_date,
            recipients=tuple(recipients),
        )
        if not dry_run:
            try:
                with transaction.atomic():
                    ReportReminder.objects.create(
                        obligation=cell.obligation,
                        aanbieder=cell.aanbieder,
                        period=cell.period,
                        kind=kind,
                        due_date=cell.due_date,
                        recipients=recipients,
                        sent_at=timezone.now(),
                    )
                    _send_reminder(reminder)
            except IntegrityError:
                continue  # another run sent it at the same moment
        result.append(reminder)
    return result


def _send_reminder(reminder: ReminderSent) -> None:
    title = f"{reminder.obligation.get_kind_display()} {reminder.period}"
    due = f"{reminder.due_date:%d-%m-%Y}"
    if reminder.kind == ReminderKind.TE_LAAT:
        subject = _("Rapportage %(title)s is te laat") % {"title": title}
        body = _(
            "De rapportage %(title)s van %(aanbieder)s had uiterlijk %(due)s ingediend moeten "
            "zijn. Wij hebben hem nog niet ontvangen. Dien hem zo snel mogelijk in."
        )
    else:
        subject = _("Herinnering: rapportage %(title)s uiterlijk %(due)s") % {
            "title": title,
            "due": due,
        }
        body = _(
            "De rapportage %(title)s van %(aanbieder)s moet uiterlijk %(due)s zijn ingediend. "
            "Een concept dat u al heeft opgeslagen, staat voor u en uw collega's klaar."
        )
    send_mail(
        subject=subject,
        message=body % {"title": title, "aanbieder": reminder.aanbieder.name, "due": due},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=list(reminder.recipients),
    )


# --- editing an obligation (the municipality's pages) ------------------------------------------

# What can change once an obligation exists. Contract, soort, periodesoort and eerste periode
# cannot: reports already hang on them.
OBLIGATION_EDITABLE = (
    "last_period",
    "due_rule",
    "due_days",
    "due_month",
    "due_day",
    "open_days_before_due",
    "reminder_days",
    "tolerance_abs",
    "tolerance_pct",
    "help_text",
)


@transaction.atomic
def obligation_update(
    *,
    actor: Any,
    obligation: ReportingObligation,
    request: HttpRequest | None = None,
    **values: Any,
) -> ReportingObligation:
    """Change the due rule, window, reminder, tolerance, last period or help text of an obligation
    (no status, so no transition); audit-logged old → new. A last period before a period that
    already has a report is refused."""
    _require_reviewer(actor)
    unknown = set(values) - set(OBLIGATION_EDITABLE)
    if unknown:
        raise ReportingError(
            _("Deze gegevens van een verplichting kunt u niet wijzigen: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    obligation = ReportingObligation.objects.select_for_update().get(pk=obligation.pk)
    new = {field: getattr(obligation, field) for field in OBLIGATION_EDITABLE}
    new.update(values)
    new["last_period"] = (new["last_period"] or "").strip()
    new["help_text"] = (new["help_text"] or "").strip()
    if new["due_rule"] == DueRule.AFTER_PERIOD:
        new["due_month"] = new["due_day"] = None
    elif new["due_rule"] == DueRule.FIXED_DATE:
        new["due_days"] = None
    spec = DueRuleSpec(
        obligation.period_type,
        new["due_rule"],
        new["due_days"],
        new["due_month"],
        new["due_day"],
        new["open_days_before_due"],
    )
    _check_schedule(spec, obligation.first_period, new["last_period"], new["tolerance_pct"] or 0)
    if new["last_period"]:
        later = (
            obligation.reports.filter(period__gt=new["last_period"])
            .order_by("-period")
            .values_list("period", flat=True)
            .first()
        )
        if later:
            raise ReportingError(
                _(
                    "Er is al een rapportage over %(period)s; de laatste periode kan niet "
                    "eerder liggen."
                )
                % {"period": later}
            )
    changes = {
        field: [getattr(obligation, field), value]
        for field, value in new.items()
        if getattr(obligation, field) != value
    }
    if not changes:
        return obligation
    for field in changes:
        setattr(obligation, field, new[field])
    obligation.save(update_fields=list(changes))
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=obligation,
        changes=changes,
        extra={"event": "rapportageverplichting_gewijzigd"},
    )
    return obligation
