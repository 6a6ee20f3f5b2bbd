# SPDX-License-Identifier: EUPL-1.2
"""The aanbieder's reporting path in the browser: open, save a draft, leave, come back (the input
is still there), fix the errors the summary points at, autosave, review, submit, download the
receipt PDF; and complaints added and removed in the page. axe on every form page."""

from __future__ import annotations

import re

import pytest

from tests.factories import (
    AanbiederFactory,
    AgbCodeFactory,
    ContractFactory,
    ProductFactory,
    ReferentiegroepFactory,
    UserFactory,
)
from wmo_sla.reporting.models import DueRule, PeriodType, ReportKind, ReportVersion
from wmo_sla.reporting.schemas import OUTFLOW_KEYS
from wmo_sla.reporting.services import obligation_create

pytestmark = pytest.mark.e2e


@pytest.fixture
def reporting_world(transactional_db):
    """Real dates: the half year 2026H1 is open (and overdue) from 1 July 2026 on; the klachten
    report 2026 opens 61 days before 30 November 2026."""
    own = AanbiederFactory(name="Zorgaanbieder Lindeboom", agb=None)
    AgbCodeFactory(code="12340000", aanbieder=own)
    other = AanbiederFactory(name="Andere Zorg Bravo", agb=None)
    contract = ContractFactory(code="IB", aanbieders=[own, other])
    ProductFactory(contract=contract, referentiegroep=ReferentiegroepFactory(code="IB-licht"))
    ProductFactory(contract=contract, referentiegroep=ReferentiegroepFactory(code="IB-zwaar"))
    cm = UserFactory(username="e2e-cm-rap", contractmanager=True)
    uitstroom = obligation_create(
        actor=cm,
        contract=contract,
        kind=ReportKind.UITSTROOMREDENEN,
        period_type=PeriodType.HALF_YEAR,
        first_period="2026H1",
        last_period="2026H1",
        due_rule=DueRule.AFTER_PERIOD,
        due_days=42,
        help_text="Tel elke cliënt één keer, met de belangrijkste reden.",
    )
    klachten = obligation_create(
        actor=cm,
        contract=contract,
        kind=ReportKind.KLACHTEN,
        period_type=PeriodType.YEAR,
        first_period="2026",
        last_period="2026",
        due_rule=DueRule.FIXED_DATE,
        due_month=11,
        due_day=30,
        open_days_before_due=61,
    )
    UserFactory(
        username="e2e-aanbieder-rap", provider=True, aanbieder=own, email="rap@lindeboom.example"
    )
    return uitstroom, klachten


def _fill_zero(page, group_index: int) -> None:
    for key in OUTFLOW_KEYS:
        field = page.locator(f"#f-rijen-{group_index}-{key}")
        if not field.input_value():
            field.fill("0")


