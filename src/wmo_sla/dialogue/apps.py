# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "wmo_sla.dialogue"
    label = "dialogue"
    verbose_name = _("Toelichtingen en voortgangsgesprekken")
