# SPDX-License-Identifier: EUPL-1.2
"""The meeting pack lists the aanbieder's reports about the meeting's period (page and PDF): what,
which period, the status in words, when submitted with its reference, on time or late, and the
reason of a return. Scoped like the status board."""

from __future__ import annotations

import copy
import datetime as dt
import re

from django.test import Client
from django.urls import reverse

import pytest

from tests.dialogue.test_pdf import _page_text
from wmo_sla.dialogue import services as dialogue_services
from wmo_sla.dialogue.selectors import meeting_pack
from wmo_sla.reporting.selectors import reports_for_meeting
from wmo_sla.reporting.services import (
    accept_report,
    return_report,
    save_draft,
    submit_report,
)

from .conftest import AMS, VALID_OUTFLOW

pytestmark = pytest.mark.django_db

COMPLAINTS = {
    "geen_klachten": False,
    "klachten": [
        {
            "nummer": "K-2024-01",
            "datum_ontvangen": "2024-03-02",
            "onderwerpen": ["bejegening"],
            "onderwerp_anders": "",
            "afgehandeld": True,
            "oordeel": "gegrond",
            "motivatie": "",
            "datum_afgehandeld": "2024-04-01",
            "wijze_afhandeling": "Gesprek en excuses",
            "woonplaats": "Dordrecht",
        }
    ],
}
RETURN_REASON = "De Wlz-uitstroom ontbreekt in IB-zwaar."


def moment(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=AMS)


@pytest.fixture
def history(world):
    """Own: uitstroomredenen 2024H1 accepted, 2024H2 submitted late and returned; klachten 2024
    accepted; tevredenheid 2024 never submitted. Other: uitstroomredenen 2024H2 submitted."""
    h1 = save_draft(
        actor=world.provider,
        obligation=world.uitstroom,
        aanbieder=world.own,
        period="2024H1",
        content=copy.deepcopy(VALID_OUTFLOW),
        at=moment(2024, 7, 20),
    ).report
    h1_sent = submit_report(actor=world.provider, report=h1, at=moment(2024, 8, 1))
    accept_report(actor=world.cm, report=h1, at=moment(2024, 8, 10))
    h2 = save_draft(
        actor=world.provider,
        obligation=world.uitstroom,
        aanbieder=world.own,
        period="2024H2",
        content=copy.deepcopy(VALID_OUTFLOW),
        at=moment(2025, 2, 20),
    ).report
    h2_sent = submit_report(actor=world.provider, report=h2, at=moment(2025, 2, 24, 14))
    return_report(actor=world.cm, report=h2, reason=RETURN_REASON, at=moment(2025, 3, 3))
    klachten = save_draft(
        actor=world.provider,
        obligation=world.klachten,
        aanbieder=world.own,
        period="2024",
        content=copy.deepcopy(COMPLAINTS),
        at=moment(2024, 10, 15),
    ).report
    submit_report(actor=world.provider, report=klachten, at=moment(2024, 10, 16))
    accept_report(actor=world.cm, report=klachten, at=moment(2024, 10, 30))
    other = save_draft(
        actor=world.other_provider,
        obligation=world.uitstroom,
        aanbieder=world.other,
        period="2024H2",
        content=copy.deepcopy(VALID_OUTFLOW),
        at=moment(2025, 2, 1),
    ).report
    other_sent = submit_report(actor=world.other_provider, report=other, at=moment(2025, 2, 2))
    return {"h1": h1_sent, "h2": h2_sent, "other": other_sent}


def gesprek(world, aanbieder, period: str):
    return dialogue_services.gesprek_plan(
        actor=world.cm, aanbieder=aanbieder, period=period, date=dt.date(2025, 4, 1), deelnemers=""
    )


def rows_of(pack_reports):
    return {(r.cell.obligation.kind, r.cell.period): r for r in pack_reports}


