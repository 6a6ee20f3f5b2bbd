# SPDX-License-Identifier: EUPL-1.2
"""Replaying history (the demo): the services take ``at=``, the moment a write is recorded as
happening. Timeliness, the status history and the "is it open" rules follow ``at``; the audit log
keeps the real time."""

from __future__ import annotations

import copy
import datetime as dt
import re

from django.utils import timezone

import pytest

from wmo_sla.audit.models import AuditEvent
from wmo_sla.reporting.models import ReportEvent, ReportStatus
from wmo_sla.reporting.selectors import status_board
from wmo_sla.reporting.services import (
    ReportingError,
    accept_report,
    exemption_create,
    exemption_revoke,
    obligation_create,
    return_report,
    save_draft,
    submit_report,
)

from .conftest import AMS, VALID_OUTFLOW

pytestmark = pytest.mark.django_db


def moment(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=AMS)


def draft(world, period: str = "2024H1", at: dt.datetime | None = None):
    return save_draft(
        actor=world.provider,
        obligation=world.uitstroom,
        aanbieder=world.own,
        period=period,
        content=copy.deepcopy(VALID_OUTFLOW),
        at=at,
    )


def cell_of(world, period: str):
    cells = status_board(user=world.cm, obligations=[world.uitstroom], aanbieder_id=world.own.pk)
    return next(c for c in cells if c.period == period)


def test_submitting_before_the_due_date_is_on_time(world):
    # 2024H1 is due 11-08-2024 (42 days after the half year).
    saved = draft(world, at=moment(2024, 7, 20))
    result = submit_report(actor=world.provider, report=saved.report, at=moment(2024, 8, 9))
    assert result.submitted_at == moment(2024, 8, 9)
    assert re.fullmatch(r"RAP-2024-\w{8}", result.reference)
    cell = cell_of(world, "2024H1")
    assert cell.report.first_submitted_at == moment(2024, 8, 9)
    assert cell.submitted_late is False
    assert cell.display_status == ReportStatus.INGEDIEND


def test_submitting_after_the_due_date_is_late(world):
    saved = draft(world, at=moment(2024, 8, 20))
    submit_report(actor=world.provider, report=saved.report, at=moment(2024, 9, 2))
    cell = cell_of(world, "2024H1")
    assert cell.submitted_late is True
    # Without ``at`` the same submission today would also be late; the replayed one is dated.
    assert timezone.localdate(cell.report.last_submitted_at) == dt.date(2024, 9, 2)


def test_history_events_carry_the_replayed_moment_and_the_audit_log_the_real_time(world):
    before = timezone.now()
    saved = draft(world, at=moment(2024, 7, 20))
    submit_report(actor=world.provider, report=saved.report, at=moment(2024, 8, 1))
    return_report(
        actor=world.cm, report=saved.report, reason="Tel de Wlz mee.", at=moment(2024, 8, 5)
    )
    draft(world, at=moment(2024, 8, 6))
    submit_report(actor=world.provider, report=saved.report, at=moment(2024, 8, 7))
    accept_report(actor=world.cm, report=saved.report, at=moment(2024, 8, 12))

    events = list(ReportEvent.objects.filter(report=saved.report).order_by("id"))
    assert [(e.to_status, e.timestamp) for e in events] == [
        (ReportStatus.CONCEPT, moment(2024, 7, 20)),
        (ReportStatus.INGEDIEND, moment(2024, 8, 1)),
        (ReportStatus.TERUGGESTUURD, moment(2024, 8, 5)),
        (ReportStatus.CONCEPT, moment(2024, 8, 6)),
        (ReportStatus.INGEDIEND, moment(2024, 8, 7)),
        (ReportStatus.GEACCEPTEERD, moment(2024, 8, 12)),
    ]
    versions = list(saved.report.versions.order_by("number"))
    assert [(v.created_at, v.saved_at, v.submitted_at) for v in versions] == [
        (moment(2024, 7, 20), moment(2024, 7, 20), moment(2024, 8, 1)),
        (moment(2024, 8, 6), moment(2024, 8, 6), moment(2024, 8, 7)),
    ]
    saved.report.refresh_from_db()
    assert saved.report.created_at == moment(2024, 7, 20)
    assert saved.report.first_submitted_at == moment(2024, 8, 1)
    assert saved.report.last_submitted_at == moment(2024, 8, 7)
    # The audit log says when the write really happened.
    status_events = AuditEvent.objects.filter(extra__event="rapportage_status")
    assert status_events.count() == 6
    assert all(e.timestamp >= before for e in status_events)


def test_a_period_not_yet_open_at_the_moment_is_refused(world):
    # 2024H2 opens on 01-01-2025; today it is open, on 15-12-2024 it was not.
    with pytest.raises(ReportingError, match=r"nog niet aan de beurt.*01-01-2025"):
        draft(world, period="2024H2", at=moment(2024, 12, 15))
    saved = draft(world, period="2024H2", at=moment(2025, 1, 3))
    with pytest.raises(ReportingError, match="nog niet aan de beurt"):
        submit_report(actor=world.provider, report=saved.report, at=moment(2024, 12, 31))
    assert saved.report.versions.get().submitted_at is None


def test_an_exemption_granted_and_revoked_at_a_moment(world):
    granted = exemption_create(
        actor=world.cm,
        obligation=world.klachten,
        aanbieder=world.own,
        start_date=dt.date(2024, 1, 1),
        end_date=None,
        reason="Kleine aanbieder",
        at=moment(2024, 2, 1),
    )
    assert granted.created_at == moment(2024, 2, 1)
    revoked = exemption_revoke(
        actor=world.cm, exemption=granted, reason="Groeit", at=moment(2025, 6, 1)
    )
    assert revoked.revoked_at == moment(2025, 6, 1)
    cells = {
        c.period: c
        for c in status_board(
            user=world.cm, obligations=[world.klachten], aanbieder_id=world.own.pk
        )
    }
    # 2024 (due 30-11-2024) stays exempt; 2025 (due after the revocation) must be reported again.
    assert cells["2024"].exemption == granted
    assert cells["2025"].exemption is None


def test_an_obligation_created_at_a_moment(world):
    from tests.factories import ContractFactory

    obligation = obligation_create(
        actor=world.cm,
        contract=ContractFactory(code="BW"),
        kind="klachten",
        period_type="Y",
        first_period="2023",
        due_rule="vaste_datum",
        due_month=11,
        due_day=30,
        at=moment(2023, 1, 2),
    )
    assert obligation.created_at == moment(2023, 1, 2)


def test_without_at_the_services_use_now(world):
    before = timezone.now()
    saved = draft(world)
    assert saved.saved_at >= before
    assert saved.report.events.get().timestamp >= before
