# SPDX-License-Identifier: EUPL-1.2
"""factory_boy factories for the whole suite. Use traits for roles: ``UserFactory(contractmanager=True)``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from wmo_sla.accounts.models import User
from wmo_sla.accounts.roles import STAFF_ROLES, Role
from wmo_sla.contracts.constants import ContractKind, Eenheid, NormDirection, NormKind
from wmo_sla.contracts.models import (
    Aanbieder,
    AgbCode,
    Contract,
    Gemeente,
    HolidayCalendar,
    Norm,
    Product,
    Referentiegroep,
    Tariff,
)
from wmo_sla.kpis.models import ComputationRun, Figure, RunStatus

TEST_PASSWORD = "test-wachtwoord-123"


class GemeenteFactory(DjangoModelFactory):
    class Meta:
        model = Gemeente
        django_get_or_create = ("cbs_code",)

    cbs_code = factory.Sequence(lambda n: f"{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")


class AanbiederFactory(DjangoModelFactory):
    class Meta:
        model = Aanbieder
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testaanbieder {n:03d}")
    agb = factory.RelatedFactory("tests.factories.AgbCodeFactory", factory_related_name="aanbieder")


class AgbCodeFactory(DjangoModelFactory):
    class Meta:
        model = AgbCode

    code = factory.Sequence(lambda n: f"{87000000 + n:08d}")
    aanbieder = factory.SubFactory(AanbiederFactory, agb=None)


class HolidayCalendarFactory(DjangoModelFactory):
    class Meta:
        model = HolidayCalendar
        django_get_or_create = ("code",)

    code = "atw"
    name = "Algemene termijnenwet"
    rule = "algemene-termijnenwet"


class ReferentiegroepFactory(DjangoModelFactory):
    class Meta:
        model = Referentiegroep

    code = factory.Sequence(lambda n: f"RG{n}")
    name = factory.Sequence(lambda n: f"Referentiegroep {n}")


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"Deelovereenkomst {n}")
    kind = ContractKind.IB
    start_date = dt.date(2016, 1, 1)
    holiday_calendar = factory.SubFactory(HolidayCalendarFactory)

    @factory.post_generation
    def gemeenten(self, create: bool, extracted: list[Gemeente] | None, **kwargs: object) -> None:
        if create:
            self.gemeenten.set(extracted or [GemeenteFactory()])

    @factory.post_generation
    def aanbieders(self, create: bool, extracted: list[Aanbieder] | None, **kwargs: object) -> None:
        if create and extracted:
            self.aanbieders.set(extracted)


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    contract = factory.SubFactory(ContractFactory)
    categorie = "02"
    code = factory.Sequence(lambda n: f"P{n:03d}")
    description = "Begeleiding"
    eenheid = Eenheid.UUR
    product_group = "02"
    referentiegroep = factory.SubFactory(ReferentiegroepFactory)


class TariffFactory(DjangoModelFactory):
    class Meta:
        model = Tariff

    product = factory.SubFactory(ProductFactory)
    year = 2024
    price = Decimal("55.00")
    price_per = Eenheid.UUR


class NormFactory(DjangoModelFactory):
    class Meta:
        model = Norm

    kpi_code = "K8"
    referentiegroep = factory.SubFactory(ReferentiegroepFactory)
    year = 2024
    kind = NormKind.CONTRACT
    value = Decimal("0.10")
    direction = NormDirection.MAX


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    role = Role.ANALIST
    aanbieder = None
    is_staff = factory.LazyAttribute(lambda o: o.role in STAFF_ROLES)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    class Params:
        contractmanager = factory.Trait(role=Role.CONTRACTMANAGER)
        analist = factory.Trait(role=Role.ANALIST)
        beheerder = factory.Trait(role=Role.BEHEERDER)
        provider = factory.Trait(
            role=Role.AANBIEDER, aanbieder=factory.SubFactory(AanbiederFactory)
        )

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class ComputationRunFactory(DjangoModelFactory):
    """A completed KPI run (add figures with ``FigureFactory(run=...)``)."""

    class Meta:
        model = ComputationRun

    created_at = factory.LazyFunction(lambda: dt.datetime(2025, 1, 2, 9, 0, tzinfo=dt.UTC))
    finished_at = factory.LazyAttribute(lambda o: o.created_at)
    as_of = dt.date(2024, 12, 31)
    status = RunStatus.COMPLETED
    input_fingerprint = "0" * 64


class FigureFactory(DjangoModelFactory):
    """One K8 figure (a share) of an aanbieder; pass ``aanbieder`` and its first AGB code."""

    class Meta:
        model = Figure

    run = factory.SubFactory(ComputationRunFactory)
    kpi = "K8"
    aanbieder = factory.SubFactory(AanbiederFactory)
    aanbieder_agb = factory.LazyAttribute(
        lambda o: (
            (o.aanbieder.agb_codes.order_by("code").values_list("code", flat=True).first())
            or "00000000"
        )
    )
    referentiegroep = "IB"
    gemeente = "regio"
    period = "2024"
    numerator = 6.0
    denominator = 40.0
    value = factory.LazyAttribute(
        lambda o: (o.numerator / o.denominator) if o.denominator else None
    )
    ci_low = 0.07
    ci_high = 0.29
    n = factory.LazyAttribute(lambda o: int(o.denominator or 0))
    norm = 0.10
    norm_niet_gehaald = factory.LazyAttribute(
        lambda o: None if o.norm is None or o.value is None else o.value > o.norm
    )
    signaal = "geen"
    kleine_aantallen = False
    status = "definitief"
    definition_version = 1
