# SPDX-License-Identifier: EUPL-1.2
"""The dialogue in the browser: a provider explains a flagged figure, the contract manager
responds, plans a progress meeting, records an agreement, opens the pack and downloads the PDF."""

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


@pytest.fixture
def flagged_world(transactional_db):
    own = AanbiederFactory(name="Zorgaanbieder Lindeboom", agb=None)
    AgbCodeFactory(code="12340000", aanbieder=own)
    other = AanbiederFactory(name="Andere Zorg Bravo", agb=None)
    run = ComputationRunFactory()
    FigureFactory(
        run=run,
        aanbieder=own,
        kpi="K8",
        period="2024Q3",
        numerator=12,
        denominator=40,
        signaal="signaal",
    )
    FigureFactory(run=run, aanbieder=own, kpi="K8", period="2024Q2", numerator=5, denominator=40)
    FigureFactory(
        run=run,
        aanbieder=own,
        kpi="K12-19",
        period="2024Q3",
        numerator=20,
        denominator=40,
        norm=None,
    )
    FigureFactory(
        run=run,
        aanbieder=other,
        kpi="K8",
        period="2024Q3",
        numerator=15,
        denominator=40,
        signaal="let op",
    )
    UserFactory(username="e2e-aanbieder", provider=True, aanbieder=own)
    UserFactory(username="e2e-cm", contractmanager=True)
    return own


def test_provider_explains_and_contract_manager_responds_plans_and_downloads_the_pack(
    live_server, page, login, password, flagged_world, assert_no_serious_axe_violations, tmp_path
):
    # The aanbieder sees its own signal and writes an explanation.
    login(page, live_server, "e2e-aanbieder", password)
    page.goto(f"{live_server.url}/toelichtingen/mijn-signalen/")
    table = page.locator("#signalen")
    assert "Andere Zorg Bravo" not in page.content()
    assert table.get_by_role("cell", name="30,0 %").is_visible()
    assert_no_serious_axe_violations(page, "mijn-signalen")
    table.get_by_role("link", name="Toelichten").first.click()
    # Submitting empty shows an error summary that links to the fields.
    page.get_by_role("button", name="Indienen bij de gemeente").click()
    summary = page.locator("#error-summary")
    assert summary.get_by_role("link", name="Oorzaak: Kies een oorzaak.").is_visible()
    assert_no_serious_axe_violations(page, "toelichting-fout")
    page.get_by_label("Oorzaak").select_option("personeel")
    page.get_by_label("Toelichting", exact=True).fill("Drie begeleiders langdurig ziek in Q3.")
    page.get_by_label("Geplande maatregel (optioneel)").fill("Inhuur van twee invalkrachten.")
    page.get_by_role("button", name="Indienen bij de gemeente").click()
    page.get_by_text("Uw toelichting is ingediend bij de gemeente.").wait_for()
    assert page.locator("#toelichting-status").inner_text() == "Ingediend, wacht op reactie"
    assert_no_serious_axe_violations(page, "toelichting-ingediend")
    page.get_by_role("button", name="Uitloggen").click()

    # The contract manager responds.
    login(page, live_server, "e2e-cm", password)
    page.goto(f"{live_server.url}/toelichtingen/")
    assert_no_serious_axe_violations(page, "toelichtingen")
    page.locator("#toelichtingen").get_by_role("link", name="K8").click()
    assert page.get_by_text("Drie begeleiders langdurig ziek in Q3.").is_visible()
    page.get_by_label("Reactie van de gemeente").fill("Helder; bespreken we in het gesprek.")
    page.get_by_role("button", name="Reactie plaatsen").click()
    page.get_by_text("Uw reactie is opgeslagen").wait_for()
    assert page.locator("#toelichting-status").inner_text() == "Beantwoord door de gemeente"
    assert_no_serious_axe_violations(page, "toelichting-beantwoord")

    # … plans a meeting …
    page.goto(f"{live_server.url}/voortgangsgesprekken/")
    assert_no_serious_axe_violations(page, "gesprekken")
    page.get_by_role("link", name="Voortgangsgesprek plannen").click()
    page.get_by_label("Aanbieder").select_option(label="Zorgaanbieder Lindeboom")
    page.get_by_label("Periode").fill("2024Q3")
    page.get_by_label("Datum van het gesprek").fill("2024-11-14")
    page.get_by_label("Deelnemers (optioneel)").fill("Contractmanager\nDirecteur Lindeboom")
    assert_no_serious_axe_violations(page, "gesprek-plannen")
    page.get_by_role("button", name="Gesprek plannen").click()
    page.get_by_text("Het voortgangsgesprek is gepland.").wait_for()

    # … sees the pack and records an agreement …
    assert page.get_by_text("Drie begeleiders langdurig ziek in Q3.").is_visible()
    assert page.get_by_role("rowheader", name="Levering volgens plan beëindigd").is_visible()
    page.get_by_label("Actie").fill("Uitval terugdringen met vaste begeleider per cliënt")
    page.get_by_label("Eigenaar").fill("Directeur Lindeboom")
    page.get_by_label("Uiterlijk klaar op").fill("2025-03-31")
    page.get_by_role("button", name="Afspraak vastleggen").click()
    page.get_by_text("De verbeterafspraak is vastgelegd.").wait_for()
    assert_no_serious_axe_violations(page, "gesprekspakket")

    # … and downloads the tagged PDF.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Gesprekspakket downloaden (PDF, toegankelijk)").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert download.suggested_filename.startswith("gesprekspakket-2024Q3-20241114")
    data = target.read_bytes()
    assert data.startswith(b"%PDF-1.7") and len(data) > 5_000

    # The agreement is on the list of open agreements.
    page.goto(f"{live_server.url}/verbeterafspraken/")
    assert page.get_by_role("rowheader", name="Uitval terugdringen").is_visible()
    assert_no_serious_axe_violations(page, "verbeterafspraken")
