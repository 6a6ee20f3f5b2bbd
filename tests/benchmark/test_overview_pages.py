# SPDX-License-Identifier: EUPL-1.2
"""The overzicht, its exports and the funnel page, as the people who use them see them."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse

import openpyxl
import pytest
from tests.factories import (
    AanbiederFactory,
    AgbCodeFactory,
    ComputationRunFactory,
    ContractFactory,
    FigureFactory,
    GemeenteFactory,
    ProductFactory,
    ReferentiegroepFactory,
    UserFactory,
)

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.models import AuditEvent
from wmo_sla.kpis.models import Figure


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Periods per run are cached; test databases reuse run ids."""
    cache.clear()


pytestmark = pytest.mark.django_db


@dataclass
class World:
    alfa: object
    bravo: object
    charlie: object
    delta: object
    run: object


def _aanbieder(name: str, agb: str):
    aanbieder = AanbiederFactory(name=name, agb=None)
    AgbCodeFactory(code=agb, aanbieder=aanbieder)
    return aanbieder


@pytest.fixture
def world() -> World:
    GemeenteFactory(cbs_code="0505", name="Dordrecht")
    ib = ReferentiegroepFactory(code="IB-REG", name="IB regulier")
    spec = ReferentiegroepFactory(code="IB-SPEC", name="IB specialistisch")
    bw = ReferentiegroepFactory(code="BW", name="Beschermd wonen")
    # Names chosen so that alphabetical order differs from value order.
    charlie = _aanbieder("Charlie Zorg", "11110003")
    alfa = _aanbieder("Alfa Zorg", "11110001")
    bravo = _aanbieder("Bravo Zorg", "11110002")
    delta = _aanbieder("Delta Wonen", "11110004")
    ib_contract = ContractFactory(
        code="IB", name="Individuele Begeleiding", aanbieders=[alfa, bravo, charlie]
    )
    bw_contract = ContractFactory(code="BW", name="Beschermd Wonen", aanbieders=[delta])
    ProductFactory(contract=ib_contract, referentiegroep=ib)
    ProductFactory(contract=ib_contract, referentiegroep=spec)
    ProductFactory(contract=bw_contract, referentiegroep=bw)
    run = ComputationRunFactory()
    common = {"run": run, "referentiegroep": "IB-REG", "period": "2024Q3", "status": "voorlopig"}
    FigureFactory(
        aanbieder=alfa,
        numerator=3,
        denominator=20,
        signaal="geen",
        kleine_aantallen=False,
        **common,
    )
    FigureFactory(aanbieder=bravo, numerator=12, denominator=40, signaal="signaal", **common)
    FigureFactory(aanbieder=charlie, numerator=1, denominator=4, signaal="geen", **common)
    FigureFactory(aanbieder=alfa, kpi="K9", numerator=2, denominator=50, **common)
    # Another period, another gemeente, another contract: never in the default view.
    FigureFactory(
        aanbieder=alfa,
        numerator=9,
        denominator=10,
        run=run,
        referentiegroep="IB-REG",
        period="2024Q2",
    )
    FigureFactory(
        aanbieder=alfa,
        numerator=7,
        denominator=10,
        run=run,
        referentiegroep="IB-REG",
        period="2024Q3",
        gemeente="0505",
    )
    FigureFactory(
        aanbieder=delta, numerator=5, denominator=30, run=run, referentiegroep="BW", period="2024Q3"
    )
    return World(alfa, bravo, charlie, delta, run)


def _rows(html: str) -> list[str]:
    """The aanbieder names in the table body, in page order."""
    body = html.split('<tbody class="utrecht-table__body">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(
        r'<th scope="row" class="utrecht-table__header-cell">(?:<a [^>]*>)?([^<]+)<', body
    )


@pytest.mark.parametrize(
    ("trait", "status"), [("contractmanager", 200), ("analist", 200), ("beheerder", 403)]
)
def test_who_may_open_the_overzicht(client, world, trait, status):
    client.force_login(UserFactory(**{trait: True}))
    assert client.get(reverse("benchmark:overview")).status_code == status


