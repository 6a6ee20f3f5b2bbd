# SPDX-License-Identifier: EUPL-1.2
"""Abstract building blocks shared by apps (no tables of their own)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class StatusEvent(models.Model):
    """One append-only row of a status history: who changed the status, and when.

    A concrete history names the row it belongs to in :attr:`parent_field` (a foreign key it
    declares) and declares ``from_status`` (blank for the first row) and ``to_status``, sized to
    its statuses. :func:`wmo_sla.core.status.record_status_change` writes these rows.
    """

    parent_field: ClassVar[str]
    from_status: str
    to_status: str

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    timestamp = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["timestamp", "id"]

    def __str__(self) -> str:
        parent_id = getattr(self, f"{self.parent_field}_id")
        return f"{parent_id}: {self.from_status} → {self.to_status}"
