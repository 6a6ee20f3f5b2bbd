# SPDX-License-Identifier: EUPL-1.2
"""Storage of iWmo traffic: immutable raw messages, normalised facts, quarantine, batches.

Facts reference their message by the SHA-256 of the original bytes, so a batch can be written with
plain bulk inserts and the same message can never be stored twice. Client identity is only the
keyed pseudonym (``client_key``); names, addresses and contact data are never stored.

Indexes cost ingest time (every fact row updates each one), so the fact tables only carry those a
query uses: ``client_key`` plus (``gemeente``, ``toewijzing_nummer``) on toewijzingen,
aanleveringen and prestaties, for the trajectory drill-down
(``benchmark.selectors_drilldown.trajectory_detail``). The KPI computation reads the fact tables
whole (``kpis.selectors.fact_frames``). See docs/benchmarks.md § Ingest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import AanleveringKind, BatchSource, BatchStatus


class IngestBatch(models.Model):
    source = models.CharField(_("bron"), max_length=10, choices=BatchSource.choices)
    label = models.CharField(_("omschrijving"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    created_at = models.DateTimeField(_("aangemaakt"))
    started_at = models.DateTimeField(_("gestart"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    files_seen = models.PositiveIntegerField(_("bestanden"), default=0)
    messages_seen = models.PositiveIntegerField(_("berichten gelezen"), default=0)
    messages_total = models.PositiveIntegerField(_("berichten in totaal"), null=True, blank=True)
    accepted = models.PositiveIntegerField(_("geaccepteerd"), default=0)
    duplicates = models.PositiveIntegerField(_("al eerder ingelezen"), default=0)
    rejected = models.PositiveIntegerField(_("afgewezen"), default=0)
    error = models.TextField(_("fout"), blank=True)
    upload_path = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("inleesrun")
        verbose_name_plural = _("inleesruns")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_source_display()} {self.created_at:%Y-%m-%d %H:%M}"


class IngestBatchEvent(models.Model):
    """Append-only status history of a batch."""

    batch = models.ForeignKey(IngestBatch, on_delete=models.CASCADE, related_name="events")
    timestamp = models.DateTimeField()
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["timestamp", "id"]


class RawMessage(models.Model):
    """One accepted message, immutable. ``stored_xml`` is the blanked XML, zlib-compressed."""

    sha256 = models.CharField(_("SHA-256 van het origineel"), max_length=64, unique=True)
    message_type = models.CharField(_("berichttype"), max_length=6, db_index=True)
    berichtcode = models.CharField(_("BerichtCode"), max_length=3)
    # No single-column indexes on afzender and ontvanger: lookups by afzender use the unique
    # (afzender, berichtcode, identificatie) below, and no query filters on ontvanger (the
    # overviews read the distinct combinations, the admin searches with LIKE '%…%').
    afzender = models.CharField(_("afzender"), max_length=8)
    ontvanger = models.CharField(_("ontvanger"), max_length=8)
    identificatie = models.CharField(_("identificatie"), max_length=12, db_index=True)
    dagtekening = models.DateField(_("dagtekening"))
    original_berichtcode = models.CharField(max_length=3, blank=True)
    stored_xml = models.BinaryField(_("bericht (zonder persoonsgegevens, gecomprimeerd)"))
    received_at = models.DateTimeField(_("ontvangen"))
    batch = models.ForeignKey(IngestBatch, on_delete=models.PROTECT, related_name="messages")
    file_name = models.CharField(_("bestand"), max_length=500)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        constraints = [
            models.UniqueConstraint(
                fields=["afzender", "berichtcode", "identificatie"],
                name="rawmessage_identificatie_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_type} {self.afzender} {self.identificatie}"


class QuarantinedMessage(models.Model):
    """A rejected message with its reasons. Never holds unblanked bytes."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveIntegerField()
    file_name = models.CharField(_("bestand"), max_length=500)
    message_type = models.CharField(_("berichttype"), max_length=6, blank=True)
    afzender = models.CharField(_("afzender"), max_length=8, blank=True)
    identificatie = models.CharField(_("identificatie"), max_length=12, blank=True)
    problems = models.JSONField(_("problemen"))
    stored_xml = models.BinaryField(null=True, blank=True)
    received_at = models.DateTimeField(_("ontvangen"))
    batch = models.ForeignKey(IngestBatch, on_delete=models.PROTECT, related_name="quarantined")

    class Meta:
        verbose_name = _("afgewezen bericht")
        verbose_name_plural = _("quarantaine")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.message_type or '?'})"


