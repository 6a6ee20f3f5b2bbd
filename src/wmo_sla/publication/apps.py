# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "wmo_sla.publication"
    label = "publication"
    verbose_name = _("Openbare publicatie")