def test_provider_fills_in_saves_comes_back_reviews_submits_and_downloads_the_receipt(
    live_server,
    page,
    login,
    password,
    reporting_world,
    assert_no_serious_axe_violations,
    tmp_path,
):
    uitstroom, _klachten = reporting_world
    login(page, live_server, "e2e-aanbieder-rap", password)
    page.goto(f"{live_server.url}/rapportages/mijn/")
    assert "Andere Zorg Bravo" not in page.content()
    table = page.locator(f"#rapportages-{uitstroom.pk}")
    assert table.get_by_role("rowheader", name="2026H1").is_visible()
    assert "Te laat" in table.inner_text()
    assert_no_serious_axe_violations(page, "mijn-rapportages")

    # Open the form, type a little, save as draft.
    table.get_by_role("link", name=re.compile("^Invullen")).click()
    assert page.get_by_role("heading", name="Rapportage Uitstroomredenen 2026H1").is_visible()
    assert page.get_by_text("Tel elke cliënt één keer").is_visible()
    assert_no_serious_axe_violations(page, "uitstroom-formulier")
    page.locator("#f-rijen-0-doelen_bereikt").fill("4")
    page.locator("#f-rijen-0-overig").fill("1")
    page.get_by_role("button", name="Opslaan als concept").click()
    page.get_by_text(re.compile(r"Opgeslagen om \d\d:\d\d\. Uw collega")).wait_for()

    # Leave and come back: the input is still there.
    page.goto(f"{live_server.url}/rapportages/mijn/")
    page.locator(f"#rapportages-{uitstroom.pk}").get_by_role(
        "link", name=re.compile("^Verder invullen")
    ).click()
    assert page.locator("#f-rijen-0-doelen_bereikt").input_value() == "4"

    # Review too early: the error summary links to the fields.
    page.get_by_role("button", name="Controleren en indienen").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    page.wait_for_function("() => document.activeElement.id === 'error-summary'")
    link = summary.get_by_role("link", name=re.compile("licht toe welke redenen onder"))
    assert link.get_attribute("href") == "#f-rijen-0-overig_toelichting"
    assert page.locator("#f-rijen-0-overig_toelichting-error").is_visible()
    assert_no_serious_axe_violations(page, "uitstroom-foutoverzicht")
    link.click()
    page.locator("#f-rijen-0-overig_toelichting").fill("Opgenomen in een zorginstelling.")
    _fill_zero(page, 0)
    _fill_zero(page, 1)

    # Autosave (forced now instead of after 20 s: the tab is hidden) says when it saved.
    page.evaluate(
        """() => {
          document.getElementById('autosave-status').textContent = '';
          Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
          document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    status = page.locator("#autosave-status")
    page.wait_for_function(
        "() => /Opgeslagen om \\d\\d:\\d\\d/.test(document.getElementById('autosave-status')"
        ".textContent)"
    )
    assert status.get_attribute("role") == "status"
    version = ReportVersion.objects.get()
    assert version.content["rijen"][0]["overig_toelichting"] == "Opgenomen in een zorginstelling."
    page.evaluate(
        "() => Object.defineProperty(document, 'visibilityState', "
        "{value: 'visible', configurable: true})"
    )

    # Review: the content, the iWmo check said plainly, then submit.
    page.get_by_role("button", name="Controleren en indienen").click()
    page.get_by_role(
        "heading", name=re.compile("Controleren en indienen: Uitstroomredenen")
    ).wait_for()
    assert page.get_by_text("De controle tegen de iWmo-berichten was niet beschikbaar").is_visible()
    assert page.locator("#content-uitstroom").get_by_role("rowheader", name="IB-licht").is_visible()
    assert_no_serious_axe_violations(page, "uitstroom-controleren")
    page.get_by_role("button", name="Indienen", exact=True).click()
    page.get_by_text("Uw rapportage is ingediend op").wait_for()
    reference = page.locator("#receipt-reference").inner_text()
    assert re.fullmatch(r"RAP-\d{4}-[2-9A-Z]{8}", reference)
    assert_no_serious_axe_violations(page, "ontvangstbevestiging")

    # The receipt as a PDF.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ontvangstbevestiging downloaden (PDF)").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert download.suggested_filename == f"ontvangstbevestiging-{reference}.pdf"
    assert target.read_bytes().startswith(b"%PDF-1.7")

    # My reports: submitted, with the reference.
    page.goto(f"{live_server.url}/rapportages/mijn/")
    assert page.locator("#ingediende-versies").get_by_role("link", name=reference).is_visible()


def test_provider_adds_and_removes_complaints_in_the_page(
    live_server, page, login, password, reporting_world, assert_no_serious_axe_violations
):
    _uitstroom, klachten = reporting_world
    login(page, live_server, "e2e-aanbieder-rap", password)
    page.goto(f"{live_server.url}/rapportages/mijn/{klachten.pk}/2026/")
    assert_no_serious_axe_violations(page, "klachten-leeg")
    page.get_by_role("button", name="Klacht toevoegen").click()
    # Added by the script, without a page load; focus goes to the new complaint.
    assert page.locator("#klacht-0").is_visible()
    assert page.evaluate("() => document.activeElement.id") == "f-klachten-0-nummer"
    page.locator("#f-klachten-0-nummer").fill("K-2026-01")
    page.locator("#f-klachten-0-datum_ontvangen").fill("2026-03-02")
    page.locator("#klacht-0").get_by_label("Bejegening van de cliënt").check()
    page.locator("#klacht-0").get_by_label("Nee").first.check()
    page.locator("#f-klachten-0-woonplaats").fill("Gouda")
    page.get_by_role("button", name="Klacht toevoegen").click()
    assert page.locator("#klacht-1").get_by_role("group").first.is_visible()
    page.get_by_role("button", name="Klacht 2 verwijderen").click()
    assert page.locator("#klacht-1").count() == 0
    assert_no_serious_axe_violations(page, "klachten-ingevuld")
    page.get_by_role("button", name="Opslaan als concept").click()
    page.get_by_text(re.compile(r"Opgeslagen om \d\d:\d\d")).first.wait_for()
    assert page.get_by_role("group", name="Klacht 1").is_visible()
    assert page.locator("#f-klachten-0-nummer").input_value() == "K-2026-01"
    assert page.locator("#klacht-1").count() == 0
