# SPDX-License-Identifier: EUPL-1.2
"""The demo stage that makes the served demo show the dialogue: a public page, an answered
toelichting of aanbieder1, a planned voortgangsgesprek with an open verbeterafspraak. Written
through the real services; running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from rich.console import Console

from tests.factories import (
    AanbiederFactory,
    AgbCodeFactory,
    ComputationRunFactory,
    ContractFactory,
    FigureFactory,
    ProductFactory,
    ReferentiegroepFactory,
    UserFactory,
)
from wmo_sla.accounts.models import User
from wmo_sla.audit.models import AuditEvent
from wmo_sla.benchmark.selectors_overview import DEFAULT_CODES
from wmo_sla.demo.pipeline import (
    DEMO_AGREEMENT_WEEKS,
    DEMO_MEETING_IN_DAYS,
    STAGES,
    DemoContext,
    _demo_dialogue,
)
from wmo_sla.dialogue.models import (
    AfspraakStatus,
    Toelichting,
    ToelichtingEvent,
    ToelichtingReactie,
    ToelichtingStatus,
    ToelichtingVersie,
    Verbeterafspraak,
    VerbeterafspraakEvent,
    Voortgangsgesprek,
)
from wmo_sla.publication.models import Publication
from wmo_sla.publication.services import save_publication

pytestmark = pytest.mark.django_db

NAME = "Atelier Demo"


@pytest.fixture
def demo(db):
    own = AanbiederFactory(name=NAME, agb=None)
    AgbCodeFactory(code="99000151", aanbieder=own)
    other = AanbiederFactory(name="Ander Demo", agb=None)
    AgbCodeFactory(code="99000152", aanbieder=other)
    contracts = [ContractFactory(code=code, aanbieders=[own, other]) for code in ("IB", "BEG")]
    groep = ReferentiegroepFactory(code="IB")
    for contract in contracts:
        ProductFactory(contract=contract, referentiegroep=groep)
    run = ComputationRunFactory()
    for period, status in (
        ("2022", "definitief"),
        ("2023", "definitief"),
        ("2024Q1", "definitief"),
        ("2024Q2", "definitief"),
        ("2024Q4", "voorlopig"),
    ):
        for aanbieder in (own, other):
            FigureFactory(
                run=run,
                aanbieder=aanbieder,
                kpi="K1",
                period=period,
                norm=None,
                numerator=20,
                denominator=None,
                value=20,
                n=20,
                status=status,
            )
    chosen = FigureFactory(
        run=run,
        aanbieder=own,
        kpi="K8",
        period="2024Q3",
        numerator=12,
        denominator=40,
        signaal="let op",
    )
    # Not preferred: an older quarter, a split per gemeente, a year.
    FigureFactory(run=run, aanbieder=own, kpi="K8", period="2024Q2", numerator=12, denominator=40)
    FigureFactory(
        run=run,
        aanbieder=own,
        kpi="K8",
        period="2024Q3",
        gemeente="0505",
        numerator=12,
        denominator=40,
    )
    FigureFactory(run=run, aanbieder=own, kpi="K8", period="2024", numerator=12, denominator=40)
    FigureFactory(run=run, aanbieder=other, kpi="K8", period="2024Q4", numerator=12, denominator=40)
    UserFactory(username="contractmanager", contractmanager=True)
    provider = UserFactory(username="aanbieder1", provider=True, aanbieder=own)
    return {
        "own": own,
        "other": other,
        "contracts": contracts,
        "chosen": chosen,
        "provider": provider,
    }


def _ctx() -> DemoContext:
    return DemoContext(
        data_dir=Path("/nonexistent"),
        contract_file=Path("/nonexistent.yaml"),
        console=Console(file=io.StringIO()),
    )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _rows() -> dict[str, int]:
    models = (
        Toelichting,
        ToelichtingVersie,
        ToelichtingReactie,
        ToelichtingEvent,
        Voortgangsgesprek,
        Verbeterafspraak,
        VerbeterafspraakEvent,
        Publication,
        AuditEvent,
    )
    return {m.__name__: m.objects.count() for m in models}


def test_the_stage_runs_after_computing_the_kpis():
    names = [stage.name for stage in STAGES]
    assert names.index("Dialoog en openbare pagina van de demo klaarzetten") == (
        names.index("KPI's berekenen") + 1
    )


def test_the_stage_fills_the_dialogue_through_the_services(demo):
    ctx = _ctx()
    _demo_dialogue(ctx)

    toelichting = Toelichting.objects.get()
    chosen = demo["chosen"]
    assert (toelichting.aanbieder, toelichting.kpi, toelichting.gemeente, toelichting.period) == (
        demo["own"],
        "K8",
        "regio",
        "2024Q3",
    )
    assert toelichting.status == ToelichtingStatus.BEANTWOORD
    versie = toelichting.versies.get()
    assert versie.author == demo["provider"] and versie.figure_value == chosen.value
    assert toelichting.reacties.get().author.username == "contractmanager"
    assert [e.to_status for e in toelichting.events.order_by("id")] == [
        "concept",
        "ingediend",
        "beantwoord",
    ]

    gesprek = Voortgangsgesprek.objects.get()
    assert (gesprek.aanbieder, gesprek.period) == (demo["own"], "2024Q4")
    assert gesprek.date == timezone.localdate() + dt.timedelta(days=DEMO_MEETING_IN_DAYS)
    afspraak = Verbeterafspraak.objects.get()
    assert afspraak.status == AfspraakStatus.OPEN and afspraak.gesprek == gesprek
    assert afspraak.deadline == gesprek.date + dt.timedelta(weeks=DEMO_AGREEMENT_WEEKS)

    for contract in demo["contracts"]:
        publication = contract.publication
        assert publication.is_public
        assert publication.kpi_codes == list(DEFAULT_CODES)
        assert publication.periods == ["2023", "2024Q2"]  # latest definitive year and quarter
    # Every write went through a service: each left its audit event.
    events = [e.extra.get("event") for e in AuditEvent.objects.all() if e.extra]
    for event in (
        "toelichting_created",
        "toelichting_versie",
        "toelichting_reactie",
        "voortgangsgesprek_gepland",
        "verbeterafspraak_vastgelegd",
    ):
        assert event in events
    assert AuditEvent.objects.filter(action="publication_changed").count() == 2
    assert any("2024Q3" in note for note in ctx.notes)


def test_running_the_stage_twice_gives_the_same_rows(demo):
    _demo_dialogue(_ctx())
    first = _rows()
    _demo_dialogue(_ctx())
    assert _rows() == first
    assert Toelichting.objects.get().status == ToelichtingStatus.BEANTWOORD


def test_a_publication_someone_set_is_left_alone(demo):
    ib = demo["contracts"][0]
    cm = UserFactory(username="cm-eigen-keuze", contractmanager=True)
    save_publication(contract=ib, enabled=False, kpi_codes=["K8"], periods=["2023"], actor=cm)
    _demo_dialogue(_ctx())
    ib.publication.refresh_from_db()
    assert (ib.publication.enabled, ib.publication.kpi_codes) == (False, ["K8"])
    assert demo["contracts"][1].publication.is_public


def test_the_served_demo_shows_the_dialogue(demo):
    _demo_dialogue(_ctx())
    public = Client().get(reverse("publication:contract", args=["BEG"]))
    assert public.status_code == 200 and NAME in public.content.decode()

    client = Client()
    client.force_login(demo["provider"])
    home = client.get(reverse("web:home")).content.decode()
    assert "1 toelichting beantwoord door de gemeente" in _text(home)
    gesprek = Voortgangsgesprek.objects.get()
    assert reverse("dialogue:gesprek_detail", args=[gesprek.pk]) in home
    assert "Start- en stopberichten binnen 5 werkdagen versturen" in home

    manager = Client()
    manager.force_login(User.objects.get(username="contractmanager"))
    assert f"{NAME}, over 2024Q4" in _text(manager.get(reverse("web:home")).content.decode())


def test_without_a_flagged_figure_the_stage_still_plans_the_meeting(demo):
    demo["chosen"].run.figures.filter(aanbieder=demo["own"], kpi="K8").delete()
    ctx = _ctx()
    _demo_dialogue(ctx)
    assert not Toelichting.objects.exists()
    assert Voortgangsgesprek.objects.filter(aanbieder=demo["own"]).count() == 1
    assert any("geen kengetal met een vlag" in note for note in ctx.notes)
