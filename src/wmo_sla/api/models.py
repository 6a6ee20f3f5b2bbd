# SPDX-License-Identifier: EUPL-1.2
"""API tokens with which an aanbieder's own systems use the reporting API.

Only a SHA-256 hash of the secret is stored; the secret is shown once, at creation. A token acts
for one aanbieder-gebruiker and is bound to that user's aanbieder at creation: every request checks
that the user still belongs to it (see ``authentication.py``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenState(models.TextChoices):
    ACTIVE = "actief", _("Actief")
    EXPIRED = "verlopen", _("Verlopen")
    REVOKED = "ingetrokken", _("Ingetrokken")


class ApiToken(models.Model):
    name = models.CharField(_("naam"), max_length=100)
    description = models.TextField(_("omschrijving"), blank=True)
    # The public, recognisable part of the secret (``wsla_<prefix>_…``); unique.
    prefix = models.CharField(_("herkenningscode"), max_length=12, unique=True)
    # SHA-256 (hex) of the whole secret: the secret itself is never stored.
    key_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("handelt namens"),
    )
    aanbieder = models.ForeignKey(
        "contracts.Aanbieder",
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("aanbieder"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    expires_on = models.DateField(
        _("geldig tot en met"), null=True, blank=True, help_text=_("Leeg: geen einddatum.")
    )
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingetrokken door"),
    )

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["aanbieder", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} (wsla_{self.prefix}_…)"

    @property
    def display_prefix(self) -> str:
        return f"wsla_{self.prefix}_…"

    def is_expired(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.expires_on is not None and on > self.expires_on

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.is_expired():
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    @property
    def state_label(self) -> str:
        return str(TokenState(self.state).label)
