# SPDX-License-Identifier: EUPL-1.2
"""Dialogue pages per role: the provider only ever reaches its own data (404 otherwise)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

import pytest

from wmo_sla.dialogue import services
from wmo_sla.dialogue.models import (
    AfspraakStatus,
    Toelichting,
    ToelichtingStatus,
    Verbeterafspraak,
    Voortgangsgesprek,
)
from wmo_sla.dialogue.services import FigureIdentity

from .conftest import OTHER_NAME, OWN_NAME

pytestmark = pytest.mark.django_db


def _submit(d, figure=None, actor=None, text="Administratieve achterstand"):
    figure = figure or d.flagged
    return services.toelichting_write(
        actor=actor or d.provider,
        identity=FigureIdentity.of(figure),
        figure=figure,
        oorzaak="registratie",
        tekst=text,
        maatregel="Extra controle",
        submit=True,
    )


def _gesprek(d, aanbieder=None, period="2024Q3"):
    return services.gesprek_plan(
        actor=d.cm,
        aanbieder=aanbieder or d.own,
        period=period,
        date=dt.date(2024, 11, 1),
        deelnemers="Contractmanager, directeur",
    )


def test_mijn_signalen_lists_own_flagged_figures_only(client, dialogue):
    client.force_login(dialogue.provider)
    page = client.get(reverse("dialogue:mijn_signalen")).content.decode()
    start = reverse("dialogue:toelichting_start", args=[dialogue.flagged.pk])
    assert start in page
    assert reverse("dialogue:toelichting_start", args=[dialogue.unflagged.pk]) not in page
    # n < 5: the provider never sees the value, so it is not listed either.
    assert reverse("dialogue:toelichting_start", args=[dialogue.small.pk]) not in page
    assert OTHER_NAME not in page and "30,0 %" in page


def test_provider_writes_and_submits_an_explanation_through_the_form(client, dialogue):
    client.force_login(dialogue.provider)
    url = reverse("dialogue:toelichting_start", args=[dialogue.flagged.pk])
    response = client.post(
        url,
        {
            "oorzaak": "personeel",
            "tekst": "Veel ziekteverzuim in Q3",
            "maatregel": "",
            "indienen": "1",
        },
    )
    toelichting = Toelichting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dialogue:toelichting_detail", args=[toelichting.pk])
    assert toelichting.status == ToelichtingStatus.INGEDIEND
    # Starting again for the same identity leads to the existing explanation.
    assert client.get(url)["Location"].endswith(f"/toelichtingen/{toelichting.pk}/")
    detail = client.get(response["Location"]).content.decode()
    assert "Veel ziekteverzuim in Q3" in detail and "Ingediend, wacht op reactie" in detail


def test_form_errors_are_summarised_with_links_to_the_fields(client, dialogue):
    client.force_login(dialogue.provider)
    url = reverse("dialogue:toelichting_start", args=[dialogue.flagged.pk])
    response = client.post(url, {"oorzaak": "", "tekst": "", "concept": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_oorzaak"' in page and "Kies een oorzaak." in page
    assert 'href="#id_tekst"' in page and "Vul de toelichting in." in page
    assert not Toelichting.objects.exists()


def test_provider_cannot_start_on_another_providers_or_unflagged_figure(client, dialogue):
    client.force_login(dialogue.provider)
    for figure in (dialogue.other_flagged, dialogue.unflagged, dialogue.small):
        url = reverse("dialogue:toelichting_start", args=[figure.pk])
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"oorzaak": "overig", "tekst": "x", "indienen": "1"}).status_code
            == 404
        )
    assert not Toelichting.objects.exists()


def test_provider_gets_404_for_another_providers_explanation(client, dialogue):
    other = _submit(dialogue, figure=dialogue.other_flagged, actor=dialogue.other_provider)
    client.force_login(dialogue.provider)
    assert client.get(reverse("dialogue:toelichting_detail", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("dialogue:toelichting_detail", args=[other.pk]),
        {"oorzaak": "overig", "tekst": "kaping", "indienen": "1"},
    )
    assert response.status_code == 404
    assert other.versies.count() == 1


def test_municipality_never_sees_drafts(client, dialogue):
    draft = services.toelichting_write(
        actor=dialogue.provider,
        identity=FigureIdentity.of(dialogue.flagged),
        figure=dialogue.flagged,
        oorzaak="overig",
        tekst="Nog in concept",
        maatregel="",
        submit=False,
    )
    client.force_login(dialogue.cm)
    assert client.get(reverse("dialogue:toelichting_detail", args=[draft.pk])).status_code == 404
    assert (
        "Nog in concept"
        not in client.get(reverse("dialogue:toelichting_list") + "?status=alle").content.decode()
    )


def test_municipality_sees_only_submitted_versions_and_responds(client, dialogue):
    toelichting = _submit(dialogue, text="Ingediende versie")
    services.toelichting_write(
        actor=dialogue.provider,
        identity=FigureIdentity.of(dialogue.flagged),
        figure=dialogue.flagged,
        oorzaak="overig",
        tekst="Geheime herziening",
        maatregel="",
        submit=False,
    )
    # Back to ingediend with a fresh submission so the gemeente can respond.
    _submit(dialogue, text="Tweede ingediende versie")
    client.force_login(dialogue.cm)
    listing = client.get(reverse("dialogue:toelichting_list")).content.decode()
    assert OWN_NAME in listing
    detail = client.get(
        reverse("dialogue:toelichting_detail", args=[toelichting.pk])
    ).content.decode()
    assert "Ingediende versie" in detail and "Tweede ingediende versie" in detail
    assert "Geheime herziening" not in detail
    response = client.post(
        reverse("dialogue:toelichting_respond", args=[toelichting.pk]), {"tekst": "Akkoord"}
    )
    assert response.status_code == 302
    toelichting.refresh_from_db()
    assert toelichting.status == ToelichtingStatus.BEANTWOORD
    client.force_login(dialogue.provider)
    assert "Akkoord" in client.get(response["Location"]).content.decode()


def test_empty_response_gets_a_dutch_error_and_changes_nothing(client, dialogue):
    toelichting = _submit(dialogue)
    client.force_login(dialogue.cm)
    response = client.post(
        reverse("dialogue:toelichting_respond", args=[toelichting.pk]), {"tekst": ""}
    )
    assert response.status_code == 400
    assert "Vul een reactie in." in response.content.decode()
    toelichting.refresh_from_db()
    assert toelichting.status == ToelichtingStatus.INGEDIEND


def test_analist_reads_but_cannot_respond_or_plan(client, dialogue):
    toelichting = _submit(dialogue)
    gesprek = _gesprek(dialogue)
    client.force_login(dialogue.analist)
    detail = client.get(reverse("dialogue:toelichting_detail", args=[toelichting.pk]))
    assert detail.status_code == 200 and "reactie-form" not in detail.content.decode()
    assert (
        client.post(
            reverse("dialogue:toelichting_respond", args=[toelichting.pk]), {"tekst": "x"}
        ).status_code
        == 403
    )
    assert client.get(reverse("dialogue:gesprek_detail", args=[gesprek.pk])).status_code == 200
    assert client.get(reverse("dialogue:gesprek_create")).status_code == 403
    assert (
        client.post(
            reverse("dialogue:afspraak_create", args=[gesprek.pk]),
            {"actie": "x", "eigenaar": "y", "deadline": "2025-01-01"},
        ).status_code
        == 403
    )
    assert client.get(reverse("dialogue:mijn_signalen")).status_code == 403


def test_provider_cannot_respond(client, dialogue):
    toelichting = _submit(dialogue)
    client.force_login(dialogue.provider)
    response = client.post(
        reverse("dialogue:toelichting_respond", args=[toelichting.pk]), {"tekst": "zelf"}
    )
    assert response.status_code == 403


def test_contract_manager_plans_a_meeting_with_clear_errors(client, dialogue):
    client.force_login(dialogue.cm)
    url = reverse("dialogue:gesprek_create")
    bad = client.post(url, {"aanbieder": dialogue.own.pk, "period": "Q3", "date": "31-02-2024"})
    page = bad.content.decode()
    assert "bijvoorbeeld 2024Q3, 2024H2 of 2024" in page and "Vul een geldige datum in" in page
    assert not Voortgangsgesprek.objects.exists()
    good = client.post(
        url,
        {"aanbieder": dialogue.own.pk, "period": "2024q3", "date": "2024-11-01", "deelnemers": "A"},
    )
    gesprek = Voortgangsgesprek.objects.get()
    assert good["Location"] == reverse("dialogue:gesprek_detail", args=[gesprek.pk])
    assert gesprek.period == "2024Q3"


def test_pack_page_shows_figures_trends_explanations_outflow_and_open_agreements(client, dialogue):
    _submit(dialogue, text="Wachtlijst bij de instroom")
    earlier = _gesprek(dialogue, period="2024Q2")
    services.afspraak_create(
        actor=dialogue.cm,
        gesprek=earlier,
        actie="Stopberichten tijdig sturen",
        eigenaar="Teamleider",
        deadline=dt.date(2025, 1, 31),
    )
    done = services.afspraak_create(
        actor=dialogue.cm,
        gesprek=earlier,
        actie="Afgeronde actie",
        eigenaar="Teamleider",
        deadline=dt.date(2025, 1, 31),
    )
    services.afspraak_transition(actor=dialogue.cm, afspraak=done, to=AfspraakStatus.AFGEROND)
    gesprek = _gesprek(dialogue)
    client.force_login(dialogue.cm)
    page = client.get(reverse("dialogue:gesprek_detail", args=[gesprek.pk])).content.decode()
    assert OWN_NAME in page and OTHER_NAME not in page
    assert "30,0 %" in page  # K8 2024Q3
    assert "10,0 %" in page and "12,5 %" in page  # K8 2024Q1, 2024Q2 in the trend table
    assert "Wachtlijst bij de instroom" in page
    assert "Levering volgens plan beëindigd" in page and "50,0 %" in page
    assert "Stopberichten tijdig sturen" in page and "Afgeronde actie" not in page
    assert "Nog geen rapportages" in page


def test_agreement_recorded_on_the_pack_page_and_status_changed(client, dialogue):
    gesprek = _gesprek(dialogue)
    client.force_login(dialogue.cm)
    bad = client.post(
        reverse("dialogue:afspraak_create", args=[gesprek.pk]),
        {"actie": "", "eigenaar": "", "deadline": "morgen"},
    )
    assert bad.status_code == 400 and "Beschrijf de actie." in bad.content.decode()
    client.post(
        reverse("dialogue:afspraak_create", args=[gesprek.pk]),
        {"actie": "Wachtlijst halveren", "eigenaar": "Directeur", "deadline": "2025-03-31"},
    )
    afspraak = Verbeterafspraak.objects.get()
    assert afspraak.aanbieder_id == dialogue.own.pk
    url = reverse("dialogue:afspraak_status", args=[afspraak.pk])
    client.post(url, {f"a{afspraak.pk}-status": "afgerond", f"a{afspraak.pk}-note": "klaar"})
    afspraak.refresh_from_db()
    assert afspraak.status == AfspraakStatus.AFGEROND
    # A finished agreement cannot be reopened; the user gets a message, nothing changes.
    response = client.post(url, {f"a{afspraak.pk}-status": "open"}, follow=True)
    assert "De status is niet gewijzigd" in response.content.decode()
    afspraak.refresh_from_db()
    assert afspraak.status == AfspraakStatus.AFGEROND


def test_provider_sees_own_meetings_and_agreements_only(client, dialogue):
    own = _gesprek(dialogue)
    other = _gesprek(dialogue, aanbieder=dialogue.other)
    other_afspraak = services.afspraak_create(
        actor=dialogue.cm,
        gesprek=other,
        actie="Actie voor de ander",
        eigenaar="X",
        deadline=dt.date(2025, 1, 1),
    )
    client.force_login(dialogue.provider)
    listing = client.get(reverse("dialogue:gesprek_list")).content.decode()
    assert OWN_NAME in listing and OTHER_NAME not in listing
    assert client.get(reverse("dialogue:gesprek_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("dialogue:gesprek_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("dialogue:gesprek_pdf", args=[other.pk])).status_code == 404
    assert (
        "Actie voor de ander"
        not in client.get(reverse("dialogue:afspraak_list") + "?status=alle").content.decode()
    )
    assert (
        client.post(
            reverse("dialogue:afspraak_status", args=[other_afspraak.pk]),
            {f"a{other_afspraak.pk}-status": "vervallen"},
        ).status_code
        == 403
    )
    assert client.get(reverse("dialogue:gesprek_create")).status_code == 403


def test_provider_pack_hides_small_numbers(client, dialogue):
    gesprek = _gesprek(dialogue)
    client.force_login(dialogue.provider)
    page = client.get(reverse("dialogue:gesprek_detail", args=[gesprek.pk])).content.decode()
    assert "66,7 %" not in page  # the n = 3 figure of gemeente 0505
    client.force_login(dialogue.cm)
    page = client.get(reverse("dialogue:gesprek_detail", args=[gesprek.pk])).content.decode()
    assert "66,7 %" in page


def test_posts_require_csrf(dialogue):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(dialogue.provider)
    url = reverse("dialogue:toelichting_start", args=[dialogue.flagged.pk])
    response = csrf_client.post(url, {"oorzaak": "overig", "tekst": "x", "indienen": "1"})
    assert response.status_code == 403
    assert not Toelichting.objects.exists()


def test_anonymous_is_sent_to_login(client, dialogue):
    response = client.get(reverse("dialogue:gesprek_list"))
    assert response.status_code == 302 and "inloggen" in response["Location"]


def test_badge_tag_shows_status_and_start_link(rf, dialogue):
    from django.template import Context, Template

    template = Template(
        "{% load dialogue %}{% toelichtingen_for figures as t %}"
        "{% for f in figures %}[{% toelichting_badge f t %}]{% endfor %}"
    )
    request = rf.get("/")
    request.user = dialogue.provider
    html = template.render(
        Context({"request": request, "figures": [dialogue.flagged, dialogue.unflagged]})
    )
    assert reverse("dialogue:toelichting_start", args=[dialogue.flagged.pk]) in html
    assert reverse("dialogue:toelichting_start", args=[dialogue.unflagged.pk]) not in html
    toelichting = _submit(dialogue)
    html = template.render(Context({"request": request, "figures": [dialogue.flagged]}))
    assert reverse("dialogue:toelichting_detail", args=[toelichting.pk]) in html
    assert "ingediend, wacht op reactie" in html


def test_pack_shows_trend_chart_and_anonymous_reference_median(client, dialogue):
    from tests.factories import AanbiederFactory, FigureFactory

    # Three more peers in IB: enough for a reference median (the other aanbieder makes four).
    for index, numerator in enumerate((4, 8, 10)):
        peer = AanbiederFactory(name=f"Peer {index}")
        FigureFactory(
            run=dialogue.run, aanbieder=peer, kpi="K8", period="2024Q3", numerator=numerator
        )
    gesprek = _gesprek(dialogue)
    client.force_login(dialogue.provider)
    page = client.get(reverse("dialogue:gesprek_detail", args=[gesprek.pk])).content.decode()
    # Peers' K8 values 10 %, 20 %, 25 % and 37,5 %: median 22,5 %, shown without any peer name.
    assert "K8 mediaan referentiegroep" in page and "22,5 %" in page
    assert "Peer 0" not in page and OTHER_NAME not in page
    assert 'role="img"' in page and "K8 Beëindigd zonder doelen per kwartaal" in page


def test_detail_shows_the_status_history(client, dialogue):
    toelichting = _submit(dialogue)
    services.toelichting_respond(actor=dialogue.cm, toelichting=toelichting, tekst="Ok")
    client.force_login(dialogue.provider)
    page = client.get(
        reverse("dialogue:toelichting_detail", args=[toelichting.pk])
    ).content.decode()
    history = page.split('id="toelichting-geschiedenis"')[1].split("</table>")[0]
    assert history.count("<tr") == 4  # header + concept, ingediend, beantwoord
    assert "beantwoord" in history and "gemeente" in history and "aanbieder" in history
