# SPDX-License-Identifier: EUPL-1.2
"""The aanbieder-profiel and the provider portal: per role, 404 for another aanbieder, the
anonymous reference group and its suppression, small numbers, SPC findings, K12, bad input."""

from __future__ import annotations

from django.urls import reverse

import pytest
from tests.factories import (
    AanbiederFactory,
    AgbCodeFactory,
    ComputationRunFactory,
    FigureFactory,
    UserFactory,
)

from wmo_sla.kpis.export import ExportError, export_rows

pytestmark = pytest.mark.django_db

OWN = "Eigen Zorg Alfa"
OWN_AGB = "11111111"
PEER_NAMES = [f"Peer Zorg {c}" for c in "ABCDE"]
PEER_AGBS = [f"2222000{i}" for i in range(1, 6)]


def _aanbieder(name: str, agb: str):
    aanbieder = AanbiederFactory(name=name, agb=None)
    AgbCodeFactory(code=agb, aanbieder=aanbieder)
    return aanbieder


def _fig(run, aanbieder, kpi="K8", period="2024Q4", value=0.15, n=40, **extra):
    numerator = value * n if value is not None else None
    return FigureFactory(
        run=run,
        aanbieder=aanbieder,
        kpi=kpi,
        period=period,
        referentiegroep="IB",
        numerator=numerator,
        denominator=float(n),
        value=value,
        n=n,
        **extra,
    )


@pytest.fixture
def world():
    run = ComputationRunFactory()
    own = _aanbieder(OWN, OWN_AGB)
    peers = [_aanbieder(name, agb) for name, agb in zip(PEER_NAMES, PEER_AGBS, strict=True)]
    # K8 per quarter for the own aanbieder; the four first peers in 2024Q4 only.
    for quarter, value in zip(
        ("2024Q1", "2024Q2", "2024Q3", "2024Q4"), (0.05, 0.08, 0.12, 0.15), strict=True
    ):
        _fig(run, own, period=quarter, value=value)
    for peer, value in zip(peers[:4], (0.10, 0.20, 0.30, 0.40), strict=True):
        _fig(run, peer, value=value)
    # K6 with a small n for the own aanbieder: hidden from the provider, not from the municipality.
    _fig(run, own, kpi="K6", value=0.6667, n=3, norm=0.9)
    # K11s: only two peers → no reference group.
    _fig(run, own, kpi="K11s", value=0.9, n=50, norm=0.95)
    for peer in peers[:2]:
        _fig(run, peer, kpi="K11s", value=0.8, n=50, norm=0.95)
    # Monthly K1 (counts) for two years with a clear shift after twelve months.
    for i in range(24):
        month = f"{2023 + i // 12}M{i % 12 + 1:02d}"
        count = (10 if i % 2 else 12) if i < 12 else (20 if i % 2 else 22)
        FigureFactory(
            run=run,
            aanbieder=own,
            kpi="K1",
            period=month,
            referentiegroep="IB",
            numerator=float(count),
            denominator=None,
            value=float(count),
            n=count,
            norm=None,
        )
    return {
        "run": run,
        "own": own,
        "peers": peers,
        "cm": UserFactory(contractmanager=True),
        "analist": UserFactory(analist=True),
        "beheerder": UserFactory(beheerder=True),
        "provider": UserFactory(provider=True, aanbieder=own),
        "peer_user": UserFactory(provider=True, aanbieder=peers[0]),
    }


def _profile(client, user, aanbieder, **params):
    client.force_login(user)
    return client.get(reverse("benchmark:profile", args=[aanbieder.pk]), params)


def test_contract_manager_sees_figures_against_norm_and_the_reference_median(client, world):
    response = _profile(client, world["cm"], world["own"])
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Profiel {OWN}" in page
    assert "15,0 %" in page  # own K8 in 2024Q4
    assert "25,0 %" in page  # median of the four peers 10, 20, 30, 40 %
    assert "66,7 %" in page  # the municipality sees the small-n K6 value
    assert 'role="img"' in page and "<title" in page  # accessible SVG charts
    for name in PEER_NAMES:
        assert name not in page


