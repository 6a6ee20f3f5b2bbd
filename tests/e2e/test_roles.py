# SPDX-License-Identifier: EUPL-1.2
"""Every role logs in through the form, sees its own navigation, and every page passes axe."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation

import pytest
from playwright.sync_api import Page, expect

from tests.factories import (
    AanbiederFactory,
    ContractFactory,
    GemeenteFactory,
    ProductFactory,
    TariffFactory,
    UserFactory,
)
from wmo_sla.web.navigation import nav_items_for

pytestmark = pytest.mark.e2e

NAV_LINKS = 'nav[aria-label="Hoofdmenu"] a'
AANBIEDER_A = "Zorggroep Alfa"
AANBIEDER_B = "Thuishulp Bravo"

# Hard-coded on purpose: a change in navigation.py or roles.py must show up here as well.
EXPECTED_NAV = {
    "contractmanager": [
        "Start",
        "Overzicht",
        "Toelichtingen",
        "Voortgangsgesprekken",
        "Rapportages",
        "Contracten",
        "Aanbieders",
        "Normen",
        "KPI-definities",
        "Berichten inlezen",
        "Publicatie",
        "Beheer",
    ],
    "analist": [
        "Start",
        "Overzicht",
        "Toelichtingen",
        "Voortgangsgesprekken",
        "Rapportages",
        "Contracten",
        "Aanbieders",
        "Normen",
        "KPI-definities",
    ],
    "beheerder": [
        "Start",
        "Rapportages",
        "Contracten",
        "Aanbieders",
        "KPI-definities",
        "Berichten inlezen",
        "Onbekende partijen",
        "Auditlog",
        "Beheer",
    ],
    "aanbieder": [
        "Start",
        "Mijn prestaties",
        "Mijn signalen",
        "Voortgangsgesprekken",
        "Mijn rapportages",
        "Contracten",
        "Mijn organisatie",
        "KPI-definities",
    ],
}
EXPECTED_HEADING = {
    "contractmanager": "Start – contractmanagement",
    "analist": "Start – analyse",
    "beheerder": "Start – functioneel beheer",
    "aanbieder": f"Welkom, {AANBIEDER_A}",
}


@dataclass
class World:
    contract_code: str
    users: dict[str, Any]


@pytest.fixture
def world(transactional_db) -> World:
    gemeenten = [
        GemeenteFactory(cbs_code="0344", name="Utrecht"),
        GemeenteFactory(cbs_code="0307", name="Amersfoort"),
    ]
    aanbieder_a = AanbiederFactory(name=AANBIEDER_A)
    aanbieder_b = AanbiederFactory(name=AANBIEDER_B)
    contract = ContractFactory(
        code="IB2024",
        name="Individuele begeleiding",
        gemeenten=gemeenten,
        aanbieders=[aanbieder_a, aanbieder_b],
    )
    TariffFactory(product=ProductFactory(contract=contract), price=Decimal("61.50"))
    users = {
        "contractmanager": UserFactory(username="e2e-cm", contractmanager=True),
        "analist": UserFactory(username="e2e-analist", analist=True),
        "beheerder": UserFactory(username="e2e-beheerder", beheerder=True),
        "aanbieder": UserFactory(username="e2e-aanbieder", provider=True, aanbieder=aanbieder_a),
    }
    return World(contract_code=contract.code, users=users)


def _nav_texts(page: Page) -> list[str]:
    return [text.strip() for text in page.locator(NAV_LINKS).all_inner_texts()]


@pytest.mark.parametrize("role", list(EXPECTED_NAV))
def test_role_logs_in_sees_own_navigation_and_accessible_pages(
    role, world, live_server, page, login, password, assert_no_serious_axe_violations
):
    user = world.users[role]
    visited: dict[str, str] = {}
    bad_documents: list[str] = []
    page.on(
        "response",
        lambda r: (
            r.request.resource_type == "document"
            and r.status >= 400
            and bad_documents.append(f"{r.status} {r.url}")
        ),
    )

    audited_urls: set[str] = set()

    def check(name: str) -> None:
        assert not bad_documents, f"error pages while visiting as {role}: {bad_documents}"
        if page.url not in audited_urls:  # "Start" in the menu is the page we landed on
            assert_no_serious_axe_violations(page, name)
            audited_urls.add(page.url)
        visited[name] = page.content()

    page.goto(f"{live_server.url}/inloggen/")
    check("inloggen")

    login(page, live_server, user.username, password)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(EXPECTED_HEADING[role])

    with translation.override("nl"):
        derived = [str(item.label) for item in nav_items_for(user)]
        targets = [(str(item.label), item.url) for item in nav_items_for(user)]
    assert derived == EXPECTED_NAV[role], "navigation.py no longer matches this test"
    assert _nav_texts(page) == EXPECTED_NAV[role]
    check("start")

    for label, url in targets:
        if url.startswith("/admin/"):
            continue  # the Django admin has its own templates; not ours to audit here
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=label).click()
        page.wait_for_load_state()
        assert _nav_texts(page) == EXPECTED_NAV[role]
        if page.url == f"{live_server.url}{url}":  # not after a redirect (Mijn organisatie)
            expect(page.locator(f'{NAV_LINKS}[aria-current="page"]')).to_have_text(label)
        check(f"nav-{label}")

    # One detail page too: the contract, reached from the contract list like a user would.
    page.goto(f"{live_server.url}/contracten/")
    page.get_by_role("link", name=world.contract_code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Individuele begeleiding")
    check("contract-detail")

    page.get_by_role("link", name="Mijn account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    check("account")

    page.get_by_role("link", name="Toegankelijkheid").click()
    expect(page).to_have_url(f"{live_server.url}/toegankelijkheid/")
    check("toegankelijkheid")

    if role == "aanbieder":
        assert AANBIEDER_A in visited["start"]
        leaked = [name for name, html in visited.items() if AANBIEDER_B in html]
        assert not leaked, f"aanbieder B ({AANBIEDER_B}) is visible on: {leaked}"
    else:  # proves the leak check above would notice B: municipal roles do see it
        assert AANBIEDER_B in visited["nav-Aanbieders"]

    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/inloggen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()
    expect(page.locator(NAV_LINKS)).to_have_count(0)


def test_login_page_keyboard_order(live_server, page):
    page.goto(f"{live_server.url}/inloggen/")

    def focused() -> dict:
        return page.evaluate(
            "() => { const e = document.activeElement;"
            " return {id: e.id, tag: e.tagName.toLowerCase(), text: e.textContent.trim()}; }"
        )

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # visible on focus, so sighted keyboard users see it

    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    order = []
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(focused())
    assert [(f["tag"], f["id"]) for f in order[:2]] == [
        ("input", "id_username"),
        ("input", "id_password"),
    ]
    assert (order[2]["tag"], order[2]["text"]) == ("button", "Inloggen")
    expect(page.get_by_label("Wachtwoord")).not_to_be_focused()
    expect(page.get_by_role("button", name="Inloggen")).to_be_focused()
