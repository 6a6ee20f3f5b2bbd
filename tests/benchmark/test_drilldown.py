# SPDX-License-Identifier: EUPL-1.2
"""Drill-down pages: figure → units → trajectory → message, per role, isolated, audit-logged."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from django.urls import reverse

import pytest
from tests.conftest import EXAMPLE_CONTRACT
from tests.factories import FigureFactory, UserFactory

from wmo_sla.audit.models import AuditEvent
from wmo_sla.contracts.models import Aanbieder
from wmo_sla.contracts.services import contract_definition_load
from wmo_sla.ingest.models import RawMessage
from wmo_sla.ingest.services import ingest_paths
from wmo_sla.kpis.models import Figure, RunUnitFrame
from wmo_sla.kpis.services import kpis_compute

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 6, 30)


@pytest.fixture(scope="session")
def tiny_region(tmp_path_factory) -> Path:
    from wmo_sla.generator import generate_region

    out = tmp_path_factory.mktemp("drilldown") / "traffic"
    generate_region(
        out_dir=out,
        contract_yaml=EXAMPLE_CONTRACT,
        clients=40,
        providers=2,
        date_from=dt.date(2023, 1, 1),
        date_to=dt.date(2023, 12, 31),
        seed=11,
    )
    return out


@dataclass
class World:
    run: object
    own: Aanbieder
    other: Aanbieder
    figure: Figure  # own aanbieder, n ≥ 5, trajectory members
    other_figure: Figure
    small_figure: Figure  # own aanbieder, n < 5


@pytest.fixture
def world(tiny_region) -> World:
    contract_definition_load(path=EXAMPLE_CONTRACT)
    ingest_paths(paths=[tiny_region])
    run = kpis_compute(as_of=AS_OF)
    figures = Figure.objects.filter(run=run, kpi="K2a", gemeente="regio", period="2023")
    by_aanbieder = sorted(figures.exclude(aanbieder=None), key=lambda f: -f.n)
    own_figure = by_aanbieder[0]
    other_figure = next(f for f in by_aanbieder if f.aanbieder_id != own_figure.aanbieder_id)
    small = (
        Figure.objects.filter(run=run, aanbieder=own_figure.aanbieder, n__gt=0, n__lt=5)
        .order_by("kpi", "pk")
        .first()
    )
    return World(
        run=run,
        own=own_figure.aanbieder,
        other=other_figure.aanbieder,
        figure=own_figure,
        other_figure=other_figure,
        small_figure=small,
    )


def _url(name: str, *args: object) -> str:
    return reverse(f"benchmark:{name}", args=args)


def _first_trajectory_link(page: str, figure: Figure) -> int:
    marker = f"/benchmark/figuur/{figure.pk}/traject/"
    start = page.index(marker) + len(marker)
    return int(page[start : page.index("/", start)])


def test_contractmanager_goes_from_figure_to_trajectory_to_message(client, world):
    cm = UserFactory(username="cm-dd", contractmanager=True)
    client.force_login(cm)
    page = client.get(_url("figure_members", world.figure.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{world.figure.n} eenheden achter dit kengetal" in text
    assert "In teller" in text and "In noemer" in text
    ref = _first_trajectory_link(text, world.figure)

    trajectory = client.get(_url("trajectory_detail", world.figure.pk, ref))
    assert trajectory.status_code == 200
    body = trajectory.content.decode()
    assert "Toewijzingen (alle versies)" in body and "WMO301" in body
    message_marker = f"/traject/{ref}/bericht/"
    start = body.index(message_marker) + len(message_marker)
    message_id = int(body[start : body.index("/", start)])
    message = client.get(_url("message_detail", world.figure.pk, ref, message_id))
    assert message.status_code == 200
    shown = message.content.decode()
    raw = RawMessage.objects.get(pk=message_id)
    assert raw.identificatie in shown and "&lt;" in shown  # the stored XML, escaped

    # The contract manager may also open another aanbieder's figure.
    assert client.get(_url("figure_members", world.other_figure.pk)).status_code == 200

    events = AuditEvent.objects.filter(actor=cm, action="view_client_data")
    views = [e.extra["view"] for e in events.order_by("pk")]
    assert views == [
        "drilldown_figure",
        "drilldown_trajectory",
        "drilldown_message",
        "drilldown_figure",
    ]
    first = events.order_by("pk").first()
    assert first.object_id == str(world.figure.pk)
    assert first.extra["total"] == world.figure.n and first.extra["rows"] == min(50, world.figure.n)


def test_csv_download_lists_every_unit_and_is_audited(client, world):
    cm = UserFactory(username="cm-csv", contractmanager=True)
    client.force_login(cm)
    response = client.get(_url("figure_members_csv", world.figure.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == world.figure.n
    assert {r["eenheid"] for r in rows} == {"traject"}
    assert all(r["in_teller"] == "ja" for r in rows)
    event = AuditEvent.objects.get(actor=cm, action="download_client_data")
    assert event.extra["rows"] == world.figure.n and event.object_id == str(world.figure.pk)


def _largest(world: World, code: str, **filters: object) -> Figure:
    figure = Figure.objects.filter(run=world.run, kpi=code, **filters).order_by("-n", "pk").first()
    assert figure is not None, code
    return figure


def _csv_rows(client, figure: Figure) -> list[dict[str, str]]:
    response = client.get(_url("figure_members_csv", figure.pk))
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_rates_survival_and_cost_figures_show_their_units(client, world):
    client.force_login(UserFactory(username="cm-new-codes", contractmanager=True))

    # K3/K4: the changes of a toewijzing (teller) next to the active trajectories (noemer).
    for code, label in (("K3", "afschaling"), ("K4", "opschaling")):
        figure = _largest(world, code, gemeente="regio", numerator__gt=0)
        text = client.get(_url("figure_members", figure.pk)).content.decode()
        assert "Verandering intensiteit (%)" in text
        numerator, denominator = int(figure.numerator), int(figure.denominator)
        assert f"{numerator} in de teller, {denominator} in de noemer" in text
        rows = _csv_rows(client, figure)
        changes = [r for r in rows if r["eenheid"] == "wijziging"]
        assert sum(r["in_teller"] == "ja" for r in changes) == numerator
        assert {r["reden"] for r in changes} <= {label}
        assert all(r["toewijzing_nummer"] and r["traject"] for r in changes)
        assert sum(r["in_noemer"] == "ja" for r in rows if r["eenheid"] == "traject") == denominator

    # K5km: the start cohort with ended / censored and the duration; no teller or noemer.
    figure = _largest(world, "K5km", gemeente="regio")
    text = client.get(_url("figure_members", figure.pk)).content.decode()
    assert "Geëindigd" in text and "In cohort" in text and "In teller" not in text
    assert "Kaplan–Meier-mediaan" in text and "Duur tot einde of peildatum (dagen)" in text
    rows = _csv_rows(client, figure)
    assert len(rows) == figure.n
    ended = sum(r["in_teller"] == "ja" for r in rows)
    assert f"{ended} geëindigd, {figure.n - ended} op de peildatum nog lopend" in text
    assert {r["toelichting"] for r in rows} <= {"geëindigd", "gecensureerd op de peildatum"}

    # K10oe: declared periods with observed and expected euros adding up to the figure.
    figure = _largest(world, "K10oe", gemeente="regio")
    text = client.get(_url("figure_members", figure.pk)).content.decode()
    assert "Gedeclareerd in de periode (euro)" in text and "Verwacht (euro)" in text
    rows = [r for r in _csv_rows(client, figure) if r["in_teller"] == "ja"]

    def euros(value: str) -> float:
        return float(value.replace(".", "").replace(",", "."))

    assert {r["eenheid"] for r in rows} == {"declaratie"}
    assert abs(sum(euros(r["maat"]) for r in rows) - figure.numerator) < 0.01 * len(rows)
    assert abs(sum(euros(r["verwacht"]) for r in rows) - figure.denominator) < 0.01 * len(rows)


def test_pages_are_paginated_and_bad_page_numbers_fall_back(client, world, monkeypatch):
    from wmo_sla.benchmark import views_drilldown

    monkeypatch.setattr(views_drilldown, "PAGE_SIZE", 5)
    client.force_login(UserFactory(username="cm-page", contractmanager=True))
    url = _url("figure_members", world.figure.pk)
    pages = -(-world.figure.n // 5)
    assert f"Pagina 1 van {pages}" in client.get(url).content.decode()
    second = client.get(url + "?pagina=2").content.decode()
    assert f"Pagina 2 van {pages}" in second and "Eenheden 6–10 van" in second
    assert f"Pagina 1 van {pages}" in client.get(url + "?pagina=x").content.decode()
    assert f"Pagina {pages} van {pages}" in client.get(url + "?pagina=999").content.decode()


def test_provider_sees_only_its_own_figures_trajectories_and_messages(client, world):
    user = UserFactory(username="prov-dd", provider=True, aanbieder=world.own)
    client.force_login(user)
    own = client.get(_url("figure_members", world.figure.pk))
    assert own.status_code == 200
    ref = _first_trajectory_link(own.content.decode(), world.figure)
    assert client.get(_url("trajectory_detail", world.figure.pk, ref)).status_code == 200

    # Another aanbieder's figure, CSV and trajectories: 404, never 403 (no existence leak).
    assert client.get(_url("figure_members", world.other_figure.pk)).status_code == 404
    assert client.get(_url("figure_members_csv", world.other_figure.pk)).status_code == 404
    assert client.get(_url("trajectory_detail", world.other_figure.pk, 0)).status_code == 404
    # A trajectory number beyond the own aanbieder's trajectories: 404.
    own_count = RunUnitFrame.objects.get(
        run=world.run, aanbieder_agb=world.figure.aanbieder_agb, kind="trajectories"
    ).rows
    assert client.get(_url("trajectory_detail", world.figure.pk, own_count)).status_code == 404
    # A message of the other aanbieder through the own trajectory: 404.
    other_agbs = list(world.other.agb_codes.values_list("code", flat=True))
    other_message = RawMessage.objects.filter(afzender__in=other_agbs).first()
    url = _url("message_detail", world.figure.pk, ref, other_message.pk)
    assert client.get(url).status_code == 404
    # A missing figure id: also 404.
    assert client.get(_url("figure_members", 10**9)).status_code == 404
    assert not AuditEvent.objects.filter(actor=user, object_id=str(world.other_figure.pk)).exists()


def test_small_figures_are_for_the_municipality_only(client, world):
    if world.small_figure is None:
        pytest.skip("no own figure with n < 5 in the tiny region")
    user = UserFactory(username="prov-small", provider=True, aanbieder=world.own)
    client.force_login(user)
    page = client.get(_url("figure_members", world.small_figure.pk))
    assert page.status_code == 200
    assert "alleen voor de gemeente zichtbaar" in page.content.decode()
    assert "In teller" not in page.content.decode()
    assert client.get(_url("figure_members_csv", world.small_figure.pk)).status_code == 404
    assert client.get(_url("trajectory_detail", world.small_figure.pk, 0)).status_code == 404
    assert not AuditEvent.objects.filter(actor=user, action="view_client_data").exists()
    cm = UserFactory(username="cm-small", contractmanager=True)
    client.force_login(cm)
    assert (
        "alleen voor de gemeente"
        not in client.get(_url("figure_members", world.small_figure.pk)).content.decode()
    )


def test_roles_without_drilldown_are_refused(client, db):
    figure = FigureFactory()
    url = _url("figure_members", figure.pk)
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory(username="an-dd", analist=True))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(username="bh-dd", beheerder=True))
    assert client.get(url).status_code == 403


def test_a_run_without_stored_units_says_so(client, db):
    figure = FigureFactory()  # a run stored before the drill-down existed: no unit frames
    client.force_login(UserFactory(username="cm-old", contractmanager=True))
    page = client.get(_url("figure_members", figure.pk)).content.decode()
    assert "voordat de herkomst van kengetallen werd bewaard" in page
    assert client.get(_url("figure_members_csv", figure.pk)).status_code == 404
    assert client.get(_url("trajectory_detail", figure.pk, 0)).status_code == 404
