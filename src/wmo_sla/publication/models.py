# SPDX-License-Identifier: EUPL-1.2
"""What a contract publishes on the public page (opt-in per contract)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Publication(models.Model):
    """The public page of one contract: on or off, which figure codes and which periods.

    Changes go through :func:`wmo_sla.publication.services.save_publication` (audit-logged).
    """

    contract = models.OneToOneField(
        "contracts.Contract",
        on_delete=models.CASCADE,
        related_name="publication",
        verbose_name=_("contract"),
    )
    enabled = models.BooleanField(_("gepubliceerd"), default=False)
    kpi_codes = models.JSONField(_("kengetallen"), default=list, blank=True)
    periods = models.JSONField(_("perioden"), default=list, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )

    class Meta:
        verbose_name = _("publicatie")
        verbose_name_plural = _("publicaties")
        ordering = ["contract__code"]

    def __str__(self) -> str:
        return f"{self.contract.code}: {'aan' if self.enabled else 'uit'}"

    @property
    def is_public(self) -> bool:
        return bool(self.enabled and self.kpi_codes and self.periods)
