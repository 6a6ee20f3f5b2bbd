# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "wmo_sla.contracts"
    label = "contracts"
    verbose_name = _("Contracten en stamgegevens")
