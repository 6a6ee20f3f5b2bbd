# SPDX-License-Identifier: EUPL-1.2
"""Reports that aanbieders still deliver themselves: uitstroomredenen, klachten, tevredenheid.

- :class:`ReportingObligation`: which report a contract asks for, per which period, due when.
- :class:`Exemption`: a *vrijstelling*, generic (every aanbieder) or for one aanbieder; revocable.
- :class:`Report`: one aanbieder × obligation × period, with its status.
- :class:`ReportVersion`: the content. A concept version is shared by the colleagues of the
  aanbieder and changes while they type; once submitted it never changes again.
- :class:`ReportEvent`: append-only status history.
- :class:`ReportReminder`: which reminder or overdue notice was sent (so never twice).

The rules live in ``services.py`` / ``selectors.py`` and the pure modules ``schedule.py``,
``schemas.py`` and ``checks.py``; documented in ``docs/reporting.md``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wmo_sla.core.models import StatusEvent


class ReportKind(models.TextChoices):
    UITSTROOMREDENEN = "uitstroomredenen", _("Uitstroomredenen")
    KLACHTEN = "klachten", _("Klachtenrapportage")
    TEVREDENHEID = "tevredenheid", _("Cliënttevredenheid")


class PeriodType(models.TextChoices):
    HALF_YEAR = "H", _("Halfjaar")
    YEAR = "Y", _("Jaar")


class DueRule(models.TextChoices):
    AFTER_PERIOD = "na_periode", _("Aantal dagen na afloop van de periode")
    FIXED_DATE = "vaste_datum", _("Vaste datum in het jaar van de periode")


class ReportStatus(models.TextChoices):
    NIET_GESTART = "niet_gestart", _("Niet gestart")
    CONCEPT = "concept", _("Concept")
    INGEDIEND = "ingediend", _("Ingediend")
    GEACCEPTEERD = "geaccepteerd", _("Geaccepteerd")
    TERUGGESTUURD = "teruggestuurd", _("Teruggestuurd")


# niet gestart → concept → ingediend → geaccepteerd | teruggestuurd. A returned report reopens as
# a new version (→ concept) or is resubmitted from its new version; an accepted report may be
# corrected with a new version, which the gemeente accepts again ("gewijzigd na acceptatie").
REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.NIET_GESTART: frozenset({ReportStatus.CONCEPT}),
    ReportStatus.CONCEPT: frozenset({ReportStatus.INGEDIEND}),
    ReportStatus.INGEDIEND: frozenset({ReportStatus.GEACCEPTEERD, ReportStatus.TERUGGESTUURD}),
    ReportStatus.TERUGGESTUURD: frozenset({ReportStatus.CONCEPT}),
    ReportStatus.GEACCEPTEERD: frozenset({ReportStatus.CONCEPT}),
}


class ReportingObligation(models.Model):
    """A report that every aanbieder of ``contract`` must deliver per period, unless exempt."""

    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        related_name="reporting_obligations",
        verbose_name=_("contract"),
    )
    kind = models.CharField(_("soort rapportage"), max_length=20, choices=ReportKind.choices)
    period_type = models.CharField(_("periode"), max_length=1, choices=PeriodType.choices)
    first_period = models.CharField(
        _("eerste periode"), max_length=7, help_text=_("Bijvoorbeeld 2024H1 of 2024.")
    )
    last_period = models.CharField(
        _("laatste periode"),
        max_length=7,
        blank=True,
        help_text=_("Leeg: de verplichting loopt door."),
    )
    due_rule = models.CharField(_("termijnregel"), max_length=12, choices=DueRule.choices)
    due_days = models.PositiveSmallIntegerField(
        _("dagen na afloop van de periode"), null=True, blank=True
    )
    due_month = models.PositiveSmallIntegerField(
        _("maand van de vaste datum"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    due_day = models.PositiveSmallIntegerField(
        _("dag van de vaste datum"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    open_days_before_due = models.PositiveSmallIntegerField(
        _("open vanaf (dagen voor de uiterste datum)"),
        null=True,
        blank=True,
        help_text=_("Leeg: indienen kan vanaf de dag na afloop van de periode."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("herinnering (dagen voor de uiterste datum)"), default=14
    )
    # The iWmo check of uitstroomredenen: a difference above max(absolute, percentage × iWmo
    # count) is a warning that needs an explanation before submitting.
    tolerance_abs = models.PositiveSmallIntegerField(_("tolerantie (aantal)"), default=2)
    tolerance_pct = models.PositiveSmallIntegerField(
        _("tolerantie (procent)"), default=10, validators=[MaxValueValidator(100)]
    )
    help_text = models.TextField(_("uitleg voor de aanbieder"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rapportageverplichting")
        verbose_name_plural = _("rapportageverplichtingen")
        ordering = ["contract", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind"], name="reporting_obligation_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.contract})"


class Exemption(models.Model):
    """A *vrijstelling*: for every aanbieder (``aanbieder`` empty) or one; revocable.

    It covers a report period whose due date lies in [start_date, end_date] and, once revoked,
    before the day of revocation (periods already passed stay exempt).
    """

    obligation = models.ForeignKey(
        ReportingObligation, on_delete=models.PROTECT, related_name="exemptions"
    )
    aanbieder = models.ForeignKey(
        "contracts.Aanbieder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_exemptions",
        verbose_name=_("aanbieder"),
        help_text=_("Leeg: generieke vrijstelling voor alle aanbieders."),
    )
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(_("tot en met"), null=True, blank=True)
    reason = models.TextField(_("reden"))
    created_at = models.DateTimeField(_("verleend op"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.TextField(_("reden van intrekking"), blank=True)

    class Meta:
        verbose_name = _("vrijstelling")
        verbose_name_plural = _("vrijstellingen")
        ordering = ["obligation", "start_date", "id"]

    def __str__(self) -> str:
        who = str(self.aanbieder) if self.aanbieder_id else _("alle aanbieders")
        return f"{self.obligation}: {who} vanaf {self.start_date:%d-%m-%Y}"


class Report(models.Model):
    """One aanbieder's report for one obligation and period."""

    obligation = models.ForeignKey(
        ReportingObligation, on_delete=models.PROTECT, related_name="reports"
    )
    aanbieder = models.ForeignKey(
        "contracts.Aanbieder",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("aanbieder"),
    )
    period = models.CharField(_("periode"), max_length=7)
    status = models.CharField(
        _("status"), max_length=14, choices=ReportStatus.choices, default=ReportStatus.CONCEPT
    )
    created_at = models.DateTimeField(_("aangemaakt"))
    # First submission (timeliness is measured on it) and the last one.
    first_submitted_at = models.DateTimeField(_("eerst ingediend"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("laatst ingediend"), null=True, blank=True)
    accepted_version = models.ForeignKey(
        "ReportVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rapportage")
        verbose_name_plural = _("rapportages")
        ordering = ["-period", "obligation", "aanbieder"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "aanbieder", "period"], name="report_one_per_period"
            )
        ]
        indexes = [models.Index(fields=["aanbieder", "period"])]

    def __str__(self) -> str:
        return f"{self.obligation.get_kind_display()} {self.aanbieder} {self.period}"


