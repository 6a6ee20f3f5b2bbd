# SPDX-License-Identifier: EUPL-1.2
"""``send_report_reminders``: a reminder before the due date and an overdue notice, each once."""

from __future__ import annotations

import copy
import datetime as dt
import io

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from tests.factories import UserFactory
from wmo_sla.reporting.models import ReportReminder
from wmo_sla.reporting.services import (
    exemption_create,
    save_draft,
    send_reminders,
    submit_report,
)

from .conftest import VALID_OUTFLOW, at

pytestmark = pytest.mark.django_db


def run(day, *extra):
    out = io.StringIO()
    call_command("send_report_reminders", f"--datum={day}", *extra, stdout=out)
    return out.getvalue()


def test_reminder_and_overdue_notice_are_sent_once_each(world, mailoutbox):
    obligations = [world.uitstroom]
    # 2024H1 is due 11-08-2024; the reminder window opens 14 days before.
    assert send_reminders(on=dt.date(2024, 7, 27), obligations=obligations) == []
    sent = send_reminders(on=dt.date(2024, 7, 28), obligations=obligations)
    assert {(r.kind, r.aanbieder.name) for r in sent} == {
        ("herinnering", "Zorg Eigen"),
        ("herinnering", "Zorg Ander"),
    }
    own_mail = next(m for m in mailoutbox if "a@eigen.example" in m.to)
    assert sorted(own_mail.to) == ["a@eigen.example", "b@eigen.example"]
    assert "uiterlijk 11-08-2024" in own_mail.subject
    assert "c@ander.example" not in own_mail.to  # never another aanbieder's staff
    # Running again (same day, later day) sends nothing new.
    assert send_reminders(on=dt.date(2024, 7, 28), obligations=obligations) == []
    assert send_reminders(on=dt.date(2024, 8, 11), obligations=obligations) == []
    assert len(mailoutbox) == 2
    # Zorg Eigen submits in time; only Zorg Ander gets the overdue notice, once.
    with at(2024, 8, 5):
        saved = save_draft(
            actor=world.provider,
            obligation=world.uitstroom,
            aanbieder=world.own,
            period="2024H1",
            content=copy.deepcopy(VALID_OUTFLOW),
        )
        submit_report(actor=world.provider, report=saved.report)
    late = send_reminders(on=dt.date(2024, 8, 12), obligations=obligations)
    assert [(r.kind, r.aanbieder.name) for r in late] == [("te_laat", "Zorg Ander")]
    assert mailoutbox[-1].to == ["c@ander.example"]
    assert "te laat" in mailoutbox[-1].subject
    assert send_reminders(on=dt.date(2024, 8, 20), obligations=obligations) == []
    assert ReportReminder.objects.count() == 3


def test_exempt_aanbieders_and_those_without_email_get_nothing(world, mailoutbox):
    exemption_create(
        actor=world.cm,
        obligation=world.uitstroom,
        aanbieder=world.other,
        start_date=dt.date(2024, 1, 1),
        end_date=None,
        reason="Vrijgesteld",
    )
    for user in (world.provider, world.colleague):
        user.email = ""
        user.save()
    assert send_reminders(on=dt.date(2024, 8, 1), obligations=[world.uitstroom]) == []
    assert mailoutbox == []
    assert not ReportReminder.objects.exists()
    # Once an address is known the reminder goes out (the missed one is not lost).
    UserFactory(username="prov-nieuw", provider=True, aanbieder=world.own, email="n@eigen.example")
    sent = send_reminders(on=dt.date(2024, 8, 2), obligations=[world.uitstroom])
    assert [r.recipients for r in sent] == [("n@eigen.example",)]


def test_command_dry_run_sends_and_records_nothing(world, mailoutbox):
    output = run("2024-07-30", "--proef")
    assert "herinnering: Uitstroomredenen 2024H1 (Zorg Eigen, uiterlijk 11-08-2024)" in output
    assert "bericht(en) zou versturen" in output
    assert mailoutbox == [] and not ReportReminder.objects.exists()
    output = run("2024-07-30")
    assert "2 bericht(en) verstuurd." in output
    assert len(mailoutbox) == 2
    assert "0 bericht(en) verstuurd." in run("2024-07-31")


def test_command_rejects_a_bad_date(world):
    with pytest.raises(CommandError, match="geen datum; gebruik jjjj-mm-dd"):
        run("30-07-2024")
