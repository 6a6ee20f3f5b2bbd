# SPDX-License-Identifier: EUPL-1.2
"""KPI computation runs, their figures, and the survey results K13 needs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyImport(models.Model):
    """One uploaded CSV of client-satisfaction results; all-or-nothing, keyed by its SHA-256."""

    sha256 = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(_("bestand"), max_length=300)
    imported_at = models.DateTimeField(_("ingelezen"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rows = models.PositiveIntegerField(_("regels"))

    class Meta:
        verbose_name = _("import tevredenheidsonderzoek")
        verbose_name_plural = _("imports tevredenheidsonderzoek")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"


class SurveyResponse(models.Model):
    survey_import = models.ForeignKey(
        SurveyImport, on_delete=models.CASCADE, related_name="responses"
    )
    line = models.PositiveIntegerField(_("regelnummer"))
    aanbieder_agb = models.CharField(_("AGB-code"), max_length=8, db_index=True)
    period = models.CharField(_("periode"), max_length=7)  # 2024, 2024H1, 2024Q3
    score = models.PositiveSmallIntegerField(
        _("rapportcijfer"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    gemeente = models.CharField(_("gemeente"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("antwoord tevredenheidsonderzoek")
        verbose_name_plural = _("antwoorden tevredenheidsonderzoek")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=10),
                name="survey_score_1_10",
            )
        ]

    def __str__(self) -> str:
        return f"{self.aanbieder_agb} {self.period}: {self.score}"


class RunStatus(models.TextChoices):
    RUNNING = "bezig", _("Bezig")
    COMPLETED = "klaar", _("Klaar")
    FAILED = "mislukt", _("Mislukt")


RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    RunStatus.RUNNING: frozenset({RunStatus.COMPLETED, RunStatus.FAILED}),
    RunStatus.COMPLETED: frozenset(),
    RunStatus.FAILED: frozenset(),
}


class ComputationRun(models.Model):
    """One KPI computation: everything needed to reproduce its figures."""

    created_at = models.DateTimeField(_("gestart"))
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    as_of = models.DateField(_("peildatum"))
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parameters = models.JSONField(_("parameters"), default=dict)
    definition_versions = models.JSONField(_("definitieversies"), default=dict)
    input_fingerprint = models.CharField(_("vingerafdruk van de invoer"), max_length=64)
    figure_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("berekening")
        verbose_name_plural = _("berekeningen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} peildatum {self.as_of}"


class ComputationRunEvent(models.Model):
    """Append-only status history of a computation run."""

    run = models.ForeignKey(ComputationRun, on_delete=models.CASCADE, related_name="events")
    timestamp = models.DateTimeField()
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["timestamp", "id"]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.from_status} → {self.to_status}"


class Figure(models.Model):
    """One figure: a KPI code for an aanbieder × referentiegroep × gemeente × period."""

    run = models.ForeignKey(ComputationRun, on_delete=models.CASCADE, related_name="figures")
    kpi = models.CharField(max_length=10)
    aanbieder_agb = models.CharField(max_length=8)  # the aanbieder's first AGB code, or a raw code
    aanbieder = models.ForeignKey(
        "contracts.Aanbieder", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referentiegroep = models.CharField(max_length=50)
    gemeente = models.CharField(max_length=5)  # CBS code or "regio"
    period = models.CharField(max_length=7)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    value = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    n = models.PositiveIntegerField(default=0)
    norm = models.FloatField(null=True)
    norm_niet_gehaald = models.BooleanField(null=True)
    signaal = models.CharField(max_length=7, default="geen")
    kleine_aantallen = models.BooleanField(default=False)
    status = models.CharField(max_length=10, default="voorlopig")
    definition_version = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("kengetal")
        verbose_name_plural = _("kengetallen")
        indexes = [
            models.Index(fields=["run", "period", "kpi"]),
            models.Index(fields=["run", "aanbieder_agb", "period"]),
            # Reference-group reads of the profile and the pack: one group, all aanbieders.
            models.Index(
                fields=["run", "referentiegroep", "gemeente", "kpi", "period"],
                name="kpis_figure_group_idx",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.kpi} {self.aanbieder_agb} {self.referentiegroep} {self.gemeente} {self.period}"
        )


class RunUnitFrame(models.Model):
    """What one aanbieder's figures of a run came from (the drill-down, ADR 0010).

    One row per run × aanbieder (its first AGB code) × kind of unit (``engine.members.UNIT_KINDS``:
    trajectories, episodes, the K6 cohort, K11 aanleveringen, K10 per-client sums, K13 answer
    counts, K3/K4 ``scaling`` comparisons, K10oe ``k10oe_lines``), holding that frame as Parquet
    (zstd). Written in the run's transaction; never changed. Client identity is only the
    pseudonymised client key.
    """

    run = models.ForeignKey(ComputationRun, on_delete=models.CASCADE, related_name="unit_frames")
    aanbieder_agb = models.CharField(max_length=8)
    kind = models.CharField(max_length=20)
    rows = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        verbose_name = _("herkomst van kengetallen")
        verbose_name_plural = _("herkomst van kengetallen")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "aanbieder_agb", "kind"], name="rununitframe_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.aanbieder_agb} {self.kind} ({self.rows})"