def test_provider_gets_403_on_every_benchmark_page(client, world):
    client.force_login(UserFactory(provider=True, aanbieder=world.alfa))
    for url in (
        reverse("benchmark:overview"),
        reverse("benchmark:overview_export", args=["csv"]),
        reverse("benchmark:overview_export", args=["xlsx"]),
        reverse("benchmark:funnel", args=["K8"]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Bravo Zorg" not in response.content.decode()


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("benchmark:overview"))
    assert response.status_code == 302
    assert "inloggen" in response["Location"] or "login" in response["Location"]


def test_defaults_latest_quarter_first_contract_regio_alphabetical(client, world):
    client.force_login(UserFactory(contractmanager=True))
    html = client.get(reverse("benchmark:overview")).content.decode()
    # Contract BW sorts first by code; its only aanbieder is Delta.
    assert _rows(html) == ["Delta Wonen"]
    html = client.get(reverse("benchmark:overview"), {"contract": "IB"}).content.decode()
    assert _rows(html) == ["Alfa Zorg", "Bravo Zorg", "Charlie Zorg"]
    assert "2024Q3" in html
    # Alfa's K8 in the regio for 2024Q3 is 3/20 = 15,0 %, not the 2024Q2 or Dordrecht value.
    assert "15,0 %" in html
    assert "90,0 %" not in html and "70,0 %" not in html
    # Flags in words, small numbers marked.
    assert "signaal (buiten 99,8 %-grens)" in html
    assert "norm niet gehaald" in html
    assert "n onder 5: alleen voor de gemeente" in html
    assert "voorlopig" in html


def test_filters_by_gemeente_and_period(client, world):
    client.force_login(UserFactory(contractmanager=True))
    html = client.get(
        reverse("benchmark:overview"), {"contract": "IB", "gemeente": "0505"}
    ).content.decode()
    assert _rows(html) == ["Alfa Zorg"]
    assert "70,0 %" in html
    assert "Dordrecht (0505)" in html
    html = client.get(
        reverse("benchmark:overview"), {"contract": "IB", "period": "2024Q2"}
    ).content.decode()
    assert "90,0 %" in html


def test_sort_by_value_without_rank_numbers_and_aria_sort(client, world):
    client.force_login(UserFactory(contractmanager=True))
    url = reverse("benchmark:overview")
    html = client.get(url, {"contract": "IB", "sort": "K8", "dir": "desc"}).content.decode()
    # Bravo 30 %, Charlie 25 %, Alfa 15 %.
    assert _rows(html) == ["Bravo Zorg", "Charlie Zorg", "Alfa Zorg"]
    assert 'aria-sort="descending"' in html
    assert html.count('aria-sort="descending"') == 1
    assert not re.search(r"<th[^>]*>\s*(#|Rang|Positie)", html)
    html = client.get(url, {"contract": "IB", "sort": "K8:n"}).content.decode()
    assert _rows(html) == ["Charlie Zorg", "Alfa Zorg", "Bravo Zorg"]  # n 4, 20, 40
    assert 'aria-sort="ascending"' in html
    # Default: by name, ascending.
    html = client.get(url, {"contract": "IB"}).content.decode()
    assert html.count('aria-sort="ascending"') == 1


def test_invalid_input_gets_a_specific_dutch_error(client, world):
    client.force_login(UserFactory(contractmanager=True))
    response = client.get(reverse("benchmark:overview"), {"period": "2099Q1"})
    assert response.status_code == 400
    assert "Periode 2099Q1 heeft geen kengetallen" in response.content.decode()
    response = client.get(reverse("benchmark:overview"), {"contract": "XX"})
    assert "Contract XX bestaat niet" in response.content.decode()
    response = client.get(reverse("benchmark:overview"), {"contract": "IB", "kpi": ["K99"]})
    assert "Kengetal K99 bestaat niet" in response.content.decode()


def test_referentiegroep_of_another_contract_falls_back_with_a_notice(client, world):
    client.force_login(UserFactory(contractmanager=True))
    html = client.get(
        reverse("benchmark:overview"), {"contract": "IB", "referentiegroep": "BW"}
    ).content.decode()
    assert "Referentiegroep BW hoort niet bij contract IB" in html
    assert '<option value="IB-REG" selected>' in html
    assert _rows(html) == ["Alfa Zorg", "Bravo Zorg", "Charlie Zorg"]


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_has_exactly_the_shown_rows_columns_and_order(client, world):
    client.force_login(UserFactory(contractmanager=True))
    params = {"contract": "IB", "kpi": ["K8", "K9"], "sort": "K8", "dir": "desc"}
    html = client.get(reverse("benchmark:overview"), params).content.decode()
    response = client.get(reverse("benchmark:overview_export", args=["csv"]), params)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="overzicht_2024Q3_IB_IB-REG_regio.csv"'
    )
    rows = _csv_rows(response.content)
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == _rows(html) == ["Bravo Zorg", "Charlie Zorg", "Alfa Zorg"]
    assert header[:3] == ["Aanbieder", "AGB-code", "K8 Beëindigd zonder doelen: waarde"]
    assert len(header) == 2 + 2 * 9
    assert not any(h.startswith("K1 ") for h in header)
    alfa = body[2]
    assert alfa[2] == "15,0 %" and alfa[3] == "20"
    assert alfa[header.index("K9 Recidive (365 dagen): waarde")] == "4,0 %"
    bravo = body[0]
    assert bravo[header.index("K9 Recidive (365 dagen): waarde")] == ""  # no figure
    assert (
        bravo[header.index("K8 Beëindigd zonder doelen: signaal")]
        == "signaal (buiten 99,8 %-grens)"
    )


