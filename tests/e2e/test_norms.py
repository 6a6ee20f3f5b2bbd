# SPDX-License-Identifier: EUPL-1.2
"""Norms in the browser: the contract manager reviews a derived proposal, rejects without a
reason (error), then approves it, and sees the new norm and its history; axe-clean."""

from __future__ import annotations

import pytest

from tests.factories import ComputationRunFactory, ReferentiegroepFactory, UserFactory
from tests.norms.conftest import BASE_ROWS, add_figures
from wmo_sla.kpis.norms import norms_derive

pytestmark = pytest.mark.e2e


@pytest.fixture
def proposal_world(transactional_db):
    ReferentiegroepFactory(code="IB", name="Individuele begeleiding")
    run = ComputationRunFactory()
    add_figures(run, BASE_ROWS)
    norms_derive(year=2024, codes=["K8"])
    UserFactory(username="e2e-cm-norm", contractmanager=True)


def test_contract_manager_approves_a_historical_norm(
    live_server, page, login, password, proposal_world, assert_no_serious_axe_violations
):
    login(page, live_server, "e2e-cm-norm", password)
    page.goto(f"{live_server.url}/normen/?jaar=2024")
    assert_no_serious_axe_violations(page, "normen-overzicht")
    page.get_by_role("link", name="beoordelen").first.click()
    assert page.get_by_text("hoogstens 16,7 %").is_visible()
    assert_no_serious_axe_violations(page, "normvoorstel")
    page.get_by_role("button", name="afwijzen").click()
    summary = page.locator("#error-summary")
    assert summary.get_by_role("link", name="Reden van afwijzing: Geef een reden op").is_visible()
    assert_no_serious_axe_violations(page, "normvoorstel-fout")
    page.get_by_role("button", name="Vaststellen: K8 voor IB in 2024 wordt 16,7 %").click()
    page.get_by_text("is vastgesteld: de norm voor K8 IB 2024 is nu 16,7 %").wait_for()
    table = page.get_by_role("table", name="Normen 2024 – IB (Individuele begeleiding)")
    assert table.get_by_role("cell", name="hoogstens 16,7 %").is_visible()
    assert table.get_by_role("cell", name="e2e-cm-norm", exact=False).is_visible()
    assert_no_serious_axe_violations(page, "normen-vastgesteld")
