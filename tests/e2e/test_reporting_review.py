# SPDX-License-Identifier: EUPL-1.2
"""The municipality's reporting path in the browser: status board, open a submitted report,
return it with a reason, (the aanbieder resubmits through the services), accept; and the
obligation and exemption forms. Real dates: the half year 2026H1 is open now."""

from __future__ import annotations

import pytest

from tests.factories import (
    AanbiederFactory,
    AgbCodeFactory,
    ContractFactory,
    ProductFactory,
    ReferentiegroepFactory,
    UserFactory,
)
from wmo_sla.reporting.models import Report, ReportStatus
from wmo_sla.reporting.schemas import OUTFLOW_KEYS
from wmo_sla.reporting.selectors import contract_referentiegroepen
from wmo_sla.reporting.services import obligation_create, save_draft, submit_report

pytestmark = pytest.mark.e2e


def _outflow(groups: list[str], doelen: int) -> dict:
    keys = OUTFLOW_KEYS
    return {
        "rijen": [
            {"referentiegroep": g, **dict.fromkeys(keys, 0), "doelen_bereikt": doelen}
            for g in groups
        ]
    }


@pytest.fixture
def reporting_world(transactional_db):
    own = AanbiederFactory(name="Zorgaanbieder Lindeboom", agb=None)
    AgbCodeFactory(code="12340000", aanbieder=own)
    other = AanbiederFactory(name="Zorg Ander Bravo", agb=None)
    AgbCodeFactory(code="56780000", aanbieder=other)
    contract = ContractFactory(code="IB", aanbieders=[own, other])
    ProductFactory(contract=contract, referentiegroep=ReferentiegroepFactory(code="IB-licht"))
    cm = UserFactory(username="e2e-cm-rap", contractmanager=True)
    provider = UserFactory(username="e2e-aanbieder-rap", provider=True, aanbieder=own)
    obligation = obligation_create(
        actor=cm,
        contract=contract,
        kind="uitstroomredenen",
        period_type="H",
        first_period="2026H1",
        due_rule="na_periode",
        due_days=180,  # 2026H1 due 27-12-2026: open now and not yet late
    )
    groups = contract_referentiegroepen(contract.pk)
    saved = save_draft(
        actor=provider,
        obligation=obligation,
        aanbieder=own,
        period="2026H1",
        content=_outflow(groups, 5),
    )
    submit_report(actor=provider, report=saved.report)
    return {"report": saved.report, "provider": provider, "obligation": obligation, "own": own}


def test_contract_manager_returns_and_accepts_a_report(
    live_server, page, login, password, reporting_world, assert_no_serious_axe_violations
):
    report = reporting_world["report"]
    login(page, live_server, "e2e-cm-rap", password)

    # The status board: the submitted report, the other aanbieder not started.
    page.goto(f"{live_server.url}/rapportages/")
    board = page.locator("#statusoverzicht")
    assert board.get_by_role("rowheader", name="Zorgaanbieder Lindeboom").is_visible()
    assert board.get_by_role("rowheader", name="Zorg Ander Bravo").is_visible()
    assert "Ingediend" in board.inner_text() and "Niet gestart" in board.inner_text()
    assert_no_serious_axe_violations(page, "rapportages-overzicht")
    page.get_by_label("Status").select_option("ingediend")
    page.get_by_role("button", name="Toon").click()
    assert page.locator("#statusoverzicht tbody tr").count() == 1
    page.locator("#statusoverzicht").get_by_role("link", name="Ingediend").click()

    # The detail: content, the check, versions; return without a reason is refused.
    assert page.locator("#rapportage-status").inner_text().strip() == "● Ingediend"
    assert page.locator("#uitstroom-v1").get_by_role("rowheader", name="IB-licht").is_visible()
    assert_no_serious_axe_violations(page, "rapportage-ingediend")
    page.get_by_role("button", name="Terugsturen").click()
    summary = page.locator("#error-summary")
    assert summary.get_by_role(
        "link", name="Reden van terugsturen: Vul de reden in waarom u de rapportage terugstuurt."
    ).is_visible()
    assert_no_serious_axe_violations(page, "rapportage-terugsturen-fout")
    page.get_by_label("Reden van terugsturen").fill("De Wlz-uitstroom ontbreekt.")
    page.get_by_role("button", name="Terugsturen").click()
    page.get_by_text("is teruggestuurd naar Zorgaanbieder Lindeboom").wait_for()
    assert "Teruggestuurd" in page.locator("#rapportage-status").inner_text()
    assert page.get_by_text("De Wlz-uitstroom ontbreekt.").first.is_visible()
    assert page.get_by_role("button", name="Accepteren").count() == 0

    # The aanbieder corrects and resubmits (through the services).
    save_draft(
        actor=reporting_world["provider"],
        obligation=reporting_world["obligation"],
        aanbieder=reporting_world["own"],
        period="2026H1",
        content=_outflow(contract_referentiegroepen(report.obligation.contract_id), 6),
    )
    submit_report(actor=reporting_world["provider"], report=report)

    page.reload()
    assert page.locator("#versies-tabel tbody tr").count() == 2
    page.get_by_role("button", name="Accepteren").click()
    page.get_by_text("is geaccepteerd").wait_for()
    assert "Geaccepteerd" in page.locator("#rapportage-status").inner_text()
    assert_no_serious_axe_violations(page, "rapportage-geaccepteerd")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.GEACCEPTEERD

    # Back on the board: accepted.
    page.goto(f"{live_server.url}/rapportages/")
    assert "Geaccepteerd" in page.locator("#statusoverzicht").inner_text()


