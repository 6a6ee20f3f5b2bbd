# SPDX-License-Identifier: EUPL-1.2
"""Toelichtingen on flagged figures, voortgangsgesprekken and their verbeterafspraken.

A toelichting belongs to a figure's *identity* (aanbieder, kpi, referentiegroep, gemeente,
period), never to a ``Figure`` row: figures are recomputed in new runs, explanations survive.
Versions, responses and status changes are append-only rows; only the status and a few
pointers on the parent rows change, and every change is recorded in an event row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wmo_sla.core.models import StatusEvent


class ToelichtingStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    INGEDIEND = "ingediend", _("Ingediend")
    BEANTWOORD = "beantwoord", _("Beantwoord")


# concept → ingediend → beantwoord; the aanbieder may revise (back to concept) or submit a new
# version at any time after submission; the gemeente answers a submitted version once.
TOELICHTING_TRANSITIONS: dict[str, frozenset[str]] = {
    ToelichtingStatus.CONCEPT: frozenset({ToelichtingStatus.INGEDIEND}),
    ToelichtingStatus.INGEDIEND: frozenset(
        {ToelichtingStatus.BEANTWOORD, ToelichtingStatus.CONCEPT, ToelichtingStatus.INGEDIEND}
    ),
    ToelichtingStatus.BEANTWOORD: frozenset(
        {ToelichtingStatus.CONCEPT, ToelichtingStatus.INGEDIEND}
    ),
}


class Oorzaak(models.TextChoices):
    """Cause categories of an explanation (documented in docs/web.md § Dialoog)."""

    REGISTRATIE = "registratie", _("Registratie of administratie")
    CLIENTPOPULATIE = "clientpopulatie", _("Samenstelling van de cliëntpopulatie")
    PERSONEEL = "personeel", _("Personele bezetting")
    WACHTLIJST = "wachtlijst", _("Wachtlijst of capaciteit")
    BELEID_GEMEENTE = "beleid_gemeente", _("Beleid of werkwijze van de gemeente")
    KLEINE_AANTALLEN = "kleine_aantallen", _("Toeval of kleine aantallen")
    OVERIG = "overig", _("Overig")


class Toelichting(models.Model):
    """The explanation thread of one figure identity of one aanbieder."""

    aanbieder = models.ForeignKey(
        "contracts.Aanbieder",
        on_delete=models.PROTECT,
        related_name="toelichtingen",
        verbose_name=_("aanbieder"),
    )
    kpi = models.CharField(_("kengetal"), max_length=10)
    referentiegroep = models.CharField(_("referentiegroep"), max_length=50)
    gemeente = models.CharField(_("gemeente"), max_length=5)
    period = models.CharField(_("periode"), max_length=7)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ToelichtingStatus.choices,
        default=ToelichtingStatus.CONCEPT,
    )
    created_at = models.DateTimeField(_("aangemaakt"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Last submission; None until the aanbieder first submits (the gemeente never sees drafts).
    ingediend_at = models.DateTimeField(_("laatst ingediend"), null=True, blank=True)

    class Meta:
        verbose_name = _("toelichting")
        verbose_name_plural = _("toelichtingen")
        ordering = ["-period", "kpi", "referentiegroep", "gemeente"]
        constraints = [
            models.UniqueConstraint(
                fields=["aanbieder", "kpi", "referentiegroep", "gemeente", "period"],
                name="toelichting_one_per_figure_identity",
            )
        ]
        indexes = [models.Index(fields=["aanbieder", "period"])]

    def __str__(self) -> str:
        return f"{self.kpi} {self.referentiegroep} {self.gemeente} {self.period}"


class ToelichtingVersie(models.Model):
    """One saved version of an explanation (append-only), with the figure it was written against."""

    toelichting = models.ForeignKey(Toelichting, on_delete=models.PROTECT, related_name="versies")
    number = models.PositiveIntegerField(_("versie"))
    oorzaak = models.CharField(_("oorzaak"), max_length=20, choices=Oorzaak.choices)
    tekst = models.TextField(_("toelichting"))
    maatregel = models.TextField(_("geplande maatregel"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("opgeslagen"))
    # The figure as the aanbieder saw it when writing (it may change in later runs).
    run = models.ForeignKey(
        "kpis.ComputationRun", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    figure_value = models.FloatField(null=True)
    figure_norm = models.FloatField(null=True)
    figure_n = models.PositiveIntegerField(null=True)
    figure_norm_niet_gehaald = models.BooleanField(null=True)
    figure_signaal = models.CharField(max_length=7, blank=True)

    class Meta:
        verbose_name = _("versie van een toelichting")
        verbose_name_plural = _("versies van toelichtingen")
        ordering = ["toelichting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["toelichting", "number"], name="toelichting_versie_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.toelichting} v{self.number}"


class ToelichtingReactie(models.Model):
    """The gemeente's response to a submitted version (append-only)."""

    toelichting = models.ForeignKey(Toelichting, on_delete=models.PROTECT, related_name="reacties")
    versie = models.ForeignKey(ToelichtingVersie, on_delete=models.PROTECT, related_name="reacties")
    tekst = models.TextField(_("reactie"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("geplaatst"))

    class Meta:
        verbose_name = _("reactie op een toelichting")
        verbose_name_plural = _("reacties op toelichtingen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.toelichting}: reactie op v{self.versie.number}"


class ToelichtingEvent(StatusEvent):
    """Append-only status history of a toelichting."""

    parent_field = "toelichting"

    toelichting = models.ForeignKey(Toelichting, on_delete=models.PROTECT, related_name="events")
    versie = models.ForeignKey(
        ToelichtingVersie, on_delete=models.PROTECT, null=True, related_name="events"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)


class Voortgangsgesprek(models.Model):
    """A progress meeting with one aanbieder about one period."""

    aanbieder = models.ForeignKey(
        "contracts.Aanbieder",
        on_delete=models.PROTECT,
        related_name="voortgangsgesprekken",
        verbose_name=_("aanbieder"),
    )
    period = models.CharField(_("periode"), max_length=7)
    date = models.DateField(_("datum"))
    deelnemers = models.TextField(_("deelnemers"), blank=True)
    created_at = models.DateTimeField(_("gepland op"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("voortgangsgesprek")
        verbose_name_plural = _("voortgangsgesprekken")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["aanbieder", "date"])]

    def __str__(self) -> str:
        return f"{self.aanbieder} {self.period} ({self.date:%d-%m-%Y})"


class AfspraakStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_UITVOERING = "in_uitvoering", _("In uitvoering")
    AFGEROND = "afgerond", _("Afgerond")
    VERVALLEN = "vervallen", _("Vervallen")


AFSPRAAK_TRANSITIONS: dict[str, frozenset[str]] = {
    AfspraakStatus.OPEN: frozenset(
        {AfspraakStatus.IN_UITVOERING, AfspraakStatus.AFGEROND, AfspraakStatus.VERVALLEN}
    ),
    AfspraakStatus.IN_UITVOERING: frozenset(
        {AfspraakStatus.OPEN, AfspraakStatus.AFGEROND, AfspraakStatus.VERVALLEN}
    ),
    AfspraakStatus.AFGEROND: frozenset(),
    AfspraakStatus.VERVALLEN: frozenset(),
}

OPEN_AFSPRAAK_STATUSES = (AfspraakStatus.OPEN, AfspraakStatus.IN_UITVOERING)


class Verbeterafspraak(models.Model):
    """An improvement agreement recorded after a meeting; open ones return in the next pack."""

    gesprek = models.ForeignKey(
        Voortgangsgesprek, on_delete=models.PROTECT, related_name="afspraken"
    )
    aanbieder = models.ForeignKey(
        "contracts.Aanbieder", on_delete=models.PROTECT, related_name="verbeterafspraken"
    )
    actie = models.TextField(_("actie"))
    eigenaar = models.CharField(_("eigenaar"), max_length=200)
    deadline = models.DateField(_("uiterlijk klaar op"))
    status = models.CharField(
        _("status"), max_length=14, choices=AfspraakStatus.choices, default=AfspraakStatus.OPEN
    )
    created_at = models.DateTimeField(_("vastgelegd"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("verbeterafspraak")
        verbose_name_plural = _("verbeterafspraken")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["aanbieder", "status"])]

    def __str__(self) -> str:
        return self.actie[:80]


class VerbeterafspraakEvent(StatusEvent):
    """Append-only status history of a verbeterafspraak."""

    parent_field = "afspraak"

    afspraak = models.ForeignKey(Verbeterafspraak, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14)
    note = models.CharField(max_length=500, blank=True)
