# SPDX-License-Identifier: EUPL-1.2
"""Contract master data: gemeenten, aanbieders, contracts, products, tariffs, norms, calendars."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import (
    ContractKind,
    Eenheid,
    IndexationMethod,
    NormDirection,
    NormKind,
    NormMethod,
    NormProposalStatus,
    NormStatus,
)

cbs_code_validator = RegexValidator(r"^\d{4}$", _("Een CBS-gemeentecode bestaat uit 4 cijfers."))
agb_code_validator = RegexValidator(r"^\d{8}$", _("Een AGB-code bestaat uit 8 cijfers."))
categorie_validator = RegexValidator(
    r"^\d{2}$", _("Een productcategorie (WMO020) bestaat uit 2 cijfers.")
)


class Gemeente(models.Model):
    cbs_code = models.CharField(
        _("CBS-code"), max_length=4, unique=True, validators=[cbs_code_validator]
    )
    name = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cbs_code})"


class Aanbieder(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgbCode(models.Model):
    code = models.CharField(
        _("AGB-code"), max_length=8, unique=True, validators=[agb_code_validator]
    )
    aanbieder = models.ForeignKey(
        Aanbieder, on_delete=models.CASCADE, related_name="agb_codes", verbose_name=_("aanbieder")
    )

    class Meta:
        verbose_name = _("AGB-code")
        verbose_name_plural = _("AGB-codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class HolidayCalendar(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    rule = models.CharField(
        _("regel"),
        max_length=50,
        blank=True,
        help_text=_("Regel waarmee de feestdagen zijn gegenereerd, bv. 'algemene-termijnenwet'."),
    )

    class Meta:
        verbose_name = _("feestdagenkalender")
        verbose_name_plural = _("feestdagenkalenders")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Holiday(models.Model):
    calendar = models.ForeignKey(
        HolidayCalendar,
        on_delete=models.CASCADE,
        related_name="holidays",
        verbose_name=_("kalender"),
    )
    date = models.DateField(_("datum"))
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("feestdag")
        verbose_name_plural = _("feestdagen")
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="holiday_unique_per_calendar")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class Referentiegroep(models.Model):
    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("referentiegroep")
        verbose_name_plural = _("referentiegroepen")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Contract(models.Model):
    """A deelovereenkomst with its participating gemeenten and aanbieders."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=3, choices=ContractKind.choices)
    start_date = models.DateField(_("ingangsdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    gemeenten = models.ManyToManyField(
        Gemeente, related_name="contracts", verbose_name=_("gemeenten")
    )
    aanbieders = models.ManyToManyField(
        Aanbieder, related_name="contracts", blank=True, verbose_name=_("aanbieders")
    )
    holiday_calendar = models.ForeignKey(
        HolidayCalendar,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("feestdagenkalender"),
    )
    indexation_method = models.CharField(
        _("indexatieregel"),
        max_length=50,
        choices=IndexationMethod.choices,
        default=IndexationMethod.NONE,
    )

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracten")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="contract_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class SlaVersion(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="sla_versions", verbose_name=_("contract")
    )
    version = models.CharField(_("versie"), max_length=50)
    start_date = models.DateField(_("ingangsdatum"))
    title = models.CharField(_("titel"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("SLA-versie")
        verbose_name_plural = _("SLA-versies")
        ordering = ["contract", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "version"], name="sla_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contract.code} SLA {self.version}"


class IndexFigure(models.Model):
    """CBS September figures used by the indexation rule of a contract (Gouda annex)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="index_figures", verbose_name=_("contract")
    )
    year = models.PositiveSmallIntegerField(_("jaar (september)"))
    cao_lonen_index = models.DecimalField(
        _("CBS-indexcijfer cao-lonen sector Q (september)"), max_digits=8, decimal_places=2
    )
    cpi_jaarmutatie = models.DecimalField(
        _("CBS CPI-jaarmutatie in % (september)"), max_digits=6, decimal_places=2
    )

    class Meta:
        verbose_name = _("indexcijfer")
        verbose_name_plural = _("indexcijfers")
        ordering = ["contract", "year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "year"], name="index_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contract.code} {self.year}"


class Product(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="products", verbose_name=_("contract")
    )
    categorie = models.CharField(
        _("productcategorie (WMO020)"), max_length=2, validators=[categorie_validator]
    )
    code = models.CharField(
        _("productcode"),
        max_length=5,
        blank=True,
        help_text=_("Leeg voor een aspecifieke toewijzing (alleen categorie)."),
    )
    description = models.CharField(_("omschrijving"), max_length=200)
    eenheid = models.CharField(_("eenheid (WJ756)"), max_length=2, choices=Eenheid.choices)
    product_group = models.CharField(
        _("productgroep"),
        max_length=50,
        help_text=_("Groep waarbinnen trajecten worden gevormd (standaard de WMO020-categorie)."),
    )
    referentiegroep = models.ForeignKey(
        Referentiegroep,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("referentiegroep"),
    )
    intensity_rank = models.PositiveSmallIntegerField(
        _("rang op intensiteitsladder"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("producten")
        ordering = ["contract", "categorie", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "categorie", "code"], name="product_unique_per_contract"
            )
        ]

    def __str__(self) -> str:
        return f"{self.categorie}/{self.code} {self.description}"


class Tariff(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="tariffs", verbose_name=_("product")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    price = models.DecimalField(
        _("tarief in euro"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    price_per = models.CharField(
        _("tarief per eenheid"),
        max_length=2,
        choices=Eenheid.choices,
        help_text=_(
            "Eenheid waarop het tarief is gesteld (bv. per uur bij afrekening in minuten)."
        ),
    )

    class Meta:
        verbose_name = _("tarief")
        verbose_name_plural = _("tarieven")
        ordering = ["product", "year"]
        constraints = [models.UniqueConstraint(fields=["product", "year"], name="tariff_unique")]

    def __str__(self) -> str:
        return f"{self.product.code} {self.year}: € {self.price}"


class Norm(models.Model):
    """A norm for one KPI figure code in one referentiegroep and year."""

    kpi_code = models.CharField(_("KPI-code"), max_length=20)
    referentiegroep = models.ForeignKey(
        Referentiegroep,
        on_delete=models.PROTECT,
        related_name="norms",
        verbose_name=_("referentiegroep"),
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    kind = models.CharField(_("soort"), max_length=20, choices=NormKind.choices)
    value = models.DecimalField(_("waarde"), max_digits=12, decimal_places=4)
    direction = models.CharField(_("richting"), max_length=3, choices=NormDirection.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=NormStatus.choices, default=NormStatus.APPROVED
    )
    method = models.CharField(_("methode"), max_length=100, blank=True)
    base_period = models.CharField(_("basisperiode"), max_length=50, blank=True)
    source = models.CharField(_("bron"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
        help_text=_("Bij een historische norm: wie het voorstel heeft vastgesteld."),
    )
    approved_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("norm")
        verbose_name_plural = _("normen")
        ordering = ["kpi_code", "referentiegroep", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi_code", "referentiegroep", "year"], name="norm_unique_per_group_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi_code} {self.referentiegroep.code} {self.year}"


class NormProposal(models.Model):
    """A historical norm derived from stored figures, waiting for (or past) a decision.

    The norm in force stays in :class:`Norm` until a contract manager approves a proposal; only
    then is the Norm row written (ADR 0009). Proposals are never edited: deriving again makes a
    new proposal and lets the open one lapse (``vervallen``). Status changes only through
    ``wmo_sla.kpis.norms.norm_transition``, with a :class:`NormEvent` for each.
    """

    kpi_code = models.CharField(_("KPI-code"), max_length=20)
    referentiegroep = models.ForeignKey(
        Referentiegroep,
        on_delete=models.PROTECT,
        related_name="norm_proposals",
        verbose_name=_("referentiegroep"),
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    value = models.DecimalField(_("voorgestelde waarde"), max_digits=12, decimal_places=4)
    direction = models.CharField(_("richting"), max_length=3, choices=NormDirection.choices)
    method = models.CharField(_("methode"), max_length=10, choices=NormMethod.choices)
    base_period = models.CharField(_("basisperiode"), max_length=50)
    source = models.CharField(_("bron"), max_length=200)
    run = models.ForeignKey(
        "kpis.ComputationRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("berekening"),
    )
    n_providers = models.PositiveIntegerField(_("aantal aanbieders"))
    n = models.PositiveIntegerField(_("n (som over de aanbieders)"))
    n_providers_excluded = models.PositiveIntegerField(
        _("aanbieders niet meegeteld (n te klein)"), default=0
    )
    numerator = models.FloatField(_("som tellers"), null=True, blank=True)
    denominator = models.FloatField(_("som noemers"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=NormProposalStatus.choices,
        default=NormProposalStatus.PROPOSED,
    )
    created_at = models.DateTimeField(_("voorgesteld op"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voorgesteld door"),
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    decision_note = models.CharField(_("toelichting bij het besluit"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("normvoorstel")
        verbose_name_plural = _("normvoorstellen")
        ordering = ["year", "kpi_code", "referentiegroep", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi_code", "referentiegroep", "year"],
                condition=models.Q(status="voorgesteld"),
                name="norm_proposal_one_open_per_group_year",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kpi_code} {self.referentiegroep.code} {self.year}"


class NormEvent(models.Model):
    """Append-only status history of a norm proposal (who, when, from, to, note)."""

    proposal = models.ForeignKey(
        NormProposal,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("normvoorstel"),
    )
    timestamp = models.DateTimeField(_("tijdstip"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    actor_repr = models.CharField(_("door (naam)"), max_length=200, blank=True)
    from_status = models.CharField(_("van"), max_length=20, blank=True)
    to_status = models.CharField(_("naar"), max_length=20)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("normgebeurtenis")
        verbose_name_plural = _("normgebeurtenissen")
        ordering = ["timestamp", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status or '–'} → {self.to_status}"