def test_obligation_and_exemption_forms(
    live_server, page, login, password, reporting_world, assert_no_serious_axe_violations
):
    login(page, live_server, "e2e-cm-rap", password)
    page.goto(f"{live_server.url}/rapportages/verplichtingen/")
    assert page.locator("#verplichtingen").get_by_text("2026H1: 27-12-2026").is_visible()
    assert_no_serious_axe_violations(page, "verplichtingen")

    # A bad due rule: the error is next to the field and in the summary.
    page.goto(f"{live_server.url}/rapportages/verplichtingen/nieuw/")
    assert_no_serious_axe_violations(page, "verplichting-nieuw")
    page.locator("#id_contract").select_option(index=1)
    page.get_by_label("Soort rapportage").select_option("klachten")
    page.get_by_label("Periode", exact=True).select_option("Y")
    page.get_by_label("Eerste periode").fill("2026")
    page.get_by_label("Termijnregel").select_option("vaste_datum")
    # With JavaScript only the fields of the chosen rule are shown.
    assert page.locator("#termijn-na-periode").is_hidden()
    page.get_by_label("Maand van de vaste datum (optioneel)").fill("11")
    page.get_by_role("button", name="Verplichting vastleggen").click()
    assert (
        page.locator("#error-summary")
        .get_by_role("link", name="Dag van de vaste datum: Vul de dag van de vaste datum in.")
        .is_visible()
    )
    assert_no_serious_axe_violations(page, "verplichting-fout")
    page.get_by_label("Dag van de vaste datum (optioneel)").fill("30")
    page.get_by_label("Open vanaf (dagen vóór de uiterste datum) (optioneel)").fill("61")
    page.get_by_role("button", name="Verplichting vastleggen").click()
    page.get_by_text("is vastgelegd").wait_for()

    # An exemption for one aanbieder, then revoked.
    page.goto(f"{live_server.url}/rapportages/vrijstellingen/")
    assert_no_serious_axe_violations(page, "vrijstellingen")
    page.get_by_role("button", name="Verder").click()
    page.get_by_label("Voor wie (optioneel)").select_option(label="Zorg Ander Bravo")
    page.get_by_label("Vanaf").fill("2026-01-01")
    page.get_by_label("Reden").fill("Nieuwe aanbieder, eerste jaar")
    assert_no_serious_axe_violations(page, "vrijstelling-nieuw")
    page.get_by_role("button", name="Vrijstelling verlenen").click()
    page.get_by_text("De vrijstelling voor Zorg Ander Bravo is verleend").wait_for()
    page.locator("#vrijstellingen").get_by_role("link", name="Intrekken").first.click()
    assert_no_serious_axe_violations(page, "vrijstelling-intrekken")
    page.get_by_label("Reden van intrekking").fill("Toch rapportageplichtig")
    page.get_by_role("button", name="Vrijstelling intrekken").click()
    page.get_by_text("De vrijstelling is ingetrokken.").wait_for()
    assert "Ingetrokken" in page.locator("#vrijstellingen").inner_text()
