# SPDX-License-Identifier: EUPL-1.2
"""REST API of the reporting workflow for aanbieders' systems: ``/api/v1/rapportages/…``.

The same rules as the web form, because it calls the same domain layer: ``status_board`` for what
is due, ``save_draft`` / ``upload_survey`` for concepts, ``validate_version`` / ``check_version``
for the check, ``submit_report`` for submission. The views only translate HTTP to those calls and
their refusals to one error shape (:class:`ErrorSerializer`): ``{"detail", "code", "errors": [
{"field", "message"}], …}``.

Scope: the caller's own aanbieder only (token or browser session of an aanbieder-gebruiker with
``SUBMIT_REPORTS``). An obligation, period or reference of another aanbieder is answered with 404,
never with its name or data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.kpis.survey import MAX_BYTES as SURVEY_MAX_BYTES
from wmo_sla.reporting import selectors, services
from wmo_sla.reporting.checks import CheckResult, Finding
from wmo_sla.reporting.models import Report, ReportingObligation, ReportKind, ReportVersion
from wmo_sla.reporting.selectors import BoardCell

from . import reporting_serializers as s
from .ingest_views import RawBodyParser

TAG = "Rapportages"
ERROR_RESPONSES: dict[int, Any] = {
    401: OpenApiResponse(
        s.ErrorSerializer, description="Geen, onbekend, ingetrokken of verlopen token."
    ),
    403: OpenApiResponse(
        s.ErrorSerializer, description="Geen aanbieder-gebruiker die rapportages indient."
    ),
    404: OpenApiResponse(
        s.ErrorSerializer,
        description="Verplichting, periode of kenmerk bestaat niet of hoort niet bij uw organisatie.",
    ),
}
PATH_PARAMETERS = [
    OpenApiParameter(
        "verplichting_id",
        OpenApiTypes.INT,
        OpenApiParameter.PATH,
        description="`obligation.id` uit de lijst `GET /api/v1/rapportages/`.",
    ),
    OpenApiParameter(
        "periode",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        description="Periode van de rapportage: `2024H1` (halfjaar) of `2024` (jaar).",
    ),
]
OUTFLOW_EXAMPLE = {
    "rijen": [
        {
            "referentiegroep": "IB-licht",
            "doelen_bereikt": 6,
            "andere_maatwerkvoorziening": 0,
            "andere_aanbieder": 1,
            "overleden": 0,
            "verhuisd": 0,
            "wlz": 0,
            "overig": 1,
            "overig_toelichting": "Opgenomen in een instelling buiten de Wmo",
        }
    ]
}


# --- permission and error shape ------------------------------------------------------------------


class SubmitsOwnReports(BasePermission):
    """An aanbieder-gebruiker with ``SUBMIT_REPORTS`` (bound to one aanbieder)."""

    message = gettext_lazy("U heeft geen rechten om rapportages in te vullen of in te dienen.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return has_capability(user, Capability.SUBMIT_REPORTS) and bool(
            getattr(user, "aanbieder_id", None)
        )


def _flatten(data: Any, prefix: str = "") -> Iterator[dict[str, str]]:
    """DRF validation errors as ``{"field": "a.b", "message": …}``."""
    if isinstance(data, dict):
        for key, value in data.items():
            name = "" if key == "non_field_errors" else str(key)
            yield from _flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name)
    elif isinstance(data, list):
        for item in data:
            yield from _flatten(item, prefix)
    else:
        yield {"field": prefix, "message": str(data)}


def finding_json(finding: dict[str, Any] | Finding) -> dict[str, Any]:
    """A check finding as the caller may see it: no iWmo count (nor the tolerance derived from it)
    when the count is hidden (n < 5 for a provider, KPIS.md)."""
    if isinstance(finding, Finding):
        data: dict[str, Any] = {
            "referentiegroep": finding.referentiegroep,
            "category": finding.category,
            "reported": finding.reported,
            "derived": finding.derived,
            "allowed": finding.allowed,
            "hidden": finding.hidden,
            "over_tolerance": finding.over_tolerance,
            "message": finding.message(),
        }
    else:
        data = dict(finding)
    hidden = bool(data.get("hidden"))
    return {
        "referentiegroep": data.get("referentiegroep", ""),
        "category": data.get("category", ""),
        "reported": data.get("reported", 0),
        "derived": None if hidden else data.get("derived"),
        "allowed": None if hidden else data.get("allowed"),
        "over_tolerance": bool(data.get("over_tolerance")),
        "message": data.get("message", ""),
    }


def check_json(check: CheckResult | None) -> dict[str, Any] | None:
    if check is None:
        return None
    return {
        "available": check.available,
        "note": check.note,
        "needs_explanation": bool(check.warnings),
        "findings": [finding_json(f) for f in check.findings],
    }


def _stored_check_json(stored: dict[str, Any]) -> dict[str, Any] | None:
    if not stored:
        return None
    findings = [finding_json(f) for f in stored.get("findings", [])]
    return {
        "available": bool(stored.get("available")),
        "note": stored.get("note", ""),
        "needs_explanation": any(f["over_tolerance"] for f in findings),
        "findings": findings,
    }


def _error(status_code: int, detail: str, code: str, **extra: Any) -> Response:
    return Response({"detail": detail, "code": code, "errors": [], **extra}, status=status_code)


def reporting_error_response(exc: services.ReportingError) -> Response:
    detail = str(exc)
    if isinstance(exc, services.ReportContentInvalid):
        response = _error(422, detail, "invalid_content")
        response.data["errors"] = [{"field": e.field, "message": e.message} for e in exc.errors]
        return response
    if isinstance(exc, services.ReportCheckNeedsExplanation):
        return _error(
            422,
            detail,
            "explanation_required",
            findings=[finding_json(f) for f in exc.result.findings],
        )
    if isinstance(exc, services.ReportDraftConflict):
        return _error(
            409,
            detail,
            "draft_conflict",
            saved_at=serializers.DateTimeField().to_representation(exc.saved_at),
            saved_by=exc.saved_by,
        )
    if isinstance(exc, services.ReportAlreadySubmitted):
        return _error(
            409,
            detail,
            "already_submitted",
            reference=exc.reference,
            submitted_at=serializers.DateTimeField().to_representation(exc.submitted_at),
        )
    if isinstance(exc, services.ReportStateConflict):
        return _error(409, detail, "state_conflict")
    return _error(422, detail, "not_allowed")


def reporting_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error of the reporting API in one shape: ``detail``, ``code``, ``errors``."""
    if isinstance(exc, services.ReportingError):
        return reporting_error_response(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        errors = list(_flatten(response.data))
        response.data = {
            "detail": _("Het verzoek is ongeldig: %(errors)s")
            % {"errors": " ".join(f"{e['field'] or '–'}: {e['message']}" for e in errors)},
            "code": "invalid",
            "errors": errors,
        }
        return response
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    code = getattr(detail, "code", None) or (
        exc.default_code if isinstance(exc, APIException) else "error"
    )
    response.data = {"detail": str(detail), "code": code, "errors": []}
    return response


class ReportingAPIView(APIView):
    permission_classes = [SubmitsOwnReports]
    parser_classes = [JSONParser]

    def get_exception_handler(self) -> Any:
        return reporting_exception_handler

    # -- lookups, always within the caller's own aanbieder --

    def obligation(self, verplichting_id: int) -> ReportingObligation:
        obligation = (
            selectors.obligations_visible_to(self.request.user).filter(pk=verplichting_id).first()
        )
        if obligation is None:
            raise NotFound(
                _("Deze rapportageverplichting bestaat niet of geldt niet voor uw organisatie."),
                code="not_found",
            )
        return obligation

    def cell(self, verplichting_id: int, periode: str) -> BoardCell:
        obligation = self.obligation(verplichting_id)
        aanbieder_id = self.request.user.aanbieder_id  # type: ignore[union-attr]
        for cell in selectors.status_board(
            user=self.request.user, obligations=[obligation], aanbieder_id=aanbieder_id
        ):
            if cell.period == periode and cell.aanbieder.pk == aanbieder_id:
                return cell
        raise NotFound(
            _(
                "Over periode %(period)s is deze rapportage niet aan de beurt: de periode bestaat "
                "niet voor deze verplichting of is nog niet geopend."
            )
            % {"period": periode[:10]},
            code="not_found",
        )


# --- representation --------------------------------------------------------------------------------


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def _obligation_json(obligation: ReportingObligation) -> dict[str, Any]:
    return {
        "id": obligation.pk,
        "kind": obligation.kind,
        "kind_label": str(obligation.get_kind_display()),
        "contract": obligation.contract.code,
        "period_type": obligation.period_type,
        "help_text": obligation.help_text,
    }


def _cell_json(cell: BoardCell) -> dict[str, Any]:
    return {
        "obligation": _obligation_json(cell.obligation),
        "period": cell.period,
        "opens_on": cell.opens_on,
        "due_date": cell.due_date,
        "status": cell.status,
        "display_status": cell.display_status,
        "display_label": str(cell.display_label),
        "is_late": cell.is_late,
        "submitted_late": cell.submitted_late,
        "exempt": cell.exemption is not None,
        "exemption_reason": cell.exemption.reason if cell.exemption is not None else "",
        "latest_version": cell.latest_version_number,
        "url": reverse("api:reporting_detail", args=[cell.obligation.pk, cell.period]),
    }


def _version_json(version: ReportVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "schema_version": version.schema_version,
        "content": version.content,
        "attachment_name": version.attachment_name,
        "saved_at": version.saved_at,
        "saved_by": _person(version.saved_by),
        "submitted_at": version.submitted_at,
        "submitted_by": _person(version.submitted_by),
        "reference": version.reference,
    }


def _detail_json(cell: BoardCell) -> dict[str, Any]:
    report = cell.report
    latest = selectors.latest_version(report) if report is not None else None
    editable = cell.exemption is None and cell.status != "ingediend"
    starts_new = latest is None or latest.is_submitted
    initial = (
        selectors.initial_content(cell.obligation, cell.aanbieder.pk, cell.period)
        if starts_new and editable
        else None
    )
    return {
        **_cell_json(cell),
        "editable": editable,
        "return_reason": selectors.return_reason(report) if report is not None else "",
        "version": _version_json(latest) if latest is not None else None,
        "initial_content": initial,
    }


def _receipt_json(report: Report, version: ReportVersion) -> dict[str, Any]:
    return {
        "reference": version.reference,
        "submitted_at": version.submitted_at,
        "submitted_by": _person(version.submitted_by),
        "aanbieder": report.aanbieder.name,
        "obligation": _obligation_json(report.obligation),
        "period": report.period,
        "version": version.number,
        "schema_version": version.schema_version,
        "content": version.content,
        "attachment_name": version.attachment_name,
        "status": report.status,
        "check": _stored_check_json(version.check_result),
        "check_explanation": version.check_explanation,
    }


# --- endpoints -------------------------------------------------------------------------------------


class ReportListView(ReportingAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Rapportages van uw organisatie",
        description=(
            "Alle rapportageverplichtingen van uw organisatie met elke geopende periode: uiterste "
            "datum, status (`niet_gestart`, `concept`, `ingediend`, `geaccepteerd`, "
            "`teruggestuurd`) en de weergavestatus van het overzicht (ook `te_laat`, "
            "`vrijgesteld`, `gewijzigd_na_acceptatie`). Gebruik `url` voor de rapportage zelf."
        ),
        responses={200: s.PeriodStatusSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        cells = selectors.status_board(
            user=request.user,
            aanbieder_id=request.user.aanbieder_id,  # type: ignore[union-attr]
        )
        return Response(s.PeriodStatusSerializer([_cell_json(c) for c in cells], many=True).data)


class ReportDetailView(ReportingAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Een rapportage: status en nieuwste versie",
        description=(
            "Status, uiterste datum en de nieuwste versie (concept of ingediend) met inhoud, "
            "`saved_at` en `saved_by`; de reden als de gemeente de rapportage terugstuurde. Is er "
            "nog geen concept, dan staat in `initial_content` waarmee het begint."
        ),
        parameters=PATH_PARAMETERS,
        responses={200: s.ReportDetailSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, verplichting_id: int, periode: str) -> Response:
        cell = self.cell(verplichting_id, periode)
        return Response(s.ReportDetailSerializer(_detail_json(cell)).data)


class ReportDraftView(ReportingAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Concept opslaan",
        description=(
            "Sla het gedeelde concept op (het wordt aangemaakt bij de eerste opslag; na "
            "terugsturen of acceptatie begint een nieuwe versie). Een concept mag onvolledig "
            "zijn; de inhoud wordt pas bij indienen volledig gecontroleerd. Stuur "
            "`expected_saved_at` mee (de `saved_at` van de versie waarop u voortbouwt): heeft "
            "een collega intussen opgeslagen, dan volgt 409 met wie en wanneer, en wordt niets "
            "overschreven. Tevredenheid levert u aan als bestand (`…/bestand/`)."
        ),
        parameters=PATH_PARAMETERS,
        request=s.DraftRequestSerializer,
        responses={
            200: s.ReportDetailSerializer,
            400: OpenApiResponse(s.ErrorSerializer, description="Verzoek niet leesbaar."),
            409: OpenApiResponse(
                s.ErrorSerializer,
                description="Een collega sloeg intussen op (`draft_conflict`), of de rapportage "
                "wacht op beoordeling (`state_conflict`).",
            ),
            422: OpenApiResponse(
                s.ErrorSerializer,
                description="Niet toegestaan: periode niet aan de beurt, vrijgesteld, te groot "
                "(`not_allowed`).",
            ),
            **ERROR_RESPONSES,
        },
        examples=[
            OpenApiExample(
                "Uitstroomredenen",
                request_only=True,
                value={"content": OUTFLOW_EXAMPLE, "expected_saved_at": None},
            ),
            OpenApiExample(
                "Collega sloeg intussen op",
                response_only=True,
                status_codes=["409"],
                value={
                    "detail": "Jan de Vries heeft dit concept om 10:42 opgeslagen, na uw laatste "
                    "versie. Laad het concept opnieuw; uw wijzigingen zijn niet opgeslagen.",
                    "code": "draft_conflict",
                    "errors": [],
                    "saved_at": "2024-08-01T10:42:07.123456+02:00",
                    "saved_by": "Jan de Vries",
                },
            ),
        ],
    )
    def put(self, request: Request, verplichting_id: int, periode: str) -> Response:
        cell = self.cell(verplichting_id, periode)
        body = s.DraftRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.save_draft(
            actor=request.user,
            obligation=cell.obligation,
            aanbieder=cell.aanbieder,
            period=cell.period,
            content=body.validated_data["content"],
            expected_saved_at=body.validated_data.get("expected_saved_at"),
            request=request._request,
        )
        return Response(
            s.ReportDetailSerializer(_detail_json(self.cell(verplichting_id, periode))).data
        )


class ReportUploadView(ReportingAPIView):
    parser_classes = [MultiPartParser, RawBodyParser]

    @extend_schema(
        tags=[TAG],
        summary="Tevredenheidsbestand aanleveren",
        description=(
            "Lever de resultaten van het tevredenheidsonderzoek aan als CSV in het K13-formaat "
            "(docs/survey-csv.md): als multipart-formulier met het veld `bestand`, of als body "
            "met `Content-Type: text/csv` (bestandsnaam in de header `X-Bestandsnaam`). Het "
            "bestand wordt eerst volledig gecontroleerd: elke AGB-code hoort bij uw organisatie, "
            "elke periode valt binnen de rapportageperiode. Een afgekeurd bestand (ook een "
            "bestand dat geen CSV is) geeft 422 met de redenen per regel, en er wordt niets "
            "bewaard. Een goed bestand wordt het concept."
        ),
        parameters=PATH_PARAMETERS,
        request={
            "text/csv": {"type": "string", "format": "binary"},
            "multipart/form-data": {
                "type": "object",
                "properties": {"bestand": {"type": "string", "format": "binary"}},
                "required": ["bestand"],
            },
        },
        responses={
            200: s.ReportDetailSerializer,
            400: OpenApiResponse(s.ErrorSerializer, description="Leeg verzoek."),
            409: OpenApiResponse(s.ErrorSerializer, description="Wacht op beoordeling."),
            422: OpenApiResponse(
                s.ErrorSerializer,
                description="Bestand afgekeurd (`invalid_content`, redenen in `errors`), of niet "
                "toegestaan (`not_allowed`).",
            ),
            **ERROR_RESPONSES,
        },
        examples=[
            OpenApiExample(
                "Geen CSV",
                response_only=True,
                status_codes=["422"],
                value={
                    "detail": "De rapportage bevat 1 fout(en): het bestand is geen tekst "
                    "(UTF-8); lever een CSV-bestand aan",
                    "code": "invalid_content",
                    "errors": [
                        {
                            "field": "bestand",
                            "message": "het bestand is geen tekst (UTF-8); lever een "
                            "CSV-bestand aan",
                        }
                    ],
                },
            )
        ],
    )
    def post(self, request: Request, verplichting_id: int, periode: str) -> Response:
        cell = self.cell(verplichting_id, periode)
        if cell.obligation.kind != ReportKind.TEVREDENHEID:
            raise services.ReportingError(
                _("Deze rapportage vult u in het formulier in, niet met een bestand.")
            )
        upload = (
            request.FILES.get("bestand") if request.content_type.startswith("multipart/") else None
        )
        if upload is not None:
            data = upload.read(SURVEY_MAX_BYTES + 1)
            name = upload.name or "tevredenheid.csv"
        else:
            data = request.stream.read(SURVEY_MAX_BYTES + 1) if request.stream is not None else b""
            name = request.headers.get("X-Bestandsnaam", "tevredenheid.csv")
        if not data:
            return _error(
                400,
                _("Leeg verzoek: lever het CSV-bestand aan (veld 'bestand' of als body)."),
                "invalid",
            )
        services.upload_survey(
            actor=request.user,
            obligation=cell.obligation,
            aanbieder=cell.aanbieder,
            period=cell.period,
            data=data,
            name=name.rsplit("/", 1)[-1][:200],
            request=request._request,
        )
        return Response(
            s.ReportDetailSerializer(_detail_json(self.cell(verplichting_id, periode))).data
        )


class ReportValidateView(ReportingAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Controleren vóór indienen",
        description=(
            "Controleer het opgeslagen concept (of, met `content`, een inhoud zonder hem op te "
            "slaan) met dezelfde regels als bij indienen: fouten per veld met hun pad, en bij "
            "uitstroomredenen de vergelijking met de iWmo-berichten. `needs_explanation` "
            "betekent: indienen lukt alleen met een `explanation`. Antwoordt altijd 200 met het "
            "resultaat; niets wordt opgeslagen."
        ),
        parameters=PATH_PARAMETERS,
        request=s.ValidateRequestSerializer,
        responses={
            200: s.ValidationResultSerializer,
            422: OpenApiResponse(
                s.ErrorSerializer, description="Er is nog niets opgeslagen om te controleren."
            ),
            **ERROR_RESPONSES,
        },
        examples=[
            OpenApiExample(
                "Fout in een veld",
                response_only=True,
                status_codes=["200"],
                value={
                    "valid": False,
                    "errors": [
                        {
                            "field": "rijen.0.overig_toelichting",
                            "message": "IB-licht: licht 'overig' toe.",
                        }
                    ],
                    "check": {
                        "available": True,
                        "note": "",
                        "needs_explanation": False,
                        "findings": [],
                    },
                },
            )
        ],
    )
    def post(self, request: Request, verplichting_id: int, periode: str) -> Response:
        cell = self.cell(verplichting_id, periode)
        body = s.ValidateRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = cell.report
        if report is None:
            # Nothing stored yet: check the given content against an unsaved report.
            report = Report(
                obligation=cell.obligation, aanbieder=cell.aanbieder, period=cell.period
            )
        if "content" in body.validated_data:
            if cell.obligation.kind == ReportKind.TEVREDENHEID:
                raise services.ReportingError(
                    _("Een tevredenheidsbestand controleert u door het aan te leveren.")
                )
            version = ReportVersion(report=report, content=body.validated_data["content"])
        else:
            latest = selectors.latest_version(report) if report.pk else None
            if latest is None:
                raise services.ReportingError(_("Er is nog niets ingevuld om te controleren."))
            version = latest
        errors = services.validate_version(report, version)
        check = services.check_version(user=request.user, report=report, version=version)
        return Response(
            s.ValidationResultSerializer(
                {
                    "valid": not errors,
                    "errors": [{"field": e.field, "message": e.message} for e in errors],
                    "check": check_json(check),
                }
            ).data
        )


class ReportSubmitView(ReportingAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Indienen",
        description=(
            "Dien het concept in. Het antwoord (201) is de ontvangstbevestiging met kenmerk en "
            "tijdstip; de indiener krijgt hem ook per e-mail. De ingediende versie verandert "
            "daarna nooit meer. Geweigerd met 422: ongeldige inhoud (`invalid_content`, alle "
            "fouten in `errors`), een verschil met de iWmo-berichten zonder toelichting "
            "(`explanation_required`, de afwijkingen in `findings`; stuur opnieuw met "
            "`explanation`), niet aan de beurt of vrijgesteld (`not_allowed`). Met 409: al "
            "ingediend (`already_submitted`, met het bestaande kenmerk) of teruggestuurd zonder "
            "nieuwe versie (`state_conflict`)."
        ),
        parameters=PATH_PARAMETERS,
        request=s.SubmitRequestSerializer,
        responses={
            201: s.ReceiptSerializer,
            409: OpenApiResponse(s.ErrorSerializer, description="Al ingediend of teruggestuurd."),
            422: OpenApiResponse(
                s.ErrorSerializer,
                description="Ongeldige inhoud, toelichting nodig, of niet toegestaan.",
            ),
            **ERROR_RESPONSES,
        },
        examples=[
            OpenApiExample(
                "Met toelichting",
                request_only=True,
                value={"explanation": "Twee cliënten zijn in januari alsnog uitgeschreven."},
            ),
            OpenApiExample(
                "Ongeldige inhoud",
                response_only=True,
                status_codes=["422"],
                value={
                    "detail": "De rapportage bevat 1 fout(en): IB-zwaar: vul 'Wlz' in (0 als "
                    "er niemand was).",
                    "code": "invalid_content",
                    "errors": [
                        {
                            "field": "rijen.1.wlz",
                            "message": "IB-zwaar: vul 'Wlz' in (0 als er niemand was).",
                        }
                    ],
                },
            ),
            OpenApiExample(
                "Toelichting nodig",
                response_only=True,
                status_codes=["422"],
                value={
                    "detail": "De gemelde uitstroom wijkt meer dan de tolerantie af van de "
                    "iWmo-berichten. Licht het verschil toe voordat u indient: …",
                    "code": "explanation_required",
                    "errors": [],
                    "findings": [
                        {
                            "referentiegroep": "IB-licht",
                            "category": "totaal",
                            "reported": 12,
                            "derived": 7,
                            "allowed": 2.0,
                            "over_tolerance": True,
                            "message": "IB-licht, totale uitstroom: u meldt 12, uit de "
                            "iWmo-berichten volgen er 7 (verschil +5, toegestaan 2).",
                        }
                    ],
                },
            ),
            OpenApiExample(
                "Al ingediend",
                response_only=True,
                status_codes=["409"],
                value={
                    "detail": "Deze rapportage is al ingediend op 01-08-2024 10:45 met kenmerk "
                    "RAP-2024-K7M2QX9D.",
                    "code": "already_submitted",
                    "errors": [],
                    "reference": "RAP-2024-K7M2QX9D",
                    "submitted_at": "2024-08-01T10:45:00+02:00",
                },
            ),
        ],
    )
    def post(self, request: Request, verplichting_id: int, periode: str) -> Response:
        cell = self.cell(verplichting_id, periode)
        body = s.SubmitRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if cell.report is None:
            raise services.ReportingError(_("Er is nog niets ingevuld om in te dienen."))
        submitted = services.submit_report(
            actor=request.user,
            report=cell.report,
            explanation=body.validated_data.get("explanation", ""),
            request=request._request,
        )
        response = Response(
            s.ReceiptSerializer(_receipt_json(submitted.report, submitted.version)).data,
            status=status.HTTP_201_CREATED,
        )
        response["Location"] = reverse("api:reporting_receipt", args=[submitted.reference])
        return response


class ReportReceiptView(ReportingAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Ontvangstbevestiging van de laatste indiening",
        description=(
            "Kenmerk, tijdstip, indiener en inhoud van de laatst ingediende versie, met het "
            "resultaat van de controle en uw toelichting."
        ),
        parameters=PATH_PARAMETERS,
        responses={200: s.ReceiptSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, verplichting_id: int, periode: str) -> Response:
        cell = self.cell(verplichting_id, periode)
        version = selectors.last_submitted_version(cell.report) if cell.report else None
        if cell.report is None or version is None:
            raise NotFound(_("Deze rapportage is nog niet ingediend."), code="not_found")
        return Response(s.ReceiptSerializer(_receipt_json(cell.report, version)).data)


class ReceiptByReferenceView(ReportingAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Ontvangstbevestiging bij kenmerk",
        description="De ontvangstbevestiging van een ingediende versie van uw organisatie.",
        parameters=[
            OpenApiParameter(
                "kenmerk",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Kenmerk van de indiening, bv. `RAP-2024-K7M2QX9D`.",
            )
        ],
        responses={200: s.ReceiptSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, kenmerk: str) -> Response:
        aanbieder_id: int = request.user.aanbieder_id  # type: ignore[union-attr,assignment]
        version = (
            ReportVersion.objects.select_related(
                "report", "report__obligation__contract", "report__aanbieder", "submitted_by"
            )
            .filter(
                reference=kenmerk[:30],
                submitted_at__isnull=False,
                report__aanbieder_id=aanbieder_id,
                report__in=selectors.reports_visible_to(request.user),
            )
            .first()
        )
        if version is None:
            raise NotFound(
                _("Er is geen indiening van uw organisatie met dit kenmerk."), code="not_found"
            )
        return Response(s.ReceiptSerializer(_receipt_json(version.report, version)).data)