def test_provider_portal_is_its_own_profile_without_any_peer_data(client, world):
    client.force_login(world["provider"])
    response = client.get(reverse("benchmark:portal"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("benchmark:profile", args=[world["own"].pk])
    page = response.content.decode()
    assert f"Mijn prestaties: {OWN}" in page
    assert "25,0 %" in page  # the anonymous median is there…
    for probe in (*PEER_NAMES, *PEER_AGBS):  # …but no peer by name or AGB code
        assert probe not in page
    # With four peers the quartiles are withheld (they would give every value away).
    assert "20,0 % – 30,0 %" not in page and "17,5 %" not in page


def test_provider_gets_404_for_another_aanbieders_profile(client, world):
    response = _profile(client, world["provider"], world["peers"][0])
    assert response.status_code == 404
    assert PEER_NAMES[0] not in response.content.decode()
    assert _profile(client, world["provider"], world["own"]).status_code == 200
    missing = client.get(reverse("benchmark:profile", args=[999999]))
    assert missing.status_code == 404


def test_roles_analist_may_beheerder_may_not(client, world):
    assert _profile(client, world["analist"], world["own"]).status_code == 200
    assert _profile(client, world["beheerder"], world["own"]).status_code == 403
    client.force_login(world["cm"])
    assert client.get(reverse("benchmark:portal")).status_code == 403


def test_small_numbers_are_withheld_from_the_provider_only(client, world):
    page = _profile(client, world["provider"], world["own"]).content.decode()
    assert "niet getoond (n kleiner dan 5)" in page
    assert "66,7 %" not in page
    cm_page = _profile(client, world["cm"], world["own"]).content.decode()
    assert "66,7 %" in cm_page


def test_reference_group_with_fewer_than_three_peers_is_suppressed(client, world):
    page = _profile(client, world["cm"], world["own"]).content.decode()
    row = page.split('K11s Startberichten tijdig<span class="app-fig__line">')[1].split("</tr>")[0]
    assert "90,0 %" in row and "niet getoond" in row
    assert "80,0 %" not in row  # the two peers' value never shows


def test_quartiles_appear_with_five_peers(client, world):
    _fig(world["run"], world["peers"][4], value=0.50)
    page = _profile(client, world["provider"], world["own"]).content.decode()
    # Peers 10, 20, 30, 40, 50 %: median 30 %, quartiles 20 % – 40 %.
    row = page.split('K8 Beëindigd zonder doelen<span class="app-fig__line">')[1].split("</tr>")[0]
    assert "30,0 %" in row and "20,0 % – 40,0 %" in row


def test_spc_chart_names_the_special_causes(client, world):
    page = _profile(client, world["cm"], world["own"]).content.decode()
    assert "SPC-grafiek (XmR) K1" in page
    assert "2023M01 t/m 2023M12: 12 maanden op rij onder het gemiddelde" in page
    assert "2024M01 t/m 2024M12: 12 maanden op rij boven het gemiddelde" in page
    # K8 has no monthly figures: the page says why there is no chart.
    assert "Te weinig maanden voor een SPC-grafiek: 0 van de minstens 15." in page


def test_k12_stacked_bar_against_the_pooled_reference_group(client, world):
    run, own, peers = world["run"], world["own"], world["peers"]
    for reason, count in (("19", 6), ("21", 4)):
        _fig(run, own, kpi=f"K12-{reason}", value=count / 10, n=10)
    # Pooled over three peers: 19: (5 + 10 + 15) / (10 + 20 + 30) = 50 %; 38: 50 %.
    for peer, total in zip(peers[:3], (10, 20, 30), strict=True):
        _fig(run, peer, kpi="K12-19", value=0.5, n=total)
        _fig(run, peer, kpi="K12-38", value=0.5, n=total)
    page = _profile(client, world["provider"], own).content.decode()
    table = page.split('id="k12-table"')[1].split("</table>")[0]
    row19 = table.split("19 – volgens plan beëindigd")[1].split("</tr>")[0]
    assert "60,0 %" in row19 and ">6<" in row19 and "50,0 %" in row19
    row38 = table.split("38 – overstap naar andere aanbieder")[1].split("</tr>")[0]
    assert "0,0 %" in row38 and "50,0 %" in row38
    row21 = table.split("21 – eenzijdig door cliënt")[1].split("</tr>")[0]
    assert "40,0 %" in row21 and "0,0 %" in row21.split("40,0 %")[1]  # no peer ended with 21
    assert "app-chart--bars" in page


def test_bad_choices_get_a_dutch_error_and_the_defaults(client, world):
    response = _profile(
        client,
        world["cm"],
        world["own"],
        referentiegroep="XX",
        gemeente="9999",
        kengetal=["K99", "K8u"],
        periode="2030Q1",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Referentiegroep XX bestaat niet" in page
    assert "Gemeente 9999 is onbekend" in page
    assert "Onbekende kengetallen: K99" in page
    assert "Periode 2030Q1 heeft geen kengetallen; getoond wordt 2024Q4." in page


def test_month_figures_are_exported_only_when_asked_for_by_name(world):
    assert all(row["period"] == "2024Q4" for row in export_rows(period="2024Q4"))
    months = export_rows(period="2024M03", kpi="K1")
    assert [(row["period"], row["value"]) for row in months] == [("2024M03", 22.0)]
    with pytest.raises(ExportError, match="2024M03"):
        export_rows(period="2024M3")