class ReportVersion(models.Model):
    """The content of a report. Concept: shared and editable. Submitted: immutable."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    schema_version = models.PositiveSmallIntegerField(_("schemaversie"))
    content = models.JSONField(_("inhoud"), default=dict)
    # The uploaded file of a tevredenheid report (the K13 survey CSV), kept as sent.
    attachment = models.BinaryField(null=True, blank=True)
    attachment_name = models.CharField(_("bestand"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(_("opgeslagen"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("ingediend"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reference = models.CharField(_("kenmerk"), max_length=30, null=True, blank=True, unique=True)
    # The check against the iWmo data at submission, and the aanbieder's explanation.
    check_result = models.JSONField(_("controle"), default=dict, blank=True)
    check_explanation = models.TextField(_("toelichting op de controle"), blank=True)

    class Meta:
        verbose_name = _("versie van een rapportage")
        verbose_name_plural = _("versies van rapportages")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ReportEvent(StatusEvent):
    """Append-only status history of a report (the reason of a return is in ``note``)."""

    parent_field = "report"

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    version = models.ForeignKey(
        ReportVersion, on_delete=models.PROTECT, null=True, related_name="events"
    )
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14)
    note = models.TextField(blank=True)


class ReminderKind(models.TextChoices):
    HERINNERING = "herinnering", _("Herinnering")
    TE_LAAT = "te_laat", _("Te laat")


class ReportReminder(models.Model):
    """A reminder or overdue notice that was sent; one of each kind per report period, ever."""

    obligation = models.ForeignKey(
        ReportingObligation, on_delete=models.PROTECT, related_name="reminders"
    )
    aanbieder = models.ForeignKey("contracts.Aanbieder", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7)
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    due_date = models.DateField()
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("verzonden herinnering")
        verbose_name_plural = _("verzonden herinneringen")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "aanbieder", "period", "kind"],
                name="report_reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.aanbieder_id} {self.period}"
