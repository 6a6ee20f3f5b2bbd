# SPDX-License-Identifier: EUPL-1.2
"""The reporting models in the admin: the functioneel beheerder reads, nobody writes there."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from wmo_sla.reporting.services import save_draft, submit_report

from .conftest import VALID_OUTFLOW, at

pytestmark = pytest.mark.django_db


def test_beheerder_reads_reports_in_the_admin_but_cannot_change_them(client, world):
    with at(2024, 8, 1):
        saved = save_draft(
            actor=world.provider,
            obligation=world.uitstroom,
            aanbieder=world.own,
            period="2024H1",
            content=VALID_OUTFLOW,
        )
        submit_report(actor=world.provider, report=saved.report)
    beheerder = UserFactory(username="fb-rap", beheerder=True, is_staff=True)
    client.force_login(beheerder)
    base = "/admin/reporting/"
    listing = client.get(f"{base}report/")
    assert listing.status_code == 200
    assert "Zorg Eigen" in listing.content.decode()
    detail = client.get(f"{base}report/{saved.report.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    version = client.get(f"{base}reportversion/{saved.version.pk}/change/")
    assert version.status_code == 200
    for model in ("report", "reportversion", "reportingobligation", "exemption"):
        assert client.get(f"{base}{model}/add/").status_code == 403
    assert (
        client.post(f"{base}report/{saved.report.pk}/delete/", {"post": "yes"}).status_code == 403
    )
