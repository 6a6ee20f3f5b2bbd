# SPDX-License-Identifier: EUPL-1.2
"""The start pages show the reporting obligations from the same status board as the reporting
pages: what waits for the gemeente, what waits for the aanbieder, what is late, what is due soon."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

import pytest

from wmo_sla.reporting.services import return_report, save_draft, submit_report

from .conftest import VALID_OUTFLOW, at

pytestmark = pytest.mark.django_db


def _home_section(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    html = response.content.decode()
    if 'id="home-rapportages"' not in html:
        return ""
    start = html.index('<section aria-labelledby="home-rapportages">')
    section = html[start : html.index("</section>", start)]
    return re.sub(r"\s+", " ", section)


def _submit_own_first_half_year(world):
    draft = save_draft(
        actor=world.provider,
        obligation=world.uitstroom,
        aanbieder=world.own,
        period="2024H1",
        content=VALID_OUTFLOW,
    )
    submit_report(actor=world.provider, report=draft.report)
    return draft.report


def test_contractmanager_sees_what_waits_for_review_and_what_is_late(world):
    with at(2024, 8, 1):
        _submit_own_first_half_year(world)
    with at(2024, 10, 15):
        section = _home_section(world.cm)
    assert "Rapportages van aanbieders" in section
    assert "1</span> rapportage ingediend, wacht op uw beoordeling" in section
    # The other aanbieder never submitted 2024H1 (due 11 August): late.
    assert "1</span> rapportage te laat" in section
    # Due soon: the complaints report 2024 (due 30 November) of both aanbieders.
    assert "Zorg Ander: Klachtenrapportage 2024, uiterste datum 30 november 2024" in section
    assert reverse("reporting:board") in section


def test_provider_sees_its_returned_report_and_what_is_due_with_links(world):
    with at(2024, 8, 1):
        report = _submit_own_first_half_year(world)
    with at(2024, 8, 5):
        return_report(actor=world.cm, report=report, reason="Groep IB-zwaar ontbreekt.")
    with at(2024, 10, 15):
        own = _home_section(world.provider)
        other = _home_section(world.other_provider)
    assert "Uw rapportages" in own
    assert "1</span> rapportage teruggestuurd door de gemeente" in own
    assert "0</span> rapportages te laat" in own  # it was submitted on time
    edit = reverse("reporting:edit", args=[world.klachten.pk, "2024"])
    assert f'href="{edit}"' in own
    assert "uiterste datum 30 november 2024 (Niet gestart)" in own
    # The other aanbieder sees its own late report and nothing of ours.
    assert "1</span> rapportage te laat" in other
    assert "0</span> rapportages teruggestuurd" in other
    assert "Zorg Eigen" not in other


def test_analist_start_page_has_no_reporting_to_do_list(world):
    with at(2024, 10, 15):
        assert _home_section(world.analist) == ""
