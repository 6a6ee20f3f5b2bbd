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
