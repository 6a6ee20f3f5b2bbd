# SPDX-License-Identifier: EUPL-1.2
"""The municipality's obligation and exemption pages, and ``services.obligation_update``."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

import pytest

from tests.factories import AanbiederFactory, ContractFactory
from wmo_sla.audit.models import AuditEvent
from wmo_sla.reporting.models import Exemption, ReportingObligation
from wmo_sla.reporting.selectors import next_due_dates, status_board
from wmo_sla.reporting.services import ReportingError, obligation_update, save_draft

from .conftest import VALID_OUTFLOW, at

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_obligation_list_shows_the_next_due_dates(client, world):
    with at(2026, 11, 25):
        client.force_login(world.cm)
        body = text(client.get(reverse("reporting:obligation_list")))
    # Uitstroomredenen 42 days after the half year: 2026H2 → 11-02-2027.
    assert "2026H2: 11-02-2027" in body
    # Klachten before 1 December: 2026 → 30-11-2026 (today or later counts).
    assert "2026: 30-11-2026" in body
    assert next_due_dates(world.uitstroom, on=dt.date(2026, 11, 25))[0] == (
        "2026H2",
        dt.date(2027, 2, 11),
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"period_type": "H", "due_rule": "na_periode"},
            "due_days",
            "Vul het aantal dagen na afloop van de periode in.",
        ),
        (
            {"period_type": "H", "due_rule": "vaste_datum", "due_day": "30", "due_month": "11"},
            "due_rule",
            "Een vaste datum past alleen bij een jaarrapportage",
        ),
        (
            {"period_type": "Y", "due_rule": "vaste_datum", "due_day": "31", "due_month": "2"},
            "due_day",
            "31-2 is geen datum die elk jaar bestaat.",
        ),
        (
            {"period_type": "Y", "due_rule": "vaste_datum", "due_month": "11"},
            "due_day",
            "Vul de dag van de vaste datum in.",
        ),
        (
            {"period_type": "Y", "due_rule": "na_periode", "due_days": "-3"},
            "due_days",
            "Vul een getal van 0 of meer in.",
        ),
    ],
)
def test_obligation_create_with_a_bad_due_rule_is_a_field_error(
    client, world, data, field, message
):
    contract = ContractFactory(code="BW")
    client.force_login(world.cm)
    post = {
        "contract": contract.pk,
        "kind": "klachten",
        "first_period": "2026" if data["period_type"] == "Y" else "2026H1",
        **data,
    }
    response = client.post(reverse("reporting:obligation_create"), post)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    # The error summary links to the field.
    assert f'href="#id_{field}"' in text(response)
    assert not ReportingObligation.objects.filter(contract=contract).exists()


def test_obligation_create_and_edit(client, world):
    contract = ContractFactory(code="BW")
    client.force_login(world.cm)
    response = client.post(
        reverse("reporting:obligation_create"),
        {
            "contract": contract.pk,
            "kind": "klachten",
            "period_type": "Y",
            "first_period": "2026",
            "due_rule": "vaste_datum",
            "due_day": "30",
            "due_month": "11",
            "due_days": "99",  # belongs to the other rule: ignored
            "open_days_before_due": "61",
        },
        follow=True,
    )
    assert "is vastgelegd" in text(response)
    obligation = ReportingObligation.objects.get(contract=contract)
    assert (obligation.due_day, obligation.due_month, obligation.due_days) == (30, 11, None)
    assert obligation.reminder_days == 14 and obligation.tolerance_pct == 10
    # The same kind twice for one contract: the service's message on the form.
    again = client.post(
        reverse("reporting:obligation_create"),
        {
            "contract": contract.pk,
            "kind": "klachten",
            "period_type": "Y",
            "first_period": "2026",
            "due_rule": "na_periode",
            "due_days": "30",
        },
    )
    assert again.status_code == 400
    assert "Dit contract heeft al een verplichting voor Klachtenrapportage." in text(again)

    edit = reverse("reporting:obligation_edit", args=[obligation.pk])
    assert 'name="kind"' not in text(client.get(edit))
    response = client.post(
        edit,
        {"due_rule": "na_periode", "due_days": "45", "reminder_days": "10", "last_period": ""},
        follow=True,
    )
    assert "is gewijzigd" in text(response)
    obligation.refresh_from_db()
    assert (obligation.due_rule, obligation.due_days, obligation.due_day) == (
        "na_periode",
        45,
        None,
    )
    event = AuditEvent.objects.filter(extra__event="rapportageverplichting_gewijzigd").get()
    assert event.changes["due_days"] == [None, 45]
    assert event.changes["due_rule"] == ["vaste_datum", "na_periode"]


def test_obligation_update_refuses_a_last_period_before_an_existing_report(world):
    with at(2025, 1, 20):
        save_draft(
            actor=world.provider,
            obligation=world.uitstroom,
            aanbieder=world.own,
            period="2024H2",
            content=VALID_OUTFLOW,
        )
        with pytest.raises(ReportingError, match="Er is al een rapportage over 2024H2"):
            obligation_update(actor=world.cm, obligation=world.uitstroom, last_period="2024H1")
        with pytest.raises(ReportingError, match="niet wijzigen: kind"):
            obligation_update(actor=world.cm, obligation=world.uitstroom, kind="klachten")
        with pytest.raises(ReportingError, match="Alleen de gemeente"):
            obligation_update(actor=world.analist, obligation=world.uitstroom, due_days=50)


def test_exemption_create_and_revoke(client, world):
    """Exemption for one aanbieder: the board says vrijgesteld; after revoking, later periods are
    due again while periods already passed stay exempt."""
    client.force_login(world.cm)
    with at(2025, 1, 5):
        url = reverse("reporting:exemption_create") + f"?verplichting={world.uitstroom.pk}"
        form_page = text(client.get(url))
        assert "Zorg Eigen" in form_page and "Zorg Ander" in form_page
        stranger = AanbiederFactory(name="Zorg Vreemd", agb=None)
        assert "Zorg Vreemd" not in form_page
        refused = client.post(
            url, {"aanbieder": stranger.pk, "start_date": "2025-01-01", "reason": "x"}
        )
        assert refused.status_code == 400
        assert "Kies een aanbieder van dit contract." in text(refused)
        response = client.post(
            url,
            {"aanbieder": world.other.pk, "start_date": "01-01-2025", "reason": "Overname"},
            follow=True,
        )
        assert "De vrijstelling voor Zorg Ander is verleend" in text(response)
    exemption = Exemption.objects.get()
    assert AuditEvent.objects.filter(extra__event="vrijstelling_verleend").count() == 1
    with at(2025, 3, 1):
        cells = status_board(user=world.cm, obligations=[world.uitstroom])
        assert {c.period: c.display_status for c in cells if c.aanbieder == world.other} == {
            "2024H1": "te_laat",  # due 11-08-2024, before the exemption started
            "2024H2": "vrijgesteld",
        }
        body = text(client.get(reverse("reporting:exemption_list")))
        assert "Overname" in body and "Actief" in body
        revoke = reverse("reporting:exemption_revoke", args=[exemption.pk])
        empty = client.post(revoke, {"reason": ""})
        assert empty.status_code == 400
        assert "Vul de reden van de intrekking in." in text(empty)
        response = client.post(revoke, {"reason": "Overname gaat niet door"}, follow=True)
        assert "De vrijstelling is ingetrokken." in text(response)
        assert AuditEvent.objects.filter(extra__event="vrijstelling_ingetrokken").count() == 1
        assert "Ingetrokken" in text(client.get(reverse("reporting:exemption_list")))
    with at(2025, 9, 1):
        cells = status_board(user=world.cm, obligations=[world.uitstroom])
        board = {c.period: c.display_status for c in cells if c.aanbieder == world.other}
        # 2024H2 was due before the revocation: stays exempt. 2025H1 (due 11-08-2025): late.
        assert board["2024H2"] == "vrijgesteld"
        assert board["2025H1"] == "te_laat"
        client.force_login(world.cm)
        page = text(client.get(reverse("reporting:board"), {"periode": "2025H1"}))
        assert "Vrijgesteld" not in re.search(r'id="statusoverzicht".*?</table>', page).group(0)


def test_generic_exemption_and_the_obligation_choice_step(client, world):
    client.force_login(world.cm)
    with at(2025, 1, 5):
        choose = client.get(reverse("reporting:exemption_create"))
        assert choose.status_code == 200 and 'name="verplichting"' in text(choose)
        bad = client.get(reverse("reporting:exemption_create"), {"verplichting": "999999"})
        assert bad.status_code == 400
        url = reverse("reporting:exemption_create") + f"?verplichting={world.klachten.pk}"
        client.post(url, {"aanbieder": "", "start_date": "2025-01-01", "reason": "Pilotjaar"})
    with at(2025, 12, 10):
        cells = status_board(user=world.cm, obligations=[world.klachten])
    assert {c.display_status for c in cells if c.period == "2025"} == {"vrijgesteld"}


def test_obligation_and_exemption_pages_are_for_the_contractmanager_only(client, world):
    exemption = Exemption.objects.create(
        obligation=world.uitstroom,
        aanbieder=world.other,
        start_date=dt.date(2025, 1, 1),
        reason="x",
        created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )
    urls = [
        reverse("reporting:obligation_list"),
        reverse("reporting:obligation_create"),
        reverse("reporting:obligation_edit", args=[world.uitstroom.pk]),
        reverse("reporting:exemption_list"),
        reverse("reporting:exemption_create"),
        reverse("reporting:exemption_revoke", args=[exemption.pk]),
    ]
    for user in (world.analist, world.provider):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [403] * len(urls)
    client.force_login(world.analist)
    response = client.post(urls[-1], {"reason": "weg"})
    assert response.status_code == 403
    exemption.refresh_from_db()
    assert exemption.revoked_at is None
