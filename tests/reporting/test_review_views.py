# SPDX-License-Identifier: EUPL-1.2
"""The municipality's reporting pages: status board, export, review (accept / return), per role."""

from __future__ import annotations

import copy
import csv
import io
import re

from django.urls import reverse

import pytest
from openpyxl import load_workbook

from wmo_sla.audit.models import AuditEvent
from wmo_sla.reporting.models import Report, ReportStatus
from wmo_sla.reporting.selectors import return_reason, status_board
from wmo_sla.reporting.services import (
    accept_report,
    save_draft,
    submit_report,
    upload_survey,
)

from .conftest import VALID_OUTFLOW, at, outflow

pytestmark = pytest.mark.django_db

BOARD = reverse("reporting:board")

COMPLAINTS = {
    "geen_klachten": False,
    "klachten": [
        {
            "nummer": "K-2024-07",
            "datum_ontvangen": "2024-03-02",
            "onderwerpen": ["bejegening", "anders"],
            "onderwerp_anders": "Bereikbaarheid",
            "afgehandeld": True,
            "oordeel": "ongegrond",
            "motivatie": "Afspraak was vooraf gemeld",
            "datum_afgehandeld": "2024-04-01",
            "wijze_afhandeling": "Gesprek met teamleider",
            "woonplaats": "Dordrecht",
        }
    ],
}
SURVEY = "agb_code;periode;cijfer\n" + "".join(f"11112222;2024;{7 + i % 3}\n" for i in range(12))


def submitted_outflow(world, content=None, user=None):
    user = user or world.provider
    saved = save_draft(
        actor=user,
        obligation=world.uitstroom,
        aanbieder=user.aanbieder,
        period="2024H1",
        content=copy.deepcopy(content or VALID_OUTFLOW),
    )
    submit_report(actor=user, report=saved.report)
    return Report.objects.get(pk=saved.report.pk)


