# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class User(AbstractUser):
    """A person using wmo-sla. An aanbieder-gebruiker is bound to exactly one aanbieder."""

    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    aanbieder = models.ForeignKey(
        "contracts.Aanbieder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("aanbieder"),
        help_text=_("Alleen voor aanbieder-gebruikers: de organisatie waarvoor zij werken."),
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(role=Role.AANBIEDER) & models.Q(aanbieder__isnull=False))
                | (~models.Q(role=Role.AANBIEDER) & models.Q(aanbieder__isnull=True)),
                name="user_aanbieder_iff_provider_role",
                violation_error_message=_(
                    "Een aanbieder-gebruiker hoort bij precies één aanbieder; "
                    "andere rollen horen bij geen aanbieder."
                ),
            ),
        ]

    @property
    def is_provider_user(self) -> bool:
        return self.role == Role.AANBIEDER