class _Fact(models.Model):
    # The foreign key keeps every fact tied to a stored message, but without an index of its own:
    # no query looks facts up by message (readers fetch facts by client or whole tables, and
    # join messages through RawMessage.sha256, which is unique and indexed), and raw messages are
    # never deleted (immutable; the admin cannot delete them). The index cost about 19 µs of
    # writer CPU per message (docs/benchmarks.md § Ingest).
    message = models.ForeignKey(
        RawMessage,
        to_field="sha256",
        db_column="message_sha",
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class ClientFact(_Fact):
    client_key = models.CharField(max_length=32)
    gemeente = models.CharField(max_length=4)
    birth_year = models.PositiveSmallIntegerField(null=True)
    gender = models.CharField(max_length=1, blank=True)


class ToewijzingFact(_Fact):
    gemeente = models.CharField(max_length=4)
    aanbieder_agb = models.CharField(max_length=8)
    client_key = models.CharField(max_length=32, db_index=True)
    toewijzing_nummer = models.BigIntegerField()
    categorie = models.CharField(max_length=2, blank=True)
    productcode = models.CharField(max_length=5, blank=True)
    toewijzingsdatum = models.DateField()
    toewijzingstijd = models.TimeField()
    ingangsdatum = models.DateField()
    einddatum = models.DateField(null=True)
    reden_wijziging = models.CharField(max_length=2, blank=True)
    volume = models.BigIntegerField(null=True)
    eenheid = models.CharField(max_length=2, blank=True)
    frequentie = models.CharField(max_length=1, blank=True)
    budget = models.BigIntegerField(null=True)
    referentie_aanbieder = models.CharField(max_length=36, blank=True)
    dagtekening = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["gemeente", "toewijzing_nummer"])]


class AanleveringFact(_Fact):
    kind = models.CharField(max_length=5, choices=AanleveringKind.choices)
    aanbieder_agb = models.CharField(max_length=8)
    gemeente = models.CharField(max_length=4)
    client_key = models.CharField(max_length=32, db_index=True)
    toewijzing_nummer = models.BigIntegerField(null=True)
    categorie = models.CharField(max_length=2, blank=True)
    productcode = models.CharField(max_length=5, blank=True)
    toewijzing_ingangsdatum = models.DateField(null=True)
    begindatum = models.DateField()
    einddatum = models.DateField(null=True)
    reden_beeindiging = models.CharField(max_length=2, blank=True)
    status_aanlevering = models.CharField(max_length=1)
    dagtekening = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["gemeente", "toewijzing_nummer"])]


class PrestatieFact(_Fact):
    aanbieder_agb = models.CharField(max_length=8)
    gemeente = models.CharField(max_length=4)
    declaratienummer = models.CharField(max_length=12)
    client_key = models.CharField(max_length=32, db_index=True)
    referentienummer = models.CharField(max_length=20)
    vorig_referentienummer = models.CharField(max_length=20, blank=True)
    toewijzing_nummer = models.BigIntegerField()
    categorie = models.CharField(max_length=2)
    productcode = models.CharField(max_length=5)
    periode_begin = models.DateField()
    periode_eind = models.DateField()
    geleverd_volume = models.BigIntegerField()
    eenheid = models.CharField(max_length=2)
    tarief = models.BigIntegerField(null=True)
    bedrag = models.BigIntegerField()
    debet_credit = models.CharField(max_length=1)
    dagtekening = models.DateField()


class VerzoekFact(_Fact):
    kind = models.CharField(max_length=3)  # VOT / VOW
    aanbieder_agb = models.CharField(max_length=8)
    gemeente = models.CharField(max_length=4)
    client_key = models.CharField(max_length=32)
    referentie_aanbieder = models.CharField(max_length=36)
    toewijzing_nummer = models.BigIntegerField(null=True)
    categorie = models.CharField(max_length=2, blank=True)
    productcode = models.CharField(max_length=5, blank=True)
    ingangsdatum = models.DateField(null=True)
    einddatum = models.DateField(null=True)
    volume = models.BigIntegerField(null=True)
    eenheid = models.CharField(max_length=2, blank=True)
    frequentie = models.CharField(max_length=1, blank=True)
    reden_verzoek = models.CharField(max_length=1, blank=True)
    dagtekening = models.DateField()


class AntwoordFact(_Fact):
    gemeente = models.CharField(max_length=4)
    aanbieder_agb = models.CharField(max_length=8)
    referentie_aanbieder = models.CharField(max_length=36)
    verzoek_antwoord = models.CharField(max_length=1)
    reden_afwijzing = models.CharField(max_length=2, blank=True)
    dagtekening = models.DateField()


class RetourFact(_Fact):
    """A retour (302/306/308) about an original message, identified as the standard does."""

    original_afzender = models.CharField(max_length=8)
    original_berichtcode = models.CharField(max_length=3)
    original_identificatie = models.CharField(max_length=12)
    rejected = models.BooleanField()
    codes = models.CharField(max_length=200, blank=True)
    dagtekening = models.DateField()


class PrestatieAfwijzingFact(_Fact):
    """A declaration line rejected by a WMO325 declaratie-antwoord."""

    aanbieder_agb = models.CharField(max_length=8)
    declaratienummer = models.CharField(max_length=12)
    referentienummer = models.CharField(max_length=20)
    codes = models.CharField(max_length=200, blank=True)