def test_xlsx_export_opens_and_matches(client, world):
    client.force_login(UserFactory(analist=True))
    params = {"contract": "IB", "kpi": ["K8"]}
    response = client.get(reverse("benchmark:overview_export", args=["xlsx"]), params)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('overzicht_2024Q3_IB_IB-REG_regio.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "2024Q3" in rows[0][0]
    assert rows[1][0] == "Aanbieder"
    assert [r[0] for r in rows[2:]] == ["Alfa Zorg", "Bravo Zorg", "Charlie Zorg"]
    assert rows[2][2] == pytest.approx(0.15)
    assert sheet.cell(3, 3).number_format == "0.0%"


def test_each_export_is_audit_logged(client, world):
    user = UserFactory(contractmanager=True)
    client.force_login(user)
    client.get(reverse("benchmark:overview_export", args=["csv"]), {"contract": "IB"})
    client.get(reverse("benchmark:overview_export", args=["xlsx"]), {"contract": "IB"})
    events = list(AuditEvent.objects.filter(action=AuditAction.FIGURES_EXPORTED).order_by("id"))
    assert len(events) == 2
    assert events[0].actor_id == user.pk
    assert events[0].extra["format"] == "csv" and events[1].extra["format"] == "xlsx"
    assert events[0].extra["contract"] == "IB" and events[0].extra["rows"] == 3


def test_invalid_export_request_is_an_error_not_a_file(client, world):
    client.force_login(UserFactory(contractmanager=True))
    response = client.get(reverse("benchmark:overview_export", args=["csv"]), {"period": "x"})
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    assert not AuditEvent.objects.filter(action=AuditAction.FIGURES_EXPORTED).exists()
    assert client.get(reverse("benchmark:overview_export", args=["pdf"])).status_code == 404


def test_funnel_page_shows_points_limits_table_and_definition(client, world):
    client.force_login(UserFactory(contractmanager=True))
    response = client.get(reverse("benchmark:funnel", args=["K8"]), {"contract": "IB"})
    assert response.status_code == 200
    html = response.content.decode()
    # The KPI's definition text from the registry.
    assert "final reason in" not in html
    assert "zonder doelen" in html
    # One focusable point per aanbieder with its name and figures.
    points = re.findall(
        r'<g class="chart-point" tabindex="0" role="img" aria-label="([^"]+)"', html
    )
    assert len(points) == 3
    assert any(p.startswith("Alfa Zorg: 15,0 % (n = 20)") for p in points)
    # Fewer than 5 aanbieders: exact binomial limits; at n = 20 around 10 %: 22,8 % / 33,5 %.
    assert "binomiaal-exact" in html
    alfa_row = html.split("Alfa Zorg</a>", 1)[1].split("</tr>", 1)[0]
    assert "22,8 %" in alfa_row and "33,5 %" in alfa_row
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="group"' in html


def test_funnel_for_a_figure_without_limits_and_unknown_code(client, world):
    client.force_login(UserFactory(contractmanager=True))
    response = client.get(reverse("benchmark:funnel", args=["K5"]), {"contract": "IB"})
    assert response.status_code == 200
    assert "Geen kengetallen voor deze selectie" in response.content.decode()
    assert client.get(reverse("benchmark:funnel", args=["K99"])).status_code == 404


def test_figures_link_to_their_drilldown_and_aanbieders_to_their_profile(client, world):
    """The contract manager reaches the units behind each figure; the analist (no drill-down
    right) gets no such links, but both reach the aanbieder's profile."""
    alfa_k8 = Figure.objects.get(
        aanbieder=world.alfa, kpi="K8", period="2024Q3", gemeente="regio", referentiegroep="IB-REG"
    )
    drilldown = reverse("benchmark:figure_members", args=[alfa_k8.pk])
    profile = reverse("benchmark:profile", args=[world.alfa.pk])
    client.force_login(UserFactory(contractmanager=True))
    html = client.get(reverse("benchmark:overview"), {"contract": "IB"}).content.decode()
    assert f'href="{drilldown}"' in html and f'href="{profile}"' in html
    funnel = client.get(reverse("benchmark:funnel", args=["K8"]), {"contract": "IB"})
    assert f'href="{drilldown}"' in funnel.content.decode()
    client.force_login(UserFactory(analist=True))
    html = client.get(reverse("benchmark:overview"), {"contract": "IB"}).content.decode()
    assert "onderbouwing" not in html and f'href="{profile}"' in html
