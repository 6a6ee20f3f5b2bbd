# SPDX-License-Identifier: EUPL-1.2
"""An aanbieder-gebruiker makes an API token in the browser, uses it, and revokes it."""

from __future__ import annotations

import pytest

from tests.factories import AanbiederFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_provider_creates_uses_and_revokes_a_token(
    live_server, page, login, password, assert_no_serious_axe_violations
):
    aanbieder = AanbiederFactory(name="Zorg Tokenproef")
    UserFactory(username="e2e-token", provider=True, aanbieder=aanbieder)
    login(page, live_server, "e2e-token", password)
    page.goto(f"{live_server.url}/mijn-organisatie/")
    page.get_by_role("link", name="API-tokens beheren").click()
    page.get_by_role("heading", name="API-tokens", exact=True).wait_for()
    assert_no_serious_axe_violations(page, "api-tokens")

    page.get_by_label("Naam").fill("Ons ECD")
    page.get_by_label("Geldig tot en met").fill("2099-12-31")
    page.get_by_role("button", name="Token aanmaken").click()
    page.get_by_role("heading", name="API-token aangemaakt").wait_for()
    assert_no_serious_axe_violations(page, "api-token-aangemaakt")
    secret = page.get_by_label("Uw API-token „Ons ECD”").input_value()
    assert secret.startswith("wsla_")

    api = page.context.request
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.get(f"{live_server.url}/api/v1/rapportages/", headers=headers).status == 200

    page.get_by_role("link", name="Terug naar de API-tokens").click()
    assert secret not in page.content()
    page.get_by_role("link", name="Intrekken Ons ECD").click()
    assert_no_serious_axe_violations(page, "api-token-intrekken")
    page.get_by_role("button", name="Token intrekken").click()
    page.get_by_text("is ingetrokken; het werkt niet meer").wait_for()
    response = api.get(f"{live_server.url}/api/v1/rapportages/", headers=headers)
    assert response.status == 401
    assert "ingetrokken" in response.json()["detail"]
