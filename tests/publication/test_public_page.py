# SPDX-License-Identifier: EUPL-1.2
"""The public page (no login, opt-in per contract) and the page that sets what it publishes."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse

import pytest
from tests.factories import (
    AanbiederFactory,
    ComputationRunFactory,
    ContractFactory,
    FigureFactory,
    ProductFactory,
    ReferentiegroepFactory,
    UserFactory,
)

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.models import AuditEvent
from wmo_sla.publication.models import Publication
from wmo_sla.publication.services import save_publication


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Periods per run are cached; test databases reuse run ids."""
    cache.clear()


pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    group = ReferentiegroepFactory(code="IB-REG", name="IB regulier")
    bw_group = ReferentiegroepFactory(code="BW", name="Beschermd wonen")
    alfa = AanbiederFactory(name="Alfa Zorg")
    bravo = AanbiederFactory(name="Bravo Zorg")
    delta = AanbiederFactory(name="Delta Wonen")
    ib = ContractFactory(code="IB", name="Individuele Begeleiding", aanbieders=[alfa, bravo])
    bw = ContractFactory(code="BW", name="Beschermd Wonen", aanbieders=[delta])
    ProductFactory(contract=ib, referentiegroep=group)
    ProductFactory(contract=bw, referentiegroep=bw_group)
    run = ComputationRunFactory()
    common = {"run": run, "referentiegroep": "IB-REG", "period": "2024Q1"}
    FigureFactory(aanbieder=alfa, numerator=3, denominator=20, kleine_aantallen=True, **common)
    FigureFactory(aanbieder=bravo, numerator=1, denominator=3, **common)  # n < 5
    FigureFactory(aanbieder=alfa, kpi="K9", numerator=11, denominator=50, **common)  # not published
    FigureFactory(
        aanbieder=alfa,
        numerator=7,
        denominator=40,
        gemeente="0505",
        run=run,
        referentiegroep="IB-REG",
        period="2024Q1",
    )  # per gemeente: never public
    FigureFactory(
        aanbieder=alfa,
        numerator=5,
        denominator=25,
        status="voorlopig",
        run=run,
        referentiegroep="IB-REG",
        period="2024Q4",
    )  # not definitief
    FigureFactory(
        aanbieder=delta, numerator=2, denominator=30, run=run, referentiegroep="BW", period="2024Q1"
    )
    cm = UserFactory(contractmanager=True)
    save_publication(
        contract=ib, enabled=True, kpi_codes=["K8"], periods=["2024Q1", "2024Q4"], actor=cm
    )
    return {"ib": ib, "bw": bw, "cm": cm}


def test_public_page_without_login_shows_only_published_aggregates(client, world):
    response = client.get(reverse("publication:contract", args=["IB"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alfa Zorg" in html and "Bravo Zorg" in html
    assert "15,0 %" in html  # Alfa's K8, regio, definitief
    assert "kleine aantallen" in html
    # Bravo's n = 3 figure: suppressed, value not shown.
    assert "33,3 %" not in html
    assert "te weinig gegevens" in html
    # Not published: K9, a gemeente split, a voorlopig period.
    assert "22,0 %" not in html and "K9" not in html
    assert "17,5 %" not in html
    assert "20,0 %" not in html
    assert "Nog geen definitieve kengetallen voor: 2024Q4" in html
    # Another contract's aanbieder never appears.
    assert "Delta Wonen" not in html


def test_unpublished_contract_is_404_and_index_lists_only_published(client, world):
    assert client.get(reverse("publication:contract", args=["BW"])).status_code == 404
    assert client.get(reverse("publication:contract", args=["ONBEKEND"])).status_code == 404
    index = client.get(reverse("publication:index")).content.decode()
    assert reverse("publication:contract", args=["IB"]) in index
    assert reverse("publication:contract", args=["BW"]) not in index


def test_switched_off_publication_disappears(client, world):
    save_publication(
        contract=world["ib"], enabled=False, kpi_codes=["K8"], periods=["2024Q1"], actor=world["cm"]
    )
    assert client.get(reverse("publication:contract", args=["IB"])).status_code == 404
    index = client.get(reverse("publication:index")).content.decode()
    assert "Er zijn op dit moment geen kengetallen gepubliceerd" in index


@pytest.mark.parametrize(
    ("trait", "status"),
    [("contractmanager", 200), ("analist", 403), ("beheerder", 403), ("provider", 403)],
)
def test_only_contract_managers_manage_the_publication(client, world, trait, status):
    client.force_login(UserFactory(**{trait: True}))
    assert client.get(reverse("publication:manage_list")).status_code == status
    assert client.get(reverse("publication:manage_contract", args=["BW"])).status_code == status
    response = client.post(
        reverse("publication:manage_contract", args=["BW"]),
        {"enabled": "on", "kpi_codes": ["K8"], "periods": ["2024Q1"]},
    )
    assert response.status_code == (302 if status == 200 else 403)


def test_contract_manager_publishes_a_contract_and_it_is_audit_logged(client, world):
    client.force_login(world["cm"])
    response = client.post(
        reverse("publication:manage_contract", args=["BW"]),
        {"enabled": "on", "kpi_codes": ["K8"], "periods": ["2024Q1"]},
    )
    assert response.status_code == 302
    publication = Publication.objects.get(contract=world["bw"])
    assert publication.is_public and publication.updated_by == world["cm"]
    event = AuditEvent.objects.filter(action=AuditAction.PUBLICATION_CHANGED).latest("id")
    assert event.actor_id == world["cm"].pk
    assert event.changes["enabled"] == [False, True]
    assert event.changes["periods"] == [[], ["2024Q1"]]
    assert (
        "Delta Wonen" in client.get(reverse("publication:contract", args=["BW"])).content.decode()
    )


def test_bad_publication_input_gets_specific_errors_and_changes_nothing(client, world):
    client.force_login(world["cm"])
    url = reverse("publication:manage_contract", args=["BW"])
    response = client.post(url, {"enabled": "on", "kpi_codes": ["K8"]})
    assert response.status_code == 400
    assert "Kies ten minste één kengetal en één periode" in response.content.decode()
    response = client.post(url, {"enabled": "on", "kpi_codes": ["K99"], "periods": ["2099"]})
    html = response.content.decode()
    assert "Kengetal K99 bestaat niet" in html
    assert "Periode 2099 heeft geen kengetallen" in html
    assert not Publication.objects.filter(contract=world["bw"]).exists()