def test_the_pack_lists_the_reports_about_the_meeting_period(world, history):
    pack = meeting_pack(user=world.cm, gesprek=gesprek(world, world.own, "2024Q4"))
    assert pack.reports_available
    rows = rows_of(pack.reports)
    # 2024Q4 lies in 2024H2 and in 2024; 2024H2 was submitted, so 2024H1 is not repeated.
    assert [(r.cell.obligation.kind, r.cell.period) for r in pack.reports] == [
        ("uitstroomredenen", "2024H2"),
        ("klachten", "2024"),
        ("tevredenheid", "2024"),
    ]
    assert set(rows) == {
        ("uitstroomredenen", "2024H2"),
        ("klachten", "2024"),
        ("tevredenheid", "2024"),
    }
    h2 = rows[("uitstroomredenen", "2024H2")]
    assert h2.title == "Uitstroomredenen (IB)"
    assert str(h2.cell.display_label) == "Teruggestuurd"
    assert h2.submitted_at == moment(2025, 2, 24, 14)
    assert h2.reference == history["h2"].reference
    assert h2.cell.submitted_late  # due 11-02-2025
    assert h2.return_reason == RETURN_REASON
    klachten = rows[("klachten", "2024")]
    assert str(klachten.cell.display_label) == "Geaccepteerd"
    assert not klachten.cell.submitted_late and klachten.return_reason == ""
    survey = rows[("tevredenheid", "2024")]
    assert survey.submitted_at is None and survey.cell.is_late  # due 31-03-2025, never sent


def test_before_a_report_is_submitted_the_last_submitted_one_is_shown(world, history):
    pack = meeting_pack(user=world.cm, gesprek=gesprek(world, world.own, "2024Q3"))
    rows = rows_of(pack.reports)
    assert ("uitstroomredenen", "2024H1") not in rows  # 2024H2 overlaps and was submitted
    # A meeting about a quarter of 2025: the half year 2025H1 was never submitted, so the pack
    # also shows the last one that was (2024H2).
    rows = rows_of(meeting_pack(user=world.cm, gesprek=gesprek(world, world.own, "2025Q1")).reports)
    assert ("uitstroomredenen", "2025H1") in rows
    assert rows[("uitstroomredenen", "2024H2")].reference == history["h2"].reference
    assert ("uitstroomredenen", "2024H1") not in rows


def test_scope_follows_the_status_board(world, history):
    # The aanbieder sees its own reports; never another aanbieder's.
    available, rows = reports_for_meeting(
        user=world.provider, aanbieder_id=world.own.pk, period="2024Q4"
    )
    assert available and {r.cell.aanbieder for r in rows} == {world.own}
    assert reports_for_meeting(
        user=world.other_provider, aanbieder_id=world.own.pk, period="2024Q4"
    ) == (False, [])
    available, rows = reports_for_meeting(
        user=world.provider, aanbieder_id=world.other.pk, period="2024Q4"
    )
    assert (available, rows) == (False, [])
    # The analist sees every aanbieder (VIEW_ALL_AANBIEDERS).
    _available, rows = reports_for_meeting(
        user=world.analist, aanbieder_id=world.other.pk, period="2024Q4"
    )
    assert rows_of(rows)[("uitstroomredenen", "2024H2")].reference == history["other"].reference


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_pack_page_and_pdf_show_the_reports_table(world, history):
    meeting = gesprek(world, world.own, "2024Q4")
    client = Client()
    client.force_login(world.cm)
    html = client.get(reverse("dialogue:gesprek_detail", args=[meeting.pk])).content.decode()
    section = html[html.index('id="rapportages"') :]
    section = section[: section.index("</table>")]
    assert "<caption" in section and '<th scope="col"' in section and '<th scope="row"' in section
    text = _text(section)
    assert "Uitstroomredenen (IB)" in text and "2024H2" in text and "Teruggestuurd" in text
    assert f"24-2-2025 14:00, kenmerk {history['h2'].reference}" in text
    assert "te laat (uiterlijk 11-2-2025)" in text
    assert RETURN_REASON in text
    assert "te laat, nog niet ingediend (uiterlijk 31-3-2025)" in text
    assert history["other"].reference not in html

    pdf = client.get(reverse("dialogue:gesprek_pdf", args=[meeting.pk]))
    assert pdf.status_code == 200
    pdf_text = _page_text(pdf.content)
    assert "Rapportages van de aanbieder" in pdf_text
    # The PDF may break a reference at its hyphen.
    assert history["h2"].reference in pdf_text.replace(" ", "")
    assert "Teruggestuurd" in pdf_text


def test_without_obligations_the_pack_says_so(world):
    from tests.factories import AanbiederFactory

    stranger = AanbiederFactory(name="Zonder Contract", agb=None)
    meeting = gesprek(world, stranger, "2024Q4")
    pack = meeting_pack(user=world.cm, gesprek=meeting)
    assert (pack.reports_available, pack.reports) == (False, [])
    client = Client()
    client.force_login(world.cm)
    html = client.get(reverse("dialogue:gesprek_detail", args=[meeting.pk])).content.decode()
    assert "geen rapportageverplichtingen" in html
