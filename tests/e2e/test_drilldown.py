# SPDX-License-Identifier: EUPL-1.2
"""A contract manager drills down in the browser: figure → units → trajectory → message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
CONTRACT = REPO / "examples" / "contract-drechtsteden.yaml"


@pytest.fixture(scope="module")
def traffic(tmp_path_factory) -> Path:
    from wmo_sla.generator import generate_region

    out = tmp_path_factory.mktemp("e2e-drilldown") / "traffic"
    generate_region(
        out_dir=out,
        contract_yaml=CONTRACT,
        clients=25,
        providers=2,
        date_from=dt.date(2023, 1, 1),
        date_to=dt.date(2023, 12, 31),
        seed=5,
    )
    return out


def test_contractmanager_drills_down_from_figure_to_message(
    live_server, page, login, password, traffic, assert_no_serious_axe_violations
):
    from wmo_sla.contracts.services import contract_definition_load
    from wmo_sla.ingest.services import ingest_paths
    from wmo_sla.kpis.models import Figure
    from wmo_sla.kpis.services import kpis_compute

    contract_definition_load(path=CONTRACT)
    ingest_paths(paths=[traffic])
    run = kpis_compute(as_of=dt.date(2024, 6, 30))
    figure = (
        Figure.objects.filter(run=run, kpi="K2a", gemeente="regio", period="2023")
        .exclude(aanbieder=None)
        .order_by("-n", "pk")
        .first()
    )
    UserFactory(username="e2e-drill", contractmanager=True)
    login(page, live_server, "e2e-drill", password)

    page.goto(f"{live_server.url}/benchmark/figuur/{figure.pk}/")
    page.get_by_role("heading", level=1, name="Herkomst van K2a").wait_for()
    assert page.get_by_text(f"{figure.n} eenheden achter dit kengetal").is_visible()
    table = page.get_by_role("table")
    assert table.get_by_role("columnheader", name="In teller").is_visible()
    assert_no_serious_axe_violations(page, "kengetal")

    # Keyboard: the first trajectory link is reachable and opens with Enter.
    first = table.get_by_role("link").first
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/traject/*/")
    page.get_by_role("heading", level=2, name="Toewijzingen (alle versies)").wait_for()
    messages = page.get_by_role("table", name="berichten over dit traject")
    assert messages.get_by_role("link").count() >= 1
    assert_no_serious_axe_violations(page, "traject")

    messages.get_by_role("link").first.click()
    page.wait_for_url("**/bericht/*/")
    page.get_by_role(
        "heading", level=2, name="Bewaard bericht (XML, zonder persoonsgegevens)"
    ).wait_for()
    assert "<" in page.locator("pre").inner_text()
    assert_no_serious_axe_violations(page, "bericht")

    page.get_by_role("link", name="Terug naar het traject").click()
    page.wait_for_url("**/traject/*/")
