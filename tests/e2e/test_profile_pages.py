# SPDX-License-Identifier: EUPL-1.2
"""The aanbieder-profiel in the browser: the contract manager opens a profile; the provider user
opens its portal and sees only its own data (peers anonymous); both pages axe-clean."""

from __future__ import annotations

import pytest

from tests.factories import (
    AanbiederFactory,
    AgbCodeFactory,
    ComputationRunFactory,
    FigureFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

OWN, OWN_AGB = "Eigen Zorg Alfa", "11111111"
PEERS = [("Peer Zorg A", "22220001"), ("Peer Zorg B", "22220002"), ("Peer Zorg C", "22220003")]


def _world():
    run = ComputationRunFactory()
    own = AanbiederFactory(name=OWN, agb=None)
    AgbCodeFactory(code=OWN_AGB, aanbieder=own)
    peers = []
    for name, agb in PEERS:
        peer = AanbiederFactory(name=name, agb=None)
        AgbCodeFactory(code=agb, aanbieder=peer)
        peers.append(peer)

    def fig(aanbieder, kpi, period, value, n, norm=None):
        FigureFactory(
            run=run,
            aanbieder=aanbieder,
            kpi=kpi,
            period=period,
            referentiegroep="IB",
            numerator=value * n,
            denominator=float(n),
            value=value,
            n=n,
            norm=norm,
        )

    for i, quarter in enumerate(("2024Q1", "2024Q2", "2024Q3", "2024Q4")):
        fig(own, "K8", quarter, 0.05 + 0.03 * i, 40, 0.10)
        fig(own, "K11s", quarter, 0.90, 60, 0.95)
        fig(own, "K11e", quarter, 0.97, 30, 0.95)
        for j, peer in enumerate(peers):
            fig(peer, "K8", quarter, 0.10 + 0.05 * j, 40, 0.10)
            fig(peer, "K11s", quarter, 0.96, 60, 0.95)
    fig(own, "K12-19", "2024Q4", 0.6, 10)
    fig(own, "K12-21", "2024Q4", 0.4, 10)
    for peer in peers:
        fig(peer, "K12-19", "2024Q4", 0.7, 20)
        fig(peer, "K12-38", "2024Q4", 0.3, 20)
    for i in range(24):
        count = (10 if i % 2 else 12) + (8 if i >= 12 else 0)
        fig(own, "K1", f"{2023 + i // 12}M{i % 12 + 1:02d}", float(count), 1)
    return own, peers


def test_contract_manager_opens_a_profile(
    live_server, page, login, password, assert_no_serious_axe_violations
):
    own, _peers = _world()
    UserFactory(username="e2e-cm-profiel", contractmanager=True)
    login(page, live_server, "e2e-cm-profiel", password)
    page.goto(f"{live_server.url}/aanbieders/{own.pk}/profiel/")
    page.get_by_role("heading", name=f"Profiel {OWN}", level=1).wait_for()
    assert page.get_by_role("img", name="K8 Beëindigd zonder doelen per kwartaal").count() == 1
    assert page.get_by_role("table", name="K8 Beëindigd zonder doelen per kwartaal").count() == 1
    assert (
        page.locator(".app-findings li", has_text="12 maanden op rij boven het gemiddelde").count()
        == 1
    )
    assert_no_serious_axe_violations(page, "profiel-contractmanager")
    # Choose another period with the form (keyboard reachable select + button).
    page.get_by_label("Periode", exact=True).select_option("2024Q2")
    page.get_by_role("button", name="Toon").click()
    page.get_by_role("heading", name="Kengetallen 2024Q2 tegen norm en referentiegroep").wait_for()


def test_provider_sees_its_portal_with_only_its_own_data(
    live_server, page, login, password, assert_no_serious_axe_violations
):
    own, peers = _world()
    UserFactory(username="e2e-prov-profiel", provider=True, aanbieder=own)
    login(page, live_server, "e2e-prov-profiel", password)
    page.goto(f"{live_server.url}/mijn-prestaties/")
    page.get_by_role("heading", name=f"Mijn prestaties: {OWN}", level=1).wait_for()
    content = page.content()
    for name, agb in PEERS:
        assert name not in content and agb not in content
    assert page.get_by_role("table", name="Uitstroomredenen 2024Q4").count() == 1
    assert_no_serious_axe_violations(page, "mijn-prestaties")
    response = page.goto(f"{live_server.url}/aanbieders/{peers[0].pk}/profiel/")
    assert response is not None and response.status == 404
    assert PEERS[0][0] not in page.content()
