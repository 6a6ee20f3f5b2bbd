# SPDX-License-Identifier: EUPL-1.2
"""The start page of each role: real content read through the scoped selectors, empty states in
words, and a provider never sees another aanbieder's items."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from tests.factories import (
    AanbiederFactory,
    AgbCodeFactory,
    ComputationRunFactory,
    FigureFactory,
    ReferentiegroepFactory,
    UserFactory,
)

from wmo_sla.contracts.models import NormProposal
from wmo_sla.dialogue import services
from wmo_sla.dialogue.services import FigureIdentity
from wmo_sla.ingest.constants import BatchSource, BatchStatus
from wmo_sla.ingest.models import IngestBatch, QuarantinedMessage, RawMessage

pytestmark = pytest.mark.django_db

OWN = "Zorg Eigen Start"
OTHER = "Zorg Ander Start"
TODAY = timezone.localdate()


@dataclass
class World:
    own: Any
    other: Any
    run: Any
    provider: Any
    other_provider: Any
    cm: Any
    analist: Any
    beheerder: Any
    own_flagged: Any
    own_flagged_2: Any
    other_flagged: Any


def _flagged(run, aanbieder, *, kpi="K8", period="2024Q4", signaal="signaal", gemeente="regio"):
    return FigureFactory(
        run=run,
        aanbieder=aanbieder,
        kpi=kpi,
        period=period,
        gemeente=gemeente,
        numerator=12,
        denominator=40,
        norm=0.10,
        signaal=signaal,
    )


def _submit(figure, actor, text):
    return services.toelichting_write(
        actor=actor,
        identity=FigureIdentity.of(figure),
        figure=figure,
        oorzaak="registratie",
        tekst=text,
        maatregel="",
        submit=True,
    )


@pytest.fixture
def world(db) -> World:
    own = AanbiederFactory(name=OWN, agb=None)
    AgbCodeFactory(code="21112222", aanbieder=own)
    other = AanbiederFactory(name=OTHER, agb=None)
    AgbCodeFactory(code="23334444", aanbieder=other)
    run = ComputationRunFactory()
    own_flagged = _flagged(run, own, kpi="K8", signaal="signaal")
    own_flagged_2 = _flagged(run, own, kpi="K9", signaal="let op")
    _flagged(run, own, kpi="K8", period="2024Q3", signaal="let op")  # an older quarter
    _flagged(run, own, kpi="K8", gemeente="0505", signaal="signaal")  # per gemeente: not counted
    other_flagged = _flagged(run, other, kpi="K8", signaal="let op")
    FigureFactory(run=run, aanbieder=other, kpi="K6", period="2024Q4", signaal="geen", norm=None)
    return World(
        own=own,
        other=other,
        run=run,
        provider=UserFactory(username="start-eigen", provider=True, aanbieder=own),
        other_provider=UserFactory(username="start-ander", provider=True, aanbieder=other),
        cm=UserFactory(username="start-cm", contractmanager=True),
        analist=UserFactory(username="start-analist", analist=True),
        beheerder=UserFactory(username="start-beheer", beheerder=True),
        own_flagged=own_flagged,
        own_flagged_2=own_flagged_2,
        other_flagged=other_flagged,
    )


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _dialogue(world: World) -> dict[str, Any]:
    """Explanations, meetings and agreements of both aanbieders."""
    own_t = _submit(world.own_flagged, world.provider, "Eigen uitleg")
    other_t = _submit(world.other_flagged, world.other_provider, "Andere uitleg")
    own_g = services.gesprek_plan(
        actor=world.cm,
        aanbieder=world.own,
        period="2024Q4",
        date=TODAY + dt.timedelta(days=10),
        deelnemers="",
    )
    other_g = services.gesprek_plan(
        actor=world.cm,
        aanbieder=world.other,
        period="2024Q4",
        date=TODAY + dt.timedelta(days=20),
        deelnemers="",
    )
    past_g = services.gesprek_plan(
        actor=world.cm,
        aanbieder=world.own,
        period="2024Q2",
        date=TODAY - dt.timedelta(days=90),
        deelnemers="",
    )
    overdue = services.afspraak_create(
        actor=world.cm,
        gesprek=past_g,
        actie="Wachtlijst opschonen",
        eigenaar="Teamleider",
        deadline=TODAY - dt.timedelta(days=5),
    )
    not_due = services.afspraak_create(
        actor=world.cm,
        gesprek=own_g,
        actie="Berichten op tijd sturen",
        eigenaar="Planner",
        deadline=TODAY + dt.timedelta(days=30),
    )
    other_afspraak = services.afspraak_create(
        actor=world.cm,
        gesprek=other_g,
        actie="Geheime actie van de ander",
        eigenaar="Directeur ander",
        deadline=TODAY - dt.timedelta(days=1),
    )
    return {
        "own_t": own_t,
        "other_t": other_t,
        "own_g": own_g,
        "other_g": other_g,
        "past_g": past_g,
        "overdue": overdue,
        "not_due": not_due,
        "other_afspraak": other_afspraak,
    }


# --- contractmanager ------------------------------------------------------------------------


def test_contractmanager_sees_run_signals_and_the_dialogue_that_waits(world):
    d = _dialogue(world)
    NormProposal.objects.create(
        kpi_code="K8",
        referentiegroep=ReferentiegroepFactory(),
        year=2024,
        value="0.1200",
        direction="max",
        method="p75",
        base_period="2022-2023",
        source="test",
        n_providers=5,
        n=200,
        created_at=timezone.now(),
    )
    html = _home(world.cm)
    text = _text(html)
    assert "Start – contractmanagement" in text
    assert f"Berekening #{world.run.pk}" in text and "31 december 2024" in text
    # Latest quarter over the whole region: K8 signaal + K9 let op (own), K8 let op (other);
    # the per-gemeente figure and the older quarter are not counted.
    assert "Signalen in 2024Q4 (hele regio)" in text
    assert "1 kengetal met ▲▲ signaal" in text
    assert "2 kengetallen met ▲ let op" in text
    assert "2 aanbieders met een signaal of let op" in text
    assert f'href="{reverse("benchmark:overview")}?period=2024Q4"' in html
    # Both submitted explanations wait for a response.
    for t in (d["own_t"], d["other_t"]):
        assert reverse("dialogue:toelichting_detail", args=[t.pk]) in html
    assert "Alle 2 toelichtingen die wachten op een reactie" in text
    # Upcoming meetings (not the past one), soonest first.
    own_g = reverse("dialogue:gesprek_detail", args=[d["own_g"].pk])
    other_g = reverse("dialogue:gesprek_detail", args=[d["other_g"].pk])
    assert html.index(own_g) < html.index(other_g)
    assert f"{OWN}, over 2024Q4" in text
    # Overdue agreements only (the one not yet due is not listed).
    assert "Wachtlijst opschonen" in text and "Geheime actie van de ander" in text
    assert "Berichten op tijd sturen" not in text
    assert "1 normvoorstel wacht op uw besluit" in text


def test_contractmanager_empty_states_are_in_words(db):
    cm = UserFactory(username="start-cm-leeg", contractmanager=True)
    text = _text(_home(cm))
    assert "Er is nog geen berekening." in text
    assert "Er wachten geen toelichtingen op een reactie." in text
    assert "Er zijn geen voortgangsgesprekken gepland vanaf vandaag." in text
    assert "Geen openstaande verbeterafspraken over de datum." in text
    assert "Er wachten geen normvoorstellen op een besluit." in text


def test_an_answered_explanation_no_longer_waits(world):
    d = _dialogue(world)
    services.toelichting_respond(actor=world.cm, toelichting=d["other_t"], tekst="Dank")
    html = _home(world.cm)
    assert reverse("dialogue:toelichting_detail", args=[d["other_t"].pk]) not in html
    assert "Alle 1 toelichting die wacht op een reactie" in _text(html)


def test_contractmanager_start_page_is_a_handful_of_queries(world):
    _dialogue(world)
    client = Client()
    client.force_login(world.cm)
    client.get(reverse("web:home"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:home")).status_code == 200
    assert len(queries) <= 15, [q["sql"] for q in queries]


# --- analist --------------------------------------------------------------------------------


def test_analist_sees_the_run_and_links_but_no_to_do_lists(world):
    _dialogue(world)
    html = _home(world.analist)
    text = _text(html)
    assert "Start – analyse" in text
    assert f"Berekening #{world.run.pk}" in text and "1 kengetal met ▲▲ signaal" in text
    for name in ("benchmark:overview", "dialogue:toelichting_list", "dialogue:gesprek_list"):
        assert f'href="{reverse(name)}"' in html
    # The analist does not respond, plan or decide: those lists are not on its page.
    assert "Toelichtingen die wachten op uw reactie" not in text
    assert "normvoorstel" not in text.lower()


# --- aanbieder ------------------------------------------------------------------------------


def test_provider_sees_its_own_signals_meetings_and_agreements_only(world):
    d = _dialogue(world)
    html = _home(world.provider)
    text = _text(html)
    assert f"Welkom, {OWN}" in text
    # 2024Q4, whole region and per gemeente: K8 regio (submitted), K9 regio and K8 0505 (open).
    assert "2 kengetallen over 2024Q4 wachten op uw toelichting" in text
    assert "1 toelichting ingediend, wacht op een reactie van de gemeente" in text
    assert "In 2024Q4 hebben 3 kengetallen een vlag" in text
    assert f'href="{reverse("dialogue:mijn_signalen")}?periode=2024Q4"' in html
    assert f'href="{reverse("benchmark:portal")}"' in html
    assert reverse("dialogue:gesprek_detail", args=[d["own_g"].pk]) in html
    # Open agreements of its own (due or not), none of the other aanbieder.
    assert "Wachtlijst opschonen" in text and "Berichten op tijd sturen" in text
    assert OTHER not in html
    assert "Geheime actie van de ander" not in html
    assert reverse("dialogue:gesprek_detail", args=[d["other_g"].pk]) not in html
    assert reverse("dialogue:toelichting_detail", args=[d["other_t"].pk]) not in html
    # No benchmark counts over all aanbieders on a provider's page.
    assert "aanbieders met een signaal" not in text


def test_the_other_provider_sees_its_own_not_ours(world):
    d = _dialogue(world)
    html = _home(world.other_provider)
    text = _text(html)
    assert "Geheime actie van de ander" in text
    assert OWN not in html and "Wachtlijst opschonen" not in html
    assert reverse("dialogue:gesprek_detail", args=[d["own_g"].pk]) not in html


def test_provider_hidden_small_figures_and_answered_explanations(world):
    FigureFactory(
        run=world.run,
        aanbieder=world.own,
        kpi="K2r",
        period="2024Q4",
        numerator=2,
        denominator=3,
        norm=0.10,
        signaal="signaal",
    )
    t = _submit(world.own_flagged, world.provider, "Eigen uitleg")
    services.toelichting_respond(actor=world.cm, toelichting=t, tekst="Gezien")
    text = _text(_home(world.provider))
    # n < 5 is not shown to the provider, so it is not counted either.
    assert "In 2024Q4 hebben 3 kengetallen een vlag" in text
    assert "1 toelichting beantwoord door de gemeente" in text


def test_provider_without_signals_gets_words(db):
    provider = UserFactory(username="start-leeg", provider=True)
    text = _text(_home(provider))
    assert "Er zijn geen kengetallen met een vlag die u kunt toelichten." in text
    assert "Er zijn geen voortgangsgesprekken gepland vanaf vandaag." in text
    assert "Geen openstaande verbeterafspraken." in text


# --- beheerder ------------------------------------------------------------------------------


def _batch(label: str, **counts: int) -> IngestBatch:
    return IngestBatch.objects.create(
        source=BatchSource.UPLOAD,
        label=label,
        status=BatchStatus.COMPLETED,
        created_at=timezone.now(),
        **counts,
    )


def test_beheerder_sees_batches_quarantine_and_unknown_parties(world):
    batch = _batch("Upload december", accepted=1, rejected=1)
    now = timezone.now()
    RawMessage.objects.create(
        sha256="a" * 64,
        message_type="WMO305",
        berichtcode="414",
        afzender="99999999",  # an AGB code the contract does not know
        ontvanger="0505",  # a gemeente the contract does not know either
        identificatie="1",
        dagtekening=dt.date(2024, 1, 2),
        stored_xml=b"",
        received_at=now,
        batch=batch,
        file_name="x.xml",
    )
    QuarantinedMessage.objects.create(
        sha256="b" * 64,
        size=10,
        file_name="kapot.xml",
        problems=["x"],
        received_at=now,
        batch=batch,
    )
    html = _home(world.beheerder)
    text = _text(html)
    assert "Start – functioneel beheer" in text
    assert f"#{batch.pk} Upload december" in text
    assert reverse("ingest:batch_detail", args=[batch.pk]) in html
    assert "1 bericht in quarantaine (afgewezen)" in text
    assert "1 onbekende AGB-code van een aanbieder" in text
    assert "1 onbekende gemeentecode" in text
    assert f'href="{reverse("ingest:unknown_parties")}"' in html


def test_beheerder_empty_ingest_state_in_words(db):
    beheerder = UserFactory(username="start-beheer-leeg", beheerder=True)
    text = _text(_home(beheerder))
    assert "Er zijn nog geen berichten ingelezen." in text
    assert "0 berichten in quarantaine (afgewezen)" in text
