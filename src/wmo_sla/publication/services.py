# SPDX-License-Identifier: EUPL-1.2
"""Writes of the publication settings (audit-logged)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log
from wmo_sla.contracts.models import Contract

from .models import Publication


@transaction.atomic
def save_publication(
    *,
    contract: Contract,
    enabled: bool,
    kpi_codes: list[str],
    periods: list[str],
    actor: Any,
    request: HttpRequest | None = None,
) -> Publication:
    """Set what ``contract`` publishes; one audit event with the old and new values."""
    publication, _created = Publication.objects.select_for_update().get_or_create(contract=contract)
    new = {"enabled": enabled, "kpi_codes": list(kpi_codes), "periods": sorted(periods)}
    changes = {
        field: [getattr(publication, field), value]
        for field, value in new.items()
        if getattr(publication, field) != value
    }
    if not changes and not _created:
        return publication
    for field, value in new.items():
        setattr(publication, field, value)
    publication.updated_at = timezone.now()
    publication.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    publication.save()
    audit_log(
        action=AuditAction.PUBLICATION_CHANGED,
        actor=actor,
        request=request,
        obj=publication,
        object_repr=f"publicatie {contract.code}",
        changes=changes,
    )
    return publication
