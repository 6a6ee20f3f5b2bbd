# SPDX-License-Identifier: EUPL-1.2
"""Request and response shapes of the reporting API (``/api/v1/rapportages/…``).

Field names follow the rest of the API (English); the report content itself keeps the Dutch keys
of ``wmo_sla.reporting.schemas`` (``rijen``, ``referentiegroep``, ``klachten``…).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from wmo_sla.reporting.models import ReportKind, ReportStatus

DISPLAY_STATUSES = [
    *ReportStatus.values,
    "te_laat",
    "vrijgesteld",
    "gewijzigd_na_acceptatie",
]


# --- errors ---------------------------------------------------------------------------------------


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text="Pad van het veld in de inhoud, bv. `rijen.0.overig_toelichting` of `bestand`."
    )
    message = serializers.CharField(help_text="Wat er mis is, in het Nederlands.")


class FindingSerializer(serializers.Serializer):
    referentiegroep = serializers.CharField()
    category = serializers.CharField(
        help_text="`totaal` of een categorie: `doelen_bereikt`, `overleden`, `andere_aanbieder`, "
        "`wlz`."
    )
    reported = serializers.IntegerField(help_text="Door de aanbieder gemeld.")
    derived = serializers.IntegerField(
        allow_null=True,
        help_text="Uit de iWmo-berichten afgeleid; leeg als het aantal kleiner dan 5 is en u het "
        "niet mag zien.",
    )
    allowed = serializers.FloatField(
        allow_null=True, help_text="Toegestaan verschil; leeg als het iWmo-aantal verborgen is."
    )
    over_tolerance = serializers.BooleanField(help_text="Verschil groter dan toegestaan.")
    message = serializers.CharField()


class CheckSerializer(serializers.Serializer):
    available = serializers.BooleanField(
        help_text="Onwaar: er is nog geen berekening over de hele periode; niets vergeleken."
    )
    note = serializers.CharField(allow_blank=True)
    needs_explanation = serializers.BooleanField(
        help_text="Waar: indienen lukt alleen met een `explanation`."
    )
    findings = FindingSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Wat er mis is, in het Nederlands.")
    code = serializers.CharField(
        help_text="Soort fout: `invalid_content`, `explanation_required`, `draft_conflict`, "
        "`already_submitted`, `state_conflict`, `not_allowed`, `not_found`, `invalid`, of een "
        "code van het framework (`not_authenticated`, `authentication_failed`, "
        "`permission_denied`, `method_not_allowed`, `parse_error`, `throttled`…)."
    )
    errors = FieldErrorSerializer(  # type: ignore[assignment]
        many=True, help_text="Fouten per veld (kan leeg zijn)."
    )
    findings = FindingSerializer(
        many=True, required=False, help_text="Bij `explanation_required`: de afwijkingen."
    )
    reference = serializers.CharField(
        required=False, help_text="Bij `already_submitted`: het kenmerk van de indiening."
    )
    submitted_at = serializers.DateTimeField(required=False)
    saved_at = serializers.DateTimeField(
        required=False, help_text="Bij `draft_conflict`: wanneer het concept is opgeslagen."
    )
    saved_by = serializers.CharField(
        required=False, help_text="Bij `draft_conflict`: door wie het concept is opgeslagen."
    )


# --- obligations, periods, versions ----------------------------------------------------------------


class ObligationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    kind_label = serializers.CharField()
    contract = serializers.CharField(help_text="Code van het contract.")
    period_type = serializers.ChoiceField(choices=[("H", "Halfjaar"), ("Y", "Jaar")])
    help_text = serializers.CharField(allow_blank=True)  # type: ignore[assignment]


class PeriodStatusSerializer(serializers.Serializer):
    obligation = ObligationSerializer()
    period = serializers.CharField(help_text="Bijvoorbeeld `2024H1` of `2024`.")
    opens_on = serializers.DateField()
    due_date = serializers.DateField(help_text="Uiterste datum (die dag is nog op tijd).")
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    display_status = serializers.ChoiceField(
        choices=DISPLAY_STATUSES,
        help_text="De status zoals het overzicht hem toont (ook `te_laat`, `vrijgesteld`, "
        "`gewijzigd_na_acceptatie`).",
    )
    display_label = serializers.CharField()
    is_late = serializers.BooleanField(help_text="Uiterste datum voorbij en nooit ingediend.")
    submitted_late = serializers.BooleanField(help_text="Eerste indiening na de uiterste datum.")
    exempt = serializers.BooleanField()
    exemption_reason = serializers.CharField(allow_blank=True)
    latest_version = serializers.IntegerField(allow_null=True)
    url = serializers.CharField(help_text="Pad van deze rapportage in de API.")


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    schema_version = serializers.IntegerField()
    content = serializers.JSONField(help_text="De inhoud (zie docs/reporting.md).")
    attachment_name = serializers.CharField(allow_blank=True)
    saved_at = serializers.DateTimeField(
        help_text="Stuur deze waarde mee als `expected_saved_at` bij de volgende opslag."
    )
    saved_by = serializers.CharField(allow_blank=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    submitted_by = serializers.CharField(allow_blank=True)
    reference = serializers.CharField(allow_null=True)


class ReportDetailSerializer(PeriodStatusSerializer):
    editable = serializers.BooleanField(
        help_text="Onwaar als de rapportage wacht op beoordeling of vrijgesteld is."
    )
    return_reason = serializers.CharField(
        allow_blank=True, help_text="Reden waarom de gemeente de rapportage terugstuurde."
    )
    version = VersionSerializer(
        allow_null=True, help_text="De nieuwste versie (concept of ingediend); leeg: niet gestart."
    )
    initial_content = serializers.JSONField(
        allow_null=True,
        help_text="Waarmee een nieuw concept begint (de referentiegroepen, open klachten van "
        "de vorige periode); alleen als er nog geen concept is.",
    )


class ReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    submitted_by = serializers.CharField()
    aanbieder = serializers.CharField()
    obligation = ObligationSerializer()
    period = serializers.CharField()
    version = serializers.IntegerField()
    schema_version = serializers.IntegerField()
    content = serializers.JSONField()
    attachment_name = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    check = CheckSerializer(allow_null=True)
    check_explanation = serializers.CharField(allow_blank=True)


class ValidationResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField(help_text="Waar als de inhoud ingediend kan worden.")
    errors = FieldErrorSerializer(many=True)  # type: ignore[assignment]
    check = CheckSerializer(allow_null=True, help_text="Alleen bij uitstroomredenen.")


# --- requests -------------------------------------------------------------------------------------


class DraftRequestSerializer(serializers.Serializer):
    content = serializers.JSONField(help_text="De inhoud van het concept (mag onvolledig zijn).")
    expected_saved_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="De `saved_at` van de versie waarop u voortbouwt. Heeft iemand anders daarna "
        "opgeslagen, dan volgt 409 en wordt niets overschreven.",
    )

    def validate_content(self, value: object) -> object:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("De inhoud moet een JSON-object zijn."))
        return value


class ValidateRequestSerializer(serializers.Serializer):
    content = serializers.JSONField(
        required=False,
        help_text="Optioneel: controleer deze inhoud zonder hem op te slaan. Zonder: het "
        "opgeslagen concept.",
    )

    def validate_content(self, value: object) -> object:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("De inhoud moet een JSON-object zijn."))
        return value


class SubmitRequestSerializer(serializers.Serializer):
    explanation = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="Toelichting op een verschil met de iWmo-berichten (verplicht als de controle "
        "`needs_explanation` geeft).",
    )
