# SPDX-License-Identifier: EUPL-1.2
"""A contract manager opens the overzicht and a funnel plot, and reaches a point by keyboard."""

from __future__ import annotations

from django.core.cache import cache

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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Periods per run are cached; test databases reuse run ids."""
    cache.clear()


pytestmark = pytest.mark.e2e


@pytest.fixture
def figures():
    group = ReferentiegroepFactory(code="IB-REG", name="IB regulier")
    names = ["Alfa Zorg", "Bravo Zorg", "Charlie Zorg", "Delta Zorg", "Echo Zorg", "Foxtrot Zorg"]
    aanbieders = [AanbiederFactory(name=name) for name in names]
    contract = ContractFactory(code="IB", name="Individuele Begeleiding", aanbieders=aanbieders)
    ProductFactory(contract=contract, referentiegroep=group)
    run = ComputationRunFactory()
    counts = [(3, 20), (12, 40), (1, 4), (9, 120), (30, 150), (6, 60)]
    signals = ["geen", "signaal", "geen", "geen", "let op", "geen"]
    for aanbieder, (x, n), signaal in zip(aanbieders, counts, signals, strict=True):
        for kpi in ("K8", "K9"):
            FigureFactory(
                run=run,
                aanbieder=aanbieder,
                kpi=kpi,
                numerator=x,
                denominator=n,
                referentiegroep="IB-REG",
                period="2024Q3",
                signaal=signaal,
                kleine_aantallen=5 <= n < 20,
                status="voorlopig",
            )


def test_contract_manager_overview_and_funnel_by_keyboard(
    live_server, page, login, password, figures, assert_no_serious_axe_violations, screenshot_dir
):
    UserFactory(username="e2e-benchmark", contractmanager=True)
    login(page, live_server, "e2e-benchmark", password)
    page.goto(f"{live_server.url}/benchmark/?contract=IB")
    page.get_by_role("heading", name="Overzicht aanbieders").wait_for()
    table = page.locator("table.app-overview")
    assert table.locator("tbody th[scope=row]").first.inner_text().startswith("Alfa Zorg")
    assert "signaal (buiten 99,8 %-grens)" in table.inner_text()
    assert_no_serious_axe_violations(page, "overzicht")

    # Sort by K8 value (descending after two activations), by keyboard.
    sort_link = page.locator("th", has_text="K8 Beëindigd zonder doelen").get_by_role(
        "link", name="sorteer op waarde"
    )
    sort_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=K8**")
    assert page.locator("th[aria-sort=ascending]").count() == 1
    page.locator("th", has_text="K8 Beëindigd zonder doelen").get_by_role(
        "link", name="sorteer op waarde"
    ).click()
    page.wait_for_url("**dir=desc**")
    first = page.locator("table.app-overview tbody th[scope=row]").first.inner_text()
    assert first.startswith("Bravo Zorg")  # 30 %, the highest; no rank number shown
    assert_no_serious_axe_violations(page, "overzicht-gesorteerd")

    page.get_by_role("link", name="K8 Beëindigd zonder doelen").click()
    page.get_by_role("heading", name="K8 – Beëindigd zonder doelen").wait_for()
    assert page.locator("svg[role=group] .chart-point").count() == 6
    assert page.get_by_text("Definitie van K8").is_visible()

    # Tab into the chart: the first point gets focus and shows its label.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('chart-point')"):
            break
    focused_label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused_label and "(n = " in focused_label
    tip = page.locator(".chart-point:focus .chart-tip")
    assert tip.is_visible()
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('.chart-point:focus .chart-tip')).visibility"
        )
        == "visible"
    )
    # With JavaScript the label is also drawn on top of all points, with the focused aanbieder.
    overlay = page.locator(".chart-overlay .chart-tip")
    assert overlay.is_visible()
    assert overlay.locator("text").first.text_content() in focused_label
    page.screenshot(path=str(screenshot_dir / "benchmark-funnel-focus.png"), full_page=True)
    # The same data as a table below the chart.
    rows = page.locator("table tbody tr")
    assert rows.count() == 6
    assert_no_serious_axe_violations(page, "funnel-K8")