def page(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- board ---------------------------------------------------------------------------------------


def test_board_per_role(client, world):
    with at(2024, 8, 1):
        submitted_outflow(world)
        for user in (world.cm, world.analist):
            response = page(client, user, BOARD)
            assert response.status_code == 200
            body = text(response)
            assert "Zorg Eigen" in body and "Zorg Ander" in body
        # The analist reads but does not manage: no links to obligations or exemptions.
        assert reverse("reporting:obligation_list") not in body
        cm_body = text(page(client, world.cm, BOARD))
        assert reverse("reporting:obligation_list") in cm_body
        assert page(client, world.provider, BOARD).status_code == 403
        assert page(client, world.provider, reverse("reporting:obligation_list")).status_code == 403
        client.logout()
        assert client.get(BOARD).status_code == 302


def test_board_says_te_laat_vrijgesteld_and_gewijzigd_na_acceptatie_in_words(client, world):
    from wmo_sla.reporting.services import exemption_create

    with at(2024, 8, 1):
        report = submitted_outflow(world)
        accept_report(actor=world.cm, report=report)
        save_draft(
            actor=world.provider,
            obligation=world.uitstroom,
            aanbieder=world.own,
            period="2024H1",
            content=outflow(IB_licht={"doelen_bereikt": 7}, IB_zwaar={"wlz": 2}),
        )
        import datetime as dt

        exemption_create(
            actor=world.cm,
            obligation=world.uitstroom,
            aanbieder=world.other,
            start_date=dt.date(2025, 1, 1),
            end_date=None,
            reason="Nieuwe aanbieder",
        )
    with at(2025, 3, 1):
        response = page(client, world.cm, BOARD, soort="uitstroomredenen")
        body = text(response)
        rows = {
            (c.aanbieder.name, c.period): c.display_status
            for c in response.context["rows"]
            for c in [c.cell]
        }
        assert rows[("Zorg Eigen", "2024H1")] == "gewijzigd_na_acceptatie"
        assert rows[("Zorg Ander", "2024H1")] == "te_laat"
        assert rows[("Zorg Ander", "2024H2")] == "vrijgesteld"
        assert rows[("Zorg Eigen", "2024H2")] == "te_laat"
        assert "Gewijzigd na acceptatie" in body
        assert "Vrijgesteld" in body and "Nieuwe aanbieder" in body
        assert "te laat, nog niet ingediend" in body
        # The count per status says it too.
        counts = {c["key"]: c["count"] for c in response.context["counts"]}
        assert counts["te_laat"] == 2 and counts["vrijgesteld"] == 1
        # Timeliness per aanbieder: own submitted 2024H1 on time, 2024H2 missing.
        timeliness = {t.aanbieder.name: t for t in response.context["timeliness"]}
        assert (timeliness["Zorg Eigen"].on_time, timeliness["Zorg Eigen"].missing) == (1, 1)
        assert timeliness["Zorg Ander"].exempt == 1


def test_board_filters(client, world):
    with at(2025, 3, 1):
        submitted_outflow(world)
        all_rows = page(client, world.cm, BOARD).context["rows"]
        kinds = {r.cell.obligation.kind for r in all_rows}
        # Newest period first, then by soort and aanbieder.
        assert [r.period for r in all_rows][:2] == ["2024H2", "2024H2"]
        assert [r.period for r in all_rows][-1] == "2024H1"
        assert kinds == {"uitstroomredenen", "klachten", "tevredenheid"}
        only = page(client, world.cm, BOARD, soort="klachten").context["rows"]
        assert only and {r.cell.obligation.kind for r in only} == {"klachten"}
        late = page(client, world.cm, BOARD, status="te_laat").context["rows"]
        assert late and {r.status_key for r in late} == {"te_laat"}
        period = page(client, world.cm, BOARD, periode="2024H1").context["rows"]
        assert {(r.aanbieder, r.status_key) for r in period} == {
            ("Zorg Eigen", "ingediend"),
            ("Zorg Ander", "te_laat"),
        }
        # Each cell with a report links to it; one without a report does not link.
        body = text(page(client, world.cm, BOARD, periode="2024H1"))
        report = Report.objects.get()
        assert reverse("reporting:report_detail", args=[report.pk]) in body
        bad = page(client, world.cm, BOARD, status="weg")
        assert bad.status_code == 400
        assert "Kies een status uit de lijst." in text(bad)


def test_export_holds_exactly_the_rows_shown(client, world):
    with at(2025, 3, 1):
        submitted_outflow(world)
        shown = page(client, world.cm, BOARD, soort="uitstroomredenen").context["rows"]
        url = reverse("reporting:board_export", args=["csv"])
        response = page(client, world.cm, url, soort="uitstroomredenen")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert lines[0][:4] == ["Aanbieder", "Contract", "Soort rapportage", "Periode"]
        assert [(row[0], row[3], row[6]) for row in lines[1:]] == [
            (r.aanbieder, r.period, r.status) for r in shown
        ]
        assert ("Zorg Ander", "2024H1", "Te laat") in [(r[0], r[3], r[6]) for r in lines[1:]]
        xlsx = page(
            client,
            world.cm,
            reverse("reporting:board_export", args=["xlsx"]),
            soort="uitstroomredenen",
        )
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        data = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
        assert [(row[0], row[3], row[6]) for row in data] == [
            (r.aanbieder, r.period, r.status) for r in shown
        ]
        events = AuditEvent.objects.filter(
            object_type="reporting.statusoverzicht", action="reports_exported"
        )
        assert events.count() == 2
        assert events.first().extra["rows"] == len(shown)
        assert page(client, world.provider, url).status_code == 403
        assert (
            page(client, world.cm, reverse("reporting:board_export", args=["pdf"])).status_code
            == 404
        )


# --- one report ----------------------------------------------------------------------------------


def test_detail_of_uitstroomredenen_shows_content_check_versions_and_history(client, world):
    with at(2024, 8, 1):
        report = submitted_outflow(world)
        response = page(client, world.cm, reverse("reporting:report_detail", args=[report.pk]))
    assert response.status_code == 200
    body = text(response)
    version = report.versions.get()
    assert "Zorg Eigen" in body and "2024H1" in body and "11-08-2024" in body
    assert version.reference in body
    table = re.search(r'<table[^>]*id="uitstroom-v1".*?</table>', body).group(0)
    assert "IB-licht" in table and "IB-zwaar" in table
    assert "<strong>7</strong>" in table  # IB-licht: 6 doelen bereikt + 1 andere aanbieder
    # No computation covers 2024H1: the stored check says so plainly.
    assert "Controle niet beschikbaar." in body
    assert "Op tijd ingediend" in body
    history = re.search(r'id="geschiedenis-tabel".*?</table>', body).group(0)
    assert "Concept" in history and "Ingediend" in history
    assert "Accepteren" in body and "Terugsturen" in body
    # The receipt (built on the aanbieder's side) opens for the gemeente too.
    receipt = reverse("reporting:receipt_pdf", args=[version.pk])
    assert receipt in body
    client.force_login(world.cm)
    pdf = client.get(receipt)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_detail_of_klachten_shows_every_bijlage_6_field(client, world):
    with at(2024, 10, 15):
        saved = save_draft(
            actor=world.provider,
            obligation=world.klachten,
            aanbieder=world.own,
            period="2024",
            content=copy.deepcopy(COMPLAINTS),
        )
        submit_report(actor=world.provider, report=saved.report)
        body = text(
            page(client, world.cm, reverse("reporting:report_detail", args=[saved.report.pk]))
        )
    table = re.search(r'<table[^>]*id="klachten-v1".*?</table>', body).group(0)
    for value in (
        "K-2024-07",
        "02-03-2024",
        "Bejegening van de cliënt, Anders: Bereikbaarheid",
        "ongegrond",
        "Afspraak was vooraf gemeld",
        "01-04-2024",
        "Gesprek met teamleider",
        "Dordrecht",
    ):
        assert value in table, value


def test_detail_of_tevredenheid_offers_the_file_as_received(client, world):
    with at(2025, 1, 10):
        saved = upload_survey(
            actor=world.provider,
            obligation=world.tevredenheid,
            aanbieder=world.own,
            period="2024",
            data=SURVEY.encode(),
            name="enquete-2024.csv",
        )
        submit_report(actor=world.provider, report=saved.report)
        body = text(
            page(client, world.cm, reverse("reporting:report_detail", args=[saved.report.pk]))
        )
        assert "enquete-2024.csv" in body
        assert re.search(r"Aantal regels</dt><dd>12</dd>", body)
        url = reverse("reporting:version_file", args=[saved.report.pk, 1])
        download = page(client, world.analist, url)
        assert download.status_code == 200
        assert download.content == SURVEY.encode()
        assert page(client, world.provider, url).status_code == 403


def test_accept(client, world):
    with at(2024, 8, 1):
        report = submitted_outflow(world)
        client.force_login(world.cm)
        response = client.post(reverse("reporting:accept", args=[report.pk]), follow=True)
        assert "is geaccepteerd" in text(response)
        report.refresh_from_db()
        assert report.status == ReportStatus.GEACCEPTEERD
        assert report.accepted_version == report.versions.get()
        # Accepting again: the service's Dutch refusal, nothing changes.
        again = client.post(reverse("reporting:accept", args=[report.pk]), follow=True)
        assert "Alleen een ingediende rapportage kan worden beoordeeld" in text(again)
        assert "Accepteren" not in text(again)


def test_return_without_reason_is_an_error_and_changes_nothing(client, world):
    with at(2024, 8, 1):
        report = submitted_outflow(world)
        client.force_login(world.cm)
        response = client.post(reverse("reporting:return", args=[report.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert "Vul de reden in waarom u de rapportage terugstuurt." in text(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.INGEDIEND


def test_return_with_reason_reaches_the_aanbieder(client, world, mailoutbox):
    with at(2024, 8, 1):
        report = submitted_outflow(world)
        client.force_login(world.cm)
        response = client.post(
            reverse("reporting:return", args=[report.pk]),
            {"reason": "IB-zwaar: de Wlz-uitstroom ontbreekt."},
            follow=True,
        )
        assert "is teruggestuurd naar Zorg Eigen" in text(response)
        cells = status_board(user=world.provider, obligations=[world.uitstroom])
    report.refresh_from_db()
    assert report.status == ReportStatus.TERUGGESTUURD
    assert return_reason(report) == "IB-zwaar: de Wlz-uitstroom ontbreekt."
    assert [c.display_status for c in cells if c.period == "2024H1"] == ["teruggestuurd"]


def test_the_analist_sees_everything_but_cannot_act(client, world):
    with at(2024, 8, 1):
        report = submitted_outflow(world)
        body = text(
            page(client, world.analist, reverse("reporting:report_detail", args=[report.pk]))
        )
        assert "IB-licht" in body
        assert "Accepteren" not in body and "Terugsturen" not in body
        assert client.post(reverse("reporting:accept", args=[report.pk])).status_code == 403
        assert (
            client.post(reverse("reporting:return", args=[report.pk]), {"reason": "x"}).status_code
            == 403
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.INGEDIEND


def test_a_provider_gets_403_on_the_review_pages(client, world):
    with at(2024, 8, 1):
        report = submitted_outflow(world)
        client.force_login(world.provider)
        assert client.get(reverse("reporting:report_detail", args=[report.pk])).status_code == 403
        assert client.post(reverse("reporting:accept", args=[report.pk])).status_code == 403


def test_changed_after_acceptance_shows_both_versions_and_the_differences(client, world):
    with at(2024, 8, 1):
        report = submitted_outflow(world)
        accept_report(actor=world.cm, report=report)
        save_draft(
            actor=world.provider,
            obligation=world.uitstroom,
            aanbieder=world.own,
            period="2024H1",
            content=outflow(
                IB_licht={"doelen_bereikt": 8, "andere_aanbieder": 1}, IB_zwaar={"wlz": 2}
            ),
        )
        # A concept correction is mentioned, not shown.
        body = text(page(client, world.cm, reverse("reporting:report_detail", args=[report.pk])))
        assert "De aanbieder werkt aan versie 2" in body
        assert 'id="verschillen"' not in body
        submit_report(actor=world.provider, report=report)
        body = text(page(client, world.cm, reverse("reporting:report_detail", args=[report.pk])))
    assert "Gewijzigd na acceptatie" in body
    diff = re.search(r'id="verschillen".*?</table>', body).group(0)
    assert "1 verschil tussen versie 1 en versie 2" in diff
    assert "IB-licht" in diff and "<del>6</del>" in diff and "<strong>8</strong>" in diff
    assert 'id="uitstroom-v1"' in body and 'id="uitstroom-v2"' in body


def test_board_reads_in_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AanbiederFactory

    def board_queries() -> int:
        client.force_login(world.cm)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(BOARD).status_code == 200
        return len(ctx.captured_queries)

    with at(2025, 3, 1):
        submitted_outflow(world)
        few = board_queries()
        for i in range(5):
            world.contract.aanbieders.add(AanbiederFactory(name=f"Zorg Extra {i}", agb=None))
        many = board_queries()
    assert many == few, (few, many)
