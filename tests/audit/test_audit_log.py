# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django.db import DatabaseError, transaction

import pytest
from tests.conftest import set_audit_append_only
from tests.factories import GemeenteFactory

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.models import AuditEvent
from wmo_sla.audit.services import audit_log

pytestmark = pytest.mark.django_db


def test_audit_log_records_who_what_and_old_new(contractmanager):
    gemeente = GemeenteFactory(name="Dordrecht", cbs_code="0505")
    event = audit_log(
        action=AuditAction.UPDATE,
        actor=contractmanager,
        obj=gemeente,
        changes={"name": ["Dordrecht", "Dordrecht (gewijzigd)"]},
    )
    assert event.actor_repr == "cm"
    assert event.object_type == "contracts.gemeente"
    assert event.object_id == str(gemeente.pk)
    assert event.changes == {"name": ["Dordrecht", "Dordrecht (gewijzigd)"]}


def test_audit_log_cannot_be_changed_or_deleted(contractmanager):
    set_audit_append_only(True)
    event = audit_log(action=AuditAction.LOGIN, actor=contractmanager)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.LOGOUT)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.LOGIN


def test_admin_audit_log_is_read_only_and_only_for_beheerder(client, beheerder, contractmanager):
    audit_log(action=AuditAction.LOGIN, actor=contractmanager)
    client.force_login(contractmanager)
    assert client.get("/admin/audit/auditevent/").status_code == 403
    client.logout()
    client.force_login(beheerder)
    listing = client.get("/admin/audit/auditevent/")
    assert listing.status_code == 200
    assert "cm" in listing.content.decode()
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    event = AuditEvent.objects.first()
    delete = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
