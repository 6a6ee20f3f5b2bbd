# SPDX-License-Identifier: EUPL-1.2
"""Master data is edited in the Django admin by the right roles, and every change is audited."""

from __future__ import annotations

import pytest
from tests.factories import GemeenteFactory, NormFactory

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.models import AuditEvent
from wmo_sla.contracts.models import Gemeente

pytestmark = pytest.mark.django_db


def test_contractmanager_changes_a_gemeente_and_the_change_is_audited(client, contractmanager):
    gemeente = GemeenteFactory(cbs_code="0505", name="Dordrecht")
    client.force_login(contractmanager)
    response = client.post(
        f"/admin/contracts/gemeente/{gemeente.pk}/change/",
        {"cbs_code": "0505", "name": "Gemeente Dordrecht"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    gemeente.refresh_from_db()
    assert gemeente.name == "Gemeente Dordrecht"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="contracts.gemeente")
    assert event.actor == contractmanager
    assert event.changes == {"name": ["Dordrecht", "Gemeente Dordrecht"]}


def test_admin_delete_is_audited_with_old_values(client, contractmanager):
    gemeente = GemeenteFactory(cbs_code="0482", name="Alblasserdam")
    client.force_login(contractmanager)
    response = client.post(f"/admin/contracts/gemeente/{gemeente.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Gemeente.objects.filter(pk=gemeente.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.changes["name"] == ["Alblasserdam", None]


def test_norms_are_edited_by_contractmanager_only(client, contractmanager, beheerder):
    norm = NormFactory()
    client.force_login(beheerder)
    assert client.get(f"/admin/contracts/norm/{norm.pk}/change/").status_code in (200, 403)
    response = client.post(
        f"/admin/contracts/norm/{norm.pk}/change/",
        {
            "kpi_code": "K8",
            "referentiegroep": norm.referentiegroep_id,
            "year": 2024,
            "kind": "contract",
            "value": "0.2",
            "direction": "max",
            "status": "vastgesteld",
        },
    )
    assert response.status_code == 403
    norm.refresh_from_db()
    assert str(norm.value) == "0.1000"


def test_analist_and_provider_have_no_admin(client, analist, provider_user):
    for user in (analist, provider_user):
        client.force_login(user)
        response = client.get("/admin/contracts/gemeente/")
        assert response.status_code == 302  # not staff: sent to the login page
        assert "/inloggen/" in response["Location"] or "login" in response["Location"]
