# SPDX-License-Identifier: EUPL-1.2
"""Append-only audit log. Rows are written only by :func:`wmo_sla.audit.services.audit_log`.

The database itself refuses UPDATE and DELETE on this table (triggers in migration 0002), so the log
stays append-only even for code that forgets the rule.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import AuditAction


class AuditEvent(models.Model):
    timestamp = models.DateTimeField(_("tijdstip"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    actor_repr = models.CharField(_("gebruiker (tekst)"), max_length=200, blank=True)
    action = models.CharField(_("actie"), max_length=40, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("soort object"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object-id"), max_length=100, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("wijzigingen (oud → nieuw)"), default=dict, blank=True)
    extra = models.JSONField(_("extra gegevens"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditlog")
        ordering = ["-timestamp", "-id"]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.actor_repr} {self.action}"
